-- The outbox holds only pending events: the relay deletes a row once Kafka has acknowledged it, instead of stamping
-- published_at. A stamp was an update that touched indexed columns (a new row version in every index), and the
-- published rows then had to be skipped by every scan for pending ones until they were cleaned up after days.
--
-- Repeatable and idempotent on purpose: a new 0.x would be refused as out of order by every database past them.
do $$
begin
    if exists (select 1 from information_schema.columns
               where table_schema = current_schema() and table_name = 'outbox' and column_name = 'published_at') then
        delete from outbox where published_at is not null;
        drop index if exists outbox_pending;
        drop index if exists outbox_published_at;
        alter table outbox drop column published_at;
    end if;
end
$$;
