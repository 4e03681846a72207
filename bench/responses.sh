#!/usr/bin/env bash
# Response-intake benchmark. Suara, rate limit off, 64 concurrent clients on loopback (wrk, one
# thread, sharing the 2 cores), then under the same load the bare baseline (one-row insert) and
# the HTTP ceiling (Suara's parsing and checks, nothing stored). Prints throughput, latency
# percentiles, Suara / baseline and Suara / ceiling, Suara's peak RSS, and checks that every
# acknowledged response is in the database.
#   bash bench/responses.sh [seconds]     (default 20) — SQLite, a fresh file per server
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/responses.sh [seconds]
#       — PostgreSQL: a fresh database per server (created on that server, dropped afterwards),
#         the baseline inserting into PostgreSQL, and a fourth run: two Suara processes on one
#         database, 32 connections each, at the same time.
#   LIMITS=on …  — Suara with the public rate limit on (set so high it never refuses): every
#         request is counted, in memory on SQLite, in the shared bucket table on PostgreSQL (all
#         wrk connections come from 127.0.0.1, so they all update one bucket: the worst case).
#   LIMITS=on CLIENTS=5000 …  — the same, the load spread over 5,000 client addresses.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-20}"
if [ "${LIMITS:-off}" = on ]; then RATE=100000000; BURST=100000000; else RATE=0; BURST=120; fi
# CLIENTS=N (with LIMITS=on): the load claims N client addresses (bench/response.lua), believed
# because the bench's own address is then a trusted proxy.
export CLIENTS="${CLIENTS:-0}"
if [ "$CLIENTS" -gt 0 ]; then export SUARA_TRUSTED_PROXIES=127.0.0.1; fi
ADMIN_URL="${DATABASE_URL:-}"
unset DATABASE_URL SUARA_DATABASE_URL
case "$ADMIN_URL" in
  postgres://*|postgresql://*) ENGINE=postgres ;;
  "") ENGINE=sqlite ;;
  *) echo "DATABASE_URL must be postgres://… (or unset for SQLite)" >&2; exit 2 ;;
esac
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
[ "$ENGINE" = postgres ] && { command -v psql >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }; }
cargo build --release --features bench --bin suara --example bench_baseline 2>&1 | tail -n 1
work=$(mktemp -d)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  if [ "$ENGINE" = postgres ]; then
    for d in $(psql "$ADMIN_URL" -qAtc "SELECT datname FROM pg_database WHERE datname LIKE 'intake_$$_%'"); do
      psql "$ADMIN_URL" -qAtc "DROP DATABASE IF EXISTS $d WITH (FORCE)" >/dev/null 2>&1 || true
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
URL_PATH=/api/v1/units/disdukcapil-kota-jambi/responses

# A fresh database: a SQLite file under $work, or a new database on the PostgreSQL server.
new_db() { # name → URL
  if [ "$ENGINE" = postgres ]; then
    local d="intake_$$_$1"
    psql "$ADMIN_URL" -qAtc "CREATE DATABASE $d" >/dev/null
    echo "${ADMIN_URL%/*}/$d"
  else
    mkdir -p "$work/$1"
    echo "sqlite://$work/$1/suara.db?mode=rwc"
  fi
}
count() { # URL → rows in responses
  case "$1" in
    postgres*) psql "$1" -qAtc "select count(*) from responses" ;;
    *) local f="${1#sqlite://}"; f="${f%%\?*}"
       python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute('select count(*) from responses').fetchone()[0])" "$f" ;;
  esac
}
wait_port() { for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "server on :$1 did not start" >&2; exit 1; }
run_wrk() { # port label
  wrk -t1 -c64 -d"${DUR}s" --latency -s bench/response.lua "http://127.0.0.1:$1$URL_PATH" > "$work/$2.txt"
  cat "$work/$2.txt"
}
field() { # file pattern → value
  awk -v p="$2" '$1 == p {print $2}' "$1"
}
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
total() { awk '/requests in/ {print $1}' "$1"; }
errors() { awk '/Non-2xx/ {print $5} END {}' "$1" | head -n1; }

echo "== Suara ($ENGINE, group commit, rate limit ${LIMITS:-off})"
suara_url=$(new_db suara)
DATABASE_URL="$suara_url" SUARA_DATA_DIR="$work/suara-data" SUARA_PORT=18080 \
  SUARA_PUBLIC_RATE_PER_MIN=$RATE SUARA_PUBLIC_RATE_BURST=$BURST SUARA_LOG=warn ./target/release/suara > "$work/suara.log" 2>&1 &
suara_pid=$!
wait_port 18080
# Listening is not ready: the demo history is still being seeded through the same writer.
for _ in $(seq 1 600); do curl -sf http://127.0.0.1:18080/readyz >/dev/null 2>&1 && break; sleep 0.2; done
suara_before=$(count "$suara_url")
run_wrk 18080 suara
suara_rss=$(awk '/VmHWM/ {print $2}' "/proc/$suara_pid/status")
kill "$suara_pid"; wait "$suara_pid" 2>/dev/null || true
suara_rows=$(( $(count "$suara_url") - suara_before ))

