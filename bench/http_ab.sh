#!/usr/bin/env bash
# http_ab.sh OLD_TREE [SECONDS] [RUNS] — the HTTP path of two builds side by
# side in one run: OLD_TREE is another checkout of this project (e.g. a
# `git worktree add --detach ../base <commit>`) with its release build made
# (`make build/release/xinyidai` there); this tree's release build is the
# other. Each gets a private MariaDB of its own tree's scripts/db.sh with the
# demo district, so each runs its own migrations and accounts; wrk alternates
# between them, RUNS times per endpoint, and the medians and their ratio are
# printed. Stops both servers and both databases at the end.
set -euo pipefail

old=${1:?usage: bench/http_ab.sh OLD_TREE [SECONDS] [RUNS]}
seconds=${2:-5}
runs=${3:-3}
conns=64
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
old=$(cd "$old" && pwd)
tmp=$(mktemp -d /tmp/xyd-ab.XXXXXX)
pids=()

say() { printf 'http_ab: %s\n' "$*" >&2; }
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	XYD_VAR=$tmp/old "$old/scripts/db.sh" stop >/dev/null 2>&1 || true
	XYD_VAR=$tmp/new "$root/scripts/db.sh" stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# start TREE NAME: a private MariaDB and the tree's release server on it; sets port_NAME.
start() {
	local tree=$1 name=$2 url murl port env=()
	mkdir -p "$tmp/$name"
	url=$(cd "$tree" && XYD_VAR=$tmp/$name XYD_DB_FAST=1 scripts/db.sh start 2>/dev/null)
	if murl=$(cd "$tree" && XYD_VAR=$tmp/$name scripts/db.sh migrate-url 2>/dev/null); then
		env+=(XYD_DB_MIGRATE="$murl")
	fi
	port=$(free_port)
	(cd "$tree" && exec env XYD_DB="$url" "${env[@]}" XYD_VAR="$tmp/$name" XYD_LISTEN="127.0.0.1:$port" \
		XYD_ADMIN_PASSWORD=Bench-Admin-2026 XYD_THREADS=2 XYD_LOG_LEVEL=warn \
		build/release/xinyidai >"$tmp/$name.log" 2>&1) &
	pids+=($!)
	for _ in $(seq 600); do
		curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
		sleep 0.2
	done
	curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null || { tail "$tmp/$name.log" >&2; exit 1; }
	printf -v "port_$name" '%s' "$port"
}

token_of() { # token_of PORT [USER]
	curl -sf -XPOST "http://127.0.0.1:$1/api/v1/auth/login" -H 'Content-Type: application/json' \
		-d "{\"username\":\"${2:-sme_demo}\",\"password\":\"Xinyidai-Demo-2026\"}" \
		| node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).access_token))'
}

rps() { # rps URL [HEADER]
	local out
	if [[ $# -gt 1 ]]; then out=$(wrk -t2 -c$conns -d"${seconds}s" -H "$2" "$1")
	else out=$(wrk -t2 -c$conns -d"${seconds}s" "$1"); fi
	awk '/^Requests\/sec:/ { printf "%d", $2 }' <<<"$out"
}

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

say "starting the old build ($old) and this one ($root), demo district each"
start "$old" old
start "$root" new
# Each endpoint as USER:PATH, USER "-" for none: the public three the
# Node peer also serves, then the reads whose rows are records (lists of
# programmes, applications, enterprises, loans, journals; one application).
endpoints=${XYD_AB_ENDPOINTS:-"-:/api/v1/health -:/api/v1/products sme_demo:/api/v1/me
	-:/api/v1/programs sme_demo:/api/v1/applications bank_nsb:/api/v1/applications?limit=50
	bureau:/api/v1/enterprises?limit=50 bureau:/api/v1/loans?limit=50
	bureau:/api/v1/ledger/journals?limit=50 bureau:/api/v1/stats/overview"}
declare -A tok_old tok_new
for spec in $endpoints; do
	u=${spec%%:*}
	[[ $u == - || -n ${tok_old[$u]:-} ]] && continue
	tok_old[$u]=$(token_of "$port_old" "$u")
	tok_new[$u]=$(token_of "$port_new" "$u")
done

printf 'HTTP path, wrk -t2 -c%d -d%ss, median of %d alternating runs (requests/s)\n' "$conns" "$seconds" "$runs"
printf '  %-44s %9s %9s %7s\n' endpoint old new new/old
for spec in $endpoints; do
	u=${spec%%:*} ep=${spec#*:}
	a=() b=()
	for _ in $(seq "$runs"); do
		if [[ $u != - ]]; then
			a+=("$(rps "http://127.0.0.1:$port_old$ep" "Authorization: Bearer ${tok_old[$u]}")")
			b+=("$(rps "http://127.0.0.1:$port_new$ep" "Authorization: Bearer ${tok_new[$u]}")")
		else
			a+=("$(rps "http://127.0.0.1:$port_old$ep")")
			b+=("$(rps "http://127.0.0.1:$port_new$ep")")
		fi
	done
	ma=$(median "${a[@]}") mb=$(median "${b[@]}")
	printf '  %-44s %9d %9d %7.2f   runs: %s | %s\n' "${u/#-/public} $ep" "$ma" "$mb" "$(awk -v a="$ma" -v b="$mb" 'BEGIN { print (a > 0 ? b / a : 0) }')" "${a[*]}" "${b[*]}"
done

