#!/usr/bin/env bash
# Table sync benchmark (issue 5), see BENCHMARKS.md: `fanout sync` beside copying the table's directory.
#   1. first sync of a table of about 1 GiB in 64 Parquet data files  vs  `cp -r` of the table's directory
#   2. incremental sync after one append of one ~1 MB file to a table of 1,000 data files (~100 KB each)
#      vs  plain Hadoop DistCp `-update -m 2` of the table's directory (in-process, local job runner)
#   3. the same with nothing changed
# Two instances with embedded H2 metadata and local-directory clusters; every timed command runs in its own
# JVM (fanout through dev.fanout.cli.Main, the launcher's entry point). BENCH_ROUNDS interleaved rounds
# (default 3), medians; `sync` before every timed copy. BENCH_WORK sets the scratch directory (default under
# /tmp; it needs about 5 GB), BENCH_KEEP=1 keeps it (child logs in $work/logs). BENCH_JFR=DIR records a flight
# recording of every fanout command there. About 4 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench package -DskipTests -pl fanout-bench -am
work="${BENCH_WORK:-$(mktemp -d /tmp/fanout-sync-bench-XXXX)}"
cp_="fanout-bench/target/fanout-bench-0.1.0-SNAPSHOT.jar:fanout-bench/target/lib/*"
jfr=()
if [ -n "${BENCH_JFR:-}" ]; then
  mkdir -p "$BENCH_JFR"
  jfr=(-Dsyncbench.jfr="$(cd "$BENCH_JFR" && pwd)")
fi
echo "sync benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1)"
java -Xmx1g ${jfr[@]+"${jfr[@]}"} -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$cp_" \
  dev.fanout.bench.MirrorBench "$work" "${BENCH_ROUNDS:-3}"
if [ -z "${BENCH_KEEP:-}" ]; then
  rm -rf "$work"
fi
