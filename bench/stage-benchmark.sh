#!/usr/bin/env bash
# Stage benchmark (issue 2; results in BENCHMARKS.md). One MariaDB table, fanout_bench.wide_<rows>
# (BENCH_ROWS, default 2,000,000 rows x 10 columns), read side by side in one run by
#   (a) the source's own client:  mariadb --quick -e 'SELECT ...' > /dev/null   (the source's read rate)
#   (b) Fanout:                   bin/fanout import, 2 split sessions, fresh home (stage rate, peak RSS)
#   (c) Spark 3.5.5:              partitioned JDBC reader (2 partitions, fetchsize 10000) -> snappy Parquet, local[2]
# then prints rows/s and the ratios against the goals (Fanout >= 3x Spark, >= 60% of the client).
#
# Environment:
#   BENCH_ROWS=2000000   table size for (a)-(c)
#   BENCH_RUNS=3         rounds of (a)-(c), interleaved; the median of each is reported
#   BENCH_10M=1          also (d): a 10,000,000-row import with FANOUT_JAVA_OPTS=-Xmx512m (completes or not, peak RSS)
#   BENCH_BREAKDOWN=1    also the stage's layers one by one (dev.fanout.bench.StageBreakdown in fanout-bench):
#                        JDBC alone, Fanout's readers alone, the stage writer, Parquet writing alone
#   BENCH_PROFILE=1      also one more Fanout import under Java Flight Recorder, summarised by bench/jfr-hotspots.sh
#                        (BENCH_JFR=FILE keeps the recording)
#   BENCH_QUIET_WAIT=300 before each measurement wait up to this many seconds for the other processes on the
#                        machine to use less than 0.15 cores (0: do not wait); what they used during each
#                        measurement is reported either way ("others" column, in cores)
#   BENCH_SKIP_BUILD=1   use the jars already built
#   MARIADB_HOST/PORT/USER (127.0.0.1 / 3306 / root, empty password)
# Needs MariaDB >= 10.11 (the sequence engine), Java 17, Maven; installs Debian's 'time' if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

rows="${BENCH_ROWS:-2000000}"
runs="${BENCH_RUNS:-3}"
quiet_wait="${BENCH_QUIET_WAIT:-300}"
host="${MARIADB_HOST:-127.0.0.1}" port="${MARIADB_PORT:-3306}" user="${MARIADB_USER:-root}"
my=(mariadb -h"$host" -P"$port" -u"$user")
work=$(mktemp -d /tmp/fanout-stage-bench-XXXX)
trap 'rm -rf "$work"' EXIT
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---------------------------------------------------------------- tools and builds
if [ ! -x /usr/bin/time ]; then
  log "installing GNU time (Debian package 'time') for peak RSS"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get install -y -q time >/dev/null 2>&1 || { $sudo_ apt-get update -q >/dev/null && $sudo_ apt-get install -y -q time >/dev/null; }
fi
command -v mariadb >/dev/null || { echo "needs the mariadb client" >&2; exit 1; }

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building fanout-core, then the bench modules (fanout-bench-spark: Spark; fanout-bench: the stage layers)"
  mvn -q -B -Dstyle.color=never package -DskipTests >&2
  mvn -q -B -Dstyle.color=never -Pbench package -DskipTests -pl fanout-bench-spark,fanout-bench -am >&2
fi
spark_cp="fanout-bench-spark/target/fanout-bench-spark-0.1.0-SNAPSHOT.jar:fanout-bench-spark/target/lib/*"
bench_cp="fanout-bench/target/fanout-bench-0.1.0-SNAPSHOT.jar:fanout-bench/target/lib/*"
for f in fanout-core/target/fanout.jar fanout-bench-spark/target/fanout-bench-spark-0.1.0-SNAPSHOT.jar; do
  [ -f "$f" ] || { echo "$f is missing; run without BENCH_SKIP_BUILD" >&2; exit 1; }
done

