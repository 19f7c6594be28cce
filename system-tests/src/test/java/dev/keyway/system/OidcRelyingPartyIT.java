package dev.keyway.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import com.sun.net.httpserver.HttpServer;

import dev.keyway.testsupport.SamlIdp;
import dev.keyway.testsupport.TestPostgres;
import io.restassured.http.ContentType;

/**
 * An app signs its users in through Keyway with a real OpenID Connect relying-party library Keyway did not write
 * (Nimbus OAuth 2.0 SDK with OpenID Connect extensions): it discovers Keyway from the issuer URL, sends the user
 * through the organization's JumpCloud (the SAML IdP stand-in) and back, validates the ID token itself (issuer,
 * signature against the JWKS, audience, nonce, at_hash), reads userinfo, and receives a back-channel logout when
 * SCIM deactivates the user.
 */
class OidcRelyingPartyIT {

    private final KeywaySystem system = KeywaySystem.get();

    @Test
    void anAppSignsInWithItsOwnOidcLibraryAndHearsOfTheDeactivation() throws Exception {
        String slug = "oidc-rp-" + UUID.randomUUID().toString().substring(0, 8);
        String sso = system.sso().url();
        given().baseUri(sso).auth().oauth2(KeywaySystem.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"OIDC\",\"region\":\"api\"}")
                .post("/admin/orgs").then().statusCode(201);
        String owner = given().baseUri(sso).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .post("/admin/orgs/" + slug + "/owner-tokens").then().extract().path("token");
        SamlIdp idp = SamlIdp.create("https://sso.jumpcloud.com/saml2/" + slug);
        var saml = given().baseUri(sso).auth().oauth2(owner).contentType("application/xml")
                .body(idp.metadata("https://sso.jumpcloud.com/saml2/" + slug, true))
                .put("/admin/orgs/" + slug + "/saml/idp").then().statusCode(200).extract();
        String scimToken = await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(system.scim().url())
                .auth().oauth2(owner).post("/admin/orgs/" + slug + "/scim/tokens"),
                response -> response.statusCode() == 201).path("token");
        String email = "grace@" + slug + ".test";
        String userId = given().baseUri(system.scim().url()).basePath("/scim/v2").auth().oauth2(scimToken)
                .contentType("application/scim+json")
                .body("{\"userName\":\"" + email + "\",\"name\":{\"givenName\":\"Grace\",\"familyName\":\"Hopper\"},"
                        + "\"emails\":[{\"value\":\"" + email + "\",\"primary\":true}]}")
                .post("/Users").then().statusCode(201).extract().path("id");
        // sso-service hears of the user through Kafka; a sign-in before that is rightly refused
        await().atMost(Duration.ofSeconds(30)).until(() -> TestPostgres.get()
                .count("select count(*) from sso.login_user where user_id = ?::uuid", userId) == 1);

