-- pgbench: the SQL of one SCIM POST /Users, statement for statement, as scim-service sends it for post-users.lua's
-- body (a user with one e-mail and a department: the user, its outbox row and its SET in one transaction), on a
-- schema-only copy of the scim schema. scim-bench.py runs it as the baseline of the POST figure; keep it in step with
-- the statements named in each comment.
--   :org :hash are set by the driver (-D): an organization and a token hash present in the copy; :run keeps names
--   of one run apart; :core :enterprise :createfull :at are the schema and event URNs and a time. pgbench takes every
--   colon followed by a letter or digit for a variable, even inside a literal: hence those, and the JSON's blank
--   after each colon.
\set n random(1, 9000000000000)
\set d random(0, 19)
-- ScimTokenRepository.PRESENTED: the bearer token, on the pool before the transaction
select t.id, t.token_hash, t.org_id, o.slug, o.region, coalesce(s.groups_enabled, true) as groups_enabled, k.api_key
from scim_token t join known_organization o on o.id = t.org_id
left join scim_settings s on s.org_id = t.org_id left join scim_api_key k on k.org_id = t.org_id
where t.token_hash = decode(:hash, 'hex') and t.revoked_at is null;
begin;
-- Departments.FIND_OR_CREATE
with created as (
    insert into department (id, org_id, name) values (gen_random_uuid(), :org, 'Dept ' || :d::text)
    on conflict (org_id, lower(name)) do nothing returning id, name, enabled)
select id as department_id, name as department_name, enabled, true as created from created
union all
select id, name, enabled, false from department
where org_id = :org and lower(name) = lower('Dept ' || :d::text) and not exists (select 1 from created) \gset
-- UserRepository.INSERT (the service makes the id; here PostgreSQL does, and hands it to the next statement)
insert into scim_user as u (id, org_id, user_name, external_id, active, display_name, given_name,
    family_name, email, emails_lower, department_id, attributes, version, managed_by, created_at, updated_at)
values (gen_random_uuid(), :org, 'pg.' || :run::text || '.' || :n::text || '@bench.test', null, true, null, 'Load',
    'User ' || :n::text, 'pg.' || :run::text || '.' || :n::text || '@bench.test',
    array['pg.' || :run::text || '.' || :n::text || '@bench.test'], :department_id::uuid,
    ('{"schemas": ["' || :core::text || '", "' || :enterprise::text || '"],'
     || '"userName":"pg.' || :run::text || '.' || :n::text || '@bench.test","name": {"givenName":"Load","familyName":"User '
     || :n::text || '"},"emails": [{"value":"pg.' || :run::text || '.' || :n::text || '@bench.test","type":"work","primary": true}],'
     || '"active": true, "' || :enterprise::text || '": {"department": "Dept ' || :d::text
     || '"}}')::text::jsonb, 1, 'scim', now(), now())
returning u.created_at, u.id as user_id \gset
-- Outbox.APPEND (the event of DirectoryEvents.userCreated, about as long as the service's)
with next as (
    insert into outbox_sequence (aggregate_id, last_sequence) values (:user_id::text, 1)
    on conflict (aggregate_id) do update set last_sequence = outbox_sequence.last_sequence + 1
    returning last_sequence)
insert into outbox (event_id, topic, event_type, aggregate_id, payload, traceparent, tracestate)
select gen_random_uuid(), 'keyway.directory.v1', 'user.upserted', :user_id::text,
    '{"id":"00000000-0000-0000-0000-000000000000","type":"user.upserted","version": 1,"orgId":"' || :org::text
    || '","region":"api","occurredAt": "' || :at::text || '","aggregateId":"' || :user_id::text || '","sequence":'
    || next.last_sequence || ',"payload": {"id":"' || :user_id::text || '","userName":"pg.' || :run::text || '.' || :n::text
    || '@bench.test","externalId": null,"givenName":"Load","familyName":"User ' || :n::text || '","displayName": null,'
    || '"email":"pg.' || :run::text || '.' || :n::text || '@bench.test","active": true,"title": null,"department":"Dept ' || :d::text
    || '","employeeNumber": null,"groupIds": []}}', null, null
from next
returning (select last_sequence from next);
-- SecurityEventLog.APPEND (the user's SET, SecurityEventLog.userCreated: the event log in the same transaction; its
-- payload about as long as the service's; a delivery row for each receiver that wants it, none here)
with subject as (
    insert into set_subject as s (subject, active, deleted, last_sequence)
    values ('/Users/' || :user_id::text, true, false, 1)
    on conflict (subject) do update set active = excluded.active, deleted = excluded.deleted,
        last_sequence = s.last_sequence + 1
    returning last_sequence),
event as (
    insert into set_event (jti, txn, org_id, subject, sequence, event_uris, payload)
    select gen_random_uuid(), pg_current_xact_id()::text, :org, '/Users/' || :user_id::text, subject.last_sequence,
        array[:createfull::text],
        '{"sub_id": {"format":"scim","uri":"/Users/' || :user_id::text || '"},"events": {'
        || '"' || :createfull::text || '": {"version":"W/\"1\"","data": {"schemas": ["' || :core::text
        || '","' || :enterprise::text || '"],"id":"' || :user_id::text || '","userName":"pg.' || :run::text || '.'
        || :n::text || '@bench.test","name": {"givenName":"Load","familyName":"User ' || :n::text || '"},"emails": '
        || '[{"value":"pg.' || :run::text || '.' || :n::text || '@bench.test","type":"work","primary": true}],'
        || '"active": true,"' || :enterprise::text || '": {"department":"Dept ' || :d::text || '"},"meta": '
        || '{"resourceType":"User","created":"' || :at::text || '","lastModified":"' || :at::text
        || '","version":"W/\"1\""}}}}}'
    from subject
    returning id)
insert into set_delivery (receiver_id, event_id, subject)
select r.id, event.id, '/Users/' || :user_id::text from event cross join event_receiver r
where (r.org_ids is null or :org = any (r.org_ids))
    and (r.event_uris is null or r.event_uris && array[:createfull::text]);
commit;