# ---------------------------------------------------------------- the source table
make_table() { # rows
  local n="$1" t="wide_$1" have
  "${my[@]}" -e "CREATE DATABASE IF NOT EXISTS fanout_bench"
  have=$("${my[@]}" -N -e "SELECT COUNT(*) FROM fanout_bench.$t" 2>/dev/null || echo 0)
  if [ "$have" != "$n" ]; then
    log "creating fanout_bench.$t with $n rows (INSERT ... SELECT from the sequence engine)"
    "${my[@]}" fanout_bench -e "DROP TABLE IF EXISTS $t; CREATE TABLE $t (id BIGINT PRIMARY KEY, a INT, b INT, c BIGINT,
      d DECIMAL(12,2), e DOUBLE, f VARCHAR(40), g VARCHAR(100), h DATETIME(6), i DATE);
      INSERT INTO $t SELECT seq, seq MOD 1000, seq MOD 77, seq * 31, (seq MOD 100000) / 100, seq / 7,
        CONCAT('name-', seq MOD 5000), CONCAT('a somewhat longer text value number ', seq),
        TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND, DATE '2020-01-01' + INTERVAL (seq MOD 2000) DAY
      FROM seq_1_to_$n;
      ANALYZE TABLE $t;" >/dev/null
  fi
}
cols="id, a, b, c, d, e, f, g, h, i"

# ---------------------------------------------------------------- CPU accounting
tck=$(getconf CLK_TCK)
mariadbd_pid=$(pidof mariadbd || pidof mysqld || true)
server_cpu() { # CPU seconds the MariaDB server has used so far (0 when it is not a local process)
  if [ -n "$mariadbd_pid" ] && [ -r "/proc/$mariadbd_pid/stat" ]; then
    awk -v t="$tck" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / t }' "/proc/$mariadbd_pid/stat"
  else echo 0; fi
}
busy_cpu() { # CPU seconds all processes on the machine have used so far (user, nice, system, irq, softirq, steal)
  awk -v t="$tck" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / t }' /proc/stat
}
wait_quiet() {
  [ "$quiet_wait" -gt 0 ] || return 0
  local waited=0 b0 b1
  while :; do
    b0=$(busy_cpu); sleep 2; b1=$(busy_cpu)
    if awk -v d="$(echo "$b1 - $b0" | bc)" 'BEGIN { exit !(d / 2 < 0.15) }'; then return 0; fi
    waited=$((waited + 2))
    if [ "$waited" -ge "$quiet_wait" ]; then log "the machine is still busy after ${waited}s; measuring anyway"; return 0; fi
    [ $((waited % 30)) = 0 ] && log "waiting for other processes to quieten (${waited}s)"
  done
}
# GNU time -v: wall seconds, user+sys CPU seconds, peak RSS in KB
time_fields() { # file
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = (n == 3) ? p[1]*3600 + p[2]*60 + p[3] : p[1]*60 + p[2] }
    /User time \(seconds\)/ { u = $2 } /System time \(seconds\)/ { s = $2 }
    /Maximum resident set size/ { r = $2 } END { printf "%.2f %.2f %d\n", w, u + s, r }' "$1"
}
# Runs a command under /usr/bin/time and CPU accounting. Sets: wall cpu rss srv others rc
# (others = cores the rest of the machine used meanwhile, not this command nor mariadbd)
measured() { # command...
  local s0 b0
  wait_quiet
  s0=$(server_cpu); b0=$(busy_cpu); rc=0
  /usr/bin/time -v -o "$work/time.txt" "$@" || rc=$?
  srv=$(echo "$(server_cpu) - $s0" | bc)
  read -r wall cpu rss < <(time_fields "$work/time.txt")
  others=$(awk -v b="$(echo "$(busy_cpu) - $b0" | bc)" -v c="$cpu" -v s="$srv" -v w="$wall" \
    'BEGIN { o = (b - c - s) / w; printf "%.2f", o < 0 ? 0 : o }')
}

# ---------------------------------------------------------------- the three readers
# Each prints one record: seconds wall_s cpu_s rss_kb mariadbd_cpu_s others_cores exit_code
client_run() { # rows
  measured "${my[@]}" --quick fanout_bench -e "SELECT $cols FROM wide_$1" > /dev/null
  echo "$wall $wall $cpu $rss $srv $others $rc"
}

