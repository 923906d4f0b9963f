#!/usr/bin/env bash
# Benchmarks the deadline check's read with 300,000 assignments of which 5 are due: the index by
# due time against a full scan. Starts its own Azurite on free ports; writes bench/results/deadline-check.md.
# Usage: bench/deadline-check.sh [ASSIGNMENTS] [DUE]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$REPO_ROOT"
require_dotnet
ensure_node_tools
start_azurite_on_free_ports
run_quiet bench-build dotnet build bench/DeadlineCheck.Bench/DeadlineCheck.Bench.csproj -c Release --nologo -v q
dotnet bench/DeadlineCheck.Bench/bin/Release/net10.0/DeadlineCheck.Bench.dll \
  "$AZURITE_CONNECTION_STRING" "${1:-300000}" "${2:-5}" bench/results/deadline-check.md
