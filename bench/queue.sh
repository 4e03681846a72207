#!/usr/bin/env bash
# Measured-waits benchmark (issue: measured waits). One `suara serve` on a fresh database with the
# demo units, a supervisor token of the demo hospital, then:
#   1. ingest: FILES day files of 100,000 stamps each (25,000 tickets: issued, called, started,
#      finished; three services) posted as CSV to POST /api/v1/units/{slug}/queue/events, one at a
#      time; events per second from curl's own timer. The baseline, run beside it on the same
#      engine: the same rows inserted into a bare table with the same key (SQLite: python's
#      sqlite3 executemany in one transaction; PostgreSQL: psql \copy). Then one file resent
#      (every stamp a duplicate).
#   2. summary: a year of a 5,000-tickets-a-day unit (365 days × 10,000 stamps, posted through
#      the same API), then GET /api/v1/units/{slug}/queue/summary over the year by month, one
#      client, keep-alive: p50/p99 against GET /healthz (the HTTP floor) in the same run.
#
#   bash bench/queue.sh [--files N] [--requests R] [--no-year] [--keep] [--no-build]
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/queue.sh   (PostgreSQL:
#       a fresh database on that server, dropped afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."

FILES=3
REQUESTS=100
YEAR=1
KEEP=0
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --files) FILES="$2"; shift 2 ;;
    --requests) REQUESTS="$2"; shift 2 ;;
    --no-year) YEAR=0; shift ;;
    --keep) KEEP=1; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/common.sh
source bench/common.sh
SLUG=rsud-raden-mattaher

work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/suara-queue.XXXXXX")
server_pid=""
pg_db=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$pg_db" ]; then psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 || true; fi
  if [ "$KEEP" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [ "$ENGINE" = postgres ]; then
  pg_db="suara_queue_$$"
  psql "$ADMIN_URL" -qAtc "CREATE DATABASE \"$pg_db\"" >/dev/null
  DB_URL="${ADMIN_URL%/*}/$pg_db"
else
  DB_URL="sqlite://$work/suara.db?mode=rwc"
fi
export DATABASE_URL="$DB_URL" SUARA_DATA_DIR="$work/data" SUARA_SEED_DEMO=true \
  SUARA_SEED_DEMO_HISTORY=false SUARA_PUBLIC_RATE_PER_MIN=0 SUARA_LOG=warn SUARA_QUEUE_BODY_LIMIT_MB=64
"$BIN" migrate > /dev/null
"$BIN" seed-demo > /dev/null
"$BIN" user create --email antrean@bench.local --role supervisor --unit "$SLUG" > /dev/null
token=$("$BIN" token create --email antrean@bench.local --name bench | grep '^sua_' | tail -n 1)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
SUARA_PORT=$port SUARA_ADDR=127.0.0.1 "$BIN" serve > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$port"

# day_file DAYS_AGO TICKETS EVENTS_PER_TICKET FILE: a day's CSV (waits 2–90 min, service 3–20).
day_file() {
  python3 - "$@" <<'EOF'
import datetime, random, sys
ago, tickets, per, path = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
day = datetime.date.today() - datetime.timedelta(days=ago)
rng = random.Random(ago)
services = ["rawat-jalan", "farmasi", "igd"]
start = datetime.datetime(day.year, day.month, day.day, 7, 0)
with open(path, "w") as f:
    f.write("ticket,service,event,at,counter\n")
    for i in range(tickets):
        s = services[i % 3]
        issued = start + datetime.timedelta(seconds=rng.randint(0, 8 * 3600))
        called = issued + datetime.timedelta(seconds=rng.randint(120, 5400))
        started = called + datetime.timedelta(seconds=30)
        finished = started + datetime.timedelta(seconds=rng.randint(180, 1200))
        stamps = [("issued", issued), ("called", called), ("started", started), ("finished", finished)][:per]
        for ev, t in stamps:
            f.write(f"T{i:06d},{s},{ev},{t.isoformat()}+07:00,{1 + i % 8}\n")
EOF
}

post_file() { # file → "status seconds"
  curl -s -o "$work/answer.json" -w '%{http_code} %{time_total}\n' -X POST \
    -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
    --data-binary "@$1" "$BASE/api/v1/units/$SLUG/queue/events"
}

# The baseline: the same rows into a bare table with the same key, on the same engine.
baseline() { # file → seconds
  if [ "$ENGINE" = postgres ]; then
    PGOPTIONS=--client-min-messages=warning psql "$DB_URL" -qAtc "DROP TABLE IF EXISTS bench_stamps; CREATE TABLE bench_stamps (ticket text, service text, event text, at timestamptz, counter text, PRIMARY KEY (service, ticket, event))" >/dev/null
    python3 - "$DB_URL" "$1" <<'EOF'
import subprocess, sys, time
t = time.perf_counter()
subprocess.run(["psql", sys.argv[1], "-qAtc", f"\\copy bench_stamps FROM '{sys.argv[2]}' WITH (FORMAT csv, HEADER true)"], check=True)
print(f"{time.perf_counter() - t:.3f}")
EOF
  else
    python3 - "$1" "$work/baseline.db" <<'EOF'
import csv, os, sqlite3, sys, time
if os.path.exists(sys.argv[2]): os.remove(sys.argv[2])
db = sqlite3.connect(sys.argv[2])
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
db.execute("CREATE TABLE bench_stamps (ticket text, service text, event text, at text, counter text, PRIMARY KEY (service, ticket, event))")
t = time.perf_counter()
with open(sys.argv[1]) as f:
    r = csv.reader(f); next(r)
    with db:
        db.executemany("INSERT OR IGNORE INTO bench_stamps VALUES (?,?,?,?,?)", r)
print(f"{time.perf_counter() - t:.3f}")
EOF
  fi
}

echo "== engine: $ENGINE; $FILES day files of 100,000 stamps (25,000 tickets)"
rates=(); ratios=()
for i in $(seq 1 "$FILES"); do
  day_file "$i" 25000 4 "$work/day$i.csv"
  read -r status secs < <(post_file "$work/day$i.csv")
  [ "$status" = 200 ] || { echo "ingest answered $status: $(head -c 300 "$work/answer.json")" >&2; exit 1; }
  accepted=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["accepted"])' "$work/answer.json")
  base=$(baseline "$work/day$i.csv")
  rate=$(python3 -c "print(round($accepted / $secs))")
  ratio=$(python3 -c "print(f'{$secs / $base:.1f}')")
  echo "   day $i: $accepted stamps in ${secs} s = $rate stamps/s; baseline insert ${base} s; Suara / baseline ${ratio}×"
  rates+=("$rate"); ratios+=("$ratio")
