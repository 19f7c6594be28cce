package dev.keyway.portal.page;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keyway.portal.backend.ImportsAdmin;
import dev.keyway.portal.backend.ScimAdmin;
import dev.keyway.portal.backend.SsoAdmin;
import dev.keyway.portal.link.Scope;
import dev.keyway.portal.session.PortalSessions;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * Logs: sign-ins (outcome and typed reason), SCIM requests (method, path, status, SCIM error) and directory import
 * runs, filtered by time, user and outcome. The services keep the entries (sso-service its newest 500 sign-ins per
 * request, scim-service its request log, import-service its runs); scim-service filters its log itself, this page
 * filters what the others return. Reached with the portal's session cookie, checked by {@link Portal#enter}.
 */
@Path("/portal/{slug}/logs")
@Produces(MediaType.TEXT_HTML)
@PermitAll
public class LogsPage {

    /** The newest SCIM requests the page shows. */
    private static final int SCIM_REQUESTS = 200;

    private final Portal portal;
    private final SsoAdmin sso;
    private final ScimAdmin scim;
    private final ImportsAdmin imports;
    private final Template page;

    public LogsPage(Portal portal, @RestClient SsoAdmin sso, @RestClient ScimAdmin scim,
            @RestClient ImportsAdmin imports, @Location("logs.html") Template page) {
        this.portal = portal;
        this.sso = sso;
        this.scim = scim;
        this.imports = imports;
        this.page = page;
    }

    /**
     * @param from    "yyyy-MM-ddTHH:mm" (UTC), as a datetime-local field sends it
     * @param user    part of the subject (e-mail), any case; for SCIM requests also a user's SCIM id
     * @param outcome "ok" (sign-ins that succeeded, SCIM requests answered below 400, runs that succeeded) or
     *                "failed" (refused sign-ins, SCIM requests answered 400 or above, failed runs)
     */
    @GET
    public Uni<TemplateInstance> show(@PathParam("slug") String slug,
            @CookieParam(PortalSessions.COOKIE) String cookie, @RestQuery String from, @RestQuery String to,
            @RestQuery String user, @RestQuery String outcome) {
        Instant since = instant(from);
        Instant until = instant(to);
        String who = user == null ? "" : user.strip().toLowerCase(Locale.ROOT);
        String result = outcome == null ? "" : outcome.strip();
        return portal.enter(cookie, slug, Scope.LOGS).chain(visit -> Uni.combine().all()
                .unis(sso.logins(visit.bearer(), slug, 500), runs(visit),
                        scimRequests(visit, since, until, who, result))
                .asTuple().map(all -> {
                    List<Object> logins = new ArrayList<>();
                    for (JsonNode login : all.getItem1()) {
                        Instant at = Instant.parse(login.path("at").asText());
                        if (within(at, since, until)
                                && (who.isEmpty() || login.path("subject").asText("").toLowerCase(Locale.ROOT)
                                        .contains(who))
                                && matches(result, login.path("outcome").asText(), "success", "refused")) {
                            logins.add(portal.map(login));
                        }
                    }
                    List<Map<String, Object>> runs = all.getItem2().stream()
                            .filter(run -> within(Instant.parse((String) run.get("startedAt")), since, until))
                            .filter(run -> matches(result, (String) run.get("status"), "succeeded", "failed"))
                            .toList();
                    List<Object> requests = portal.list(all.getItem3());
                    return page.data("nav", visit.nav()).data("logins", logins).data("runs", runs)
                            .data("requests", requests)
                            .data("from", Objects.toString(from, "")).data("to", Objects.toString(to, ""))
                            .data("user", Objects.toString(user, "")).data("outcome", result);
                }));
    }

    private Uni<List<Map<String, Object>>> runs(Portal.Visit visit) {
        return imports.integrations(visit.bearer(), visit.slug()).chain(integrations -> {
            List<Uni<List<Map<String, Object>>>> each = new ArrayList<>();
            for (JsonNode integration : integrations) {
                String name = integration.path("name").asText();
                each.add(imports.runs(visit.bearer(), visit.slug(), integration.path("id").asText())
                        .map(runs -> {
                            List<Map<String, Object>> views = new ArrayList<>();
                            runs.forEach(run -> {
                                Map<String, Object> view = portal.map(run);
                                view.put("integration", name);
                                views.add(view);
                            });
                            return views;
                        }));
            }
            if (each.isEmpty()) {
                return Uni.createFrom().item(List.of());
            }
            return Uni.join().all(each).andFailFast().map(lists -> lists.stream().flatMap(List::stream)
                    .sorted(Comparator.comparing(run -> (String) run.get("startedAt"), Comparator.reverseOrder()))
                    .toList());
        });
    }

    /** scim-service filters its own log; an empty time range finds nothing without asking. */
    private Uni<JsonNode> scimRequests(Portal.Visit visit, Instant since, Instant until, String user, String outcome) {
        if (since != null && until != null && !since.isBefore(until)) {
            return Uni.createFrom().item(portal.object().arrayNode());
        }
        return scim.requests(visit.bearer(), visit.slug(), since == null ? null : since.toString(),
                until == null ? null : until.toString(), user.isEmpty() ? null : user, switch (outcome) {
                    case "ok" -> "success";
                    case "failed" -> "failure";
                    default -> null;
                }, SCIM_REQUESTS);
    }

    /** One filter for all logs: "ok" is a sign-in's success and a run's success, "failed" their failures. */
    private static boolean matches(String filter, String value, String ok, String failed) {
        return switch (filter) {
            case "ok" -> ok.equals(value);
            case "failed" -> failed.equals(value);
            default -> true;
        };
    }

    private static boolean within(Instant at, Instant since, Instant until) {
        return (since == null || !at.isBefore(since)) && (until == null || at.isBefore(until));
    }

    private static Instant instant(String local) {
        if (local == null || local.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(local.strip()).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
