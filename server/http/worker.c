/*
 * Worker threads and their metrics. Each worker binds its own listening
 * socket with SO_REUSEPORT, so the kernel spreads new connections over the
 * workers; one shared accept socket did not spread them, measured here.
 */
#include "server/http/worker.h"

#include <arpa/inet.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "server/http/body_limits.h"

#define LISTEN_BACKLOG 1024
#define MAX_HEADERS_BYTES (16 * 1024)
#define SHUTDOWN_GRACE_MS 300

worker *workers_running;
int workers_running_count;

static const int status_buckets[METRICS_STATUS_BUCKETS - 1] = {200, 201, 204, 304, 400, 401, 403,
							       404, 405, 409, 413, 429, 500, 503};
static const double latency_bounds_s[METRICS_LATENCY_BUCKETS - 1] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

void metrics_record(worker *w, size_t route_index, int status, uint64_t micros)
{
	route_metrics *m = &w->metrics[route_index];
	int b = METRICS_STATUS_BUCKETS - 1;
	for (int i = 0; i < METRICS_STATUS_BUCKETS - 1; i++)
		if (status_buckets[i] == status)
			b = i;
	/* Only this thread writes; relaxed atomics let /metrics read from another. */
	__atomic_fetch_add(&m->count[b], 1, __ATOMIC_RELAXED);
	for (int i = 0; i < METRICS_LATENCY_BUCKETS; i++)
		if (i == METRICS_LATENCY_BUCKETS - 1 || (double)micros / 1e6 <= latency_bounds_s[i])
			__atomic_fetch_add(&m->latency[i], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&m->latency_sum_us, micros, __ATOMIC_RELAXED);
}

static const char *route_label(const xyd_app *app, size_t i, char *buf, size_t size)
{
	if (i == app->nroutes)
		return "unmatched";
	if (i == app->nroutes + 1)
		return "static";
	snprintf(buf, size, "%s %s", app->routes[i].method, app->routes[i].pattern);
	return buf;
}

/* Sum of one counter over all workers. */
#define SUM_OVER_WORKERS(ws, n, expr)                                                              \
	({                                                                                         \
		uint64_t sum_ = 0;                                                                 \
		for (int k_ = 0; k_ < (n); k_++) {                                                 \
			const worker *w_ = &(ws)[k_];                                              \
			sum_ += __atomic_load_n(&(expr), __ATOMIC_RELAXED);                        \
		}                                                                                  \
		sum_;                                                                              \
	})

static void render_counts(FILE *f, const xyd_app *app, const worker *ws, int n, size_t r)
{
	char label[160];
	route_label(app, r, label, sizeof label);
	for (int b = 0; b < METRICS_STATUS_BUCKETS; b++) {
		uint64_t c = SUM_OVER_WORKERS(ws, n, w_->metrics[r].count[b]);
		if (!c)
			continue;
		if (b < METRICS_STATUS_BUCKETS - 1)
			fprintf(f,
				"xyd_http_requests_total{route=\"%s\",status=\"%d\"} %" PRIu64 "\n",
				label, status_buckets[b], c);
		else
			fprintf(f,
				"xyd_http_requests_total{route=\"%s\",status=\"other\"} %" PRIu64
				"\n",
				label, c);
	}
}

static void render_latency(FILE *f, const xyd_app *app, const worker *ws, int n, size_t r)
{
	char label[160];
	route_label(app, r, label, sizeof label);
	uint64_t total = SUM_OVER_WORKERS(ws, n,
					  w_->metrics[r].latency[METRICS_LATENCY_BUCKETS - 1]);
	if (!total)
		return;
	for (int b = 0; b < METRICS_LATENCY_BUCKETS - 1; b++)
		fprintf(f,
			"xyd_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %" PRIu64
			"\n",
			label, latency_bounds_s[b],
			SUM_OVER_WORKERS(ws, n, w_->metrics[r].latency[b]));
	fprintf(f,
		"xyd_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %" PRIu64 "\n",
		label, total);
	fprintf(f, "xyd_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", label,
		(double)SUM_OVER_WORKERS(ws, n, w_->metrics[r].latency_sum_us) / 1e6);
	fprintf(f, "xyd_http_request_duration_seconds_count{route=\"%s\"} %" PRIu64 "\n", label,
		total);
}

char *metrics_render(const xyd_app *app, const worker *ws, int n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	fputs("# HELP xyd_http_requests_total HTTP requests answered, by route and status.\n"
	      "# TYPE xyd_http_requests_total counter\n",
	      f);
	for (size_t r = 0; r < app->nroutes + 2; r++)
		render_counts(f, app, ws, n, r);
	fputs("# HELP xyd_http_request_duration_seconds Time from request to answer, by route.\n"
	      "# TYPE xyd_http_request_duration_seconds histogram\n",
	      f);
	for (size_t r = 0; r < app->nroutes + 2; r++)
		render_latency(f, app, ws, n, r);
	uint64_t up = 0, q = 0, e = 0, rc = 0;
	for (int k = 0; k < n; k++) {
		models_db_stats s;
		models_db_get_stats(ws[k].db,
				    &s); /* racy read of plain counters: fine for metrics */
		up += s.up, q += s.queries, e += s.errors, rc += s.reconnects;
	}
	fprintf(f,
		"# HELP xyd_db_connections Database connections, one per worker, by state.\n"
		"# TYPE xyd_db_connections gauge\n"
		"xyd_db_connections{state=\"up\"} %" PRIu64
		"\nxyd_db_connections{state=\"down\"} %" PRIu64 "\n"
		"# TYPE xyd_db_queries_total counter\nxyd_db_queries_total %" PRIu64 "\n"
		"# TYPE xyd_db_errors_total counter\nxyd_db_errors_total %" PRIu64 "\n"
		"# TYPE xyd_db_reconnects_total counter\nxyd_db_reconnects_total %" PRIu64 "\n"
		"# TYPE xyd_workers gauge\nxyd_workers %d\n",
		up, (uint64_t)n - up, q, e, rc, n);
	fclose(f);
	return text;
}

