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
