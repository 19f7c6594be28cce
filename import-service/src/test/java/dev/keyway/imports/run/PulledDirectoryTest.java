package dev.keyway.imports.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.common.event.ImportedUserLeft;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.common.tenant.Region;
import dev.keyway.imports.run.PulledDirectory.Member;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.testsupport.JumpCloudTestResource;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Each listed user compared with the last snapshot as the pull stages them, and what a run's commit makes of it: its
 * events in the outbox, its counts, the next snapshot.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
@WithTestResource(JumpCloudTestResource.class)
class PulledDirectoryTest {

    @Inject
    Pool pool;

    @Inject
    PulledDirectory staged;

    @Inject
    Outbox outbox;

    private final UUID integration = UUID.randomUUID();
    private final ImportEvents events = new ImportEvents(integration, OrgId.random(), Region.API);

    private ImportedUser user(String id, boolean active, String... groups) {
        return new ImportedUser(integration, id, id + "@example.com", id + "@example.com", "Given", "Family", null,
                null, null, null, active, List.of(groups));
    }

    /** What a run committed: its counts, and the event it wrote for each user. */
    private record Run(DiffCounts counts, Map<String, EventEnvelope> events) {
    }

    /**
     * A run that lists {@code listed} (a null user: listed, outside the selected groups), whose selected groups hold
     * the listed users' groups.
     */
    private Run run(Map<String, ImportedUser> listed) {
        return run(listed.values().stream().filter(Objects::nonNull)
                .flatMap(user -> user.groups().stream().map(group -> new Member(user.sourceUserId(), group)))
                .toList(), listed);
    }

    /** The same, with the selected groups' {@code members} as given. */
    private Run run(List<Member> members, Map<String, ImportedUser> listed) {
        return pool.withConnection(connection -> staged.stage(connection)
                .chain(() -> staged.members(connection, members))
                .chain(() -> staged.membersStaged(connection))
                .chain(() -> staged.known(connection, integration, List.copyOf(listed.keySet())))
                .chain(known -> staged.users(connection, listed.entrySet().stream()
                        .filter(entry -> known.containsKey(entry.getKey()))
                        .map(entry -> events.compare(entry.getKey(), entry.getValue(),
                                known.get(entry.getKey()).before()))
                        .toList()))
                .chain(() -> connection.begin().chain(transaction -> commit(connection)
                        .call(transaction::commit)))
                .call(() -> staged.unstage(connection)))
                .await().indefinitely();
    }

    /** As the runner commits, the events read back before the relay may take them. */
    private Uni<Run> commit(SqlConnection transaction) {
        return staged.settle(transaction, integration)
                .call(() -> outbox.appendStaged(transaction, PulledDirectory.PREPARED_EVENTS))
                .call(() -> staged.deleted(transaction, "", 1000).chain(deleted -> outbox.appendAll(transaction,
                        events.org(), events.region(), deleted.stream().map(events::deleted).toList())))
                .call(() -> staged.keep(transaction, integration))
                // this transaction's rows: now() is when it began
                .chain(counts -> transaction.preparedQuery("""
                        select payload from outbox where aggregate_id like $1 and created_at = now()""")
                        .execute(Tuple.of("import:" + integration + ":%"))
                        .map(rows -> {
                            Map<String, EventEnvelope> written = new TreeMap<>();
                            for (Row row : rows) {
                                EventEnvelope event = EventCodec.decode(row.getString("payload")).orElseThrow();
                                written.put(event.aggregateId().substring(event.aggregateId().lastIndexOf(':') + 1),
                                        event);
                            }
                            return new Run(counts, written);
                        }));
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
                .execute(Tuple.of(integration, events.org().value(), "diff " + integration)).await().indefinitely();
    }

