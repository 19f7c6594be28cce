-- An SP key has one use: 'signing' (our AuthnRequests) or 'encryption' (assertions the IdP encrypts to us), announced
-- in our metadata with use="signing" / use="encryption". Keys made before this version did both; they are marked
-- 'both' and keep doing both until an owner retires them (generating a signing key and an encryption key first).
alter table sp_key add column key_use text not null default 'both'
    check (key_use in ('signing', 'encryption', 'both'));
alter table sp_key alter column key_use drop default;

-- New private keys are sealed to "sp-key:<org id>:<key id>", so a sealed key moved or copied to another
-- organization's row does not open. Keys sealed before this version name only their id ("sp-key:<key id>"); they are
-- read that way until retired (re-sealing needs the encryption key, which the database migration does not have).
alter table sp_key add column sealed_for_org boolean not null default false;
alter table sp_key alter column sealed_for_org drop default;
