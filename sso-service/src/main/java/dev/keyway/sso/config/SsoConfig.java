package dev.keyway.sso.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /**
     * Organizations whose parsed SAML set-up each replica keeps in memory; beyond it, one is dropped and read again
     * when next needed. A cached set-up is always checked against the database's version before it decides anything.
     */
    @WithDefault("10000")
    int connectionCacheSize();

    /**
     * ACS posts each replica works on at once; beyond it a post is answered 503 with {@code Retry-After} before its
     * XML is read, so an overload costs retries, never the heap.
     */
    @WithDefault("256")
    int maxSignInsInFlight();

    /** Validity of a generated SP certificate. */
    @WithDefault("P1095D")
    Duration spCertificateValidity();

    /** An IdP certificate expiring within this many days flags the organization. */
    @WithDefault("30")
    int certificateExpiryWarningDays();

    /**
     * Allow plain-HTTP IdP URLs (tests, local stand-ins): metadata URLs, and single sign-on URLs whether typed by hand
     * or read from metadata. HTTPS only otherwise.
     */
    @WithDefault("false")
    boolean allowHttpMetadataUrls();

    /**
     * How long fetching an IdP's metadata URL may take in all: name resolution, every redirect and the whole body.
     */
    @WithDefault("5s")
    Duration metadataFetchTimeout();

    /** Most e-mail domains one organization may claim, verified or not. */
    @WithDefault("20")
    int maxEmailDomains();

    /** The DNS resolver that checks an organization's TXT record before its e-mail domain counts. */
    Dns dns();

    interface Dns {

        /** {@code host:port} of the DNS server to ask; unset = the system's resolver (/etc/resolv.conf). */
        Optional<String> server();

        /** How long one TXT query may take before the check answers that DNS is unavailable. */
        @WithDefault("5s")
        Duration queryTimeout();
    }
    /**
     * CIDR ranges the metadata URL fetch may reach although they are not public (loopback, private, link-local,
     * CGNAT, unique local, metadata services are refused otherwise), e.g. {@code 10.20.0.0/16} for an IdP inside
     * the operator's network; none by default.
     */
    Optional<List<String>> metadataFetchAllowedRanges();

    /** Active SP keys an organization may hold for each use (signing, encryption); more is refused with 409. */
    @WithDefault("5")
    int maxSpKeysPerUse();
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