fanout_run() { # rows java_opts
  local n="$1" opts="$2" home stage
  home="$work/home-$RANDOM"
  bin/fanout --home "$home" init >/dev/null
  echo "" | bin/fanout --home "$home" connection add bench --url "jdbc:mariadb://$host:$port/fanout_bench" \
    --user "$user" --password-stdin --max-sessions 2 >/dev/null
  bin/fanout --home "$home" table add --connection bench --source "fanout_bench.wide_$n" --target bench.wide \
    --split-by id --sessions 2 >/dev/null
  FANOUT_JAVA_OPTS="$opts" measured bin/fanout --home "$home" import --table bench.wide > "$work/fanout.out" 2>&1
  cat "$work/fanout.out" >> "$work/fanout-all.log"
  stage=$(sed -n 's/.*: staged [0-9]* rows (.*) in \([0-9.]*\) s, .*/\1/p' "$work/fanout.out" | head -1)
  if [ "$rc" = 0 ] && ! grep -q "loaded $n rows" "$work/fanout.out"; then rc=99; fi
  rm -rf "$home"
  echo "${stage:-0} $wall $cpu $rss $srv $others $rc"
}

spark_run() { # rows
  local n="$1" secs
  local opens=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
    --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
    -Djdk.reflect.useDirectMethodHandle=false)
  measured java -Xmx1g "${opens[@]}" -cp "$spark_cp" dev.fanout.bench.spark.SparkJdbcToParquet \
    "jdbc:mysql://$host:$port/fanout_bench?permitMysqlScheme" "$user" "wide_$n" id 1 "$n" 2 "$work/spark-out" \
    > "$work/spark.out" 2>&1
  secs=$(sed -n "s/^spark rows=$n seconds=\([0-9.]*\).*/\1/p" "$work/spark.out")
  [ -n "$secs" ] || { rc=98; cat "$work/spark.out" >> "$work/spark-all.log"; }
  rm -rf "$work/spark-out"
  echo "${secs:-0} $wall $cpu $rss $srv $others $rc"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { awk -v c="$2" '{ print $c }' "$1" | median; } # file column

# ---------------------------------------------------------------- (a)-(c), interleaved rounds
make_table "$rows"
read -r load_before _ < /proc/loadavg
log "$(nproc) cores, load average $load_before; a warm-up read first"
"${my[@]}" --quick fanout_bench -e "SELECT $cols FROM wide_$rows" > /dev/null

: > "$work/client.txt"; : > "$work/fanout.txt"; : > "$work/spark.txt"
for r in $(seq 1 "$runs"); do
  log "round $r/$runs: mariadb client"; client_run "$rows" | tee -a "$work/client.txt" >&2
  log "round $r/$runs: fanout import";  fanout_run "$rows" "-Xmx1g" | tee -a "$work/fanout.txt" >&2
  log "round $r/$runs: spark local[2]"; spark_run "$rows" | tee -a "$work/spark.txt" >&2
done
for t in client fanout spark; do
  if awk '$7 != 0 { bad = 1 } END { exit !bad }' "$work/$t.txt"; then
    tail -40 "$work/$t-all.log" 2>/dev/null >&2; echo "a $t run failed (see above)" >&2; exit 1
  fi
done
read -r load_after _ < /proc/loadavg

