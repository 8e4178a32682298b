#!/usr/bin/env bash
# db.sh — a private MariaDB for development and tests, kept under $XYD_VAR.
#
#   scripts/db.sh start    start (or reuse) it; print ONLY the server account's URL
#   scripts/db.sh migrate-url  print the migration account's URL (after start)
#   scripts/db.sh stop     shut it down cleanly and wait until it is gone
#   scripts/db.sh status   exit 0 if it is running
#   scripts/db.sh sql ARGS run the mariadb client as admin on database xinyidai
#
# The server listens on a Unix socket only (no TCP), runs as the calling OS user
# and reads no system option file: everything it needs is in $XYD_VAR/my.cnf,
# which this script rewrites on every start. The admin is the calling OS user
# through unix_socket authentication. Two application accounts, each with a
# random password kept in a 0600 file created once:
#   'xinyidai'@'localhost'          the server's (XYD_DB), $XYD_VAR/db-password;
#       no rights of its own here: the migration step grants it table rights
#       (models/grants.h), and takes back any database-wide rights it had;
#   'xinyidai_migrate'@'localhost'  migrations (XYD_DB_MIGRATE), every right on
#       the database WITH GRANT OPTION, $XYD_VAR/db-migrate-password.
#
# Environment:
#   XYD_VAR      state directory (default: <repo>/var); a relative path is taken
#                from the current directory
#   XYD_DB_FAST  1 = trade durability for speed (tests): the redo log is flushed
#                once a second instead of at every commit. Read at start only.
set -euo pipefail

SOCKET_MAX_BYTES=107   # sun_path is 108 bytes including the terminating NUL
START_TIMEOUT_S=60
STOP_TIMEOUT_S=30
DB_NAME=xinyidai
DB_USER=xinyidai
DB_MIGRATE_USER=xinyidai_migrate

