#!/usr/bin/env bash
# test.sh — the body of `make test`.
#
# Make has already built build/asan/xinyidai and build/asan/tests/*/test_* with
# AddressSanitizer and UBSan. This runs, in order:
#   1. every cmocka unit test binary, then each fuzz target: its seeds
#      replayed (unit) and FUZZ_SECONDS of fuzzing (the suite "fuzz");
#   2. a throwaway private MariaDB and the sanitizer build of the server on a
#      free loopback port, then the API tests (tests/api/*.test.mjs) and the
#      browser tests (tests/browser/*.test.mjs) against it with node --test;
#   3. a clean SIGTERM stop of the server, which must exit 0 with no sanitizer
#      report in its log.
# It prints each suite's counts and, last, one line "N passed, N failed".
# Exit 1 when anything failed or nothing ran.
#
# Environment given to the API and browser tests: XYD_TEST_BASE_URL,
# XYD_TEST_ADMIN_PASSWORD, XYD_TEST_DB_SOCKET, XYD_TEST_DB_NAME, XYD_TEST_DB_URL,
# XYD_TEST_VAR, XYD_TEST_SERVER_PID, XYD_TEST_SERVER_BIN, XYD_TEST_CHROMIUM.
# XYD_TEST_DB_URL is the server's own account (least privilege), as it runs.
# Reads XYD_TEST_KEEP=1: keep the temporary directory, database included, even
# when all passed (after a failure the logs are kept, the database is not).
# Reads XYD_TEST_ONLY="tests/api/a.test.mjs …": run only those Node test files
# (the unit tests still run all). Reads FUZZ_SECONDS (default 20, 0 skips the
# fuzzing but not the replay of the seeds).
set -uo pipefail

UNIT_TIMEOUT_S=300
NODE_TIMEOUT_S=2400
HEALTH_TIMEOUT_S=60
STOP_TIMEOUT_S=30
FAIL_LINES_MAX=300

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1

say() { printf 'test.sh: %s\n' "$*" >&2; }

declare -A suite_pass=() suite_fail=() suite_ran=()
suites=()
count() { # count SUITE PASSED FAILED
	[[ -n ${suite_ran[$1]:-} ]] || { suites+=("$1"); suite_ran[$1]=1; suite_pass[$1]=0; suite_fail[$1]=0; }
	suite_pass[$1]=$(( ${suite_pass[$1]} + $2 ))
	suite_fail[$1]=$(( ${suite_fail[$1]} + $3 ))
}
show() { # show FILE: the file's last lines, indented
	tail -n "$FAIL_LINES_MAX" "$1" | sed 's/^/    | /' >&2
}

tmp=
server_pid=
child_pid=
db_started=0
keep_tmp=0

# run_child LOG CMD...: run CMD in the background with its output in LOG and
# wait for it, so that a signal to this script is handled at once (timeout(1)
# puts its command in a process group of its own, out of reach of Ctrl-C).
run_child() {
	local log=$1 rc
	shift
	"$@" </dev/null >"$log" 2>&1 &
	child_pid=$!
	wait "$child_pid"
	rc=$?
	child_pid=
	return "$rc"
}

