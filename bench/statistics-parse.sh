#!/usr/bin/env bash
# Benchmarks spreadsheet reading (BenchmarkDotNet, short run): the floor (unzip + XmlReader),
# this project's parser and library candidates, on the template sample, the office's 30 x 10 template
# (Tests/Fixtures/templates/mau-d-*) and a 100,000-row sheet; then the parse and the floor interleaved
# in one process, CPU time and wall clock (the ratio the limit of 2x is about).
# Writes bench/results/statistics-parse.md. Extra arguments go to BenchmarkDotNet (e.g. --filter '*TemplateParse*').
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$REPO_ROOT"
require_dotnet
artifacts="$LOCAL_DIR/bench-statistics"
run_quiet bench-stats-build dotnet build bench/Statistics.Bench/Statistics.Bench.csproj -c Release --nologo -v q
BENCH_ARTIFACTS="$artifacts" dotnet bench/Statistics.Bench/bin/Release/net10.0/Statistics.Bench.dll "$@" >"$LOCAL_DIR/logs/bench-statistics.log" 2>&1
{
  echo "# Statistics spreadsheet reading: candidates against the floor"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on this project's build machine (2 cores) by \`bench/statistics-parse.sh\` (BenchmarkDotNet, ShortRun)."
  echo
  for report in "$artifacts"/results/*-report-github.md; do cat "$report"; echo; done
  echo "## The ratio, side by side"
  echo
  echo "BenchmarkDotNet measures the floor and the parser minutes apart; on this shared machine the load"
  echo "moves between them. The same code, interleaved in one process (\`Statistics.Bench --interleaved\`):"
  echo
  dotnet bench/Statistics.Bench/bin/Release/net10.0/Statistics.Bench.dll --interleaved
} > bench/results/statistics-parse.md
cat bench/results/statistics-parse.md
