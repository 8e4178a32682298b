/*
 * The database watchdog: one background thread with its own connection and
 * short timeouts that probes the database every DB_WATCHDOG_PERIOD_MS and
 * keeps the process-wide verdict (models_db_reachable). /api/v1/health
 * answers from that verdict without touching the database, and while it
 * says "down" every request that needs the database answers 503 at once
 * instead of waiting on a hung server. Once a probe gets an answer again
 * the verdict turns back and the workers reconnect by themselves.
 */
#ifndef XYD_DB_WATCHDOG_H
#define XYD_DB_WATCHDOG_H

#include "models/db.h"

#define DB_WATCHDOG_PERIOD_MS 500
#define DB_WATCHDOG_TIMEOUT_S 1

/* Probes once (setting the verdict), then starts the thread; url (copied,
 * its timeout replaced by DB_WATCHDOG_TIMEOUT_S) names the database.
 * 0 or -1 (logged). */
int db_watchdog_start(const models_db_url *url);
/* Stops and joins the thread; safe when it was never started. */
void db_watchdog_stop(void);

#endif
