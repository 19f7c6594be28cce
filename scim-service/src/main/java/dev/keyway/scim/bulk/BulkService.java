package dev.keyway.scim.bulk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.scim.groups.GroupService;
import dev.keyway.scim.protocol.ETags;
import dev.keyway.scim.protocol.ScimError;
import dev.keyway.scim.protocol.ScimException;
import dev.keyway.scim.protocol.ScimJson;
import dev.keyway.scim.token.ScimCaller.Tenant;
import dev.keyway.scim.users.UserService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * RFC 7644 §3.7: several operations in one request, each in its own transaction, in order. A {@code bulkId:x}
 * value anywhere in an operation's data (or path) stands for the id of the resource an earlier operation created
 * with {@code bulkId} x; processing stops once {@code failOnErrors} operations have failed.
 */
@ApplicationScoped
public class BulkService {

    public static final int MAX_OPERATIONS = 1000;
    static final String REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
    static final String RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

    private static final Pattern PATH = Pattern.compile("/(Users|Groups)(?:/([^/]+))?");
    private static final Pattern REFERENCE = Pattern.compile("bulkId:([^/\\s]+)");

    private final UserService users;
    private final GroupService groups;
    private final String baseUrl;
    private final ObjectMapper json;

    public BulkService(UserService users, GroupService groups, Deployment deployment, ObjectMapper json) {
        this.users = users;
        this.groups = groups;
        this.json = json;
        this.baseUrl = deployment.ownUrl() + "/scim/v2";
    }

    /** One operation's outcome, as the BulkResponse lists it. */
    private record Outcome(ObjectNode entry, boolean failed) {
    }

    /** Runs a BulkRequest for the organization and answers with its BulkResponse. */
    public Uni<ObjectNode> run(Tenant tenant, JsonNode request) {
        JsonNode operations = request.isObject() ? request.get("Operations") : null;
        if (operations == null || !operations.isArray()) {
            throw ScimException.invalidSyntax("A BulkRequest needs an 'Operations' array.");
        }
        if (operations.size() > MAX_OPERATIONS) {
            throw new ScimException(Response.Status.REQUEST_ENTITY_TOO_LARGE, "tooMany",
                    "At most " + MAX_OPERATIONS + " operations per bulk request.");
        }
        JsonNode failOnErrorsValue = request.path("failOnErrors");
        boolean integer = failOnErrorsValue.isIntegralNumber() && failOnErrorsValue.canConvertToInt();
        if (!integer && !failOnErrorsValue.isMissingNode() && !failOnErrorsValue.isNull()) {
            throw ScimException.invalidValue("'failOnErrors' must be an integer.");
        }
        int failOnErrors = integer ? failOnErrorsValue.intValue() : Integer.MAX_VALUE;
        Map<String, String> createdIds = new HashMap<>();
        List<ObjectNode> results = new ArrayList<>();
        int[] failures = { 0 };
        return Multi.createFrom().iterable(operations)
                .onItem().transformToUniAndConcatenate(operation -> failures[0] >= failOnErrors
                        ? Uni.createFrom().<Outcome>nullItem()
                        : execute(tenant, operation, createdIds)
                                .invoke(outcome -> {
                                    results.add(outcome.entry());
                                    if (outcome.failed()) {
                                        failures[0]++;
                                    }
                                }))
                .collect().last()
                .map(done -> {
                    ObjectNode response = ScimJson.object();
                    response.putArray("schemas").add(RESPONSE_SCHEMA);
                    ArrayNode list = response.putArray("Operations");
                    results.forEach(list::add);
                    return response;
                });
    }

