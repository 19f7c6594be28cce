package dev.keyway.portal.page;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.portal.backend.OwnerTokens;
import dev.keyway.portal.link.Scope;
import dev.keyway.portal.session.PortalSession;
import dev.keyway.portal.session.PortalSessions;
import dev.keyway.runtime.deployment.Deployment;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;

/** What every page does first: the session for this organization and page, and the owner token to act with. */
@ApplicationScoped
public class Portal {

    /** A page's request: who (the session), as whom toward the services (bearer), and the navigation to show. */
    public record Visit(PortalSession session, String bearer, Nav nav) {

        public String slug() {
            return session.slug();
        }
    }

    /** The navigation: the organization and the pages its link granted, the current one marked. */
    @TemplateData
    public record Nav(String slug, List<String> scopes, String current) {
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<Object>> LIST = new TypeReference<>() {
    };

    private final PortalSessions sessions;
    private final OwnerTokens ownerTokens;
    private final ObjectMapper json;
    private final Deployment deployment;

    public Portal(PortalSessions sessions, OwnerTokens ownerTokens, ObjectMapper json, Deployment deployment) {
        this.sessions = sessions;
        this.ownerTokens = ownerTokens;
        this.json = json;
        this.deployment = deployment;
    }

    public Uni<Visit> enter(String cookie, String slug, Scope scope) {
        return sessions.require(cookie, slug, scope).chain(session -> ownerTokens.bearerFor(session)
                .map(bearer -> new Visit(session, bearer,
                        new Nav(slug, session.scopes(), scope == null ? "home" : scope.code()))));
    }

    /** A JSON object as a map for a template (Qute reads map keys as properties). */
    public Map<String, Object> map(JsonNode node) {
        return node == null || node.isNull() ? Map.of() : json.convertValue(node, MAP);
    }

    public List<Object> list(JsonNode node) {
        return node == null || !node.isArray() ? List.of() : json.convertValue(node, LIST);
    }

    public ObjectNode object() {
        return json.createObjectNode();
    }

    /** The portal's own public base URL in this region. */
    public String ownUrl() {
        return deployment.ownUrl();
    }
}