say() { printf 'db.sh: %s\n' "$*" >&2; }
die() { printf 'db.sh: %s\n' "$*" >&2; exit 1; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
var=${XYD_VAR:-$root/var}
[[ $var == /* ]] || var=$PWD/$var
if [[ ${1:-} == start ]]; then
	mkdir -p "$var" || die "cannot create state directory '$var'"
fi
[[ -d $var ]] && var=$(cd "$var" && pwd)
# Option files, URLs and the socket limit all want a plain path.
[[ $var =~ ^[A-Za-z0-9/._+@,=~-]+$ ]] \
	|| die "cannot use state directory '$var': only letters, digits and / . _ + @ , = ~ - are allowed in XYD_VAR"
datadir=$var/db
sock=$var/mysqld.sock
pidfile=$var/mariadb.pid
logfile=$var/mariadb.log
cnf=$var/my.cnf
pwfile=$var/db-password
migrate_pwfile=$var/db-migrate-password
sock_bytes=${#sock}   # ASCII only, checked above
(( sock_bytes < SOCKET_MAX_BYTES )) \
	|| die "cannot use socket '$sock': it is $sock_bytes bytes, the limit is $((SOCKET_MAX_BYTES - 1)); set XYD_VAR to a shorter directory"

os_user=$(id -un)

find_mariadbd() {
	local p
	for p in "$(command -v mariadbd 2>/dev/null || true)" /usr/sbin/mariadbd /usr/libexec/mariadbd; do
		[[ -n $p && -x $p ]] && { printf '%s\n' "$p"; return 0; }
	done
	die "cannot find mariadbd: install mariadb-server (scripts/deps.sh)"
}

# alive PID: the process exists and is not a zombie.
alive() {
	local pid=$1 stat
	kill -0 "$pid" 2>/dev/null || return 1
	stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat%% *} != Z ]]
}

# server_pid: print the pid of our running mariadbd, or fail.
server_pid() {
	local pid comm
	[[ -s $pidfile ]] || return 1
	pid=$(<"$pidfile")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	alive "$pid" || return 1
	comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
	[[ $comm == mariadbd || $comm == mysqld ]] || return 1
	printf '%s\n' "$pid"
}

write_cnf() {
	local flush=1
	[[ ${XYD_DB_FAST:-0} == 1 ]] && flush=2
	umask 077
	cat >"$cnf.tmp" <<EOF
# Written by scripts/db.sh at every start; edits here are overwritten.
[client-server]
socket = $sock

[client]
default-character-set = utf8mb4

[mariadbd]
user = $os_user
datadir = $datadir
socket = $sock
pid-file = $pidfile
log-error = $logfile
skip-networking
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
# One connection per server worker thread, plus tests, benchmarks and admin.
max_connections = 200
thread_cache_size = 32
max_allowed_packet = 64M
# Small machine: 256 MiB of InnoDB cache, little else.
innodb_buffer_pool_size = 1G
innodb_log_file_size = 64M
innodb_flush_log_at_trx_commit = $flush
innodb_print_all_deadlocks = ON
key_buffer_size = 8M
aria_pagecache_buffer_size = 16M
tmp_table_size = 32M
max_heap_table_size = 32M
performance_schema = OFF
local_infile = OFF
EOF
	mv -f "$cnf.tmp" "$cnf"
}

init_datadir() {
	local tmp=$var/db.init
	say "initialising a new database in $datadir"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	if ! mariadb-install-db --defaults-file="$cnf" --datadir="$tmp" \
		--auth-root-authentication-method=socket --skip-test-db \
		--user="$os_user" >"$var/install-db.log" 2>&1; then
		tail -n 30 "$var/install-db.log" >&2
		rm -rf "$tmp"
		die "cannot initialise database in '$tmp' (log: $var/install-db.log)"
	fi
	mv "$tmp" "$datadir"
}

# launch: start mariadbd in its own session, detached from our terminal and
# from every file descriptor we hold (a caller's $(...) pipe, the lock).
launch() {
	local mariadbd
	mariadbd=$(find_mariadbd)
	rm -f "$pidfile" "$sock" "$sock.lock"
	(
		for fd in "/proc/$BASHPID/fd/"*; do
			fd=${fd##*/}
			[[ $fd =~ ^[0-9]+$ ]] && (( fd > 2 )) && eval "exec $fd>&-" 2>/dev/null || true
		done
		exec setsid -w "$mariadbd" --defaults-file="$cnf"
	) </dev/null >>"$logfile" 2>&1 &
	launcher=$!   # setsid execs in place here, so this is mariadbd itself
	# Interrupted before it is ready: take it down rather than leave it behind.
	trap 'kill -TERM "$launcher" 2>/dev/null; exit 130' INT TERM HUP
}

wait_ready() {
	local deadline=$((SECONDS + START_TIMEOUT_S))
	while (( SECONDS < deadline )); do
		if ! alive "$launcher"; then
			tail -n 30 "$logfile" >&2
			die "mariadbd exited during start (log: $logfile)"
		fi
		if mariadb-admin --defaults-file="$cnf" --connect-timeout=2 ping >/dev/null 2>&1 && server_pid >/dev/null; then
			return 0
		fi
		sleep 0.2
	done
	tail -n 30 "$logfile" >&2
	kill -TERM "$launcher" 2>/dev/null || true
	die "mariadbd did not answer within ${START_TIMEOUT_S}s (log: $logfile)"
}

