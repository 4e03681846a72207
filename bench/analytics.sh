#!/usr/bin/env bash
# Planner-analytics benchmark (issue: planner analytics). For each size: a fresh database,
# `suara seed-synthetic` timed, `suara serve` on a free loopback port (no demo units, rate limit
# off), a planner token, then one client (curl, one keep-alive connection, one request at a time,
# so p50 is latency, not throughput) asking
#   - a unit's 12-month monthly trend: GET /api/v1/analytics/units/{slug}?from=&to=&by=month
#     (the 12 whole months before this one, busiest synthetic unit by default);
#   - the province overview, all units, last whole quarter: GET /api/v1/analytics/overview?from=&to=
# Prints seed time, p50/p99 per endpoint, and the growth from the smallest to the largest size.
#
#   bash bench/analytics.sh [--responses M]... [--complaints K] [--units N] [--years Y]
#                           [--requests R] [--warmup W] [--unit SLUG] [--keep] [--no-build]
#
# Defaults: sizes 500000 and 5000000 responses, complaints = responses / 25 (20,000 and 200,000),
# 300 units, 3 years, 300 measured requests per endpoint after 20 warm-up requests.
# SQLite by default (a fresh file in a temp dir; BENCH_DIR chooses the parent directory).
# With DATABASE_URL=postgres://user@host:port/db, each size gets a freshly created database on
# that server (CREATE DATABASE through psql), dropped afterwards.
# The release binary is built in $CARGO_TARGET_DIR (default: the project's target/).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=()
COMPLAINTS=""
UNITS=300
YEARS=3
REQUESTS=300
WARMUP=20
SLUG=sint-0001
KEEP=0
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --responses) SIZES+=("${2//_/}"); shift 2 ;;
    --complaints) COMPLAINTS="${2//_/}"; shift 2 ;;
    --units) UNITS="$2"; shift 2 ;;
    --years) YEARS="$2"; shift 2 ;;
    --requests) REQUESTS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --unit) SLUG="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(500000 5000000)

# shellcheck source=bench/common.sh
source bench/common.sh

