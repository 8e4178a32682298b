#!/usr/bin/env bash
# crash-ledger.sh [N] — the ledger crash test for longer runs than `make test`
# gives it (20 rounds): a throwaway MariaDB, the sanitizer build of the
# server (built first if missing), then tests/resilience/crash_ledger.test.mjs
# with XYD_CRASH_ROUNDS=N (default 100): N times a burst of deposits,
# repayments and recoveries, a SIGKILL of the server at a random moment, a
# restart, and the check that every acknowledged movement is there once and
# the ledger is balanced. Exit status 0 when every round passed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rounds=${1:-100}
[[ $rounds =~ ^[1-9][0-9]{0,5}$ ]] || { echo "usage: scripts/crash-ledger.sh [ROUNDS]" >&2; exit 2; }
bin=$root/build/asan/xinyidai
[[ -x $bin ]] || make -j2 build/asan/xinyidai

tmp=$(mktemp -d /tmp/xyd-crash.XXXXXX)
server_pid=
cleanup() {
	[[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
	XYD_VAR=$tmp scripts/db.sh stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
password=Crash-$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
db_url=$(XYD_VAR=$tmp XYD_DB_FAST=1 scripts/db.sh start)
migrate_url=$(XYD_VAR=$tmp scripts/db.sh migrate-url)
XYD_DB=$db_url XYD_DB_MIGRATE=$migrate_url XYD_VAR=$tmp XYD_LISTEN=127.0.0.1:$port XYD_ADMIN_PASSWORD=$password XYD_DEMO=0 XYD_THREADS=2 \
	"$bin" </dev/null >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do
	curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/api/v1/health" && break
	kill -0 "$server_pid" 2>/dev/null || { echo "crash-ledger.sh: the server exited at start" >&2; tail "$tmp/server.log" >&2; exit 1; }
	sleep 0.2
done
echo "crash-ledger.sh: $rounds rounds against a server on port $port" >&2
XYD_CRASH_ROUNDS=$rounds XYD_TEST_BASE_URL=http://127.0.0.1:$port XYD_TEST_ADMIN_PASSWORD=$password \
	XYD_TEST_VAR=$tmp XYD_TEST_DB_URL=$db_url XYD_TEST_SERVER_BIN=$bin \
	node --test --test-concurrency=1 tests/resilience/crash_ledger.test.mjs