# read_password FILE: print the password in FILE, made once (0600).
read_password() {
	local file=$1 pw
	if [[ ! -s $file ]]; then
		(umask 077; od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$file.tmp")
		mv -f "$file.tmp" "$file"
	fi
	chmod 600 "$file"
	pw=$(<"$file")
	[[ $pw =~ ^[0-9a-f]{48}$ ]] || die "cannot use password file '$file': unexpected content (delete it to make a new one)"
	printf '%s\n' "$pw"
}

ensure_password() {
	password=$(read_password "$pwfile")
	migrate_password=$(read_password "$migrate_pwfile")
}

ensure_schema() {
	mariadb --defaults-file="$cnf" <<EOF
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$password';
ALTER USER '$DB_USER'@'localhost' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$DB_MIGRATE_USER'@'localhost' IDENTIFIED BY '$migrate_password';
ALTER USER '$DB_MIGRATE_USER'@'localhost' IDENTIFIED BY '$migrate_password';
GRANT ALL PRIVILEGES ON \`$DB_NAME\`.* TO '$DB_MIGRATE_USER'@'localhost' WITH GRANT OPTION;
EOF
}

cmd_start() {
	local pid
	exec 9>"$var/db.lock"
	flock -w 120 9 || die "cannot lock '$var/db.lock': another db.sh is busy"
	write_cnf
	if pid=$(server_pid); then
		say "reusing running MariaDB (pid $pid)"
	else
		[[ -d $datadir ]] || init_datadir
		say "starting MariaDB in $var"
		launch
		wait_ready
		trap - INT TERM HUP
		say "MariaDB is up (pid $(server_pid))"
	fi
	ensure_password
	ensure_schema || die "cannot create database '$DB_NAME' or user '$DB_USER' (log: $logfile)"
	exec 9>&-
	printf 'mariadb://%s:%s@localhost/%s?socket=%s\n' "$DB_USER" "$password" "$DB_NAME" "$sock"
}

wait_gone() { # wait_gone PID TIMEOUT_S
	local pid=$1 deadline=$((SECONDS + $2))
	while (( SECONDS < deadline )); do
		alive "$pid" || return 0
		sleep 0.2
	done
	! alive "$pid"
}

cmd_stop() {
	local pid
	exec 9>"$var/db.lock"
	flock -w 120 9 || die "cannot lock '$var/db.lock': another db.sh is busy"
	if ! pid=$(server_pid); then
		say "MariaDB is not running"
		rm -f "$pidfile"
		return 0
	fi
	say "stopping MariaDB (pid $pid)"
	timeout "$STOP_TIMEOUT_S" mariadb-admin --defaults-file="$cnf" shutdown >/dev/null 2>&1 || true
	if ! wait_gone "$pid" "$STOP_TIMEOUT_S"; then
		say "MariaDB did not shut down within ${STOP_TIMEOUT_S}s; sending SIGTERM"
		kill -TERM "$pid" 2>/dev/null || true
		if ! wait_gone "$pid" "$STOP_TIMEOUT_S"; then
			say "MariaDB ignored SIGTERM; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null || true
			wait_gone "$pid" 10 || die "cannot stop MariaDB (pid $pid)"
		fi
	fi
	rm -f "$pidfile"
	say "MariaDB stopped"
}

cmd_migrate_url() {
	[[ -s $migrate_pwfile ]] || die "no migration account yet in $var (run scripts/db.sh start first)"
	migrate_password=$(read_password "$migrate_pwfile")
	printf 'mariadb://%s:%s@localhost/%s?socket=%s\n' "$DB_MIGRATE_USER" "$migrate_password" "$DB_NAME" "$sock"
}

cmd_status() {
	local pid
	if pid=$(server_pid); then
		printf 'running (pid %s, socket %s)\n' "$pid" "$sock"
		return 0
	fi
	printf 'not running\n'
	return 1
}

cmd_sql() {
	server_pid >/dev/null || die "MariaDB is not running in $var (start it with scripts/db.sh start)"
	[[ -f $cnf ]] || die "cannot find '$cnf'"
	exec mariadb --defaults-file="$cnf" "$DB_NAME" "$@"
}

case ${1:-} in
start)  cmd_start ;;
stop)   cmd_stop ;;
status) cmd_status ;;
migrate-url) cmd_migrate_url ;;
sql)    shift; cmd_sql "$@" ;;
*)      printf 'usage: %s start|stop|status|migrate-url|sql [mariadb args...]\n' "$0" >&2; exit 2 ;;
esac
