package dev.keyway.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points a service's JumpCloud client at the JVM's stand-ins for the US and EU data centers. */
public class JumpCloudTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("keyway.jumpcloud.us-url", JumpCloudStandIn.us().url(),
                "keyway.jumpcloud.eu-url", JumpCloudStandIn.eu().url());
    }

    @Override
    public void stop() {
        // the stand-ins live as long as the JVM, like the servers of KeywayTestStack
    }
}
