-- SCIM bearer tokens: only a SHA-256 hash of each is kept (the token is 256 random bits, shown once).
create table scim_token (
    id            uuid        primary key,
    org_id        uuid        not null,
    token_hash    bytea       not null unique,
    hint          text        not null,
    created_at    timestamptz not null,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
create index scim_token_org on scim_token (org_id) where revoked_at is null;

-- The organization's API key, for clients that send "Bearer <apiKey>:<scimKey>"; an identifier, not a secret.
create table scim_api_key (
    org_id        uuid        primary key,
    api_key       text        not null unique,
    created_at    timestamptz not null default now()
);
