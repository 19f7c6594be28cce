package dev.keyway.common.auth;

/** Names inside the JWTs sso-service issues: owner tokens for the admin APIs, and login sessions. */
public final class KeywayClaims {

    /** The organization id a token belongs to. */
    public static final String ORG_ID = "org_id";
    /** The organization slug; admin routes {@code /admin/orgs/{slug}/...} must match it. */
    public static final String ORG_SLUG = "org_slug";
    /** The organization's home region ({@code api} or {@code eu}). */
    public static final String REGION = "region";
    /** Roles, read by SmallRye JWT as the caller's groups. */
    public static final String ROLES = "groups";
    /** Session: the user's e-mail. */
    public static final String EMAIL = "email";
    /** Session: the user's given name. */
    public static final String GIVEN_NAME = "given_name";
    /** Session: the user's family name. */
    public static final String FAMILY_NAME = "family_name";
    /** Session: names of the user's directory groups (not roles). */
    public static final String DIRECTORY_GROUPS = "directory_groups";
    /** Session: the session id, checked against revocations. */
    public static final String SESSION_ID = "sid";

    /** Audience of owner tokens; every admin API accepts only this audience. */
    public static final String ADMIN_AUDIENCE = "keyway-admin";
    /** Audience of login sessions, so a session can never be used as an admin token. */
    public static final String SESSION_AUDIENCE = "keyway-session";

    /** Role of a customer organization's administrator, scoped to one organization. */
    public static final String OWNER = "owner";
    /** Role of whoever runs Keyway (the operator token): all organizations. */
    public static final String OPERATOR = "operator";

    private KeywayClaims() {
    }
}
