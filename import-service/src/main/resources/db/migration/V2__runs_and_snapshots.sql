-- One pull of an integration: when, how it ended, what it found and changed.
create table import_run (
    id                 uuid        primary key,
    integration_id     uuid        not null references import_integration (id) on delete cascade,
    trigger            text        not null,                -- schedule | manual
    status             text        not null,                -- running | succeeded | failed
    started_at         timestamptz not null,
    finished_at        timestamptz,
    users_seen         integer     not null default 0,
    users_created      integer     not null default 0,
    users_updated      integer     not null default 0,
    users_deactivated  integer     not null default 0,
    groups             integer     not null default 0,
    errors             jsonb       not null default '[]'
);
create index import_run_integration on import_run (integration_id, started_at desc);

-- What the last successful run saw of each imported user (the ImportedUser payload as JSON): the next run
-- compares with it and emits only what changed.
create table import_snapshot (
    integration_id  uuid not null references import_integration (id) on delete cascade,
    source_user_id  text not null,
    state           text not null,
    primary key (integration_id, source_user_id)
);

-- The scheduler's question: which enabled integrations are due.
create index import_integration_due on import_integration (next_run_at) where enabled;
