package dev.keyway.scim;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A pool of {@value #POOL_SIZE} connections, of which only the outbox relay keeps one (the SCIM token cache looks
 * every token up instead of listening on one), where one request may wait for a connection, for at most a second;
 * and no SET push loop asking for connections of its own meanwhile.
 */
public class SmallPoolProfile implements QuarkusTestProfile {

    public static final int POOL_SIZE = 4;
    public static final int MAX_WAITING = 1;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.reactive.max-size", Integer.toString(POOL_SIZE),
                "keyway.scim.token-cache.max-age", "0",
                "keyway.database.max-waiting", Integer.toString(MAX_WAITING),
                "keyway.database.connection-wait", "1s",
                "keyway.events.delivery-interval", "1h");
    }
}
