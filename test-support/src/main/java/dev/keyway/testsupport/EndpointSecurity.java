package dev.keyway.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;

import io.quarkus.security.Authenticated;
import io.quarkus.security.PermissionsAllowed;

/**
 * Checks that every REST method of the service under test states who may call it, and what one that does not
 * answers.
 * {@code quarkus.security.jaxrs.deny-unannotated-endpoints} already refuses one that does not; this check names it at
 * build time instead of at the first refused call.
 */
public final class EndpointSecurity {

    private static final Set<Class<? extends Annotation>> DECISIONS = Set.of(RolesAllowed.class,
            PermissionsAllowed.class, PermitAll.class, DenyAll.class, Authenticated.class);

    private EndpointSecurity() {
    }

    /** Fails naming each REST method, among the classes of the module under test, without a security annotation. */
    public static void assertEveryRestMethodStatesWhoMayCallIt() throws IOException, ClassNotFoundException {
        List<String> endpoints = new ArrayList<>();
        List<String> undecided = new ArrayList<>();
        for (Class<?> resource : resources()) {
            for (Method method : resource.getDeclaredMethods()) {
                if (!isEndpoint(method)) {
                    continue;
                }
                String name = resource.getSimpleName() + "." + method.getName();
                endpoints.add(name);
                if (!decides(method) && !decides(resource)) {
                    undecided.add(name);
                }
            }
        }
        assertFalse(endpoints.isEmpty(), "no REST method found: is target/classes where this test looks?");
        assertEquals(List.of(), undecided, "REST methods without a security annotation");
    }

    /**
     * What a caller gets from an admin endpoint at {@code path} that states nothing (a test declares one): 401 asking
     * for a bearer token without one, 403 with each of {@code bearerTokens}, both in problem+json.
     */
    public static void assertAdminEndpointRefusedToEveryone(String path, String... bearerTokens) {
        given().get(path).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json").body("status", equalTo(401));
        for (String token : bearerTokens) {
            given().auth().oauth2(token).get(path).then().statusCode(403).contentType("application/problem+json")
                    .body("status", equalTo(403));
        }
    }

    private static List<Class<?>> resources() throws IOException, ClassNotFoundException {
        Path classes = Path.of("target", "classes");
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
                // interfaces with @Path are REST clients, not endpoints
                if (!type.isInterface() && type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    resources.add(type);
                }
            }
        }
        return resources;
    }

    private static boolean isEndpoint(Method method) {
        return method.isAnnotationPresent(jakarta.ws.rs.Path.class) || Stream.of(method.getAnnotations())
                .anyMatch(annotation -> annotation.annotationType().isAnnotationPresent(HttpMethod.class));
    }

    private static boolean decides(AnnotatedElement element) {
        return DECISIONS.stream().anyMatch(element::isAnnotationPresent);
    }
}
