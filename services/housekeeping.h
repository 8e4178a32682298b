/*
 * Housekeeping: one background thread, with its own database connection,
 * that does what the calendar decides rather than a caller — today, expiring
 * stale applications (models_application_expire_due). It runs a round at
 * start and then every config housekeeping_s seconds, so requests never wait
 * for it.
 */
#ifndef XYD_HOUSEKEEPING_H
#define XYD_HOUSEKEEPING_H

#include "models/db.h"

/* Starts the thread; url must outlive housekeeping_stop. 0 or -1 (logged). */
int housekeeping_start(const models_db_url *url, int interval_s);
/* Wakes the thread, waits for its round to end and joins it. Safe to call
 * when it was never started. */
void housekeeping_stop(void);

#endif
