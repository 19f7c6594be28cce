package dev.keyway.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/** The chart as real Helm renders it, for the default, api and eu values. */
class KeywayChartTest {

    private static final Path CHART = Path.of("keyway");
    private static final String KEYS = "k1:" + "A".repeat(43) + "=";
    private static final List<String> SERVICES = List.of("sso-service", "scim-service", "import-service",
            "admin-portal");

    @Test
    void lintsClean() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void everyServiceIsDeployedWithProbesAGracefulRolloutAndItsOwnDatabase() {
        Map<String, JsonNode> objects = render(template -> template.set("secrets.encryptionKeys", KEYS));
        for (String service : SERVICES) {
            JsonNode deployment = objects.get("Deployment/keyway-" + component(service));
            assertNotNull(deployment, service + " " + objects.keySet());
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
            assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
            assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                assertEquals("management", container.at("/" + probe + "/httpGet/port").asText(),
                        "probes use the management port");
            }
            assertEquals(0, deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt());
            assertTrue(container.at("/lifecycle/preStop").isObject(), "drains before it stops");
            assertEquals("keyway/" + service + ":0.1.0-SNAPSHOT", container.get("image").asText());
            Map<String, JsonNode> env = env(container);
            assertEquals("api", configMap(objects).get("KEYWAY_DEPLOYMENT_REGION").asText());
            String database = switch (service) {
                case "sso-service" -> "keyway_sso";
                case "scim-service" -> "keyway_scim";
                case "admin-portal" -> "keyway_portal";
                default -> "keyway_imports";
            };
            assertEquals("postgresql://postgresql:5432/" + database, env.get("QUARKUS_DATASOURCE_REACTIVE_URL")
                    .get("value").asText());
            assertEquals("encryption-keys",
                    env.get("KEYWAY_ENCRYPTION_KEYS").at("/valueFrom/secretKeyRef/key").asText());
            assertNotNull(objects.get("Service/keyway-" + component(service)));
            assertNotNull(objects.get("PodDisruptionBudget/keyway-" + component(service)));
        }
        JsonNode scim = env(objects.get("Deployment/keyway-scim").at("/spec/template/spec/containers/0"))
                .get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        assertEquals("http://keyway-sso:8081/.well-known/jwks.json", scim.get("value").asText());
        // the portal calls the services' admin APIs inside the cluster, as the operator (for owner tokens)
        Map<String, JsonNode> portal = env(objects.get("Deployment/keyway-portal")
                .at("/spec/template/spec/containers/0"));
        assertEquals("http://keyway-sso:8081", portal.get("KEYWAY_PORTAL_SSO_URL").get("value").asText());
        assertEquals("http://keyway-scim:8082", portal.get("KEYWAY_PORTAL_SCIM_URL").get("value").asText());
        assertEquals("http://keyway-imports:8083", portal.get("KEYWAY_PORTAL_IMPORTS_URL").get("value").asText());
        assertEquals("https://api-scim.keyway.example",
                portal.get("KEYWAY_PORTAL_SCIM_PUBLIC_URL").get("value").asText());
        assertEquals("operator-token", portal.get("KEYWAY_OPERATOR_TOKEN").at("/valueFrom/secretKeyRef/key").asText());
        assertNotNull(portal.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        assertNotNull(objects.get("NetworkPolicy/keyway"));
        assertNotNull(objects.get("ServiceAccount/keyway"));
    }

