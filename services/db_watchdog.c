/* Database watchdog: see db_watchdog.h. */
#include "services/db_watchdog.h"

#include <stdbool.h>

#include "common/log.h"
#include "services/periodic.h"

static models_db *probe_db;
static periodic wd;

/* One probe; logs each change of verdict once. */
static void probe(void *ctx)
{
	(void)ctx;
	bool was = models_db_reachable(), up = models_db_probe(probe_db);
	models_db_set_reachable(up);
	if (was && !up)
		log_msg(LOG_WARN,
			"database watchdog: no answer within %d s; requests answer 503 "
			"until it answers again",
			DB_WATCHDOG_TIMEOUT_S);
	else if (!was && up)
		log_msg(LOG_INFO, "database watchdog: the database answers again");
}

int db_watchdog_start(const models_db_url *url)
{
	models_db_url mine = *url; /* shallow: models_db_new copies the strings */
	mine.timeout_s = DB_WATCHDOG_TIMEOUT_S;
	probe_db = models_db_new(&mine, NULL);
	probe(NULL);
	wd = (periodic){
		.name = "database watchdog", .period_ms = DB_WATCHDOG_PERIOD_MS, .fn = probe};
	if (periodic_start(&wd) != 0) {
		models_db_free(probe_db);
		probe_db = NULL;
		return -1;
	}
	return 0;
}

void db_watchdog_stop(void)
{
	periodic_stop(&wd);
	models_db_free(probe_db);
	probe_db = NULL;
}
