package dev.keyway.scim.setevents;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.common.tenant.OrgId;
import dev.keyway.scim.protocol.ETags;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import dev.keyway.scim.users.User;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes the directory's changes as SCIM events (RFC 9967) into the event log, in the transaction of the change, and
 * queues them for every receiver that wants them. Users travel as their full state ({@code put:full}, with
 * {@code activate} or {@code deactivate} when {@code active} flipped); a group's membership as a {@code patch:full} of
 * the group naming only the members that changed, so a change of a large group stays small.
 */
@ApplicationScoped
public class SecurityEventLog {

    private static final String USER_STATE = """
            select u.external_id, u.active, u.version, u.attributes::text as attributes, u.created_at, u.updated_at,
                   coalesce((select jsonb_agg(jsonb_build_object('value', g.id::text, 'display', g.display_name,
                                                                 'type', 'direct') order by g.id)
                             from group_member gm join scim_group g on g.id = gm.group_id and g.deleted_at is null
                             where gm.user_id = u.id), '[]'::jsonb)::text as groups,
                   s.active as previously_active, s.subject is not null and not s.deleted as known
            from scim_user u left join set_subject s on s.subject = $2
            where u.id = $1 and u.deleted_at is null""";
    private static final String GROUP_STATE = """
            select g.external_id, g.version, g.attributes::text as attributes, g.created_at, g.updated_at,
                   s.subject is not null and not s.deleted as known
            from scim_group g left join set_subject s on s.subject = $2
            where g.id = $1 and g.deleted_at is null""";
    private static final String MEMBERSHIP = """
            select m.id, exists (select 1 from group_member gm where gm.group_id = $1 and gm.user_id = m.id) as member
            from unnest($2::uuid[]) as m (id) order by m.id""";
    /**
     * The subject's next sequence (its row lock orders concurrent writers of one resource), the event, and a
     * delivery row for each receiver that takes this organization and one of these event types.
     */
    private static final String APPEND = """
            with subject as (
                insert into set_subject as s (subject, active, deleted, last_sequence) values ($3, $4, $5, 1)
                on conflict (subject) do update set active = excluded.active, deleted = excluded.deleted,
                    last_sequence = s.last_sequence + 1
                returning last_sequence),
            event as (
                insert into set_event (jti, txn, org_id, subject, sequence, event_uris, payload)
                select $1, pg_current_xact_id()::text, $2, $3, subject.last_sequence, $6, $7 from subject
                returning id)
            insert into set_delivery (receiver_id, event_id, subject)
            select r.id, event.id, $3 from event cross join event_receiver r
            where (r.org_ids is null or $2 = any (r.org_ids)) and (r.event_uris is null or r.event_uris && $6)""";

    private final ObjectMapper json;

    public SecurityEventLog(ObjectMapper json) {
        this.json = json;
    }

