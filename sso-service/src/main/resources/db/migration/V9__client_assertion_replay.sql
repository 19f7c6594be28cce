-- The private_key_jwt assertions a client has used (RFC 7523 §3: a jti is used once), kept until they expire anyway
-- (an assertion lives at most 5 minutes): one copied from a log or a proxy cannot be presented again.
create table oidc_client_assertion (
    client_id  text        not null references oidc_client (client_id) on delete cascade,
    jti        text        not null,
    expires_at timestamptz not null,
    primary key (client_id, jti)
);
create index oidc_client_assertion_expiry on oidc_client_assertion (expires_at);