echo "== bare baseline (actix-web + one INSERT, $ENGINE)"
if [ "$ENGINE" = postgres ]; then base_url=$(new_db baseline); base_arg="$base_url"
else base_arg="$work/baseline.db"; base_url="sqlite://$base_arg"; fi
./target/release/examples/bench_baseline "$base_arg" 18081 > "$work/baseline.log" 2>&1 &
base_pid=$!
wait_port 18081
run_wrk 18081 baseline
kill "$base_pid"; wait "$base_pid" 2>/dev/null || true
base_rows=$(count "$base_url")

echo "== HTTP ceiling (the same parsing and checks, nothing stored)"
./target/release/examples/bench_baseline - 18082 ceiling > "$work/ceiling.log" 2>&1 &
ceil_pid=$!
wait_port 18082
run_wrk 18082 ceiling
kill "$ceil_pid"; wait "$ceil_pid" 2>/dev/null || true

if [ "$ENGINE" = postgres ]; then
  echo "== two Suara processes on one database, 32 connections each, at the same time"
  two_url=$(new_db two)
  pids=()
  for p in 18083 18084; do
    DATABASE_URL="$two_url" SUARA_DATA_DIR="$work/two-$p" SUARA_PORT=$p SUARA_PUBLIC_RATE_PER_MIN=$RATE SUARA_PUBLIC_RATE_BURST=$BURST \
      SUARA_LOG=warn ./target/release/suara > "$work/two-$p.log" 2>&1 &
    pids+=($!)
    wait_port $p
    for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
  done
  two_before=$(count "$two_url")
  wrk -t1 -c32 -d"${DUR}s" --latency -s bench/response.lua "http://127.0.0.1:18083$URL_PATH" > "$work/two-a.txt" &
  wa=$!
  wrk -t1 -c32 -d"${DUR}s" --latency -s bench/response.lua "http://127.0.0.1:18084$URL_PATH" > "$work/two-b.txt" &
  wb=$!
  wait "$wa" "$wb"
  cat "$work/two-a.txt" "$work/two-b.txt"
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
  two_rows=$(( $(count "$two_url") - two_before ))
  ea=$(errors "$work/two-a.txt"); eb=$(errors "$work/two-b.txt")
  two_acked=$(( $(total "$work/two-a.txt") + $(total "$work/two-b.txt") - ${ea:-0} - ${eb:-0} ))
  two_rps=$(python3 -c "print(round(float('$(rps "$work/two-a.txt")') + float('$(rps "$work/two-b.txt")'), 2))")
fi

s_rps=$(rps "$work/suara.txt"); b_rps=$(rps "$work/baseline.txt"); c_rps=$(rps "$work/ceiling.txt")
s_ok=$(total "$work/suara.txt"); s_err=$(errors "$work/suara.txt"); s_err=${s_err:-0}
acked=$((s_ok - s_err))
echo
echo "| run | requests/s | p50 | p99 | acknowledged | rows added |"
echo "|---|---|---|---|---|---|"
echo "| Suara | $s_rps | $(field "$work/suara.txt" 50%) | $(field "$work/suara.txt" 99%) | $acked | $suara_rows |"
echo "| baseline | $b_rps | $(field "$work/baseline.txt" 50%) | $(field "$work/baseline.txt" 99%) | $(total "$work/baseline.txt") | $base_rows |"
echo "| ceiling | $c_rps | $(field "$work/ceiling.txt" 50%) | $(field "$work/ceiling.txt" 99%) | $(total "$work/ceiling.txt") | (none) |"
[ "$ENGINE" = postgres ] && echo "| two Suara nodes | $two_rps | $(field "$work/two-a.txt" 50%) / $(field "$work/two-b.txt" 50%) | $(field "$work/two-a.txt" 99%) / $(field "$work/two-b.txt" 99%) | $two_acked | $two_rows |"
python3 -c "print(f'Suara / baseline = {float(\"$s_rps\")/float(\"$b_rps\"):.2f}; Suara / ceiling = {float(\"$s_rps\")/float(\"$c_rps\"):.2f}')"
echo "Suara peak RSS: $((suara_rss / 1024)) MB"
if [ "$suara_rows" -lt "$acked" ]; then
  echo "LOST RESPONSES: $acked acknowledged, $suara_rows stored" >&2
  exit 1
fi
if [ "$ENGINE" = postgres ] && [ "$two_rows" -lt "$two_acked" ]; then
  echo "LOST RESPONSES on two nodes: $two_acked acknowledged, $two_rows stored" >&2
  exit 1
fi
echo "every acknowledged response is stored ($acked acknowledged, $suara_rows rows added; more rows than acknowledgements are requests in flight when wrk stopped)"
