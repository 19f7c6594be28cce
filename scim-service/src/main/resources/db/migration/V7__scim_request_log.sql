-- The SCIM request log: one row per SCIM request of an organization (its token named it), for the organization's
-- owner to see what JumpCloud sent and what it was told. Written in batches off the request's path
-- (requestlog.RequestLog); kept keyway.scim.request-log.retention (P30D), then deleted.
create table scim_request (
    id         bigint generated always as identity primary key,
    org_id     uuid        not null,
    at         timestamptz not null,
    method     text        not null,
    -- the path and the query's SCIM parameters; any other parameter's value is left out
    path       text        not null,
    status     smallint    not null,
    -- for a refused or failed request: the SCIM error's scimType and detail
    scim_type  text,
    detail     text,
    -- the user the request was about, when the path or the answer names one
    user_id    text,
    user_name  text,
    token_id   uuid
);
-- the owner's view: one organization, newest first
create index scim_request_org_at on scim_request (org_id, at desc);
-- rows arrive in time order, so a BRIN index finds the expired ones for the price of a few pages
create index scim_request_at on scim_request using brin (at);
