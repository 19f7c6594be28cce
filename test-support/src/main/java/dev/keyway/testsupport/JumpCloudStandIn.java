package dev.keyway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * JumpCloud's Directory API as the import reads it, for tests and benchmarks: v1 {@code /api/systemusers} and
 * {@code /api/organizations}, v2 {@code /api/v2/usergroups} and {@code /api/v2/usergroups/{id}/membership}, with
 * JumpCloud's paging ({@code limit} ≤ 100, {@code skip}), its {@code x-api-key} / {@code x-org-id} rules for single-
 * and multi-tenant admins (400 malformed id, 401 missing id, 404 unknown id), and 401/404/429/5xx on demand.
 *
 * <p>Every request is checked against JumpCloud's published specification (the Swagger documents in
 * {@code jumpcloud-api/}): the path must be one it declares for GET, every query parameter one the operation
 * declares, {@code x-api-key} and {@code Accept: application/json} present, and a paged listing sorted on a unique
 * field. What breaks a rule is answered 400 and kept in {@link #violations()}, so a test can assert there is none.
 */
public final class JumpCloudStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{24}");
    private static final int MAX_LIMIT = 100;

    static {
        // the JDK server writes headers and body apart; with Nagle on, every answer waits for a delayed ACK (~40 ms)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static JumpCloudStandIn us;
    private static JumpCloudStandIn eu;

    private final HttpServer server;
    private final List<Operation> operations;
    private final AtomicLong ids = new AtomicLong(System.nanoTime() & 0xffffffffL);
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, Org> orgs = new LinkedHashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final List<Request> requests = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private volatile Duration latency = Duration.ZERO;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();

    /** A request as received: what the spec check and the tests look at. */
    public record Request(String path, Map<String, String> query, String apiKey, String orgIdHeader, int status) {
    }

    private record Operation(String literalPrefix, Pattern path, Set<String> queryParameters, String template) {

        boolean matches(String requested) {
            return requested.startsWith(literalPrefix) && path.matcher(requested).matches();
        }
    }

    private record Account(boolean multiTenant, Set<String> orgIds) {
    }

    private static final class Fault {

        final String pathContains;
        final String apiKey;
        final int status;
        final Integer retryAfterSeconds;
        int remaining;

        Fault(String pathContains, String apiKey, int status, Integer retryAfterSeconds, int remaining) {
            this.pathContains = pathContains;
            this.apiKey = apiKey;
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
            this.remaining = remaining;
        }
    }

    private JumpCloudStandIn() {
        operations = new ArrayList<>();
        operations.addAll(operations("jumpcloud-api/jumpcloud-api-v1.swagger.json"));
        operations.addAll(operations("jumpcloud-api/jumpcloud-api-v2.swagger.json"));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "jumpcloud-stand-in");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** A fresh stand-in on a random port of 127.0.0.1. */
    public static JumpCloudStandIn start() {
        return new JumpCloudStandIn();
    }

    /** The stand-in for JumpCloud's US data center, shared by a JVM's tests. */
    public static synchronized JumpCloudStandIn us() {
        if (us == null) {
            us = start();
        }
        return us;
    }

    /** The stand-in for JumpCloud's EU data center. */
    public static synchronized JumpCloudStandIn eu() {
        if (eu == null) {
            eu = start();
        }
        return eu;
    }

    /** The console base URL, as {@code keyway.jumpcloud.us-url} expects it (the API lives under {@code /api}). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- the directory -----------------------------------------------------------------------------------------

    /** A new JumpCloud organization with an empty directory. */
    public synchronized Org newOrganization(String displayName) {
        Org org = new Org(nextId(), displayName);
        orgs.put(org.id, org);
        return org;
    }

    /** The API key of an administrator of one organization (no {@code x-org-id} needed). */
    public synchronized String adminKey(Org org) {
        String key = "jc-" + UUID.randomUUID().toString().replace("-", "");
        accounts.put(key, new Account(false, Set.of(org.id)));
        return key;
    }

    /** The API key of a Multi-Tenant Portal administrator: every request must name the organization. */
    public synchronized String multiTenantAdminKey(Org... managed) {
        String key = "jc-mtp-" + UUID.randomUUID().toString().replace("-", "");
        Set<String> ids = new LinkedHashSet<>();
        for (Org org : managed) {
            ids.add(org.id);
        }
        accounts.put(key, new Account(true, ids));
        return key;
    }

    /** Resets the key, as JumpCloud's "reset API key" does: the old one is refused from now on. */
    public synchronized void revoke(String apiKey) {
        accounts.remove(apiKey);
    }

    /** One customer's directory. Ids are JumpCloud-like 24-hex object ids, ascending in creation order. */
    public final class Org {

        public final String id;
        public final String displayName;
        private final Map<String, ObjectNode> users = new TreeMap<>();
        /** The users in id order, as listed; rebuilt after one is added or deleted. */
        private List<ObjectNode> listed;
        private final Map<String, ObjectNode> groups = new TreeMap<>();
        private final Map<String, Set<String>> members = new HashMap<>();

        private Org(String id, String displayName) {
            this.id = id;
            this.displayName = displayName;
        }

        /**
         * A new ACTIVATED user; {@code email} may be null. Listed without {@code fields}, the record has every field
         * of JumpCloud's default list ({@link #DEFAULT_RECORD}).
         */
        public String addUser(String username, String email, String firstname, String lastname) {
            synchronized (JumpCloudStandIn.this) {
                String userId = nextId();
                ObjectNode user = JSON.createObjectNode().put("_id", userId).put("id", userId)
                        .put("username", username).put("email", email).put("firstname", firstname)
                        .put("lastname", lastname).put("displayname", firstname + " " + lastname)
                        .put("state", "ACTIVATED").put("activated", true).put("suspended", false)
                        .put("account_locked", false).put("created", "2026-01-01T00:00:00.000Z");
                users.put(userId, user);
                listed = null;
                return userId;
            }
        }

        /** Sets (or, with null, clears) one field of a user's record, e.g. {@code jobTitle}, {@code department}. */
        public void set(String userId, String field, String value) {
            synchronized (JumpCloudStandIn.this) {
                ObjectNode user = users.get(userId);
                if (value == null) {
                    user.remove(field);
                } else {
                    user.put(field, value);
                }
            }
        }

        public void suspend(String userId) {
            synchronized (JumpCloudStandIn.this) {
                users.get(userId).put("state", "SUSPENDED").put("suspended", true);
            }
        }

        /** Hard delete, as JumpCloud's {@code DELETE /systemusers/{id}}: gone from every listing and group. */
        public void deleteUser(String userId) {
            synchronized (JumpCloudStandIn.this) {
                users.remove(userId);
                listed = null;
                members.values().forEach(set -> set.remove(userId));
            }
        }

        private List<ObjectNode> listed() {
            if (listed == null) {
                listed = List.copyOf(users.values());
            }
            return listed;
        }

        public String addGroup(String name) {
            synchronized (JumpCloudStandIn.this) {
                String groupId = nextId();
                groups.put(groupId, JSON.createObjectNode().put("id", groupId).put("name", name)
                        .put("type", "user_group").put("description", "").put("membershipMethod", "STATIC"));
                members.put(groupId, new LinkedHashSet<>());
                return groupId;
            }
        }

        public void deleteGroup(String groupId) {
            synchronized (JumpCloudStandIn.this) {
                groups.remove(groupId);
                members.remove(groupId);
            }
        }

        public void addMember(String groupId, String userId) {
            synchronized (JumpCloudStandIn.this) {
                members.get(groupId).add(userId);
            }
        }

        public void removeMember(String groupId, String userId) {
            synchronized (JumpCloudStandIn.this) {
                members.get(groupId).remove(userId);
            }
        }
    }

    // ---- faults, latency, what was asked ------------------------------------------------------------------------

    /** The next {@code count} requests whose path contains {@code pathContains} are answered {@code status}. */
    public synchronized void failNext(int count, int status, String pathContains) {
        faults.add(new Fault(pathContains, null, status, null, count));
    }

    /** The next {@code count} requests made with {@code apiKey} whose path contains {@code pathContains} fail so. */
    public synchronized void failNextFor(String apiKey, int count, int status, String pathContains) {
        faults.add(new Fault(pathContains, apiKey, status, null, count));
    }

    /** The next {@code count} matching requests get 429 with {@code Retry-After: seconds}. */
    public synchronized void rateLimitNext(int count, int retryAfterSeconds, String pathContains) {
        faults.add(new Fault(pathContains, null, 429, retryAfterSeconds, count));
    }

    public synchronized void clearFaults() {
        faults.clear();
    }

    /** Every answer waits this long first (a slow JumpCloud, or a run that must still be going). */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    /** The most requests that were being answered at once since {@link #resetPeakInFlight()}. */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    public void resetPeakInFlight() {
        peakInFlight.set(0);
    }

    /** The requests being answered now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The requests made with one API key. */
    public synchronized List<Request> requests(String apiKey) {
        return requests.stream().filter(request -> apiKey.equals(request.apiKey())).toList();
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- serving ------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (exchange) {
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            Answer answer = answer(exchange);
            byte[] body = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            answer.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(answer.status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private record Answer(int status, String body, Map<String, String> headers) {

        static Answer json(int status, Object body) {
            try {
                return new Answer(status, JSON.writeValueAsString(body), Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Answer message(int status, String message) {
            return json(status, Map.of("message", message));
        }
    }

    private synchronized Answer answer(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String apiKey = exchange.getRequestHeaders().getFirst("x-api-key");
        String orgIdHeader = exchange.getRequestHeaders().getFirst("x-org-id");
        Answer answer = check(exchange, path, query, apiKey);
        if (answer == null) {
            answer = fault(path, apiKey);
        }
        if (answer == null) {
            answer = serve(path, query, apiKey, orgIdHeader);
        }
        requests.add(new Request(path, query, apiKey, orgIdHeader, answer.status));
        return answer;
    }

    /** The published specification's rules; null when the request keeps them. */
    private Answer check(HttpExchange exchange, String path, Map<String, String> query, String apiKey) {
        List<String> broken = new ArrayList<>();
        if (!"GET".equals(exchange.getRequestMethod())) {
            broken.add(exchange.getRequestMethod() + " " + path + ": the import only reads");
        }
        Operation operation = operations.stream().filter(op -> op.matches(path)).findFirst()
                .orElse(null);
        if (operation == null) {
            broken.add("GET " + path + " is not in JumpCloud's API");
        } else {
            query.keySet().stream().filter(name -> !operation.queryParameters.contains(name))
                    .forEach(name -> broken.add(operation.template + ": no query parameter '" + name + "'"));
        }
        if (apiKey == null) {
            broken.add(path + ": no x-api-key header");
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept == null || !accept.contains("application/json")) {
            broken.add(path + ": Accept is " + accept + ", not application/json");
        }
        int limit = integer(query.get("limit"), 10);
        if (limit > MAX_LIMIT || limit < 1) {
            broken.add(path + ": limit " + limit + " (JumpCloud allows 1..100)");
        }
        if (integer(query.get("skip"), 0) > 0 && query.getOrDefault("sort", "").isBlank()) {
            broken.add(path + ": paged with skip but not sorted on a unique field");
        }
        if (broken.isEmpty()) {
            return null;
        }
        violations.addAll(broken);
        return Answer.message(400, String.join("; ", broken));
    }

    private Answer fault(String path, String apiKey) {
        for (Fault fault : faults) {
            if (fault.remaining > 0 && path.contains(fault.pathContains)
                    && (fault.apiKey == null || fault.apiKey.equals(apiKey))) {
                fault.remaining--;
                Answer answer = Answer.message(fault.status, "injected failure");
                return fault.retryAfterSeconds == null ? answer
                        : new Answer(answer.status, answer.body,
                                Map.of("Retry-After", fault.retryAfterSeconds.toString()));
            }
        }
        return null;
    }

    private Answer serve(String path, Map<String, String> query, String apiKey, String orgIdHeader) {
        Account account = accounts.get(apiKey);
        if (account == null) {
            return Answer.message(401, "Unauthorized");
        }
        if (path.equals("/api/organizations") || path.equals("/api/organizations/")) {
            List<Map<String, String>> managed = account.orgIds.stream()
                    .map(id -> Map.of("id", id, "displayName", orgs.get(id).displayName)).toList();
            return Answer.json(200, Map.of("results", managed, "totalCount", managed.size()));
        }
        Org org;
        if (orgIdHeader == null || orgIdHeader.isEmpty()) {
            if (account.multiTenant) {
                return Answer.message(401, "x-org-id is required for multi-tenant administrators");
            }
            org = orgs.get(account.orgIds.iterator().next());
        } else if (!OBJECT_ID.matcher(orgIdHeader).matches()) {
            return Answer.message(400, "Malformed organization id");
        } else if (!account.orgIds.contains(orgIdHeader)) {
            return Answer.message(404, "Organization not found");
        } else {
            org = orgs.get(orgIdHeader);
        }
        int limit = integer(query.get("limit"), 10);
        int skip = integer(query.get("skip"), 0);
        if (path.equals("/api/systemusers")) {
            String[] fields = query.containsKey("fields") ? query.get("fields").split(" ") : null;
            List<ObjectNode> listed = org.listed();
            ObjectNode body = JSON.createObjectNode().put("totalCount", listed.size());
            ArrayNode results = body.putArray("results");
            page(listed, skip, limit).forEach(user -> results.add(fields == null ? whole(user) : only(user, fields)));
            return Answer.json(200, body);
        }
        if (path.equals("/api/v2/usergroups")) {
            return Answer.json(200, JSON.createArrayNode().addAll(page(List.copyOf(org.groups.values()), skip, limit)));
        }
        String[] segments = path.split("/");
        if (segments.length == 6 && path.startsWith("/api/v2/usergroups/") && segments[5].equals("membership")) {
            Set<String> groupMembers = org.members.get(segments[4]);
            if (groupMembers == null) {
                return Answer.message(404, "Not Found");
            }
            ArrayNode body = JSON.createArrayNode();
            page(groupMembers.stream().sorted().toList(), skip, limit).forEach(userId -> body.addObject()
                    .put("id", userId).put("type", "user").putArray("paths").addArray().addObject().put("to", userId));
            return Answer.json(200, body);
        }
        return Answer.message(404, "Not Found");
    }

    /**
     * The fields of JumpCloud's default user record ({@code systemuserreturn}) that no test sets, as an account that
     * has been used a while has them: an address, a phone number, custom attributes, MFA state. Shared by every user
     * (and never changed), so a directory of 100,000 takes no more memory for them.
     */
    private static final ObjectNode DEFAULT_RECORD = defaultRecord();

    private static ObjectNode defaultRecord() {
        ObjectNode record = JSON.createObjectNode().put("middlename", "").put("alternateEmail", "")
                .put("account_locked_date", (String) null).put("creationSource", "jumpcloud:gui")
                .put("organization", "5f0c1a2b3c4d5e6f7a8b9c0d").put("company", "").put("costCenter", "")
                .put("department", "").put("description", "").put("employeeType", "").put("jobTitle", "")
                .put("location", "").put("external_dn", "").put("external_source_type", "").put("managedAppleId", "")
                .put("externally_managed", false).put("ldap_binding_user", false).put("samba_service_user", false)
                .put("sudo", false).put("passwordless_sudo", false).put("allow_public_key", true)
                .put("public_key", "").put("enable_managed_uid", false).put("enable_user_portal_multifactor", false)
                .put("totp_enabled", false).put("disableDeviceMaxLoginAttempts", false).put("badLoginAttempts", 0)
                .put("unix_uid", 5105).put("unix_guid", 5105).put("password_date", "2026-01-02T09:30:00.000Z")
                .put("password_expiration_date", "2026-04-02T09:30:00.000Z")
                .put("external_password_expiration_date", "").put("password_expired", false)
                .put("password_never_expires", false);
        record.putArray("addresses").addObject().put("id", "5f0c1a2b3c4d5e6f7a8b9c10").put("type", "work")
                .put("streetAddress", "1 Main Street").put("extendedAddress", "Floor 3").put("locality", "Denver")
                .put("region", "CO").put("postalCode", "80202").put("country", "US").put("poBox", "");
        record.putArray("phoneNumbers").addObject().put("id", "5f0c1a2b3c4d5e6f7a8b9c11").put("type", "work")
                .put("number", "+1 303 555 0105");
        ArrayNode attributes = record.putArray("attributes");
        attributes.addObject().put("name", "costCenterCode").put("value", "CC-05");
        attributes.addObject().put("name", "badgeNumber").put("value", "5105");
        record.putObject("mfa").put("configured", false).put("exclusion", false).put("exclusionUntil", (String) null);
        record.putObject("mfaEnrollment").put("overallStatus", "NOT_ENROLLED").put("pushStatus", "NOT_ENROLLED")
                .put("totpStatus", "NOT_ENROLLED").put("webAuthnStatus", "NOT_ENROLLED");
        record.putObject("recoveryEmail").put("address", "").put("verified", false);
        record.putObject("admin").put("id", "").put("name", "");
        record.putObject("delegatedAuthority").put("id", "").put("name", "");
        record.putArray("relationships");
        record.putArray("restrictedFields");
        record.putArray("ssh_keys");
        return record;
    }

    /** A user as JumpCloud lists them without {@code fields}: their own fields, then the default record's others. */
    private static ObjectNode whole(ObjectNode user) {
        ObjectNode record = user.deepCopy();
        DEFAULT_RECORD.properties().forEach(field -> record.putIfAbsent(field.getKey(), field.getValue()));
        return record;
    }

    /** As JumpCloud's {@code fields}: the record's {@code _id} and the fields named, those it has. */
    private static ObjectNode only(ObjectNode user, String[] fields) {
        ObjectNode projected = JSON.createObjectNode().put("_id", user.get("_id").asText());
        for (String field : fields) {
            JsonNode value = user.has(field) ? user.get(field).deepCopy() : DEFAULT_RECORD.get(field);
            if (value != null) {
                projected.set(field, value);
            }
        }
        return projected;
    }

    /**
     * One page of a sorted listing, found by position: a stream skipping to it walked every entry before it, so paging
     * a directory of 100,000 users cost the stand-in a time that grew with the square of its size.
     */
    private static <T> List<T> page(List<T> all, int skip, int limit) {
        int from = Math.min(Math.max(skip, 0), all.size());
        return all.subList(from, Math.min(from + limit, all.size()));
    }

    private String nextId() {
        return String.format("%024x", ids.incrementAndGet());
    }

    private static int integer(String value, int otherwise) {
        try {
            return value == null ? otherwise : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                String[] parts = pair.split("=", 2);
                query.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length == 2 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    /** The GET operations of one published Swagger document, each with the query parameters it declares. */
    private static List<Operation> operations(String resource) {
        JsonNode spec;
        try (InputStream in = JumpCloudStandIn.class.getClassLoader().getResourceAsStream(resource)) {
            spec = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String basePath = spec.path("basePath").asText("/");
        Function<JsonNode, JsonNode> resolve = parameter -> parameter.has("$ref")
                ? spec.at(parameter.get("$ref").asText().substring(1).replace("~1", "/")) : parameter;
        List<Operation> found = new ArrayList<>();
        spec.path("paths").fields().forEachRemaining(entry -> {
            JsonNode get = entry.getValue().get("get");
            if (get == null) {
                return;
            }
            Set<String> names = new HashSet<>();
            for (JsonNode declared : List.of(entry.getValue().path("parameters"), get.path("parameters"))) {
                declared.forEach(parameter -> {
                    JsonNode resolved = resolve.apply(parameter);
                    if ("query".equals(resolved.path("in").asText())) {
                        names.add(resolved.path("name").asText());
                    }
                });
            }
            String template = (basePath + entry.getKey()).replace("//", "/");
            Pattern pattern = Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+") + "/?");
            int variable = template.indexOf('{');
            found.add(
                    new Operation(variable < 0 ? template : template.substring(0, variable), pattern, names, template));
        });
        return found;
    }
}
