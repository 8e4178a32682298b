#!/usr/bin/env bash
# ab.sh OLD_TREE — every benchmark of two builds in one run, for a change
# that must be "no slower": OLD_TREE is another checkout of this project
# (`git worktree add --detach ../base <commit>`) with its release server and
# bench programs built (`make build/release/xinyidai build/release/bench/matching_bench
# build/release/bench/scoring_bench` there); this tree's are built by `make bench`.
#   1. the HTTP path: bench/http_ab.sh (alternating wrk runs, medians, ratio);
#   2. the matching engine and the scorecard: each tree's bench programs, run
#      alternately AB_ROUNDS times (default 2); each line's median per tree;
#   3. the credit import and a full rescoring: each tree's bench/credit_import.mjs
#      (its own database and server; AB_ENTERPRISES enterprises, default 100,000);
#   4. statistics through HTTP: each tree's bench/stats_bench.sh on a database
#      of its own (AB_STATS_APPS applications, default 200,000).
# Env: AB_SECONDS / AB_RUNS for the HTTP part (default 5 / 3).
set -euo pipefail
old=${1:?usage: bench/ab.sh OLD_TREE}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
old=$(cd "$old" && pwd)
rounds=${AB_ROUNDS:-2}
tmp=$(mktemp -d /tmp/xyd-ab-all.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "== 1. HTTP"
"$root/bench/http_ab.sh" "$old" "${AB_SECONDS:-5}" "${AB_RUNS:-3}"

# The lines of a bench program's output that carry a median, as
# "label<TAB>value unit", label = the text before "median".
medians() { awk '/median/ { i = index($0, "median"); l = substr($0, 1, i - 1); gsub(/^ +| +$/, "", l);
	split(substr($0, i + 6), v, " "); if (v[1] ~ /^[0-9.]+$/) printf "%s\t%s %s\n", l, v[1], v[2] }'; }

echo
echo "== 2. matching engine and scorecard, $rounds alternating rounds (median of each program's own runs; the lower of the rounds)"
for ((r = 0; r < rounds; r++)); do
	for t in old new; do
		tree=$old; [[ $t == new ]] && tree=$root
		for b in matching_bench scoring_bench; do
			(cd "$tree" && build/release/bench/$b) | medians >>"$tmp/$t.$b"
		done
	done
done
for b in matching_bench scoring_bench; do
	awk -F'\t' 'NR == FNR { split($2, v, " "); if (!($1 in o) || v[1] < o[$1]) { o[$1] = v[1]; u[$1] = v[2] }; next }
		{ split($2, v, " "); if (!($1 in n) || v[1] < n[$1]) n[$1] = v[1]; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
		END { for (i = 1; i <= k; i++) { l = order[i]; printf "  %-44s old %10s %-3s new %10s %-3s new/old %.2f\n", l, o[l], u[l], n[l], u[l], (o[l] > 0 ? n[l] / o[l] : 0) } }' \
		"$tmp/old.$b" "$tmp/new.$b"
done

echo
echo "== 3. credit import and full rescoring (each tree's own database and server)"
for t in old new; do
	tree=$old; [[ $t == new ]] && tree=$root
	echo "-- $t"
	(cd "$tree" && BENCH_ENTERPRISES=${AB_ENTERPRISES:-100000} node bench/credit_import.mjs 2>&1 | grep -i median || true)
done

echo
echo "== 4. statistics through HTTP (each tree's own database)"
for t in old new; do
	tree=$old; [[ $t == new ]] && tree=$root
	echo "-- $t"
	var=$tmp/stats-$t pw=Bench-Stats-2026
	mkdir -p "$var"
	url=$(cd "$tree" && XYD_VAR=$var XYD_DB_FAST=1 scripts/db.sh start 2>/dev/null)
	murl=$(cd "$tree" && XYD_VAR=$var scripts/db.sh migrate-url 2>/dev/null || true)
	# One start of the server migrates the empty database and creates the
	# admin the bench seeds with; it stops once it answers.
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	(cd "$tree" && exec env XYD_DB="$url" ${murl:+XYD_DB_MIGRATE="$murl"} XYD_VAR="$var" \
		XYD_ADMIN_PASSWORD=$pw XYD_DEMO=0 XYD_LOG_LEVEL=warn XYD_LISTEN=127.0.0.1:$port \
		build/release/xinyidai >/dev/null 2>&1) &
	spid=$!
	for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break; sleep 0.2; done
	kill -TERM "$spid" 2>/dev/null; wait "$spid" 2>/dev/null || true
	(cd "$tree" && env XYD_VAR="$var" XYD_DB="$url" ${murl:+XYD_DB_MIGRATE="$murl"} XYD_ADMIN_PASSWORD=$pw \
		XYD_BENCH_APPS=${AB_STATS_APPS:-200000} bench/stats_bench.sh 2>&1 | grep -Ei 'median|ms' | head -20 || true)
	(cd "$tree" && XYD_VAR=$var scripts/db.sh stop >/dev/null 2>&1 || true)
done
