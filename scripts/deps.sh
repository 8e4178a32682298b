#!/usr/bin/env bash
# deps.sh [--test] — make sure the Debian packages and the npm packages
# (package.json) this project needs are installed. Quiet and fast when they are.
#
# As root it installs what is missing with apt-get; otherwise it prints the one
# `sudo apt-get install ...` line to run and exits 1. Installing mariadb-server
# never starts the system's MariaDB: the project runs its own (scripts/db.sh).
#
#   --test   also wrk, chromium and a CJK font for the browser tests,
#            clang with libFuzzer for the fuzz targets, and clang-format for
#            the format check of make check-boundaries
set -euo pipefail

NODE_MAJOR_MIN=18
PKGS=(build-essential pkg-config libevent-dev libmariadb-dev libcjson-dev
      libjwt-dev libsodium-dev libcmocka-dev libcsv-dev curl)
# The private database: not needed when XYD_DB names an existing one (make run),
# always needed by the tests, which start a throwaway one.
DB_PKGS=(mariadb-server mariadb-client)
# Without a CJK font chromium draws every Chinese character as a box.
# clang and its runtime (libFuzzer, the sanitizers) build the fuzz targets;
# faketime sets a test database's clock to 02:30 in Shanghai (tests/resilience).
# clang-format (14 on Debian 12) checks every C file against .clang-format.
TEST_PKGS=(wrk chromium fonts-wqy-microhei clang libclang-rt-14-dev faketime clang-format)

say() { printf 'deps.sh: %s\n' "$*" >&2; }
die() { printf 'deps.sh: %s\n' "$*" >&2; exit 1; }

with_test=0
for arg in "$@"; do
	case $arg in
	--test) with_test=1 ;;
	*) die "unknown argument '$arg' (usage: deps.sh [--test])" ;;
	esac
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

wanted=("${PKGS[@]}")
(( with_test )) || [[ -z ${XYD_DB:-} ]] && wanted+=("${DB_PKGS[@]}")
(( with_test )) && wanted+=("${TEST_PKGS[@]}")
command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
# npm: the web pages serve ECharts out of node_modules (make run) and the
# browser tests drive chromium with playwright-core (make test).
if [[ -f $root/package.json ]] && ! command -v npm >/dev/null 2>&1; then
	wanted+=(npm)
fi

# One dpkg-query for all: a package is installed when its status letter is 'i'.
missing=()
declare -A installed=()
while read -r name abbrev; do
	[[ ${abbrev:1:1} == i ]] && installed[$name]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${wanted[@]}" 2>/dev/null || true)
for p in "${wanted[@]}"; do
	[[ -n ${installed[$p]:-} ]] || missing+=("$p")
done

# apt_install PKG...: install without starting any service the packages ship.
apt_install() {
	local policy=/usr/sbin/policy-rc.d made_policy=0
	if [[ ! -e $policy ]]; then
		# Deny every init-script action during the install (exit 101 = "not
		# allowed"), so mariadb-server's postinst does not start a system server.
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod 755 "$policy"
		made_policy=1
		trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	fi
	say "installing: $*"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" >&2
	if (( made_policy )); then
		rm -f "$policy"
		trap - EXIT
	fi
}

if (( ${#missing[@]} )); then
	if (( EUID == 0 )); then
		apt_install "${missing[@]}"
	else
		say "missing Debian packages; install them with:"
		printf 'sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
		exit 1
	fi
fi

command -v node >/dev/null 2>&1 || die "cannot find node after installing nodejs"
node_major=$(node -p 'process.versions.node.split(".")[0]')
(( node_major >= NODE_MAJOR_MIN )) \
	|| die "node $(node --version) is too old: Node.js ${NODE_MAJOR_MIN} or newer is needed"

# npm packages (ECharts; playwright-core for the tests): reinstall when the
# lock file is newer than the stamp left by the last successful install.
if [[ -f $root/package.json ]]; then
	stamp=$root/node_modules/.xyd-installed
	if [[ ! -f $stamp || $root/package.json -nt $stamp \
	      || ( -f $root/package-lock.json && $root/package-lock.json -nt $stamp ) ]]; then
		command -v npm >/dev/null 2>&1 || die "cannot find npm"
		say "installing npm packages"
		if [[ -f $root/package-lock.json ]]; then
			(cd "$root" && npm ci --no-audit --no-fund >&2)
		else
			(cd "$root" && npm install --no-audit --no-fund >&2)
		fi
		mkdir -p "$root/node_modules"
		touch "$stamp"
	fi
fi
exit 0
