package dev.keyway.imports.integration;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.common.event.EventType;
import dev.keyway.common.event.ImportedGroup;
import dev.keyway.common.tenant.OrgId;
import dev.keyway.imports.config.ImportsConfig;
import dev.keyway.imports.integration.IntegrationRequest.GroupChoice;
import dev.keyway.imports.jumpcloud.DataCenter;
import dev.keyway.imports.jumpcloud.JumpCloudClient;
import dev.keyway.imports.jumpcloud.JumpCloudCredentials;
import dev.keyway.imports.jumpcloud.JumpCloudException;
import dev.keyway.imports.jumpcloud.UserGroup;
import dev.keyway.runtime.crypto.SecretBox;
import dev.keyway.runtime.deployment.Deployment;
import dev.keyway.runtime.outbox.Outbox;
import dev.keyway.runtime.outbox.Outbox.Draft;
import dev.keyway.runtime.problem.ApiException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * The rules of integrations: credentials are proven against JumpCloud before they are stored (sealed), every
 * chosen group must exist there, schedules stay within bounds, names are unique per organization; the Keyway groups an
 * integration fills are announced to the user store with it.
 */
@ApplicationScoped
public class Integrations {

    static final int MAX_NAME = 200;
    private static final String UNIQUE_VIOLATION = "23505";

    private final IntegrationRepository repository;
    private final JumpCloudClient jumpcloud;
    private final SecretBox secrets;
    private final ImportsConfig config;
    private final Pool pool;
    private final Outbox outbox;
    private final Deployment deployment;

    public Integrations(IntegrationRepository repository, JumpCloudClient jumpcloud, SecretBox secrets,
            ImportsConfig config, Pool pool, Outbox outbox, Deployment deployment) {
        this.repository = repository;
        this.jumpcloud = jumpcloud;
        this.secrets = secrets;
        this.config = config;
        this.pool = pool;
        this.outbox = outbox;
        this.deployment = deployment;
    }

    /** Proves credentials an admin typed, before anything is stored. */
    public Uni<Void> validate(JumpCloudCredentials credentials) {
        return blocking(() -> {
            jumpcloud.validate(credentials);
            return null;
        });
    }

    /** Every JumpCloud user group the credentials can see, to choose from. */
    public Uni<List<UserGroup>> jumpcloudGroups(JumpCloudCredentials credentials) {
        return validate(credentials).chain(() -> blocking(() -> jumpcloud.groups(credentials)));
    }

    public Uni<List<UserGroup>> jumpcloudGroups(UUID orgId, UUID id) {
        return get(orgId, id).chain(integration -> blocking(() -> jumpcloud.groups(credentials(integration))));
    }

    public Uni<Integration> create(UUID orgId, IntegrationRequest request) {
        String name = name(request.name());
        JumpCloudCredentials credentials = new JumpCloudCredentials(DataCenter.fromCode(require(request.dataCenter(),
                "dataCenter")), require(request.apiKey(), "apiKey").trim(), request.jumpcloudOrgId());
        List<GroupChoice> choices = choices(request.groups());
        Duration interval = request.interval() == null ? config.defaultInterval() : request.interval();
        boolean enabled = request.enabled() == null || request.enabled();
        return resolve(credentials, choices).chain(groups -> {
            UUID id = UUID.randomUUID();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            Integration integration = new Integration(id, orgId, name, credentials.dataCenter(),
                    credentials.organizationId(), secrets.seal(credentials.apiKey(), Integration.sealingContext(id,
                            orgId)),
                    credentials.apiKeyHint(), interval, enabled, groups, now, now,
                    enabled ? now : null);
            return pool.withTransaction(transaction -> repository.insert(transaction, integration)
                    .chain(() -> announceGroups(transaction, integration)))
                    .onFailure(Integrations::nameTaken).transform(e -> nameConflict(name))
                    .replaceWith(integration);
        });
    }

