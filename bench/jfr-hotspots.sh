#!/usr/bin/env bash
# Summarises a Java Flight Recording: where the sampled threads whose name starts with THREAD_PREFIX spend
# their time, by component (inclusive) and by top frame (self). Usage: bench/jfr-hotspots.sh FILE.jfr [THREAD_PREFIX]
set -euo pipefail
file="$1" prefix="${2:-fanout-split}"
jfr print --events jdk.ExecutionSample --stack-depth 96 "$file" | awk -v prefix="$prefix" '
  function flush() {
    if (mine && depth > 0) { total++; self[top]++; for (k in seen) inc[k]++; for (k in fan) finc[k]++ }
    delete seen; delete fan; depth = 0; mine = 0
  }
  /^jdk.ExecutionSample/ { flush(); next }
  /sampledThread = / { t = $0; sub(/^[^"]*"/, "", t); mine = index(t, prefix) == 1; next }
  /line:/ {
    f = $1; sub(/\(.*/, "", f)
    if (depth++ == 0) top = f
    if (f ~ /^dev\.fanout\./ && f !~ /LocalStageWriter|SplitReader\.read$|Future|lambda\$write/) {
      ln = $0; sub(/.*line: */, "", ln); sub(/ .*/, "", ln); fan[f ":" ln] = 1
    }
    if (f ~ /^org\.mariadb\.jdbc/) seen["MariaDB driver (org.mariadb.jdbc)"] = 1
    if (f ~ /^dev\.fanout\.source\.ValueReaders/) seen["Fanout ValueReaders"] = 1
    if (f ~ /^org\.apache\.iceberg\.(data\.)?parquet/) seen["Iceberg Parquet writers (org.apache.iceberg.parquet)"] = 1
    if (f ~ /^org\.apache\.parquet/) seen["Parquet (org.apache.parquet)"] = 1
    if (f ~ /DictionaryValuesWriter/) seen["  Parquet dictionary encoding"] = 1
    if (f ~ /[Ss]tatistics/) seen["  Parquet column statistics"] = 1
    if (f ~ /[Ss]nappy|[Cc]ompressor/) seen["  compression (snappy)"] = 1
    if (f ~ /ColumnIndexBuilder|BinaryTruncator/) seen["  Parquet column/offset index"] = 1
    if (f ~ /ChecksummingOutputFile|CRC32C/) seen["staged-file checksum (CRC-32C)"] = 1
    if (f ~ /^sun\.nio\.ch\.|^java\.net\.|SocketInputStream/) seen["socket reads"] = 1
    if (f ~ /^java\.time\.|Calendar|java\.sql\.Timestamp|DateTimeUtil/) seen["date/time conversion"] = 1
    if (f ~ /^java\.math\./) seen["BigDecimal/BigInteger"] = 1
    if (f ~ /^java\.lang\.String\.|StringCoding|StringLatin1|StringUTF16|CharsetDecoder|CharsetEncoder|UTF_8/) seen["String encode/decode"] = 1
    next
  }
  END {
    flush()
    printf "%d execution samples on threads %s*\ninclusive, by component:\n", total, prefix
    for (k in inc) printf "  %5.1f%%  %s\n", 100 * inc[k] / total, k | "sort -t% -k1,1nr"
    close("sort -t% -k1,1nr")
    printf "inclusive, by Fanout frame (method:line):\n"
    for (k in finc) if (finc[k] / total >= 0.01) printf "  %5.1f%%  %s\n", 100 * finc[k] / total, k | "sort -t% -k1,1nr | head -15"
    close("sort -t% -k1,1nr | head -15")
    printf "self, top frames:\n"
    for (k in self) printf "  %5.1f%%  %s\n", 100 * self[k] / total, k | "sort -t% -k1,1nr | head -20"
    close("sort -t% -k1,1nr | head -20")
  }'
jfr print --events jdk.GarbageCollection "$file" | awk '/sumOfPauses/ { v = $3; u = $4; n++
  if (u ~ /^ms/) t += v; else if (u ~ /^s/) t += v * 1000; else if (u ~ /^us/) t += v / 1000; else if (u ~ /^ns/) t += v / 1e6 }
  END { printf "GC: %d collections, %.0f ms of pauses\n", n, t }'
# JIT compilation: compiler-thread time over the recording, and within the window of the sampled threads
jfr print --events jdk.ExecutionSample "$file" | awk -v prefix="$prefix" '
  function secs(t, p) { split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
  /startTime = / { t = secs($3) } /sampledThread = / { s = $0; sub(/^[^"]*"/, "", s); if (index(s, prefix) == 1) { if (!a || t < a) a = t; if (t > b) b = t } }
  END { printf "%.3f %.3f\n", a, b }' > "${TMPDIR:-/tmp}/jfr-window.$$"
read -r w0 w1 < "${TMPDIR:-/tmp}/jfr-window.$$"; rm -f "${TMPDIR:-/tmp}/jfr-window.$$"
jfr print --events jdk.CompilerStatistics "$file" | awk -v w0="$w0" -v w1="$w1" '
  function secs(t, p) { split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
  /startTime = / { t = secs($3) }
  / compileCount = / { c = $3 }
  /totalTimeSpent = / { v = $3; if ($4 ~ /^ms/) v /= 1000; else if ($4 ~ /^us/) v /= 1e6; else if ($4 ~ /^min/) v *= 60
    if (t <= w0) { t0 = t; v0 = v } if (t >= w1 && !t1) { t1 = t; v1 = v } last = v; lastt = t; n = c }
  END {
    printf "JIT: %d compilations, %.2f s of compiler threads in the whole run", n, last
    if (!t1) { t1 = lastt; v1 = last }
    if (t0) printf ";\n     %.2f s of them from %.1f s before the sampled threads started to %.1f s %s they stopped (they ran %.1f s)",
      v1 - v0, w0 - t0, (t1 > w1) ? t1 - w1 : w1 - t1, (t1 > w1) ? "after" : "before", w1 - w0
    printf "\n" }'
