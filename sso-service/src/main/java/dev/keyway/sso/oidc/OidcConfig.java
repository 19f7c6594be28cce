package dev.keyway.sso.oidc;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Keyway as an OpenID Connect provider: how long each artefact of a sign-in lives, and logout delivery. */
@ConfigMapping(prefix = "keyway.oidc")
public interface OidcConfig {

    /** How long an authorization request may wait for its SAML sign-in (the browser is at JumpCloud meanwhile). */
    @WithDefault("PT10M")
    Duration authorizationLifetime();

    /** An authorization code's life; at most 60 s (OpenID Connect recommends a short one, RFC 6749 at most 10 min). */
    @WithDefault("PT60S")
    Duration codeLifetime();

    /** An access token's life (userinfo also refuses it at once when the user is deactivated). */
    @WithDefault("PT5M")
    Duration accessTokenLifetime();

    /** An ID token's life. */
    @WithDefault("PT5M")
    Duration idTokenLifetime();

    /** A refresh token's life; each use replaces it, a deactivation ends it at once. */
    @WithDefault("PT8H")
    Duration refreshTokenLifetime();

    /** Back-channel logout delivery. */
    Logout logout();

    interface Logout {

        /** How often each replica looks for logout tokens to deliver. */
        @WithDefault("200ms")
        Duration pollInterval();

        /** The pause after a failed delivery, doubling per attempt up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("PT1H")
        Duration maxBackoff();

        /** A delivery the app has not acknowledged for this long is given up (and logged). */
        @WithDefault("P3D")
        Duration giveUpAfter();

        /** How long one POST to an app may take. */
        @WithDefault("5s")
        Duration timeout();

        /**
         * CIDR ranges logout tokens may be delivered to although they are not public (loopback, private, link-local,
         * CGNAT, unique local, metadata services are refused otherwise), e.g. {@code 10.20.0.0/16} for apps inside
         * the operator's network; none by default.
         */
        Optional<List<String>> allowedRanges();
    }
}
