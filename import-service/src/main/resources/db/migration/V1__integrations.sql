-- A customer's connection to their JumpCloud directory: credentials (API key sealed), what to import, when.
create table import_integration (
    id                uuid        primary key,
    org_id            uuid        not null,
    name              text        not null,
    data_center       text        not null,
    jumpcloud_org_id  text,
    api_key_sealed    text        not null,
    api_key_hint      text        not null,
    interval_seconds  integer     not null,
    enabled           boolean     not null,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    next_run_at       timestamptz,
    unique (org_id, name)
);
create index import_integration_org on import_integration (org_id);

-- Which JumpCloud user groups an integration imports, and the Keyway group each lands in.
create table import_group_mapping (
    integration_id      uuid not null references import_integration (id) on delete cascade,
    jumpcloud_group_id  text not null,
    jumpcloud_group_name text not null,
    target_group        text not null,
    primary key (integration_id, jumpcloud_group_id)
);
