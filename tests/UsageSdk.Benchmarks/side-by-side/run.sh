#!/usr/bin/env bash
# Whole-process side-by-side benchmark: a fresh process pages every request log of a project (page size 1000) from
# one loopback server, start-up included; this SDK (a plain console app, built for the JIT and published ReadyToRun)
# against the official JavaScript SDK (@deepgram/sdk, installed by `npm ci` from js/package-lock.json).
#
# The server is tests/UsageSdk.Benchmarks in --serve mode, in a process of its own (not measured): the same
# deterministic pages of about 1 KB per request as the in-process benchmarks, so both clients read the same bytes.
# Rounds alternate the clients (the order rotates each round); each run is checked to have read every item. The
# report gives, per size and client, the median wall time and the median CPU time (user + sys of the client process,
# from getrusage via bash's `time`), items per CPU-second, and the ratio against the JS SDK. On a shared machine CPU
# time is the fairer figure: wall time includes waiting for a core.
#
# Usage: tests/UsageSdk.Benchmarks/side-by-side/run.sh [--rounds N] [--sizes "10000 200000 1000000"]
#          [--clients "js dotnet dotnet-r2r"] [--no-build] [--raw FILE]
# Clients: js, dotnet (dotnet build, JIT), dotnet-r2r (dotnet publish -p:PublishReadyToRun=true), and for
# diagnosis dotnet-tc0 (the JIT build with DOTNET_TieredCompilation=0), dotnet-nopgo (DOTNET_TieredPGO=0),
# dotnet-r2r-nopgo; LABEL=PATH runs another build of the .NET app (for before/after figures), e.g.
# before=/tmp/old/artifacts/bin/UsageSdk.SideBySide/release/UsageSdk.SideBySide.
# Needs: bash, the .NET SDK, node and npm. Nothing here runs in the tests or CI.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
rounds=5
sizes="10000 200000 1000000"
clients="js dotnet dotnet-r2r"
build=1
raw=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --raw) raw="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "unsupported machine $(uname -m)" >&2; exit 2 ;;
esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
server_bin="$root/artifacts/bin/UsageSdk.Benchmarks/release/UsageSdk.Benchmarks"
jit_bin="$root/artifacts/bin/UsageSdk.SideBySide/release/UsageSdk.SideBySide"
r2r_bin="$root/artifacts/publish/UsageSdk.SideBySide/release_$rid/UsageSdk.SideBySide"

if [[ $build -eq 1 ]]; then
  echo "building (Release) ..." >&2
  dotnet build "$root/tests/UsageSdk.Benchmarks" -c Release -v q --nologo >&2
  dotnet build "$here/dotnet" -c Release -v q --nologo >&2
  dotnet publish "$here/dotnet" -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -v q --nologo >&2
  (cd "$here/js" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
for f in "$server_bin" "$jit_bin" "$r2r_bin" "$here/js/node_modules/@deepgram/sdk/package.json"; do
  [[ -e "$f" ]] || { echo "missing $f: run without --no-build" >&2; exit 1; }
done

work="$(mktemp -d)"
server_pid=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  if [[ -n "$server_pid" ]]; then
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The server serves until its standard input (this script's fd 3) closes.
mkfifo "$work/server-in"
"$server_bin" --serve "$work/address" <"$work/server-in" >"$work/server.log" 2>&1 &
server_pid=$!
exec 3>"$work/server-in"
for _ in $(seq 600); do
  [[ -s "$work/address" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
address="$(cat "$work/address")"
echo "server at $address (pid $server_pid)" >&2

# command line of a client
command_of() {
  case "$1" in
    js) echo "node $here/js/list-requests.mjs" ;;
    dotnet) echo "$jit_bin" ;;
    dotnet-r2r) echo "$r2r_bin" ;;
    dotnet-tc0) echo "env DOTNET_TieredCompilation=0 $jit_bin" ;;
    dotnet-nopgo) echo "env DOTNET_TieredPGO=0 $jit_bin" ;;
    dotnet-r2r-nopgo) echo "env DOTNET_TieredPGO=0 $r2r_bin" ;;
    *=*) echo "${1#*=}" ;;
    *) echo "unknown client $1" >&2; exit 2 ;;
  esac
}

