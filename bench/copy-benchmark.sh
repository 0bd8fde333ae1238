#!/usr/bin/env bash
# The copier against `cp -r` (1 GB in 4 files, local to local) and against Hadoop DistCp in local mode
# (1,000 files of 1 KB between two in-process HDFS clusters). Prints one line per comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench package -DskipTests
work="${BENCH_WORK:-$(mktemp -d /tmp/fanout-copy-bench-XXXX)}"
cp_="fanout-bench/target/fanout-bench-0.1.0-SNAPSHOT.jar:fanout-bench/target/lib/*"
java -Xmx1g -cp "$cp_" dev.fanout.bench.CopyVsCp "$work/local" ${BENCH_THREADS:-}
java -Xmx1g -cp "$cp_" dev.fanout.bench.CopyVsDistCp "$work/hdfs" "${BENCH_FILES:-1000}" 1024
rm -rf "$work"
