/* Housekeeping thread: see housekeeping.h. */
#include "services/housekeeping.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "common/log.h"
#include "models/applications.h"

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool started, stopping;
	int interval_s;
	const models_db_url *url;
} hk = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Expires batch after batch until one comes back short (or the database
 * fails: the next round tries again). */
static void expire_applications(models_db *db)
{
	int total = 0, n = 0;
	xyd_status st;
	do {
		st = models_application_expire_due(db, APP_EXPIRY_BATCH_MAX, &n);
		total += n;
	} while (st == XYD_OK && n == APP_EXPIRY_BATCH_MAX);
	if (st != XYD_OK)
		log_msg(LOG_WARN, "housekeeping: cannot expire stale applications (status %d)", (int)st);
	/* An expired application keeps the place it took in its product's
	 * month, so the matching catalogue does not change. */
	if (total > 0)
		log_msg(LOG_INFO, "housekeeping: %d stale applications expired", total);
}

static void *housekeeping_main(void *arg)
{
	(void)arg;
	models_thread_init();
	models_db *db = NULL;
	pthread_mutex_lock(&hk.lock);
	while (!hk.stopping) {
		pthread_mutex_unlock(&hk.lock);
		xyd_status st = XYD_OK;
		if (!db)
			db = models_db_new(hk.url, &st);
		if (st == XYD_OK)
			expire_applications(db);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += hk.interval_s;
		pthread_mutex_lock(&hk.lock);
		while (!hk.stopping &&
		       pthread_cond_timedwait(&hk.wake, &hk.lock, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&hk.lock);
	models_db_free(db);
	models_thread_end();
	return NULL;
}

int housekeeping_start(const models_db_url *url, int interval_s)
{
	hk.url = url;
	hk.interval_s = interval_s;
	hk.stopping = false;
	if (pthread_create(&hk.thread, NULL, housekeeping_main, NULL) != 0) {
		log_msg(LOG_ERROR, "cannot start the housekeeping thread");
		return -1;
	}
	hk.started = true;
	return 0;
}

void housekeeping_stop(void)
{
	if (!hk.started)
		return;
	pthread_mutex_lock(&hk.lock);
	hk.stopping = true;
	pthread_cond_signal(&hk.wake);
	pthread_mutex_unlock(&hk.lock);
	pthread_join(hk.thread, NULL);
	hk.started = false;
}
