package dev.keyway.scim.receivers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.keyway.runtime.log.LogSafe;
import dev.keyway.scim.setevents.SecurityEventsConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * RFC 8936 poll delivery: acknowledgements delete from the receiver's backlog, then the oldest unacknowledged SETs
 * are returned, in log order (a SET not acknowledged comes again in the next response). Within a response, a
 * receiver applies one resource's SETs by their {@code sequence}.
 */
@ApplicationScoped
public class PollService {

    private static final Logger LOG = Logger.getLogger(PollService.class);
    private static final int DEFAULT_MAX_EVENTS = 100;

    private static final String ACKNOWLEDGE = """
            delete from set_delivery d using set_event e
            where d.receiver_id = $1 and d.event_id = e.id and e.jti = any ($2)""";
    private static final String PENDING = """
            select d.event_id, d.attempts, e.jti, e.txn, e.org_id, e.subject, e.sequence, e.payload, e.occurred_at
            from set_delivery d join set_event e on e.id = d.event_id
            where d.receiver_id = $1 order by d.event_id limit $2""";
    private static final String STAMP = """
            update event_receiver set last_delivered_at = now(),
                last_error = coalesce($2, last_error), last_error_at = case when $2 is null then last_error_at else now() end
            where id = $1""";

    /** The SETs of a response, by jti, and whether more wait. */
    public record Polled(Map<String, String> sets, boolean moreAvailable) {
    }

    private final Pool pool;
    private final SetTokens tokens;
    private final SecurityEventsConfig config;

    public PollService(Pool pool, SetTokens tokens, SecurityEventsConfig config) {
        this.pool = pool;
        this.tokens = tokens;
        this.config = config;
    }

    public Uni<Polled> poll(Receiver receiver, PollRequest request) {
        List<UUID> acknowledged = new ArrayList<>();
        if (request.ack() != null) {
            request.ack().forEach(jti -> parse(jti, acknowledged));
        }
        String error = null;
        if (request.setErrs() != null) {
            for (Map.Entry<String, PollRequest.SetError> refused : request.setErrs().entrySet()) {
                parse(refused.getKey(), acknowledged);
                error = "SET " + refused.getKey() + " refused: " + refused.getValue().err()
                        + (refused.getValue().description() == null ? ""
                                : " (" + refused.getValue().description() + ")");
                LOG.infof("Event receiver %s refused a SET: %s", receiver.name(), LogSafe.value(error));
            }
        }
        int limit = Math.min(config.maxPollEvents(),
                request.maxEvents() == null ? DEFAULT_MAX_EVENTS : request.maxEvents());
        String lastError = error;
        return pool.withTransaction(transaction -> transaction.preparedQuery(ACKNOWLEDGE)
                .execute(Tuple.of(receiver.id(), acknowledged.toArray(UUID[]::new)))
                .chain(() -> transaction.preparedQuery(STAMP).execute(Tuple.of(receiver.id(), lastError))))
                .chain(() -> limit == 0 ? Uni.createFrom().item(List.<ReceiverRepository.Pending>of())
                        : pool.preparedQuery(PENDING).execute(Tuple.of(receiver.id(), limit + 1)).map(rows -> {
                            List<ReceiverRepository.Pending> pending = new ArrayList<>();
                            for (Row row : rows) {
                                pending.add(ReceiverRepository.pending(row));
                            }
                            return pending;
                        }))
                .chain(pending -> {
                    boolean more = pending.size() > limit;
                    List<ReceiverRepository.Pending> page = more ? pending.subList(0, limit) : pending;
                    if (page.isEmpty()) {
                        return Uni.createFrom().item(new Polled(Map.of(), more));
                    }
                    return Multi.createFrom().iterable(page)
                            .onItem().transformToUniAndConcatenate(event -> tokens.token(event, receiver.audience())
                                    .map(token -> Map.entry(event.jti().toString(), token)))
                            .collect().in(LinkedHashMap<String, String>::new, (map, entry) -> map.put(entry.getKey(),
                                    entry.getValue()))
                            .map(sets -> new Polled(sets, more));
                });
    }

    /** An acknowledgement of something Keyway never issued is ignored, as RFC 8936 allows. */
    private static void parse(String jti, List<UUID> into) {
        try {
            into.add(UUID.fromString(jti));
        } catch (IllegalArgumentException e) {
            // not one of ours
        }
    }
}
