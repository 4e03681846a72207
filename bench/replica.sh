#!/usr/bin/env bash
# A streaming replica on this machine, and Suara reading its analytics from it.
#   1. pg_basebackup -R from the primary (PRIMARY, default postgres://postgres@127.0.0.1:5432)
#      into a temporary directory, started as a hot standby on REPLICA_PORT (default 5433);
#      if the primary's pg_hba.conf has no replication line for 127.0.0.1, one is added
#      ("host replication all 127.0.0.1/32 trust") and the configuration reloaded;
#   2. a fresh database on the primary with `seed-synthetic` (RESPONSES, default 200000);
#   3. `suara serve` with DATABASE_URL on the primary and DATABASE_READ_URL on the replica;
#   4. 200 responses posted through Suara, then the time until the replica shows all of them,
#      and the planner overview served through Suara, with the rows the replica read for it
#      and Suara's connections there.
# Everything it made is removed at the end (the pg_hba.conf line stays).
#   bash bench/replica.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
PRIMARY="${PRIMARY:-postgres://postgres@127.0.0.1:5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
RESPONSES="${RESPONSES:-200000}"
BUILD=1
[ "${1:-}" = "--no-build" ] && BUILD=0
BIN_DIR="$(pg_config --bindir)"
TARGET="${CARGO_TARGET_DIR:-target}"
if [ "$BUILD" = 1 ]; then
  CARGO_TARGET_DIR="$TARGET" cargo build --release --bin suara 2>&1 | tail -n 1
fi
BIN="$(cd "$TARGET" && pwd)/release/suara"
work=$(mktemp -d /tmp/suara-replica.XXXXXX)
chown postgres "$work"
db="suara_replica_$$"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  if [ -f "$work/standby/postmaster.pid" ]; then
    runuser -u postgres -- "$BIN_DIR/pg_ctl" -D "$work/standby" -m fast -w stop >/dev/null 2>&1 || true
  fi
  psql "$PRIMARY/postgres" -qAtc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
q() { psql "$1" -qAtc "$2"; }

echo "== 1. the replica"
if [ "$(q "$PRIMARY/postgres" "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)")" = 0 ]; then
  hba=$(q "$PRIMARY/postgres" "SHOW hba_file")
  echo "   adding a replication line to $hba"
  echo "host replication all 127.0.0.1/32 trust" >> "$hba"
  q "$PRIMARY/postgres" "SELECT pg_reload_conf()" >/dev/null
fi
mkdir "$work/standby"
chown postgres "$work/standby"
runuser -u postgres -- pg_basebackup -d "$PRIMARY" -D "$work/standby" -R -X stream -c fast
# Debian keeps postgresql.conf and pg_hba.conf in /etc: give the copy its own.
cat > "$work/standby/postgresql.conf" <<CONF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
hot_standby = on
shared_buffers = 128MB
CONF
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' > "$work/standby/pg_hba.conf"
chown -R postgres "$work/standby"
chmod 700 "$work/standby"
runuser -u postgres -- "$BIN_DIR/pg_ctl" -D "$work/standby" -l "$work/standby.log" -w start >/dev/null \
  || { cat "$work/standby.log" >&2; exit 1; }
REPLICA="postgres://postgres@127.0.0.1:$REPLICA_PORT"
echo "   standby on :$REPLICA_PORT, in recovery: $(q "$REPLICA/postgres" "SELECT pg_is_in_recovery()")"
echo "   primary sees: $(q "$PRIMARY/postgres" "SELECT state || ' (' || sync_state || ')' FROM pg_stat_replication LIMIT 1")"

echo "== 2. a database of $RESPONSES responses on the primary"
q "$PRIMARY/postgres" "CREATE DATABASE $db" >/dev/null
export DATABASE_URL="$PRIMARY/$db" SUARA_DATA_DIR="$work/data" SUARA_SEED_DEMO=true \
  SUARA_SEED_DEMO_HISTORY=false SUARA_PUBLIC_RATE_PER_MIN=0 SUARA_LOG=warn
"$BIN" seed-synthetic --units 300 --responses "$RESPONSES" --complaints 0 --years 1 2>&1 \
  | tr '\r' '\n' | grep '^seeded'
email=planner@bench.local
"$BIN" user create --email "$email" --role planner > /dev/null
token=$("$BIN" token create --email "$email" --name bench | grep '^sua_' | tail -n 1)
for _ in $(seq 1 100); do
  [ "$(q "$REPLICA/postgres" "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 1 ] && break
  sleep 0.1
done

echo "== 3. Suara: writes to the primary, analytics from the replica"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
DATABASE_READ_URL="$REPLICA/$db" SUARA_PORT=$port "$BIN" serve > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

echo "== 4. 200 responses through Suara, then the replica catching up"
body='{"answers":{"U1":4,"U2":3,"U3":3,"U4":4,"U5":3,"U6":3,"U7":4,"U8":3,"U9":3},"service":"layanan-1"}'
before=$(q "$PRIMARY/$db" "SELECT count(*) FROM responses")
for _ in $(seq 1 200); do
  code=$(curl -s -o "$work/last" -w '%{http_code}' -H 'content-type: application/json' -d "$body" \
    "http://127.0.0.1:$port/api/v1/units/sint-0001/responses")
  [ "$code" = 201 ] || { echo "POST answered $code: $(cat "$work/last")" >&2; tail -n 5 "$work/serve.log" >&2; exit 1; }
done
t0=$(date +%s%N)
want=$((before + 200))
while [ "$(q "$REPLICA/$db" "SELECT count(*) FROM responses")" -lt "$want" ]; do sleep 0.005; done
t1=$(date +%s%N)
echo "   primary $(q "$PRIMARY/$db" "SELECT count(*) FROM responses") rows; replica caught up $(( (t1 - t0) / 1000000 )) ms after the last acknowledgement"
echo "   replay lag now: $(q "$PRIMARY/postgres" "SELECT coalesce(replay_lag::text, '0') FROM pg_stat_replication LIMIT 1")"
today=$(date +%F)
sleep 1 # the statistics collector's figures settle
reads_before=$(q "$REPLICA/$db" "SELECT tup_returned FROM pg_stat_database WHERE datname = '$db'")
overview=$(curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/analytics/overview?from=${today:0:8}01&to=$today")
echo "   overview through Suara: $(echo "$overview" | python3 -c 'import json,sys;o=json.load(sys.stdin);print(len(o["units"]), "units,", o["total"]["responses"], "responses this month")')"
reads_after=$(q "$REPLICA/$db" "SELECT tup_returned FROM pg_stat_database WHERE datname = '$db'")
echo "   rows the replica read for that request and the two statistics queries: $((reads_after - reads_before))"
echo "   Suara's connections on the replica: $(q "$REPLICA/postgres" "SELECT count(*) FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid()")"
