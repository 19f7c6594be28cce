-- Projection of the organization registry (keyway.orgs.v1), in every service and every region.
create table known_organization (
    id            uuid        primary key,
    slug          text        not null unique,
    display_name  text        not null,
    region        text        not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null default now()
);
