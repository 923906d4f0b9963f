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

# A demo directive (dispatch 643's three tasks) with deadlines around today, so the dashboard has
# something on time, something due soon and something overdue to show.
directive=$(node -e '
  const day = n => { const d = new Date(Date.now() + 7 * 3600e3 + n * 864e5); return d.toISOString().slice(0, 10); };
  const units = ["dang-bo-so-tai-chinh/*", "dang-bo-so-xay-dung/*", "chi-bo-van-phong-ubnd"];
  console.log(JSON.stringify({
    number: "643-CV/ĐU", issuedOn: day(-10), issuer: "Đảng ủy UBND tỉnh",
    subject: "Triển khai Hệ thống thông tin giải quyết thủ tục hành chính của Đảng",
    tasks: [
      { title: "Rà soát, bổ sung thông tin cán bộ quản trị, vận hành hệ thống", kind: "confirmation", deadline: day(-3), units },
      { title: "Chỉ đạo đảng viên cài đặt ứng dụng iCPV và khai báo thông tin", kind: "confirmation", deadline: day(4), units },
      // the ready-made 643 template; each cơ sở reports for its whole branch, so only the cơ sở are assigned.
      { title: "Gửi báo cáo kết quả thực hiện theo mẫu gửi kèm", kind: "statistics", deadline: day(8),
        units: ["dang-bo-so-tai-chinh", "dang-bo-so-xay-dung", "chi-bo-van-phong-ubnd"], template: "643", coverage: "branch" },
    ],
  }));')
code=$(curl -sS -o "$LOCAL_DIR/logs/demo.last" -w '%{http_code}' -X POST "$base/api/directives" \
  -H "X-Office-Key: $key" -H 'Content-Type: application/json' --data-binary "$directive")
[[ "$code" == 201 ]] || { cat "$LOCAL_DIR/logs/demo.last" >&2; die "registering the demo directive answered $code"; }

touch "$marker"
say "Demo data loaded: $loaded units and one directive."
