/* A job on a thread of its own, every period: see periodic.h. */
#include "services/periodic.h"

#include <errno.h>
#include <time.h>

#include "common/log.h"
#include "models/db.h"

/* Waits one period, or less when stopped; called and returns with p->lock
 * held. True when the job should run again. */
static bool wait_period(periodic *p)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += p->period_ms / 1000;
	until.tv_nsec += (p->period_ms % 1000) * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while (!p->stopping && pthread_cond_timedwait(&p->wake, &p->lock, &until) != ETIMEDOUT)
		;
	return !p->stopping;
}

static void *periodic_main(void *arg)
{
	periodic *p = arg;
	models_thread_init();
	pthread_mutex_lock(&p->lock);
	bool run = p->run_at_start ? !p->stopping : wait_period(p);
	while (run) {
		pthread_mutex_unlock(&p->lock);
		p->fn(p->ctx);
		pthread_mutex_lock(&p->lock);
		run = wait_period(p);
	}
	pthread_mutex_unlock(&p->lock);
	models_thread_end();
	return NULL;
}

int periodic_start(periodic *p)
{
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->stopping = false;
	if (pthread_create(&p->thread, NULL, periodic_main, p) != 0) {
		log_msg(LOG_ERROR, "cannot start the %s thread", p->name);
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
		return -1;
	}
	p->started = true;
	return 0;
}

void periodic_stop(periodic *p)
{
	if (!p->started)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = true;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	p->started = false;
}
