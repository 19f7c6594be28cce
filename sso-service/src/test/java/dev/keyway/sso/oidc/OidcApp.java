package dev.keyway.sso.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Inflater;

import dev.keyway.sso.SsoFixture;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A registered app and a browser signing a user in to it through Keyway and the organization's test IdP, step by
 * step, so a test can stop or tamper anywhere.
 */
final class OidcApp {

    static final String REDIRECT = "https://app.example.test/callback";

    final String clientId;
    final String secret;

    private OidcApp(String clientId, String secret) {
        this.clientId = clientId;
        this.secret = secret;
    }

    /** A confidential client (client_secret_basic) with the given extra registration fields (JSON members). */
    static OidcApp register(String extraJson) {
        String clientId = "app-" + UUID.randomUUID();
        Response created = given().auth().oauth2(SsoFixture.OPERATOR).contentType(ContentType.JSON)
                .body("{\"clientId\":\"" + clientId + "\",\"name\":\"Test app\","
                        + "\"tokenEndpointAuthMethod\":\"client_secret_basic\",\"redirectUris\":[\"" + REDIRECT + "\"]"
                        + (extraJson.isEmpty() ? "" : "," + extraJson) + "}")
                .post("/admin/oidc/clients");
        created.then().statusCode(201);
        return new OidcApp(clientId, created.path("clientSecret"));
    }

    /** A client registered otherwise (no secret known here). */
    static OidcApp named(String clientId) {
        return new OidcApp(clientId, null);
    }

    /** PKCE verifier and the parameters of one authorization request. */
    static final class Request {

        final String verifier = random();
        final String state = random();
        final String nonce = random();
        final Map<String, String> parameters = new LinkedHashMap<>();

        Request(OidcApp app, String org) {
            parameters.put("client_id", app.clientId);
            parameters.put("redirect_uri", REDIRECT);
            parameters.put("response_type", "code");
            parameters.put("scope", "openid profile email");
            parameters.put("state", state);
            parameters.put("nonce", nonce);
            parameters.put("code_challenge", s256(verifier));
            parameters.put("code_challenge_method", "S256");
            if (org != null) {
                parameters.put("org", org);
            }
        }

        Request with(String name, String value) {
            if (value == null) {
                parameters.remove(name);
            } else {
                parameters.put(name, value);
            }
            return this;
        }

        Response authorize(Map<String, String> cookies) {
            return given().redirects().follow(false).cookies(cookies).queryParams(parameters).get("/oidc/authorize");
        }
    }

    Request request(String org) {
        return new Request(this, org);
    }

    /**
     * The whole browser journey: authorize, the SAML login, the IdP's signed answer to the ACS, back to Keyway; the
     * answer sending the browser to the app (a code, or an error).
     */
    static Response signIn(SsoFixture org, Request request, String email) throws Exception {
        Map<String, String> cookies = new LinkedHashMap<>();
        Response authorized = request.authorize(cookies);
        authorized.then().statusCode(303);
        cookies.putAll(authorized.getCookies());
        Response login = given().urlEncodingEnabled(false).redirects().follow(false).cookies(cookies)
                .get(authorized.getHeader("Location"));
        login.then().statusCode(303);
        cookies.putAll(login.getCookies());
        Matcher id = Pattern.compile("\\sID=\"([^\"]+)\"")
                .matcher(authnRequest(login.getHeader("Location")));
        assertTrue(id.find());
        Response acs = given().redirects().follow(false).cookies(cookies).contentType(ContentType.URLENC)
                .formParam("SAMLResponse", Base64.getEncoder().encodeToString(
                        org.response(email).inResponseTo(id.group(1)).xml().getBytes(StandardCharsets.UTF_8)))
                .post("/saml/" + org.slug + "/acs");
        acs.then().statusCode(303);
        cookies.putAll(acs.getCookies());
        assertNotNull(cookies.get("keyway_session"));
        return given().urlEncodingEnabled(false).redirects().follow(false).cookies(cookies)
                .get(acs.getHeader("Location"));
    }

    /** The code the app receives, after checking state and iss. */
    static String code(Response backToApp, Request request, String issuer) {
        backToApp.then().statusCode(303);
        String location = backToApp.getHeader("Location");
        assertTrue(location.startsWith(REDIRECT + "?"), location);
        Map<String, String> query = query(location);
        if (!request.state.equals(query.get("state")) || !issuer.equals(query.get("iss"))) {
            throw new AssertionError("state or iss wrong: " + location);
        }
        return query.get("code");
    }

    Response token(String code, String verifier) {
        return given().auth().preemptive().basic(clientId, secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", REDIRECT).formParam("code_verifier", verifier).post("/oidc/token");
    }

    Response refresh(String refreshToken) {
        return given().auth().preemptive().basic(clientId, secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refreshToken)
                .post("/oidc/token");
    }

    static Map<String, String> query(String location) {
        Map<String, String> values = new LinkedHashMap<>();
        String raw = URI.create(location).getRawQuery();
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            values.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1),
                    StandardCharsets.UTF_8));
        }
        return values;
    }

    /** The AuthnRequest XML inside an HTTP-Redirect location (base64 of raw DEFLATE). */
    static String authnRequest(String location) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(Base64.getDecoder().decode(query(location).get("SAMLRequest")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!inflater.finished()) {
            int read = inflater.inflate(buffer);
            if (read == 0 && inflater.needsInput()) {
                break;
            }
            out.write(buffer, 0, read);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String random() {
        return UUID.randomUUID().toString() + UUID.randomUUID();
    }
}
