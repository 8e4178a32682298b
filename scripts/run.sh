#!/usr/bin/env bash
# run.sh [--migrate-only] — the body of `make run` (and `make migrate`).
#
# Make has already installed the packages and built build/release/xinyidai.
# Without XYD_DB this starts the private MariaDB under $XYD_VAR (scripts/db.sh)
# and points the server at it with two accounts: XYD_DB the server's (table
# rights only), XYD_DB_MIGRATE the migration account; with XYD_DB set it
# starts nothing and passes XYD_DB and XYD_DB_MIGRATE (if set) through. It runs the
# server, forwards Ctrl-C / SIGTERM / SIGHUP to it as SIGTERM, waits for it,
# stops the private MariaDB again if this script started it, and exits with
# the server's status.
#
# Environment: XYD_VAR (default <repo>/var), XYD_DB (optional), and every other
# XYD_* variable the server reads, passed through unchanged.
set -euo pipefail

STOP_TIMEOUT_S=30

say() { printf 'run.sh: %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
server_bin=$root/build/release/xinyidai
[[ -x $server_bin ]] || die "cannot find '$server_bin': run make first"

XYD_VAR=${XYD_VAR:-$root/var}
mkdir -p "$XYD_VAR" || die "cannot create state directory '$XYD_VAR'"
XYD_VAR=$(cd "$XYD_VAR" && pwd)
export XYD_VAR

started_db=0
server_pid=
stopping=0

stop_server() {
	local i
	[[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null || return 0
	kill -TERM "$server_pid" 2>/dev/null || true
	for ((i = 0; i < STOP_TIMEOUT_S * 10; i++)); do
		kill -0 "$server_pid" 2>/dev/null || return 0
		sleep 0.1
	done
	say "server (pid $server_pid) ignored SIGTERM for ${STOP_TIMEOUT_S}s; killing it"
	kill -KILL "$server_pid" 2>/dev/null || true
}

cleanup() {
	stop_server
	if (( started_db )); then
		started_db=0
		scripts/db.sh stop || say "cannot stop the private MariaDB in $XYD_VAR"
	fi
}
trap 'rc=$?; trap - EXIT; cleanup; exit $rc' EXIT
# A signal only asks the server to stop; the wait loop below sees it through.
trap 'stopping=1; [[ -n $server_pid ]] && kill -TERM "$server_pid" 2>/dev/null || true' INT TERM HUP

if [[ -z ${XYD_DB:-} ]]; then
	# Stop the private MariaDB at the end only if it was not already running.
	scripts/db.sh status >/dev/null 2>&1 || started_db=1
	if ! XYD_DB=$(scripts/db.sh start); then
		(( stopping )) && exit 130
		die "cannot start the private MariaDB (log: $XYD_VAR/mariadb.log)"
	fi
	XYD_DB_MIGRATE=$(scripts/db.sh migrate-url) || die "cannot read the migration account's URL"
	export XYD_DB XYD_DB_MIGRATE
	(( stopping )) && exit 130
fi

"$server_bin" "$@" &
server_pid=$!

while :; do
	status=0
	wait "$server_pid" || status=$?
	kill -0 "$server_pid" 2>/dev/null || break
	# wait was cut short by a signal: give the server its time, then go on
	# waiting to collect its real exit status.
	(( stopping )) && stop_server
done
server_pid=
exit "$status"
