package dev.keyway.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The pool's connections keep long statements prepared: the writes that are one statement (a new SCIM user, the
 * ACS's sign-in) run 3,000 characters of SQL, which Vert.x alone would parse and plan again at every call.
 */
@QuarkusTest
@WithTestResource(value = KeywayTestStack.class, initArgs = @ResourceArg(name = "trustTestAdminTokens", value = "true"))
class PreparedStatementsTest {

    @Inject
    Pool pool;

    @Test
    void aStatementAsLongAsTheOneStatementWritesStaysPreparedOnItsConnection() {
        String statement = "select $1::int + 1 as answer -- " + "as long as a new user's statement ".repeat(90);
        long kept = pool.withConnection(connection -> connection.preparedQuery(statement).execute(Tuple.of(41))
                .chain(() -> connection.preparedQuery(statement).execute(Tuple.of(41)))
                .chain(() -> connection.preparedQuery(
                        "select count(*) from pg_prepared_statements where statement = $1")
                        .execute(Tuple.of(statement)))
                .map(rows -> rows.iterator().next().getLong(0)))
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(1, kept, "prepared once, on the connection, for the next call");
    }
}
