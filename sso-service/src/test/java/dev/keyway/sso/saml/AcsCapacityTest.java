package dev.keyway.sso.saml;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AcsCapacityTest {

    @Test
    void postsBeyondTheBoundAreTurnedAwayUntilAPlaceIsGivenBack() {
        AcsCapacity capacity = new AcsCapacity(2);
        assertTrue(capacity.tryEnter());
        assertTrue(capacity.tryEnter());
        assertFalse(capacity.tryEnter());
        // a refused post took no place: one leave frees exactly one
        assertFalse(capacity.tryEnter());
        capacity.leave();
        assertTrue(capacity.tryEnter());
        assertFalse(capacity.tryEnter());
    }
}
