# Shared by the project's scripts. Source it; do not run it.
# Every install step is idempotent and quiet on success: output goes to a log that is shown
# only when the step fails.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL_DIR="$REPO_ROOT/.local"          # git-ignored: Azurite data, dev secrets, logs
mkdir -p "$LOCAL_DIR/logs"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export NUGET_XMLDOC_MODE=skip

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# run_quiet LOGNAME CMD...: runs CMD with its output in a log; prints the log only on failure.
run_quiet() {
  local log="$LOCAL_DIR/logs/$1.log"; shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    die "'$*' failed (log: $log)"
  fi
}

require_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET SDK 10 is required (dotnet not found on PATH)"
}

require_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || die "Node.js 20 and npm are required (node/npm not found on PATH)"
}

# Installs the npm dev tools (Azurite) pinned by package-lock.json, when missing or out of date.
ensure_node_tools() {
  require_node
  local stamp="$REPO_ROOT/node_modules/.package-lock.json"
  if [[ ! -x "$REPO_ROOT/node_modules/.bin/azurite" || "$REPO_ROOT/package-lock.json" -nt "$stamp" ]]; then
    (cd "$REPO_ROOT" && run_quiet npm-ci npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Installs Debian's chromium for browser tests, when missing (needs root, as on CI machines).
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return 0
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  run_quiet apt-update $sudo apt-get update -qq
  run_quiet apt-chromium env DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium
}

# Installs Debian's wrk (HTTP load generator, scriptable in Lua) for the benchmarks, when missing.
ensure_load_tool() {
  command -v wrk >/dev/null 2>&1 && return 0
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  run_quiet apt-update $sudo apt-get update -qq
  run_quiet apt-wrk env DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  local port=$1 tries=${2:-200}
  until port_open "$port"; do
    tries=$((tries - 1)); [[ $tries -gt 0 ]] || return 1
    sleep 0.1
  done
}

# start_azurite BLOB QUEUE TABLE [DATA_DIR]: starts Azurite in the background (in memory when no
# DATA_DIR) and sets AZURITE_PID. The caller stops it with stop_azurite.
start_azurite() {
  local blob=$1 queue=$2 table=$3 data=${4:-}
  local args=(--silent --skipApiVersionCheck --loose --disableProductStyleUrl
    --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue"
    --tableHost 127.0.0.1 --tablePort "$table")
  if [[ -n "$data" ]]; then mkdir -p "$data"; args+=(--location "$data"); else args+=(--inMemoryPersistence); fi
  (cd "${data:-$LOCAL_DIR}" && exec "$REPO_ROOT/node_modules/.bin/azurite" "${args[@]}") >"$LOCAL_DIR/logs/azurite.log" 2>&1 &
  AZURITE_PID=$!
  for port in "$blob" "$queue" "$table"; do
    wait_for_port "$port" || { cat "$LOCAL_DIR/logs/azurite.log" >&2; die "Azurite did not start on port $port"; }
  done
}

stop_azurite() {
  if [[ -n "${AZURITE_PID:-}" ]] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
  AZURITE_PID=""
}

# start_azurite_on_free_ports: an in-memory Azurite of this script's own, stopped when the script
# exits; sets AZURITE_CONNECTION_STRING.
start_azurite_on_free_ports() {
  local blob queue table
  blob=$(free_port); queue=$(free_port); table=$(free_port)
  start_azurite "$blob" "$queue" "$table"
  trap stop_azurite EXIT
  AZURITE_CONNECTION_STRING=$(azurite_connection_string "$blob" "$queue" "$table")
}

azurite_connection_string() {
  local blob=$1 queue=$2 table=$3
  printf 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:%s/devstoreaccount1;QueueEndpoint=http://127.0.0.1:%s/devstoreaccount1;TableEndpoint=http://127.0.0.1:%s/devstoreaccount1;' "$blob" "$queue" "$table"
}

random_key() { head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '/+' '_-'; }
