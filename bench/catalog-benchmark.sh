#!/usr/bin/env bash
# Catalog cost benchmark (issue 15; results in BENCHMARKS.md). For each lake catalog an instance can choose:
#   jdbc-h2   Iceberg's JdbcCatalog in the embedded metadata database (the default)
#   jdbc-pg   the same in a PostgreSQL metadata database (127.0.0.1:5432, trust)
#   rest      Iceberg's REST catalog server (iceberg-open-api test fixture, JdbcCatalog on H2 behind it), own JVM
#   hive      a Hive Metastore 4.0.1 (embedded Derby) in its own JVM, through Iceberg's HiveCatalog
# (1) dev.fanout.bench.CatalogCost: median latency of one commit, one table load, one sync-rule poll over
#     BENCH_TABLES tables (the server's watcher); (2) `fanout import` of a 1,000-row MariaDB table, whole
#     process, with farm-bench paired against the jdbc-h2 instance, so the ratio is what the catalog adds.
# Environment: BENCH_COMMITS=50, BENCH_TABLES=50, BENCH_RUNS=5, BENCH_SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
commits="${BENCH_COMMITS:-50}" tables="${BENCH_TABLES:-50}" runs="${BENCH_RUNS:-5}"
work=$(mktemp -d /tmp/fanout-catalog-bench-XXXX)
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building (mvn install -DskipTests, then -Pbench fanout-bench)"
  mvn -q -B -Dstyle.color=never install -DskipTests >&2
  mvn -q -B -Dstyle.color=never -Pbench package -DskipTests -pl fanout-bench >&2
fi
bench_cp="fanout-bench/target/fanout-bench-0.1.0-SNAPSHOT.jar:fanout-bench/target/lib/*"

# the servers the tests use, started by their own starters (fanout-test-servers), each printing uri=...
serve() {  # serve KIND: starts it in the background and sets the variable uri
  java -Xmx256m -Dfanout.restCatalogClasspath=fanout-rest-catalog-server/target/rest-catalog-classpath.txt \
    -Dfanout.hiveMetastoreClasspath=fanout-hive-metastore-server/target/hive-metastore-classpath.txt \
    -Dfanout.hiveMetastoreSchema=fanout-hive-metastore-server/target/hive-schema \
    -cp fanout-test-servers/target/classes dev.fanout.testing.ServeCatalog "$1" "$work/$1-server" > "$work/$1.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    uri=$(sed -n 's/^uri=//p' "$work/$1.out")
    [ -n "$uri" ] && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/$1.out" >&2; return 1; }
    sleep 0.5
  done
  echo "the $1 server did not start" >&2; return 1
}
log "starting Iceberg's REST catalog server"
serve rest; rest_uri=$uri
log "starting a Hive Metastore 4.0.1"
serve hive; hive_uri=$uri
catalogs=(jdbc-h2 jdbc-pg rest hive)

db=fanout_catalog_bench_$$
psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE $db" >/dev/null
trap 'psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS '"$db"'" >/dev/null 2>&1 || true; cleanup' EXIT
mariadb -h127.0.0.1 -uroot -e "CREATE DATABASE IF NOT EXISTS fanout_bench; USE fanout_bench; DROP TABLE IF EXISTS fanout_bench.small_1000;
  CREATE TABLE fanout_bench.small_1000 (id BIGINT PRIMARY KEY, v VARCHAR(40), d DECIMAL(10,2));
  INSERT INTO fanout_bench.small_1000 SELECT seq, CONCAT('v', seq), seq / 4 FROM seq_1_to_1000;"

for c in "${catalogs[@]}"; do
  home="$work/$c"
  case "$c" in
    jdbc-h2) bin/fanout --home "$home" init --cluster-name "$c" >/dev/null ;;
    jdbc-pg) echo "" | bin/fanout --home "$home" init --cluster-name "$c" --metadata-url \
               "jdbc:postgresql://127.0.0.1:5432/$db" --metadata-user postgres --metadata-password-stdin >/dev/null ;;
    rest)    bin/fanout --home "$home" init --cluster-name "$c" --catalog rest --catalog-uri "$rest_uri" >/dev/null ;;
    hive)    bin/fanout --home "$home" init --cluster-name "$c" --catalog hive --catalog-uri "$hive_uri" >/dev/null ;;
  esac
  bin/fanout --home "$home" connection add src --url "jdbc:mariadb://127.0.0.1:3306/fanout_bench" --user root >/dev/null
  bin/fanout --home "$home" table add --connection src --source fanout_bench.small_1000 --target "imp_${c//-/_}.small" >/dev/null
done

echo "== (1) catalog operations: $commits commits and loads, a poll over $tables tables (medians)"
for c in "${catalogs[@]}"; do
  java -Xmx1g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener -cp "$bench_cp" dev.fanout.bench.CatalogCost "$c" "$work/$c" "$commits" "$tables" 2>>"$work/cost.log"
done

echo "== (2) fanout import of 1,000 rows, whole process, paired with the jdbc-h2 instance"
for c in "${catalogs[@]}"; do
  [ "$c" = jdbc-h2 ] && continue
  echo "-- $c vs jdbc-h2"
  farm-bench -n "$runs" --timeout 600 --vs "bin/fanout --home $work/jdbc-h2 import --table imp_jdbc_h2.small" \
    -- bin/fanout --home "$work/$c" import --table "imp_${c//-/_}.small"
done
