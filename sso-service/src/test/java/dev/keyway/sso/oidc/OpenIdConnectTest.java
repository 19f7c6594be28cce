package dev.keyway.sso.oidc;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.sun.net.httpserver.HttpServer;

import dev.keyway.common.event.EventEnvelope;
import dev.keyway.common.event.EventType;
import dev.keyway.common.event.UserDeleted;
import dev.keyway.common.tenant.Region;
import dev.keyway.sso.SsoFixture;
import dev.keyway.sso.domain.VerifiedDomains;
import dev.keyway.sso.saml.SignInLimits;
import dev.keyway.testsupport.KeywayTestStack;
import dev.keyway.testsupport.OrgAnnouncements;
import dev.keyway.testsupport.TestKafka;
import dev.keyway.testsupport.TestPostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Keyway as an OpenID Connect provider: the code flow through the organization's SAML sign-in, and every refusal an
 * attacker or a misconfigured app meets. ID tokens are checked with Nimbus JOSE against the published JWKS, as an
 * app would.
 */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class OpenIdConnectTest {

    @Inject
    SignInLimits limits;

    private static String issuer() {
        return given().get("/oidc/.well-known/openid-configuration").then().statusCode(200).extract().path("issuer");
    }

    private static JWKSet jwks() throws Exception {
        return JWKSet.parse(given().get("/.well-known/jwks.json").asString());
    }

    /** An app's verification: RS256 only, against the JWKS, this issuer, this audience. */
    private static JWTClaimsSet verify(String idToken, String audience) throws Exception {
        return verify(idToken, audience, null);
    }

    private static JWTClaimsSet verify(String idToken, String audience, JOSEObjectType type) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        if (type != null) {
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(jwks())));
        JWTClaimsSet claims = processor.process(idToken, null);
        assertEquals(issuer(), claims.getIssuer());
        assertEquals(List.of(audience), claims.getAudience());
        return claims;
    }

    @Test
    void discoveryDescribesTheProvider() {
        given().get("/oidc/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo(issuer()))
                .body("authorization_endpoint", equalTo(issuer() + "/authorize"))
                .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                .body("id_token_signing_alg_values_supported", equalTo(List.of("RS256")))
                .body("authorization_response_iss_parameter_supported", equalTo(true))
                .body("backchannel_logout_supported", equalTo(true))
                .body("token_endpoint_auth_methods_supported", hasItem("private_key_jwt"))
                .body("keyway_region", equalTo("api"))
                .body("keyway_region_issuers.eu", equalTo("http://localhost:9081/oidc"));
    }

    @Test
    void anAppSignsAUserInReadsTheIdTokenAndUserinfoAndRefreshes() throws Exception {
        SsoFixture org = SsoFixture.create("oidc");
        UUID admins = org.group("Admins");
        UUID user = org.user("ada@acme.test", true, admins);
        OidcApp app = OidcApp.register("");
        OidcApp.Request request = app.request(org.slug);

        String code = OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request, issuer());
        Response tokens = app.token(code, request.verifier);
        tokens.then().statusCode(200).header("Cache-Control", "no-store").body("token_type", equalTo("Bearer"));

        JWTClaimsSet id = verify(tokens.path("id_token"), app.clientId);
        assertEquals(user.toString(), id.getSubject());
        assertEquals(request.nonce, id.getStringClaim("nonce"));
        assertEquals(org.slug, id.getStringClaim("org_slug"));
        assertEquals(org.orgId.toString(), id.getStringClaim("org_id"));
        assertEquals("ada@acme.test", id.getStringClaim("email"));
        assertEquals("Ada", id.getStringClaim("given_name"));
        assertEquals(List.of("Admins"), id.getStringListClaim("directory_groups"));
        assertNotNull(id.getStringClaim("sid"));
        assertEquals("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", id.getStringClaim("acr"));
        assertEquals(List.of("pwd"), id.getStringListClaim("amr"));
        String access = tokens.path("access_token");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(access.getBytes(StandardCharsets.US_ASCII));
        assertEquals(Base64URL.encode(Arrays.copyOf(digest, 16)).toString(), id.getStringClaim("at_hash"));

        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(200)
                .body("sub", equalTo(user.toString())).body("email", equalTo("ada@acme.test"))
                .body("org_slug", equalTo(org.slug));

        // the directory moves on after the sign-in: userinfo and a refreshed ID token show it as it is now
        UUID engineers = org.group("Engineers");
        org.user(user, "ada.lovelace@acme.test", true, admins, engineers);
        await().atMost(Duration.ofSeconds(20)).until(() -> "ada.lovelace@acme.test".equals(
                given().auth().oauth2(access).get("/oidc/userinfo").path("email")));
        Response refreshed = app.refresh(tokens.path("refresh_token"));
        refreshed.then().statusCode(200);
        JWTClaimsSet refreshedId = verify(refreshed.path("id_token"), app.clientId);
        assertEquals(user.toString(), refreshedId.getSubject());
        assertEquals("ada.lovelace@acme.test", refreshedId.getStringClaim("email"));
        assertEquals(List.of("Admins", "Engineers"), refreshedId.getStringListClaim("directory_groups"));
        assertEquals(id.getStringClaim("acr"), refreshedId.getStringClaim("acr"));
        assertEquals(id.getStringClaim("sid"), refreshedId.getStringClaim("sid"));
        // a refresh token is replaced at each use; one presented again was stolen, so the grant ends for everyone
        app.refresh(tokens.path("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        app.refresh(refreshed.path("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        given().auth().oauth2(refreshed.<String>path("access_token")).get("/oidc/userinfo").then().statusCode(401);
    }

    @Test
    void aCodeIsUsedOnceAndItsReplayRevokesWhatTheFirstUseObtained() throws Exception {
        SsoFixture org = SsoFixture.create("oidc-replay");
        org.user("ada@acme.test", true);
        OidcApp app = OidcApp.register("");
        OidcApp.Request request = app.request(org.slug);
        String code = OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request, issuer());

        Response first = app.token(code, request.verifier);
        first.then().statusCode(200);
        app.token(code, request.verifier).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("used already"));

        given().auth().oauth2(first.<String>path("access_token")).get("/oidc/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
        app.refresh(first.path("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void anExpiredCodeIsRefused() throws Exception {
        SsoFixture org = SsoFixture.create("oidc-expired");
        org.user("ada@acme.test", true);
        OidcApp app = OidcApp.register("");
        OidcApp.Request request = app.request(org.slug);
        String code = OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request, issuer());
        TestPostgres.get().execute("update sso.oidc_code set expires_at = now() - interval '1 second' "
                + "where client_id = '" + app.clientId + "'");

        app.token(code, request.verifier).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("expired"));
    }

    @Test
    void theCodeNeedsItsPkceVerifierItsRedirectUriAndItsClient() throws Exception {
        SsoFixture org = SsoFixture.create("oidc-bound");
        org.user("ada@acme.test", true);
        OidcApp app = OidcApp.register("");
        OidcApp other = OidcApp.register("");

        OidcApp.Request request = app.request(org.slug);
        String code = OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request, issuer());
        app.token(code, OidcApp.random()).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("code_verifier"));

        OidcApp.Request second = app.request(org.slug);
        String code2 = OidcApp.code(OidcApp.signIn(org, second, "ada@acme.test"), second, issuer());
        given().auth().preemptive().basic(app.clientId, app.secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "authorization_code").formParam("code", code2)
                .formParam("redirect_uri", OidcApp.REDIRECT + "/other").formParam("code_verifier", second.verifier)
                .post("/oidc/token").then().statusCode(400).body("error", equalTo("invalid_grant"));

        OidcApp.Request third = app.request(org.slug);
        String code3 = OidcApp.code(OidcApp.signIn(org, third, "ada@acme.test"), third, issuer());
        other.token(code3, third.verifier).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("another client"));
        // another client cannot use the code up: the app it was issued to still redeems it
        app.token(code3, third.verifier).then().statusCode(200);

        OidcApp.Request fourth = app.request(org.slug);
        String code4 = OidcApp.code(OidcApp.signIn(org, fourth, "ada@acme.test"), fourth, issuer());
        given().auth().preemptive().basic(app.clientId, "wrong-secret").contentType(ContentType.URLENC)
                .formParam("grant_type", "authorization_code").formParam("code", code4)
                .formParam("redirect_uri", OidcApp.REDIRECT).formParam("code_verifier", fourth.verifier)
                .post("/oidc/token").then().statusCode(401).body("error", equalTo("invalid_client"))
                .header("WWW-Authenticate", containsString("Basic"));
        given().contentType(ContentType.URLENC).formParam("grant_type", "authorization_code")
                .formParam("code", code4).formParam("client_id", app.clientId)
                .formParam("client_secret", app.secret) // registered for client_secret_basic, not _post
                .formParam("redirect_uri", OidcApp.REDIRECT).formParam("code_verifier", fourth.verifier)
                .post("/oidc/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        app.token(code4, fourth.verifier).then().statusCode(200);
    }

    @Test
    void anUnknownClientOrAnUnregisteredRedirectUriStopsOnAKeywayPage() {
        SsoFixture org = SsoFixture.create("oidc-page");
        OidcApp app = OidcApp.register("");

        Response unknown = app.request(org.slug).with("client_id", "nobody").authorize(Map.of());
        unknown.then().statusCode(400).contentType(containsString("text/html")).header("Location", nullValue())
                .body(containsString("not registered"));
        Response elsewhere = app.request(org.slug).with("redirect_uri", "https://evil.example/callback")
                .authorize(Map.of());
        elsewhere.then().statusCode(400).header("Location", nullValue()).body(containsString("redirect_uri"));
        // exact match: a registered URI with more path, or another query, is another URI
        app.request(org.slug).with("redirect_uri", OidcApp.REDIRECT + "/../x").authorize(Map.of()).then()
                .statusCode(400).header("Location", nullValue());
    }

    @Test
    void pkceIsRequiredAndOnlyS256() {
        SsoFixture org = SsoFixture.create("oidc-pkce");
        OidcApp app = OidcApp.register("");
        String issuer = issuer();

        for (OidcApp.Request request : List.of(app.request(org.slug).with("code_challenge", null),
                app.request(org.slug).with("code_challenge_method", "plain"),
                app.request(org.slug).with("code_challenge_method", null),
                app.request(org.slug).with("code_challenge", "too-short"))) {
            Response refused = request.authorize(Map.of());
            refused.then().statusCode(303);
            Map<String, String> query = OidcApp.query(refused.getHeader("Location"));
            assertEquals("invalid_request", query.get("error"), refused.getHeader("Location"));
            assertEquals(request.state, query.get("state"));
            assertEquals(issuer, query.get("iss"));
            assertNull(query.get("code"));
        }
        Response noOpenId = app.request(org.slug).with("scope", "profile").authorize(Map.of());
        assertEquals("invalid_scope", OidcApp.query(noOpenId.getHeader("Location")).get("error"));
        Response token = app.request(org.slug).with("response_type", "token").authorize(Map.of());
        assertEquals("unsupported_response_type", OidcApp.query(token.getHeader("Location")).get("error"));
    }

    @Test
    void authorizationsStartedTooFastAreRefusedBeforeAnythingIsSaved() {
        SsoFixture org = SsoFixture.create("oidc-rate");
        OidcApp app = OidcApp.register("");
        // anonymous callers use up the organization's allowance (it refills once a minute in %test), as for SAML
        int caller = 0;
        while (limits.tryStart(org.orgId.value(), "198.51.100." + (caller++ % 250))) {
            // keep going
        }

        Response refused = app.request(org.slug).authorize(Map.of());
        assertEquals("temporarily_unavailable", OidcApp.query(refused.getHeader("Location")).get("error"));
        assertEquals(0, TestPostgres.get().count("select count(*) from sso.oidc_authorization where org_id = ?::uuid",
                org.orgId.value().toString()));
    }

    @Test
    void anAppNotEnabledForTheOrganizationIsRefused() {
        SsoFixture org = SsoFixture.create("oidc-allowed");
        SsoFixture another = SsoFixture.create("oidc-other");
        OidcApp app = OidcApp.register("\"allowedOrganizations\":[\"" + another.slug + "\"]");

        Response refused = app.request(org.slug).authorize(Map.of());
        assertEquals("access_denied", OidcApp.query(refused.getHeader("Location")).get("error"));
        app.request(another.slug).authorize(Map.of()).then().statusCode(303)
                .header("Location", containsString("/saml/" + another.slug + "/login"));
    }

    @Test
    void withoutAnOrganizationKeywayAsksForTheEmail() {
        OidcApp app = OidcApp.register("");

        Response page = app.request(null).authorize(Map.of());
        page.then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("form-action 'self'"))
                .body(containsString("name=\"login_hint\"")).body(containsString(app.clientId));
        app.request(null).with("login_hint", "ada@unclaimed.example").authorize(Map.of()).then().statusCode(200)
                .body(containsString("No organization signs in that address"));
    }

    @Test
    void aLoginHintWhoseDomainAnOrganizationVerifiedPicksIt() {
        SsoFixture org = SsoFixture.create("oidc-hint");
        String domain = org.slug + ".example";
        VerifiedDomains.verified(org, domain);
        OidcApp app = OidcApp.register("");

        app.request(null).with("login_hint", "Ada@" + domain).authorize(Map.of()).then().statusCode(303)
                .header("Location", containsString("/saml/" + org.slug + "/login"))
                .cookie("keyway_oidc_browser");
    }

    @Test
    void endingTheSessionSignsOutOfKeywayAndEveryAppAndReturnsToARegisteredUri() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        HttpServer rp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rp.createContext("/backchannel", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        rp.start();
        try {
            SsoFixture org = SsoFixture.create("oidc-logout");
            org.user("ada@acme.test", true);
            OidcApp app = OidcApp.register("\"backchannelLogoutUri\":\"http://127.0.0.1:" + rp.getAddress().getPort()
                    + "/backchannel\",\"postLogoutRedirectUris\":[\"https://app.example.test/bye\"]");
            OidcApp.Request request = app.request(org.slug);
            Response tokens = app.token(OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request,
                    issuer()), request.verifier);
            String idToken = tokens.path("id_token");

            given().redirects().follow(false).queryParam("id_token_hint", idToken)
                    .queryParam("post_logout_redirect_uri", "https://evil.example/").get("/oidc/logout").then()
                    .statusCode(200).header("Location", nullValue());
            given().redirects().follow(false).queryParam("id_token_hint", idToken)
                    .queryParam("post_logout_redirect_uri", "https://app.example.test/bye").queryParam("state", "s1")
                    .get("/oidc/logout").then().statusCode(303)
                    .header("Location", "https://app.example.test/bye?state=s1");

            assertNotNull(received.poll(20, TimeUnit.SECONDS), "a back-channel logout");
            given().auth().oauth2(tokens.<String>path("access_token")).get("/oidc/userinfo").then().statusCode(401);
        } finally {
            rp.stop(0);
        }
    }

    @Test
    void aLogoutWithoutAnIdTokenOfThisSessionIsConfirmedByTheUserFirst() throws Exception {
        SsoFixture org = SsoFixture.create("oidc-logout-ask");
        org.user("ada@acme.test", true);
        String session = keywaySession(org);

        // a link on any page could send the browser here: the session lives on until the user says so
        given().redirects().follow(false).cookie("keyway_session", session).queryParam("state", "s1")
                .get("/oidc/logout").then().statusCode(200).header("Set-Cookie", nullValue())
                .body(containsString("Sign out?")).body(containsString("name=\"confirm\" value=\"yes\""))
                .body(containsString("name=\"state\" value=\"s1\""));
        given().cookie("keyway_session", session).get("/session").then().statusCode(200);
        // the confirmation posted without the browser's cookie (as from another site: SameSite=Lax) ends nothing
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("confirm", "yes")
                .post("/oidc/logout").then().statusCode(200);
        given().cookie("keyway_session", session).get("/session").then().statusCode(200);

        // nor does a genuine ID token of another session (anyone who signed in to an app holds one)
        OidcApp app = OidcApp.register("");
        OidcApp.Request request = app.request(org.slug);
        String otherSession = app.token(OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request,
                issuer()), request.verifier).path("id_token");
        given().redirects().follow(false).cookie("keyway_session", session).queryParam("id_token_hint", otherSession)
                .get("/oidc/logout").then().statusCode(200).body(containsString("Sign out?"));
        // nor a yes posted from a sibling subdomain (the same site, so the cookie came along)
        given().redirects().follow(false).cookie("keyway_session", session).header("Sec-Fetch-Site", "same-site")
                .contentType(ContentType.URLENC).formParam("confirm", "yes").post("/oidc/logout").then()
                .statusCode(200).body(containsString("Sign out?"));
        given().cookie("keyway_session", session).get("/session").then().statusCode(200);

        given().redirects().follow(false).cookie("keyway_session", session).header("Sec-Fetch-Site", "same-origin")
                .contentType(ContentType.URLENC).formParam("confirm", "yes").post("/oidc/logout").then()
                .statusCode(200).body(containsString("Signed out"));
        given().cookie("keyway_session", session).get("/session").then().statusCode(401);
    }

    @Test
    void anOrganizationOfAnotherRegionIsSentThere() {
        var european = OrgAnnouncements.announce("sso", "oidc-eu", Region.EU);
        OidcApp app = OidcApp.register("");

        app.request(european.slug()).authorize(Map.of()).then().statusCode(303)
                .header("Location", containsString("http://localhost:9081/oidc/authorize?client_id=" + app.clientId))
                .header("Location", containsString("org=" + european.slug()));
    }

    @Test
    void idTokensForgedWithNoneOrHmacOverThePublicKeyAreRefused() throws Exception {
        SsoFixture org = SsoFixture.create("oidc-forge");
        org.user("ada@acme.test", true);
        OidcApp app = OidcApp.register("");
        OidcApp.Request request = app.request(org.slug);
        String code = OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request, issuer());
        String genuine = app.token(code, request.verifier).path("id_token");
        JWTClaimsSet claims = verify(genuine, app.clientId);
        JWTClaimsSet forgedClaims = new JWTClaimsSet.Builder(claims).subject(UUID.randomUUID().toString()).build();

        String none = new PlainJWT(forgedClaims).serialize();
        RSAKey published = (RSAKey) jwks().getKeys().get(0);
        JWSObject hmac = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(),
                new Payload(forgedClaims.toJSONObject()));
        hmac.sign(new MACSigner(published.toRSAPublicKey().getEncoded()));
        String hs256 = hmac.serialize();

        assertThrows(BadJOSEException.class, () -> verify(none, app.clientId));
        assertThrows(BadJOSEException.class, () -> verify(hs256, app.clientId));

        // Keyway's own reading of an ID token (id_token_hint) refuses them too: the session the forgery names lives on
        String session = keywaySession(org);
        String sid = (String) SignedJWT.parse(session).getJWTClaimsSet().getClaim("sid");
        JWTClaimsSet naming = new JWTClaimsSet.Builder(claims).claim("sid", sid).build();
        JWSObject hmacHint = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID())
                .build(), new Payload(naming.toJSONObject()));
        hmacHint.sign(new MACSigner(published.toRSAPublicKey().getEncoded()));
        for (String forged : List.of(hmacHint.serialize(), new PlainJWT(naming).serialize())) {
            given().redirects().follow(false).queryParam("id_token_hint", forged).get("/oidc/logout").then()
                    .statusCode(200);
            given().cookie("keyway_session", session).get("/session").then().statusCode(200);
        }
    }

    @Test
    void privateKeyJwtAuthenticatesWithTheRegisteredKeyOnly() throws Exception {
        SsoFixture org = SsoFixture.create("oidc-pkjwt");
        org.user("ada@acme.test", true);
        RSAKey key = new RSAKeyGenerator(2048).keyID("app-key").generate();
        String clientId = "jwt-app-" + UUID.randomUUID();
        given().auth().oauth2(SsoFixture.OPERATOR).contentType(ContentType.JSON)
                .body("{\"clientId\":\"" + clientId + "\",\"name\":\"JWT app\","
                        + "\"tokenEndpointAuthMethod\":\"private_key_jwt\",\"redirectUris\":[\"" + OidcApp.REDIRECT
                        + "\"],\"jwks\":" + new JWKSet(key.toPublicJWK()).toString() + "}")
                .post("/admin/oidc/clients").then().statusCode(201).body("clientSecret", nullValue());
        given().auth().oauth2(SsoFixture.OPERATOR).contentType(ContentType.JSON)
                .body("{\"name\":\"bad\",\"tokenEndpointAuthMethod\":\"private_key_jwt\",\"redirectUris\":[\""
                        + OidcApp.REDIRECT + "\"],\"jwks\":" + new JWKSet(key).toString(false) + "}")
                .post("/admin/oidc/clients").then().statusCode(400).body("detail", containsString("public keys"));

        OidcApp.Request request = new OidcApp.Request(appNamed(clientId), org.slug);
        String code = OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request, issuer());
        String tokenEndpoint = issuer() + "/token";
        JWTClaimsSet assertion = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
                .audience(tokenEndpoint).jwtID(UUID.randomUUID().toString())
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build();

        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), assertion);
        hmac.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        tokenWithAssertion(code, request, hmac.serialize()).then().statusCode(401)
                .body("error", equalTo("invalid_client"));

        SignedJWT signed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("app-key").build(),
                assertion);
        signed.sign(new RSASSASigner(key));

        // an assertion good for a day would let whoever copies it authenticate as the app all day
        SignedJWT longLived = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("app-key").build(),
                new JWTClaimsSet.Builder(assertion).expirationTime(new Date(System.currentTimeMillis() + 86_400_000))
                        .build());
        longLived.sign(new RSASSASigner(key));
        tokenWithAssertion(code, request, longLived.serialize()).then().statusCode(401)
                .body("error", equalTo("invalid_client"));

        tokenWithAssertion(code, request, signed.serialize()).then().statusCode(200);
        // used once (RFC 7523 §3): the same assertion copied from a log or a proxy does not authenticate the app
        // again (were it accepted, the spent code would be refused as invalid_grant instead)
        tokenWithAssertion(code, request, signed.serialize()).then().statusCode(401)
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void aDeactivationEndsUserinfoAndRefreshAndLogsTheAppOutThroughTheBackChannel() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        HttpServer rp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rp.createContext("/backchannel", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        rp.start();
        try {
            SsoFixture org = SsoFixture.create("oidc-bcl");
            UUID user = org.user("ada@acme.test", true);
            OidcApp app = OidcApp.register("\"backchannelLogoutUri\":\"http://127.0.0.1:" + rp.getAddress().getPort()
                    + "/backchannel\"");
            OidcApp.Request request = app.request(org.slug);
            String code = OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request, issuer());
            Response tokens = app.token(code, request.verifier);
            String sid = verify(tokens.path("id_token"), app.clientId).getStringClaim("sid");

            org.user(user, "ada@acme.test", false);

            String body = received.poll(20, TimeUnit.SECONDS);
            assertNotNull(body, "a logout token");
            String logoutToken = body.substring("logout_token=".length());
            SignedJWT logout = SignedJWT.parse(logoutToken);
            assertEquals("logout+jwt", logout.getHeader().getType().toString());
            JWTClaimsSet claims = verify(logoutToken, app.clientId, new JOSEObjectType("logout+jwt"));
            assertEquals(user.toString(), claims.getSubject());
            assertEquals(sid, claims.getStringClaim("sid"));
            assertNotNull(claims.getJWTID());
            assertTrue(claims.getJSONObjectClaim("events").containsKey(
                    "http://schemas.openid.net/event/backchannel-logout"));
            assertNull(claims.getClaim("nonce"));

            given().auth().oauth2(tokens.<String>path("access_token")).get("/oidc/userinfo").then().statusCode(401);
            app.refresh(tokens.path("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
            await().atMost(Duration.ofSeconds(10)).until(() -> TestPostgres.get().count(
                    "select count(*) from sso.oidc_logout_delivery where client_id = ? and delivered_at is not null",
                    app.clientId) == 1);
        } finally {
            rp.stop(0);
        }
    }

    @Test
    void anUndeliveredLogoutIsRetriedUntilTheAppAcknowledgesIt() throws Exception {
        LinkedBlockingQueue<Integer> attempts = new LinkedBlockingQueue<>();
        HttpServer rp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rp.createContext("/backchannel", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int attempt = attempts.size() + 1;
            attempts.add(attempt);
            exchange.sendResponseHeaders(attempt < 3 ? 503 : 200, -1);
            exchange.close();
        });
        rp.start();
        try {
            SsoFixture org = SsoFixture.create("oidc-retry");
            UUID user = org.user("ada@acme.test", true);
            OidcApp app = OidcApp.register("\"backchannelLogoutUri\":\"http://127.0.0.1:" + rp.getAddress().getPort()
                    + "/backchannel\"");
            OidcApp.Request request = app.request(org.slug);
            app.token(OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request, issuer()),
                    request.verifier).then().statusCode(200);

            TestKafka.get().publish(EventEnvelope.of(EventType.USER_DELETED, org.orgId, Region.API,
                    user.toString(), System.nanoTime(), new UserDeleted(user)));

            await().atMost(Duration.ofSeconds(20)).until(() -> TestPostgres.get().count(
                    "select count(*) from sso.oidc_logout_delivery where client_id = ? and delivered_at is not null "
                            + "and attempts = 3",
                    app.clientId) == 1);
            assertEquals(3, attempts.size());
        } finally {
            rp.stop(0);
        }
    }

    @Test
    void aLogoutIsNeverSentToAnInternalAddressAndTheRefusalIsRecorded() throws Exception {
        given().auth().oauth2(SsoFixture.OPERATOR).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"tokenEndpointAuthMethod\":\"client_secret_basic\",\"redirectUris\":[\""
                        + OidcApp.REDIRECT + "\"],\"backchannelLogoutUri\":\"https://169.254.169.254/logout\"}")
                .post("/admin/oidc/clients").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("169.254.169.254"));

        // an internal app (127.0.0.2 here, outside the allowed 127.0.0.1/32) that would acknowledge the logout
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        internal.createContext("/backchannel", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        internal.start();
        try {
            SsoFixture org = SsoFixture.create("oidc-internal");
            UUID user = org.user("ada@acme.test", true);
            OidcApp app = OidcApp.register("\"backchannelLogoutUri\":\"https://app.example.test/backchannel\"");
            OidcApp.Request request = app.request(org.slug);
            app.token(OidcApp.code(OidcApp.signIn(org, request, "ada@acme.test"), request, issuer()),
                    request.verifier).then().statusCode(200);
            // what a registered name resolving to an internal address comes to (a name is only checked at delivery)
            TestPostgres.get().execute("update sso.oidc_client set backchannel_logout_uri = 'http://127.0.0.2:"
                    + internal.getAddress().getPort() + "/backchannel' where client_id = '" + app.clientId + "'");

            org.user(user, "ada@acme.test", false);

            await().atMost(Duration.ofSeconds(20)).until(() -> TestPostgres.get().count(
                    "select count(*) from sso.oidc_logout_delivery where client_id = ? and delivered_at is null "
                            + "and last_error like '%127.0.0.2%not allowed%'",
                    app.clientId) == 1);
            assertTrue(received.isEmpty(), "nothing reached the internal address");
        } finally {
            internal.stop(0);
        }
    }

    @Test
    void theJumpCloudTileStartsAFreshAuthorizationAtTheAppNeverACode() {
        SsoFixture org = SsoFixture.create("oidc-tile");
        org.user("ada@acme.test", true);
        OidcApp app = OidcApp.register("\"initiateLoginUri\":\"https://app.example.test/login\"");

        Response acs = org.post(org.response("ada@acme.test").xml(), "/oidc/initiate/" + app.clientId);
        acs.then().statusCode(303).header("Location", "/oidc/initiate/" + app.clientId);
        Response initiate = given().redirects().follow(false).cookie("keyway_session", acs.getCookie(
                "keyway_session")).get("/oidc/initiate/" + app.clientId);
        initiate.then().statusCode(303);
        String location = initiate.getHeader("Location");
        assertTrue(location.startsWith("https://app.example.test/login?"), location);
        Map<String, String> query = OidcApp.query(location);
        assertEquals(issuer(), query.get("iss"));
        assertEquals("ada@acme.test", query.get("login_hint"));
        assertNull(query.get("code"));
        assertEquals(0, TestPostgres.get().count("select count(*) from sso.oidc_code where client_id = ?",
                app.clientId));

        // the app's fresh authorization finds the organization from this browser's Keyway session
        app.request(null).authorize(Map.of("keyway_session", acs.getCookie("keyway_session"))).then()
                .statusCode(303).header("Location", containsString("/saml/" + org.slug + "/login"));
        // without a session, nothing happens
        given().redirects().follow(false).get("/oidc/initiate/" + app.clientId).then().statusCode(400);
    }

    @Test
    void theClientAdminApiIsForTheOperatorAndShowsASecretOnce() {
        given().contentType(ContentType.JSON).body("{}").post("/admin/oidc/clients").then().statusCode(401);
        SsoFixture org = SsoFixture.create("oidc-admin");
        given().auth().oauth2(org.owner).get("/admin/oidc/clients").then().statusCode(403);

        OidcApp app = OidcApp.register("");
        given().auth().oauth2(SsoFixture.OPERATOR).get("/admin/oidc/clients/" + app.clientId).then().statusCode(200)
                .body("clientSecret", nullValue()).body("redirectUris", equalTo(List.of(OidcApp.REDIRECT)));
        assertEquals(0, TestPostgres.get().count(
                "select count(*) from sso.oidc_client where secret_hash = convert_to(?, 'UTF8')", app.secret));

        given().auth().oauth2(SsoFixture.OPERATOR).contentType(ContentType.JSON)
                .body("{\"name\":\"\",\"tokenEndpointAuthMethod\":\"password\",\"redirectUris\":[]}")
                .post("/admin/oidc/clients").then().statusCode(400).contentType("application/problem+json")
                .body(containsString("name")).body(containsString("tokenEndpointAuthMethod"))
                .body(containsString("redirectUris"));
        given().auth().oauth2(SsoFixture.OPERATOR).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"tokenEndpointAuthMethod\":\"client_secret_basic\","
                        + "\"redirectUris\":[\"http://app.example.test/cb\"]}")
                .post("/admin/oidc/clients").then().statusCode(400).body("detail", containsString("https"));
        given().auth().oauth2(SsoFixture.OPERATOR).contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"tokenEndpointAuthMethod\":\"client_secret_basic\","
                        + "\"redirectUris\":[\"https://app.example.test/cb#frag\"]}")
                .post("/admin/oidc/clients").then().statusCode(400).body("detail", containsString("fragment"));

        given().auth().oauth2(SsoFixture.OPERATOR).delete("/admin/oidc/clients/" + app.clientId).then()
                .statusCode(204);
        given().auth().oauth2(SsoFixture.OPERATOR).get("/admin/oidc/clients/" + app.clientId).then()
                .statusCode(404);
    }

    private static OidcApp appNamed(String clientId) {
        return OidcApp.named(clientId);
    }

    private static Response tokenWithAssertion(String code, OidcApp.Request request, String assertion) {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "authorization_code")
                .formParam("code", code).formParam("redirect_uri", OidcApp.REDIRECT)
                .formParam("code_verifier", request.verifier)
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", assertion).post("/oidc/token");
    }

    /** A Keyway session of this organization (IdP-initiated sign-in). */
    private static String keywaySession(SsoFixture org) {
        return org.post(org.response("ada@acme.test").xml(), null).getCookie("keyway_session");
    }
}
