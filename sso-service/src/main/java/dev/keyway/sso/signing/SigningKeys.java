package dev.keyway.sso.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;

import dev.keyway.runtime.crypto.SecretBox;
import dev.keyway.sso.config.SsoConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The RS256 keys sso-service signs owner tokens and OpenID Connect tokens with (sessions, until they were signed
 * with HS256: see {@code Sessions}). They live in this service's database (private half sealed), so every replica
 * signs and verifies with the same keys and no extra secret is needed.
 * <p>
 * Keys rotate with overlap: a new key is published in the JWKS {@link SigningConfig#publishAhead()} before it signs,
 * so verifiers that cache the JWKS know it in time; the key it replaces stops signing then but stays published until
 * every token it signed has expired (the longest of owner-token and session lifetime, plus clock skew), and is then
 * retired. Each replica reloads the keys every {@link SigningConfig#checkInterval()}, rotating on schedule when due;
 * the operator can rotate sooner ({@code POST /admin/signing-keys/rotate}).
 * <p>
 * Loading never blocks start-up: keys are loaded after {@link StartupEvent}, and the readiness check stays down until
 * they are.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    /** SmallRye JWT accepts a token this long past its expiry. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    /** A key pair with the id tokens name in their {@code kid} header. */
    public record SigningKey(String kid, PrivateKey privateKey, RSAPublicKey publicKey, Instant createdAt,
            Instant activatesAt) {
    }

    /** The published keys at one moment, newest activation first, and the JWKS that lists them. */
    private record KeySet(List<SigningKey> keys, String jwks, Map<String, DefaultJWTParser> parsers) {

        Optional<SigningKey> signer(Instant now) {
            return keys.stream().filter(key -> !key.activatesAt().isAfter(now)).findFirst();
        }

        List<String> kids() {
            return keys.stream().map(SigningKey::kid).toList();
        }

        /** What tells one set from another: which keys, and when each signs. */
        List<String> schedule() {
            return keys.stream().map(key -> key.kid() + "@" + key.activatesAt()).toList();
        }
    }

    private final Pool pool;
    private final SigningKeyRepository repository;
    private final SecretBox secrets;
    private final SigningConfig config;
    private final Duration retireAfter;
    private final String issuer;
    private volatile KeySet current;

    public SigningKeys(Pool pool, SigningKeyRepository repository, SecretBox secrets, SigningConfig config,
            SsoConfig sso,
            @ConfigProperty(name = "keyway.owner-token.lifetime") Duration ownerTokenLifetime,
            @ConfigProperty(name = "mp.jwt.verify.issuer") String issuer) {
        this.pool = pool;
        this.repository = repository;
        this.secrets = secrets;
        this.config = config;
        Duration longestToken = ownerTokenLifetime.compareTo(sso.sessionLifetime()) > 0 ? ownerTokenLifetime
                : sso.sessionLifetime();
        this.retireAfter = longestToken.plus(CLOCK_SKEW);
        this.issuer = issuer;
    }

    void loadAtStartup(@Observes StartupEvent event) {
        maintain().subscribe().with(done -> LOG.debugf("signing keys loaded: %s", current.kids()),
                failure -> LOG.error("Signing keys could not be loaded; retrying at the next check", failure));
    }

    /** Rotates if due, retires keys whose tokens have all expired, and reloads; on every replica, every check. */
    @Scheduled(identity = "signing-key-maintenance", every = "${keyway.signing.check-interval}",
            delayed = "${keyway.signing.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> maintain() {
        Instant now = Instant.now();
        Instant dueBefore = now.minus(config.rotationInterval());
        return repository.newestCreatedAt(pool)
                .chain(newest -> newest.isEmpty() || newest.get().isBefore(dueBefore)
                        ? create(dueBefore).replaceWithVoid()
                        : Uni.createFrom().voidItem())
                .chain(() -> repository.retireSupersededBy(now.minus(retireAfter)))
                .invoke(retired -> {
                    if (retired > 0) {
                        LOG.infof("Retired %d signing key(s): every token they signed has expired", retired);
                    }
                })
                .chain(this::reload);
    }

    /** A new key, published now and signing once {@link SigningConfig#publishAhead()} has passed. */
    public Uni<SigningKey> rotate() {
        return create(null).chain(created -> reload().replaceWith(created.orElseThrow()));
    }

    /** The key new tokens are signed with: the newest one already active. */
    public Uni<SigningKey> signer() {
        return loaded().map(keys -> keys.signer(Instant.now())
                .orElseThrow(() -> new IllegalStateException("no active signing key")));
    }

    /** Every key a token may still be signed with, as a JSON Web Key Set. */
    public Uni<String> jwks() {
        return loaded().map(KeySet::jwks);
    }

    /** Every published key, whether it signs yet or not, newest activation first. */
    public Uni<List<SigningKey>> published() {
        return loaded().map(KeySet::keys);
    }

    /**
     * Verifies a JWT of this issuer, for this audience, signed by one of the published keys.
     *
     * @throws ParseException if it is not such a token, or the keys are not loaded yet
     */
    public JsonWebToken verify(String token, String audience) throws ParseException {
        KeySet keys = current;
        if (keys == null || keys.keys().isEmpty()) {
            throw new ParseException("signing keys are not loaded yet");
        }
        return keys.parsers().computeIfAbsent(audience, forAudience -> parserFor(keys, forAudience)).parse(token);
    }

    /** Whether the keys are loaded (readiness). */
    public boolean isLoaded() {
        KeySet keys = current;
        return keys != null && !keys.keys().isEmpty();
    }

    /** The keys, loading them (and creating the first one) if a request comes before the start-up load is done. */
    private Uni<KeySet> loaded() {
        return isLoaded() ? Uni.createFrom().item(current) : maintain().replaceWith(() -> current);
    }

    /**
     * Creates a key, under a lock shared by all replicas.
     *
     * @param onlyIfNoneCreatedAfter create none if a key was created after this (a scheduled rotation another replica
     *        already made); null to create one regardless (the operator's rotation)
     */
    private Uni<Optional<SigningKey>> create(Instant onlyIfNoneCreatedAfter) {
        // RSA key generation takes a while: keep it off the event loop
        return Uni.createFrom().item(SigningKeys::generate).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(pair -> pool.withTransaction(connection -> repository.lockForCreation(connection)
                        .chain(() -> repository.newestCreatedAt(connection))
                        .chain(newest -> {
                            if (onlyIfNoneCreatedAfter != null && newest.isPresent()
                                    && !newest.get().isBefore(onlyIfNoneCreatedAfter)) {
                                return Uni.createFrom().item(Optional.<SigningKey>empty());
                            }
                            String kid = UUID.randomUUID().toString();
                            Instant now = Instant.now();
                            Instant activatesAt = now.plus(config.publishAhead());
                            Instant signsFrom = newest.isEmpty() ? now : activatesAt;
                            return repository.insert(connection, kid,
                                    secrets.seal(pair.getPrivate().getEncoded(), context(kid)),
                                    pair.getPublic().getEncoded(), now, activatesAt)
                                    .invoke(() -> LOG.infof("Created signing key %s; it signs from %s", kid, signsFrom))
                                    .replaceWith(Optional.of(new SigningKey(kid, pair.getPrivate(),
                                            (RSAPublicKey) pair.getPublic(), now, signsFrom)));
                        })));
    }

    private Uni<Void> reload() {
        return repository.published().map(stored -> {
            List<SigningKey> keys = new ArrayList<>();
            for (SigningKeyRepository.StoredKey key : stored) {
                keys.add(decode(key));
            }
            keys.sort(Comparator.comparing(SigningKey::activatesAt).thenComparing(SigningKey::createdAt).reversed());
            return keys;
        }).invoke(keys -> {
            KeySet loaded = new KeySet(List.copyOf(keys), jwksOf(keys), new ConcurrentHashMap<>());
            KeySet before = current;
            // keep the set (and its parsers) while nothing changed; parsers of an old set would not know a new key
            if (before == null || !before.schedule().equals(loaded.schedule())) {
                current = loaded;
            }
        }).replaceWithVoid();
    }

    private DefaultJWTParser parserFor(KeySet keys, String audience) {
        JWTAuthContextInfo verification = new JWTAuthContextInfo();
        verification.setPublicKeyContent(keys.jwks());
        verification.setIssuedBy(issuer);
        verification.setExpectedAudience(Set.of(audience));
        // a factory of its own: the shared one caches the first key set it ever saw
        return new DefaultJWTParser(verification, new DefaultJWTCallerPrincipalFactory());
    }

    private static String jwksOf(List<SigningKey> keys) {
        JsonWebKeySet set = new JsonWebKeySet();
        for (SigningKey key : keys) {
            RsaJsonWebKey jwk = new RsaJsonWebKey(key.publicKey());
            jwk.setKeyId(key.kid());
            jwk.setUse("sig");
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            set.addJsonWebKey(jwk);
        }
        return set.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private SigningKey decode(SigningKeyRepository.StoredKey stored) {
        String kid = stored.kid();
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            byte[] privateKey = secrets.open(stored.sealedPrivateKey(), context(kid));
            return new SigningKey(kid, rsa.generatePrivate(new PKCS8EncodedKeySpec(privateKey)),
                    (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(stored.publicKey())),
                    stored.createdAt(), stored.activatesAt());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + kid + " is unreadable", e);
        }
    }

    private static String context(String kid) {
        return "signing-key:" + kid;
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is unavailable", e);
        }
    }
}
