#!/usr/bin/env bash
# CLI start-up, whole process, side by side (docs/performance.md, "CLI start-up").
#
# Builds six programs and times each as a fresh process, in alternating rounds (every round runs every program once,
# in an order rotated each round), then prints the median wall time, the fastest wall time and the median CPU time
# (user + sys) of each (on a machine that other work loads, the fastest run and the CPU time say more than the median):
#   empty (JIT), empty (AOT)        an empty console app (`dotnet new console`: prints one line), framework-dependent
#                                    and Native AOT
#   usage --help (JIT|AOT)          the `usage` tool: the portable (framework-dependent) build and the Native AOT build
#   usage report --demo (JIT|AOT)   of the same sources; report --demo builds a report over the demo's 30 days
# It also checks that the JIT and AOT builds print the same bytes for both commands (USAGE_DEMO_NOW pins the demo's
# clock). The targets (issue 20.3): `usage --help` (AOT) within 2x an empty console app, `usage report --demo` (AOT)
# under 0.25 s.
#
# Usage: tests/UsageSdk.Benchmarks/scripts/startup.sh [rounds]    (default 31 rounds; ROUNDS=... works too)
#   WORK=/tmp/usage-startup   where the builds go (kept; SKIP_BUILD=1 reuses them)
# Needs the .NET 10 SDK and, for Native AOT, clang or gcc. Builds take a few minutes; the rounds about a minute.
set -euo pipefail

rounds=${1:-${ROUNDS:-31}}
repo=$(cd "$(dirname "$0")/../../.." && pwd)
work=${WORK:-/tmp/usage-startup}
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n1)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 USAGE_DEMO_NOW=2025-03-14T15:00:00Z
unset DEEPGRAM_API_KEY

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  rm -rf "$work" && mkdir -p "$work/empty-src"
  echo "building into $work (RID $rid) ..." >&2
  # The empty app lives outside the checkout, so no Directory.Build.props or nuget.config of the repo applies to it.
  cat >"$work/empty-src/empty.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
</Project>
EOF
  echo 'Console.WriteLine("Hello, World!");' >"$work/empty-src/Program.cs"
  q=(-c Release -v q --nologo)
  dotnet publish "$work/empty-src" "${q[@]}" -o "$work/empty-jit" >&2
  dotnet publish "$work/empty-src" "${q[@]}" -r "$rid" -p:PublishAot=true -o "$work/empty-aot" >&2
  # The tool's own artifacts path keeps these builds apart from the checkout's artifacts/.
  dotnet publish "$repo/src/UsageSdk.Cli" "${q[@]}" -p:UsageToolAot=false -p:ArtifactsPath="$work/artifacts" -o "$work/cli-jit" >&2
  dotnet publish "$repo/src/UsageSdk.Cli" "${q[@]}" -r "$rid" -p:PublishAot=true -p:ArtifactsPath="$work/artifacts" -o "$work/cli-aot" >&2
fi

names=("empty (JIT)" "empty (AOT)" "usage --help (JIT)" "usage --help (AOT)" "usage report --demo (JIT)" "usage report --demo (AOT)")
commands=(
  "$work/empty-jit/empty"
  "$work/empty-aot/empty"
  "$work/cli-jit/usage --help"
  "$work/cli-aot/usage --help"
  "$work/cli-jit/usage report --demo"
  "$work/cli-aot/usage report --demo"
)

# Same output from both builds (and every program runs) before anything is timed.
for args in "--help" "report --demo"; do
  # shellcheck disable=SC2086
  if ! cmp -s <("$work/cli-jit/usage" $args 2>&1) <("$work/cli-aot/usage" $args 2>&1); then
    echo "usage $args: the JIT and AOT builds print different output" >&2
    exit 1
  fi
done
echo "usage --help and usage report --demo: JIT and AOT output identical ($(wc -c < <("$work/cli-aot/usage" report --demo)) bytes for report --demo)" >&2

# Warm-up: one run each (page cache, CPU frequency), not counted.
for c in "${commands[@]}"; do $c >/dev/null 2>&1; done

samples=$(mktemp)
TIMEFORMAT='%3R %3U %3S'
n=${#commands[@]}
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < n; k++)); do
    i=$(((k + r) % n))
    # bash's `time` keyword: no extra process between the clock and the program.
    t=$({ time ${commands[$i]} >/dev/null 2>&1; } 2>&1)
    echo "$i $t" >>"$samples"
  done
done

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
declare -a wall fastest cpu
for ((i = 0; i < n; i++)); do
  wall[i]=$(awk -v i="$i" '$1 == i { print $2 }' "$samples" | median)
  fastest[i]=$(awk -v i="$i" '$1 == i { print $2 }' "$samples" | sort -n | head -n1)
  cpu[i]=$(awk -v i="$i" '$1 == i { printf "%.3f\n", $3 + $4 }' "$samples" | median)
done
rm -f "$samples"

load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
echo "CLI start-up: $rounds alternating rounds, $(nproc) cores, load average $load, $(uname -srm), $(dotnet --version) SDK, RID $rid"
echo
echo "| program | wall, median (s) | wall, fastest (s) | CPU user+sys, median (s) |"
echo "|---|---:|---:|---:|"
for ((i = 0; i < n; i++)); do
  echo "| ${names[i]} | ${wall[i]} | ${fastest[i]} | ${cpu[i]} |"
done
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo "- usage --help (AOT) / empty (JIT): $(ratio "${wall[3]}" "${wall[0]}") wall, $(ratio "${cpu[3]}" "${cpu[0]}") CPU (target: within 2x)"
echo "- usage --help (AOT) / empty (AOT): $(ratio "${wall[3]}" "${wall[1]}") wall, $(ratio "${cpu[3]}" "${cpu[1]}") CPU"
echo "- usage --help (JIT) / empty (JIT): $(ratio "${wall[2]}" "${wall[0]}") wall, $(ratio "${cpu[2]}" "${cpu[0]}") CPU"
echo "- usage report --demo (AOT): ${wall[5]} s wall, median; ${fastest[5]} s fastest; ${cpu[5]} s CPU (target: under 0.25 s)"
echo "- usage report --demo, JIT / AOT: $(ratio "${wall[4]}" "${wall[5]}") wall, $(ratio "${cpu[4]}" "${cpu[5]}") CPU"
