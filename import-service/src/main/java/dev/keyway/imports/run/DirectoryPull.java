package dev.keyway.imports.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventCodec;
import dev.keyway.common.event.ImportedUser;
import dev.keyway.imports.integration.GroupMapping;
import dev.keyway.imports.jumpcloud.JumpCloudClient;
import dev.keyway.imports.jumpcloud.JumpCloudConfig;
import dev.keyway.imports.jumpcloud.JumpCloudCredentials;
import dev.keyway.imports.jumpcloud.SystemUser;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Reads what an integration imports from JumpCloud into the run's staging tables ({@link PulledDirectory}): the
 * members of its groups (several groups at once), then every user's record (several pages at once), each page
 * written as it arrives. At most {@code keyway.jumpcloud.concurrency} requests are in flight; nothing blocks.
 */
@ApplicationScoped
public class DirectoryPull {

    /** Rows per staging statement. */
    private static final int BATCH = 1_000;

    private final JumpCloudClient jumpcloud;
    private final PulledDirectory staged;
    private final int concurrency;

    public DirectoryPull(JumpCloudClient jumpcloud, PulledDirectory staged, JumpCloudConfig config) {
        this.jumpcloud = jumpcloud;
        this.staged = staged;
        this.concurrency = config.concurrency();
    }

    /**
     * What one pull saw, besides the staged users.
     *
     * @param groupsRead  how many JumpCloud groups were read
     * @param skipped     users that could not be imported, and why
     * @param membersRead how long the groups' members took to read and stage, before the users' pages began
     */
    public record Pulled(int groupsRead, List<String> skipped, Duration membersRead) {
    }

    /** A failure half-way fails the whole; the staging tables are then worth nothing and nothing of the run is kept. */
    public Uni<Pulled> read(SqlConnection staging, UUID integrationId, JumpCloudCredentials credentials,
            List<GroupMapping> groups) {
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        // pages are staged in batches: one statement per thousand rows, not per page, on the run's one connection;
        // two batches at a time, so JumpCloud is read on while one is written
        Uni<Void> members = Multi.createFrom().iterable(groups)
                .onItem().transformToMulti(group -> jumpcloud.memberPages(credentials, group.jumpcloudGroupId())
                        .onItem().transformToIterable(ids -> ids.stream()
                                .map(id -> new PulledDirectory.Member(id, group.targetGroup())).toList()))
                .merge(concurrency)
                .group().intoLists().of(BATCH)
                .onItem().transformToUni(batch -> staged.members(staging, batch)).merge(2)
                .onItem().ignoreAsUni();
        Uni<Void> users = Multi.createFrom().deferred(() -> jumpcloud.userPages(credentials))
                .onItem().transformToIterable(page -> page)
                .group().intoLists().of(BATCH)
                .onItem().transformToUni(batch -> users(staging, integrationId, batch, skipped)).merge(2)
                .onItem().ignoreAsUni();
        long started = System.nanoTime();
        AtomicLong membersRead = new AtomicLong();
        return members.chain(() -> staged.membersStaged(staging))
                .invoke(() -> membersRead.set(System.nanoTime() - started))
                .chain(() -> users)
                .map(done -> new Pulled(groups.size(), List.copyOf(skipped), Duration.ofNanos(membersRead.get())));
    }

    /** A batch of users: those in the selected groups as imported, the others by id alone (to tell who was deleted). */
    private Uni<Void> users(SqlConnection staging, UUID integrationId, List<SystemUser> page, List<String> skipped) {
        if (page.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> ids = page.stream().map(SystemUser::id).toList();
        return staged.targets(staging, ids).chain(targetsOf -> {
            String[] userIds = new String[page.size()];
            String[] states = new String[page.size()];
            for (int i = 0; i < page.size(); i++) {
                SystemUser user = page.get(i);
                userIds[i] = user.id();
                List<String> targets = targetsOf.get(user.id());
                if (targets == null) {
                    continue;
                }
                ImportedUser imported = map(integrationId, user, List.copyOf(new TreeSet<>(targets)));
                if (imported == null) {
                    skipped.add("JumpCloud user " + user.id()
                            + " has neither an e-mail address nor a username; skipped.");
                } else {
                    states[i] = EventCodec.encodePayload(imported);
                }
            }
            return staged.users(staging, userIds, states);
        });
    }

    /**
     * JumpCloud's user as Keyway's: the userName is the e-mail address (as JumpCloud's SCIM client sends it, so an
     * imported user and a provisioned one meet), the JumpCloud username where there is none.
     */
    static ImportedUser map(UUID integrationId, SystemUser user, List<String> targetGroups) {
        String email = blankToNull(user.email());
        String userName = email != null ? email : blankToNull(user.username());
        if (userName == null) {
            return null;
        }
        return new ImportedUser(integrationId, user.id(), userName, email, blankToNull(user.firstname()),
                blankToNull(user.lastname()), blankToNull(user.jobTitle()), blankToNull(user.department()),
                blankToNull(user.employeeIdentifier()), blankToNull(user.manager()), user.active(), targetGroups);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