done
read -r status secs < <(post_file "$work/day1.csv")
dups=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["duplicates"])' "$work/answer.json")
echo "   resent day 1: $dups duplicates in ${secs} s"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "   median: $(median "${rates[@]}") stamps/s, Suara / baseline $(median "${ratios[@]}")×"

if [ "$YEAR" = 1 ]; then
  echo "== a year of 5,000 tickets a day (issued and called: 10,000 stamps a day)"
  t0=$(python3 -c 'import time;print(time.perf_counter())')
  total=0
  for d in $(seq 10 374); do
    day_file "$d" 5000 2 "$work/year.csv"
    read -r status secs < <(post_file "$work/year.csv")
    [ "$status" = 200 ] || { echo "ingest answered $status" >&2; exit 1; }
    total=$(python3 -c "print(round($total + $secs, 3))")
  done
  echo "   365 files posted: $total s in the server (curl's timers)"
  from=$(date -d "-374 days" +%F); to=$(date -d "-10 days" +%F)
  measure() { # path → "p50 p99"
    {
      echo "header = \"Authorization: Bearer $token\""
      echo 'write-out = "%{http_code} %{time_total}\n"'
      echo 'silent'
      for _ in $(seq 1 "$((REQUESTS + 10))"); do echo "url = \"$BASE$1\""; echo 'output = "/dev/null"'; done
    } > "$work/m.curl"
    curl -K "$work/m.curl" | python3 -c '
import math, sys
rows = [l.split() for l in sys.stdin if l.strip()][10:]
assert all(r[0] == "200" for r in rows), set(r[0] for r in rows)
t = sorted(float(r[1]) * 1000 for r in rows)
pct = lambda p: t[max(0, math.ceil(p / 100 * len(t)) - 1)]
print(f"{pct(50):.2f} {pct(99):.2f}")'
  }
  read -r sp50 sp99 < <(measure "/api/v1/units/$SLUG/queue/summary?from=$from&to=$to&by=month")
  read -r hp50 hp99 < <(measure "/healthz")
  curl -s -H "Authorization: Bearer $token" "$BASE/api/v1/units/$SLUG/queue/summary?from=$from&to=$to&by=month" \
    | python3 -c 'import json,sys;s=json.load(sys.stdin);t=s["total"];print("   summary:", t["tickets"], "tickets,", len(s["periods"]), "months, p50 wait", t["wait_p50"], "min")'
  echo "   summary over the year by month: p50 $sp50 ms, p99 $sp99 ms; /healthz p50 $hp50 ms; ratio $(python3 -c "print(f'{$sp50 / $hp50:.1f}')")×"
fi