    @Test
    void sortsEveryUserIntoImportedChangedLeftOrUntouched() {
        anIntegration();
        Run first = run(listed("same", user("same", true, "A"), "moved", user("moved", true, "A"),
                "suspended", user("suspended", true, "A"), "gone", user("gone", true, "A"),
                "deleted", user("deleted", true, "A"), "outside", null));
        assertEquals(new DiffCounts(5, 5, 0, 0, 0, 0), first.counts());
        assertEquals(List.of("deleted", "gone", "moved", "same", "suspended"), List.copyOf(first.events().keySet()));
        assertEquals(user("same", true, "A"), first.events().get("same").payload(ImportedUser.class));
        assertTrue(first.events().values().stream().allMatch(event -> event.type().equals("import.user.imported")
                && event.sequence() == 1));

        Run second = run(listed("same", user("same", true, "A"), "moved", user("moved", true, "B"),
                "suspended", user("suspended", false, "A"), "new", user("new", true, "A"), "gone", null,
                "outside", null));

        Map<String, EventEnvelope> written = second.events();
        assertEquals(List.of("deleted", "gone", "moved", "new", "suspended"), List.copyOf(written.keySet()),
                "one event for each user who changed, none for the others");
        assertEquals("import.user.imported", written.get("new").type());
        assertEquals(1, written.get("new").sequence());
        assertEquals("import.user.changed", written.get("moved").type());
        assertEquals(2, written.get("moved").sequence(), "after the user's first event");
        assertEquals(user("moved", true, "B"), written.get("moved").payload(ImportedUser.class));
        assertEquals(user("suspended", false, "A"), written.get("suspended").payload(ImportedUser.class));
        ImportedUserLeft gone = written.get("gone").payload(ImportedUserLeft.class);
        assertEquals(new ImportedUserLeft(integration, "gone", "gone@example.com", "removed-from-groups"), gone,
                "still in the directory: removed from the groups");
        assertEquals("deleted", written.get("deleted").payload(ImportedUserLeft.class).reason(),
                "not in the directory any more: deleted");
        assertEquals(new DiffCounts(4, 1, 2, 2, 1, 0), second.counts());
        assertEquals(1, second.counts().updated());
        assertEquals(3, second.counts().deactivated(), "suspended, removed and deleted");

        Run again = run(listed("same", user("same", true, "A"), "moved", user("moved", true, "B"),
                "suspended", user("suspended", false, "A"), "new", user("new", true, "A"), "gone", null));
        assertEquals(new Run(new DiffCounts(4, 0, 0, 0, 0, 0), Map.of()), again,
                "the snapshot is what the last run saw: nothing to emit");
    }

    @Test
    void aMemberNoPageListedWasSkippedByThePagingNotDeleted() {
        anIntegration();
        run(listed("kept", user("kept", true, "A"), "skipped", user("skipped", true, "A"), "deleted",
                user("deleted", true, "A")));

        // "deleted" is gone from the group and from the directory; "skipped" is still a member, but the pages of users
        // missed them (a deletion elsewhere moved them onto a page already read)
        List<Member> now = List.of(new Member("kept", "A"), new Member("skipped", "A"));
        Run run = run(now, listed("kept", user("kept", true, "A")));

        assertEquals(List.of("deleted"), List.copyOf(run.events().keySet()),
                "only the user no group and no page holds any more left");
        assertEquals(new DiffCounts(1, 0, 0, 1, 0, 1), run.counts());
        assertEquals(new Run(new DiffCounts(2, 0, 0, 0, 0, 0), Map.of()), run(now, listed("kept",
                user("kept", true, "A"), "skipped", user("skipped", true, "A"))),
                "kept as last imported: read again, nothing changed");
    }

    @Test
    void aUserListedTwiceIsKeptOnceAsLastReadWithTheEventOfThatListing() {
        anIntegration();
        run(listed("twice", user("twice", true, "A"), "stays", user("stays", true, "A")));

        List<Member> members = List.of(new Member("twice", "A"), new Member("twice", "B"), new Member("stays", "A"));
        String[] before = new String[1];
        Run run = pool.withConnection(connection -> staged.stage(connection)
                .chain(() -> staged.members(connection, members))
                .chain(() -> staged.membersStaged(connection))
                .chain(() -> staged.known(connection, integration, List.of("twice", "stays")))
                .invoke(known -> before[0] = known.get("stays").before())
                // in one batch: the first listing changed, the last as before
                .chain(known -> staged.users(connection, List.of(
                        events.compare("twice", user("twice", true, "A", "B"), known.get("twice").before()),
                        events.compare("stays", user("stays", false, "A"), known.get("stays").before()),
                        events.compare("twice", user("twice", true, "A"), known.get("twice").before()))))
                // in a later batch, the directory having changed again meanwhile
                .chain(() -> staged.users(connection, List.of(
                        events.compare("stays", user("stays", true, "A"), before[0]))))
                .chain(() -> connection.begin().chain(transaction -> commit(connection)
                        .call(transaction::commit)))
                .call(() -> staged.unstage(connection)))
                .await().indefinitely();

        assertEquals(new Run(new DiffCounts(2, 0, 0, 0, 0, 0), Map.of()), run,
                "each as last listed: as the snapshot has them, so nothing to emit");
    }
}
