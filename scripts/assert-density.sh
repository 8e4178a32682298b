#!/bin/sh
# Assertion density per folder: uses of XYD_ASSERT and _Static_assert (always
# on) per 1,000 lines of .c and .h (wc -l), and plain assert() (off under
# NDEBUG) beside it. Comment lines and the macro's own definition are not
# counted. Run from the repository root:
#   scripts/assert-density.sh [folder ...]
set -eu
[ $# -gt 0 ] || set -- common matching scoring models services server/http server/api
count() { # pattern, files...
	pat=$1; shift
	cat "$@" | grep -v '^[[:space:]]*\(\*\|/\*\|//\)' | grep -v '#define' | grep -o "$pat" | wc -l
}
printf '%-12s %7s %8s %10s %9s\n' folder lines asserts 'per 1,000' 'assert()'
for d in "$@"; do
	files=$(find "$d" -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) | sort)
	[ -n "$files" ] || continue
	# shellcheck disable=SC2086 # one word per file name; none has spaces
	lines=$(cat $files | wc -l)
	# shellcheck disable=SC2086
	n=$(count 'XYD_ASSERT(\|_Static_assert(\|\bstatic_assert(' $files)
	# shellcheck disable=SC2086
	plain=$(count '\(^\|[^_A-Za-z]\)assert(' $files)
	awk -v d="$d" -v l="$lines" -v n="$n" -v p="$plain" \
		'BEGIN { printf "%-12s %7d %8d %10.1f %9d\n", d, l, n, l ? 1000 * n / l : 0, p }'
done
