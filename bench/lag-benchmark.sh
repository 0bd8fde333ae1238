#!/usr/bin/env bash
# Asynchronous copy lag and drain (issue 4), see BENCHMARKS.md: dev.fanout.bench.CopyLag with the server run
# through the real launcher, bin/fanout. Lag over 100 small full imports with one server running (--poll 500ms,
# then 100ms); drain of 200 jobs queued with no server (--workers 4, then 8); cp -r of the same directories.
# BENCH_RUNS runs it that many times (default 1), BENCH_METADATA=mariadb puts A's metadata on MariaDB instead of
# PostgreSQL, BENCH_WORKERS sets the drains (default "4 8"), BENCH_WORK the scratch directory (default under /tmp;
# BENCH_KEEP=1 keeps it, with the servers' logs).
# Needs MariaDB (127.0.0.1:3306, root, no password) and PostgreSQL (127.0.0.1:5432, postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench package -DskipTests -pl fanout-core,fanout-bench -am
cp_="fanout-bench/target/fanout-bench-0.1.0-SNAPSHOT.jar:fanout-bench/target/lib/*"
echo "$(nproc) cores, $(java -version 2>&1 | head -n1), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
base="${BENCH_WORK:-$(mktemp -d /tmp/fanout-copylag-XXXX)}"
for run in $(seq 1 "${BENCH_RUNS:-1}"); do
  echo "== run $run"
  work="$base/run-$run"
  java -Xmx1g -Dmetadata="${BENCH_METADATA:-postgres}" \
    -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
    -cp "$cp_" dev.fanout.bench.CopyLag "$work" "$PWD/bin/fanout" ${BENCH_WORKERS:-4 8}
  [ -n "${BENCH_KEEP:-}" ] || rm -rf "$work"
done
[ -n "${BENCH_KEEP:-}" ] || rmdir "$base" 2>/dev/null || true
