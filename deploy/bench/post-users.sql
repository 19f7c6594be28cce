-- pgbench: the SQL of one SCIM POST /Users, as scim-service sends it for post-users.lua's body (a user with one
-- e-mail and a department that exists): UserCreation.CREATE, one statement that writes the department (found, or
-- created with its event), the user, its outbox row and its SET, on a schema-only copy of the scim schema.
-- scim-bench.py runs it as the baseline of the POST figure; keep it in step with that statement. The bearer token
-- costs no query (each replica remembers the tokens it has seen), so there is none here.
--   :org is set by the driver (-D): an organization present in the copy; :run keeps names of one run apart; :core
--   :enterprise :createfull :at are the schema and event URNs and a time. pgbench takes every colon followed by a
--   letter or digit for a variable, even inside a literal: hence those, and the JSON's blank after each colon.
\set n random(1, 9000000000000)
\set d random(0, 19)
-- UserCreation.CREATE (the service makes the ids; here PostgreSQL does, in new_user)
with new_department as (
    insert into department (id, org_id, name) select gen_random_uuid(), :org, 'Dept ' || :d::text
    on conflict (org_id, lower(name)) do nothing
    returning id, name, enabled
), named_department as (
    select id, name, enabled from new_department
    union all
    select id, name, enabled from department
    where org_id = :org and lower(name) = lower('Dept ' || :d::text) and not exists (select 1 from new_department)
), writable as (
    select 1 where exists (select 1 from named_department)
), assigned as (
    select id, name from named_department where enabled
), new_user as (
    insert into scim_user (id, org_id, user_name, external_id, active, display_name, given_name, family_name, email,
        emails_lower, department_id, attributes, version, managed_by, created_at, updated_at)
    select gen_random_uuid(), :org, 'pg.' || :run::text || '.' || :n::text || '@bench.test', null, true, null, 'Load',
        'User ' || :n::text, 'pg.' || :run::text || '.' || :n::text || '@bench.test',
        array['pg.' || :run::text || '.' || :n::text || '@bench.test'], (select id from assigned),
        ('{"schemas": ["' || :core::text || '", "' || :enterprise::text || '"],'
         || '"userName":"pg.' || :run::text || '.' || :n::text || '@bench.test","name": {"givenName":"Load","familyName":"User '
         || :n::text || '"},"emails": [{"value":"pg.' || :run::text || '.' || :n::text || '@bench.test","type":"work","primary": true}],'
         || '"active": true, "' || :enterprise::text || '": {"department": "Dept ' || :d::text
         || '"}}')::text::jsonb, 1, 'scim', :at::timestamptz, :at::timestamptz
    from writable
    returning id
), first_sequences as (
    insert into outbox_sequence (aggregate_id, last_sequence)
    select id::text, 1 from new_department union all select id::text, 1 from new_user
), events as (
    -- the user's event about as long as the service's
    insert into outbox (event_id, topic, event_type, aggregate_id, payload, traceparent, tracestate)
    select gen_random_uuid(), 'keyway.directory.v1', 'department.upserted', id::text,
        '{"id":"00000000-0000-0000-0000-000000000000","type":"department.upserted"}', null, null
    from new_department
    union all
    select gen_random_uuid(), 'keyway.directory.v1', 'user.upserted', id::text,
        '{"id":"00000000-0000-0000-0000-000000000000","type":"user.upserted","version": 1,"orgId":"' || :org::text
        || '","region":"api","occurredAt": "' || :at::text || '","aggregateId":"' || id::text || '","sequence": 1,'
        || '"payload": {"id":"' || id::text || '","userName":"pg.' || :run::text || '.' || :n::text
        || '@bench.test","externalId": null,"givenName":"Load","familyName":"User ' || :n::text || '","displayName": null,'
        || '"email":"pg.' || :run::text || '.' || :n::text || '@bench.test","active": true,"title": null,"department":'
        || coalesce(to_json((select name from assigned))::text, 'null') || ',"employeeNumber": null,"groupIds": []}}',
        null, null
    from new_user
), subject as (
    insert into set_subject (subject, active, deleted, last_sequence)
    select '/Users/' || id, true, false, 1 from new_user
), logged as (
    -- the user's SET, its payload about as long as the service's
    insert into set_event (jti, txn, org_id, subject, sequence, event_uris, payload)
    select gen_random_uuid(), pg_current_xact_id()::text, :org, '/Users/' || id, 1, array[:createfull::text],
        '{"sub_id": {"format":"scim","uri":"/Users/' || id::text || '"},"events": {'
        || '"' || :createfull::text || '": {"version":"W/\"1\"","data": {"schemas": ["' || :core::text
        || '","' || :enterprise::text || '"],"id":"' || id::text || '","userName":"pg.' || :run::text || '.'
        || :n::text || '@bench.test","name": {"givenName":"Load","familyName":"User ' || :n::text || '"},"emails": '
        || '[{"value":"pg.' || :run::text || '.' || :n::text || '@bench.test","type":"work","primary": true}],'
        || '"active": true,"' || :enterprise::text || '": {"department":"Dept ' || :d::text || '"},"meta": '
        || '{"resourceType":"User","created":"' || :at::text || '","lastModified":"' || :at::text
        || '","version":"W/\"1\""}}}}}'
    from new_user
    returning id, subject
), queued as (
    -- a delivery row for each receiver that wants it, none here
    insert into set_delivery (receiver_id, event_id, subject)
    select r.id, logged.id, logged.subject from logged cross join event_receiver r
    where (r.org_ids is null or :org = any (r.org_ids)) and (r.event_uris is null or r.event_uris && array[:createfull::text])
)
select exists (select 1 from new_user) as written, (select id from assigned) as department_id;
