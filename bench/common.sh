# Sourced by the bench scripts that run the release binary against SQLite or PostgreSQL: reads
# the engine from DATABASE_URL (kept in ADMIN_URL, then unset for the server's own URL),
# installs what is missing and builds the release binary unless BUILD=0. Sets ENGINE, ADMIN_URL
# and BIN.
ADMIN_URL="${DATABASE_URL:-${SUARA_DATABASE_URL:-}}"
unset DATABASE_URL SUARA_DATABASE_URL
case "$ADMIN_URL" in
  postgres://*|postgresql://*) ENGINE=postgres ;;
  ""|sqlite:*) ENGINE=sqlite ;;
  *) echo "DATABASE_URL must be postgres://… (or unset for SQLite)" >&2; exit 2 ;;
esac

need() { # command debian-package
  command -v "$1" >/dev/null && return 0
  apt-get update -qq && apt-get install -y -qq "$2" >/dev/null
}
need curl curl
need python3 python3
[ "$ENGINE" = postgres ] && need psql postgresql-client

TARGET="${CARGO_TARGET_DIR:-target}"
if [ "${BUILD:-1}" = 1 ]; then
  echo "== building the release binary in $TARGET"
  CARGO_TARGET_DIR="$TARGET" cargo build --release --bin suara 2>&1 | tail -n 1
fi
BIN="$(cd "$TARGET" && pwd)/release/suara"

# A free loopback port; waiting for a server started in the background (its log in
# $work/serve.log) to listen on one.
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { # port pid
  for _ in $(seq 1 600); do
    (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "server exited; log:" >&2; tail -n 20 "$work/serve.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "server on :$1 did not start" >&2; exit 1
}