/* ---- threads ---- */

static void stop_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	worker *w = arg;
	/* Stop accepting first; requests already read are answered before the
	 * loop ends, and evhttp_free then closes the idle connections. */
	if (w->bound) {
		evhttp_del_accept_socket(w->http, w->bound);
		w->bound = NULL;
	}
	struct timeval grace = {0, SHUTDOWN_GRACE_MS * 1000};
	event_base_loopexit(w->base, &grace);
}

static int worker_listen(worker *w)
{
	const xyd_config *cfg = w->app->config;
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons((uint16_t)cfg->listen_port)};
	if (inet_pton(AF_INET, cfg->listen_host, &sin.sin_addr) != 1) {
		log_msg(LOG_ERROR, "cannot listen on '%s': not an IPv4 address", cfg->listen_host);
		return -1;
	}
	struct evconnlistener *l = evconnlistener_new_bind(
		w->base, NULL, NULL,
		LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT | LEV_OPT_CLOSE_ON_FREE |
			LEV_OPT_CLOSE_ON_EXEC,
		LISTEN_BACKLOG, (struct sockaddr *)&sin, sizeof sin);
	if (!l) {
		log_msg(LOG_ERROR, "cannot listen on %s:%d", cfg->listen_host, cfg->listen_port);
		return -1;
	}
	w->bound = evhttp_bind_listener(w->http, l);
	return w->bound ? 0 : -1;
}

static int worker_setup(worker *w)
{
	const xyd_config *cfg = w->app->config;
	w->base = event_base_new();
	w->http = w->base ? evhttp_new(w->base) : NULL;
	if (!w->http)
		return -1;
	evhttp_set_max_headers_size(w->http, MAX_HEADERS_BYTES);
	/* The largest any route takes; each request's own limit is applied
	 * from its headers, before its body is read (body_limits.h). */
	evhttp_set_max_body_size(w->http, BODY_LIMIT_MAX);
	evhttp_set_bevcb(w->http, body_limits_bev_new, w);
	evhttp_set_timeout(w->http, cfg->request_timeout_s);
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
						    EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
						    EVHTTP_REQ_PATCH | EVHTTP_REQ_OPTIONS);
	evhttp_set_gencb(w->http, http_dispatch, w);
	w->stop_event = event_new(w->base, -1, 0, stop_cb, w);
	xyd_status st;
	w->db = models_db_new(&w->db_url, &st);
	if (st != XYD_OK)
		log_msg(LOG_WARN, "worker %d starts without a database connection", w->index);
	return worker_listen(w);
}

static void *worker_main(void *arg)
{
	worker *w = arg;
	models_thread_init();
	int rc = worker_setup(w);
	pthread_mutex_lock(&w->start_lock);
	w->start_status = rc;
	w->started = 1;
	pthread_cond_signal(&w->start_cond);
	pthread_mutex_unlock(&w->start_lock);
	if (rc == 0)
		event_base_dispatch(w->base);
	if (w->http)
		evhttp_free(w->http);
	if (w->stop_event)
		event_free(w->stop_event);
	if (w->base)
		event_base_free(w->base);
	models_db_free(w->db);
	w->db = NULL;
	models_thread_end();
	return NULL;
}

worker *workers_start(const xyd_app *app, const models_db_url *url, int n)
{
	if (evthread_use_pthreads() != 0)
		return NULL;
	worker *ws = xcalloc((size_t)n, sizeof *ws);
	int started = 0, failed = 0;
	for (int i = 0; i < n; i++) {
		worker *w = &ws[i];
		w->index = i;
		w->app = app;
		w->db_url = *url; /* borrowed: outlives the workers */
		w->metrics = xcalloc(app->nroutes + 2, sizeof *w->metrics);
		pthread_mutex_init(&w->start_lock, NULL);
		pthread_cond_init(&w->start_cond, NULL);
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
			break;
		started++;
		pthread_mutex_lock(&w->start_lock);
		while (!w->started)
			pthread_cond_wait(&w->start_cond, &w->start_lock);
		pthread_mutex_unlock(&w->start_lock);
		failed |= w->start_status;
	}
	workers_running = ws;
	workers_running_count = started;
	if (started < n || failed) {
		workers_stop(ws, started);
		return NULL;
	}
	return ws;
}

void workers_stop(worker *ws, int n)
{
	for (int i = 0; i < n; i++)
		if (ws[i].stop_event && ws[i].start_status == 0)
			event_active(ws[i].stop_event, EV_READ, 0);
	for (int i = 0; i < n; i++)
		pthread_join(ws[i].thread, NULL);
	workers_running = NULL;
	workers_running_count = 0;
	for (int i = 0; i < n; i++) {
		free(ws[i].metrics);
		pthread_mutex_destroy(&ws[i].start_lock);
		pthread_cond_destroy(&ws[i].start_cond);
	}
	free(ws);
}
