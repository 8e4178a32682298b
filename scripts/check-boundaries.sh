#!/usr/bin/env bash
# check-boundaries.sh — keep each module behind its door (see docs style guide).
#
# Fails, listing file:line, when
#   1. a file in matching/ includes anything but the standard C headers below or
#      its own "..." headers from matching/;
#   2. a .c/.h outside models/ includes <mysql.h> or another MariaDB client
#      header, or holds SQL text: a string literal starting with SELECT, INSERT
#      INTO, UPDATE, DELETE FROM, CREATE, ALTER or REPLACE INTO (any case);
#   3. a .c/.h outside server/ includes <event2/...> (or libevent's old
#      headers), cJSON or <jwt.h>; or one in server/api/ includes libevent
#      (handlers answer through server/http/, never through evhttp);
#   4. a file includes a header of a layer above its own. The layers, from
#      the bottom: common/; matching/ and scoring/ (pure C: the C library,
#      their own headers and common/base.h); models/; services/ (no HTTP,
#      no JSON); server/http/ (plumbing); server/api/ (handlers);
#      server/main.c.
# tests/ and fuzz/ are exempt from every rule; bench/ from the include rules only.
# Prints "boundaries ok" and exits 0 when clean.
# Then scripts/check-format.sh checks that every C file, tests/ and fuzz/
# included, is in the house format (.clang-format; `make format` fixes it);
# XYD_SKIP_FORMAT_CHECK=1 skips that step.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

MATCHING_STD='assert.h stdint.h stdbool.h stddef.h stdlib.h string.h limits.h stdio.h errno.h inttypes.h math.h time.h'

# Every C source and header of the project, paths relative to the root.
mapfile -t files < <(find . \( -path ./build -o -path ./.git -o -path ./node_modules \
	-o -path ./var -o -path ./web-static/vendor -o -path ./tests -o -path ./fuzz \) -prune \
	-o -type f \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' | LC_ALL=C sort)

(( ${#files[@]} )) || { echo "boundaries ok (no C files)"; exit 0; }

# One awk pass over all files; it prints "file:line: reason: text" per breach.
violations=$(awk -v std="$MATCHING_STD" '
function module(path) { sub(/\/.*/, "", path); return path }
# server/http and server/api are layers of their own
function layer_of(path,   m) {
	if (path ~ /^server\/http\//) return "server/http"
	if (path ~ /^server\/api\//) return "server/api"
	m = path; sub(/\/.*/, "", m); return m
}
function rank(l) {
	if (l == "common") return 0
	if (l == "matching" || l == "scoring") return 1
	if (l == "models") return 2
	if (l == "services") return 3
	if (l == "server/http") return 4
	if (l == "server/api") return 5
	if (l == "server") return 6
	return -1
}
function report(why) { printf "%s:%d: %s: %s\n", FILENAME, FNR, why, $0; bad = 1 }
# normalise "dir/../x" and "./x" in a relative path
function norm(path,   n, i, parts, out, k) {
	n = split(path, parts, "/"); k = 0
	for (i = 1; i <= n; i++) {
		if (parts[i] == "" || parts[i] == ".") continue
		if (parts[i] == "..") { if (k > 0) k--; else out[++k] = ".."; continue }
		out[++k] = parts[i]
	}
	path = ""
	for (i = 1; i <= k; i++) path = path (i > 1 ? "/" : "") out[i]
	return path
}
BEGIN {
	n = split(std, s, " ")
	for (i = 1; i <= n; i++) allowed[s[i]] = 1
}
{
	mod = module(FILENAME)
	if (FILENAME !~ /\//) mod = ""
	inc_exempt = (mod == "bench")
	line = $0
	# ---- includes
	if (line ~ /^[ \t]*#[ \t]*include/) {
		rest = line
		sub(/^[ \t]*#[ \t]*include[ \t]*/, "", rest)
		kind = substr(rest, 1, 1)
		name = ""
		if (kind == "<") { name = substr(rest, 2); sub(/>.*/, "", name) }
		else if (kind == "\"") { name = substr(rest, 2); sub(/".*/, "", name) }
		# matching/ and scoring/ are pure: libc and their own headers only.
		if (mod == "matching" || mod == "scoring") {
			msg = mod "/ may include only standard C headers and its own"
			if (kind == "<") {
				if (!(name in allowed)) report(msg)
			} else if (kind == "\"") {
				dir = FILENAME; sub(/\/[^\/]*$/, "", dir)
				if (norm(dir "/" name) !~ ("^" mod "/") && norm(name) !~ ("^" mod "/") \
				    && name != "common/base.h")
					report(msg)
			} else {
				report(msg)
			}
		}
		# a layer includes its own and those below it, never one above
		if (kind == "\"" && rank(layer_of(FILENAME)) >= 0 && rank(layer_of(name)) > rank(layer_of(FILENAME)))
			report(layer_of(FILENAME) "/ may not include " layer_of(name) "/ (a layer above it)")
		if (layer_of(FILENAME) == "server/api" && name != "") {
			lname = tolower(name)
			if (lname ~ /^event2\// || lname ~ /^(event|evhttp|evutil|evdns|evrpc)\.h$/)
				report("server/api/ answers through server/http/, never libevent")
		}
		if (!inc_exempt && mod != "models" && name != "") {
			lname = tolower(name)
			if (lname ~ /(^|\/)mysql[^\/]*\.h$/ || lname ~ /^mysql\// || lname ~ /(^|\/)mariadb[^\/]*(\.h)?$/ \
			    || lname ~ /^mariadb\// || lname ~ /^(errmsg|mysqld_error|ma_[a-z_]*)\.h$/)
				report("MariaDB headers belong in models/")
		}
		if (!inc_exempt && mod != "server" && name != "") {
			lname = tolower(name)
			if (lname ~ /^event2\// || lname ~ /^(event|evhttp|evutil|evdns|evrpc)\.h$/)
				report("libevent belongs in server/")
			if (lname ~ /(^|\/)cjson(_utils)?\.h$/)
				report("cJSON belongs in server/")
			if (lname ~ /(^|\/)jwt\.h$/)
				report("libjwt belongs in server/")
		}
	}
	# ---- SQL text in a string literal
	if (mod != "models") {
		u = toupper(line)
		if (u ~ /"[ \t]*(SELECT[ \t]|INSERT[ \t]+INTO|UPDATE[ \t]|DELETE[ \t]+FROM|CREATE[ \t]|ALTER[ \t]|REPLACE[ \t]+INTO)/)
			report("SQL text belongs in models/")
	}
}
END { exit bad }
' "${files[@]}")  || true

format_ok=0
"$root/scripts/check-format.sh" || format_ok=$?

if [[ -n $violations ]]; then
	printf '%s\n' "$violations" >&2
	printf 'check-boundaries: %d violation(s)\n' "$(printf '%s\n' "$violations" | wc -l)" >&2
	exit 1
fi
echo "boundaries ok"
exit "$format_ok"
