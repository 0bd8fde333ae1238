#!/usr/bin/env bash
# Copy benchmark (issue 3), see BENCHMARKS.md:
#   - ParallelCopier (through StagingCopy) against `cp -r`: 1 GB in 4 files, local directory to local directory
#   - ParallelCopier against Hadoop DistCp in local mode: 1,000 files of 1 KB between two in-process HDFS clusters
# Prints one line per comparison. BENCH_THREADS sets the copier's streams for the local copy (default: cores),
# BENCH_FILES the number of small files (default 1000), BENCH_WORK the scratch directory (default under /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench package -DskipTests -pl fanout-bench -am
work="${BENCH_WORK:-$(mktemp -d /tmp/fanout-copy-bench-XXXX)}"
cp_="fanout-bench/target/fanout-bench-0.1.0-SNAPSHOT.jar:fanout-bench/target/lib/*"
java -Xmx1g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$cp_" dev.fanout.bench.CopyVsCp "$work/local" ${BENCH_THREADS:-}
java -Xmx1g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$cp_" dev.fanout.bench.CopyVsDistCp "$work/hdfs" "${BENCH_FILES:-1000}" 1024
rm -rf "$work"
