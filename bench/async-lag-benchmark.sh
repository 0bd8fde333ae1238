#!/usr/bin/env bash
# Asynchronous copy benchmark (issue 4), see BENCHMARKS.md: lag from an import's load to the remote
# copy_finished over 100 small imports with `fanout server` running (poll 500 ms, then 100 ms), and the
# time one server takes to drain 200 jobs queued while it was stopped (4, then 8 workers).
# Needs MariaDB (127.0.0.1:3306, root) and PostgreSQL (127.0.0.1:5432, postgres, trust).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench package -DskipTests -pl fanout-core,fanout-bench -am
work="${BENCH_WORK:-$(mktemp -d /tmp/fanout-lag-bench-XXXX)}"
cp_="fanout-bench/target/fanout-bench-0.1.0-SNAPSHOT.jar:fanout-bench/target/lib/*"
FANOUT_LOG_LEVEL=WARN java -Xmx1g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  -cp "$cp_" dev.fanout.bench.AsyncLag "$work" "$PWD/bin/fanout"
rm -rf "$work"