work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/suara-analytics.XXXXXX")
server_pid=""
pg_db=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$pg_db" ]; then psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 || true; fi
  if [ "$KEEP" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Periods: the 12 whole months before this one, and the last whole quarter.
today=$(date +%F)
this_month=$(date -d "$today" +%Y-%m-01)
TREND_FROM=$(date -d "$this_month -12 months" +%F)
TREND_TO=$(date -d "$this_month -1 day" +%F)
m=$((10#$(date -d "$today" +%m))); y=$(date -d "$today" +%Y)
q_start_m=$(( (m - 1) / 3 * 3 + 1 ))
this_q=$(printf '%04d-%02d-01' "$y" "$q_start_m")
Q_FROM=$(date -d "$this_q -3 months" +%F)
Q_TO=$(date -d "$this_q -1 day" +%F)
TREND_PATH="/api/v1/analytics/units/$SLUG?from=$TREND_FROM&to=$TREND_TO&by=month"
OVERVIEW_PATH="/api/v1/analytics/overview?from=$Q_FROM&to=$Q_TO"

now() { date +%s.%N; }

# measure label url token → prints "p50_ms p99_ms mean_ms n" and writes $work/label.times
measure() {
  local label=$1 url=$2 token=$3 cfg="$work/$1.curl"
  {
    echo "header = \"Authorization: Bearer $token\""
    echo 'write-out = "%{http_code} %{time_total}\n"'
    echo 'silent'
    for _ in $(seq 1 "$((WARMUP + REQUESTS))"); do
      echo "url = \"$url\""
      echo 'output = "/dev/null"'
    done
  } > "$cfg"
  curl -K "$cfg" > "$work/$label.raw"
  python3 - "$work/$label.raw" "$WARMUP" <<'EOF'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
bad = [r[0] for r in rows if r[0] != "200"]
if bad:
    sys.exit(f"{len(bad)} requests failed, statuses {sorted(set(bad))}")
t = sorted(float(r[1]) * 1000 for r in rows[int(sys.argv[2]):])
def pct(p):  # nearest rank
    import math
    return t[max(0, math.ceil(p / 100 * len(t)) - 1)]
print(f"{pct(50):.2f} {pct(99):.2f} {sum(t)/len(t):.2f} {len(t)}")
EOF
}

declare -A R
echo "== engine: $ENGINE; trend: $TREND_PATH; overview: $OVERVIEW_PATH"
echo "   $REQUESTS requests per endpoint after $WARMUP warm-up requests, one client, keep-alive"
for M in "${SIZES[@]}"; do
  K="${COMPLAINTS:-$((M / 25))}"
  echo
  echo "== $M responses, $K complaints, $UNITS units, $YEARS years ($ENGINE)"
  if [ "$ENGINE" = postgres ]; then
    pg_db="suara_bench_$$_$M"
    PGOPTIONS=--client-min-messages=warning psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS \"$pg_db\"" >/dev/null
    psql "$ADMIN_URL" -qAtc "CREATE DATABASE \"$pg_db\"" >/dev/null
    base="${ADMIN_URL%%\?*}"; query=""
    [ "$base" != "$ADMIN_URL" ] && query="?${ADMIN_URL#*\?}"
    DB_URL="${base%/*}/$pg_db$query"
  else
    rm -f "$work"/suara.db*
    DB_URL="sqlite://$work/suara.db?mode=rwc"
  fi
  export DATABASE_URL="$DB_URL" SUARA_DATA_DIR="$work/data" SUARA_SEED_DEMO=false \
    SUARA_PUBLIC_RATE_PER_MIN=0 SUARA_LOG=warn

  t0=$(now)
  "$BIN" seed-synthetic --units "$UNITS" --responses "$M" --complaints "$K" --years "$YEARS" \
    2> "$work/seed.log" > /dev/null || { tr '\r' '\n' < "$work/seed.log" | tail -n 20 >&2; exit 1; }
  t1=$(now)
  seed_s=$(python3 -c "print(f'{$t1 - $t0:.1f}')")
  tr '\r' '\n' < "$work/seed.log" | grep '^seeded' || true
  if [ "$ENGINE" = postgres ]; then
    size=$(psql "$ADMIN_URL" -qAtc "SELECT pg_size_pretty(pg_database_size('$pg_db'))")
  else
    size=$(du -ch "$work"/suara.db* | tail -n 1 | cut -f1)
  fi
  echo "   seed-synthetic: $seed_s s (database $size)"
  if [ "$ENGINE" = postgres ]; then
    # Where the bytes are: tables with their indexes (the monthly partitions of responses as
    # one), in bytes per response.
    psql "$DB_URL" -qAtF ' ' -c "SELECT CASE WHEN c.relname LIKE 'responses_%' THEN 'responses' ELSE c.relname END,
        SUM(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' GROUP BY 1 ORDER BY 2 DESC LIMIT 6" \
      | while read -r t b; do echo "     $t: $((b / 1048576)) MB, $((b / M)) B a response"; done
  fi

  email="planner-$M@bench.local"
  "$BIN" user create --email "$email" --role planner > /dev/null
  token=$("$BIN" token create --email "$email" --name bench | grep '^sua_' | tail -n 1)

  port=$(free_port)
  SUARA_PORT=$port SUARA_ADDR=127.0.0.1 "$BIN" serve > "$work/serve.log" 2>&1 &
  server_pid=$!
  wait_port "$port" "$server_pid"

  # Sanity: what the two answers contain.
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$TREND_PATH" \
    | python3 -c 'import json,sys;a=json.load(sys.stdin);t=a["total"];print("   trend:", len(a["series"]), "periods,", t["responses"], "responses,", t["complaints"]["total"], "complaints")'
  curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$OVERVIEW_PATH" \
    | python3 -c 'import json,sys;o=json.load(sys.stdin);t=o["total"];print("   overview:", len(o["units"]), "units,", t["responses"], "responses,", t["complaints"]["total"], "complaints")'

  read -r tp50 tp99 tmean tn < <(measure trend "http://127.0.0.1:$port$TREND_PATH" "$token")
  echo "   trend:    p50 $tp50 ms, p99 $tp99 ms, mean $tmean ms ($tn requests)"
  read -r op50 op99 omean on < <(measure overview "http://127.0.0.1:$port$OVERVIEW_PATH" "$token")
  echo "   overview: p50 $op50 ms, p99 $op99 ms, mean $omean ms ($on requests)"

  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
  if [ "$ENGINE" = postgres ]; then
    psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null; pg_db=""
  else
    rm -f "$work"/suara.db*
  fi
  R[$M]="$K|$seed_s|$size|$tp50|$tp99|$op50|$op99"
done

echo
echo "| engine | responses | complaints | seed-synthetic | database | trend p50 | trend p99 | overview p50 | overview p99 |"
echo "|---|---|---|---|---|---|---|---|---|"
for M in "${SIZES[@]}"; do
  IFS='|' read -r K s sz a b c d <<< "${R[$M]}"
  printf '| %s | %s | %s | %s s | %s | %s ms | %s ms | %s ms | %s ms |\n' "$ENGINE" "$M" "$K" "$s" "$sz" "$a" "$b" "$c" "$d"
done
if [ ${#SIZES[@]} -gt 1 ]; then
  lo=${SIZES[0]}; hi=${SIZES[-1]}
  IFS='|' read -r _ _ _ a1 _ c1 _ <<< "${R[$lo]}"
  IFS='|' read -r _ _ _ a2 _ c2 _ <<< "${R[$hi]}"
  python3 -c "print(f'growth {$hi}/{$lo} responses (p50): trend {$a2/$a1:.2f}x, overview {$c2/$c1:.2f}x')"
fi
