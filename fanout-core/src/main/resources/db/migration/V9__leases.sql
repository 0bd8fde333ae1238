-- One lease table for every kind of work that must run once at a time: an import of a table, a table
-- mirror to a destination, a copy job, a role switch. `epoch` is the fencing token: it grows with every
-- take-over, and every commit a lease protects checks holder and epoch in its own transaction.
-- `expires_ms` is on the metadata database's clock (epoch milliseconds), never a client's.
CREATE TABLE leases (
  lease_name VARCHAR(400) NOT NULL PRIMARY KEY,
  holder VARCHAR(200),
  epoch BIGINT NOT NULL,
  expires_ms BIGINT,
  acquired ${timestamp}
);

-- Fencing tokens seen by a resource that a holder elsewhere writes to (a remote's copy_finished): a
-- write with a lower epoch than the highest seen comes from a holder that lost its lease.
CREATE TABLE lease_fences (
  fence_name VARCHAR(400) NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL
);
