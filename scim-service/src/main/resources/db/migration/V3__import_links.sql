-- Which store user an import integration's directory user became, so later events find it again.
create table import_link (
    integration_id  uuid  not null,
    source_user_id  text  not null,
    org_id          uuid  not null,
    user_id         uuid  not null references scim_user (id),
    primary key (integration_id, source_user_id)
);
create index import_link_user on import_link (user_id);
