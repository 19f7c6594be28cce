package dev.keyway.sso.oidc.token;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The parts of an ID token computed from others: at_hash and the authentication methods of a SAML class. */
class IdTokensTest {

    @Test
    void atHashIsTheLeftHalfOfTheAccessTokensSha256() {
        // computed independently (Python's hashlib: base64url(sha256(token)[:16]), unpadded)
        assertEquals("s3CHxFsODM5xUrgNdsLMsg", IdTokens.atHash("jHkWEdUXMU1BwAsC4vtUsZwnNZ5ZlfvRT3-ys7-QjQo"));
    }

    @Test
    void amrNamesTheMethodOnlyWhereTheSamlClassDoes() {
        assertEquals(List.of("pwd"),
                IdTokens.amr("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"));
        assertEquals(List.of("otp"), IdTokens.amr("urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken"));
        assertEquals(List.of(), IdTokens.amr("urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified"));
    }
}
