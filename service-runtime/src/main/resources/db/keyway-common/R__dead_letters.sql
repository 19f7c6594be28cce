-- Records a consumer could never apply (not a readable event, or refused on its data), kept as they arrived: the
-- consumer acknowledges them and goes on, and an operator sees what was refused and why, and can replay it.
-- Key, value and error are text for reading with psql; a NUL in them is stored as U+FFFD (text cannot hold NUL).
--
-- Repeatable and idempotent on purpose: the shared migrations are numbered 0.x so that they come before each
-- service's own, and a new 0.x would be refused as out of order by every database already past them.
create table if not exists dead_letter (
    id                bigint generated always as identity primary key,
    topic             text        not null,
    kafka_partition   integer     not null,
    kafka_offset      bigint      not null,
    record_key        text,
    record_value      text,
    event_id          uuid,
    event_type        text,
    reason            text        not null,
    error             text        not null,
    dead_lettered_at  timestamptz not null default now(),
    -- a record redelivered before its offset was committed is kept once
    unique (topic, kafka_partition, kafka_offset)
);
create index if not exists dead_letter_at on dead_letter (dead_lettered_at);
