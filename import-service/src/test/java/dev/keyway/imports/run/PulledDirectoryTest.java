package dev.keyway.imports.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.imports.run.PulledDirectory.Difference;
import dev.keyway.imports.run.PulledDirectory.Member;
import dev.keyway.testsupport.JumpCloudTestResource;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** The difference between what a pull staged and the last snapshot, as PostgreSQL computes it. */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
@WithTestResource(JumpCloudTestResource.class)
class PulledDirectoryTest {

    @Inject
    Pool pool;

    @Inject
    PulledDirectory staged;

    private final UUID integration = UUID.randomUUID();

    private ImportedUser user(String id, boolean active, String... groups) {
        return new ImportedUser(integration, id, id + "@example.com", id + "@example.com", "Given", "Family", null,
                null, null, null, active, List.of(groups));
    }

    /** Stages {@code listed} (a null user: listed, outside the selected groups), then works on the same connection. */
    private <T> T pulled(Map<String, ImportedUser> listed, Function<SqlConnection, Uni<T>> then) {
        return pulled(List.of(), listed, then);
    }

    /** The same, after the selected groups' {@code members}. */
    private <T> T pulled(List<Member> members, Map<String, ImportedUser> listed,
            Function<SqlConnection, Uni<T>> then) {
        return pool.withConnection(connection -> staged.stage(connection)
                .chain(() -> staged.members(connection, members))
                .chain(() -> staged.membersStaged(connection))
                .chain(() -> staged.users(connection, listed.keySet().toArray(String[]::new),
                        listed.values().stream().map(user -> user == null ? null : EventCodec.encodePayload(user))
                                .toArray(String[]::new)))
                .chain(() -> connection.begin().chain(transaction -> then.apply(connection)
                        .call(transaction::commit)))
                .call(() -> staged.unstage(connection)))
                .await().indefinitely();
    }

    private DiffCounts keep(Map<String, ImportedUser> listed) {
        return pulled(listed, transaction -> staged.diff(transaction, integration)
                .call(() -> staged.keep(transaction, integration)));
    }

    private static Map<String, ImportedUser> listed(Object... idsAndUsers) {
        Map<String, ImportedUser> listed = new LinkedHashMap<>();
        for (int i = 0; i < idsAndUsers.length; i += 2) {
            listed.put((String) idsAndUsers[i], (ImportedUser) idsAndUsers[i + 1]);
        }
        return listed;
    }

    private void anIntegration() {
        pool.preparedQuery("""
                insert into import_integration (id, org_id, name, data_center, api_key_sealed, api_key_hint,
                    interval_seconds, enabled, created_at, updated_at)
                values ($1, $2, $3, 'us', 'sealed', '…1234', 3600, false, now(), now())""")
                .execute(Tuple.of(integration, UUID.randomUUID(), "diff " + integration)).await().indefinitely();
    }