    @Test
    void secretsAreReferencedNeverInlinedIntoPodsAndExistingSecretsAreUsedAsTheyAre() {
        Map<String, JsonNode> own = render(template -> template.set("secrets.encryptionKeys", KEYS)
                .set("secrets.operatorToken", "operator-secret").set("postgresql.sso.password", "db-secret"));
        String pods = own.entrySet().stream().filter(entry -> entry.getKey().startsWith("Deployment/"))
                .map(entry -> entry.getValue().toString()).collect(Collectors.joining());
        assertFalse(pods.contains("operator-secret") || pods.contains("db-secret") || pods.contains(KEYS),
                "no secret value in a pod spec");
        assertEquals(KEYS, own.get("Secret/keyway").at("/stringData/encryption-keys").asText());

        Map<String, JsonNode> existing = render(template -> template.set("secrets.existingSecret", "keyway-prod")
                .set("postgresql.scim.existingSecret", "keyway-api-app").set("postgresql.scim.usernameKey", "username")
                .set("kafka.saslExistingSecret", "keyway-kafka-user").set("kafka.securityProtocol", "SASL_SSL")
                .set("kafka.saslMechanism", "SCRAM-SHA-512"));
        assertTrue(existing.keySet().stream().noneMatch(key -> key.startsWith("Secret/")),
                existing.keySet().toString());
        Map<String, JsonNode> scim = env(existing.get("Deployment/keyway-scim").at("/spec/template/spec/containers/0"));
        assertEquals("keyway-prod", scim.get("KEYWAY_ENCRYPTION_KEYS").at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("keyway-api-app",
                scim.get("QUARKUS_DATASOURCE_PASSWORD").at("/valueFrom/secretKeyRef/name").asText());
        assertEquals("username", scim.get("QUARKUS_DATASOURCE_USERNAME").at("/valueFrom/secretKeyRef/key").asText());
        assertEquals("sasl.jaas.config", scim.get("KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef/key").asText());
        assertEquals("SASL_SSL", configMap(existing).get("KAFKA_SECURITY_PROTOCOL").asText());
    }

    @Test
    void eachRegionsValuesSetItsRegionHostsAndTheOtherRegionsUrls() {
        for (String region : List.of("api", "eu")) {
            Map<String, JsonNode> objects = render(template -> template
                    .withValuesFile(CHART.resolve("values-" + region + ".yaml")).set("secrets.encryptionKeys", KEYS));
            assertEquals(region, configMap(objects).get("KEYWAY_DEPLOYMENT_REGION").asText());
            List<String> hosts = new ArrayList<>();
            objects.get("Ingress/keyway").at("/spec/rules").forEach(rule -> hosts.add(rule.get("host").asText()));
            assertEquals(List.of(region + "-sso.keyway.example", region + "-scim.keyway.example",
                    region + "-import.keyway.example", region + "-portal.keyway.example"), hosts);
            Map<String, JsonNode> scim = env(
                    objects.get("Deployment/keyway-scim").at("/spec/template/spec/containers/0"));
            assertEquals("https://eu-scim.keyway.example", scim.get("KEYWAY_DEPLOYMENT_URLS_EU").get("value").asText(),
                    "every region knows where the other one answers");
            assertEquals("https://api-scim.keyway.example",
                    scim.get("KEYWAY_DEPLOYMENT_URLS_API").get("value").asText());
            assertTrue(scim.get("QUARKUS_DATASOURCE_JDBC_URL").get("value").asText()
                    .startsWith("jdbc:postgresql://keyway-" + region + "-rw:5432/"));
        }
    }

    @Test
    void optionalObjectsFollowTheirSwitches() {
        Map<String, JsonNode> scaled = render(template -> template.set("secrets.encryptionKeys", KEYS)
                .set("autoscaling.enabled", true).set("serviceMonitor.enabled", true).set("ingress.enabled", false)
                .set("networkPolicy.enabled", false));
        assertEquals(6, scaled.get("HorizontalPodAutoscaler/keyway-imports").at("/spec/maxReplicas").asInt());
        assertTrue(scaled.get("Deployment/keyway-imports").at("/spec/replicas").isMissingNode(),
                "the autoscaler owns the replica count");
        assertEquals("/q/metrics", scaled.get("ServiceMonitor/keyway").at("/spec/endpoints/0/path").asText());
        assertEquals("management", scaled.get("ServiceMonitor/keyway").at("/spec/endpoints/0/port").asText());
        assertFalse(scaled.containsKey("Ingress/keyway"));
        assertFalse(scaled.containsKey("NetworkPolicy/keyway"));
    }

    @Test
    void healthMetricsAndOpenApiAreOnAManagementPortTheIngressNeverRoutes() {
        Map<String, JsonNode> objects = render(template -> template.set("secrets.encryptionKeys", KEYS));
        Map<String, Integer> managementPorts = Map.of("sso", 9001, "scim", 9002, "imports", 9003, "portal",
                9004);
        managementPorts.forEach((component, port) -> {
            JsonNode container = objects.get("Deployment/keyway-" + component).at("/spec/template/spec/containers/0");
            Map<String, Integer> containerPorts = new HashMap<>();
            container.get("ports")
                    .forEach(p -> containerPorts.put(p.get("name").asText(), p.get("containerPort").asInt()));
            assertEquals(port, containerPorts.get("management"), component);
            assertEquals(String.valueOf(port), env(container).get("QUARKUS_MANAGEMENT_PORT").get("value").asText());
            List<String> servicePorts = new ArrayList<>();
            objects.get("Service/keyway-" + component).at("/spec/ports")
                    .forEach(p -> servicePorts.add(p.get("name").asText()));
            assertEquals(List.of("http", "management"), servicePorts, "the Service exposes it for monitoring");
        });

        List<Integer> routed = new ArrayList<>();
        List<String> routedNames = new ArrayList<>();
        objects.get("Ingress/keyway").at("/spec/rules").forEach(rule -> rule.at("/http/paths").forEach(path -> {
            JsonNode port = path.at("/backend/service/port");
            routedNames.add(port.path("name").asText(""));
            routed.add(port.path("number").asInt(0));
        }));
        assertEquals(List.of("http", "http", "http", "http"), routedNames, "the Ingress routes the public port only");
        assertTrue(routed.stream().noneMatch(managementPorts.values()::contains));

        JsonNode rules = objects.get("NetworkPolicy/keyway").at("/spec/ingress");
        List<Integer> monitoringPorts = new ArrayList<>();
        rules.get(1).get("ports").forEach(p -> monitoringPorts.add(p.get("port").asInt()));
        assertEquals(List.of(9001, 9002, 9003, 9004), monitoringPorts, "monitoring may reach the management ports");
        assertEquals("monitoring", rules.get(1).at("/from/0/namespaceSelector/matchLabels")
                .get("kubernetes.io/metadata.name").asText());
        List<Integer> publicPorts = new ArrayList<>();
        rules.get(0).get("ports").forEach(p -> publicPorts.add(p.get("port").asInt()));
        assertEquals(List.of(8081, 8082, 8083, 8084), publicPorts,
                "the ingress controller reaches the public ports only");
    }

    /**
     * deploy/regions.properties says where each service of each region runs on one machine (run.sh and the tests use
     * it); every region is an installation of this chart, which runs region api's ports and databases in each.
     */
    @Test
    void theChartKnowsTheRegionsPortsDatabasesAndSchemasOfDeployRegionsProperties() throws IOException {
        Properties wiring = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("..", "deploy", "regions.properties"))) {
            wiring.load(reader);
        }
        List<String> regions = List.of(wiring.getProperty("regions").split(","));
        assertEquals(SERVICES, List.of(wiring.getProperty("services").split(",")));
        for (String region : regions) {
            Map<String, JsonNode> objects = render(template -> template
                    .withValuesFile(CHART.resolve("values-" + region + ".yaml")).set("secrets.encryptionKeys", KEYS));
            assertEquals(region, configMap(objects).get("KEYWAY_DEPLOYMENT_REGION").asText());
            for (String service : SERVICES) {
                JsonNode container = objects.get("Deployment/keyway-" + component(service))
                        .at("/spec/template/spec/containers/0");
                Map<String, JsonNode> env = env(container);
                assertEquals(wiring.getProperty("api." + service + ".port"),
                        env.get("QUARKUS_HTTP_PORT").get("value").asText(), service);
                assertEquals(wiring.getProperty("api." + service + ".management-port"),
                        env.get("QUARKUS_MANAGEMENT_PORT").get("value").asText(), service);
                assertTrue(env.get("QUARKUS_DATASOURCE_JDBC_URL").get("value").asText()
                        .endsWith("/" + wiring.getProperty("api." + service + ".database")), service);
                for (String each : regions) {
                    assertTrue(env.containsKey("KEYWAY_DEPLOYMENT_URLS_" + each.toUpperCase(Locale.ROOT)),
                            service + " knows its URL in " + each);
                }
            }
        }
        for (String service : SERVICES) {
            Properties config = new Properties();
            try (Reader reader = Files.newBufferedReader(
                    Path.of("..", service, "src", "main", "resources", "application.properties"))) {
                config.load(reader);
            }
            assertEquals(wiring.getProperty(service + ".schema"), config.getProperty("quarkus.flyway.schemas"),
                    service);
        }
    }

    @Test
    void theSchemaRejectsBadValues() {
        for (Map.Entry<String, Object> bad : Map.<String, Object>of(
                "region", "mars",
                "kafka.bootstrapServers", "no port",
                "secrets.encryptionKeys", "not-a-key",
                "publicUrls.eu.scim", "eu-scim.keyway.example",
                "services.sso.replicas", 0,
                "services.scim.managementPort", 0,
                "postgresql.port", "five").entrySet()) {
            Exception refused = assertThrows(Exception.class, () -> render(template -> template.set(bad.getKey(),
                    bad.getValue())), bad.getKey());
            assertTrue(refused.getMessage().contains("schema"), bad.getKey() + ": " + refused.getMessage());
        }
    }

    private static Map<String, JsonNode> render(Consumer<TemplateCommand> values) {
        TemplateCommand template = new Helm(CHART).template().withName("keyway");
        values.accept(template);
        String manifests = template.call();
        Map<String, JsonNode> objects = new HashMap<>();
        // a key twice in one mapping is an error for kubectl: the parser must refuse it too
        YAMLMapper yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        try (MappingIterator<JsonNode> documents = yaml.readerFor(JsonNode.class).readValues(manifests)) {
            while (documents.hasNext()) {
                JsonNode object = documents.next();
                if (object != null && object.has("kind")) {
                    objects.put(object.get("kind").asText() + "/" + object.at("/metadata/name").asText(), object);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(manifests, e);
        }
        return objects;
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new HashMap<>();
        container.get("env").forEach(variable -> env.put(variable.get("name").asText(), variable));
        return env;
    }

    private static JsonNode configMap(Map<String, JsonNode> objects) {
        return objects.get("ConfigMap/keyway").get("data");
    }

    private static String component(String service) {
        if (service.equals("admin-portal")) {
            return "portal";
        }
        return service.equals("import-service") ? "imports" : service.replace("-service", "");
    }
}