        // the app: its callback and back-channel logout endpoint, registered by the operator
        LinkedBlockingQueue<String> logouts = new LinkedBlockingQueue<>();
        HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/backchannel", exchange -> {
            logouts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        app.start();
        try {
            String base = "http://127.0.0.1:" + app.getAddress().getPort();
            URI callback = URI.create(base + "/callback");
            var registered = given().baseUri(sso).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                    .contentType(ContentType.JSON)
                    .body("{\"name\":\"RP\",\"tokenEndpointAuthMethod\":\"client_secret_basic\",\"redirectUris\":[\""
                            + callback + "\"],\"backchannelLogoutUri\":\"" + base + "/backchannel\","
                            + "\"allowedOrganizations\":[\"" + slug + "\"]}")
                    .post("/admin/oidc/clients").then().statusCode(201).extract();
            ClientID clientId = new ClientID(registered.<String>path("clientId"));
            Secret secret = new Secret(registered.<String>path("clientSecret"));

            // discovery, by the library
            OIDCProviderMetadata provider = OIDCProviderMetadata.resolve(new Issuer(sso + "/oidc"));

            State state = new State();
            Nonce nonce = new Nonce();
            CodeVerifier verifier = new CodeVerifier();
            URI authorize = new AuthenticationRequest.Builder(new ResponseType("code"),
                    new Scope("openid", "profile", "email"), clientId, callback)
                    .endpointURI(provider.getAuthorizationEndpointURI()).state(state).nonce(nonce)
                    .codeChallenge(verifier, CodeChallengeMethod.S256).customParameter("org", slug).build().toURI();

            URI back = new Browser(sso).signIn(authorize, idp, saml.path("acsUrl"), saml.path("spEntityId"), email);

            AuthorizationResponse response = AuthorizationResponse.parse(back);
            assertTrue(response.indicatesSuccess(), back.toString());
            assertEquals(state, response.getState());
            assertEquals(provider.getIssuer(), response.getIssuer()); // RFC 9207
            AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();

            OIDCTokenResponse tokens = (OIDCTokenResponse) OIDCTokenResponseParser.parse(new TokenRequest(
                    provider.getTokenEndpointURI(), new ClientSecretBasic(clientId, secret),
                    new AuthorizationCodeGrant(code, callback, verifier)).toHTTPRequest().send()).toSuccessResponse();
            IDTokenClaimsSet id = new IDTokenValidator(provider.getIssuer(), clientId, JWSAlgorithm.RS256,
                    provider.getJWKSetURI().toURL()).validate(tokens.getOIDCTokens().getIDToken(), nonce);
            BearerAccessToken access = tokens.getOIDCTokens().getBearerAccessToken();
            AccessTokenValidator.validate(access, JWSAlgorithm.RS256, id.getAccessTokenHash());
            assertEquals(userId, id.getSubject().getValue());
            assertEquals(slug, id.getStringClaim("org_slug"));
            assertEquals(email, id.getStringClaim("email"));

            UserInfoResponse info = UserInfoResponse.parse(new UserInfoRequest(provider.getUserInfoEndpointURI(),
                    access).toHTTPRequest().send());
            assertTrue(info.indicatesSuccess());
            UserInfo user = info.toSuccessResponse().getUserInfo();
            assertEquals(id.getSubject(), user.getSubject());
            assertEquals("Grace", user.getGivenName());

            long deactivated = System.nanoTime();
            given().baseUri(system.scim().url()).basePath("/scim/v2").auth().oauth2(scimToken)
                    .contentType("application/scim+json")
                    .body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                            + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}")
                    .patch("/Users/" + userId).then().statusCode(200);
            String body = logouts.poll(10, TimeUnit.SECONDS);
            long delayMillis = (System.nanoTime() - deactivated) / 1_000_000;
            // printed, not asserted: how fast is a benchmark's question (deploy/bench), not this test's
            System.out.println("sso.deactivation_to_backchannel_logout_ms=" + delayMillis);
            assertNotNull(body, "a back-channel logout");
            String token = URLDecoder.decode(body.substring(body.indexOf("logout_token=") + 13),
                    StandardCharsets.UTF_8);
            LogoutTokenClaimsSet logout = new LogoutTokenValidator(provider.getIssuer(), clientId,
                    JWSAlgorithm.RS256, provider.getJWKSetURI().toURL()).validate(JWTParser.parse(token));
            assertEquals(id.getSubject(), logout.getSubject());
            assertEquals(id.getSessionID(), logout.getSessionID());

            assertFalse(UserInfoResponse.parse(new UserInfoRequest(provider.getUserInfoEndpointURI(), access)
                    .toHTTPRequest().send()).indicatesSuccess());
        } finally {
            app.stop(0);
        }
    }

    /** A browser: follows Keyway's redirects by hand, keeps cookies, plays the user at the IdP stand-in. */
    private static final class Browser {

        private final String sso;
        private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        Browser(String sso) {
            this.sso = sso;
        }

        URI signIn(URI authorize, SamlIdp idp, String acs, String spEntityId, String email) throws Exception {
            URI atKeyway = location(get(authorize)); // to the organization's SAML login
            URI atIdp = location(get(atKeyway));
            Matcher id = Pattern.compile("\\sID=\"([^\"]+)\"").matcher(authnRequest(atIdp));
            assertTrue(id.find());
            String xml = idp.response().to(acs, spEntityId).nameId(email, SamlIdp.NAMEID_EMAIL)
                    .inResponseTo(id.group(1)).xml();
            HttpResponse<String> signedIn = send(HttpRequest.newBuilder(URI.create(acs))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("SAMLResponse=" + URLEncoder.encode(
                            Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8)),
                            StandardCharsets.UTF_8))));
            return location(get(location(signedIn))); // Keyway, then the app's callback
        }

        private HttpResponse<String> get(URI uri) throws Exception {
            return send(HttpRequest.newBuilder(uri).GET());
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String pair = setCookie.split(";", 2)[0];
                cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            assertEquals(303, response.statusCode(), response.uri() + ": " + response.body());
            return response;
        }

        private URI location(HttpResponse<String> response) {
            return URI.create(sso).resolve(response.headers().firstValue("Location").orElseThrow());
        }

        private static String authnRequest(URI location) throws Exception {
            String encoded = List.of(location.getRawQuery().split("&")).stream()
                    .filter(pair -> pair.startsWith("SAMLRequest=")).findFirst().orElseThrow().substring(12);
            Inflater inflater = new Inflater(true);
            inflater.setInput(Base64.getDecoder().decode(URLDecoder.decode(encoded, StandardCharsets.UTF_8)));
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
    }
}
