-- The organization registry of this region: sso-service is its owner and publishes it on keyway.orgs.v1.
create table organization (
    id            uuid        primary key,
    slug          text        not null unique,
    display_name  text        not null,
    region        text        not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

-- RS256 keys for owner tokens and sessions; the private half is sealed with keyway.encryption.keys.
create table signing_key (
    kid           text        primary key,
    private_key   text        not null,
    public_key    bytea       not null,
    created_at    timestamptz not null default now(),
    retired_at    timestamptz
);
