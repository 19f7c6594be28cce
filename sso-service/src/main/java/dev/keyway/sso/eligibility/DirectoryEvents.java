package dev.keyway.sso.eligibility;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.GroupDeleted;
import dev.keyway.common.event.GroupState;
import dev.keyway.common.event.UserDeleted;
import dev.keyway.common.event.UserState;
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

    private final Pool pool;
    private final IncomingEvents events;
    private final LoginDirectory directory;
    private final Sessions sessions;
    private final LogoutDeliveryRepository logouts;
    private final LogoutDelivery delivery;

    public DirectoryEvents(Pool pool, IncomingEvents events, LoginDirectory directory, Sessions sessions,
            LogoutDeliveryRepository logouts, LogoutDelivery delivery) {
        this.pool = pool;
        this.events = events;
        this.directory = directory;
        this.sessions = sessions;
        this.logouts = logouts;
        this.delivery = delivery;
    }

    @Incoming("directory")
    public Uni<Void> onDirectoryEvent(ConsumerRecord<String, String> record) {
        return events.apply(record, pool, this::apply).invoke(delivery::wakeIfDue);
    }

    Uni<Void> apply(SqlConnection transaction, EventEnvelope event) {
        UUID org = event.orgId().value();
        if (event.payload() instanceof UserState user) {
            Uni<Void> upsert = takeOver(transaction, org, user)
                    .chain(() -> directory.upsertUser(transaction, org, user));
            return user.active() ? upsert : upsert.chain(() -> ended(transaction, user.id(), "user-inactive"));
        }
        if (event.payload() instanceof UserDeleted deleted) {
            return directory.deleteUser(transaction, deleted.id())
                    .chain(() -> ended(transaction, deleted.id(), "user-deleted"));
        }
        if (event.payload() instanceof GroupState group) {
            return directory.upsertGroup(transaction, org, group);
        }
        if (event.payload() instanceof GroupDeleted group) {
            return directory.deleteGroup(transaction, group.id());
        }
        return Uni.createFrom().voidItem();
    }

    /** Every way in of the user ends: sessions, apps' grants, and a back-channel logout owed to each app. */
    private Uni<Void> ended(SqlConnection transaction, UUID userId, String reason) {
        return sessions.revokeUser(transaction, userId, reason)
                .chain(() -> logouts.recordForUser(transaction, userId))
                .invoke(recorded -> {
                    if (recorded > 0) {
                        delivery.expectDue();
                    }
                }).replaceWithVoid();
    }

    /** Makes the directory user the one identity for their e-mail: just-in-time twins and their sessions join it. */
    private Uni<Void> takeOver(SqlConnection transaction, UUID org, UserState user) {
        return directory.takeOverJustInTime(transaction, org, user)
                .call(taken -> sessions.transfer(transaction, taken, user.id()))
                .call(taken -> logouts.transferGrants(transaction, taken, user.id()))
                .chain(() -> directory.releaseEmail(transaction, org, user));
    }
}
