-- Setup links an operator made for one organization: only the SHA-256 of the link's secret is kept.
create table setup_link (
    id          uuid primary key,
    org_id      uuid not null,
    org_slug    text not null,
    token_hash  bytea not null unique,
    scopes      text[] not null,
    created_at  timestamptz not null default now(),
    expires_at  timestamptz not null,
    used_at     timestamptz,
    revoked_at  timestamptz
);
create index setup_link_org on setup_link (org_id);

-- Browser sessions a link opened: the cookie holds a random id, the table its SHA-256. The owner tokens minted for
-- the session are listed so a revocation can end them at sso-service too.
create table portal_session (
    id_hash          bytea primary key,
    link_id          uuid not null references setup_link (id) on delete cascade,
    org_id           uuid not null,
    org_slug         text not null,
    scopes           text[] not null,
    created_at       timestamptz not null default now(),
    expires_at       timestamptz not null,
    owner_token_ids  text[] not null default '{}'
);
create index portal_session_link on portal_session (link_id);
