#!/usr/bin/env bash
# bench.sh — the body of `make bench`: HTTP throughput of the server beside a
# bare evhttp program, measured with wrk in the same run on this machine.
# Prints medians of BENCH_RUNS runs (default 3) and the ratios between them.
# Environment: BENCH_RUNS, BENCH_SECONDS (default 10), BENCH_CONNECTIONS (64),
# BENCH_ONLY=http (the HTTP part alone).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${BENCH_RUNS:-3}
seconds=${BENCH_SECONDS:-10}
conns=${BENCH_CONNECTIONS:-64}
tmp=$(mktemp -d /tmp/xyd-bench.XXXXXX)
server_pid= bare_pid=
cleanup() {
	[[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
	[[ -n $bare_pid ]] && kill -TERM "$bare_pid" 2>/dev/null && wait "$bare_pid" 2>/dev/null || true
	XYD_VAR=$tmp scripts/db.sh stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
	echo $((20000 + RANDOM % 20000)); }

# requests/s of one wrk run: wrk URL [header]
wrk_rps() {
	local out
	if [[ $# -gt 1 ]]; then out=$(wrk -t2 -c"$conns" -d"${seconds}s" -H "$2" "$1")
	else out=$(wrk -t2 -c"$conns" -d"${seconds}s" "$1"); fi
	awk '/^Requests\/sec:/ {printf "%d", $2}' <<<"$out"
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

db_url=$(XYD_VAR=$tmp XYD_DB_FAST=1 scripts/db.sh start 2>/dev/null)
migrate_url=$(XYD_VAR=$tmp scripts/db.sh migrate-url)
port=$(free_port)
admin_pw="Bench-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
XYD_DB=$db_url XYD_DB_MIGRATE=$migrate_url XYD_VAR=$tmp XYD_LISTEN=127.0.0.1:$port XYD_ADMIN_PASSWORD=$admin_pw XYD_DEMO=0 \
	XYD_LOG_LEVEL=warn build/release/xinyidai >"$tmp/server.log" 2>&1 &
server_pid=$!
bare_port=$(free_port)
build/release/bench/evhttp_min "$bare_port" &
bare_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done
token=$(curl -sf -XPOST "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
	-d "{\"username\":\"admin\",\"password\":\"$admin_pw\"}" | python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')

declare -a bare health me
for ((i = 0; i < runs; i++)); do
	bare+=("$(wrk_rps "http://127.0.0.1:$bare_port/")")
	health+=("$(wrk_rps "http://127.0.0.1:$port/api/v1/health")")
	me+=("$(wrk_rps "http://127.0.0.1:$port/api/v1/me" "Authorization: Bearer $token")")
done
mb=$(median "${bare[@]}") mh=$(median "${health[@]}") mm=$(median "${me[@]}")
echo "HTTP throughput, wrk -t2 -c$conns -d${seconds}s, median of $runs runs (requests/s):"
printf '  %-38s %8s   runs: %s\n' "bare evhttp, 1 thread, {\"ok\":true}" "$mb" "${bare[*]}"
printf '  %-38s %8s   runs: %s\n' "GET /api/v1/health ($(nproc) workers)" "$mh" "${health[*]}"
printf '  %-38s %8s   runs: %s\n' "GET /api/v1/me, authenticated" "$mm" "${me[*]}"
awk -v b="$mb" -v h="$mh" -v m="$mm" 'BEGIN {printf "  ratios: health/bare %.2f, me/bare %.2f\n", h / b, m / b}'
[[ ${BENCH_ONLY:-} == http ]] && exit 0

# ---- the matching engine alone, on generated data (no database): ranking
# products, top-k over 1,000,000 enterprises, pairing, snapshot memory.
echo
build/release/bench/matching_bench

# ---- scoring: scoring_compute alone per generated enterprise of 30
# records, both languages' details (no database; `make bench-scoring` alone).
echo
build/release/bench/scoring_bench

# ---- credit: a 10,000-row import (JSON and CSV) and the rescoring of
# 100,000 enterprises with 1,000,000 records on activation, against the
# same server and database (bench/credit_import.mjs seeds them with SQL).
echo
XYD_BENCH_BASE_URL="http://127.0.0.1:$port" XYD_BENCH_ADMIN_PASSWORD="$admin_pw" XYD_VAR="$tmp" \
	node bench/credit_import.mjs

# ---- matching: the snapshot built from 1,000,000 enterprises in MariaDB at
# start, and one product's top 50 candidates through the server against the
# naive SQL WHERE/ORDER BY query (bench/matching_snapshot.sh seeds with SQL).
echo
XYD_VAR="$tmp" XYD_DB="$db_url" XYD_ADMIN_PASSWORD="$admin_pw" bench/matching_snapshot.sh

# ---- stats (bench/stats_bench.sh): overview and every breakdown over
# 1,000,000 applications and 300,000 loans through the server, from the
# rollups, against the plain-SQL baseline on the same database.
echo
XYD_VAR="$tmp" XYD_DB="$db_url" XYD_ADMIN_PASSWORD="$admin_pw" bench/stats_bench.sh
