package dev.keyway.scim.discovery;

import java.util.List;
import java.util.stream.Stream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.runtime.auth.Roles;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.scim.protocol.ListQuery;
import dev.keyway.scim.protocol.ListResponse;
import dev.keyway.scim.protocol.ScimException;
import dev.keyway.scim.protocol.ScimJson;
import dev.keyway.scim.protocol.ScimMediaType;
import dev.keyway.scim.protocol.patch.PatchOp;
import dev.keyway.scim.protocol.schema.Attribute;
import dev.keyway.scim.protocol.schema.ResourceType;
import dev.keyway.scim.protocol.schema.Schema;
import dev.keyway.scim.protocol.schema.ScimSchemas;
import dev.keyway.scim.token.ScimCaller;

/**
 * What this server supports (RFC 7644 §4), rendered from the same definitions that validate requests, so it cannot
 * drift from the truth. Group support follows the organization's setting.
 */
@Path("/scim/v2")
@Tag(name = "SCIM discovery")
@Produces({ ScimMediaType.SCIM_JSON, MediaType.APPLICATION_JSON })
@RolesAllowed(Roles.SCIM_CLIENT)
public class DiscoveryResource {

    /** Our extension of ServiceProviderConfig: whether this organization has group management switched on. */
    public static final String KEYWAY_CONFIG_URN = "urn:keyway:params:scim:ServiceProviderConfig";

    /** Announced in ServiceProviderConfig; the HTTP layer enforces quarkus.http.limits.max-body-size (1 MiB). */
    public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

    private final ScimCaller caller;
    private final String baseUrl;

    public DiscoveryResource(ScimCaller caller, Deployment deployment) {
        this.caller = caller;
        this.baseUrl = deployment.ownUrl() + "/scim/v2";
    }

    @GET
    @Path("ServiceProviderConfig")
    @Operation(summary = "What this SCIM server supports")
    public ObjectNode serviceProviderConfig() {
        ObjectNode config = ScimJson.object();
        config.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig")
                .add(KEYWAY_CONFIG_URN);
        config.put("documentationUri", "https://datatracker.ietf.org/doc/html/rfc7644");
        config.putObject("patch").put("supported", true);
        config.putObject("bulk").put("supported", true).put("maxOperations", dev.keyway.scim.bulk.BulkResource.MAX_OPERATIONS)
                .put("maxPayloadSize", MAX_PAYLOAD_BYTES);
        config.putObject("filter").put("supported", true).put("maxResults", ListQuery.MAX_RESULTS);
        config.putObject("changePassword").put("supported", false);
        config.putObject("sort").put("supported", true);
        config.putObject("etag").put("supported", true);
        config.putArray("authenticationSchemes").addObject()
                .put("type", "oauthbearertoken")
                .put("name", "OAuth Bearer Token")
                .put("description", "The SCIM token generated in Keyway's settings, as 'Authorization: Bearer "
                        + "<token>' (or '<apiKey>:<token>').")
                .put("specUri", "https://www.rfc-editor.org/info/rfc6750")
                .put("primary", true);
        config.putObject(KEYWAY_CONFIG_URN).putObject("groupManagement")
                .put("enabled", caller.tenant().groupsEnabled());
        config.putObject("meta").put("resourceType", "ServiceProviderConfig")
                .put("location", baseUrl + "/ServiceProviderConfig");
        return config;
    }

    @GET
    @Path("ResourceTypes")
    @Operation(summary = "The resource types served")
    public ListResponse resourceTypes() {
        List<ObjectNode> types = resourceTypeList().map(this::resourceType).toList();
        return ListResponse.of(types.size(), 1, types);
    }

    @GET
    @Path("ResourceTypes/{name}")
    public ObjectNode resourceType(@PathParam("name") String name) {
        return resourceTypeList().filter(type -> type.name().equalsIgnoreCase(name)).findFirst()
                .map(this::resourceType)
                .orElseThrow(() -> ScimException.notFound("No resource type '" + name + "'."));
    }

    @GET
    @Path("Schemas")
    @Operation(summary = "The schemas served (core User, Enterprise User, Group)")
    public ListResponse schemas() {
        List<ObjectNode> schemas = schemaList().map(this::schema).toList();
        return ListResponse.of(schemas.size(), 1, schemas);
    }

    @GET
    @Path("Schemas/{id}")
    public ObjectNode schema(@PathParam("id") String id) {
        return schemaList().filter(schema -> schema.id().equalsIgnoreCase(id)).findFirst().map(this::schema)
                .orElseThrow(() -> ScimException.notFound("No schema '" + id + "'."));
    }

    private Stream<ResourceType> resourceTypeList() {
        return caller.tenant().groupsEnabled() ? Stream.of(ScimSchemas.USERS, ScimSchemas.GROUPS)
                : Stream.of(ScimSchemas.USERS);
    }

    private Stream<Schema> schemaList() {
        return resourceTypeList().flatMap(type -> type.schemas().stream());
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
