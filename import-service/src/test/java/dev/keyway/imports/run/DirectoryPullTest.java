package dev.keyway.imports.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.ImportedUser;
import dev.keyway.imports.jumpcloud.SystemUser;

/** JumpCloud's user as the import maps it. */
class DirectoryPullTest {

    private static final UUID INTEGRATION = UUID.randomUUID();

    @Test
    void mapsJumpCloudsFieldsAndState() {
        SystemUser jumpcloud = new SystemUser("5f0c", "ada", "ada@example.com", "Ada", "Lovelace", "Engineer",
                "R&D", "E-1", "5f0b", "ACTIVATED", false);
        ImportedUser mapped = DirectoryPull.map(INTEGRATION, jumpcloud, List.of("Engineering"));
        assertEquals("ada@example.com", mapped.userName(), "the e-mail is the userName, as JumpCloud's SCIM sends it");
        assertEquals(List.of("Ada", "Lovelace", "Engineer", "R&D", "E-1", "5f0b"), List.of(mapped.givenName(),
                mapped.familyName(), mapped.title(), mapped.department(), mapped.employeeNumber(),
                mapped.managerSourceId()));
        assertTrue(mapped.active());

        assertFalse(DirectoryPull.map(INTEGRATION, new SystemUser("1", "u", "u@x", null, null, null, null, null, null,
                "SUSPENDED", true), List.of()).active());
        assertFalse(DirectoryPull.map(INTEGRATION, new SystemUser("2", "u", "u@x", null, null, null, null, null, null,
                "ACTIVATED", true), List.of()).active(), "suspended wins over state");
        assertFalse(DirectoryPull.map(INTEGRATION, new SystemUser("3", "u", "u@x", null, null, null, null, null, null,
                "STAGED", false), List.of()).active(), "staged users are not active yet");
        assertEquals("bob", DirectoryPull.map(INTEGRATION, new SystemUser("4", "bob", " ", null, null, null, null,
                null, null, "ACTIVATED", false), List.of()).userName());
        assertNull(DirectoryPull.map(INTEGRATION, new SystemUser("5", null, null, null, null, null, null, null, null,
                "ACTIVATED", false), List.of()));
    }
}
