-- Per organization: the IdP it trusts and how sign-in behaves (settings are a JSON document with defaults in code).
create table saml_connection (
    org_id            uuid        primary key references organization (id),
    idp_entity_id     text,
    idp_redirect_url  text,
    idp_post_url      text,
    idp_metadata_url  text,
    settings          jsonb       not null default '{}',
    updated_at        timestamptz not null default now()
);

-- IdP signing certificates; several at once for rollover.
create table idp_certificate (
    id           uuid        primary key,
    org_id       uuid        not null references organization (id),
    certificate  bytea       not null,
    fingerprint  text        not null,
    not_after    timestamptz not null,
    created_at   timestamptz not null default now(),
    unique (org_id, fingerprint)
);

-- SP key pairs: the private key sealed with keyway.encryption.keys; a retired pair no longer decrypts.
create table sp_key (
    id           uuid        primary key,
    org_id       uuid        not null references organization (id),
    certificate  bytea       not null,
    private_key  text        not null,
    not_after    timestamptz not null,
    created_at   timestamptz not null default now(),
    retired_at   timestamptz
);
create index sp_key_org on sp_key (org_id) where retired_at is null;

-- AuthnRequests sent and not yet answered (SP-initiated sign-in), for the InResponseTo check.
create table saml_pending_request (
    id          text        primary key,
    org_id      uuid        not null,
    return_to   text,
    expires_at  timestamptz not null
);
create index saml_pending_request_expiry on saml_pending_request (expires_at);

-- Assertion ids already used, kept until the assertion would have expired anyway; shared by all replicas.
create table saml_replay (
    org_id        uuid        not null,
    assertion_id  text        not null,
    expires_at    timestamptz not null,
    primary key (org_id, assertion_id)
);
create index saml_replay_expiry on saml_replay (expires_at);

-- Who may sign in: the login projection of the user store (keyway.directory.v1).
create table login_user (
    user_id     uuid        primary key,
    org_id      uuid        not null,
    user_name   text        not null,
    email       text,
    given_name  text,
    family_name text,
    active      boolean     not null,
    group_ids   uuid[]      not null default '{}',
    source      text        not null default 'directory',
    updated_at  timestamptz not null default now()
);
create index login_user_email on login_user (org_id, lower(email));
create index login_user_user_name on login_user (org_id, lower(user_name));
create index login_user_any_email on login_user (lower(email));

create table login_group (
    id            uuid primary key,
    org_id        uuid not null,
    display_name  text not null
);

-- Sessions issued; a revoked one is refused by GET /session even while its JWT has not expired.
create table session (
    id             uuid        primary key,
    org_id         uuid        not null,
    user_id        uuid        not null,
    created_at     timestamptz not null default now(),
    expires_at     timestamptz not null,
    revoked_at     timestamptz,
    revoked_reason text
);
create index session_by_user on session (user_id) where revoked_at is null;

-- Every sign-in attempt: who, when, outcome and the rule that decided it.
create table login_audit (
    id            bigint      generated always as identity primary key,
    org_id        uuid        not null,
    at            timestamptz not null default now(),
    subject       text,
    user_id       uuid,
    outcome       text        not null,
    reason        text        not null,
    assertion_id  text,
    client        text
);
create index login_audit_org on login_audit (org_id, at desc);
