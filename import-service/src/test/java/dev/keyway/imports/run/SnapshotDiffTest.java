package dev.keyway.imports.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.ImportedUser;
import dev.keyway.imports.jumpcloud.SystemUser;

class SnapshotDiffTest {

    private static final UUID INTEGRATION = UUID.randomUUID();

    private static ImportedUser user(String id, boolean active, String... groups) {
        return new ImportedUser(INTEGRATION, id, id + "@example.com", id + "@example.com", "Given", "Family", null,
                null, null, null, active, List.of(groups));
    }

    @Test
    void sortsEveryUserIntoImportedChangedLeftOrUntouched() {
        Map<String, ImportedUser> previous = Map.of(
                "same", user("same", true, "A"),
                "moved", user("moved", true, "A"),
                "suspended", user("suspended", true, "A"),
                "gone", user("gone", true, "A"),
                "deleted", user("deleted", true, "A"));
        Directory now = new Directory(Map.of(
                "same", user("same", true, "A"),
                "moved", user("moved", true, "B"),
                "suspended", user("suspended", false, "A"),
                "new", user("new", true, "A")),
                Set.of("same", "moved", "suspended", "new", "gone"), 2, List.of());

        SnapshotDiff diff = SnapshotDiff.between(previous, now);

        assertEquals(List.of("new"), diff.imported().stream().map(ImportedUser::sourceUserId).toList());
        assertEquals(Set.of("moved", "suspended"), Set.copyOf(diff.changed().stream().map(ImportedUser::sourceUserId)
                .toList()));
        assertEquals(Map.of("gone", SnapshotDiff.REMOVED_FROM_GROUPS, "deleted", SnapshotDiff.DELETED),
                Map.copyOf(diff.left().stream().collect(Collectors.toMap(
                        left -> left.sourceUserId(), left -> left.reason()))));
        assertEquals(1, diff.created());
        assertEquals(1, diff.updated());
        assertEquals(3, diff.deactivated(), "suspended, removed and deleted");
    }

    @Test
    void anUnchangedDirectoryIsAnEmptyDiff() {
        Map<String, ImportedUser> previous = Map.of("a", user("a", true, "A", "B"));
        Directory now = new Directory(Map.of("a", user("a", true, "A", "B")), Set.of("a"), 1, List.of());
        assertTrue(SnapshotDiff.between(previous, now).isEmpty());
        assertFalse(SnapshotDiff.between(Map.of(), now).isEmpty());
    }

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