stop_server() { # stop_server TIMEOUT_S: SIGTERM, then SIGKILL; 0 if it stopped in time
	local i
	[[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null || return 0
	kill -TERM "$server_pid" 2>/dev/null
	for ((i = 0; i < $1 * 10; i++)); do
		kill -0 "$server_pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$server_pid" 2>/dev/null
	return 1
}

cleanup() {
	if [[ -n $child_pid ]]; then
		kill -TERM "$child_pid" 2>/dev/null
		wait "$child_pid" 2>/dev/null
		child_pid=
	fi
	stop_server 10
	server_pid=
	if (( db_started )); then
		XYD_VAR=$tmp scripts/db.sh stop >/dev/null 2>&1 || say "cannot stop the test MariaDB in $tmp"
		db_started=0
	fi
}
# Logs stay for a look after a failure; the stopped database (80 MB) does not,
# unless XYD_TEST_KEEP=1.
prune() {
	[[ -n $tmp && -d $tmp/db ]] && (( ! db_started )) && [[ ${XYD_TEST_KEEP:-0} != 1 ]] \
		&& rm -rf "$tmp/db"
	return 0
}
trap 'rc=$?; trap - EXIT; cleanup; prune; exit $rc' EXIT
for sig in INT:130 TERM:143 HUP:129; do
	trap "say \"interrupted; logs are in \${tmp:-(none)}\"; exit ${sig#*:}" "${sig%:*}"
done

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1
export CMOCKA_MESSAGE_OUTPUT=STDOUT

# ---------------------------------------------------------------- unit tests

run_unit() { # run_unit BINARY LOG
	local bin=$1 log=$2 rc passed failed summaries
	run_child "$log" timeout "$UNIT_TIMEOUT_S" "$bin"
	rc=$?
	passed=$(awk '/^\[  PASSED  \] [0-9]+ test/ { n += $4 } END { print n + 0 }' "$log")
	failed=$(awk '/^\[  FAILED  \] [0-9]+ test/ { n += $4 } END { print n + 0 }' "$log")
	summaries=$(grep -cE '^\[  (PASSED|FAILED)  \] [0-9]+ test' "$log")
	if (( summaries == 0 )); then
		say "${bin#"$root"/}: no cmocka summary (exit status $rc)"
		failed=$((failed + 1))
	elif (( rc == 124 )); then
		say "${bin#"$root"/}: timed out after ${UNIT_TIMEOUT_S}s"
		failed=$((failed + 1))
	elif (( rc != 0 && failed == 0 )); then
		say "${bin#"$root"/}: exit status $rc with no failed test (crash or sanitizer report)"
		failed=1
	fi
	if (( failed > 0 )); then
		say "${bin#"$root"/}: $passed passed, $failed failed; its output:"
		show "$log"
	else
		say "${bin#"$root"/}: $passed passed"
	fi
	count unit "$passed" "$failed"
}

tmp=$(mktemp -d /tmp/xyd-test.XXXXXX) || { say "cannot create a temporary directory"; exit 1; }

mapfile -t unit_bins < <(find build/asan/tests -type f -executable -name 'test_*' 2>/dev/null | LC_ALL=C sort)
mkdir -p "$tmp/unit"
for bin in "${unit_bins[@]}"; do
	run_unit "$root/$bin" "$tmp/unit/$(echo "${bin#build/asan/tests/}" | tr / _).log"
done

# -------------------------------------------------------------- fuzz targets
# build/fuzz/fuzz_* (make test-build): each replays its committed seeds once,
# counted in "unit", then fuzzes for FUZZ_SECONDS (default 20; 0 skips it),
# two at a time, as the suite "fuzz": one pass per target that ran clean.
# New inputs go to build/fuzz/corpus/; reproducers stay in $tmp/fuzz.
run_fuzz() { # run_fuzz SUITE FUZZ_SH_ARGS...
	local suite=$1 out=$tmp/fuzz/$1.out line rc verdicts=0
	shift
	run_child "$out" scripts/fuzz.sh --logs "$tmp/fuzz" "$@" "${fuzz_targets[@]}"
	rc=$?
	while IFS= read -r line; do
		case $line in
		PASS*) say "$suite: $line"; count "$suite" 1 0; verdicts=$((verdicts + 1)) ;;
		FAIL*) say "$suite: $line"; count "$suite" 0 1; verdicts=$((verdicts + 1)) ;;
		*) say "$suite: $line" ;;
		esac
	done <"$out"
	if (( verdicts < ${#fuzz_targets[@]} )); then
		say "$suite: scripts/fuzz.sh gave $verdicts verdicts for ${#fuzz_targets[@]} targets (exit status $rc)"
		count "$suite" 0 1
	fi
}
mapfile -t fuzz_targets < <(find build/fuzz -maxdepth 1 -type f -executable -name 'fuzz_*' 2>/dev/null \
	| sed 's|.*/fuzz_||' | LC_ALL=C sort)
mkdir -p "$tmp/fuzz"
if (( ${#fuzz_targets[@]} == 0 )); then
	say "fuzz: no target in build/fuzz (make test-build builds them)"
	count fuzz 0 1
else
	run_fuzz unit --replay
	fuzz_seconds=${FUZZ_SECONDS:-20}
	(( fuzz_seconds > 0 )) && run_fuzz fuzz --seconds "$fuzz_seconds" --jobs 2
fi

# ------------------------------------------------- database, server, API tests

free_port() {
	node -e 'const s = require("net").createServer();
		s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });' 2>/dev/null \
		|| echo $((20000 + RANDOM % 20000))
}

start_server() { # sets server_pid and base_url; 0 once /api/v1/health answers 200
	local port i code
	port=$(free_port)
	base_url=http://127.0.0.1:$port
	admin_password=Adm1n-$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
	server_bin=$root/build/asan/xinyidai
	if [[ ! -x $server_bin ]]; then
		say "cannot find '$server_bin'"
		return 1
	fi
	XYD_DB=$db_url XYD_DB_MIGRATE=$db_migrate_url XYD_VAR=$tmp XYD_LISTEN=127.0.0.1:$port XYD_ADMIN_PASSWORD=$admin_password \
		XYD_DEMO=0 XYD_THREADS=2 XYD_HOUSEKEEPING_S=1 "$server_bin" </dev/null >"$tmp/server.log" 2>&1 &
	server_pid=$!
	for ((i = 0; i < HEALTH_TIMEOUT_S * 5; i++)); do
		if ! kill -0 "$server_pid" 2>/dev/null; then
			wait "$server_pid"
			say "the server exited during start (status $?); the end of its log:"
			server_pid=
			show "$tmp/server.log"
			return 1
		fi
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base_url/api/v1/health" 2>/dev/null)
		[[ $code == 200 ]] && return 0
		sleep 0.2
	done
	say "GET /api/v1/health did not answer 200 within ${HEALTH_TIMEOUT_S}s (last: ${code:-none}); the end of the server log:"
	show "$tmp/server.log"
	return 1
}

run_node_suite() { # run_node_suite SUITE FILE...
	local suite=$1 log=$tmp/$1.tap rc passed failed cancelled
	shift
	say "running $suite tests: $*"
	run_child "$log" env XYD_TEST_BASE_URL="$base_url" XYD_TEST_ADMIN_PASSWORD="$admin_password" \
		XYD_TEST_DB_SOCKET="$tmp/mysqld.sock" XYD_TEST_DB_NAME=xinyidai XYD_TEST_DB_URL="$db_url" \
		XYD_TEST_VAR="$tmp" XYD_TEST_SERVER_PID="$server_pid" XYD_TEST_SERVER_BIN="$server_bin" \
		XYD_TEST_CHROMIUM="$(command -v chromium || true)" \
		timeout "$NODE_TIMEOUT_S" node --test --test-concurrency=1 --test-reporter=tap "$@"
	rc=$?
	passed=$(awk '/^# pass [0-9]+$/ { n = $3 } END { print n + 0 }' "$log")
	failed=$(awk '/^# fail [0-9]+$/ { n = $3 } END { print n + 0 }' "$log")
	cancelled=$(awk '/^# cancelled [0-9]+$/ { n = $3 } END { print n + 0 }' "$log")
	failed=$((failed + cancelled))
	if ! grep -qE '^# pass [0-9]+$' "$log"; then
		say "$suite: node printed no TAP summary (exit status $rc)"
		failed=$((failed + 1))
	elif (( rc == 124 )); then
		say "$suite: timed out after ${NODE_TIMEOUT_S}s"
		failed=$((failed + 1))
	elif (( rc != 0 && failed == 0 )); then
		say "$suite: node exited with status $rc and no failed test"
		failed=1
	fi
	if (( failed > 0 )); then
		say "$suite: $failed failed; the failures:"
		# each "not ok" line with the diagnostics under it
		awk '/^ *not ok / { p = 1; print; next }
		     /^ *(ok [0-9]|# Subtest:|1\.\.[0-9])/ { p = 0 }
		     p { print }' "$log" >"$log.failures"
		[[ -s $log.failures ]] || cp "$log" "$log.failures"
		show "$log.failures"
	fi
	count "$suite" "$passed" "$failed"
}

say "starting a throwaway MariaDB in $tmp"
db_started=1   # from here on, cleanup stops it (stopping a stopped one is fine)
# db_url: the server's account (table rights only); db_migrate_url: migrations.
if ! db_url=$(XYD_VAR=$tmp XYD_DB_FAST=1 scripts/db.sh start) \
	|| ! db_migrate_url=$(XYD_VAR=$tmp scripts/db.sh migrate-url); then
	say "cannot start the test MariaDB"
	count server 0 1
	cleanup
fi

if (( db_started )); then
	if start_server; then
		shopt -s nullglob
		api_tests=(tests/api/*.test.mjs)
		browser_tests=(tests/browser/*.test.mjs)
		resilience_tests=(tests/resilience/*.test.mjs)
		shopt -u nullglob
		if [[ -n ${XYD_TEST_ONLY:-} ]]; then
			# A developer's shortcut: only the named Node test files, each in its suite.
			api_tests=() browser_tests=() resilience_tests=()
			for f in $XYD_TEST_ONLY; do
				case $f in
				tests/api/*) api_tests+=("$f") ;;
				tests/browser/*) browser_tests+=("$f") ;;
				tests/resilience/*) resilience_tests+=("$f") ;;
				*) say "XYD_TEST_ONLY: '$f' is not under tests/api, tests/browser or tests/resilience" ;;
				esac
			done
		fi
		(( ${#api_tests[@]} )) && run_node_suite api "${api_tests[@]}"
		if (( ${#browser_tests[@]} )); then
			if kill -0 "$server_pid" 2>/dev/null; then
				run_node_suite browser "${browser_tests[@]}"
			else
				say "browser: not run, the server is gone"
				count browser 0 1
			fi
		fi
		# Last: these stop and restart the database under the running server.
		if (( ${#resilience_tests[@]} )) && kill -0 "$server_pid" 2>/dev/null; then
			run_node_suite resilience "${resilience_tests[@]}"
		fi

		# A clean stop: SIGTERM, exit status 0, nothing from the sanitizers.
		server_failed=0
		if ! kill -0 "$server_pid" 2>/dev/null; then
			wait "$server_pid"
			say "the server died during the tests (status $?)"
			server_failed=$((server_failed + 1))
		elif ! stop_server "$STOP_TIMEOUT_S"; then
			wait "$server_pid" 2>/dev/null
			say "the server did not stop within ${STOP_TIMEOUT_S}s of SIGTERM"
			server_failed=$((server_failed + 1))
		else
			wait "$server_pid"
			st=$?
			if (( st != 0 )); then
				say "the server exited with status $st after SIGTERM"
				server_failed=$((server_failed + 1))
			fi
		fi
		server_pid=
		for pattern in 'ERROR: AddressSanitizer' 'runtime error:' 'LeakSanitizer'; do
			if grep -q -- "$pattern" "$tmp/server.log"; then
				say "the server log has '$pattern':"
				grep -n -m1 -A 40 -- "$pattern" "$tmp/server.log" | sed 's/^/    | /' >&2
				server_failed=$((server_failed + 1))
			fi
		done
		count server 0 "$server_failed"
	else
		count server 0 1
	fi
	cleanup
fi

# ------------------------------------------------------------------- summary

total_pass=0
total_fail=0
printf '\n' >&2
for s in "${suites[@]}"; do
	printf '  %-8s %5d passed %5d failed\n' "$s" "${suite_pass[$s]}" "${suite_fail[$s]}"
	total_pass=$((total_pass + suite_pass[$s]))
	total_fail=$((total_fail + suite_fail[$s]))
done
(( ${#unit_bins[@]} )) || printf '  %-8s no test binaries\n' unit
if (( total_fail > 0 )); then
	keep_tmp=1
	say "logs are in $tmp"
elif (( total_pass == 0 )); then
	keep_tmp=1
	say "no test ran; logs are in $tmp"
elif [[ ${XYD_TEST_KEEP:-0} == 1 ]]; then
	keep_tmp=1
	say "logs kept in $tmp"
fi
(( keep_tmp )) || rm -rf "$tmp"
printf '%d passed, %d failed\n' "$total_pass" "$total_fail"
(( total_fail == 0 && total_pass > 0 ))
