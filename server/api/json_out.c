/* The JSON shapes of answers: see json_out.h. */
#include "server/api/json_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/validate.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"

void json_add_string_or_null(cJSON *o, const char *key, const char *s)
{
	if (s && *s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

void json_add_id_or_null(cJSON *o, const char *key, int64_t v)
{
	json_add_int_or_null(o, key, v != 0, v);
}

cJSON *json_user(const models_user *u)
{
	return json_record(u, models_user_rec());
}

cJSON *json_institution(const models_institution *i)
{
	return json_record(i, models_institution_rec());
}

/* ---- enterprises ---- */

/* The SET text "hi_tech,tech_sme" as ["hi_tech","tech_sme"]. */
static void add_tags(cJSON *o, const char *tags)
{
	cJSON *a = cJSON_AddArrayToObject(o, "tags");
	for (const char *p = tags; p && *p;) {
		size_t len = strcspn(p, ",");
		char name[32];
		if (len && len < sizeof name) {
			memcpy(name, p, len);
			name[len] = '\0';
			cJSON_AddItemToArray(a, cJSON_CreateString(name));
		}
		p += len + (p[len] == ',');
	}
}

/* A new object under key in o, or null there (and NULL back) when !present. */
static cJSON *add_object_or_null(cJSON *o, const char *key, bool present)
{
	if (present)
		return cJSON_AddObjectToObject(o, key);
	cJSON_AddNullToObject(o, key);
	return NULL;
}

static void add_credit_summary(cJSON *o, const models_enterprise_view *v,
			       json_enterprise_audience who)
{
	cJSON *c = add_object_or_null(o, "credit", v->scored);
	if (!c)
		return;
	json_add_int(c, "score", v->score);
	cJSON_AddStringToObject(c, "grade", v->grade);
	if (who == JSON_ENTERPRISE_BANK)
		return;
	cJSON_AddBoolToObject(c, "dishonest_debtor", v->dishonest_debtor);
	json_add_int(c, "broken_commitments", v->broken_commitments);
	cJSON_AddStringToObject(c, "model_version", v->model_version);
}

static void add_whitelist_summary(cJSON *o, const models_enterprise_view *v)
{
	cJSON *w = add_object_or_null(o, "whitelist", v->whitelist_id != 0);
	if (!w)
		return;
	json_add_int(w, "id", v->whitelist_id);
	cJSON_AddStringToObject(w, "status", v->whitelist_status);
	json_add_string_or_null(w, "valid_until", v->whitelist_valid_until);
}

cJSON *json_enterprise_view(const models_enterprise_view *v, json_enterprise_audience who)
{
	char id_no[32], phone[32];
	cJSON *o = json_record(v, models_enterprise_view_rec());
	if (who == JSON_ENTERPRISE_FULL) {
		cJSON_AddStringToObject(o, "legal_rep_id_no", v->legal_rep_id_no);
		cJSON_AddStringToObject(o, "phone", v->phone);
	} else {
		mask_id_no(v->legal_rep_id_no, id_no, sizeof id_no);
		mask_phone(v->phone, phone, sizeof phone);
		cJSON_AddStringToObject(o, "legal_rep_id_no", id_no);
		cJSON_AddStringToObject(o, "phone", phone);
	}
	add_tags(o, v->tags);
	add_credit_summary(o, v, who);
	add_whitelist_summary(o, v);
	cJSON_AddStringToObject(o, "updated_at", v->updated_at[0] ? v->updated_at : v->created_at);
	return o;
}

cJSON *json_enterprise(const models_enterprise *e, bool unmasked)
{
	models_enterprise_view v;
	memset(&v, 0, sizeof v);
	v.id = e->id;
	v.park_id = e->park_id;
	v.registered_capital_fen = e->registered_capital_fen;
	v.employees = e->employees;
	v.annual_revenue_fen = e->annual_revenue_fen;
#define COPY_TEXT(m) snprintf(v.m, sizeof v.m, "%s", e->m)
	COPY_TEXT(uscc);
	COPY_TEXT(name);
	COPY_TEXT(legal_rep_name);
	COPY_TEXT(legal_rep_id_no);
	COPY_TEXT(phone);
	COPY_TEXT(industry);
	COPY_TEXT(town);
	COPY_TEXT(founded_on);
	COPY_TEXT(size_class);
	COPY_TEXT(created_at);
#undef COPY_TEXT
	return json_enterprise_view(&v, unmasked ? JSON_ENTERPRISE_FULL : JSON_ENTERPRISE_BANK);
}

xyd_status json_read_tags(request_ctx *rc, const cJSON *arr, const char *path, bool per_item,
			  char *out, size_t size)
{
	bool seen[MODELS_ENTERPRISE_TAG_COUNT] = {false};
	size_t i = 0, used = 0;
	const cJSON *v;
	cJSON_ArrayForEach(v, arr) {
		char item[64];
		int k = validate_name_index(cJSON_IsString(v) ? v->valuestring : NULL,
					    models_enterprise_tag_names,
					    MODELS_ENTERPRISE_TAG_COUNT);
		snprintf(item, sizeof item, "%s[%zu]", path, i++);
		if (k < 0)
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED,
					     per_item ? item : path,
					     "%s must be one of hi_tech, specialized, tech_sme, "
					     "agri_entity, integrity_model",
					     item);
		if (seen[k])
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED,
					     per_item ? item : path, "%s repeats '%s'", item,
					     v->valuestring);
		seen[k] = true;
	}
	out[0] = '\0';
	for (size_t k = 0; k < MODELS_ENTERPRISE_TAG_COUNT; k++)
		if (seen[k])
			used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "," : "",
						 models_enterprise_tag_names[k]);
	return XYD_OK;
}

cJSON *json_authorization(const models_authorization *a)
{
	return json_record(a, models_authorization_rec());
}

/* ---- pages of records ---- */

xyd_status reply_record_page(request_ctx *rc, xyd_status st, void *rows, size_t n, bool more,
			     const rec_type *t, json_row_fn row_json, const void *ctx)
{
	const rec_field *id = NULL;
	if (st != XYD_OK) {
		free(rows);
		return request_fail(rc, st);
	}
	for (size_t i = 0; i < t->nfields && !id; i++)
		if (strcmp(t->fields[i].name, "id") == 0)
			id = &t->fields[i];
	XYD_ASSERT(id && id->type == REC_T_I64);
	cJSON *items = cJSON_CreateArray();
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		const char *row = (const char *)rows + i * t->size;
		cJSON_AddItemToArray(items, row_json ? row_json(row, ctx) : json_record(row, t));
	}
	if (n)
		memcpy(&last, (const char *)rows + (n - 1) * t->size + id->offset, sizeof last);
	free(rows);
	return reply_list(rc, items, more, last);
}

xyd_status reply_page_of(request_ctx *rc, json_page_fn list, const rec_type *t,
			 json_row_fn row_json)
{
	int limit;
	int64_t after;
	xyd_status st = request_page(rc, &limit, &after);
	if (st != XYD_OK)
		return st;
	void *rows = NULL;
	size_t n = 0;
	bool more = false;
	st = list(rc->db, after, limit, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, t, row_json, NULL);
}
