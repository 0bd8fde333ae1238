#!/usr/bin/env bash
# Stage engine benchmark (issue 7; results in BENCHMARKS.md). The MariaDB table fanout_bench.wide_<rows>
# (10 columns, as in bench/stage-benchmark.sh) imported by `bin/fanout import` into a fresh home with
#   (a) the local engine:  2 split sessions on id in the fanout JVM (the default engine)
#   (b) the Spark engine:  the same 2 splits as 2 partitions of Spark 3.5.5's JDBC reader, local[2], in its own JVM
# for each size in BENCH_SIZES, BENCH_RUNS rounds interleaved, medians. Both JVMs get -Xmx1g.
# Reports Fanout's stage seconds ("staged N rows ... in S s": for Spark this includes its JVM and session
# start), the whole import's wall time, CPU seconds and the peak RSS of the whole process tree (fanout JVM
# plus the Spark JVM it starts, sampled every 0.2 s), then fits t = fixed + rows / rate to the two largest
# sizes of each engine and prints where Spark would catch up.
#
# Environment:
#   BENCH_SIZES="200000 2000000"  table sizes (tables are created once with the sequence engine)
#   BENCH_RUNS=2                  interleaved rounds per size
#   BENCH_QUIET_WAIT=300          wait up to this many seconds before each run for the rest of the machine to
#                                 use < 0.15 cores (0: do not wait); what it used meanwhile is reported ("others")
#   BENCH_SKIP_BUILD=1            use the jars already built
#   MARIADB_HOST/PORT/USER        (127.0.0.1 / 3306 / root, empty password)
# Needs MariaDB >= 10.11 (the sequence engine), Java 17, Maven; installs Debian's 'time' if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="${BENCH_SIZES:-200000 2000000}"
runs="${BENCH_RUNS:-2}"
quiet_wait="${BENCH_QUIET_WAIT:-300}"
host="${MARIADB_HOST:-127.0.0.1}" port="${MARIADB_PORT:-3306}" user="${MARIADB_USER:-root}"
my=(mariadb -h"$host" -P"$port" -u"$user")
work=$(mktemp -d /tmp/fanout-engine-bench-XXXX)
trap 'rm -rf "$work"' EXIT
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if [ ! -x /usr/bin/time ]; then
  log "installing GNU time (Debian package 'time')"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get install -y -q time >/dev/null 2>&1 || { $sudo_ apt-get update -q >/dev/null && $sudo_ apt-get install -y -q time >/dev/null; }
fi
command -v mariadb >/dev/null || { echo "needs the mariadb client" >&2; exit 1; }
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building the launcher and the Spark engine's job (mvn package)"
  mvn -q -B -Dstyle.color=never package -DskipTests >&2
fi
for f in fanout-core/target/fanout.jar fanout-spark/target/fanout-spark.jar fanout-spark/target/spark-classpath.txt; do
  [ -f "$f" ] || { echo "$f is missing; run without BENCH_SKIP_BUILD" >&2; exit 1; }
done

make_table() { # rows
  local n="$1" t="wide_$1" have
  "${my[@]}" -e "CREATE DATABASE IF NOT EXISTS fanout_bench"
  have=$("${my[@]}" -N -e "SELECT COUNT(*) FROM fanout_bench.$t" 2>/dev/null || echo 0)
  if [ "$have" != "$n" ]; then
    log "creating fanout_bench.$t with $n rows"
    "${my[@]}" fanout_bench -e "DROP TABLE IF EXISTS $t; CREATE TABLE $t (id BIGINT PRIMARY KEY, a INT, b INT, c BIGINT,
      d DECIMAL(12,2), e DOUBLE, f VARCHAR(40), g VARCHAR(100), h DATETIME(6), i DATE);
      INSERT INTO $t SELECT seq, seq MOD 1000, seq MOD 77, seq * 31, (seq MOD 100000) / 100, seq / 7,
        CONCAT('name-', seq MOD 5000), CONCAT('a somewhat longer text value number ', seq),
        TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND, DATE '2020-01-01' + INTERVAL (seq MOD 2000) DAY
      FROM seq_1_to_$n;
      ANALYZE TABLE $t;" >/dev/null
  fi
}

tck=$(getconf CLK_TCK)
busy_cpu() { awk -v t="$tck" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / t }' /proc/stat; }
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
tree_rss() { # KB of a process and all its descendants
  ps -e -o pid=,ppid=,rss= | awk -v root="$1" '{ parent[$1] = $2; rss[$1] = $3 }
    END { for (p in parent) { q = p; while (q > 1) { if (q == root) { s += rss[p]; break } q = parent[q] } } print s + 0 }'
}

