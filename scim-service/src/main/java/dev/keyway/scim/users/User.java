package dev.keyway.scim.users;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.scim.protocol.schema.ScimSchemas;

/** A user of the store: the canonical SCIM document and what the store keeps beside it. */
public record User(
        UUID id,
        String userName,
        boolean active,
        UUID departmentId,
        ObjectNode attributes,
        long version,
        String managedBy,
        Instant created,
        Instant lastModified) {

    /** The columns written from a canonical document on every change. */
    public record Columns(String userName, String externalId, boolean active, String displayName, String givenName,
            String familyName, String email, String[] emails, String department) {

        public static Columns of(ObjectNode document) {
            List<String> emails = new ArrayList<>();
            String primary = null;
            for (JsonNode email : document.path("emails")) {
                String value = email.path("value").asText("").toLowerCase(Locale.ROOT);
                if (!value.isEmpty()) {
                    emails.add(value);
                    if (primary == null && email.path("primary").asBoolean(false)) {
                        primary = value;
                    }
                }
            }
            if (primary == null && !emails.isEmpty()) {
                primary = emails.get(0);
            }
            return new Columns(document.path("userName").asText(), text(document.path("externalId")),
                    document.path("active").asBoolean(true), text(document.path("displayName")),
                    text(document.path("name").path("givenName")), text(document.path("name").path("familyName")),
                    primary, emails.toArray(String[]::new),
                    text(document.path(ScimSchemas.ENTERPRISE_USER_URN).path("department")));
        }
    }

    /** A text attribute of the document; null when it is missing or null. */
    static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    /** A group the user belongs to, as the user's {@code groups} attribute shows it. */
    public record GroupRef(UUID id, String displayName) {
    }
}
