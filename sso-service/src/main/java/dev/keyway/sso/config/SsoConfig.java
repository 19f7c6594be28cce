package dev.keyway.sso.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Single sign-on and sessions. */
@ConfigMapping(prefix = "keyway.sso")
public interface SsoConfig {

    /** How long a session (its JWT and cookie) lives; GET /session can refuse it earlier (revocation). */
    @WithDefault("PT1H")
    Duration sessionLifetime();

    /** Send the session cookie over HTTPS only; off only for local plain-HTTP runs. */
    @WithDefault("true")
    boolean cookieSecure();

    /** How long an SP-initiated sign-in may take at the IdP before its AuthnRequest is forgotten. */
    @WithDefault("PT10M")
    Duration pendingRequestLifetime();

    /** Validity of a generated SP certificate. */
    @WithDefault("P1095D")
    Duration spCertificateValidity();

    /** An IdP certificate expiring within this many days flags the organization. */
    @WithDefault("30")
    int certificateExpiryWarningDays();

    /** Allow plain-HTTP metadata URLs (tests, local stand-ins); HTTPS only otherwise. */
    @WithDefault("false")
    boolean allowHttpMetadataUrls();

    /** How long fetching an IdP's metadata URL may take. */
    @WithDefault("5s")
    Duration metadataFetchTimeout();

    /** Bounds on anonymous SP-initiated sign-ins ({@code GET /saml/{slug}/login}), so it cannot fill a table. */
    LoginLimits loginLimits();

    /**
     * Token buckets per client address and per organization (in each replica's memory), and a cap on an
     * organization's pending AuthnRequests (in the database, so across replicas). Over any of them: 429.
     */
    interface LoginLimits {

        /** Sign-ins one client address may start at once before it must wait. */
        @WithDefault("30")
        int clientBurst();

        /** Sign-ins one client address may start per minute, sustained. */
        @WithDefault("60")
        int clientPerMinute();

        /** Sign-ins one organization's users may start at once (per replica) before they must wait. */
        @WithDefault("300")
        int organizationBurst();

        /** Sign-ins one organization's users may start per minute (per replica), sustained. */
        @WithDefault("1200")
        int organizationPerMinute();

        /** Unanswered AuthnRequests an organization may have at once; expired ones do not count and are purged. */
        @WithDefault("10000")
        int maxPendingPerOrganization();

        /** Client addresses remembered at most; beyond it the idle ones are forgotten first. */
        @WithDefault("100000")
        int maxTrackedClients();
    }
}
