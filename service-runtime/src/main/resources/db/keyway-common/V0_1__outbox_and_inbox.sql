-- Transactional outbox: an event row is written in the same transaction as the change it describes;
-- the relay publishes pending rows to Kafka in id order and stamps published_at.
create table outbox (
    id            bigint generated always as identity primary key,
    event_id      uuid        not null unique,
    topic         text        not null,
    event_type    text        not null,
    aggregate_id  text        not null,
    payload       text        not null,
    created_at    timestamptz not null default now(),
    published_at  timestamptz,
    attempts      integer     not null default 0,
    last_error    text
);
create index outbox_pending on outbox (id) where published_at is null;
create index outbox_published_at on outbox (published_at) where published_at is not null;

-- Per-aggregate sequence numbers; the row lock also serialises concurrent writers of one aggregate,
-- so a later sequence always gets a later outbox id.
create table outbox_sequence (
    aggregate_id  text   primary key,
    last_sequence bigint not null
);

-- Idempotent inbox: processed event ids, and the newest sequence applied per aggregate.
create table inbox (
    event_id      uuid        primary key,
    processed_at  timestamptz not null default now()
);
create index inbox_processed_at on inbox (processed_at);

create table inbox_sequence (
    aggregate_id  text   primary key,
    last_sequence bigint not null
);
