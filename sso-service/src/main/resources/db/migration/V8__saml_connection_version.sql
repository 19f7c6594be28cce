-- Every replica caches an organization's parsed SAML set-up (IdP certificates, SP keys, settings). This counter says
-- which state a cached copy is of: any change to the set-up raises it in the same transaction (triggers, so no
-- writer can forget to, a hand-made change by an operator included), and the ACS compares it in the statement that
-- records the sign-in. A removed or replaced IdP certificate therefore stops being trusted at once on every replica,
-- with no time-to-live and no query of its own.
alter table organization add column saml_version bigint not null default 0;

-- (search_path fixed at creation: the function finds this schema's organization table whoever writes, an operator's
-- session on another search_path included)
create function saml_setup_changed() returns trigger language plpgsql set search_path from current as $$
begin
    update organization set saml_version = saml_version + 1
    where id = case when tg_op = 'DELETE' then old.org_id else new.org_id end;
    if tg_op = 'UPDATE' and old.org_id <> new.org_id then
        update organization set saml_version = saml_version + 1 where id = old.org_id;
    end if;
    return null;
end $$;

create trigger saml_connection_changed after insert or update or delete on saml_connection
    for each row execute function saml_setup_changed();
create trigger idp_certificate_changed after insert or update or delete on idp_certificate
    for each row execute function saml_setup_changed();
create trigger sp_key_changed after insert or update or delete on sp_key
    for each row execute function saml_setup_changed();
