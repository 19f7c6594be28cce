-- OpenID Connect: the apps (relying parties) the operator registers, and what their sign-ins leave behind.

-- A registered app. A confidential client authenticates with a secret (only its SHA-256 is kept: the secret is 32
-- random bytes, so a fast hash is enough) or with a JWT signed by a key of its registered JWKS (private_key_jwt).
create table oidc_client (
    client_id                  text        primary key,
    name                       text        not null,
    token_endpoint_auth_method text        not null,
    secret_hash                bytea,
    jwks                       jsonb,
    redirect_uris              text[]      not null,
    post_logout_redirect_uris  text[]      not null default '{}',
    backchannel_logout_uri     text,
    initiate_login_uri         text,
    -- organization slugs the app may sign users of in; null = every organization
    allowed_organizations      text[],
    created_at                 timestamptz not null default now(),
    updated_at                 timestamptz not null default now()
);

-- An authorization request waiting for the SAML sign-in it started (short-lived, used once, tied to the browser).
create table oidc_authorization (
    id              text        primary key,
    client_id       text        not null references oidc_client (client_id) on delete cascade,
    org_id          uuid        not null,
    redirect_uri    text        not null,
    scope           text        not null,
    state           text,
    nonce           text,
    code_challenge  text        not null,
    browser_hash    bytea       not null,
    created_at      timestamptz not null default now(),
    expires_at      timestamptz not null
);
create index oidc_authorization_expiry on oidc_authorization (expires_at);

-- Authorization codes (hashed): single use, short-lived, bound to client, redirect URI and PKCE challenge.
create table oidc_code (
    code_hash       bytea       primary key,
    client_id       text        not null references oidc_client (client_id) on delete cascade,
    org_id          uuid        not null,
    user_id         uuid        not null,
    session_id      uuid        not null,
    redirect_uri    text        not null,
    scope           text        not null,
    nonce           text,
    code_challenge  text        not null,
    -- who signed in, as the Keyway session said (e-mail, names, groups, organization): the ID token's claims
    claims          jsonb       not null,
    auth_time       timestamptz not null,
    expires_at      timestamptz not null,
    used_at         timestamptz,
    -- the grant the code was exchanged for: a replayed code revokes it
    grant_id        uuid
);
create index oidc_code_expiry on oidc_code (expires_at);

-- A client's share of a user's sign-in session (the ID token's sid): what refresh tokens, userinfo and
-- back-channel logout hang on. Revoked when the user is deactivated or deleted, or the session ends.
create table oidc_grant (
    id          uuid        primary key,
    client_id   text        not null references oidc_client (client_id) on delete cascade,
    org_id      uuid        not null,
    user_id     uuid        not null,
    session_id  uuid        not null,
    scope       text        not null,
    claims      jsonb       not null,
    auth_time   timestamptz not null,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create index oidc_grant_by_user on oidc_grant (user_id) where revoked_at is null;
create index oidc_grant_by_session on oidc_grant (session_id) where revoked_at is null;

-- Access and refresh tokens (hashed; opaque to the app), each of one grant.
create table oidc_token (
    token_hash  bytea       primary key,
    grant_id    uuid        not null references oidc_grant (id) on delete cascade,
    kind        text        not null check (kind in ('access', 'refresh')),
    expires_at  timestamptz not null,
    used_at     timestamptz
);
create index oidc_token_expiry on oidc_token (expires_at);

-- Back-channel logout tokens to deliver, written in the transaction that ended the sessions (an outbox of its own):
-- retried with exponential backoff until the app answers 2xx.
create table oidc_logout_delivery (
    id               uuid        primary key,
    client_id        text        not null references oidc_client (client_id) on delete cascade,
    user_id          uuid        not null,
    session_id       uuid        not null,
    uri              text        not null,
    created_at       timestamptz not null default now(),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null default now(),
    delivered_at     timestamptz,
    given_up_at      timestamptz,
    last_error       text
);
create index oidc_logout_delivery_due on oidc_logout_delivery (next_attempt_at)
    where delivered_at is null and given_up_at is null;
