package dev.keyway.scim.settings;

import jakarta.enterprise.context.ApplicationScoped;

import dev.keyway.runtime.organization.KnownOrganizations;
import dev.keyway.scim.token.ScimTokenCache;
import io.smallrye.mutiny.Uni;

/** An organization's SCIM settings, for organizations homed in this region; group management is on unless set off. */
@ApplicationScoped
public class ScimSettingsService {

    private final ScimSettingsRepository settings;
    private final KnownOrganizations organizations;
    private final ScimTokenCache tokens;

    public ScimSettingsService(ScimSettingsRepository settings, KnownOrganizations organizations,
            ScimTokenCache tokens) {
        this.settings = settings;
        this.organizations = organizations;
        this.tokens = tokens;
    }

    /** Whether the organization's IdP may manage groups and memberships here. */
    public Uni<Boolean> groupsEnabled(String slug) {
        return organizations.homedHere(slug).chain(org -> settings.groupsEnabled(org.id()))
                .map(stored -> stored == null || stored);
    }

    public Uni<Void> setGroupsEnabled(String slug, boolean groupsEnabled) {
        // a SCIM request authenticated after this answers by the new setting (the remembered tokens carry it)
        return organizations.homedHere(slug).chain(org -> settings.saveGroupsEnabled(org.id(), groupsEnabled))
                .invoke(tokens::forget);
    }
}
