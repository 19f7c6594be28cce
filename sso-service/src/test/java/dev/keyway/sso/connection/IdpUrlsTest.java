package dev.keyway.sso.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keyway.runtime.problem.ApiException;
import dev.keyway.testsupport.SamlIdp;

/** The one check every IdP address passes, whether typed by hand or read from metadata. */
class IdpUrlsTest {

    @ParameterizedTest
    @ValueSource(
            strings = { "javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                    "/saml2/relative", "//idp.example/sso", "sso.jumpcloud.com/saml2/x", "ftp://idp.example/sso",
                    "https://sso.jumpcloud.com@evil.example/sso", "https://idp.example/\tsso",
                    "https://idp.example\\@evil.example/",
                    "https:///no-host", "http://idp.example/sso", " ", "" })
    void anythingButAnAbsoluteHttpsUrlWithAHostIsRefusedNamingTheField(String url) {
        ApiException refused = assertThrows(ApiException.class, () -> IdpUrls.require(url, "ssoUrl", false));
        assertEquals(400, refused.status().getStatusCode());
        assertTrue(refused.getMessage().startsWith("ssoUrl: "), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://sso.jumpcloud.com/saml2/acme", "HTTPS://idp.example:8443/sso?app=1" })
    void httpsUrlsPass(String url) {
        assertEquals(url, IdpUrls.require(" " + url + " ", "ssoUrl", false).toString());
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void plainHttpOnlyWhenTheOperatorAllowsIt(boolean allowHttp) {
        if (allowHttp) {
            assertEquals("http://127.0.0.1:8080/sso",
                    IdpUrls.require("http://127.0.0.1:8080/sso", "ssoUrl", true).toString());
        } else {
            assertThrows(ApiException.class, () -> IdpUrls.require("http://127.0.0.1:8080/sso", "ssoUrl", false));
        }
        // javascript: stays refused whatever the operator allows
        assertThrows(ApiException.class, () -> IdpUrls.require("javascript:alert(1)", "ssoUrl", allowHttp));
    }

    @ParameterizedTest
    @ValueSource(strings = { "javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "/relative/sso",
            "http://idp.example/sso" })
    void metadataWhoseSingleSignOnUrlIsNotHttpsIsRefusedNamingTheElement(String location) {
        String metadata = SamlIdp.create("https://idp.example").metadata(location, true);
        ApiException refused = assertThrows(ApiException.class, () -> IdpMetadata.parse(metadata, false));
        assertTrue(refused.getMessage().startsWith("metadata: SingleSignOnService Location (HTTP-Redirect): "),
                refused.getMessage());
    }
}
