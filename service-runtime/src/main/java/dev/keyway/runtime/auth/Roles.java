package dev.keyway.runtime.auth;

import dev.keyway.common.auth.KeywayClaims;

/** The roles a caller of a Keyway service can hold; resources name them in their security annotations. */
public final class Roles {

    /** Whoever runs Keyway (the operator token): every organization. */
    public static final String OPERATOR = KeywayClaims.OPERATOR;
    /** An organization's administrator (an owner token): only that organization, see {@link OrganizationAccess}. */
    public static final String OWNER = KeywayClaims.OWNER;
    /** A SCIM client (a SCIM bearer token): the SCIM API of the organization its token names. */
    public static final String SCIM_CLIENT = "scim-client";

    private Roles() {
    }
}
