package dev.keyway.sso.saml;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.keyway.sso.SsoFixture;
import dev.keyway.testsupport.KeywayTestStack;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Every HTML page sign-in serves: a strict Content-Security-Policy, and every printed value escaped. */
@QuarkusTest
@WithTestResource(KeywayTestStack.class)
class HtmlPagesTest {

    private static final String ATTACK = "\"'><script>alert(1)</script><img src=x onerror=alert(2)>&amp;";

    @Test
    void theRefusalPageRunsNothingAndCannotBeFramedOrSniffed() throws Exception {
        String slug = "bare-html-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(SsoFixture.OPERATOR).contentType("application/json")
                .body("{\"slug\":\"" + slug + "\",\"displayName\":\"Bare\",\"region\":\"api\"}").post("/admin/orgs")
                .then().statusCode(201);

        for (Response page : List.of(given().redirects().follow(false).get("/saml/" + slug + "/login"),
                given().contentType("application/x-www-form-urlencoded").formParam("SAMLResponse", "PHNhbWw+")
                        .formParam("RelayState", ATTACK).post("/saml/" + slug + "/acs"))) {
            page.then().statusCode(404).contentType("text/html;charset=UTF-8");
            String policy = page.getHeader("Content-Security-Policy");
            assertEquals("default-src 'none'; style-src '" + sha256(inside(page.asString(), "style").get(0))
                    + "'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'", policy);
            assertEquals("nosniff", page.getHeader("X-Content-Type-Options"));
            assertEquals("no-referrer", page.getHeader("Referrer-Policy"));
            assertEquals("DENY", page.getHeader("X-Frame-Options"));
            assertFalse(page.asString().contains("<script") || page.asString().contains("alert"), page.asString());
        }
    }

    @Test
    void theAuthnRequestFormMayOnlyPostToTheIdpAndRunOnlyItsOwnScript() throws Exception {
        SsoFixture org = SsoFixture.create("post-form");
        given().auth().oauth2(org.owner).contentType("application/samlmetadata+xml")
                .body(org.idp.metadata("https://sso.jumpcloud.com/saml2/" + org.slug, false))
                .put("/admin/orgs/" + org.slug + "/saml/idp").then().statusCode(200);

        Response form = given().redirects().follow(false).queryParam("returnTo", ATTACK)
                .get("/saml/" + org.slug + "/login");

        form.then().statusCode(200).contentType("text/html;charset=UTF-8");
        String html = form.asString();
        List<String> scripts = inside(html, "script");
        assertEquals(List.of(Html.AUTO_SUBMIT), scripts);
        assertEquals("default-src 'none'; style-src '" + sha256(inside(html, "style").get(0)) + "'; script-src '"
                + sha256(scripts.get(0)) + "'; form-action https://sso.jumpcloud.com; frame-ancestors 'none'; "
                + "base-uri 'none'", form.getHeader("Content-Security-Policy"));
        assertTrue(html.contains("action=\"https://sso.jumpcloud.com/saml2/" + org.slug + "\""), html);
        assertEquals("nosniff", form.getHeader("X-Content-Type-Options"));
        assertFalse(html.contains("alert"), "returnTo is remembered, never printed: " + html);
    }

    @Test
    void everyPrintedValueIsEscaped() {
        Html.Page refusal = Html.refusal(ATTACK, ATTACK);
        Html.Page form = Html.postForm(ATTACK, ATTACK, ATTACK);

        for (Html.Page page : List.of(refusal, form)) {
            assertFalse(page.html().contains("<img") || page.html().contains("<script>alert")
                    || page.html().contains("\"'>"), page.html());
            assertTrue(page.html().contains("&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x "
                    + "onerror=alert(2)&gt;&amp;amp;"), page.html());
        }
        assertTrue(Html.postForm("https://IdP.example:8443/sso/x?y=1", "x", null).contentSecurityPolicy()
                .contains("; form-action https://idp.example:8443;"));
        for (String notWeb : new String[]{ ATTACK, "javascript:alert(1)", "data:text/html,x", "/relative", "not a url",
                "https://idp.example/sso?x=" + ATTACK }) {
            assertTrue(Html.postForm(notWeb, "x", null).contentSecurityPolicy().contains("form-action 'none';"),
                    notWeb);
        }
    }

    private static List<String> inside(String html, String element) {
        Matcher matcher = Pattern.compile("<" + element + "[^>]*>(.*?)</" + element + ">", Pattern.DOTALL)
                .matcher(html);
        List<String> found = new ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static String sha256(String inline) throws Exception {
        return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(inline.getBytes(StandardCharsets.UTF_8)));
    }
}
