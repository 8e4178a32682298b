/* Housekeeping thread: see housekeeping.h. */
#include "services/housekeeping.h"


#include "common/log.h"
#include "models/applications.h"
#include "services/periodic.h"

static struct {
	const models_db_url *url;
	models_db *db; /* connected on the first run */
} hk;
static periodic hk_thread;

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
		log_msg(LOG_WARN, "housekeeping: cannot expire stale applications (status %d)",
			(int)st);
	/* An expired application keeps the place it took in its product's
	 * month, so the matching catalogue does not change. */
	if (total > 0)
		log_msg(LOG_INFO, "housekeeping: %d stale applications expired", total);
}

static void housekeeping_run(void *ctx)
{
	(void)ctx;
	xyd_status st = XYD_OK;
	if (!hk.db)
		hk.db = models_db_new(hk.url, &st);
	if (st == XYD_OK)
		expire_applications(hk.db);
}

int housekeeping_start(const models_db_url *url, int interval_s)
{
	hk.url = url;
	hk_thread = (periodic){.name = "housekeeping",
			       .period_ms = interval_s * 1000L,
			       .run_at_start = true,
			       .fn = housekeeping_run};
	return periodic_start(&hk_thread);
}

void housekeeping_stop(void)
{
	periodic_stop(&hk_thread);
	models_db_free(hk.db);
	hk.db = NULL;
}
