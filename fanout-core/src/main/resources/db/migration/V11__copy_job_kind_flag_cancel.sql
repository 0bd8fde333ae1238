-- Copy jobs say what they are (job_kind IMPORT or MIRROR, read by the code; mirror jobs were written as
-- SYNC before), and may end by a person's decision: state FLAGGED (a failure no retry can mend, waiting for
-- 'fanout jobs retry' or 'fanout jobs cancel') and CANCELLED (dropped by a person; cancelled_by says who,
-- finished says when). An import job's cancel leaves a hole at its destination: mended is set when a full
-- import or a full sync of the table has reached it since, and until then incremental imports are refused.
UPDATE copy_jobs SET job_kind = 'MIRROR' WHERE job_kind = 'SYNC';
ALTER TABLE copy_jobs ADD cancelled_by VARCHAR(200);
ALTER TABLE copy_jobs ADD mended ${timestamp};
