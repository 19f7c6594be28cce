package dev.keyway.scim.discovery;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.scim.bulk.BulkService;
import dev.keyway.scim.protocol.ListQuery;
import dev.keyway.scim.protocol.ListResponse;
import dev.keyway.scim.protocol.ScimJson;
import dev.keyway.scim.protocol.schema.Attribute;
import dev.keyway.scim.protocol.schema.ResourceType;
import dev.keyway.scim.protocol.schema.Schema;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import dev.keyway.scim.setevents.ScimEventUris;

/**
 * What this server supports (RFC 7644 §4), rendered from the same definitions that validate requests, so it cannot
 * drift from the truth. Group support follows the organization's setting.
 */
@ApplicationScoped
public class DiscoveryService {

    /** Our extension of ServiceProviderConfig: whether this organization has group management switched on. */
    public static final String KEYWAY_CONFIG_URN = "urn:keyway:params:scim:ServiceProviderConfig";

    /** Announced in ServiceProviderConfig; the HTTP layer enforces quarkus.http.limits.max-body-size (1 MiB). */
    public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

    private final String baseUrl;

    public DiscoveryService(Deployment deployment) {
        this.baseUrl = deployment.ownUrl() + "/scim/v2";
    }

    /** What this server supports, for an organization with or without group management. */
    public ObjectNode serviceProviderConfig(boolean groupsEnabled) {
        ObjectNode config = ScimJson.object();
        config.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig")
                .add(KEYWAY_CONFIG_URN);
        config.put("documentationUri", "https://datatracker.ietf.org/doc/html/rfc7644");
        config.putObject("patch").put("supported", true);
        config.putObject("bulk").put("supported", true).put("maxOperations", BulkService.MAX_OPERATIONS)
                .put("maxPayloadSize", MAX_PAYLOAD_BYTES);
        config.putObject("filter").put("supported", true).put("maxResults", ListQuery.MAX_RESULTS);
        config.putObject("changePassword").put("supported", false);
        config.putObject("sort").put("supported", true);
        config.putObject("etag").put("supported", true);
        // RFC 9865: cursor paging on /Users and /Groups (cursors hold the last id, so they never expire)
        config.putObject("pagination").put("cursor", true).put("index", true)
                .put("defaultPaginationMethod", "index").put("defaultPageSize", ListQuery.DEFAULT_COUNT)
                .put("maxPageSize", ListQuery.MAX_RESULTS);
        // RFC 9967: the SCIM events Keyway emits (pushed or polled per receiver, see /admin/event-receivers); no
        // asynchronous SCIM requests
        ObjectNode securityEvents = config.putObject("securityEvents").put("asyncRequest", "none");
        ScimEventUris.EMITTED.forEach(securityEvents.putArray("eventUris")::add);
        config.putArray("authenticationSchemes").addObject()
                .put("type", "oauthbearertoken")
                .put("name", "OAuth Bearer Token")
                .put("description", "The SCIM token generated in Keyway's settings, as 'Authorization: Bearer "
                        + "<token>' (or '<apiKey>:<token>').")
                .put("specUri", "https://www.rfc-editor.org/info/rfc6750")
                .put("primary", true);
        config.putObject(KEYWAY_CONFIG_URN).putObject("groupManagement")
                .put("enabled", groupsEnabled);
        config.putObject("meta").put("resourceType", "ServiceProviderConfig")
                .put("location", baseUrl + "/ServiceProviderConfig");
        return config;
    }

    public ListResponse resourceTypes(boolean groupsEnabled) {
        List<ObjectNode> types = resourceTypeList(groupsEnabled).map(this::resourceType).toList();
        return ListResponse.of(types.size(), 1, types);
    }

    /** The resource type of that name (case-insensitive), if it is served. */
    public Optional<ObjectNode> resourceType(boolean groupsEnabled, String name) {
        return resourceTypeList(groupsEnabled).filter(type -> type.name().equalsIgnoreCase(name)).findFirst()
                .map(this::resourceType);
    }

    public ListResponse schemas(boolean groupsEnabled) {
        List<ObjectNode> schemas = schemaList(groupsEnabled).map(this::schema).toList();
        return ListResponse.of(schemas.size(), 1, schemas);
    }

    /** The schema of that id (case-insensitive), if it is served. */
    public Optional<ObjectNode> schema(boolean groupsEnabled, String id) {
        return schemaList(groupsEnabled).filter(schema -> schema.id().equalsIgnoreCase(id)).findFirst()
                .map(this::schema);
    }

    private static Stream<ResourceType> resourceTypeList(boolean groupsEnabled) {
        return groupsEnabled ? Stream.of(ScimSchemas.USERS, ScimSchemas.GROUPS) : Stream.of(ScimSchemas.USERS);
    }

    private static Stream<Schema> schemaList(boolean groupsEnabled) {
        return resourceTypeList(groupsEnabled).flatMap(type -> type.schemas().stream());
    }

    private ObjectNode resourceType(ResourceType type) {
        ObjectNode node = ScimJson.object();
        node.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ResourceType");
        node.put("id", type.name()).put("name", type.name()).put("endpoint", type.endpoint())
                .put("description", type.description()).put("schema", type.core().id());
        ArrayNode extensions = node.putArray("schemaExtensions");
        type.extensions().forEach(extension -> extensions.addObject().put("schema", extension.id())
                .put("required", false));
        node.putObject("meta").put("resourceType", "ResourceType")
                .put("location", baseUrl + "/ResourceTypes/" + type.name());
        return node;
    }

    private ObjectNode schema(Schema schema) {
        ObjectNode node = ScimJson.object();
        node.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Schema");
        node.put("id", schema.id()).put("name", schema.name()).put("description", schema.description());
        ArrayNode attributes = node.putArray("attributes");
        schema.attributes().forEach(attribute -> attributes.add(attribute(attribute)));
        node.putObject("meta").put("resourceType", "Schema").put("location", baseUrl + "/Schemas/" + schema.id());
        return node;
    }

    private static ObjectNode attribute(Attribute attribute) {
        ObjectNode node = ScimJson.object()
                .put("name", attribute.name())
                .put("type", attribute.type().wire)
                .put("multiValued", attribute.multiValued())
                .put("description", attribute.description())
                .put("required", attribute.required())
                .put("caseExact", attribute.caseExact())
                .put("mutability", attribute.mutability().wire)
                .put("returned", attribute.returned().wire)
                .put("uniqueness", attribute.uniqueness().wire);
        if (!attribute.canonicalValues().isEmpty()) {
            ArrayNode values = node.putArray("canonicalValues");
            attribute.canonicalValues().forEach(values::add);
        }
        if (!attribute.referenceTypes().isEmpty()) {
            ArrayNode types = node.putArray("referenceTypes");
            attribute.referenceTypes().forEach(types::add);
        }
        if (attribute.isComplex()) {
            ArrayNode subAttributes = node.putArray("subAttributes");
            attribute.subAttributes().forEach(sub -> subAttributes.add(attribute(sub)));
        }
        return node;
    }
}
