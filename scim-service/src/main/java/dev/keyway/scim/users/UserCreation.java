package dev.keyway.scim.users;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.common.event.DepartmentState;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.UserState;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.scim.departments.Departments;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import dev.keyway.scim.setevents.SecurityEventLog;
import dev.keyway.scim.token.ScimCaller.Tenant;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What {@code POST /Users} writes, as one statement (one round trip, one commit, no BEGIN of its own): the department
 * the document names, found or created with its event; the user; the user's event in the outbox; its SET in the event
 * log, queued for every receiver that wants it. It spans the department, user, outbox and event-log tables on purpose:
 * done step by step in a transaction, these were six commands, each waiting for the one before.
 *
 * <p>The rules are those of the steps: a name merges into the department of that name, any case, and a disabled
 * department receives no user sync ({@link Departments}); a new aggregate's first event is its number 1
 * ({@link Outbox.FirstEvent}); a new subject's first SET is a create ({@link SecurityEventLog#newUser}). A taken
 * userName fails the statement, and nothing of it is written.
 */
@ApplicationScoped
public class UserCreation {

    // Data-modifying CTEs all run, once, on one snapshot; each step sees the earlier ones only through RETURNING.
    private static final String CREATE = """
            with new_department as (
                insert into department (id, org_id, name) select $14::uuid, $2::uuid, $15::text where $15 is not null
                on conflict (org_id, lower(name)) do nothing
                returning id, name, enabled
            ), named_department as (
                select id, name, enabled from new_department
                union all
                select id, name, enabled from department
                where org_id = $2 and lower(name) = lower($15) and not exists (select 1 from new_department)
            ), writable as (
                -- a department another POST created, committing while this statement waited for it, is not in this
                -- statement's snapshot: then nothing is written, and the statement runs again
                select 1 where $15 is null or exists (select 1 from named_department)
            ), assigned as (
                select id, name from named_department where enabled
            ), new_user as (
                insert into scim_user (id, org_id, user_name, external_id, active, display_name, given_name,
                    family_name, email, emails_lower, department_id, attributes, version, managed_by, created_at,
                    updated_at)
                select $1::uuid, $2, $3::text, $4::text, $5::boolean, $6::text, $7::text, $8::text, $9::text,
                       $10::text[], (select id from assigned), $11::text::jsonb, 1, $12::text, $13::timestamptz, $13
                from writable
                returning id
            ), first_sequences as (
                insert into outbox_sequence (aggregate_id, last_sequence)
                select id::text, 1 from new_department union all select id::text, 1 from new_user
            ), events as (
                -- in this order: the department before the user who names it
                insert into outbox (event_id, topic, event_type, aggregate_id, payload, traceparent, tracestate)
                select $16::uuid, $17::text, $18::text, id::text, $19::text, $27::text, $28::text from new_department
                union all
                select $20::uuid, $21::text, $22::text, id::text,
                       $23::text || coalesce(to_json((select name from assigned))::text, 'null') || $24::text, $27, $28
                from new_user
            ), subject as (
                insert into set_subject (subject, active, deleted, last_sequence)
                select $25::text, $5, false, 1 from new_user
            ), logged as (
                insert into set_event (jti, txn, org_id, subject, sequence, event_uris, payload)
                select $20, pg_current_xact_id()::text, $2, $25, 1, $26::text[], $29::text from new_user
                returning id
            ), queued as (
                insert into set_delivery (receiver_id, event_id, subject)
                select r.id, logged.id, $25 from logged cross join event_receiver r
                where (r.org_ids is null or $2 = any (r.org_ids)) and (r.event_uris is null or r.event_uris && $26)
            )
            select exists (select 1 from new_user) as written, (select id from assigned) as department_id""";

    /** Where the user's event leaves the department's name to the statement (the name as the store spells it). */
    private static final String DEPARTMENT_FIELD = "\"department\":";
    private static final String NO_DEPARTMENT = DEPARTMENT_FIELD + "null";

    private final Pool pool;
    private final Outbox outbox;
    private final SecurityEventLog log;

    public UserCreation(Pool pool, Outbox outbox, SecurityEventLog log) {
        this.pool = pool;
        this.outbox = outbox;
        this.log = log;
    }

    /** Writes a new user from its canonical document; fails as {@link UserRepository#isUserNameTaken} if it is. */
    public Uni<User> create(Tenant tenant, UUID id, ObjectNode document, String managedBy) {
        User.Columns columns = User.Columns.of(document);
        // the service's clock, not the database's: the user's SET carries the time, and this statement writes it
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Tuple values = values(tenant, id, document, columns, managedBy, now);
        return write(values).onItem().ifNull().switchTo(() -> write(values))
                .onItem().ifNull().failWith(() -> new IllegalStateException(
                        "the department of new user " + id + " stayed out of the statement's sight twice"))
                .map(row -> {
                    outbox.wakeRelay();
                    return new User(id, columns.userName(), columns.active(), row.getUUID("department_id"), document,
                            1, managedBy, now, now);
                });
    }

    /** The statement's row, or null when it wrote nothing (see {@code writable}). */
    private Uni<Row> write(Tuple values) {
        return pool.preparedQuery(CREATE).execute(values).map(rows -> {
            Row row = rows.iterator().next();
            return row.getBoolean("written") ? row : null;
        });
    }

    private Tuple values(Tenant tenant, UUID id, ObjectNode document, User.Columns columns, String managedBy,
            Instant now) {
        Tuple values = UserRepository.columnValues(id, tenant.orgId(), columns).addString(document.toString())
                .addString(managedBy).addOffsetDateTime(now.atOffset(ZoneOffset.UTC));
        String department = Departments.name(columns.department());
        if (department == null) {
            values.addValue(null).addValue(null).addValue(null).addValue(null).addValue(null).addValue(null);
        } else {
            UUID departmentId = UUID.randomUUID();
            Outbox.FirstEvent created = Outbox.FirstEvent.of(EventType.DEPARTMENT_UPSERTED, tenant.org(),
                    tenant.region(), departmentId.toString(), new DepartmentState(departmentId, department, true));
            values.addUUID(departmentId).addString(department).addUUID(created.id()).addString(created.topic())
                    .addString(created.type()).addString(created.json());
        }
        Outbox.FirstEvent event = Outbox.FirstEvent.of(EventType.USER_UPSERTED, tenant.org(), tenant.region(),
                id.toString(), state(id, document, columns));
        // the envelope's fields and the state's before it hold no "department" key, and no string value can hold
        // an unescaped quote: the first occurrence is the state's own field, written as null
        int field = event.json().indexOf(NO_DEPARTMENT);
        if (field < 0) {
            throw new IllegalStateException("user event " + event.id() + " was written without its department");
        }
        SecurityEventLog.Entry set = log.newUser(id, document, now);
        return values.addUUID(event.id()).addString(event.topic()).addString(event.type())
                .addString(event.json().substring(0, field + DEPARTMENT_FIELD.length()))
                .addString(event.json().substring(field + NO_DEPARTMENT.length()))
                .addString(set.subject()).addArrayOfString(set.eventUris())
                .addString(event.traceparent()).addString(event.tracestate())
                .addString(set.payload());
    }

    /** The user's state as its event tells it, the department left out (the statement fills it in). */
    private static UserState state(UUID id, ObjectNode document, User.Columns columns) {
        return new UserState(id, columns.userName(), columns.externalId(), columns.givenName(), columns.familyName(),
                columns.displayName(), columns.email(), columns.active(), User.text(document.path("title")), null,
                User.text(document.path(ScimSchemas.ENTERPRISE_USER_URN).path("employeeNumber")), List.of());
    }
}
