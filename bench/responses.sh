#!/usr/bin/env bash
# Response-intake benchmark. Suara on SQLite, rate limit off, 64 concurrent clients on loopback
# (wrk, one thread, sharing the 2 cores), then under the same load the bare baseline (one-row
# insert) and the HTTP ceiling (Suara's parsing and checks, nothing stored). Prints throughput,
# latency percentiles, Suara / baseline and Suara / ceiling, Suara's peak RSS, and checks that
# every acknowledged response is in the database.
#   bash bench/responses.sh [seconds]     (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-20}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --features bench --bin suara --example bench_baseline 2>&1 | tail -n 1
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
URL_PATH=/api/v1/units/disdukcapil-kota-jambi/responses

count() { python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute('select count(*) from responses').fetchone()[0])" "$1"; }
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

echo "== Suara (SQLite, pool ${SUARA_DB_MAX_CONNECTIONS:-8}, group commit)"
SUARA_DATA_DIR="$work/suara" SUARA_PORT=18080 SUARA_PUBLIC_RATE_PER_MIN=0 SUARA_LOG=warn \
  ./target/release/suara > "$work/suara.log" 2>&1 &
suara_pid=$!
wait_port 18080
# Listening is not ready: the demo history is still being seeded through the same writer.
for _ in $(seq 1 600); do curl -sf http://127.0.0.1:18080/readyz >/dev/null 2>&1 && break; sleep 0.2; done
run_wrk 18080 suara
suara_rss=$(awk '/VmHWM/ {print $2}' "/proc/$suara_pid/status")
kill "$suara_pid"; wait "$suara_pid" 2>/dev/null || true
suara_rows=$(count "$work/suara/suara.db")

echo "== bare baseline (actix-web + one INSERT, SQLite WAL, pool 10)"
./target/release/examples/bench_baseline "$work/baseline.db" 18081 > "$work/baseline.log" 2>&1 &
base_pid=$!
wait_port 18081
run_wrk 18081 baseline
kill "$base_pid"; wait "$base_pid" 2>/dev/null || true
base_rows=$(count "$work/baseline.db")

echo "== HTTP ceiling (the same parsing and checks, nothing stored)"
./target/release/examples/bench_baseline - 18082 ceiling > "$work/ceiling.log" 2>&1 &
ceil_pid=$!
wait_port 18082
run_wrk 18082 ceiling
kill "$ceil_pid"; wait "$ceil_pid" 2>/dev/null || true

s_rps=$(rps "$work/suara.txt"); b_rps=$(rps "$work/baseline.txt"); c_rps=$(rps "$work/ceiling.txt")
s_ok=$(total "$work/suara.txt"); s_err=$(errors "$work/suara.txt"); s_err=${s_err:-0}
acked=$((s_ok - s_err))
echo
echo "| run | requests/s | p50 | p99 | acknowledged | rows in database |"
echo "|---|---|---|---|---|---|"
echo "| Suara | $s_rps | $(field "$work/suara.txt" 50%) | $(field "$work/suara.txt" 99%) | $acked | $suara_rows |"
echo "| baseline | $b_rps | $(field "$work/baseline.txt" 50%) | $(field "$work/baseline.txt" 99%) | $(total "$work/baseline.txt") | $base_rows |"
echo "| ceiling | $c_rps | $(field "$work/ceiling.txt" 50%) | $(field "$work/ceiling.txt" 99%) | $(total "$work/ceiling.txt") | (none) |"
python3 -c "print(f'Suara / baseline = {float(\"$s_rps\")/float(\"$b_rps\"):.2f}; Suara / ceiling = {float(\"$s_rps\")/float(\"$c_rps\"):.2f}')"
echo "Suara peak RSS: $((suara_rss / 1024)) MB"
if [ "$suara_rows" -lt "$acked" ]; then
  echo "LOST RESPONSES: $acked acknowledged, $suara_rows stored" >&2
  exit 1
fi
echo "every acknowledged response is stored ($acked acknowledged, $suara_rows rows; the difference is requests in flight when wrk stopped)"
