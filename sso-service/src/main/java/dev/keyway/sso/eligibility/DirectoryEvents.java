package dev.keyway.sso.eligibility;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.GroupDeleted;
import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.UserDeleted;
import dev.keyway.common.event.UserState;
import dev.keyway.runtime.database.KeptConnection;
import dev.keyway.runtime.outbox.IncomingEvents;
import dev.keyway.sso.oidc.logout.LogoutDelivery;
import dev.keyway.sso.oidc.logout.LogoutDeliveryRepository;
import dev.keyway.sso.session.Sessions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Applies {@code keyway.directory.v1} to the login projection ({@link LoginDirectory}). A user deactivated or deleted
 * there loses, in the same transaction that records it: their sessions, their apps' grants (refresh tokens and
 * userinfo stop at once) and, for every app with a back-channel logout URI that shared a session, a logout token to
 * deliver (written like an outbox row, sent by the OIDC logout delivery).
 *
 * <p>One login identity per (organization, e-mail), and the directory's state wins: a just-in-time user is taken
 * over (row, sessions and grants) by the directory user that arrives with their e-mail or user name, so deactivating
 * that user in the directory ends every way in; of two directory users with one e-mail, the latest announced holds it.
 */
@ApplicationScoped
public class DirectoryEvents {

    private final KeptConnection connection;
    private final IncomingEvents events;
    private final LoginDirectory directory;
    private final Sessions sessions;
    private final LogoutDeliveryRepository logouts;
    private final LogoutDelivery delivery;

    public DirectoryEvents(Pool pool, IncomingEvents events, LoginDirectory directory, Sessions sessions,
            LogoutDeliveryRepository logouts, LogoutDelivery delivery) {
        this.connection = new KeptConnection(pool);
        this.events = events;
        this.directory = directory;
        this.sessions = sessions;
        this.logouts = logouts;
        this.delivery = delivery;
    }

    /** A polled batch in one transaction (the channel has {@code batch=true}). */
    @Incoming("directory")
    public Uni<Void> onDirectoryEvents(ConsumerRecords<String, String> records) {
        return events.applyBatch(records, connection, this::applyAll).invoke(delivery::wakeIfDue);
    }

    /**
     * The accepted events of a batch, with the effect of applying them one after another in few statements: the batch
     * is cut where an aggregate comes again, and each piece, one event per user or group, is written a statement per
     * kind of change, in the order one event is applied: the directory user takes over
     * just-in-time twins (sessions and grants follow), releases the e-mail, is written, and ends every way in if
     * inactive or deleted.
     */
    Uni<Void> applyAll(SqlConnection transaction, List<EventEnvelope> events) {
        Uni<Void> applied = Uni.createFrom().voidItem();
        for (List<EventEnvelope> piece : pieces(events)) {
            applied = applied.chain(() -> applyPiece(transaction, piece));
        }
        return applied;
    }

    /** Consecutive runs of the events in which no aggregate comes twice. */
    static List<List<EventEnvelope>> pieces(List<EventEnvelope> events) {
        List<List<EventEnvelope>> pieces = new ArrayList<>();
        List<EventEnvelope> piece = new ArrayList<>();
        Set<String> aggregates = new HashSet<>();
        for (EventEnvelope event : events) {
            if (!aggregates.add(event.aggregateId())) {
                pieces.add(piece);
                piece = new ArrayList<>();
                aggregates.clear();
                aggregates.add(event.aggregateId());
            }
            piece.add(event);
        }
        pieces.add(piece);
        return pieces;
    }

    private Uni<Void> applyPiece(SqlConnection transaction, List<EventEnvelope> piece) {
        List<UserState> announced = new ArrayList<>();
        List<UUID> announcedOrgs = new ArrayList<>();
        List<UUID> deletedUsers = new ArrayList<>();
        List<UUID> ended = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        List<GroupState> groups = new ArrayList<>();
        List<UUID> groupOrgs = new ArrayList<>();
        List<UUID> deletedGroups = new ArrayList<>();
        for (EventEnvelope event : piece) {
            if (event.payload() instanceof UserState user) {
                announced.add(user);
                announcedOrgs.add(event.orgId().value());
                if (!user.active()) {
                    ended.add(user.id());
                    reasons.add("user-inactive");
                }
            } else if (event.payload() instanceof UserDeleted deleted) {
                deletedUsers.add(deleted.id());
                ended.add(deleted.id());
                reasons.add("user-deleted");
            } else if (event.payload() instanceof GroupState group) {
                groups.add(group);
                groupOrgs.add(event.orgId().value());
            } else if (event.payload() instanceof GroupDeleted group) {
                deletedGroups.add(group.id());
            }
        }
        // of the users announcing one e-mail, the latest holds it (one login identity per e-mail)
        Map<String, Integer> holders = new HashMap<>();
        for (int i = 0; i < announced.size(); i++) {
            if (announced.get(i).email() != null) {
                holders.put(announcedOrgs.get(i) + " " + announced.get(i).email().toLowerCase(Locale.ROOT), i);
            }
        }
        List<LoginDirectory.Announced> users = new ArrayList<>(announced.size());
        for (int i = 0; i < announced.size(); i++) {
            UserState user = announced.get(i);
            boolean holds = user.email() != null
                    && holders.get(announcedOrgs.get(i) + " " + user.email().toLowerCase(Locale.ROOT)) == i;
            users.add(new LoginDirectory.Announced(announcedOrgs.get(i), user, holds ? user.email() : null));
        }
        return directory.takeOverJustInTime(transaction, users)
                .call(taken -> transferTakenOver(transaction, users, taken))
                .chain(() -> directory.releaseEmails(transaction, users))
                .chain(() -> directory.deleteUsers(transaction, deletedUsers))
                .chain(() -> directory.upsertUsers(transaction, users))
                .chain(() -> ended.isEmpty() ? Uni.createFrom().voidItem() : endAll(transaction, ended, reasons))
                .chain(() -> directory.deleteGroups(transaction, deletedGroups))
                .chain(() -> directory.upsertGroups(transaction, groupOrgs, groups));
    }

    /** The sessions and grants of just-in-time users taken over follow the directory user (rare: one by one). */
    private Uni<Void> transferTakenOver(SqlConnection transaction, List<LoginDirectory.Announced> users,
            List<List<UUID>> taken) {
        Uni<Void> moved = Uni.createFrom().voidItem();
        for (int i = 0; i < taken.size(); i++) {
            List<UUID> from = taken.get(i);
            UUID to = users.get(i).user().id();
            if (!from.isEmpty()) {
                moved = moved.chain(() -> sessions.transfer(transaction, from, to))
                        .chain(() -> logouts.transferGrants(transaction, from, to));
            }
        }
        return moved;
    }

    /** Every way in of these users ends: sessions, apps' grants, and a back-channel logout owed to each app. */
    private Uni<Void> endAll(SqlConnection transaction, List<UUID> userIds, List<String> reasons) {
        return sessions.revokeUsers(transaction, userIds, reasons)
                .chain(() -> logouts.recordForUsers(transaction, userIds))
                .invoke(recorded -> {
                    if (recorded > 0) {
                        delivery.expectDue();
                    }
                }).replaceWithVoid();
    }
}
