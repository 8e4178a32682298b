/* The JSON shapes of answers: see json_out.h. */
#include "server/api/json_out.h"

#include <string.h>

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
	if (v)
		json_add_int(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
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

static void add_credit_summary(cJSON *o, const models_enterprise_view *v,
			       json_enterprise_audience who)
{
	if (!v->scored) {
		cJSON_AddNullToObject(o, "credit");
		return;
	}
	cJSON *c = cJSON_AddObjectToObject(o, "credit");
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
	if (!v->whitelist_id) {
		cJSON_AddNullToObject(o, "whitelist");
		return;
	}
	cJSON *w = cJSON_AddObjectToObject(o, "whitelist");
	json_add_int(w, "id", v->whitelist_id);
	cJSON_AddStringToObject(w, "status", v->whitelist_status);
	json_add_string_or_null(w, "valid_until", v->whitelist_valid_until);
}

cJSON *json_enterprise_view(const models_enterprise_view *v, json_enterprise_audience who)
{
	const models_enterprise *e = &v->e;
	char id_no[32], phone[32];
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "id", e->id);
	cJSON_AddStringToObject(o, "uscc", e->uscc);
	cJSON_AddStringToObject(o, "name", e->name);
	cJSON_AddStringToObject(o, "legal_rep_name", e->legal_rep_name);
	if (who == JSON_ENTERPRISE_FULL) {
		cJSON_AddStringToObject(o, "legal_rep_id_no", e->legal_rep_id_no);
		cJSON_AddStringToObject(o, "phone", e->phone);
	} else {
		mask_id_no(e->legal_rep_id_no, id_no, sizeof id_no);
		mask_phone(e->phone, phone, sizeof phone);
		cJSON_AddStringToObject(o, "legal_rep_id_no", id_no);
		cJSON_AddStringToObject(o, "phone", phone);
	}
	cJSON_AddStringToObject(o, "industry", e->industry);
	cJSON_AddStringToObject(o, "town", e->town);
	json_add_id_or_null(o, "park_id", e->park_id);
	json_add_int(o, "registered_capital_fen", e->registered_capital_fen);
	cJSON_AddStringToObject(o, "founded_on", e->founded_on);
	json_add_int(o, "employees", e->employees);
	json_add_int(o, "annual_revenue_fen", e->annual_revenue_fen);
	cJSON_AddStringToObject(o, "size_class", e->size_class);
	add_tags(o, v->tags);
	add_credit_summary(o, v, who);
	add_whitelist_summary(o, v);
	cJSON_AddStringToObject(o, "created_at", e->created_at);
	cJSON_AddStringToObject(o, "updated_at", v->updated_at[0] ? v->updated_at : e->created_at);
	return o;
}

cJSON *json_enterprise(const models_enterprise *e, bool unmasked)
{
	models_enterprise_view v;
	memset(&v, 0, sizeof v);
	v.e = *e;
	v.total_assets_fen = -1;
	return json_enterprise_view(&v, unmasked ? JSON_ENTERPRISE_FULL : JSON_ENTERPRISE_BANK);
}

cJSON *json_authorization(const models_authorization *a)
{
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "id", a->id);
	json_add_int(o, "enterprise_id", a->enterprise_id);
	json_add_int(o, "institution_id", a->institution_id);
	cJSON_AddStringToObject(o, "institution_name", a->institution_name);
	cJSON_AddStringToObject(o, "source", a->source);
	json_add_id_or_null(o, "application_id", a->application_id);
	cJSON_AddStringToObject(o, "granted_at", a->granted_at);
	cJSON_AddStringToObject(o, "expires_at", a->expires_at);
	json_add_string_or_null(o, "revoked_at", a->revoked_at);
	cJSON_AddStringToObject(o, "status", a->status);
	return o;
}
