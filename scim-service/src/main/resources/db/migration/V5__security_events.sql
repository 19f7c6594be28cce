-- Directory events for the SaaS's apps: Security Event Tokens (RFC 8417) in the SCIM profile (RFC 9967), pushed
-- (RFC 8935) or polled (RFC 8936). The log is written in the same transaction as the change it describes, like the
-- outbox, so an event exists exactly when its change was committed.

-- What the log last said about each resource ('/Users/<id>', '/Groups/<id>'): its own per-resource sequence, and
-- whether a user was active, so the next change is told apart (create, put, activate, deactivate). The row lock
-- orders concurrent writers of one resource, so a later sequence always gets a later event id.
create table set_subject (
    subject        text    primary key,
    active         boolean,
    deleted        boolean not null default false,
    last_sequence  bigint  not null
);
-- What existed before the log: a first change of it is a put, not a create.
insert into set_subject (subject, active, last_sequence)
select '/Users/' || id, active, 0 from scim_user where deleted_at is null;
insert into set_subject (subject, last_sequence)
select '/Groups/' || id, 0 from scim_group where deleted_at is null;

-- The log: one row per SET, kept keyway.events.retention (P30D). Claims other than those in columns are in payload
-- (sub_id and events); iss, aud and the signature are added when the SET is delivered.
create table set_event (
    id           bigint generated always as identity primary key,
    jti          uuid        not null unique,
    txn          text        not null,
    org_id       uuid        not null,
    subject      text        not null,
    sequence     bigint      not null,
    event_uris   text[]      not null,
    payload      text        not null,
    occurred_at  timestamptz not null default now()
);
create index set_event_occurred_at on set_event (occurred_at);

-- RS256 keys the SETs are signed with; the private half sealed with keyway.encryption.keys. One signs (retired_at
-- null); retired ones stay published until the SETs they signed have left the log.
create table set_signing_key (
    kid          text        primary key,
    public_jwk   text        not null,
    private_key  text        not null,
    created_at   timestamptz not null default now(),
    retired_at   timestamptz
);
create unique index set_signing_key_current on set_signing_key ((true)) where retired_at is null;

-- An app that receives the events: pushed to its URL, or polled with its token (hash only).
create table event_receiver (
    id                 uuid        primary key,
    name               text        not null unique,
    mode               text        not null check (mode in ('push', 'poll')),
    url                text,
    audience           text        not null,
    -- push: 'none', 'bearer' (Authorization header) or 'hmac' (X-Keyway-Signature of the body); secret sealed
    auth_type          text        not null default 'none',
    auth_secret        text,
    poll_token_hash    bytea       unique,
    -- null: every organization / every event type
    org_ids            uuid[],
    event_uris         text[],
    paused_at          timestamptz,
    pause_reason       text,
    last_error         text,
    last_error_at      timestamptz,
    last_delivered_at  timestamptz,
    created_at         timestamptz not null default now()
);

-- What each receiver has yet to acknowledge. Rows are written with the event (or by a replay) and deleted on
-- acknowledgement, so the table holds the backlog only. A row is delivered only when no earlier row of the same
-- subject waits: one user's events arrive in order, other users' go on.
create table set_delivery (
    receiver_id      uuid        not null references event_receiver (id) on delete cascade,
    event_id         bigint      not null references set_event (id) on delete cascade,
    subject          text        not null,
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null default now(),
    leased_until     timestamptz,
    first_failed_at  timestamptz,
    last_error       text,
    primary key (receiver_id, event_id)
);
create index set_delivery_subject on set_delivery (receiver_id, subject, event_id);
create index set_delivery_event on set_delivery (event_id);
