#!/usr/bin/env bash
# Benchmarks the office's pages — the home, a directive's board, the units page — on a province's data
# (100 directives, 2,000 units, 3 tasks each: 600,000 assignments), seeded through the handler's stores:
# p50 over HTTP and the storage requests of each page, with a tenth of the directives and with all of
# them, beside a full recompute from every version. Starts its own Azurite on free ports; writes
# bench/results/office-pages.md. Seeding the full province takes a while (see the result file).
# Usage: bench/office-pages.sh [DIRECTIVES=100] [UNITS=2000] [TASKS=3] [RUNS=30]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$REPO_ROOT"
require_dotnet
ensure_node_tools
start_azurite_on_free_ports
run_quiet bench-build dotnet build bench/OfficePages.Bench/OfficePages.Bench.csproj -c Release --nologo -v q
dotnet bench/OfficePages.Bench/bin/Release/net10.0/OfficePages.Bench.dll \
  "$AZURITE_CONNECTION_STRING" "${1:-100}" "${2:-2000}" "${3:-3}" "${4:-30}" bench/results/office-pages.md
