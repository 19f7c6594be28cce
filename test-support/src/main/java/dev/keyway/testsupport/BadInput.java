package dev.keyway.testsupport;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.restassured.specification.RequestSpecification;

/**
 * One row of an admin API's bad-input table: a request a client may send, and the 4xx status it must get, in
 * problem+json, never naming a Java class.
 */
public record BadInput(String name, String method, String path, String contentType, byte[] body, int status) {

    public static BadInput json(String name, String method, String path, String body, int status) {
        return new BadInput(name, method, path, "application/json", body.getBytes(StandardCharsets.UTF_8), status);
    }

    /** {@code prefix}, then the raw bytes, then {@code suffix}: for bodies that are not valid UTF-8. */
    public static byte[] bytes(String prefix, byte[] middle, String suffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(suffix.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Sends the row's request as {@code caller} to {@code pathPrefix} + its path, and checks the refusal. */
    public void assertRefused(RequestSpecification caller, String pathPrefix) {
        RequestSpecification request = caller.urlEncodingEnabled(false);
        if (contentType != null) {
            request = request.contentType(contentType);
        }
        if (body != null) {
            request = request.body(body);
        }
        request.request(method, pathPrefix + path).then()
                .statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("detail", not(containsString("Exception")));
    }

    @Override
    public String toString() {
        return name;
    }
}
