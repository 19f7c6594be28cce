-- Each SP-initiated sign-in belongs to the browser that started it: the SHA-256 of a random value kept in that
-- browser's cookie (never the value itself). Null only for requests saved before this column existed.
alter table saml_pending_request add column browser_hash bytea;
-- Pending requests are counted per organization (a cap against anonymous table filling).
create index saml_pending_request_org on saml_pending_request (org_id, expires_at);