echo
echo "Stage benchmark: fanout_bench.wide_$rows ($rows rows x 10 columns), MariaDB $("${my[@]}" -N -e 'SELECT VERSION()'),"
echo "$(nproc) cores (database on the same cores), $(java -version 2>&1 | head -1), 2 sessions/partitions, -Xmx1g for both JVMs;"
echo "median of $runs interleaved rounds; load average $load_before before, $load_after after"
echo "fanout-core at $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git status --porcelain -- fanout-core 2>/dev/null | grep -q . && echo ' (with uncommitted changes in fanout-core)')"
echo
row() { # label file seconds_column rss? whole?
  awk -v label="$1" -v r="$rows" -v s="$(med "$2" "$3")" -v cpu="$(med "$2" 3)" -v rss="$(med "$2" 4)" \
      -v srv="$(med "$2" 5)" -v oth="$(med "$2" 6)" -v showrss="$4" 'BEGIN {
    printf "| %-46s | %8.2f | %10.0f | %8s | %9s | %9.1f | %6.2f |\n", label, s, r / s,
      showrss ? sprintf("%d MB", rss / 1024) : "", showrss ? sprintf("%.1f", cpu) : "", srv, oth }'
}
printf "| %-46s | %8s | %10s | %8s | %9s | %9s | %6s |\n" "reader" "seconds" "rows/s" "peak RSS" "CPU s" "mariadbd s" "others"
printf "|%s|%s|%s|%s|%s|%s|%s|\n" "------------------------------------------------" "---------:" "-----------:" "---------:" "----------:" "----------:" "-------:"
row "(a) mariadb --quick > /dev/null" "$work/client.txt" 1 1
row "(b) Fanout stage (read + Parquet), 2 sessions" "$work/fanout.txt" 1 1
row "    Fanout whole import (JVM start to commit)" "$work/fanout.txt" 2 0
row "(c) Spark JDBC -> Parquet, local[2]" "$work/spark.txt" 1 1
row "    Spark whole process (JVM start to exit)" "$work/spark.txt" 2 0
echo
echo "(CPU s, peak RSS: whole process; mariadbd s: the server's CPU meanwhile; others: cores used by anything else"
echo " meanwhile. Fanout's stage and Spark's seconds exclude JVM start, planning and, for Fanout, the Iceberg load.)"
echo "per round, Fanout stage s: $(awk '{ printf "%s ", $1 }' "$work/fanout.txt")  Spark s: $(awk '{ printf "%s ", $1 }' "$work/spark.txt")  client s: $(awk '{ printf "%s ", $1 }' "$work/client.txt")"
awk -v c="$(med "$work/client.txt" 1)" -v f="$(med "$work/fanout.txt" 1)" -v s="$(med "$work/spark.txt" 1)" 'BEGIN {
  printf "Fanout stage / Spark  = %.2fx   (goal >= 3x:   %s)\n", s / f, s / f >= 3 ? "met" : "MISSED"
  printf "Fanout stage / client = %.0f%%    (goal >= 60%%: %s)\n", 100 * c / f, c / f >= 0.6 ? "met" : "MISSED"
}'

# ---------------------------------------------------------------- (d) 10M rows in 512 MB of heap
if [ "${BENCH_10M:-0}" = 1 ]; then
  make_table 10000000
  "${my[@]}" --quick fanout_bench -e "SELECT $cols FROM wide_10000000" > /dev/null
  log "(d) 10M rows: mariadb client"; read -r c10 _ < <(client_run 10000000)
  log "(d) 10M rows: fanout import with FANOUT_JAVA_OPTS=-Xmx512m"
  read -r t_stage t_wall t_cpu t_rss t_srv t_oth t_rc < <(fanout_run 10000000 "-Xmx512m")
  log "(d) 10M rows: spark local[2]"; read -r s10 _ < <(spark_run 10000000)
  echo
  if [ "$t_rc" = 0 ]; then
    awk -v s="$t_stage" -v w="$t_wall" -v m="$t_rss" -v o="$t_oth" -v c="$c10" -v sp="$s10" 'BEGIN {
      printf "(d) 10M rows, Fanout with -Xmx512m: completed (goal: met); staged in %.1f s (%.0f rows/s), whole import %.1f s,\n", s, 1e7 / s, w
      printf "    peak RSS %d MB, others %.2f cores. Same table: mariadb client %.1f s (%.0f rows/s)", m / 1024, o, c, 1e7 / c
      if (sp > 0) printf ", Spark -Xmx1g %.1f s (%.0f rows/s);\n    Fanout stage / Spark = %.2fx", sp, 1e7 / sp, sp / s
      else printf ", Spark failed;\n   "
      printf ", Fanout stage / client = %.0f%%\n", 100 * c / s }'
  else
    tail -20 "$work/fanout.out"
    awk -v w="$t_wall" -v m="$t_rss" -v rc="$t_rc" 'BEGIN {
      printf "(d) 10M rows, Fanout with -Xmx512m: FAILED (exit %d) after %.1f s, peak RSS %d MB (goal: MISSED)\n", rc, w, m / 1024 }'
  fi
