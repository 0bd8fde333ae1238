package dev.fanout.replication;

import java.time.Instant;

/** One attempt at a copy job: which server ran it, when, and how it ended (null while it runs). */
public record CopyJobRun(long jobId, String leaseOwner, Instant started, Instant ended, String outcome, String error,
    Long bytesCopied) {}