    public Uni<Integration> update(UUID orgId, UUID id, IntegrationRequest request) {
        return get(orgId, id).chain(current -> {
            String name = request.name() == null ? current.name() : name(request.name());
            boolean newCredentials = request.apiKey() != null || request.dataCenter() != null
                    || request.jumpcloudOrgId() != null;
            JumpCloudCredentials stored = credentials(current);
            JumpCloudCredentials credentials = new JumpCloudCredentials(
                    request.dataCenter() == null ? current.dataCenter() : DataCenter.fromCode(request.dataCenter()),
                    request.apiKey() == null ? stored.apiKey() : require(request.apiKey(), "apiKey").trim(),
                    request.jumpcloudOrgId() == null ? current.jumpcloudOrgId() : request.jumpcloudOrgId());
            Duration interval = request.interval() == null ? current.interval() : request.interval();
            boolean enabled = request.enabled() == null ? current.enabled() : request.enabled();
            Uni<List<GroupMapping>> groups = request.groups() != null
                    ? resolve(credentials, choices(request.groups()))
                    : newCredentials ? validate(credentials).replaceWith(current.groups())
                    : Uni.createFrom().item(current.groups());
            return groups.chain(resolved -> {
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                Instant nextRunAt = !enabled ? null
                        : current.enabled() && current.nextRunAt() != null && request.interval() == null
                                ? current.nextRunAt()
                        : now;
                Integration updated = new Integration(id, orgId, name, credentials.dataCenter(),
                        credentials.organizationId(), request.apiKey() == null ? current.apiKeySealed()
                                : secrets.seal(credentials.apiKey(), Integration.sealingContext(id, orgId)),
                        credentials.apiKeyHint(), interval, enabled, resolved, current.createdAt(), now, nextRunAt);
                return pool.withTransaction(transaction -> repository.update(transaction, updated)
                        .chain(() -> request.groups() == null ? Uni.createFrom().voidItem()
                                : announceGroups(transaction, updated)))
                        .onFailure(Integrations::nameTaken).transform(e -> nameConflict(name))
                        .replaceWith(updated);
            });
        });
    }

    public Uni<Integration> get(UUID orgId, UUID id) {
        return repository.find(orgId, id).onItem().ifNull()
                .failWith(() -> ApiException.notFound("No import integration " + id + "."));
    }

    public Uni<List<Integration>> list(UUID orgId) {
        return repository.listOf(orgId);
    }

    public Uni<Void> delete(UUID orgId, UUID id) {
        return repository.delete(orgId, id).invoke(deleted -> {
            if (!deleted) {
                throw ApiException.notFound("No import integration " + id + ".");
            }
        }).replaceWithVoid();
    }

    /** The stored credentials, key opened: only for a call to JumpCloud, never for a response or a log line. */
    public JumpCloudCredentials credentials(Integration integration) {
        return new JumpCloudCredentials(integration.dataCenter(), secrets.openString(integration.apiKeySealed(),
                Integration.sealingContext(integration.id(), integration.orgId())), integration.jumpcloudOrgId());
    }

    /** Tells the user store which groups the integration fills, so they exist before their first member arrives. */
    private Uni<Void> announceGroups(SqlConnection transaction, Integration integration) {
        List<Draft> groups = integration.groups().stream().map(GroupMapping::targetGroup).distinct()
                .map(name -> new Draft(EventType.IMPORT_GROUP_SELECTED, "import-group:" + integration.id() + ":" + name,
                        new ImportedGroup(integration.id(), name)))
                .toList();
        return outbox.appendAll(transaction, new OrgId(integration.orgId()), deployment.region(), groups);
    }

    /** Checks the credentials and that every chosen group exists; names each mapping after JumpCloud's group. */
    private Uni<List<GroupMapping>> resolve(JumpCloudCredentials credentials, List<GroupChoice> choices) {
        return jumpcloudGroups(credentials).map(available -> {
            Map<String, UserGroup> byId = available.stream()
                    .collect(Collectors.toMap(UserGroup::id, Function.identity(), (first, second) -> first));
            return choices.stream().map(choice -> {
                UserGroup group = byId.get(choice.jumpcloudGroupId());
                if (group == null) {
                    throw new JumpCloudException(JumpCloudException.Reason.GROUP_NOT_FOUND,
                            "JumpCloud has no user group '" + choice.jumpcloudGroupId() + "'.");
                }
                String target = choice.targetGroup() == null || choice.targetGroup().isBlank() ? group.name()
                        : choice.targetGroup().trim();
                return new GroupMapping(group.id(), group.name(), target);
            }).toList();
        });
    }

    /** Each entry's shape is checked on the request (Bean Validation); what spans entries, here. */
    private static List<GroupChoice> choices(List<GroupChoice> groups) {
        if (groups == null) {
            throw ApiException.badRequest("'groups' must name at least one JumpCloud user group to import.");
        }
        Set<String> seen = new HashSet<>();
        for (GroupChoice choice : groups) {
            if (!seen.add(choice.jumpcloudGroupId())) {
                throw ApiException.badRequest("JumpCloud group '" + choice.jumpcloudGroupId() + "' is chosen twice.");
            }
        }
        return groups;
    }

    private static String name(String name) {
        return require(name, "name").trim();
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required.");
        }
        return value;
    }

    private static boolean nameTaken(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }

    private static ApiException nameConflict(String name) {
        return ApiException.conflict("An import integration named '" + name + "' exists already.");
    }

    private static <T> Uni<T> blocking(Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
