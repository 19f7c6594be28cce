package dev.keyway.runtime.problem;

import jakarta.ws.rs.core.Response;

/** Status codes Keyway answers that {@link Response.Status} does not name. */
public final class HttpStatuses {

    /** 421: the organization lives in another region; the body names its base URL there. */
    public static final Response.StatusType MISDIRECTED = clientError(421, "Misdirected Request");

    /** 422: the request was understood, but what it carries (credentials, a DNS record) does not work. */
    public static final Response.StatusType UNPROCESSABLE = clientError(422, "Unprocessable Content");

    private HttpStatuses() {
    }

    private static Response.StatusType clientError(int code, String reason) {
        return new Response.StatusType() {

            @Override
            public int getStatusCode() {
                return code;
            }

            @Override
            public Response.Status.Family getFamily() {
                return Response.Status.Family.CLIENT_ERROR;
            }

            @Override
            public String getReasonPhrase() {
                return reason;
            }
        };
    }
}
