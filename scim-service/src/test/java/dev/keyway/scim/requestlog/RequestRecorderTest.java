package dev.keyway.scim.requestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RequestRecorderTest {

    @Test
    void scimParametersKeepTheirValuesAndOthersAreLeftOut() {
        assertEquals("/scim/v2/Users", RequestRecorder.withScimParameters("/scim/v2/Users", null));
        assertEquals("/scim/v2/Users?filter=userName eq \"a+b@x.test\"&startIndex=1&count=10",
                RequestRecorder.withScimParameters("/scim/v2/Users",
                        "filter=userName%20eq%20%22a%2Bb%40x.test%22&startIndex=1&count=10"));
        assertEquals("/scim/v2/Groups?access_token=(left out)&attributes=displayName&apiKey=(left out)",
                RequestRecorder.withScimParameters("/scim/v2/Groups",
                        "access_token=secret&attributes=displayName&apiKey=kwk_api_secret"));
        // a malformed escape is kept as sent rather than failing the request's answer
        assertEquals("/scim/v2/Users?filter=%zz", RequestRecorder.withScimParameters("/scim/v2/Users", "filter=%zz"));
        assertEquals(2000, RequestRecorder.withScimParameters("/scim/v2/Users", "filter=" + "x".repeat(5000))
                .length());
    }

    @Test
    void aUserIsNamedByItsPathOnly() {
        assertEquals("42", RequestRecorder.userIdIn("/scim/v2/Users/42"));
        assertEquals("42", RequestRecorder.userIdIn("/scim/v2/Users/42/extra"));
        assertNull(RequestRecorder.userIdIn("/scim/v2/Users"));
        assertNull(RequestRecorder.userIdIn("/scim/v2/Users/"));
        assertNull(RequestRecorder.userIdIn("/scim/v2/Users/.search"));
        assertNull(RequestRecorder.userIdIn("/scim/v2/Groups/42"));
    }
}
