-- E-mail domains an organization claims. One counts (home-realm discovery) only once the organization proved it
-- controls the domain by publishing the token as a DNS TXT record, and then for that organization alone.
create table email_domain (
    org_id           uuid        not null references organization (id),
    domain           text        not null,
    token            text        not null,
    claimed_at       timestamptz not null default now(),
    verified_at      timestamptz,
    last_checked_at  timestamptz,
    last_failure     text,
    primary key (org_id, domain)
);
create unique index email_domain_verified_once on email_domain (domain) where verified_at is not null;

-- Domains claimed before, in the SAML settings' emailDomains, carry over unverified: they count once proven.
-- (Values that are not domain names, which that setting never checked, are dropped.)
insert into email_domain (org_id, domain, token)
select org_id, domain, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')
from (
    select distinct c.org_id, lower(btrim(claimed.domain, E' \t.')) as domain
    from saml_connection c cross join jsonb_array_elements_text(
        case jsonb_typeof(c.settings -> 'emailDomains') when 'array' then c.settings -> 'emailDomains'
             else '[]'::jsonb end) as claimed(domain)
) previous
where length(domain) <= 235
  and domain ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'
  and domain !~ '\.[0-9]+$';
update saml_connection set settings = settings - 'emailDomains' where settings ? 'emailDomains';

-- Home-realm discovery no longer looks users up by e-mail across organizations.
drop index login_user_any_email;

-- One login identity per (organization, e-mail). Where there were several, the directory's newest user keeps the
-- e-mail; just-in-time twins are folded into it (their sessions follow, so the directory's deactivation ends them);
-- other directory users with that e-mail keep their row without it (sign-in can still match their user name).
create temporary table login_user_twin on commit drop as
select user_id, source, keeper from (
    select user_id, source, first_value(user_id) over same_email as keeper
    from login_user where email is not null
    window same_email as (partition by org_id, lower(email)
                          order by source = 'directory' desc, updated_at desc, user_id)
) ranked
where user_id <> keeper;

update session s set user_id = t.keeper from login_user_twin t where s.user_id = t.user_id and t.source = 'jit';
delete from login_user u using login_user_twin t where u.user_id = t.user_id and t.source = 'jit';
update login_user u set email = null, updated_at = now() from login_user_twin t
where u.user_id = t.user_id and t.source <> 'jit';

drop index login_user_email;
create unique index login_user_one_per_email on login_user (org_id, lower(email));
