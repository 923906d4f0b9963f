#!/usr/bin/env bash
# Loads the demo units (scripts/demo/units.json: a few units of each of the template's four
# levels) into a running handler through its own API, once: a marker in .local remembers it.
# Usage: load.sh BASE_URL OFFICE_KEY
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
base=$1 key=$2
marker="$LOCAL_DIR/demo-loaded"
[[ -f "$marker" ]] && exit 0

loaded=0
while IFS=$'\t' read -r id body; do
  code=$(curl -sS -o "$LOCAL_DIR/logs/demo.last" -w '%{http_code}' -X PUT "$base/api/units/$id" \
    -H "X-Office-Key: $key" -H 'Content-Type: application/json' --data-binary "$body")
  case "$code" in
    200|201|204) loaded=$((loaded + 1)) ;;
    404|405) say "Demo data skipped: this build has no units API yet."; exit 0 ;;
    *) cat "$LOCAL_DIR/logs/demo.last" >&2; die "loading demo unit '$id' answered $code" ;;
  esac
done < <(node -e '
  for (const u of require(process.argv[1])) {
    const { id, ...body } = u;
    console.log(id + "\t" + JSON.stringify(body));
  }' "$REPO_ROOT/scripts/demo/units.json")

touch "$marker"
say "Demo data loaded: $loaded units."
