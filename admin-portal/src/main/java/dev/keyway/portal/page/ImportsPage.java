package dev.keyway.portal.page;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keyway.portal.backend.ImportsAdmin;
import dev.keyway.portal.backend.Refusal;
import dev.keyway.portal.link.Scope;
import dev.keyway.portal.session.PortalSessions;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;

/**
 * Directory import: add a JumpCloud integration (check the API key, pick groups and where they land, schedule),
 * enable or pause it, run it now, and its run history. import-service owns it all. Reached with the portal's session
 * cookie, checked by {@link Portal#enter}; hence {@code @PermitAll}.
 */
@Path("/portal/{slug}/imports")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class ImportsPage {

    /** Schedules offered; import-service accepts any interval in its bounds. */
    private static final Map<String, String> INTERVALS = new LinkedHashMap<>();

    static {
        INTERVALS.put("PT1H", "Every hour");
        INTERVALS.put("PT6H", "Every 6 hours");
        INTERVALS.put("P1D", "Every day");
    }

    private final Portal portal;
    private final ImportsAdmin imports;
    private final Template page;
    private final Template groups;

    public ImportsPage(Portal portal, @RestClient ImportsAdmin imports, @Location("imports.html") Template page,
            @Location("imports-groups.html") Template groups) {
        this.portal = portal;
        this.imports = imports;
        this.page = page;
        this.groups = groups;
    }

    @GET
    public Uni<Response> show(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie,
            @RestQuery String done) {
        return portal.enter(cookie, slug, Scope.IMPORTS)
                .chain(visit -> render(visit, Map.of(), Map.of(), done, 200));
    }

    /** Step 1: check the credentials; on success, step 2 lists the JumpCloud groups they can see. */
    @POST
    @Path("check")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> check(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie,
            @RestForm String apiKey, @RestForm String jumpcloudOrgId, @RestForm String dataCenter) {
        return portal.enter(cookie, slug, Scope.IMPORTS).chain(visit -> {
            Map<String, String> values = credentialsOf(apiKey, jumpcloudOrgId, dataCenter);
            if (values.get("apiKey").isBlank()) {
                return render(visit, Map.of("apiKey", "Paste a JumpCloud administrator's API key."), values, null,
                        400);
            }
            ObjectNode credentials = credentials(values);
            return imports.validate(visit.bearer(), slug, credentials)
                    .chain(() -> imports.jumpcloudGroups(visit.bearer(), slug, credentials))
                    .map(found -> Response.ok(groups.data("nav", visit.nav()).data("values", values)
                            .data("groups", portal.list(found)).data("intervals", INTERVALS)
                            .data("errors", Map.of()).render()).header("Cache-Control", "no-store").build())
                    .onFailure().recoverWithUni(failure -> Refusal.of(failure)
                            .map(refusal -> render(visit, Map.of(fieldOf(refusal, "apiKey"), refusal.detail()), values,
                                    null, 400))
                            .orElseGet(() -> Uni.createFrom().failure(failure)));
        });
    }

    /** Step 2: create the integration with the groups chosen; it runs at once, then on its schedule. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(@PathParam("slug") String slug, @CookieParam(PortalSessions.COOKIE) String cookie,
            @RestForm String apiKey, @RestForm String jumpcloudOrgId, @RestForm String dataCenter,
            @RestForm String name, @RestForm String interval, @RestForm String enabled,
            @RestForm("group") List<String> groupIds, @RestForm("targetFor") List<String> targetFor,
            @RestForm("target") List<String> targets) {
        return portal.enter(cookie, slug, Scope.IMPORTS).chain(visit -> {
            Map<String, String> values = credentialsOf(apiKey, jumpcloudOrgId, dataCenter);
            ObjectNode integration = credentials(values);
            integration.put("name", blank(name) ? "JumpCloud" : name.strip());
            integration.put("interval", INTERVALS.containsKey(interval) ? interval : "PT1H");
            integration.put("enabled", "on".equals(enabled));
            ArrayNode chosen = integration.putArray("groups");
            // each row of the form sends its group id (targetFor) and the target typed next to it, in order
            Map<String, String> targetOf = new LinkedHashMap<>();
            for (int i = 0; targetFor != null && targets != null
                    && i < Math.min(targetFor.size(), targets.size()); i++) {
                targetOf.put(targetFor.get(i), targets.get(i));
            }
            for (String groupId : groupIds == null ? List.<String>of() : groupIds) {
                ObjectNode choice = chosen.addObject().put("jumpcloudGroupId", groupId);
                String target = targetOf.get(groupId);
                if (!blank(target)) {
                    choice.put("targetGroup", target.strip());
                }
            }
            if (chosen.isEmpty()) {
                return groupsAgain(visit, values, Map.of("groups", "Choose at least one JumpCloud group to import."));
            }
            return imports.create(visit.bearer(), slug, integration)
                    .map(created -> Response.seeOther(URI.create("/portal/" + slug + "/imports?done=created"))
                            .build())
                    .onFailure().recoverWithUni(failure -> Refusal.of(failure)
                            .map(refusal -> groupsAgain(visit, values,
                                    Map.of(fieldOf(refusal, "groups"), refusal.detail())))
                            .orElseGet(() -> Uni.createFrom().failure(failure)));
        });
    }

    @POST
    @Path("{id}/run")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> runNow(@PathParam("slug") String slug, @PathParam("id") String id,
            @CookieParam(PortalSessions.COOKIE) String cookie) {
        return portal.enter(cookie, slug, Scope.IMPORTS)
                .chain(visit -> done(visit, imports.runNow(visit.bearer(), slug, id), "run-started"));
    }

    @POST
    @Path("{id}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> enable(@PathParam("slug") String slug, @PathParam("id") String id,
            @CookieParam(PortalSessions.COOKIE) String cookie, @RestForm String enabled) {
        return portal.enter(cookie, slug, Scope.IMPORTS).chain(visit -> done(visit, imports.update(visit.bearer(),
                slug, id, portal.object().put("enabled", "true".equals(enabled))), "saved"));
    }

    private Uni<Response> done(Portal.Visit visit, Uni<JsonNode> call, String done) {
        return call.map(ignored -> Response.seeOther(URI.create("/portal/" + visit.slug() + "/imports?done=" + done))
                .build())
                .onFailure().recoverWithUni(failure -> Refusal.of(failure)
                        .map(refusal -> render(visit, Map.of("integration", refusal.detail()), Map.of(), null, 400))
                        .orElseGet(() -> Uni.createFrom().failure(failure)));
    }

    /** Step 2 again, with what was wrong: the groups are asked of JumpCloud anew with the same credentials. */
    private Uni<Response> groupsAgain(Portal.Visit visit, Map<String, String> values, Map<String, String> errors) {
        return imports.jumpcloudGroups(visit.bearer(), visit.slug(), credentials(values))
                .map(found -> Response.status(400).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                        .entity(groups.data("nav", visit.nav()).data("values", values)
                                .data("groups", portal.list(found)).data("intervals", INTERVALS)
                                .data("errors", errors).render())
                        .build());
    }

    private Uni<Response> render(Portal.Visit visit, Map<String, String> errors, Map<String, String> values,
            String done, int status) {
        return imports.integrations(visit.bearer(), visit.slug()).chain(integrations -> {
            List<Uni<Map<String, Object>>> withRuns = new ArrayList<>();
            for (JsonNode integration : integrations) {
                withRuns.add(imports.runs(visit.bearer(), visit.slug(), integration.path("id").asText())
                        .map(runs -> {
                            Map<String, Object> view = portal.map(integration);
                            List<Object> recent = portal.list(runs);
                            view.put("runs", recent.subList(0, Math.min(5, recent.size())));
                            return view;
                        }));
            }
            Uni<List<Map<String, Object>>> all = withRuns.isEmpty() ? Uni.createFrom().item(List.of())
                    : Uni.join().all(withRuns).andFailFast();
            return all;
        }).map(views -> Response.status(status).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                .entity(page.data("nav", visit.nav()).data("integrations", views).data("errors", errors)
                        .data("values", values).data("done", done == null ? "" : done).render())
                .build());
    }

    private static Map<String, String> credentialsOf(String apiKey, String jumpcloudOrgId, String dataCenter) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("apiKey", blank(apiKey) ? "" : apiKey.strip());
        values.put("jumpcloudOrgId", blank(jumpcloudOrgId) ? "" : jumpcloudOrgId.strip());
        values.put("dataCenter", "eu".equals(dataCenter) ? "eu" : "us");
        return values;
    }

    private ObjectNode credentials(Map<String, String> values) {
        ObjectNode credentials = portal.object().put("apiKey", values.get("apiKey")).put("dataCenter",
                values.get("dataCenter"));
        if (!values.get("jumpcloudOrgId").isBlank()) {
            credentials.put("jumpcloudOrgId", values.get("jumpcloudOrgId"));
        }
        return credentials;
    }

    private static String fieldOf(Refusal refusal, String otherwise) {
        String field = refusal.field();
        return field.isEmpty() ? otherwise : field;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
