/*
 * A thread that does one job every so often until it is stopped: the
 * database watchdog's probe, housekeeping's expiry of stale applications.
 * The thread calls models_thread_init/end around its life, so a job may use
 * a database handle of its own. Stopping wakes the thread at once (it does
 * not wait out the period) and joins it; a job already running finishes.
 */
#ifndef XYD_PERIODIC_H
#define XYD_PERIODIC_H

#include <pthread.h>
#include <stdbool.h>

typedef void (*periodic_fn)(void *ctx);

typedef struct {
	const char *name; /* for the log */
	long period_ms;
	bool run_at_start; /* the first run at once, else after one period */
	periodic_fn fn;
	void *ctx;
	/* the thread's, set by periodic_start */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool started, stopping;
} periodic;

/* Starts p's thread (p filled by the caller up to ctx; p must live until
 * periodic_stop returns). 0, or -1 (logged) when no thread could start. */
int periodic_start(periodic *p);
/* Stops and joins p's thread; nothing when it never started. */
void periodic_stop(periodic *p);

#endif