    @Test
    void sortsEveryUserIntoImportedChangedLeftOrUntouched() {
        anIntegration();
        DiffCounts first = keep(listed("same", user("same", true, "A"), "moved", user("moved", true, "A"),
                "suspended", user("suspended", true, "A"), "gone", user("gone", true, "A"),
                "deleted", user("deleted", true, "A"), "outside", null));
        assertEquals(new DiffCounts(5, 5, 0, 0, 0, 0), first);

        Map<String, ImportedUser> now = listed("same", user("same", true, "A"), "moved", user("moved", true, "B"),
                "suspended", user("suspended", false, "A"), "new", user("new", true, "A"), "gone", null,
                "outside", null);
        List<Difference> differences = new ArrayList<>();
        DiffCounts second = pulled(now, transaction -> staged.diff(transaction, integration)
                .call(() -> staged.differences(transaction, "", 2).invoke(differences::addAll)
                        .chain(chunk -> staged.differences(transaction, chunk.get(1).sourceUserId(), 1000))
                        .invoke(differences::addAll))
                .call(() -> staged.keep(transaction, integration)));

        Map<String, Difference> byUser = differences.stream()
                .collect(Collectors.toMap(Difference::sourceUserId, difference -> difference));
        assertEquals(List.of("deleted", "gone", "moved", "new", "suspended"),
                differences.stream().map(Difference::sourceUserId).toList(), "each once, in id order, by chunks");
        assertNull(byUser.get("new").before(), "new");
        assertEquals(user("moved", true, "B"), EventCodec.decodePayload(byUser.get("moved").state(),
                ImportedUser.class));
        assertEquals(user("moved", true, "A"), EventCodec.decodePayload(byUser.get("moved").before(),
                ImportedUser.class));
        assertNull(byUser.get("gone").state());
        assertTrue(byUser.get("gone").listed(), "still in the directory: removed from the groups");
        assertNull(byUser.get("deleted").state());
        assertEquals(false, byUser.get("deleted").listed(), "not in the directory any more: deleted");
        assertEquals(new DiffCounts(4, 1, 2, 2, 1, 0), second);
        assertEquals(1, second.updated());
        assertEquals(3, second.deactivated(), "suspended, removed and deleted");

        assertEquals(new DiffCounts(4, 0, 0, 0, 0, 0), keep(now), "the snapshot is what the last run saw");
        assertTrue(keep(now).isEmpty());
    }

    @Test
    void aMemberNoPageListedWasSkippedByThePagingNotDeleted() {
        anIntegration();
        List<Member> before = List.of(new Member("kept", "A"), new Member("skipped", "A"), new Member("deleted", "A"));
        keep(before, listed("kept", user("kept", true, "A"), "skipped", user("skipped", true, "A"), "deleted",
                user("deleted", true, "A")));

        // "deleted" is gone from the group and from the directory; "skipped" is still a member, but the pages of users
        // missed them (a deletion elsewhere moved them onto a page already read)
        List<Member> now = List.of(new Member("kept", "A"), new Member("skipped", "A"));
        List<Difference> differences = new ArrayList<>();
        DiffCounts counts = pulled(now, listed("kept", user("kept", true, "A")), transaction -> staged
                .diff(transaction, integration)
                .call(() -> staged.differences(transaction, "", 1000).invoke(differences::addAll))
                .call(() -> staged.keep(transaction, integration)));

        assertEquals(List.of("deleted"), differences.stream().map(Difference::sourceUserId).toList(),
                "only the user no group and no page holds any more left");
        assertEquals(new DiffCounts(1, 0, 0, 1, 0, 1), counts);
        assertEquals(new DiffCounts(2, 0, 0, 0, 0, 0), keep(now, listed("kept", user("kept", true, "A"), "skipped",
                user("skipped", true, "A"))), "kept as last imported: read again, nothing changed");
    }

    private DiffCounts keep(List<Member> members, Map<String, ImportedUser> listed) {
        return pulled(members, listed, transaction -> staged.diff(transaction, integration)
                .call(() -> staged.keep(transaction, integration)));
    }

    @Test
    void aUserListedTwiceInOneBatchIsKeptOnceAsLastRead() {
        anIntegration();
        String first = EventCodec.encodePayload(user("twice", true, "A"));
        String last = EventCodec.encodePayload(user("twice", true, "B"));
        List<Difference> differences = pool.withConnection(connection -> staged.stage(connection)
                .chain(() -> staged.users(connection, new String[]{ "twice", "once", "twice" },
                        new String[]{ first, null, last }))
                .chain(() -> connection.begin().chain(transaction -> staged.diff(connection, integration)
                        .chain(() -> staged.differences(connection, "", 1000))
                        .call(transaction::rollback)))
                .call(() -> staged.unstage(connection)))
                .await().indefinitely();

        assertEquals(List.of(new Difference("twice", last, null, true)), differences);
    }
}
