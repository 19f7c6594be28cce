-- Lookups by e-mail happen before every create; a GIN pending list would make each of them scan recent inserts
-- until vacuum merges it. Write straight into the index instead.
alter index scim_user_emails set (fastupdate = off);
