#!/usr/bin/env bash
# check-format.sh [--fix] — every project C file in the house format (.clang-format).
#
# Without --fix: runs clang-format --dry-run --Werror over every .c/.h outside
# build/, node_modules/, var/ and web-static/vendor/ (tests/, fuzz/ and bench/
# included), lists each file it would change and exits 1; prints "format ok"
# when none. `make check-boundaries` runs it; XYD_SKIP_FORMAT_CHECK=1 skips it
# (one line says so), e.g. on a branch whose files are formatted later.
# With --fix (`make format`): rewrites those files in place.
#
# clang-format 14 (Debian 12's) is the reference: other versions break a few
# lines differently. `make test` installs it (scripts/deps.sh --test); `make`
# alone never needs it.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

fix=0
if (( $# )); then
	[[ $# -eq 1 && $1 == --fix ]] || { echo "usage: check-format.sh [--fix]" >&2; exit 2; }
	fix=1
fi

if (( !fix )) && [[ -n ${XYD_SKIP_FORMAT_CHECK:-} ]]; then
	echo "format check skipped (XYD_SKIP_FORMAT_CHECK is set)"
	exit 0
fi

cf=
for c in clang-format-14 clang-format; do
	if command -v "$c" >/dev/null 2>&1; then cf=$c; break; fi
done
if [[ -z $cf ]]; then
	echo "check-format: cannot find clang-format; install it with scripts/deps.sh --test" \
		"(apt-get install clang-format), or set XYD_SKIP_FORMAT_CHECK=1" >&2
	exit 1
fi

mapfile -d '' files < <(find . \( -path ./build -o -path ./.git -o -path ./node_modules \
	-o -path ./var -o -path ./web-static/vendor \) -prune \
	-o -type f \( -name '*.c' -o -name '*.h' \) -print0 | LC_ALL=C sort -z)
(( ${#files[@]} )) || { echo "format ok (no C files)"; exit 0; }

if (( fix )); then
	printf '%s\0' "${files[@]}" | xargs -0 -P2 -n16 "$cf" -i --style=file
	echo "formatted ${#files[@]} files"
	exit 0
fi

# A bad .clang-format would make every file "differ": say that once instead.
if ! "$cf" --style=file --dump-config "${files[0]}" >/dev/null; then
	echo "check-format: $cf cannot read .clang-format" >&2
	exit 1
fi

# Two processes, 16 files each; a file is listed when clang-format would change it.
off=$(printf '%s\0' "${files[@]}" | xargs -0 -P2 -n16 sh -c '
	cf=$1; shift
	for f; do "$cf" --style=file --dry-run --Werror "$f" >/dev/null 2>&1 || echo "${f#./}"; done
' sh "$cf" | LC_ALL=C sort)

if [[ -n $off ]]; then
	printf '%s\n' "$off" | sed 's/$/: not in the house format (see .clang-format)/' >&2
	printf 'check-format: %d of %d file(s) need `make format`\n' \
		"$(printf '%s\n' "$off" | wc -l)" "${#files[@]}" >&2
	exit 1
fi
echo "format ok"
