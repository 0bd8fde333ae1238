#!/usr/bin/env bash
# Merge benchmark (issue 14; results in BENCHMARKS.md). A copy of fanout_bench.wide_2000000 (10 columns, as in
# bench/stage-benchmark.sh) is imported into a fresh home three ways, then 1% of its rows are updated and
# 0.1% deleted at the source and each table is imported again, timed:
#   (a) replaced: --import full --etl truncate_insert                       (what a user has without merges)
#   (b) merged:   --import full --etl merge --deletes detect                 (DBImport's full_merge_direct)
#   (c) incr:     --import incr --incr-mode lastmodified --incr-column h --etl merge --deletes detect
#                 (incr_merge_delete: the changed rows, then every key, index-only)
# Per import: wall seconds, peak RSS, rows the source sent, bytes added to the table's directory. Then the
# source's own client reads the key column and all columns, to show what the key read costs the source.
#
# Environment: BENCH_RUNS=2 (rounds, medians), BENCH_SKIP_BUILD=1, MARIADB_HOST/PORT/USER (127.0.0.1/3306/root).
# Needs MariaDB >= 10.11, Java 17, Maven, GNU time (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${BENCH_RUNS:-2}"
host="${MARIADB_HOST:-127.0.0.1}" port="${MARIADB_PORT:-3306}" user="${MARIADB_USER:-root}"
my=(mariadb -h"$host" -P"$port" -u"$user")
n=2000000
work=$(mktemp -d /tmp/fanout-merge-bench-XXXX)
trap 'rm -rf "$work"' EXIT
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

if [ ! -x /usr/bin/time ]; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ apt-get install -y -q time >/dev/null 2>&1 || { $sudo_ apt-get update -q >/dev/null && $sudo_ apt-get install -y -q time >/dev/null; }
fi
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building the launcher (mvn package)"
  mvn -q -B -Dstyle.color=never package -DskipTests >&2
fi

"${my[@]}" -e "CREATE DATABASE IF NOT EXISTS fanout_bench"
have=$("${my[@]}" -N -e "SELECT COUNT(*) FROM fanout_bench.wide_$n" 2>/dev/null || echo 0)
if [ "$have" != "$n" ]; then
  log "creating fanout_bench.wide_$n"
  "${my[@]}" fanout_bench -e "DROP TABLE IF EXISTS wide_$n; CREATE TABLE wide_$n (id BIGINT PRIMARY KEY, a INT, b INT,
    c BIGINT, d DECIMAL(12,2), e DOUBLE, f VARCHAR(40), g VARCHAR(100), h DATETIME(6), i DATE);
    INSERT INTO wide_$n SELECT seq, seq MOD 1000, seq MOD 77, seq * 31, (seq MOD 100000) / 100, seq / 7,
      CONCAT('name-', seq MOD 5000), CONCAT('a somewhat longer text value number ', seq),
      TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND, DATE '2020-01-01' + INTERVAL (seq MOD 2000) DAY
    FROM seq_1_to_$n; ANALYZE TABLE wide_$n;" >/dev/null
fi

table_bytes() { # home table -> bytes under the table's directory
  local d; d=$(find "$1" -type d -path "*/bench/$2" | head -1)
  [ -n "$d" ] && du -sb "$d" | cut -f1 || echo 0
}

# one timed import; prints: wall_s peak_rss_kb source_rows key_rows bytes_added changes
timed_import() { # home table
  local before after rc=0
  before=$(table_bytes "$1" "$2")
  /usr/bin/time -f "%e %M" -o "$work/time.txt" bin/fanout --home "$1" import --table "bench.$2" > "$work/out.txt" 2>&1 || rc=$?
  [ "$rc" = 0 ] || { cat "$work/out.txt" >&2; exit 1; }
  after=$(table_bytes "$1" "$2")
  read -r wall rss < "$work/time.txt"
  src=$(sed -n 's/.*source \([0-9]*\), staged.*/\1/p' "$work/out.txt" | head -1)
  keys=$(sed -n 's/.*Read \([0-9]*\) keys of.*/\1/p' "$work/out.txt" | head -1)
  changes=$(sed -n 's/.*(snapshot [0-9]*: \([^)]*\)).*/\1/p' "$work/out.txt" | head -1)
  echo "$wall $rss ${src:-0} ${keys:-0} $((after - before)) ${changes:-whole table replaced}"
}

