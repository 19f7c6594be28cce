package dev.keyway.sso.saml;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.keyway.runtime.auth.OrganizationAccess;
import dev.keyway.sso.connection.SamlConnections;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** The organization's sign-in audit, for its owner. */
@Path("/admin/orgs/{slug}/saml/logins")
@Tag(name = "SAML")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(OrganizationAccess.ADMINISTER)
public class SamlLoginsResource {

    private final SamlConnections connections;
    private final LoginAudit audit;

    public SamlLoginsResource(SamlConnections connections, LoginAudit audit) {
        this.connections = connections;
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Recent sign-in attempts: who, when, outcome and reason (newest first, at most 500)")
    public Uni<List<LoginAudit.Entry>> recent(@PathParam("slug") String slug, @RestQuery Integer limit) {
        int size = limit == null ? 100 : Math.max(1, Math.min(500, limit));
        return connections.load(slug).chain(connection -> audit.recent(connection.orgId(), size));
    }
}
