-- The user store. Each resource keeps its canonical SCIM document in "attributes" (jsonb); the columns beside it
-- hold what is indexed, unique or read by other services, and are written from the document on every change.

-- Departments merge by name (case-insensitive) and are never duplicated; a disabled one receives no user sync.
create table department (
    id          uuid        primary key,
    org_id      uuid        not null,
    name        text        not null,
    enabled     boolean     not null default true,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create unique index department_name on department (org_id, lower(name));

create table scim_user (
    id             uuid        primary key,
    org_id         uuid        not null,
    user_name      text        not null,
    external_id    text,
    active         boolean     not null,
    display_name   text,
    given_name     text,
    family_name    text,
    -- the primary (else first) e-mail, lower-cased: the login key
    email          text,
    -- every e-mail, lower-cased, so "emails.value eq" is answered from an index
    emails_lower   text[]      not null default '{}',
    department_id  uuid        references department (id),
    attributes     jsonb       not null,
    version        bigint      not null,
    -- 'scim', or 'import:<integration id>' for a user created by a directory import (SCIM takes over on first write)
    managed_by     text        not null default 'scim',
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    deleted_at     timestamptz
);
-- a deleted user's userName is free again
create unique index scim_user_user_name on scim_user (org_id, lower(user_name)) where deleted_at is null;
create index scim_user_external_id on scim_user (org_id, external_id) where deleted_at is null;
create index scim_user_email on scim_user (org_id, email) where deleted_at is null;
create index scim_user_emails on scim_user using gin (emails_lower) where deleted_at is null;
create index scim_user_listing on scim_user (org_id, created_at, id) where deleted_at is null;

create table scim_group (
    id            uuid        primary key,
    org_id        uuid        not null,
    display_name  text        not null,
    external_id   text,
    attributes    jsonb       not null,
    version       bigint      not null,
    managed_by    text        not null default 'scim',
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    deleted_at    timestamptz
);
create unique index scim_group_display_name on scim_group (org_id, lower(display_name)) where deleted_at is null;
create index scim_group_listing on scim_group (org_id, created_at, id) where deleted_at is null;

-- One row per membership, so adding or removing a member costs O(change), whatever the group's size.
create table group_member (
    group_id  uuid        not null references scim_group (id),
    user_id   uuid        not null references scim_user (id),
    -- 'scim', or 'import:<integration id>'
    source    text        not null default 'scim',
    added_at  timestamptz not null default now(),
    primary key (group_id, user_id)
);
create index group_member_user on group_member (user_id);

-- Per-organization SCIM settings.
create table scim_settings (
    org_id          uuid        primary key,
    groups_enabled  boolean     not null default true,
    updated_at      timestamptz not null default now()
);
