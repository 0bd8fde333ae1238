-- Notifications (`fanout notify`): the HTTP endpoints that hear events, and the outbox of the events not
-- delivered to them yet. The work only inserts into the outbox (never an HTTP call on its thread);
-- `fanout server`, and every command at its end, deliver it.
CREATE TABLE notification_endpoints (
  endpoint_id ${identity},
  -- encrypted with the instance key (a URL may carry a token); url_shown has no credentials
  url_sealed VARCHAR(4000) NOT NULL,
  url_shown VARCHAR(2000) NOT NULL,
  -- comma-separated event names: copy.done,import.failed
  events VARCHAR(2000) NOT NULL,
  -- HMAC-SHA256 key of the X-Fanout-Signature header, encrypted; NULL: unsigned
  secret_sealed VARCHAR(1000),
  -- undelivered events dropped because the endpoint's outbox was full
  dropped BIGINT DEFAULT 0 NOT NULL,
  created ${timestamp} NOT NULL
);

-- One row per event and endpoint, deleted once the endpoint answered 2xx; at most a bounded number per
-- endpoint (the oldest are dropped beyond it).
CREATE TABLE notification_outbox (
  outbox_id ${identity},
  endpoint_id BIGINT NOT NULL,
  event_name VARCHAR(64) NOT NULL,
  payload VARCHAR(8000) NOT NULL,
  created ${timestamp} NOT NULL,
  attempts INT DEFAULT 0 NOT NULL,
  -- epoch milliseconds, as in copy_jobs: the back-off's next try, and the lease of a delivery under way
  next_attempt_ms BIGINT NOT NULL,
  last_error VARCHAR(1000),
  lease_owner VARCHAR(200),
  lease_expires_ms BIGINT
);

CREATE INDEX notification_outbox_by_endpoint ON notification_outbox (endpoint_id, outbox_id);
