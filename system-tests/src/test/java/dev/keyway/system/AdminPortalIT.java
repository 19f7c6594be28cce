package dev.keyway.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.keyway.testsupport.JumpCloudStandIn;
import dev.keyway.testsupport.SamlIdp;
import dev.keyway.testsupport.TestDns;
import dev.keyway.testsupport.TestPostgres;
import io.restassured.http.ContentType;

/**
 * The admin portal in a real browser (Debian's headless Chromium, driven by Selenium through chromedriver) against
 * the packaged services on real PostgreSQL and Kafka: an IT admin opens a setup link and connects JumpCloud (SAML
 * from JumpCloud's genuine exported metadata, an SP certificate, a SCIM token used by a SCIM client, a directory
 * import against the JumpCloud stand-in, a test sign-in through an IdP stand-in, a domain verified against a DNS
 * stand-in, the SCIM client's requests on the Logs page), and every refusal (an expired link,
 * another organization's page, a forged form post, a bad certificate) is a page that says so, with nothing written.
 * Each page is saved as a screenshot, under target/portal-screenshots; with {@code -Dkeyway.screenshots=deploy/docs/portal}
 * (a folder of the checkout) they replace the documentation's, so a test run leaves the checkout as it was.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPortalIT {

    private static final KeywaySystem SYSTEM = KeywaySystem.get();
    private static final Path SCREENSHOTS = Optional.ofNullable(System.getProperty("keyway.screenshots"))
            .map(folder -> Path.of(System.getProperty("keyway.root", ".."), folder))
            .orElse(Path.of("target", "portal-screenshots"));
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static String slug;
    private static String otherSlug;
    private static WebDriver browser;
    private static WebDriverWait wait;
    private static IdpStandIn idp;

    @BeforeAll
    static void openABrowser() throws IOException {
        slug = "portal-" + UUID.randomUUID().toString().substring(0, 8);
        otherSlug = "other-" + UUID.randomUUID().toString().substring(0, 8);
        registerOrganization(slug);
        registerOrganization(otherSlug);
        idp = new IdpStandIn(SamlIdp.create("https://sso.jumpcloud.com/saml2/keyway-" + slug));

        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--lang=en-US");
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        wait = new WebDriverWait(browser, PATIENCE);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (idp != null) {
            idp.server.stop(0);
        }
    }

    @Test
    @Order(1)
    void aSetupLinkOpensTheOrganizationsPagesInThisBrowser() {
        String link = setupLink(slug, "PT1H");
        browser.get(link);
        assertTrue(text("h1").contains(slug));
        screenshot("01-setup-link");
        click(By.cssSelector("button.primary"));
        wait.until(ExpectedConditions.urlToBe(SYSTEM.portal().url() + "/portal/" + slug));
        assertTrue(text("h1").contains("Connect JumpCloud"));
        screenshot("02-overview");

        // the cookie is the browser's alone: no script can read it
        assertEquals("", ((JavascriptExecutor) browser).executeScript("return document.cookie"));
        var cookie = browser.manage().getCookieNamed("__Host-keyway_portal");
        assertTrue(cookie.isHttpOnly() && cookie.isSecure() && "Strict".equals(cookie.getSameSite())
                && "/".equals(cookie.getPath()), cookie.toString());

        // the link is used up: opening it again says so
        browser.get(link);
        assertTrue(text("h1").contains("already been used"));
        browser.get(SYSTEM.portal().url() + "/portal/" + slug);
    }

    @Test
    @Order(2)
    void samlIsConfiguredFromJumpCloudsExportedMetadata() throws IOException {
        browser.get(SYSTEM.portal().url() + "/portal/" + slug + "/saml");
        assertTrue(text("#sp-entity-id").endsWith("/saml/" + slug + "/metadata"));
        assertTrue(text("#acs-url").endsWith("/saml/" + slug + "/acs"));
        Path metadata = Files.createTempFile("JumpCloud-keyway-metadata", ".xml");
        try (var in = AdminPortalIT.class.getResourceAsStream("/jumpcloud/metadata.xml")) {
            Files.copy(in, metadata, StandardCopyOption.REPLACE_EXISTING);
        }
        browser.findElement(By.id("metadataFile")).sendKeys(metadata.toAbsolutePath().toString());
        click(By.id("upload-metadata"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("saml-status"), "IdP Entity ID"));
        assertTrue(text("[role=status]").contains("saved"));
        screenshot("03-saml");
    }

    @Test
    @Order(3)
    void anSpCertificateIsGeneratedAndDownloadable() throws Exception {
        browser.get(SYSTEM.portal().url() + "/portal/" + slug + "/saml");
        click(By.id("generate-sp-certificate"));
        WebElement download = wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("Download")));
        HttpResponse<String> pem = HttpClient.newHttpClient().send(HttpRequest
                .newBuilder(URI.create(download.getAttribute("href")))
                .header("Cookie", "__Host-keyway_portal="
                        + browser.manage().getCookieNamed("__Host-keyway_portal").getValue())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, pem.statusCode());
        assertTrue(pem.body().startsWith("-----BEGIN CERTIFICATE-----"), pem.body());
        screenshot("04-saml-sp-certificate");
    }

    @Test
    @Order(4)
    void aBadCertificateIsRefusedNextToItsFieldAndNothingChanges() {
        browser.get(SYSTEM.portal().url() + "/portal/" + slug + "/saml");
        type(By.id("entityId"), "https://sso.jumpcloud.com/saml2/other");
        type(By.id("certificate"), "-----BEGIN CERTIFICATE-----\nnot a certificate at all\n-----END CERTIFICATE-----");
        click(By.id("save-manual"));
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("certificate-error")));
        assertTrue(error.getText().contains("certificates[0]"), error.getText());
        assertEquals("true", browser.findElement(By.id("certificate")).getAttribute("aria-invalid"));
        // the IdP from JumpCloud's metadata is still the one trusted
        assertTrue(text("#saml-status").contains("IdP Entity ID"));
        screenshot("05-saml-bad-certificate");
    }

    @Test
    @Order(5)
    void aScimTokenIsShownOnceAndWorksForAScimClient() throws Exception {
        awaitKnownTo(SYSTEM.scim().url() + "/admin/orgs/" + slug + "/scim/tokens");
        browser.get(SYSTEM.portal().url() + "/portal/" + slug + "/scim");
        assertTrue(text("#scim-base-url").equals(SYSTEM.scim().url() + "/scim/v2"));
        click(By.id("generate-token"));
        String token = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("issued-token")))
                .getAttribute("value");
        assertTrue(token.startsWith("kws_api_"), token);
        String apiKeyForm = browser.findElement(By.id("issued-api-key")).getAttribute("value");
        screenshot("06-scim-token");
        // the API-key form ("API_KEY:SCIM_KEY") is accepted as well
        given().baseUri(SYSTEM.scim().url()).auth().oauth2(apiKeyForm).get("/scim/v2/Users").then().statusCode(200);

        // JumpCloud's SCIM client, with the token the admin pasted
        String email = "ada@" + slug + ".test";
        String userId = given().baseUri(SYSTEM.scim().url()).auth().oauth2(token)
                .contentType("application/scim+json").body("""
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",
                         "name":{"givenName":"Ada","familyName":"Lovelace"},
                         "emails":[{"value":"%s","type":"work","primary":true}],"active":true}"""
                        .formatted(email, email))
                .post("/scim/v2/Users").then().statusCode(201).extract().path("id");
        // the same user again: refused, and the refusal's SCIM error lands in the request log (Logs page)
        given().baseUri(SYSTEM.scim().url()).auth().oauth2(token).contentType("application/scim+json")
                .body("""
                        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s"}"""
                        .formatted(email))
                .post("/scim/v2/Users").then().statusCode(409);
        browser.get(SYSTEM.portal().url() + "/portal/" + slug + "/scim");
        assertTrue(browser.findElements(By.id("issued-token")).isEmpty(), "the token is shown once");
        assertTrue(!text("td.last-used").equals("never"), "the token's last use is shown");
        screenshot("07-scim");
        // sso-service learns the user from the directory's events before the test sign-in
        await().atMost(PATIENCE).until(() -> TestPostgres.get().count(
                "select count(*) from sso.login_user where user_id = ?::uuid and active", userId) == 1);
    }

    @Test
    @Order(6)
    void theTestSignInRunsARealSpInitiatedSignIn() {
        browser.get(SYSTEM.portal().url() + "/portal/" + slug + "/saml");
        // JumpCloud's IdP Entity ID, certificate and IdP URL pasted by hand (the stand-in IdP can sign)
        type(By.id("entityId"), idp.saml.entityId());
        type(By.id("certificate"), idp.saml.identity().certificatePem());
        type(By.id("ssoUrl"), idp.url());
        click(By.id("save-manual"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("saml-status"), idp.saml.entityId()));
        idp.email = "ada@" + slug + ".test";

        click(By.id("test-sign-in"));
        click(By.id("start-test"));
        WebElement outcome = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("test-outcome")));
        assertEquals("success", outcome.getText(), text("main"));
        assertEquals("ok", text("#test-reason"));
        screenshot("08-saml-test-sign-in");
    }

    @Test
    @Order(7)
    void aDirectoryImportIsCreatedAgainstJumpCloudAndItsRunShown() {
        JumpCloudStandIn jumpcloud = JumpCloudStandIn.us();
        JumpCloudStandIn.Org directory = jumpcloud.newOrganization(slug);
        String staff = directory.addGroup("Staff");
        directory.addGroup("Contractors");
        directory.addMember(staff, directory.addUser("grace", "grace@" + slug + ".test", "Grace", "Hopper"));
        awaitKnownTo(SYSTEM.imports().url() + "/admin/orgs/" + slug + "/imports");

        browser.get(SYSTEM.portal().url() + "/portal/" + slug + "/imports");
        type(By.id("apiKey"), "not-a-key");
        click(By.id("check-key"));
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("apiKey-error")));
        assertTrue(refused.getText().length() > 10, refused.getText());
        screenshot("09-imports-bad-key");

        type(By.id("apiKey"), jumpcloud.adminKey(directory));
        click(By.id("check-key"));
        WebElement staffBox = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.xpath("//input[@name='group' and @value='" + staff + "']")));
        screenshot("10-imports-groups");
        staffBox.click();
        String targetId = staffBox.getAttribute("id").replace("group-", "target-");
        type(By.id(targetId), "Everyone");
        click(By.id("create-import"));
        wait.until(ExpectedConditions.urlContains("/imports?done=created"));
        // the first run starts at once; its row shows its outcome once finished
        await().atMost(PATIENCE).until(() -> {
            browser.navigate().refresh();
            return browser.findElements(By.cssSelector("td.run-status")).stream()
                    .anyMatch(cell -> cell.getText().equals("succeeded"));
        });
        // run now: a second run appears in the history
        click(By.cssSelector("button.run-now"));
        wait.until(ExpectedConditions.urlContains("done=run-started"));
        await().atMost(PATIENCE).until(() -> {
            browser.navigate().refresh();
            return browser.findElements(By.cssSelector("td.run-status")).stream()
                    .filter(cell -> cell.getText().equals("succeeded")).count() == 2;
        });
        screenshot("11-imports");
    }

    @Test
    @Order(8)
    void aDomainIsClaimedItsRecordPublishedAndVerified() {
        String domain = slug + ".example";
        browser.get(SYSTEM.portal().url() + "/portal/" + slug + "/domains");
        type(By.id("domain"), domain);
        click(By.cssSelector("button.primary"));
        wait.until(ExpectedConditions.urlContains("done=claimed"));
        String name = text("dl.copyable dd:nth-of-type(2) code");
        String value = text("dl.copyable dd:nth-of-type(3) code");
        assertEquals("_keyway-challenge." + domain, name);
        assertTrue(value.startsWith("keyway-domain-verification="), value);
        screenshot("12-domains");

        // before the record is published, Verify says it is not there and the domain stays unverified
        click(By.xpath("//form[contains(@action, '/domains/" + domain + "/verify')]/button"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert], p.warn")));
        assertTrue(!text("main").contains(domain + " VERIFIED"), text("main"));

        // the customer publishes the record at their DNS provider (the DNS stand-in sso-service asks)
        TestDns.get().publishTxt(name, "v=spf1 -all", value);
        click(By.xpath("//form[contains(@action, '/domains/" + domain + "/verify')]/button"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[role=status]"),
                "The domain is verified."));
        assertTrue(text("main").contains(domain + " VERIFIED"), text("main"));
        screenshot("18-domain-verified");
    }

    @Test
    @Order(9)
    void theLogsShowSignInsScimRequestsAndImportRuns() {
        String logs = SYSTEM.portal().url() + "/portal/" + slug + "/logs";
        browser.get(logs + "?outcome=ok");
        // the test sign-in of the SAML page, in the sign-ins table itself (the SCIM log below names ada too)
        assertTrue(text("section[aria-labelledby=signins-h] tbody").contains("ada@" + slug + ".test"),
                text("main"));
        assertTrue(text("main").contains("JumpCloud"), "the import runs are listed too");

        // the SCIM client's requests (written within a second of their answers): the refused one with its reason
        await().atMost(PATIENCE).until(() -> {
            browser.get(logs + "?outcome=failed");
            return !browser.findElements(By.id("scim-requests")).isEmpty()
                    && text("#scim-requests").contains("uniqueness");
        });
        String refused = text("#scim-requests tbody");
        assertTrue(refused.contains("POST") && refused.contains("/scim/v2/Users"), refused);
        assertEquals(List.of("409"), statuses(), "only the refused request");

        browser.get(logs);
        assertTrue(statuses().containsAll(List.of("201", "409")), statuses().toString());
        assertTrue(text("#scim-requests tbody").contains("ada@" + slug + ".test"));
        screenshot("13-logs");

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(SYSTEM.portal().url() + "/portal/" + slug + "/saml");
        screenshot("14-saml-phone");
        browser.manage().window().setSize(new Dimension(1280, 1000));
    }

    @Test
    @Order(10)
    void anotherOrganizationsPagesAreNotOpenedBySession() {
        browser.get(SYSTEM.portal().url() + "/portal/" + otherSlug + "/saml");
        assertTrue(text("h1").contains("belongs to another organization"));
        screenshot("15-other-organization");
    }

    @Test
    @Order(11)
    void aForgedFormPostIsRefusedWithAPageAndWritesNothing() {
        long tokens = TestPostgres.get().count("select count(*) from scim.scim_token t join scim.known_organization o"
                + " on o.id = t.org_id where o.slug = ?", slug);
        // a page of another origin posts a form to the portal; the browser adds its cookies, but not the token
        browser.get(idp.url().replace("/sso", "/forged?target=")
                + SYSTEM.portal().url() + "/portal/" + slug + "/scim/tokens");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "could not be accepted"));
        screenshot("16-forged-form-post");
        assertEquals(tokens, TestPostgres.get().count("select count(*) from scim.scim_token t"
                + " join scim.known_organization o on o.id = t.org_id where o.slug = ?", slug));
    }

    @Test
    @Order(12)
    void anExpiredLinkSaysSo() {
        String link = setupLink(slug, "PT5M");
        String secret = link.substring(link.lastIndexOf('/') + 1);
        assertEquals(1, TestPostgres.get().count("select count(*) from portal.setup_link"
                + " where token_hash = sha256(convert_to(?, 'UTF8'))", secret));
        TestPostgres.get().execute("update portal.setup_link set expires_at = now() - interval '1 minute'"
                + " where token_hash = sha256(convert_to('" + secret + "', 'UTF8'))");
        browser.get(link);
        assertTrue(text("h1").contains("has expired"));
        screenshot("17-expired-link");
        assertEquals(0, TestPostgres.get().count("select count(*) from portal.setup_link"
                + " where token_hash = sha256(convert_to(?, 'UTF8')) and used_at is not null", secret));
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    private static void registerOrganization(String slug) {
        given().baseUri(SYSTEM.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("slug", slug, "displayName", "Portal " + slug, "region", "api"))
                .post("/admin/orgs").then().statusCode(201);
    }

    /** The operator asks the portal for a setup link, once the portal has learnt of the organization. */
    private static String setupLink(String slug, String expiresIn) {
        return await().atMost(PATIENCE).until(() -> given().baseUri(SYSTEM.portal().url())
                .auth().oauth2(KeywaySystem.OPERATOR_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("org", slug, "expiresIn", expiresIn)).post("/admin/setup-links"),
                response -> response.statusCode() == 201).path("url");
    }

    /** Waits until a service has learnt of the organization (its admin API answers 200 to its owner). */
    private static void awaitKnownTo(String adminUrl) {
        String owner = given().baseUri(SYSTEM.sso().url()).auth().oauth2(KeywaySystem.OPERATOR_TOKEN)
                .post("/admin/orgs/" + slug + "/owner-tokens").then().statusCode(200).extract().path("token");
        await().atMost(PATIENCE).until(() -> given().auth().oauth2(owner).get(adminUrl).statusCode() == 200);
    }

    /** The statuses in the Logs page's SCIM request table, newest first. */
    private static List<String> statuses() {
        return browser.findElements(By.cssSelector("#scim-requests td.scim-status")).stream()
                .map(cell -> cell.getText().strip()).toList();
    }

    private static String text(String css) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css))).getText().strip();
    }

    private static void click(By by) {
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private static void type(By by, String value) {
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(by));
        field.clear();
        field.sendKeys(value);
    }

    /** The whole page, as tall as its content, saved for the documentation. */
    private static void screenshot(String name) {
        Dimension window = browser.manage().window().getSize();
        long height = (Long) ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(6000, height + 120)));
        try {
            byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            browser.manage().window().setSize(window);
        }
    }

    /**
     * An IdP like JumpCloud at its HTTP boundary: its SSO URL takes an AuthnRequest by HTTP-Redirect and answers
     * with a page that posts a signed SAMLResponse to the ACS the request names (the browser carries it, as with
     * JumpCloud). Another origin, so it also serves the forged page of the CSRF test.
     */
    static final class IdpStandIn {

        final SamlIdp saml;
        final HttpServer server;
        volatile String email;

        IdpStandIn(SamlIdp saml) throws IOException {
            this.saml = saml;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/sso", exchange -> {
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                String request = inflate(query.get("SAMLRequest"));
                String acs = attribute(request, "AssertionConsumerServiceURL");
                String spEntityId = acs.replace("/acs", "/metadata");
                String response = saml.response().to(acs, spEntityId).inResponseTo(attribute(request, "ID"))
                        .nameId(email, SamlIdp.NAMEID_EMAIL).attribute("email", email).base64();
                String relayState = query.get("RelayState");
                send(exchange, "<!DOCTYPE html><html><body onload=\"document.forms[0].submit()\">"
                        + "<form method=\"post\" action=\"" + acs + "\">"
                        + "<input type=\"hidden\" name=\"SAMLResponse\" value=\"" + response + "\">"
                        + (relayState == null ? "" : "<input type=\"hidden\" name=\"RelayState\" value=\""
                                + relayState.replace("\"", "&quot;") + "\">")
                        + "<noscript><button>Continue</button></noscript></form></body></html>");
            });
            server.createContext("/forged", exchange -> {
                String target = query(exchange.getRequestURI().getRawQuery()).get("target");
                send(exchange, "<!DOCTYPE html><html><body onload=\"document.forms[0].submit()\">"
                        + "<form method=\"post\" action=\"" + target + "\">"
                        + "<input type=\"hidden\" name=\"csrf-token\" value=\"forged\"></form></body></html>");
            });
            server.start();
        }

        String url() {
            return "http://localhost:" + server.getAddress().getPort() + "/sso";
        }

        private static void send(HttpExchange exchange, String html) throws IOException {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }

        private static Map<String, String> query(String raw) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(pair.substring(0, equals),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
            return values;
        }

        private static String inflate(String encoded) {
            Inflater inflater = new Inflater(true);
            inflater.setInput(Base64.getDecoder().decode(encoded));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                while (!inflater.finished()) {
                    int read = inflater.inflate(buffer);
                    if (read == 0 && inflater.needsInput()) {
                        break;
                    }
                    out.write(buffer, 0, read);
                }
            } catch (DataFormatException e) {
                throw new IllegalArgumentException(e);
            }
            return out.toString(StandardCharsets.UTF_8);
        }

        private static String attribute(String xml, String name) {
            Matcher matcher = Pattern.compile("\\s" + name + "=\"([^\"]+)\"").matcher(xml);
            if (!matcher.find()) {
                throw new IllegalArgumentException("no " + name + " in " + xml);
            }
            return matcher.group(1);
        }
    }
}
