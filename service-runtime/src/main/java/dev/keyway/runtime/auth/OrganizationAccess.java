package dev.keyway.runtime.auth;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.PermissionChecker;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who may administer an organization: the operator, or an owner whose token names it. Every
 * {@code /admin/orgs/{slug}/...} resource method carries {@code @PermissionsAllowed(OrganizationAccess.ADMINISTER)};
 * Quarkus passes the method's {@code slug} parameter here. An anonymous caller is refused with 401, any other with
 * 403.
 */
@ApplicationScoped
public class OrganizationAccess {

    /** The permission to administer the organization named by the method's {@code slug} parameter. */
    public static final String ADMINISTER = "administer-organization";

    /** The identity attribute holding the slug of the organization an owner token names. */
    public static final String OWNED_ORGANIZATION = "keyway.owned-organization";

    @PermissionChecker(ADMINISTER)
    boolean mayAdminister(SecurityIdentity identity, String slug) {
        if (identity.hasRole(Roles.OPERATOR)) {
            return true;
        }
        return identity.hasRole(Roles.OWNER) && slug != null && slug.equals(identity.getAttribute(OWNED_ORGANIZATION));
    }
}
