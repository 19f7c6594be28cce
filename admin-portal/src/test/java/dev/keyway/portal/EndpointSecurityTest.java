package dev.keyway.portal;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.EndpointSecurity;

/** Every REST method of the portal states who may call it (see {@link EndpointSecurity}). */
class EndpointSecurityTest {

    @Test
    void everyRestMethodStatesWhoMayCallIt() throws Exception {
        EndpointSecurity.assertEveryRestMethodStatesWhoMayCallIt();
    }
}
