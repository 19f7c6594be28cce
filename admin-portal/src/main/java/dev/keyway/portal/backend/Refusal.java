package dev.keyway.portal.backend;

import java.util.Optional;

import jakarta.ws.rs.WebApplicationException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a service refused, read from its answer (problem+json: {@code status}, {@code detail}): the portal shows the
 * detail next to the field it names. Anything else (a 5xx, the service unreachable) stays a failure of its own.
 */
public record Refusal(int status, String detail) {

    /** The service's refusal (a 4xx), if that is what this failure is. */
    public static Optional<Refusal> of(Throwable failure) {
        if (failure instanceof WebApplicationException web && web.getResponse() != null
                && web.getResponse().getStatus() >= 400 && web.getResponse().getStatus() < 500) {
            String detail = "The request was refused (" + web.getResponse().getStatus() + ").";
            try {
                JsonNode problem = web.getResponse().readEntity(JsonNode.class);
                if (problem != null && problem.hasNonNull("detail")) {
                    detail = problem.get("detail").asText();
                }
            } catch (RuntimeException unreadable) {
                // not problem+json: the status says enough
            }
            return Optional.of(new Refusal(web.getResponse().getStatus(), detail));
        }
        return Optional.empty();
    }

    /** The field a detail names ("certificates[0]: not base64" names "certificates"), or "" when none. */
    public String field() {
        int colon = detail.indexOf(':');
        if (colon <= 0) {
            return "";
        }
        String head = detail.substring(0, colon);
        int bracket = head.indexOf('[');
        String field = bracket > 0 ? head.substring(0, bracket) : head;
        return field.matches("[A-Za-z]+") ? field : "";
    }
}
