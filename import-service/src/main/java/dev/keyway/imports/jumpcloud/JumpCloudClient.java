package dev.keyway.imports.jumpcloud;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.keyway.imports.jumpcloud.JumpCloudException.Reason;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Reads a customer's JumpCloud directory: every page of users, groups and group members, as JumpCloud's API
 * guidelines ask ({@code limit} ≤ 100, {@code skip}, a sort on a unique field, stop at a short page). 429, 5xx and
 * network failures are retried (Mutiny) with exponential backoff and full jitter, honouring {@code Retry-After};
 * anything else becomes a {@link JumpCloudException} naming the cause. Blocking: call it from a worker thread.
 */
@ApplicationScoped
public class JumpCloudClient {

    private static final Logger LOG = Logger.getLogger(JumpCloudClient.class);

    /** v1 sorts by {@code _id}, v2 objects name their unique key {@code id}. */
    private static final String V1_SORT = "_id";
    private static final String V2_SORT = "id";

    private final JumpCloudConfig config;
    private final Map<DataCenter, JumpCloudApi> apis = new EnumMap<>(DataCenter.class);

    public JumpCloudClient(JumpCloudConfig config) {
        this.config = config;
        for (DataCenter dataCenter : DataCenter.values()) {
            apis.put(dataCenter, QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(config.baseUrl(dataCenter)))
                    .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .build(JumpCloudApi.class));
        }
    }

    /**
     * Proves the credentials can read the directory, the cheapest way (one group). A key refused without an
     * Organization ID is tried on {@code /api/organizations}: if that answers, the key is good and belongs to a
     * Multi-Tenant Portal admin, who must name the organization.
     */
    public void validate(JumpCloudCredentials credentials) {
        JumpCloudApi api = api(credentials);
        try {
            call("user groups", credentials, null, () -> api.userGroups(credentials.apiKey(),
                    credentials.organizationId(), 1, 0, V2_SORT));
        } catch (JumpCloudException refused) {
            if (refused.why() == Reason.INVALID_API_KEY && credentials.organizationId() == null
                    && answersOrganizations(credentials)) {
                throw new JumpCloudException(Reason.ORGANIZATION_ID_REQUIRED);
            }
            throw refused;
        }
    }

    /** Every user group of the directory. */
    public List<UserGroup> groups(JumpCloudCredentials credentials) {
        JumpCloudApi api = api(credentials);
        List<UserGroup> groups = new ArrayList<>();
        pages("user groups", credentials, null, skip -> api.userGroups(credentials.apiKey(),
                credentials.organizationId(), config.pageSize(), skip, V2_SORT), groups::add);
        return groups;
    }

    /** The ids of the users in a group, nested and dynamic membership included. */
    public Set<String> memberIds(JumpCloudCredentials credentials, String groupId) {
        JumpCloudApi api = api(credentials);
        Set<String> members = new LinkedHashSet<>();
        pages("members of group " + groupId, credentials, Reason.GROUP_NOT_FOUND,
                skip -> api.membership(credentials.apiKey(), credentials.organizationId(), groupId,
                        config.pageSize(), skip, V2_SORT),
                member -> {
                    if (member.type() == null || "user".equals(member.type())) {
                        members.add(member.id());
                    }
                });
        return members;
    }

    /** Hands every user of the directory to {@code each}, a page at a time: a directory is never held whole. */
    public void eachUser(JumpCloudCredentials credentials, Consumer<SystemUser> each) {
        JumpCloudApi api = api(credentials);
        pages("users", credentials, null, skip -> api.systemUsers(credentials.apiKey(),
                credentials.organizationId(), config.pageSize(), skip, V1_SORT).results(), each);
    }

    private boolean answersOrganizations(JumpCloudCredentials credentials) {
        try {
            call("organizations", credentials, Reason.UNEXPECTED_ANSWER,
                    () -> api(credentials).organizations(credentials.apiKey(), 1));
            return true;
        } catch (JumpCloudException e) {
            return false;
        }
    }

    private <T> void pages(String what, JumpCloudCredentials credentials, Reason notFound, IntFunction<List<T>> page,
            Consumer<T> each) {
        int skip = 0;
        while (true) {
            int offset = skip;
            List<T> items = call(what, credentials, notFound, () -> page.apply(offset));
            items = items == null ? List.of() : items;
            items.forEach(each);
            if (items.size() < config.pageSize()) {
                return;
            }
            skip += items.size();
        }
    }

    /**
     * One request with retries. {@code notFound} says what a 404 means for it; null for a directory-wide listing,
     * whose 404 can only be about the Organization ID. Mutiny retries it; {@link Backoff} says how long to wait.
     */
    private <T> T call(String what, JumpCloudCredentials credentials, Reason notFound, Supplier<T> request) {
        Backoff backoff = new Backoff(what);
        try {
            return Uni.createFrom().item(request)
                    .onFailure().transform(failure -> classified(failure, what, credentials, notFound))
                    // pause, then fail again so that Mutiny retries; after the last attempt the pause fails instead
                    .onFailure(Transient.class).recoverWithUni(failure -> backoff.after((Transient) failure)
                            .onItem().transformToUni(paused -> Uni.createFrom().<T>failure(failure)))
                    .onFailure(Transient.class).retry().indefinitely()
                    .await().indefinitely();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InterruptedException) {
                throw new JumpCloudException(Reason.UNREACHABLE,
                        "The import was interrupted while waiting for JumpCloud.");
            }
            throw e;
        }
    }

    /** What a failed request means: worth another attempt ({@link Transient}), or a {@link JumpCloudException}. */
    private static RuntimeException classified(Throwable failure, String what, JumpCloudCredentials credentials,
            Reason notFound) {
        if (failure instanceof WebApplicationException e) {
            int status = e.getResponse().getStatus();
            return status == 429 || status >= 500 ? new Transient("answered " + status, retryAfter(e.getResponse()))
                    : refusal(status, credentials, notFound);
        }
        if (failure instanceof ProcessingException e) {
            return causedByJson(e)
                    ? new JumpCloudException(Reason.UNEXPECTED_ANSWER,
                            "JumpCloud's answer for " + what + " could not be read.")
                    : new Transient("could not be reached", Optional.empty());
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    /** A failure another attempt may not meet: 429, 5xx, no connection. */
    private static final class Transient extends RuntimeException {

        private final Optional<Duration> retryAfter;

        Transient(String failure, Optional<Duration> retryAfter) {
            super(failure, null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /**
     * The pauses of one request: exponential with full jitter, unless JumpCloud said {@code Retry-After} (capped by
     * the maximum); after the last attempt, the request fails as unreachable.
     */
    private final class Backoff {

        private final String what;
        private Duration next = config.initialBackoff();
        private int attempts;

        Backoff(String what) {
            this.what = what;
        }

        Uni<Void> after(Transient failure) {
            attempts++;
            if (attempts >= config.maxAttempts()) {
                return Uni.createFrom().failure(new JumpCloudException(Reason.UNREACHABLE, "JumpCloud "
                        + failure.getMessage() + " when asked for " + what + ", " + attempts
                        + " times; try again later."));
            }
            Duration pause = failure.retryAfter.map(JumpCloudClient.this::capped).orElse(jittered(next));
            next = capped(next.multipliedBy(2));
            LOG.debugf("JumpCloud %s for %s (attempt %d); retrying in %d ms", failure.getMessage(), what, attempts,
                    pause.toMillis());
            Uni<Void> now = Uni.createFrom().voidItem();
            // the timer fires on an event loop; the next attempt blocks, so it runs on a worker
            return pause.isZero() ? now
                    : now.onItem().delayIt().by(pause).emitOn(Infrastructure.getDefaultWorkerPool());
        }
    }

    private static JumpCloudException refusal(int status, JumpCloudCredentials credentials, Reason notFound) {
        boolean orgIdGiven = credentials.organizationId() != null;
        return switch (status) {
            case 401 -> new JumpCloudException(Reason.INVALID_API_KEY);
            case 403 -> new JumpCloudException(Reason.FORBIDDEN);
            case 404 -> new JumpCloudException(notFound != null ? notFound
                    : orgIdGiven ? Reason.UNKNOWN_ORGANIZATION_ID : Reason.UNEXPECTED_ANSWER);
            case 400 -> orgIdGiven ? new JumpCloudException(Reason.MALFORMED_ORGANIZATION_ID)
                    : new JumpCloudException(Reason.UNEXPECTED_ANSWER, "JumpCloud rejected the request (400).");
            default -> new JumpCloudException(Reason.UNEXPECTED_ANSWER, "JumpCloud answered " + status + ".");
        };
    }

    private JumpCloudApi api(JumpCloudCredentials credentials) {
        return apis.get(credentials.dataCenter());
    }

    private Duration jittered(Duration backoff) {
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() + 1));
    }

    private Duration capped(Duration pause) {
        return pause.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : pause;
    }

    /** {@code Retry-After} as seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(Response response) {
        String value = response.getHeaderString("Retry-After");
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(until.isNegative() ? Duration.ZERO : until);
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }

    private static boolean causedByJson(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException) {
                return true;
            }
        }
        return false;
    }
}
