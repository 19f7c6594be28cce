package dev.keyway.imports.jumpcloud;

import java.util.Locale;

import jakarta.ws.rs.core.Response.Status;

import dev.keyway.runtime.problem.ApiException;
import dev.keyway.runtime.problem.HttpStatuses;

/** JumpCloud did not give what was asked, for a reason the customer's admin can act on. */
public class JumpCloudException extends ApiException {

    /** Each cause, its HTTP answer in the admin API, and the sentence an admin reads. */
    public enum Reason {

        INVALID_API_KEY(422, "JumpCloud refused the API key. Check that it is the current key of an administrator "
                + "(resetting a key invalidates the old one) and that the data center is right."),
        ORGANIZATION_ID_REQUIRED(422, "This API key belongs to a Multi-Tenant Portal administrator: give the "
                + "Organization ID of the organization to import (JumpCloud console → Settings)."),
        UNKNOWN_ORGANIZATION_ID(422, "JumpCloud does not know this Organization ID, or this administrator does not "
                + "manage it."),
        MALFORMED_ORGANIZATION_ID(422, "JumpCloud rejected the Organization ID as malformed."),
        FORBIDDEN(422, "JumpCloud refused access: the administrator behind this key may not read users and groups."),
        GROUP_NOT_FOUND(422, "A selected JumpCloud group no longer exists."),
        UNREACHABLE(502, "JumpCloud could not be reached or kept failing; try again later."),
        UNEXPECTED_ANSWER(502, "JumpCloud gave an answer Keyway does not understand.");

        private final int status;
        private final String message;

        Reason(int status, String message) {
            this.status = status;
            this.message = message;
        }

        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason why;

    public JumpCloudException(Reason why) {
        this(why, why.message);
    }

    public JumpCloudException(Reason why, String detail) {
        super(why.status == 422 ? HttpStatuses.UNPROCESSABLE : Status.BAD_GATEWAY, why.code(), detail);
        this.why = why;
    }

    public Reason why() {
        return why;
    }

}
