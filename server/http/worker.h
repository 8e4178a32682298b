/*
 * Worker threads: each has its own event base, its own evhttp listening on
 * the shared port (SO_REUSEPORT spreads connections between them), its own
 * database connection and its own metric counters.
 */
#ifndef XYD_WORKER_H
#define XYD_WORKER_H

#include <pthread.h>
#include <stdint.h>

#include "models/db.h"
#include "server/http/http.h"

#define METRICS_STATUS_BUCKETS 15
#define METRICS_LATENCY_BUCKETS 14

typedef struct {
	uint64_t count[METRICS_STATUS_BUCKETS];
	uint64_t latency[METRICS_LATENCY_BUCKETS]; /* cumulative per bucket */
	uint64_t latency_sum_us;
} route_metrics;

typedef struct worker {
	int index;
	pthread_t thread;
	const xyd_app *app;
	models_db_url db_url;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct event *stop_event;
	models_db *db;
	route_metrics *metrics; /* app->nroutes + 2: unmatched, static */
	int start_status;	/* 0 once listening, -1 if it failed */
	pthread_mutex_t start_lock;
	pthread_cond_t start_cond;
	int started;
} worker;

/* Starts n workers listening on the configured address. Returns the array
 * (free with workers_stop) or NULL with a message logged. */
worker *workers_start(const xyd_app *app, const models_db_url *url, int n);
/* Stops accepting, lets in-flight requests finish, closes connections and
 * joins every thread; frees the array. */
void workers_stop(worker *ws, int n);

/* Metrics: record one answered request; render all workers' counters as
 * Prometheus text, a malloc'd string the caller frees with free(). */
void metrics_record(worker *w, size_t route_index, int status, uint64_t micros);
char *metrics_render(const xyd_app *app, const worker *ws, int n);

/* The workers of this process, for /metrics (set by workers_start). */
extern worker *workers_running;
extern int workers_running_count;

#endif
