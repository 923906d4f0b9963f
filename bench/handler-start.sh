#!/usr/bin/env bash
# Benchmarks the handler's start: from process spawn to the first 200 on its health endpoint
# (polled every 10 ms with curl), against a running in-memory Azurite of this script's own.
# Measures the self-contained linux-x64 publish that scripts/package.sh makes (what the Functions
# host starts), and, in the same run, the framework-dependent build (`dotnet ServerlessWorkflow.Functions.dll`)
# and a bare minimal API (bench/Ingest.Baseline, GET /health: one table read) as baselines.
# Each variant starts once unmeasured (file cache, tables created), then RUNS times, interleaved.
# Writes bench/results/handler-start.md and prints it.
# Usage: bench/handler-start.sh [RUNS=5]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

runs=${1:-5}
results=bench/results/handler-start.md
work="$LOCAL_DIR/bench-start"
package="$work/package"
rm -rf "$work" && mkdir -p "$work"

require_dotnet
ensure_node_tools
run_quiet bench-start-package scripts/package.sh "$package"
run_quiet bench-start-build-handler dotnet build Functions/Functions.csproj -c Release --nologo -v q
run_quiet bench-start-build-baseline dotnet build bench/Ingest.Baseline/Ingest.Baseline.csproj -c Release --nologo -v q

start_azurite_on_free_ports
trap 'stop_server; stop_azurite' EXIT
trap 'exit 130' INT TERM

prefix=$(bench_prefix)
export AzureWebJobsStorage="$AZURITE_CONNECTION_STRING" Storage__Prefix="$prefix" Baseline__Table="${prefix}health"
export Office__ApiKey="$(random_key)" Links__SigningKey="$(random_key)" LocalTriggers__Enabled=false

# start VARIANT PORT: spawns the variant in the background (sets $server) and returns at once.
start() {
  local variant=$1 port=$2 log="$LOCAL_DIR/logs/bench-start-$1.log"
  case $variant in
    self-contained)
      (cd "$package" && FUNCTIONS_CUSTOMHANDLER_PORT=$port exec ./handler/ServerlessWorkflow.Functions) >"$log" 2>&1 & ;;
    framework-dependent)
      FUNCTIONS_CUSTOMHANDLER_PORT=$port dotnet Functions/bin/Release/net10.0/ServerlessWorkflow.Functions.dll --contentRoot "$REPO_ROOT" >"$log" 2>&1 & ;;
    baseline)
      dotnet bench/Ingest.Baseline/bin/Release/net10.0/Ingest.Baseline.dll --urls "http://127.0.0.1:$port" >"$log" 2>&1 & ;;
  esac
  server=$!
}

health_url() { [[ $1 == baseline ]] && echo "http://127.0.0.1:$2/health" || echo "http://127.0.0.1:$2/api/health"; }

# measure VARIANT: milliseconds from spawn to the first 200 on the health URL (at most 60 s).
measure() {
  local variant=$1 port t0 url deadline
  port=$(free_port); url=$(health_url "$variant" "$port")
  t0=$(date +%s%N)
  start "$variant" "$port"
  deadline=$((t0 + 60000000000))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" 2>/dev/null) == 200 ]]; do
    kill -0 "$server" 2>/dev/null || { cat "$LOCAL_DIR/logs/bench-start-$variant.log" >&2; die "$variant stopped during start-up"; }
    (($(date +%s%N) < deadline)) || die "$variant did not answer 200 within 60 s"
    sleep 0.01
  done
  echo $((($(date +%s%N) - t0) / 1000000))
  stop_server
}

variants=(self-contained framework-dependent baseline)
for v in "${variants[@]}"; do measure "$v" >/dev/null; done
for _ in $(seq 1 "$runs"); do
  for v in "${variants[@]}"; do measure "$v" >>"$work/$v.ms"; done
done

# stats FILE: min median max of the numbers in FILE.
stats() { sort -n "$1" | awk '{ a[NR] = $1 } END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%d | %d | %d", a[1], m, a[NR] }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
handler_size=$(du -sb "$package/handler" | cut -f1)
zip_size=$( [[ -f "$package.zip" ]] && stat -c %s "$package.zip" || echo 0)
fd_size=$(du -sb Functions/bin/Release/net10.0 --exclude=linux-x64 | cut -f1)

{
  echo "# Handler start: process spawn to the first 200 on the health endpoint"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on this project's build machine ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
  echo "by \`bench/handler-start.sh\`: each start is timed from spawning the process to the first 200 on its health endpoint,"
  echo "polled every 10 ms with curl, against a running in-memory Azurite on loopback. Each variant started once unmeasured"
  echo "(file cache warm, tables created, as after a deployment), then $runs times, interleaved. The handler's health answers 200"
  echo "only once both the table and the blob service answer; at start it lists its tables and containers (two requests) and creates"
  echo "only the missing ones, beside the rest of the start; requests wait for that first attempt."
  echo
  echo "The package is what \`scripts/package.sh\` deploys: ReadyToRun, trimmed (partial: unused framework assemblies and members),"
  echo "endpoints built by the request delegate generator at compile time, workstation GC, no tiered PGO, the Data Protection"
  echo "key ring read on first use (from blob storage), without the debugger and LTTng native libraries. Before issue 13 the same"
  echo "bench measured it at a median of 1,034 ms (package.zip 49.4 MiB), beside 763 ms for the bare minimal API."
  echo
  echo "| variant | what is started | runs | min (ms) | median (ms) | max (ms) |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
  echo "| handler, self-contained linux-x64 (\`scripts/package.sh\`) | \`handler/ServerlessWorkflow.Functions\`, as the Functions host starts it | $runs | $(stats "$work/self-contained.ms") |"
  echo "| handler, framework-dependent (baseline) | \`dotnet Functions/bin/Release/net10.0/ServerlessWorkflow.Functions.dll\` | $runs | $(stats "$work/framework-dependent.ms") |"
  echo "| bare minimal API (baseline) | \`dotnet bench/Ingest.Baseline/…/Ingest.Baseline.dll\`, \`GET /health\`: one table read | $runs | $(stats "$work/baseline.ms") |"
  echo
  echo "Publish size: the self-contained \`handler/\` folder $(mib "$handler_size") ($(find "$package/handler" -type f | wc -l) files);"
  echo "\`package.zip\` $(mib "$zip_size"). The framework-dependent build output is $(mib "$fd_size")."
  echo
  echo "Each run in ms, in order: self-contained $(paste -sd' ' "$work/self-contained.ms"); framework-dependent $(paste -sd' ' "$work/framework-dependent.ms"); baseline $(paste -sd' ' "$work/baseline.ms")."
} >"$results"
cat "$results"
