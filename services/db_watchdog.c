/* Database watchdog: see db_watchdog.h. */
#include "services/db_watchdog.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "common/log.h"

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool started, stopping;
	models_db *db;
} wd = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* One probe; logs each change of verdict once. */
static void probe(void)
{
	bool was = models_db_reachable(), up = models_db_probe(wd.db);
	models_db_set_reachable(up);
	if (was && !up)
		log_msg(LOG_WARN, "database watchdog: no answer within %d s; requests answer 503 "
				  "until it answers again", DB_WATCHDOG_TIMEOUT_S);
	else if (!was && up)
		log_msg(LOG_INFO, "database watchdog: the database answers again");
}

static void *watchdog_main(void *arg)
{
	(void)arg;
	models_thread_init();
	pthread_mutex_lock(&wd.lock);
	while (!wd.stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += DB_WATCHDOG_PERIOD_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		while (!wd.stopping && pthread_cond_timedwait(&wd.wake, &wd.lock, &until) != ETIMEDOUT)
			;
		if (wd.stopping)
			break;
		pthread_mutex_unlock(&wd.lock);
		probe();
		pthread_mutex_lock(&wd.lock);
	}
	pthread_mutex_unlock(&wd.lock);
	models_thread_end();
	return NULL;
}

int db_watchdog_start(const models_db_url *url)
{
	models_db_url mine = *url;	/* shallow: models_db_new copies the strings */
	mine.timeout_s = DB_WATCHDOG_TIMEOUT_S;
	wd.db = models_db_new(&mine, NULL);
	wd.stopping = false;
	probe();
	if (pthread_create(&wd.thread, NULL, watchdog_main, NULL) != 0) {
		log_msg(LOG_ERROR, "cannot start the database watchdog thread");
		models_db_free(wd.db);
		wd.db = NULL;
		return -1;
	}
	wd.started = true;
	return 0;
}

void db_watchdog_stop(void)
{
	if (!wd.started)
		return;
	pthread_mutex_lock(&wd.lock);
	wd.stopping = true;
	pthread_cond_signal(&wd.wake);
	pthread_mutex_unlock(&wd.lock);
	pthread_join(wd.thread, NULL);
	models_db_free(wd.db);
	wd.db = NULL;
	wd.started = false;
}
