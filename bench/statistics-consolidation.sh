#!/usr/bin/env bash
# Benchmarks consolidation under a province's last hour: UPLOADS uploads (500) imported with PARALLEL
# (8) at once, as maxDegreeOfParallelism and several instances would — one at a time, on one totals
# row, and on the shards — against its own Azurite; checks the totals against a full recompute.
# Writes bench/results/statistics-consolidation.md.
# Usage: bench/statistics-consolidation.sh [UPLOADS] [PARALLEL]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$REPO_ROOT"
require_dotnet
ensure_node_tools
start_azurite_on_free_ports
run_quiet bench-consolidation-build dotnet build bench/Consolidation.Bench/Consolidation.Bench.csproj -c Release --nologo -v q
dotnet bench/Consolidation.Bench/bin/Release/net10.0/Consolidation.Bench.dll "$AZURITE_CONNECTION_STRING" \
  Tests/Fixtures/templates/mau-a-15x3-dong-tong.xlsx Tests/Fixtures/templates/mau-a-dung.xlsx \
  "${1:-500}" "${2:-8}" bench/results/statistics-consolidation.md
