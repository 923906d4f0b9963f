#!/usr/bin/env bash
# Re-makes Tests/Fixtures/lunar/thang-am-lich.txt, the reference table the lunar calendar is checked
# against day by day: every lunar month that begins between 01/12/2023 and 01/03/2036, as the day it
# begins (Vietnam time, UTC+7) and its number (n = leap month). It is computed independently of
# Domain/Calendar/LunarCalendar.cs: new moons and the sun's entry into each 30° sign from the
# astronomy-engine npm package (VSOP87 and a full lunar theory, not Meeus' truncated series), and the
# calendar's rule applied to them: month 11 holds the winter solstice; a 13-month year repeats its
# first month without a major solar term. Not run by CI (the tests read the committed file).
# Published dates it agrees with: every Tết and Giỗ Tổ Hùng Vương of 2024–2035 (see LunarCalendarTests).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run_quiet npm-astronomy npm install --prefix "$work" --no-save --no-audit --no-fund astronomy-engine@2.1.19
cat > "$work/months.js" <<'JS'
const A = require('astronomy-engine');
const day = t => new Date(t.date.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
const moons = [];
for (let t = A.MakeTime(new Date(Date.UTC(2021, 9, 1))); ;) {
  const nm = A.SearchMoonPhase(0, t, 40);
  if (nm.date.getUTCFullYear() > 2037) break;
  moons.push(day(nm));
  t = nm.AddDays(20);
}
const terms = [];
for (let y = 2021; y <= 2037; y++)
  for (let lon = 0; lon < 360; lon += 30)
    terms.push([day(A.SearchSunLongitude(lon, A.MakeTime(new Date(Date.UTC(y, 0, 1))), 366)), lon]);
const months = moons.slice(0, -1).map((start, i) =>
  ({ start, terms: terms.filter(([d]) => d >= start && d < moons[i + 1]).map(([, l]) => l) }));
const elevens = months.map((m, i) => m.terms.includes(270) ? i : -1).filter(i => i >= 0);
const out = [];
for (let e = 0; e + 1 < elevens.length; e++) {
  const a = elevens[e], b = elevens[e + 1];
  let leap = -1;
  if (b - a === 13) for (let i = a + 1; i < b && leap < 0; i++) if (months[i].terms.length === 0) leap = i;
  for (let i = a, n = 11; i < b; i++) {
    if (i > a && i !== leap) n = n % 12 + 1;
    out.push(`${months[i].start} ${n}${i === leap ? 'n' : ''}`);
  }
}
console.log(out.filter(l => l >= '2023-12-01' && l < '2036-03-01').join('\n'));
JS
{
  echo "# Lunar months (Vietnam, UTC+7) beginning 01/12/2023–01/03/2036: first day, month number (n = leap)."
  echo "# Made by scripts/regenerate-lunar-fixture.sh from astronomy-engine 2.1.19; do not edit by hand."
  node "$work/months.js"
} > "$REPO_ROOT/Tests/Fixtures/lunar/thang-am-lich.txt"
echo "wrote Tests/Fixtures/lunar/thang-am-lich.txt"