has_time=0
[[ -x /usr/bin/time ]] && has_time=1
TIMEFORMAT='%3R %3U %3S'
results="$work/results"
: >"$results"

# one run: appends "size client wall user sys rss_kb" to the results
measure() {
  local client="$1" size="$2" cmd out timing rss=0
  cmd="$(command_of "$client")"
  out="$work/out"
  if [[ $has_time -eq 1 ]]; then
    # shellcheck disable=SC2086 # the command line is split on purpose
    timing=$({ time /usr/bin/time -f %M -o "$work/rss" $cmd "$address" "bench-$size-0" >"$out" 2>"$work/err"; } 2>&1) || { cat "$work/err" >&2; exit 1; }
    rss=$(tail -n1 "$work/rss")
  else
    # shellcheck disable=SC2086
    timing=$({ time $cmd "$address" "bench-$size-0" >"$out" 2>"$work/err"; } 2>&1) || { cat "$work/err" >&2; exit 1; }
  fi
  read -r count _ <"$out"
  if [[ "$count" != "$size" ]]; then
    echo "$client read $count items, expected $size" >&2
    exit 1
  fi
  echo "$size ${client%%=*} $timing $rss" >>"$results"
}

# one warm-up run per client (file cache, the server's own JIT), not counted
first_size="${sizes%% *}"
for c in $clients; do
  measure "$c" "$first_size"
done
: >"$results"

read -r -a client_list <<<"$clients"
n=${#client_list[@]}
for ((r = 0; r < rounds; r++)); do
  for size in $sizes; do
    for ((i = 0; i < n; i++)); do
      c="${client_list[$(((i + r) % n))]}"
      measure "$c" "$size"
    done
  done
  echo "round $((r + 1))/$rounds done" >&2
done
if [[ -n "$raw" ]]; then
  cp "$results" "$raw"
fi

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(dotnet --list-runtimes | grep -m1 NETCore.App | cut -d' ' -f1-2), node $(node --version), @deepgram/sdk $(node -p "require('$here/js/node_modules/@deepgram/sdk/package.json').version"); $rounds rounds."
echo
echo "| Items | Client | Wall median (s) | Wall range (s) | CPU median (s) | CPU range (s) | Items per CPU-s | vs JS (CPU) | vs JS (wall) | Peak RSS (MB) |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in $sizes; do
  js_cpu=$(awk -v s="$size" '$1 == s && $2 == "js" { print $4 + $5 }' "$results" | median)
  js_wall=$(awk -v s="$size" '$1 == s && $2 == "js" { print $3 }' "$results" | median)
  for c in $clients; do
    c="${c%%=*}"
    wall=$(awk -v s="$size" -v c="$c" '$1 == s && $2 == c { print $3 }' "$results" | median)
    wall_range=$(awk -v s="$size" -v c="$c" '$1 == s && $2 == c { print $3 }' "$results" | range)
    cpu=$(awk -v s="$size" -v c="$c" '$1 == s && $2 == c { print $4 + $5 }' "$results" | median)
    cpu_range=$(awk -v s="$size" -v c="$c" '$1 == s && $2 == c { print $4 + $5 }' "$results" | range)
    rss=$(awk -v s="$size" -v c="$c" '$1 == s && $2 == c { print $6 }' "$results" | median)
    awk -v size="$size" -v c="$c" -v wall="$wall" -v wr="$wall_range" -v cpu="$cpu" -v cr="$cpu_range" -v rss="$rss" -v jc="${js_cpu:-0}" -v jw="${js_wall:-0}" 'BEGIN {
      ratio_cpu = (jc > 0 && cpu > 0) ? sprintf("%.2fx", jc / cpu) : "-";
      ratio_wall = (jw > 0 && wall > 0) ? sprintf("%.2fx", jw / wall) : "-";
      printf "| %d | %s | %.3f | %s | %.3f | %s | %d | %s | %s | %.0f |\n", size, c, wall, wr, cpu, cr, size / cpu, ratio_cpu, ratio_wall, rss / 1024 }'
  done
done
echo
echo "vs JS: the JS SDK's median over this client's (higher is better for this client)."
