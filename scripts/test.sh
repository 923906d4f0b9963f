#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what is missing, starts its own
# Azurite on free ports, runs all tests of the solution (Tests/Domain.Tests: the rules alone, no
# storage; Tests/Handler.Tests: storage, end to end and browser, against that Azurite and Debian's
# Chromium), stops what it started. Exits non-zero on any failure.
# Extra arguments go to the test runner (e.g. --filter-class '*HealthTests').
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

require_dotnet
ensure_node_tools
ensure_chromium

start_azurite_on_free_ports
export TEST_STORAGE_CONNECTION_STRING="$AZURITE_CONNECTION_STRING"

run_quiet build dotnet build ServerlessWorkflow.sln -c Release --nologo -v q

results="$LOCAL_DIR/logs/tests.log"
# A filter (extra arguments) may leave one of the two test projects with nothing to run: that is not a failure then.
filtered=()
[[ $# -eq 0 ]] || filtered=(--ignore-exit-code 8)
set +e
dotnet test --solution ServerlessWorkflow.sln -c Release --no-build --no-progress --output Normal "${filtered[@]}" "$@" 2>&1 | tee "$results" | grep -E '^(failed|  (Assert|Expected|Actual|Xunit|System\.))' 
status=${PIPESTATUS[0]}
set -e

total=$(sed -n 's/^ *total: *\([0-9]*\).*/\1/p' "$results" | tail -1)
failed=$(sed -n 's/^ *failed: *\([0-9]*\).*/\1/p' "$results" | tail -1)
passed=$(sed -n 's/^ *succeeded: *\([0-9]*\).*/\1/p' "$results" | tail -1)
skipped=$(sed -n 's/^ *skipped: *\([0-9]*\).*/\1/p' "$results" | tail -1)
if [[ $status -ne 0 || -z "$total" || "${total:-0}" -eq 0 ]]; then
  [[ -n "$total" ]] || tail -40 "$results" >&2
  echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
  echo "tests failed (full log: $results)" >&2
  exit 1
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
