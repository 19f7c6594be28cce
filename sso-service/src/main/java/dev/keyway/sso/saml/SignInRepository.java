package dev.keyway.sso.saml;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the ACS writes once a response has validated, as one statement (one round trip, one commit): the set-up
 * version the validation used is still current, the assertion id is recorded against replay, the pending request it
 * answers is used up, the user is found in the login directory (or added just in time), the session row is opened,
 * and the outcome is audited with its typed reason. It spans the tables of the replay cache, the pending requests,
 * the login directory, the sessions and the login audit on purpose: done one by one, these were eight round trips
 * and three commits on every sign-in.
 *
 * <p>The rules are the ones the steps had, in the same order (stale set-up, replay, InResponseTo, unknown user,
 * inactive user): a replayed assertion uses up nothing; a refusal after the replay check still records the
 * assertion id, so it cannot be tried again; a stale set-up writes nothing at all.
 */
@ApplicationScoped
public class SignInRepository {

    /** The statement's answer: its verdict, and the user signing in (null fields when there is none). */
    public record Recorded(Verdict verdict, UUID userId, String email, String givenName, String familyName,
            List<String> groupNames) {
    }

    /** {@link #STALE}: the organization's set-up changed since it was cached; nothing was written. */
    public enum Verdict {

        SIGNED_IN(null),
        STALE(null),
        REPLAYED(Rejection.REPLAYED),
        UNKNOWN_IN_RESPONSE_TO(Rejection.UNKNOWN_IN_RESPONSE_TO),
        USER_UNKNOWN(Rejection.USER_UNKNOWN),
        USER_INACTIVE(Rejection.USER_INACTIVE);

        private final Rejection rejection;

        Verdict(Rejection rejection) {
            this.rejection = rejection;
        }

        /** Why the sign-in was refused, or null. */
        public Rejection rejection() {
            return rejection;
        }

        static Verdict of(String code) {
            return switch (code) {
                case "ok" -> SIGNED_IN;
                case "stale" -> STALE;
                case "replayed" -> REPLAYED;
                case "unknown-in-response-to" -> UNKNOWN_IN_RESPONSE_TO;
                case "user-unknown" -> USER_UNKNOWN;
                case "user-inactive" -> USER_INACTIVE;
                default -> throw new IllegalStateException("unknown sign-in verdict " + code);
            };
        }
    }

    /**
     * A validated sign-in to record.
     *
     * @param inResponseTo     the request answered (signed value), null for an IdP-initiated sign-in
     * @param subject          the e-mail (else user name) the assertion names
     * @param justInTime       whether an unknown subject becomes a new user ({@code jitUserId}, names as asserted)
     * @param sessionId        the session to open, and its end
     */
    public record Attempt(UUID orgId, long setupVersion, String assertionId, Instant keepUntil, String inResponseTo,
            String subject, boolean justInTime, UUID jitUserId, String givenName, String familyName, UUID sessionId,
            Instant sessionExpiresAt, String client) {
    }

    // Data-modifying CTEs all run, once, on one snapshot; each step sees the earlier ones only through RETURNING.
    // The verdict codes are Rejection.code() values ("ok" and "stale" aside), as the login audit stores them.
    private static final String RECORD = """
            with current_setup as (
                select 1 from organization where id = $1::uuid and saml_version = $2::bigint
            ), replay as (
                insert into saml_replay (org_id, assertion_id, expires_at)
                select $1, $3::text, $4::timestamptz where exists (select 1 from current_setup)
                on conflict do nothing
                returning 1
            ), answered as (
                delete from saml_pending_request
                where id = $5::text and org_id = $1 and exists (select 1 from replay)
                returning 1
            ), admitted as (
                select 1 where exists (select 1 from replay) and ($5 is null or exists (select 1 from answered))
            ), known as (
                -- an e-mail match first ("is true": a user without e-mail must not sort before it)
                select user_id, email, given_name, family_name, active, group_ids from login_user
                where org_id = $1 and (lower(email) = lower($6::text) or lower(user_name) = lower($6))
                order by (lower(email) = lower($6)) is true desc limit 1
                -- a deactivation committing meanwhile is waited for and read: no session opens on the old row
                for share
            ), just_in_time as (
                insert into login_user (user_id, org_id, user_name, email, given_name, family_name, active, source)
                select $8::uuid, $1, $6, $6, $9::text, $10::text, true, 'jit'
                where $7::boolean and exists (select 1 from admitted) and not exists (select 1 from known)
                -- the e-mail's identity appeared meanwhile (a parallel sign-in, a directory event): that one decides,
                -- active or not (the no-op update returns it although this statement's snapshot cannot see it)
                on conflict (org_id, lower(email)) do update set updated_at = login_user.updated_at
                returning user_id, email, given_name, family_name, active, group_ids
            ), signing_in as (
                select * from known union all select * from just_in_time
            ), verdict as (
                select case
                    when not exists (select 1 from current_setup) then 'stale'
                    when not exists (select 1 from replay) then 'replayed'
                    when not exists (select 1 from admitted) then 'unknown-in-response-to'
                    when not exists (select 1 from signing_in) then 'user-unknown'
                    when not (select active from signing_in) then 'user-inactive'
                    else 'ok' end as reason
            ), opened as (
                insert into session (id, org_id, user_id, expires_at)
                select $11::uuid, $1, user_id, $12::timestamptz from signing_in
                where (select reason from verdict) = 'ok'
                returning user_id
            ), audited as (
                insert into login_audit (org_id, subject, user_id, outcome, reason, assertion_id, client)
                select $1, $6, (select user_id from opened), case reason when 'ok' then 'success' else 'refused' end,
                       reason, case reason when 'ok' then $3 end, $13::text
                from verdict where reason <> 'stale'
            )
            select v.reason, u.user_id, u.email, u.given_name, u.family_name,
                   array(select display_name from login_group g where g.org_id = $1 and g.id = any(u.group_ids)
                         order by display_name) as group_names
            from verdict v left join signing_in u on true""";

    private final Pool pool;

    public SignInRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Recorded> record(Attempt attempt) {
        return pool.preparedQuery(RECORD).execute(Tuple.from(new Object[]{ attempt.orgId(), attempt.setupVersion(),
                attempt.assertionId(), attempt.keepUntil().atOffset(ZoneOffset.UTC), attempt.inResponseTo(),
                attempt.subject(), attempt.justInTime(), attempt.jitUserId(), attempt.givenName(),
                attempt.familyName(), attempt.sessionId(), attempt.sessionExpiresAt().atOffset(ZoneOffset.UTC),
                attempt.client() })).map(rows -> recorded(rows.iterator().next()));
    }

    private static Recorded recorded(Row row) {
        String[] groups = row.getArrayOfStrings("group_names");
        return new Recorded(Verdict.of(row.getString("reason")), row.getUUID("user_id"), row.getString("email"),
                row.getString("given_name"), row.getString("family_name"),
                groups == null ? List.of() : List.of(groups));
    }
}
