package dev.keyway.scim.requestlog;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The {@code scim_request} table. */
@ApplicationScoped
public class RequestLogRepository {

    /** Many rows in one statement: one array per column, unnested in step. */
    private static final String INSERT = """
            insert into scim_request (org_id, at, method, path, status, scim_type, detail, user_id, user_name, token_id)
            select * from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::int2[], $6::text[],
                                 $7::text[], $8::text[], $9::text[], $10::uuid[])""";
    private static final String FIND = """
            select org_id, at, method, path, status, scim_type, detail, user_id, user_name, token_id
            from scim_request
            where org_id = $1
              and ($2::timestamptz is null or at >= $2)
              and ($3::timestamptz is null or at < $3)
              and ($4::text is null or user_id = $4 or strpos(lower(user_name), lower($4)) > 0)
              and ($5::boolean is null or (status < 400) = $5)
            order by at desc, id desc
            limit $6""";
    private static final String EXPIRE = """
            delete from scim_request where id in (
                select id from scim_request where at < now() - make_interval(secs => $1) limit 5000)""";

    /** What the owner asked for; null parts do not filter. */
    public record Query(UUID orgId, Instant since, Instant until, String user, Boolean succeeded, int limit) {
    }

    private final Pool pool;

    public RequestLogRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(List<ScimRequest> entries) {
        int size = entries.size();
        UUID[] orgs = new UUID[size];
        OffsetDateTime[] times = new OffsetDateTime[size];
        String[] methods = new String[size];
        String[] paths = new String[size];
        Short[] statuses = new Short[size];
        String[] scimTypes = new String[size];
        String[] details = new String[size];
        String[] userIds = new String[size];
        String[] userNames = new String[size];
        UUID[] tokens = new UUID[size];
        for (int i = 0; i < size; i++) {
            ScimRequest entry = entries.get(i);
            orgs[i] = entry.orgId();
            times[i] = entry.at().atOffset(ZoneOffset.UTC);
            methods[i] = entry.method();
            paths[i] = entry.path();
            statuses[i] = (short) entry.status();
            scimTypes[i] = entry.scimType();
            details[i] = entry.detail();
            userIds[i] = entry.userId();
            userNames[i] = entry.userName();
            tokens[i] = entry.tokenId();
        }
        Tuple columns = Tuple.tuple().addArrayOfUUID(orgs).addArrayOfOffsetDateTime(times).addArrayOfString(methods)
                .addArrayOfString(paths).addArrayOfShort(statuses).addArrayOfString(scimTypes)
                .addArrayOfString(details).addArrayOfString(userIds).addArrayOfString(userNames)
                .addArrayOfUUID(tokens);
        return pool.preparedQuery(INSERT).execute(columns).replaceWithVoid();
    }

    public Uni<List<ScimRequest>> find(Query query) {
        Tuple parameters = Tuple.tuple().addUUID(query.orgId())
                .addOffsetDateTime(query.since() == null ? null : query.since().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(query.until() == null ? null : query.until().atOffset(ZoneOffset.UTC))
                .addString(query.user()).addBoolean(query.succeeded()).addInteger(query.limit());
        return pool.preparedQuery(FIND).execute(parameters).map(rows -> {
            List<ScimRequest> found = new ArrayList<>(rows.size());
            for (Row row : rows) {
                found.add(new ScimRequest(row.getUUID("org_id"), row.getOffsetDateTime("at").toInstant(),
                        row.getString("method"), row.getString("path"), row.getShort("status"),
                        row.getString("scim_type"), row.getString("detail"), row.getString("user_id"),
                        row.getString("user_name"), row.getUUID("token_id")));
            }
            return found;
        });
    }

    /** Deletes one batch of entries older than {@code age}; answers how many. */
    public Uni<Integer> expire(Duration age) {
        return pool.preparedQuery(EXPIRE).execute(Tuple.of((double) age.toSeconds())).map(rows -> rows.rowCount());
    }
}
