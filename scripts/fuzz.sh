#!/usr/bin/env bash
# fuzz.sh [--seconds N] [--jobs J] [--logs DIR] [--replay] TARGET... — run the
# libFuzzer targets build/fuzz/fuzz_<TARGET> (built by make; see fuzz/).
#
# Each target starts from its committed seeds, fuzz/corpus/<TARGET>/ (read
# only), and from build/fuzz/corpus/<TARGET>/, where the inputs it finds are
# kept between runs; its dictionary fuzz/<TARGET>.dict is used when there is
# one, and the libFuzzer flags in fuzz/<TARGET>.options (one a line, # for a
# comment) when there are. It runs for N seconds (default 60), J targets at a
# time (default 1).
# --replay runs each seed once instead (-runs=0): a quick regression check.
#
# A target passes when libFuzzer finishes its run with exit status 0 and its
# log holds no sanitizer report, leak or failed property. Logs, and the
# reproducer of any crash, leak or timeout (<TARGET>-crash-…), go to DIR
# (default build/fuzz/logs). Prints one line per target:
#   PASS <target>: <exec/s> exec/s, corpus <seeds> seeds, <k> at start -> <n> inputs (<s> s)
# (k: the inputs of both corpora that add coverage; n: the corpus at the end)
#   FAIL <target>: <why>; log <file>
# then exits 1 if any failed. Reproduce one with build/fuzz/fuzz_<TARGET> FILE.
set -uo pipefail

seconds=60
jobs=1
replay=0
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
logs=$root/build/fuzz/logs
targets=()
die() { printf 'fuzz.sh: %s\n' "$*" >&2; exit 2; }
while (( $# )); do
	case $1 in
	--seconds) seconds=${2:-}; shift ;;
	--jobs) jobs=${2:-}; shift ;;
	--logs) logs=${2:-}; shift ;;
	--replay) replay=1 ;;
	-*) die "unknown option '$1'" ;;
	*) targets+=("$1") ;;
	esac
	shift
done
[[ $seconds =~ ^[0-9]+$ && $jobs =~ ^[1-9][0-9]*$ ]] || die "--seconds and --jobs take a number"
(( ${#targets[@]} )) || die "no target named (usage: fuzz.sh [--seconds N] [--jobs J] TARGET...)"
cd "$root" || exit 2
mkdir -p "$logs" || die "cannot create '$logs'"

# run_one TARGET: runs it; writes its verdict line to $logs/TARGET.verdict.
run_one() {
	local t=$1 bin=build/fuzz/fuzz_$1 seeds=fuzz/corpus/$1 scratch=build/fuzz/corpus/$1
	local log=$logs/$1.log verdict=$logs/$1.verdict rc args=() why=
	rm -f "$verdict" "$logs/$t"-{crash,leak,timeout,oom,slow-unit}-*
	if [[ ! -x $bin ]]; then
		echo "FAIL $t: cannot find '$bin' (run make first)" >"$verdict"
		return
	fi
	mkdir -p "$scratch" "$seeds"
	args=(-print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$logs/$t-")
	[[ -f fuzz/$t.dict ]] && args+=(-dict="fuzz/$t.dict")
	[[ -f fuzz/$t.options ]] && args+=($(grep -v '^#' "fuzz/$t.options"))
	if (( replay )); then
		args+=(-runs=0 "$seeds")
	else
		args+=(-max_total_time="$seconds" "$scratch" "$seeds")
	fi
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		"$bin" "${args[@]}" </dev/null >"$log" 2>&1 &
	local pid=$!
	trap 'kill "$pid" 2>/dev/null' TERM
	wait "$pid"
	rc=$?
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|property failed|deadly signal|ERROR: libFuzzer' "$log"; then
		why=$(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|property failed|deadly signal|ERROR: libFuzzer' "$log")
	elif (( rc != 0 )); then
		why="exit status $rc"
	elif ! grep -qE '^Done [0-9]+ runs' "$log"; then
		why="no 'Done' line from libFuzzer"
	fi
	local repro
	repro=$(ls "$logs/$t"-{crash,leak,timeout,oom}-* 2>/dev/null | head -1)
	if [[ -n $why ]]; then
		echo "FAIL $t: ${why}${repro:+; reproducer $repro}; log $log" >"$verdict"
		return
	fi
	local execs corp nseeds kept
	execs=$(awk '/stat::average_exec_per_sec:/ { print $2 }' "$log")
	kept=$(grep -m1 -oE 'INITED .*corp: [0-9]+' "$log" | awk '{ print $NF }')
	corp=$(grep -oE 'corp: [0-9]+' "$log" | tail -1 | awk '{ print $2 }')
	nseeds=$(find "$seeds" -type f | wc -l)
	if (( replay )); then
		echo "PASS $t: $nseeds seeds replayed" >"$verdict"
	else
		echo "PASS $t: ${execs:-?} exec/s, corpus $nseeds seeds, ${kept:-?} at start -> ${corp:-?} inputs (${seconds} s)" >"$verdict"
	fi
}

# Stopped (make test's Ctrl-C): stop the fuzzers too.
trap 'kill $(jobs -p) 2>/dev/null; wait; exit 143' TERM INT
running=0
for t in "${targets[@]}"; do
	run_one "$t" &
	if (( ++running >= jobs )); then
		wait -n
		running=$((running - 1))
	fi
done
wait

failed=0
for t in "${targets[@]}"; do
	if [[ -f $logs/$t.verdict ]]; then
		cat "$logs/$t.verdict"
		grep -q '^PASS ' "$logs/$t.verdict" || failed=1
	else
		echo "FAIL $t: no verdict (the run was interrupted)"
		failed=1
	fi
done
(( ! failed ))
