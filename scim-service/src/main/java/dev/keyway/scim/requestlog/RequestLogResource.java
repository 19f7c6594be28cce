package dev.keyway.scim.requestlog;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import dev.keyway.runtime.auth.OrganizationAccess;
import dev.keyway.runtime.problem.ApiException;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;

/** The organization's SCIM request log, for its owner. */
@Path("/admin/orgs/{slug}/scim/requests")
@Tag(name = "SCIM request log")
@Produces(MediaType.APPLICATION_JSON)
@PermissionsAllowed(OrganizationAccess.ADMINISTER)
public class RequestLogResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** One logged request. {@code scimType} and {@code detail} are the SCIM error's, for a refused request. */
    public record Entry(Instant at, String method, String path, int status, String outcome, String scimType,
            String detail, String userId, String userName, UUID tokenId) {

        static Entry of(ScimRequest request) {
            return new Entry(request.at(), request.method(), request.path(), request.status(),
                    request.status() < 400 ? "success" : "failure", request.scimType(), request.detail(),
                    request.userId(), request.userName(), request.tokenId());
        }
    }

    private final RequestLog log;

    public RequestLogResource(RequestLog log) {
        this.log = log;
    }

    /**
     * @param since   ISO-8601 instant: entries at or after it
     * @param until   ISO-8601 instant: entries before it
     * @param user    a user's SCIM id, or part of their userName (any case)
     * @param outcome {@code success} (status below 400) or {@code failure}
     * @param limit   1 to 1000, default 100
     */
    @GET
    @Operation(summary = "SCIM requests of the organization (newest first): method, path, status, SCIM error, user, "
            + "token; written within about a second of the answer")
    public Uni<List<Entry>> search(@PathParam("slug") String slug, @RestQuery String since, @RestQuery String until,
            @RestQuery String user, @RestQuery String outcome, @RestQuery String limit) {
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("since must be before until.");
        }
        Boolean succeeded = outcome(outcome);
        int size = limit(limit);
        String who = user == null || user.isBlank() ? null : user.strip();
        return log.search(slug, from, to, who, succeeded, size)
                .map(found -> found.stream().map(Entry::of).toList());
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + " must be an ISO-8601 instant such as 2026-01-31T09:00:00Z.");
        }
    }

    private static Boolean outcome(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "success" -> Boolean.TRUE;
            case "failure" -> Boolean.FALSE;
            default -> throw ApiException.badRequest("outcome must be success or failure.");
        };
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT + ".");
    }
}
