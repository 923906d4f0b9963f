#!/usr/bin/env bash
# Runs the app on this machine with its embedded defaults: Azurite (data in .local/azurite),
# the handler on http://localhost:7071 with local timer and blob triggers, demo data loaded once.
# Ctrl+C stops the handler and the Azurite this script started.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$REPO_ROOT"

require_dotnet
ensure_node_tools

# Development secrets: generated once, kept in the git-ignored .local folder (the first
# administrator's too, added to a file made before accounts existed).
secrets="$LOCAL_DIR/dev-secrets.env"
umask 077
if [[ ! -f "$secrets" ]]; then
  printf 'Office__ApiKey=%s\nLinks__SigningKey=%s\n' "$(random_key)" "$(random_key)" >"$secrets"
fi
if ! grep -q '^Office__FirstAdministratorPassword=' "$secrets"; then
  password=$(random_key)
  printf 'Office__FirstAdministrator=quantri\nOffice__FirstAdministratorPassword=%s\n' "${password:0:16}" >>"$secrets"
fi
umask 022
set -a; source "$secrets"; set +a

# Storage: the emulator on its usual ports, unless one is already listening there.
if port_open 10000 && port_open 10002; then
  say "Azurite is already listening on 10000-10002; using it."
else
  start_azurite 10000 10001 10002 "$LOCAL_DIR/azurite"
  trap stop_azurite EXIT
fi

export AzureWebJobsStorage="${AzureWebJobsStorage:-UseDevelopmentStorage=true}"
export FUNCTIONS_CUSTOMHANDLER_PORT="${FUNCTIONS_CUSTOMHANDLER_PORT:-7071}"
export LocalTriggers__Enabled=true
# The demo's mail: a sender and the office's addresses, so the outbox reads as it will in service
# ("Chỉ ghi lại, chưa gửi: chưa cấu hình dịch vụ gửi thư" until SendGrid__ApiKey is set, then sent).
export Email__From="${Email__From:-Văn phòng Đảng ủy <no-reply@example.invalid>}"
export Email__Office="${Email__Office:-vanphong.dangu@example.invalid}"
export Escalation__Recipients="${Escalation__Recipients:-bantv.dangu@example.invalid, ubkt.dangu@example.invalid}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
base="http://localhost:$FUNCTIONS_CUSTOMHANDLER_PORT"

run_quiet build-run dotnet build Functions/Functions.csproj -c Release --nologo -v q
dotnet Functions/bin/Release/net10.0/ServerlessWorkflow.Functions.dll --contentRoot "$REPO_ROOT" >"$LOCAL_DIR/logs/handler.log" 2>&1 &
handler=$!
trap 'kill $handler 2>/dev/null || true; wait $handler 2>/dev/null || true; stop_azurite' EXIT INT TERM

for _ in $(seq 1 300); do
  curl -fsS "$base/api/health" >/dev/null 2>&1 && break
  kill -0 "$handler" 2>/dev/null || { cat "$LOCAL_DIR/logs/handler.log" >&2; die "the handler stopped during start-up"; }
  sleep 0.1
done
curl -fsS "$base/api/health" >/dev/null || die "the handler did not become healthy (log: $LOCAL_DIR/logs/handler.log)"

bash "$REPO_ROOT/scripts/demo/load.sh" "$base" "$Office__ApiKey"

# The first administrator: created from the settings above at its first sign-in, which this does
# through the sign-in form (its page, its token, its cookie), so the account is there and the
# credentials printed below are known to work.
jar="$LOCAL_DIR/admin-cookies.txt"; rm -f "$jar"
token=$(curl -fsS -c "$jar" "$base/office/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" -X POST "$base/office/login" \
  --data-urlencode "csrf=$token" --data-urlencode "name=$Office__FirstAdministrator" --data-urlencode "password=$Office__FirstAdministratorPassword")
rm -f "$jar"
[[ "$status" == 303 ]] || die "the first administrator could not sign in (answered $status; log: $LOCAL_DIR/logs/handler.log)"

cat <<INFO

  The app is running.
    Office:          $base/office         (sign in with the administrator below)
    Administrator:   $Office__FirstAdministrator / $Office__FirstAdministratorPassword
                     (adds the staff's accounts — văn phòng, ban xây dựng đảng, thường trực — at $base/office/accounts)
    Error reports:   $base/bao-sai-sot    (the public form for members)
    Health:          $base/api/health
    API (OpenAPI):   $base/api/openapi.json
    Program key:     $Office__ApiKey      (header X-Office-Key; more keys at $base/office/keys)
    Mail:            from $Email__From; recorded in Thư đã gửi, sent only when SendGrid__ApiKey is set
    Storage:         Azurite on 127.0.0.1:10000 (blob), 10002 (table); data in .local/azurite
    Handler log:     .local/logs/handler.log
  Local triggers are on: CheckDeadlines runs on its schedule; uploads under 'uploads/' are imported.
  Press Ctrl+C to stop.

INFO
wait "$handler"