# One import; prints: stage_s wall_s cpu_s peak_tree_rss_kb others_cores exit_code
run_import() { # engine rows
  local engine="$1" n="$2" home="$work/home-$RANDOM" tp peak=0 r b0 rc=0 wall cpu others stage
  bin/fanout --home "$home" init --engine "$engine" --spark-master 'local[2]' >/dev/null
  echo "" | bin/fanout --home "$home" connection add bench --url "jdbc:mariadb://$host:$port/fanout_bench" \
    --user "$user" --password-stdin --max-sessions 2 >/dev/null
  bin/fanout --home "$home" table add --connection bench --source "fanout_bench.wide_$n" --target bench.wide \
    --split-by id --sessions 2 >/dev/null
  wait_quiet
  b0=$(busy_cpu)
  FANOUT_JAVA_OPTS=-Xmx1g /usr/bin/time -v -o "$work/time.txt" bin/fanout --home "$home" import --table bench.wide \
    > "$work/out.txt" 2>&1 &
  tp=$!
  while kill -0 "$tp" 2>/dev/null; do
    r=$(tree_rss "$tp"); [ "$r" -gt "$peak" ] && peak=$r
    sleep 0.2
  done
  wait "$tp" || rc=$?
  read -r wall cpu < <(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = (n == 3) ? p[1]*3600 + p[2]*60 + p[3] : p[1]*60 + p[2] }
    /User time \(seconds\)/ { u = $2 } /System time \(seconds\)/ { s = $2 } END { printf "%.2f %.2f\n", w, u + s }' "$work/time.txt")
  others=$(awk -v b="$(echo "$(busy_cpu) - $b0" | bc)" -v c="$cpu" -v w="$wall" 'BEGIN { o = (b - c) / w; printf "%.2f", o < 0 ? 0 : o }')
  stage=$(sed -n 's/.*: staged [0-9]* rows (.*) in \([0-9.]*\) s, .*/\1/p' "$work/out.txt" | head -1)
  if [ "$rc" = 0 ] && ! grep -q "loaded $n rows" "$work/out.txt"; then rc=99; fi
  [ "$rc" = 0 ] || { cat "$work/out.txt" >&2; }
  rm -rf "$home"
  echo "${stage:-0} $wall $cpu $peak $others $rc"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { awk -v c="$2" '{ print $c }' "$1" | median; }

for n in $sizes; do make_table "$n"; done
read -r load_before _ < /proc/loadavg
for n in $sizes; do
  "${my[@]}" --quick fanout_bench -e "SELECT * FROM wide_$n" > /dev/null   # warm the buffer pool alike for both
  : > "$work/local-$n.txt"; : > "$work/spark-$n.txt"
  for r in $(seq 1 "$runs"); do
    for engine in local spark; do
      log "$n rows, round $r/$runs: $engine engine"
      run_import "$engine" "$n" | tee -a "$work/$engine-$n.txt" >&2
    done
  done
  if awk '$6 != 0 { bad = 1 } END { exit !bad }' "$work/local-$n.txt" "$work/spark-$n.txt"; then
    echo "an import failed (see above)" >&2; exit 1
  fi
done
read -r load_after _ < /proc/loadavg

echo
echo "Stage engines: fanout_bench.wide_N (10 columns), MariaDB $("${my[@]}" -N -e 'SELECT VERSION()'), $(nproc) cores"
echo "(database on the same cores), $(java -version 2>&1 | head -1), 2 splits, -Xmx1g per JVM; median of $runs"
echo "interleaved rounds; load average $load_before before, $load_after after"
echo
printf "| %-22s | %9s | %8s | %10s | %9s | %8s | %13s | %6s |\n" engine rows "stage s" "rows/s" "import s" "CPU s" "peak RSS tree" others
printf "|%s|%s|%s|%s|%s|%s|%s|%s|\n" "------------------------" "----------:" "---------:" "-----------:" "----------:" "---------:" "--------------:" "-------:"
for n in $sizes; do
  for engine in local spark; do
    f="$work/$engine-$n.txt"
    label=$([ "$engine" = local ] && echo "local (2 sessions)" || echo "spark (local[2])")
    awk -v l="$label" -v n="$n" -v s="$(med "$f" 1)" -v w="$(med "$f" 2)" -v c="$(med "$f" 3)" -v m="$(med "$f" 4)" \
        -v o="$(med "$f" 5)" 'BEGIN { printf "| %-22s | %9d | %8.2f | %10.0f | %9.2f | %8.1f | %10d MB | %6.2f |\n", l, n, s, n / s, w, c, m / 1024, o }'
  done
done
echo "(stage s: Fanout's 'staged N rows in S s', which for Spark includes starting its JVM and session; import s: the"
echo " whole command; CPU s: the fanout process and its children; peak RSS tree: fanout JVM + Spark JVM, sampled;"
echo " others: cores used meanwhile by every other process, mariadbd included)"
echo "per round, stage s:"
for n in $sizes; do for e in local spark; do echo "  $e $n: $(awk '{ printf "%s ", $1 }' "$work/$e-$n.txt")"; done; done

# t = fixed + rows / rate from the two largest sizes; Spark pays off where its line crosses under the local one
set -- $sizes
if [ $# -ge 2 ]; then
  n1=${*: -2:1} n2=${*: -1}
  awk -v n1="$n1" -v n2="$n2" -v l1="$(med "$work/local-$n1.txt" 1)" -v l2="$(med "$work/local-$n2.txt" 1)" \
      -v s1="$(med "$work/spark-$n1.txt" 1)" -v s2="$(med "$work/spark-$n2.txt" 1)" 'BEGIN {
    lr = (n2 - n1) / (l2 - l1); lf = l1 - n1 / lr; sr = (n2 - n1) / (s2 - s1); sf = s1 - n1 / sr
    printf "fit: local %.1f s fixed + %.0f rows/s; spark %.1f s fixed + %.0f rows/s\n", lf, lr, sf, sr
    if (sr <= lr) printf "Spark pays off at no table size on this machine (its marginal rate is %.0f%% of the local engine'"'"'s)\n", 100 * sr / lr
    else printf "Spark pays off above about %.0f rows\n", (sf - lf) / (1 / lr - 1 / sr) }'
fi
