-- Owner-token revocations as announced on keyway.orgs.v1 (OrganizationState), so every service refuses a revoked
-- owner token from its own projection, without asking sso-service.
--
-- Repeatable and idempotent on purpose: the shared migrations are numbered 0.x so that they come before each
-- service's own, and a new 0.x would be refused as out of order by every database already past them. Flyway
-- applies a repeatable script after the versioned ones, to fresh and existing databases alike.
alter table known_organization add column if not exists owner_tokens_not_before timestamptz;
alter table known_organization add column if not exists revoked_owner_tokens text[] not null default '{}';