fi

# ---------------------------------------------------------------- where Fanout's time goes
if [ "${BENCH_BREAKDOWN:-0}" = 1 ]; then
  echo
  echo "Stage layers ($rows rows, 2 sessions/threads, -Xmx1g, one cold JVM each, dev.fanout.bench.StageBreakdown):"
  printf "| %-60s | %8s | %10s | %9s | %7s | %10s | %6s |\n" "layer" "seconds" "rows/s" "JVM CPU s" "GC ms" "mariadbd s" "others"
  printf "|%s|%s|%s|%s|%s|%s|%s|\n" "--------------------------------------------------------------" "---------:" "-----------:" "----------:" "--------:" "-----------:" "-------:"
  for spec in next jdbc readers readers+dt stage stage-warm stage+dt parquet stage+utf8 parquet+utf8; do
    mode=${spec%%+*}; utf8=false; dt=fanout
    case $spec in *+utf8) utf8=true;; *+dt) dt=object;; esac
    repeat=1; [ "$mode" != stage-warm ] || { mode=stage; repeat=2; }
    case $spec in
      next) what="JDBC, rs.next() only (protocol, row framing)";;
      jdbc) what="JDBC, typed getters as Spark reads, no Parquet";;
      readers) what="Fanout SplitReader + ValueReaders, no Parquet";;
      readers+dt) what="  the same, DATETIME via getObject(LocalDateTime) (experiment)";;
      stage+dt) what="  stage, DATETIME via getObject(LocalDateTime) (experiment)";;
      stage) what="Fanout LocalStageWriter = the stage (read + Parquet + CRC)";;
      stage-warm) what="  the same, second pass in the same JVM (JIT warm)";;
      parquet) what="Parquet only: same rows made in memory, the stage's writer";;
      stage+utf8) what="  stage, strings as Avro Utf8 from getBytes (experiment)";;
      parquet+utf8) what="  Parquet only, strings as Avro Utf8 (experiment)";;
    esac
    measured java -Xmx1g -Dbreakdown.utf8=$utf8 -Dbreakdown.datetime=$dt -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
      -cp "$bench_cp" dev.fanout.bench.StageBreakdown "jdbc:mariadb://$host:$port/fanout_bench" "$user" \
      "fanout_bench.wide_$rows" id 2 "$mode" "$repeat" > "$work/breakdown.out" 2>&1
    line=$(grep '^breakdown' "$work/breakdown.out" | tail -1) || { tail -20 "$work/breakdown.out" >&2; exit 1; }
    awk -v what="$what" -v line="$line" -v srv="$srv" -v oth="$others" 'BEGIN {
      n = split(line, f, " "); for (i = 2; i <= n; i++) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
      printf "| %-60s | %8.2f | %10.0f | %9.2f | %7d | %10.1f | %6.2f |\n", what, v["seconds"], v["rows_per_s"], v["cpu_s"], v["gc_ms"], srv, oth }'
  done
  echo "(JVM CPU s and GC ms: during the measured part only, JVM start excluded; mariadbd s and others: whole JVM run)"
fi

if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  jfr_file="${BENCH_JFR:-$work/fanout.jfr}"
  log "one more Fanout import under Java Flight Recorder ($jfr_file)"
  fanout_run "$rows" "-Xmx1g -XX:StartFlightRecording=filename=$jfr_file,settings=profile" >/dev/null
  echo
  echo "Fanout import profile (JFR execution samples of the fanout-split threads):"
  bench/jfr-hotspots.sh "$jfr_file" fanout-split
fi