for r in $(seq 1 "$runs"); do
  log "round $r/$runs: copying the source table"
  "${my[@]}" fanout_bench -e "DROP TABLE IF EXISTS merge_src; CREATE TABLE merge_src LIKE wide_$n;
    INSERT INTO merge_src SELECT * FROM wide_$n; CREATE INDEX merge_src_h ON merge_src (h); ANALYZE TABLE merge_src;" >/dev/null
  home="$work/home-$r"
  bin/fanout --home "$home" init >/dev/null
  echo "" | bin/fanout --home "$home" connection add bench --url "jdbc:mariadb://$host:$port/fanout_bench" \
    --user "$user" --password-stdin --max-sessions 2 >/dev/null
  common=(--connection bench --source fanout_bench.merge_src --split-by id --sessions 2)
  bin/fanout --home "$home" table add "${common[@]}" --target bench.replaced >/dev/null
  bin/fanout --home "$home" table add "${common[@]}" --target bench.merged --etl merge --deletes detect >/dev/null
  bin/fanout --home "$home" table add "${common[@]}" --target bench.incr --import incr --incr-mode lastmodified \
    --incr-column h --etl merge --deletes detect >/dev/null
  for t in replaced merged incr; do
    log "round $r: first import of bench.$t"
    bin/fanout --home "$home" import --table "bench.$t" >/dev/null
  done
  log "round $r: updating 1% and deleting 0.1% of the rows at the source"
  "${my[@]}" fanout_bench -e "UPDATE merge_src SET a = a + 1, h = TIMESTAMP '2030-01-01 00:00:00' WHERE id MOD 100 = 7;
    DELETE FROM merge_src WHERE id MOD 1000 = 3;"
  for t in replaced merged incr; do
    log "round $r: timed import of bench.$t"
    timed_import "$home" "$t" | tee -a "$work/$t.txt" >&2
  done
  "${my[@]}" --quick fanout_bench -e "SELECT id FROM merge_src" > /dev/null
  /usr/bin/time -f "%e" -a -o "$work/keys.txt" "${my[@]}" --quick fanout_bench -e "SELECT id FROM merge_src" > /dev/null
  /usr/bin/time -f "%e" -a -o "$work/all.txt" "${my[@]}" --quick fanout_bench -e "SELECT * FROM merge_src" > /dev/null
  rm -rf "$home"
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { awk -v c="$2" '{ print $c }' "$1" | median; }
echo
echo "Merge of a 2,000,000-row table after 1% updated and 0.1% deleted at the source; MariaDB $("${my[@]}" -N -e 'SELECT VERSION()'),"
echo "$(nproc) cores, $(java -version 2>&1 | head -1), -Xmx1g; median of $runs rounds"
echo
printf "| %-44s | %7s | %8s | %12s | %10s | %14s |\n" import "wall s" "vs (a)" "source rows" "keys read" "bytes to lake"
printf "|%s|%s|%s|%s|%s|%s|\n" "----------------------------------------------" "--------:" "---------:" "-------------:" "-----------:" "---------------:"
base=$(med "$work/replaced.txt" 1)
for t in replaced merged incr; do
  label=$(case $t in replaced) echo "(a) full, truncate_insert";; merged) echo "(b) full, merge --deletes detect";;
    incr) echo "(c) incr lastmodified, merge --deletes detect";; esac)
  awk -v l="$label" -v w="$(med "$work/$t.txt" 1)" -v b="$base" -v s="$(med "$work/$t.txt" 3)" -v k="$(med "$work/$t.txt" 4)" \
      -v by="$(med "$work/$t.txt" 5)" 'BEGIN { printf "| %-44s | %7.2f | %7.2fx | %12d | %10d | %11.1f MB |\n", l, w, w / b, s, k, by / 1048576 }'
done
echo
for t in replaced merged incr; do echo "$t: $(cut -d' ' -f6- "$work/$t.txt" | tail -1); peak RSS $(( $(med "$work/$t.txt" 2) / 1024 )) MB"; done
echo "source's own client: SELECT id $(median < "$work/keys.txt") s, SELECT * $(median < "$work/all.txt") s (median of $runs)"
