#!/usr/bin/env bash
# Measures the suggestions the new-directive form makes from a pasted dispatch (DispatchReader)
# against what a clerk reads in it (Tests/Fixtures/dispatches/*.expected.json: the two seeds and
# dispatches written for the tests), beside the scanner it replaced: precision and recall of tasks,
# deadlines, fields and recipients. Writes bench/results/dispatch-suggestions.md.
# To start an expected file from the reader's own reading (then correct it by hand):
#   bench/dispatch-suggestions.sh --read dispatches/NAME.txt DD/MM/YYYY
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$REPO_ROOT"
require_dotnet
run_quiet bench-dispatch-build dotnet build bench/DispatchSuggestions.Bench/DispatchSuggestions.Bench.csproj -c Release --nologo -v q
bench=bench/DispatchSuggestions.Bench/bin/Release/net10.0/DispatchSuggestions.Bench.dll
if [[ "${1:-}" == "--read" ]]; then
  dotnet "$bench" Tests/Fixtures --read "$2" "$3"
else
  dotnet "$bench" Tests/Fixtures bench/results/dispatch-suggestions.md
fi
