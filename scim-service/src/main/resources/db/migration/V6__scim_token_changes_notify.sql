-- Every replica remembers the SCIM tokens it has seen active (ScimTokenCache). Whatever ends a token or changes what it
-- authenticates notifies channel scim_token_changed when its transaction commits, and every replica forgets them all:
-- a token revoked, an organization's API key or SCIM settings written, an organization renamed or rehomed. These
-- writes are rare; NOTIFY's commit-time lock is never taken by the hot paths (token use stamps last_used_at only).
create function scim_token_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('scim_token_changed', '');
    return null;
end
$$;

create trigger scim_token_revoked after update of revoked_at or delete on scim_token
    for each statement execute function scim_token_changed();
create trigger scim_api_key_changed after insert or update or delete on scim_api_key
    for each statement execute function scim_token_changed();
create trigger scim_settings_changed after insert or update or delete on scim_settings
    for each statement execute function scim_token_changed();
-- the organization projection rewrites its row on every registry event: only a new slug or region counts
create trigger known_organization_moved after update on known_organization
    for each row when (old.slug is distinct from new.slug or old.region is distinct from new.region)
    execute function scim_token_changed();
create trigger known_organization_gone after delete on known_organization
    for each statement execute function scim_token_changed();
