#!/usr/bin/env bash
# Raw-export benchmark (issue: national scale, part 3). One fresh database holding RESPONSES
# responses of one synthetic unit over YEARS years; then each binary in turn serves it (the
# build under test, and with BASELINE_BIN the build before, side by side on the same data) and
# one client downloads the unit's whole export as CSV:
#   GET /api/v1/units/sint-0001/responses?from=&to=
# Prints per binary: rows, bytes, seconds (curl's own timer), rows per second, the server's peak
# resident memory before and after the download (VmHWM), and whether the two downloads are the
# same bytes.
#
#   [DATABASE_URL=postgres://…] [BASELINE_BIN=/path/to/old/suara] \
#     bash bench/export.sh [--responses N] [--years Y] [--runs R] [--no-build]
#
# Defaults: 1,000,000 responses, 1 year, 2 runs per binary (the best is reported: the first
# run also warms the page cache). SQLite by default (a file in a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."

RESPONSES=1000000
YEARS=1
RUNS=2
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --responses) RESPONSES="${2//_/}"; shift 2 ;;
    --years) YEARS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/common.sh
source bench/common.sh

work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/suara-export.XXXXXX")
server_pid=""
pg_db=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$pg_db" ]; then psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$ENGINE" = postgres ]; then
  pg_db="suara_export_$$"
  psql "$ADMIN_URL" -qAtc "CREATE DATABASE \"$pg_db\"" >/dev/null
  base="${ADMIN_URL%%\?*}"
  DB_URL="${base%/*}/$pg_db"
else
  DB_URL="sqlite://$work/suara.db?mode=rwc"
fi
export DATABASE_URL="$DB_URL" SUARA_DATA_DIR="$work/data" SUARA_SEED_DEMO=false \
  SUARA_PUBLIC_RATE_PER_MIN=0 SUARA_LOG=warn

echo "== $ENGINE: seeding $RESPONSES responses of one unit over $YEARS year(s)"
# The baseline seeds (a newer build migrates its database forward; an older one refuses a
# newer database) and is measured first.
SEEDER="${BASELINE_BIN:-$BIN}"
"$SEEDER" seed-synthetic --units 1 --responses "$RESPONSES" --complaints 0 --years "$YEARS" \
  2> "$work/seed.log" > /dev/null || { tr '\r' '\n' < "$work/seed.log" | tail -n 20 >&2; exit 1; }
"$SEEDER" user create --email planner@bench.local --role planner > /dev/null
token=$("$SEEDER" token create --email planner@bench.local --name bench | grep '^sua_' | tail -n 1)

FROM=$(date -d "$(date +%F) -$((YEARS + 1)) years" +%F)
TO=$(date +%F)
URL_PATH="/api/v1/units/sint-0001/responses?from=$FROM&to=$TO"

hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# run label binary → prints "rows bytes seconds rows_per_s rss_before_kb rss_after_kb sha256"
run() {
  local label=$1 bin=$2 port best="" line
  port=$(free_port)
  SUARA_PORT=$port SUARA_ADDR=127.0.0.1 "$bin" serve > "$work/serve.log" 2>&1 &
  server_pid=$!
  wait_port "$port" "$server_pid"
  local before; before=$(hwm "$server_pid")
  for _ in $(seq 1 "$RUNS"); do
    t=$(curl -sf -H "Authorization: Bearer $token" -o "$work/$label.csv" -w '%{time_total}' \
      "http://127.0.0.1:$port$URL_PATH")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
  done
  local after; after=$(hwm "$server_pid")
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  local rows bytes sum
  rows=$(( $(wc -l < "$work/$label.csv") - 1 ))
  bytes=$(stat -c %s "$work/$label.csv")
  sum=$(sha256sum "$work/$label.csv" | cut -c1-16)
  line=$(python3 -c "print(f'$rows $bytes {$best:.2f} {$rows / $best:.0f} $before $after $sum')")
  echo "$line"
}

echo "| engine | build | rows | bytes | seconds | rows/s | peak RSS before → after | sha256 |"
echo "|---|---|---|---|---|---|---|---|"
if [ -n "${BASELINE_BIN:-}" ]; then
  read -r r2 b2 s2 rps2 n0 n1 h2 < <(run old "$BASELINE_BIN")
  echo "| $ENGINE | baseline | $r2 | $b2 | $s2 | $rps2 | $((n0 / 1024)) → $((n1 / 1024)) MB | $h2 |"
fi
read -r r b s rps m0 m1 h < <(run new "$BIN")
echo "| $ENGINE | this | $r | $b | $s | $rps | $((m0 / 1024)) → $((m1 / 1024)) MB | $h |"
if [ -n "${BASELINE_BIN:-}" ]; then
  if cmp -s "$work/new.csv" "$work/old.csv"; then echo "same bytes: yes"; else echo "same bytes: NO"; fi
  python3 -c "print(f'speed-up: {$rps / $rps2:.2f}x')"
fi
