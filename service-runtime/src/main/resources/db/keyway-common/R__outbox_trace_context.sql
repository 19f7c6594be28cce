-- The W3C trace context (traceparent, and tracestate if any) of the request that wrote the event, so the relay can
-- put it on the Kafka record and a consumer's work joins the same trace. Null when nothing was being traced.
--
-- Repeatable and idempotent on purpose: a new 0.x would be refused as out of order by every database past them.
alter table outbox add column if not exists traceparent text;
alter table outbox add column if not exists tracestate text;
