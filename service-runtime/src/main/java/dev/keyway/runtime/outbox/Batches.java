package dev.keyway.runtime.outbox;

import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/** One statement over many rows, pipelined a thousand rows per batch, so a write of any size goes in bounded pieces. */
public final class Batches {

    private static final int SIZE = 1_000;

    private Batches() {
    }

    public static Uni<Void> execute(SqlConnection transaction, String sql, List<Tuple> rows) {
        Uni<Void> done = Uni.createFrom().voidItem();
        for (int from = 0; from < rows.size(); from += SIZE) {
            List<Tuple> batch = rows.subList(from, Math.min(rows.size(), from + SIZE));
            done = done.chain(() -> transaction.preparedQuery(sql).executeBatch(batch)).replaceWithVoid();
        }
        return done;
    }
}
