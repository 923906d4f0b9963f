#!/usr/bin/env bash
# Builds the deployable Functions package: host.json at the root, one folder per function
# (its function.json, gathered from beside the code that serves it), and the handler published
# self-contained for linux-x64 under handler/ (host.json's defaultExecutablePath).
# Usage: package.sh [OUTPUT_DIR]   (default artifacts/package; a .zip is written beside it)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"
require_dotnet

out=$(realpath -m "${1:-artifacts/package}")
rm -rf "$out" "$out.zip"
mkdir -p "$out"

run_quiet publish dotnet publish Functions/Functions.csproj -c Release -r linux-x64 --self-contained true \
  -p:DebugType=none --nologo -v q -o "$out/handler"
cp host.json "$out/host.json"

while IFS= read -r manifest; do
  name=$(basename "$(dirname "$manifest")")
  [[ -e "$out/$name" ]] && die "two functions are named '$name'"
  mkdir -p "$out/$name"
  cp "$manifest" "$out/$name/function.json"
done < <(find Functions -name function.json -not -path '*/bin/*' -not -path '*/obj/*' | sort)

exe=$(node -e 'console.log(require(process.argv[1]).customHandler.description.defaultExecutablePath)' "$out/host.json")
[[ -x "$out/$exe" ]] || die "host.json points at '$exe', which is not an executable in the package"

(cd "$out" && python3 -m zipfile -c "$out.zip" * >/dev/null 2>&1) || say "python3 not found: no zip written"
say "Package: $out"