    private Uni<Outcome> execute(Tenant tenant, JsonNode operation, Map<String, String> createdIds) {
        String method = operation.path("method").asText("").toUpperCase(Locale.ROOT);
        String bulkId = operation.hasNonNull("bulkId") ? operation.get("bulkId").asText() : null;
        ObjectNode entry = ScimJson.object().put("method", method);
        if (bulkId != null) {
            entry.put("bulkId", bulkId);
        }
        try {
            Matcher path = PATH.matcher(resolve(TextNode.valueOf(operation.path("path").asText()), createdIds)
                    .asText());
            if (!path.matches()) {
                throw ScimException.invalidPath("Bulk paths are /Users, /Groups, /Users/{id} or /Groups/{id}.");
            }
            boolean isUser = path.group(1).equals("Users");
            String id = path.group(2);
            JsonNode data = operation.has("data") ? resolve(operation.get("data"), createdIds) : null;
            String version = operation.hasNonNull("version") ? operation.get("version").asText() : null;
            Uni<Result> result = switch (method) {
                case "POST" -> {
                    requireNoId(id, method);
                    yield isUser ? users.create(tenant, data).map(view -> new Result(201,
                            view.user().id().toString(), view.user().version()))
                            : groups.create(tenant, data).map(view -> new Result(201,
                                    view.group().id().toString(), view.group().version()));
                }
                case "PUT" -> isUser
                        ? users.replace(tenant, requireId(id, method), data, version)
                                .map(view -> new Result(200, id, view.user().version()))
                        : groups.replace(tenant, requireId(id, method), data, version)
                                .map(view -> new Result(200, id, view.group().version()));
                case "PATCH" -> isUser
                        ? users.patch(tenant, requireId(id, method), data, version)
                                .map(view -> new Result(200, id, view.user().version()))
                        : groups.patch(tenant, requireId(id, method), data, version)
                                .map(group -> new Result(200, id, group.version()));
                case "DELETE" -> (isUser ? users.delete(tenant, requireId(id, method), version)
                        : groups.delete(tenant, requireId(id, method), version))
                        .replaceWith(new Result(204, id, -1));
                default -> throw ScimException.invalidSyntax("Bulk 'method' must be POST, PUT, PATCH or DELETE.");
            };
            return result.map(done -> {
                if (bulkId != null && done.status() == 201) {
                    createdIds.put(bulkId, done.id());
                }
                entry.put("status", Integer.toString(done.status()));
                if (done.id() != null && done.status() != 204) {
                    entry.put("location", baseUrl + "/" + path.group(1) + "/" + done.id());
                    entry.put("version", ETags.of(done.version()));
                }
                return new Outcome(entry, false);
            }).onFailure().recoverWithItem(failure -> failed(entry, failure));
        } catch (RuntimeException failure) {
            return Uni.createFrom().item(failed(entry, failure));
        }
    }

    private record Result(int status, String id, long version) {
    }

    private Outcome failed(ObjectNode entry, Throwable failure) {
        ScimError error = ScimError.of(failure);
        entry.put("status", error.status());
        entry.set("response", json.valueToTree(error));
        return new Outcome(entry, true);
    }

    /** Replaces {@code bulkId:x} strings by the ids they stand for; an unknown one fails the operation (409). */
    private static JsonNode resolve(JsonNode node, Map<String, String> createdIds) {
        if (node.isTextual()) {
            if (!node.asText().contains("bulkId:")) {
                return node;
            }
            // "bulkId:x" as a whole value, or inside a path such as /Users/bulkId:x
            Matcher reference = REFERENCE.matcher(node.asText());
            StringBuilder resolved = new StringBuilder();
            while (reference.find()) {
                String id = createdIds.get(reference.group(1));
                if (id == null) {
                    throw new ScimException(Response.Status.CONFLICT, "invalidValue", "bulkId '" + reference.group(1)
                            + "' does not name a resource created earlier in this request.");
                }
                reference.appendReplacement(resolved, Matcher.quoteReplacement(id));
            }
            return TextNode.valueOf(reference.appendTail(resolved).toString());
        }
        if (node.isArray()) {
            ArrayNode copy = ScimJson.array();
            node.forEach(element -> copy.add(resolve(element, createdIds)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = ScimJson.object();
            node.properties().forEach(field -> copy.set(field.getKey(), resolve(field.getValue(), createdIds)));
            return copy;
        }
        return node;
    }

    private static String requireId(String id, String method) {
        if (id == null) {
            throw ScimException.invalidPath(method + " needs a resource path such as /Users/{id}.");
        }
        return id;
    }

    private static void requireNoId(String id, String method) {
        if (id != null) {
            throw ScimException.invalidPath(method + " goes to /Users or /Groups.");
        }
    }
}
