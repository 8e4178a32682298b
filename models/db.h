/*
 * The database connection a worker thread owns. The server sees only this
 * door: connect, ask whether the database is up, free. Everything that
 * speaks SQL lives in models/ behind the per-table headers.
 *
 * One models_db is one MariaDB connection with its cache of prepared
 * statements. It is not thread-safe: each worker owns its own. When the
 * server restarts or the network drops, the next call reconnects (at most
 * every reconnect_ms) and prepares its statements again; until then calls
 * answer XYD_UNAVAILABLE at once. A database that hangs costs a call at most
 * the handle's timeout (models_db_url.timeout_s), and none at all once the
 * watchdog's verdict (models_db_reachable) says it is down.
 */
#ifndef XYD_MODELS_DB_H
#define XYD_MODELS_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

typedef struct models_db models_db;

typedef struct {
	char *host;
	char *user;
	char *password;
	char *database;
	char *socket; /* NULL: TCP to host:port */
	unsigned port;
	/* Seconds a read or a write on the connection may wait before the call
	 * fails as a lost connection (and connecting waits at most this, capped
	 * at 3 s); 0 takes MODELS_DB_TIMEOUT_DEFAULT_S. Not part of the URL: the
	 * caller sets it after parsing (short for request paths, long for
	 * migrations). */
	unsigned timeout_s;
} models_db_url;

#define MODELS_DB_TIMEOUT_DEFAULT_S 30

/* Parses mariadb://user:password@host[:port]/dbname[?socket=/path].
 * Returns 0, or -1 with a message in err. Release with models_db_url_release. */
int models_db_url_parse(const char *url, models_db_url *out, char *err, size_t err_size);
void models_db_url_release(models_db_url *url);

/* Once per process before any thread connects / after all have closed. */
int models_library_init(void);
void models_library_end(void);
/* Once in each thread that uses a connection, before and after. */
void models_thread_init(void);
void models_thread_end(void);

/* A handle for url (copied); connects now and reports whether that worked.
 * The handle is usable either way: later calls reconnect. Free with
 * models_db_free. */
models_db *models_db_new(const models_db_url *url, xyd_status *connect_status);
void models_db_free(models_db *db);

/* A new handle on the same database as db, with its own connection (for a
 * helper thread: each thread uses only its own handle). As models_db_new;
 * free with models_db_free. */
models_db *models_db_clone(const models_db *db, xyd_status *connect_status);

/* True when the connection is up, reconnecting first if it is down and the
 * last attempt is older than the reconnect interval. Never blocks longer
 * than the connect timeout. False at once while models_db_reachable() is
 * false (an open transaction's connection is then closed, so the database
 * rolls it back) and after a transaction lost its connection. */
bool models_db_available(models_db *db);

/* The process-wide verdict of the database watchdog (services/db_watchdog.c):
 * true until a probe fails or a call on any handle waits out its whole
 * timeout, false until a probe succeeds again. While it is false every call
 * on every handle answers XYD_UNAVAILABLE at once, without touching its
 * connection or reconnecting, so a hung database costs a request nothing;
 * models_db_probe alone still goes to the database. Lock-free. */
bool models_db_reachable(void);
void models_db_set_reachable(bool up);

/* For the watchdog, on its own handle: (re)connects if need be and makes a
 * round trip (a ping), within the handle's timeout whatever the verdict.
 * True when the database answered. */
bool models_db_probe(models_db *db);

/* Counters for /metrics. */
typedef struct {
	uint64_t queries;
	uint64_t errors;
	uint64_t reconnects;
	bool up;
} models_db_stats;
void models_db_get_stats(const models_db *db, models_db_stats *out);

#endif
