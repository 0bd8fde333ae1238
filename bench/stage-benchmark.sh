#!/usr/bin/env bash
# Stage benchmark (issue 2): one MariaDB table of BENCH_ROWS rows x 10 columns, read side by side by
#   - the source's own client: mariadb --quick ... > /dev/null
#   - Fanout: fanout import with 2 split sessions (stage rate, whole import, peak memory)
#   - Spark: its partitioned JDBC reader writing Parquet in local[2]
# BENCH_10M=1 adds a 10M-row import with -Xmx512m (memory stays flat). Needs MariaDB on 127.0.0.1:3306.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${BENCH_ROWS:-2000000}"
my="mariadb -h127.0.0.1 -uroot"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package 'time')"; exit 1; }

mvn -q -B -Pbench package -DskipTests

make_table() { # rows
  local n="$1" t="wide_$1"
  $my -e "CREATE DATABASE IF NOT EXISTS fanout_bench"
  local have
  have=$($my -N -e "SELECT COUNT(*) FROM fanout_bench.$t" 2>/dev/null || echo 0)
  if [ "$have" != "$n" ]; then
    echo "creating fanout_bench.$t with $n rows"
    $my fanout_bench -e "DROP TABLE IF EXISTS $t; CREATE TABLE $t (id BIGINT PRIMARY KEY, a INT, b INT, c BIGINT,
      d DECIMAL(12,2), e DOUBLE, f VARCHAR(40), g VARCHAR(100), h DATETIME(6), i DATE);
      INSERT INTO $t SELECT seq, seq MOD 1000, seq MOD 77, seq * 31, (seq MOD 100000) / 100, seq / 7,
        CONCAT('name-', seq MOD 5000), CONCAT('a somewhat longer text value number ', seq),
        TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND, DATE '2020-01-01' + INTERVAL (seq MOD 2000) DAY
      FROM seq_1_to_$n;"
  fi
}

fanout_import() { # rows java_opts -> prints "stage_seconds import_seconds max_rss_kb"
  local n="$1" opts="$2" home out
  home=$(mktemp -d /tmp/fanout-bench-home-XXXX)
  bin/fanout --home "$home" init >/dev/null
  echo "" | bin/fanout --home "$home" connection add bench --url jdbc:mariadb://127.0.0.1:3306/fanout_bench --user root --password-stdin >/dev/null
  bin/fanout --home "$home" table add --connection bench --source "fanout_bench.wide_$n" --target bench.wide --split-by id --sessions 2 >/dev/null
  out=$(FANOUT_JAVA_OPTS="$opts" /usr/bin/time -v bin/fanout --home "$home" import --table bench.wide 2>&1)
  local stage wall rss
  stage=$(sed -n 's/.*staged [0-9]* rows (.*) in \([0-9.]*\) s.*/\1/p' <<<"$out")
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): \(.*\)/\1/p' <<<"$out" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\)/\1/p' <<<"$out")
  grep -q "loaded $n rows" <<<"$out" || { echo "$out" >&2; echo "fanout import failed" >&2; exit 1; }
  rm -rf "$home"
  echo "$stage $wall $rss"
}

make_table "$rows"
cols="id, a, b, c, d, e, f, g, h, i"

start=$(date +%s.%N)
$my --quick -e "SELECT $cols FROM fanout_bench.wide_$rows" > /dev/null
client=$(echo "$(date +%s.%N) - $start" | bc)

read -r f_stage f_wall f_rss < <(fanout_import "$rows" "-Xmx1g")

spark_cp="fanout-bench-spark/target/fanout-bench-spark-0.1.0-SNAPSHOT.jar:fanout-bench-spark/target/lib/*"
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
 --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
 --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
 --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
 --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
 --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
 --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
 -Djdk.reflect.useDirectMethodHandle=false"
sparkout=$(mktemp -d /tmp/fanout-bench-spark-XXXX)
sout=$(/usr/bin/time -v java -Xmx2g $opens -cp "$spark_cp" dev.fanout.bench.spark.SparkJdbcToParquet \
  "jdbc:mysql://127.0.0.1:3306/fanout_bench?permitMysqlScheme" root "wide_$rows" id 1 "$rows" 2 "$sparkout/out" 2>&1)
s_time=$(sed -n 's/.*spark rows=[0-9]* seconds=\([0-9.]*\).*/\1/p' <<<"$sout")
s_rss=$(sed -n 's/.*Maximum resident set size (kbytes): \([0-9]*\)/\1/p' <<<"$sout")
[ -n "$s_time" ] || { echo "$sout" | tail -20 >&2; echo "spark run failed" >&2; exit 1; }
rm -rf "$sparkout"

awk -v r="$rows" -v c="$client" -v fs="$f_stage" -v fw="$f_wall" -v frss="$f_rss" -v st="$s_time" -v srss="$s_rss" 'BEGIN {
  printf "rows: %d x 10 columns, MariaDB, 2 sessions/partitions, 2 cores\n", r
  printf "%-44s %8.2f s %10.0f rows/s\n", "mariadb --quick > /dev/null", c, r / c
  printf "%-44s %8.2f s %10.0f rows/s  peak RSS %d MB\n", "fanout stage (read + Parquet)", fs, r / fs, frss / 1024
  printf "%-44s %8.2f s %10.0f rows/s\n", "fanout whole import (JVM start to commit)", fw, r / fw
  printf "%-44s %8.2f s %10.0f rows/s  peak RSS %d MB\n", "spark JDBC -> Parquet, local[2] (no JVM start)", st, r / st, srss / 1024
  printf "ratios: fanout stage / spark = %.2f, fanout stage / client = %.2f\n", st / fs, c / fs
}'

if [ "${BENCH_10M:-0}" = 1 ]; then
  make_table 10000000
  read -r t_stage t_wall t_rss < <(fanout_import 10000000 "-Xmx512m")
  awk -v s="$t_stage" -v w="$t_wall" -v m="$t_rss" 'BEGIN { printf "10M rows with -Xmx512m: staged in %.1f s (%.0f rows/s), whole import %.1f s, peak RSS %d MB\n", s, 1e7 / s, w, m / 1024 }'
fi
