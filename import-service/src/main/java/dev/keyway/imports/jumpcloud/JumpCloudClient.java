package dev.keyway.imports.jumpcloud;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Reads a customer's JumpCloud directory: every page of users, groups and group members, as JumpCloud's API
 * guidelines ask ({@code limit} ≤ 100, {@code skip}, a sort on a unique field, stop at a short page). 429, 5xx and
 * network failures are retried (Mutiny) with exponential backoff and full jitter, honouring {@code Retry-After};
 * anything else becomes a {@link JumpCloudException} naming the cause. The import's pages are read without blocking;
 * the admin API's few requests ({@link #validate}, {@link #groups}) block: call those from a worker thread.
 */
@ApplicationScoped
public class JumpCloudClient {

    private static final Logger LOG = Logger.getLogger(JumpCloudClient.class);

    /** v1 sorts by {@code _id}, v2 objects name their unique key {@code id}. */
    private static final String V1_SORT = "_id";
    private static final String V2_SORT = "id";

    private final JumpCloudConfig config;
    private final Vertx vertx;
    private final Map<DataCenter, JumpCloudApi> apis = new EnumMap<>(DataCenter.class);

    public JumpCloudClient(JumpCloudConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
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

    /**
     * The ids of the users in a group (nested and dynamic membership included), a page at a time, one page after
     * the other: JumpCloud publishes no count of a group's members, so the end is the first short page. The import
     * reads several groups side by side instead. Each page overlaps the one before by a member, so one who leaves the
     * group meanwhile does not make the next member look gone too ({@link MemberCursor}).
     */
    public Multi<List<String>> memberPages(JumpCloudCredentials credentials, String groupId) {
        JumpCloudApi api = api(credentials);
        String what = "members of group " + groupId;
        MemberCursor cursor = new MemberCursor(config.pageSize());
        return Multi.createBy().repeating()
                .uni(() -> readPage(what, credentials, Reason.GROUP_NOT_FOUND, () -> api.membershipAsync(
                        credentials.apiKey(), credentials.organizationId(), groupId, config.pageSize(), cursor.skip(),
                        V2_SORT))
                        .map(page -> cursor.read(page == null ? List.of() : page)))
                .whilst(page -> !cursor.done())
                .map(page -> page.stream().filter(member -> member.type() == null || "user".equals(member.type()))
                        .map(GraphObject::id).toList());
    }

    /**
     * Every user of the directory, a page at a time and never held whole, each with the fields the import maps alone
     * (JumpCloud's default record has some sixty, with addresses, phone numbers, attributes and MFA state, several
     * times the size). The first page tells how many there are; the pages after it are asked {@code concurrency} at a
     * time, in no particular order. If the directory grew meanwhile (the last expected page is full), the rest is read
     * a page after the other until a short page.
     */
    public Multi<List<SystemUser>> userPages(JumpCloudCredentials credentials) {
        JumpCloudApi api = api(credentials);
        int size = config.pageSize();
        IntFunction<Uni<List<SystemUser>>> page = skip -> readPage("users", credentials, null,
                () -> api.systemUsersAsync(credentials.apiKey(), credentials.organizationId(), size, skip, V1_SORT,
                        SystemUser.FIELDS))
                .map(users -> users == null ? List.<SystemUser>of() : users.results());
        return readPage("users", credentials, null, () -> api.systemUsersAsync(credentials.apiKey(),
                credentials.organizationId(), size, 0, V1_SORT, SystemUser.FIELDS)).toMulti().flatMap(first -> {
                    List<SystemUser> firstUsers = first == null ? List.of() : first.results();
                    if (firstUsers.size() < size) {
                        return Multi.createFrom().item(firstUsers);
                    }
                    int expectedPages = first.totalCount() == null ? 1
                            : Math.max(1, (first.totalCount() + size - 1) / size);
                    AtomicBoolean lastFull = new AtomicBoolean(expectedPages == 1);
                    Multi<List<SystemUser>> known = Multi.createFrom().range(1, expectedPages)
                            .onItem().transformToUni(n -> page.apply(n * size).invoke(users -> {
                                if (n == expectedPages - 1) {
                                    lastFull.set(users.size() == size);
                                }
                            }))
                            .merge(config.concurrency());
                    AtomicInteger skip = new AtomicInteger(expectedPages * size);
                    Multi<List<SystemUser>> rest = Multi.createFrom().deferred(() -> !lastFull.get()
                            ? Multi.createFrom().empty()
                            : Multi.createBy().repeating().uni(() -> page.apply(skip.getAndAdd(size)))
                                    .whilst(users -> users.size() == size));
                    return Multi.createBy().concatenating().streams(Multi.createFrom().item(firstUsers), known, rest);
                });
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

    /** Every page of a listing, one after the other (the admin API's list of groups). */
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

    /** {@link #attempt}, waited for: for the admin API's few requests, on a worker thread. */
    private <T> T call(String what, JumpCloudCredentials credentials, Reason notFound, Supplier<T> request) {
        try {
            return attempt(what, credentials, notFound, () -> Uni.createFrom().item(request)).await().indefinitely();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InterruptedException) {
                throw new JumpCloudException(Reason.UNREACHABLE,
                        "The import was interrupted while waiting for JumpCloud.");
            }
            throw e;
        }
    }

    /**
     * One request with retries. {@code notFound} says what a 404 means for it; null for a directory-wide listing,
     * whose 404 can only be about the Organization ID. Mutiny retries it; {@link Backoff} says how long to wait.
     */
    private <T> Uni<T> attempt(String what, JumpCloudCredentials credentials, Reason notFound,
            Supplier<Uni<T>> request) {
        Backoff backoff = new Backoff(what);
        return Uni.createFrom().<T>deferred(request::get)
                .onFailure().transform(failure -> classified(failure, what, credentials, notFound))
                // pause, then fail again so that Mutiny retries; after the last attempt the pause fails instead
                .onFailure(Transient.class).recoverWithUni(failure -> backoff.after((Transient) failure)
                        .onItem().transformToUni(paused -> Uni.createFrom().<T>failure(failure)))
                .onFailure(Transient.class).retry().indefinitely();
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

    /**
     * A page the import reads, {@linkplain #attempt attempted} from a Vert.x context of its own each time. The REST
     * client looks for the incoming request's headers whenever a CDI request context is active, and context
     * propagation carries the one of the request that started a run into all of its pages, long after it ended:
     * looking for its headers threw on every page.
     */
    private <T> Uni<T> readPage(String what, JumpCloudCredentials credentials, Reason notFound,
            Supplier<Uni<T>> request) {
        return attempt(what, credentials, notFound, () -> {
            Context current = Vertx.currentContext();
            Context own = VertxContext.createNewDuplicatedContext(
                    current != null ? VertxContext.getRootContext(current) : vertx.getOrCreateContext());
            return Uni.createFrom().emitter(answer -> own.runOnContext(ignored -> {
                Cancellable sent = request.get().subscribe().with(answer::complete, answer::fail);
                answer.onTermination(sent::cancel);
            }));
        });
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
