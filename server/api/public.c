/* Public answers: health, metrics and the reference data. */
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "server/api/handlers.h"
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

static char *render_items(cJSON *items)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "items", items);
	char *text = json_print(o);
	cJSON_Delete(o);
	return text;
}

void handlers_render_reference(xyd_app *app)
{
	const models_reference *ref = &app->reference;
	cJSON *towns = cJSON_CreateArray(), *parks = cJSON_CreateArray(),
	      *inds = cJSON_CreateArray();
	for (size_t i = 0; i < ref->ntowns; i++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddStringToObject(t, "code", ref->towns[i].code);
		cJSON_AddStringToObject(t, "name", ref->towns[i].name);
		cJSON_AddStringToObject(t, "name_en", ref->towns[i].name_en);
		cJSON_AddStringToObject(t, "kind", ref->towns[i].kind);
		cJSON_AddItemToArray(towns, t);
	}
	for (size_t i = 0; i < ref->nparks; i++) {
		cJSON *p = cJSON_CreateObject();
		json_add_int(p, "id", ref->parks[i].id);
		cJSON_AddStringToObject(p, "code", ref->parks[i].code);
		cJSON_AddStringToObject(p, "name", ref->parks[i].name);
		cJSON_AddStringToObject(p, "name_en", ref->parks[i].name_en);
		cJSON_AddStringToObject(p, "operator", ref->parks[i].operator_name);
		cJSON_AddStringToObject(p, "focus", ref->parks[i].focus);
		cJSON_AddItemToArray(parks, p);
	}
	for (size_t i = 0; i < ref->nindustries; i++) {
		cJSON *d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "code", ref->industries[i].code);
		cJSON_AddStringToObject(d, "name", ref->industries[i].name);
		cJSON_AddStringToObject(d, "name_en", ref->industries[i].name_en);
		json_add_int(d, "division_min", ref->industries[i].division_min);
		json_add_int(d, "division_max", ref->industries[i].division_max);
		cJSON_AddItemToArray(inds, d);
	}
	app->towns_json = render_items(towns);
	app->parks_json = render_items(parks);
	app->industries_json = render_items(inds);
}
