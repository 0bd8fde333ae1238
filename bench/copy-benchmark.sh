#!/usr/bin/env bash
# Copy benchmark (issue 3), see BENCHMARKS.md:
#   - ParallelCopier (through StagingCopy) against `cp -r`: 1 GB in 4 files, local directory to local directory
#   - ParallelCopier against Hadoop DistCp in local mode: 1,000 files of 1 KB between two in-process HDFS clusters
#   - the copy engines (issue 7) side by side, `cp -r`, Fanout's local and distcp engines and plain DistCp:
#     1 GiB in 4 and in 64 files, 16 MiB in 64 files, 8 KiB in 2 files, local to local, then 1 GiB to an in-process
#     HDFS, each engine in its own JVM (BENCH_ROUNDS rounds, default 3; BENCH_ENGINES_ONLY=1 runs only this part)
# Prints one line per comparison. BENCH_THREADS sets the copier's streams for the local copy (default: cores),
# BENCH_FILES the number of small files (default 1000), BENCH_WORK the scratch directory (default under /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench package -DskipTests -pl fanout-bench -am
work="${BENCH_WORK:-$(mktemp -d /tmp/fanout-copy-bench-XXXX)}"
cp_="fanout-bench/target/fanout-bench-0.1.0-SNAPSHOT.jar:fanout-bench/target/lib/*"
if [ -z "${BENCH_ENGINES_ONLY:-}" ]; then
  java -Xmx1g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$cp_" dev.fanout.bench.CopyVsCp "$work/local" ${BENCH_THREADS:-}
  java -Xmx1g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$cp_" dev.fanout.bench.CopyVsDistCp "$work/hdfs" "${BENCH_FILES:-1000}" 1024
fi
# one JVM per engine: after DistCp's jobs ran in a JVM, the local engine's large writes there took 3-8x longer
for engine in cp local distcp plain; do
  java -Xmx1g -Dengines=$engine -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$cp_" \
    dev.fanout.bench.CopyEngines "$work/engines-$engine" "${BENCH_ROUNDS:-3}"
done
rm -rf "$work"