    /**
     * A user was written (created, replaced, patched, imported, joined or left a group): its state now. The first
     * event of a user is a create; later ones a put, with activate or deactivate when {@code active} changed.
     *
     * @param jti the id of the SET; the id of the user's event on keyway.directory.v1, so both name one change
     */
    public Uni<Void> userChanged(SqlConnection transaction, OrgId org, UUID userId, UUID jti) {
        String subject = "/Users/" + userId;
        return transaction.preparedQuery(USER_STATE).execute(Tuple.of(userId, subject)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().voidItem();
            }
            Row row = rows.iterator().next();
            boolean active = row.getBoolean("active");
            ObjectNode full = userState(userId, (ObjectNode) read(row.getString("attributes")), active,
                    (ArrayNode) read(row.getString("groups")), row.getLong("version"),
                    row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
            ObjectNode events = json.createObjectNode();
            if (!row.getBoolean("known")) {
                events.set(ScimEventUris.CREATE_FULL, full);
            } else {
                events.set(ScimEventUris.PUT_FULL, full);
                Boolean before = row.getBoolean("previously_active");
                if (before != null && before != active) {
                    events.putObject(active ? ScimEventUris.ACTIVATE : ScimEventUris.DEACTIVATE);
                }
            }
            return append(transaction, jti, org, subject, row.getString("external_id"), active, false, events);
        });
    }

    /**
     * The SET of a user being created, from what is written: new, in no group yet, nothing to read back. The caller
     * writes it in the statement that creates the user ({@code UserCreation}) as this log's own append would, under
     * the id of the user's event: the subject is new, so its sequence is 1.
     */
    public Entry newUser(UUID id, ObjectNode attributes, Instant created) {
        User.Columns columns = User.Columns.of(attributes);
        ObjectNode events = json.createObjectNode();
        events.set(ScimEventUris.CREATE_FULL,
                userState(id, attributes, columns.active(), json.createArrayNode(), 1, created, created));
        return entry("/Users/" + id, columns.externalId(), events);
    }

    /** A SET to write, its id aside: the resource it tells of, its event URIs and its claims as JSON. */
    public record Entry(String subject, String[] eventUris, String payload) {
    }

    private ObjectNode userState(UUID id, ObjectNode attributes, boolean active, ArrayNode groups, long version,
            Instant created, Instant updated) {
        ObjectNode data = resource(attributes, ScimSchemas.USER_URN, "User", id, version, created, updated);
        data.put("active", active);
        if (!groups.isEmpty()) {
            data.set("groups", groups);
        }
        ObjectNode full = json.createObjectNode().put("version", ETags.of(version));
        full.set("data", data);
        return full;
    }

    public Uni<Void> userDeleted(SqlConnection transaction, OrgId org, UUID userId, UUID jti) {
        return deleted(transaction, org, "/Users/" + userId, jti);
    }

    /** A group was created or its attributes changed: its state without members (they travel as patches). */
    public Uni<Void> groupChanged(SqlConnection transaction, OrgId org, UUID groupId, UUID jti) {
        String subject = "/Groups/" + groupId;
        return transaction.preparedQuery(GROUP_STATE).execute(Tuple.of(groupId, subject)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().voidItem();
            }
            Row row = rows.iterator().next();
            ObjectNode full = json.createObjectNode().put("version", ETags.of(row.getLong("version")));
            full.set("data", resource(row, ScimSchemas.GROUP_URN, "Group", groupId));
            ObjectNode events = json.createObjectNode();
            events.set(row.getBoolean("known") ? ScimEventUris.PUT_FULL : ScimEventUris.CREATE_FULL, full);
            return append(transaction, jti, org, subject, row.getString("external_id"), null, false, events);
        });
    }

    public Uni<Void> groupDeleted(SqlConnection transaction, OrgId org, UUID groupId, UUID jti) {
        return deleted(transaction, org, "/Groups/" + groupId, jti);
    }

    /**
     * These users joined or left the group in this transaction: one {@code patch:full} of the group whose
     * operations add the members it has now and remove the others.
     */
    public Uni<Void> membersChanged(SqlConnection transaction, OrgId org, UUID groupId, Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String subject = "/Groups/" + groupId;
        return transaction.preparedQuery(MEMBERSHIP).execute(Tuple.of(groupId, userIds.toArray(UUID[]::new)))
                .chain(rows -> transaction.preparedQuery(GROUP_STATE).execute(Tuple.of(groupId, subject))
                        .chain(group -> {
                            if (group.size() == 0) {
                                return Uni.createFrom().voidItem();
                            }
                            Row state = group.iterator().next();
                            List<String> added = new ArrayList<>();
                            List<String> removed = new ArrayList<>();
                            for (Row row : rows) {
                                (row.getBoolean("member") ? added : removed).add(row.getUUID("id").toString());
                            }
                            ObjectNode patch = json.createObjectNode();
                            patch.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:PatchOp");
                            ArrayNode operations = patch.putArray("Operations");
                            if (!added.isEmpty()) {
                                ArrayNode value = operations.addObject().put("op", "add").put("path", "members")
                                        .putArray("value");
                                added.forEach(id -> value.addObject().put("value", id));
                            }
                            removed.forEach(id -> operations.addObject().put("op", "remove")
                                    .put("path", "members[value eq \"" + id + "\"]"));
                            ObjectNode events = json.createObjectNode();
                            ObjectNode full = events.putObject(ScimEventUris.PATCH_FULL)
                                    .put("version", ETags.of(state.getLong("version")));
                            full.set("data", patch);
                            return append(transaction, UUID.randomUUID(), org, subject,
                                    state.getString("external_id"), null, false, events);
                        }));
    }

    private Uni<Void> deleted(SqlConnection transaction, OrgId org, String subject, UUID jti) {
        ObjectNode events = json.createObjectNode();
        events.putObject(ScimEventUris.DELETE);
        return append(transaction, jti, org, subject, null, false, true, events);
    }

    private Uni<Void> append(SqlConnection transaction, UUID jti, OrgId org, String subject, String externalId,
            Boolean active, boolean deleted, ObjectNode events) {
        Entry entry = entry(subject, externalId, events);
        return transaction.preparedQuery(APPEND)
                .execute(Tuple.of(jti, org.value(), subject).addBoolean(active).addBoolean(deleted)
                        .addArrayOfString(entry.eventUris()).addString(entry.payload()))
                .replaceWithVoid();
    }

    private Entry entry(String subject, String externalId, ObjectNode events) {
        ObjectNode payload = json.createObjectNode();
        ObjectNode subjectId = payload.putObject("sub_id").put("format", "scim").put("uri", subject);
        if (externalId != null) {
            subjectId.put("externalId", externalId);
        }
        payload.set("events", events);
        List<String> uris = new ArrayList<>();
        events.fieldNames().forEachRemaining(uris::add);
        return new Entry(subject, uris.toArray(String[]::new), payload.toString());
    }

    /** The resource as SCIM shows it (schemas, id, its attributes, meta); the caller adds what is not stored. */
    private ObjectNode resource(Row row, String schema, String resourceType, UUID id) {
        return resource((ObjectNode) read(row.getString("attributes")), schema, resourceType, id,
                row.getLong("version"), row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("updated_at").toInstant());
    }

    private ObjectNode resource(ObjectNode attributes, String schema, String resourceType, UUID id, long version,
            Instant created, Instant updated) {
        ObjectNode data = json.createObjectNode();
        ArrayNode schemas = data.putArray("schemas").add(schema);
        if (attributes.has(ScimSchemas.ENTERPRISE_USER_URN)) {
            schemas.add(ScimSchemas.ENTERPRISE_USER_URN);
        }
        data.put("id", id.toString());
        data.setAll(attributes);
        data.putObject("meta").put("resourceType", resourceType)
                .put("created", created.toString()).put("lastModified", updated.toString())
                .put("version", ETags.of(version));
        return data;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not readable", e);
        }
    }
}
