/*
 * Scorecard versions: GET and POST /api/v1/credit-models and
 * POST /api/v1/credit-models/{version}/activate (bureau). A version's
 * weights are checked whole (server/api/credit_weights.c) and stored as data;
 * activating one makes it the only active model and rescores every
 * enterprise before the answer, each score naming the version that made
 * it. Activating the active version again is 200 and rescores again, so a
 * rescoring cut short (the database went away) is finished by repeating
 * the call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/credit.h"
#include "services/credit_service.h"
#include "server/api/credit_weights.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"

#define VERSION_MAX 32

/* 1-32 of A-Z a-z 0-9 _ . - (the column is ASCII; the path takes these). */
static bool version_valid(const char *v)
{
	return validate_token(v, strlen(v), VERSION_MAX);
}

/* The stored weights, in the canonical key order when they read. */
static cJSON *json_weights(const models_credit_model *m)
{
	scoring_weights w;
	api_error err = {0};
	if (credit_weights_from_text(m->weights_json, &w, &err) == XYD_OK)
		return credit_weights_to_json(&w);
	log_msg(LOG_WARN, "credit model '%s' has weights that do not read: %s", m->version,
		err.message);
	cJSON *raw = cJSON_Parse(m->weights_json);
	return raw ? raw : cJSON_CreateNull();
}

static cJSON *json_model(const void *row, const void *ctx)
{
	const models_credit_model *m = row;
	(void)ctx;
	cJSON *o = json_record(m, models_credit_model_rec());
	cJSON_AddItemToObject(o, "weights", json_weights(m));
	return o;
}

xyd_status handle_credit_models_list(request_ctx *rc)
{
	int limit;
	int64_t after;
	xyd_status st;
	if ((st = request_page(rc, &limit, &after)) != XYD_OK)
		return st;
	models_credit_model *rows;
	size_t n;
	bool more;
	st = models_credit_model_list(rc->db, after, limit, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_credit_model_rec(), json_model,
				 NULL);
}

static const json_field model_fields[] = {
	{"version", JSON_T_STRING, true, false, 1, VERSION_MAX},
	{"weights", JSON_T_OBJECT, true, false, 0, 0},
};
const route_body credit_models_create_body = {model_fields, ARRAY_SIZE(model_fields), false};

xyd_status handle_credit_models_create(request_ctx *rc)
{
	const cJSON *body = rc->body;
	scoring_weights w;
	xyd_status st;
	const char *version = json_get_string(body, "version");
	if (!version_valid(version))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "version",
				     "version must be 1 to %d letters, digits, '_', '.' or '-'",
				     VERSION_MAX);
	if ((st = credit_weights_from_json(json_get(body, "weights"), "weights", &w, &rc->err)) !=
	    XYD_OK)
		return st;
	cJSON *canonical = credit_weights_to_json(&w);
	char *text = json_print(canonical);
	cJSON_Delete(canonical);
	models_audit audit;
	request_audit(rc, &audit, "credit_model.create", "credit_model", 201);
	st = models_credit_model_create(rc->db, version, text, rc->who.user_id, &audit);
	free(text);
	if (st == XYD_CONFLICT)
		return api_error_set(&rc->err, st, "version", "credit model version '%s' exists",
				     version);
	models_credit_model *m = xmalloc(sizeof *m);
	if (st == XYD_OK)
		st = models_credit_model_get(rc->db, version, m);
	st = st == XYD_OK ? reply_json(rc, 201, json_model(m, NULL)) : request_fail(rc, st);
	free(m);
	return st;
}

xyd_status handle_credit_models_activate(request_ctx *rc)
{
	const char *version = rc->match.strs[0];
	if (!version_valid(version))
		return api_error_set(&rc->err, XYD_NOT_FOUND, NULL, "no such credit model version");
	models_audit audit;
	request_audit(rc, &audit, "credit_model.activate", "credit_model", 200);
	snprintf(audit.target_id, sizeof audit.target_id, "%.*s", VERSION_MAX, version);
	bool was_active = false;
	xyd_status st = models_credit_model_activate(rc->db, version, &audit, &was_active);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&rc->err, st, NULL, "no credit model version '%s'", version);
	if (st != XYD_OK)
		return request_fail(rc, st);
	size_t rescored = 0;
	if ((st = credit_rescore_all(rc->db, &rescored)) != XYD_OK)
		return request_fail(rc, st);
	models_credit_model *m = xmalloc(sizeof *m);
	if ((st = models_credit_model_get(rc->db, version, m)) == XYD_OK) {
		cJSON *o = json_model(m, NULL);
		json_add_int(o, "rescored", (int64_t)rescored);
		st = reply_json(rc, 200, o);
	} else {
		st = request_fail(rc, st);
	}
	free(m);
	return st;
}
