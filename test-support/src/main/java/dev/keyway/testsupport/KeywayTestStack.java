package dev.keyway.testsupport;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import dev.keyway.common.event.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the real PostgreSQL and Kafka a service's tests run against (PostgreSQL once per JVM, with a fresh database
 * per application start; Kafka once per class loader a test profile restarts the application in) and points the
 * service at them, and at the test DNS server ({@link TestDns}); places the service in region api as
 * {@code deploy/regions.properties} wires it ({@link LocalRegions}).
 * With {@code trustTestAdminTokens=true} the service also verifies {@link AdminTokens} as owner tokens.
 */
public class KeywayTestStack implements QuarkusTestResourceLifecycleManager {

    /** Seals secrets at rest in tests; random per JVM, like the fresh database it protects. */
    public static final String TEST_ENCRYPTION_KEY = "test:" + Base64.getEncoder()
            .encodeToString(new SecureRandom().generateSeed(32));

    /**
     * A service's consumers share one group, so each one joining at start-up is a rebalance the others hear of at
     * their next heartbeat (every 3 s by default); a quicker heartbeat has the consumers assigned soon after the
     * start, where every test class begins.
     */
    public static final Map<String, String> QUICK_REBALANCE = Map.of("kafka.heartbeat.interval.ms", "250");

    private boolean trustTestAdminTokens;

    @Override
    public void init(Map<String, String> initArgs) {
        trustTestAdminTokens = Boolean.parseBoolean(initArgs.getOrDefault("trustTestAdminTokens", "false"));
    }

    @Override
    public Map<String, String> start() {
        TestPostgres postgres = TestPostgres.get();
        TestKafka kafka = TestKafka.get();
        // the topics exist before the service subscribes, as they do in production: a pattern subscription would
        // otherwise see a topic the first test creates only at its next metadata refresh, seconds later
        kafka.createTopics(Topics.ORGS, Topics.DIRECTORY, Topics.IMPORTS);
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl());
        config.put("quarkus.datasource.username", postgres.username());
        config.put("quarkus.datasource.password", postgres.password());
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.putAll(QUICK_REBALANCE);
        config.put("keyway.encryption.keys", TEST_ENCRYPTION_KEY);
        // the service under test is region api's, named by its module (the tests' working directory)
        String service = Path.of("").toAbsolutePath().getFileName().toString();
        LocalRegions regions = LocalRegions.get();
        if (regions.services().contains(service)) {
            config.putAll(regions.placement("api", service));
        }
        // e-mail domain ownership is checked against the test DNS server (sso-service)
        config.put("keyway.sso.dns.server", TestDns.get().address());
        if (trustTestAdminTokens) {
            config.put("mp.jwt.verify.publickey.location", AdminTokens.publicKeyFile().toUri().toString());
            config.put("mp.jwt.verify.issuer", AdminTokens.ISSUER);
        }
        return config;
    }

    @Override
    public void stop() {
        // the servers live as long as the JVM, so every test class of a module shares them
    }
}
