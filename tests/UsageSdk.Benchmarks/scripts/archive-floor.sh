#!/usr/bin/env bash
# Archive sync against the SQLite floor, whole process, side by side (docs/performance.md, "Archive sync").
#
# Runs three programs of the benchmark project as fresh processes, in alternating rounds (every round runs each once,
# in an order rotated each round), each after a warm-up of WARMUP rows (default 100,000) in the same process, so that
# the sync's code is compiled (tiered up) before it is timed, as the floor's far smaller code is:
#   floor   the floor: the logs' JSON, already serialized, inserted into a table with an id key and a time index
#   least   the least any sync can do: the same paging over HTTP as a sync, then the floor's inserts of the floor's JSON
#   sync    UsageArchive.SyncAsync into a new SQLite archive (roll-ups, derived columns, indexes, checkpoints)
# and prints, per program, the rows/s (min / median / max), the median CPU µs per row, and the bytes on disk per row,
# then each program's median rate over the floor's.
#
# Usage: tests/UsageSdk.Benchmarks/scripts/archive-floor.sh [rows] [rounds]    (default 100000 rows, 3 rounds)
set -euo pipefail

rows=${1:-100000}
rounds=${2:-3}
warmup=${WARMUP:-100000}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build -c Release -v q --nologo "$repo/tests/UsageSdk.Benchmarks" >&2
bench="$repo/artifacts/bin/UsageSdk.Benchmarks/release/UsageSdk.Benchmarks.dll"

programs=(floor least sync)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < ${#programs[@]}; i++)); do
    p=${programs[$(((i + r) % ${#programs[@]}))]}
    line=$(dotnet "$bench" --archive-run "$p" "$rows" "$warmup")
    echo "round $((r + 1)): $line" >&2
    echo "$line" >>"$out"
  done
done

# Lines read: "<program>: 100,000 rows in 0.79 s (127,214 rows/s), CPU 0.88 s (113,653 rows per CPU-s), 124.6 MB on disk (1306 B/row), ..."
# (plain POSIX sed and awk: no gawk extensions)
sed -E 's/^([a-z]+): .*\(([0-9,]+) rows\/s\).*\(([0-9,]+) rows per CPU-s\).*\(([0-9]+) B\/row\).*$/\1 \2 \3 \4/; s/,//g' "$out" |
awk -v rows="$rows" '
  function sort(a, n,   i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
  function median(a, n) { sort(a, n); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { p = $1; n[p]++; rates[p, n[p]] = $2; cpus[p, n[p]] = 1e6 / $3; disk[p] = $4 }
  END {
    printf "%d rows, %d rounds\n", rows, n["floor"]
    printf "%-6s %30s %13s %8s %8s\n", "", "rows/s (min / median / max)", "CPU us a row", "B a row", "x floor"
    split("floor least sync", order, " ")
    for (k = 1; k <= 3; k++) {
      p = order[k]; c = n[p]
      for (i = 1; i <= c; i++) { a[i] = rates[p, i]; b[i] = cpus[p, i] }
      med[p] = median(a, c); cm = median(b, c)
      printf "%-6s %10d / %7d / %7d %13.1f %8d %8.2f\n", p, a[1], med[p], a[c], cm, disk[p], med[p] / med["floor"]
    }
  }'
