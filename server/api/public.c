/* Public answers: health, metrics and the reference data. */
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "server/api/handlers.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"
#include "server/http/worker.h"

/* From the watchdog's verdict (services/db_watchdog.h): never waits on the
 * database, so it answers at once even while the database hangs. */
xyd_status handle_health(request_ctx *rc)
{
	bool up = models_db_reachable();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "status", up ? "ok" : "degraded");
	cJSON_AddStringToObject(o, "db", up ? "ok" : "down");
	cJSON_AddStringToObject(o, "version", XYD_VERSION);
	return reply_json(rc, up ? 200 : 503, o);
}

xyd_status handle_metrics(request_ctx *rc)
{
	char *text = metrics_render(rc->app, workers_running, workers_running_count);
	reply_raw(rc, 200, "text/plain; version=0.0.4; charset=utf-8", text, strlen(text));
	free(text);
	return XYD_OK;
}

xyd_status handle_towns(request_ctx *rc)
{
	return reply_json_text(rc, 200, rc->app->towns_json);
}

xyd_status handle_parks(request_ctx *rc)
{
	return reply_json_text(rc, 200, rc->app->parks_json);
}

xyd_status handle_industries(request_ctx *rc)
{
	return reply_json_text(rc, 200, rc->app->industries_json);
}

/* {"items": [rows[0..n)]} as text (malloc'd). */
static char *render_items(const void *rows, size_t n, const rec_type *t)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "items", json_record_array(rows, n, t));
	char *text = json_print(o);
	cJSON_Delete(o);
	return text;
}

void handlers_render_reference(xyd_app *app)
{
	const models_reference *ref = &app->reference;
	app->towns_json = render_items(ref->towns, ref->ntowns, reference_town_rec());
	app->parks_json = render_items(ref->parks, ref->nparks, reference_park_rec());
	app->industries_json = render_items(ref->industries, ref->nindustries,
					    reference_industry_rec());
}
