-- Owner tokens issued, so the operator can revoke one by its id (jti) and its revocation is announced only while
-- the token could still be presented.
create table owner_token (
    jti         uuid        primary key,
    org_id      uuid        not null references organization (id),
    issued_at   timestamptz not null,
    expires_at  timestamptz not null,
    revoked_at  timestamptz
);
create index owner_token_revoked on owner_token (org_id, expires_at) where revoked_at is not null;

-- What keyway.orgs.v1 announces: owner tokens issued before owner_tokens_not_before are revoked, and so are the
-- unexpired tokens listed in revoked_owner_tokens.
alter table organization add column owner_tokens_not_before timestamptz;
alter table organization add column revoked_owner_tokens text[] not null default '{}';

-- Signing-key rotation: a key is published in the JWKS from created_at, signs from activates_at, and is retired
-- (unpublished, its private half erased) once every token it signed has expired.
alter table signing_key add column activates_at timestamptz;
update signing_key set activates_at = created_at;
alter table signing_key alter column activates_at set not null;
alter table signing_key alter column private_key drop not null;
