/* The JSON shapes of answers: see json_out.h. */
#include "server/json_out.h"

#include "common/validate.h"
#include "server/json_strict.h"

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
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "id", u->id);
	cJSON_AddStringToObject(o, "username", u->username);
	cJSON_AddStringToObject(o, "role", u->role);
	json_add_id_or_null(o, "org_id", u->org_id);
	json_add_string_or_null(o, "org_name", u->org_name);
	cJSON_AddStringToObject(o, "status", u->locked ? "locked" : "active");
	cJSON_AddStringToObject(o, "created_at", u->created_at);
	json_add_string_or_null(o, "last_login_at", u->last_login_at);
	return o;
}

cJSON *json_institution(const models_institution *i)
{
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "id", i->id);
	cJSON_AddStringToObject(o, "name", i->name);
	cJSON_AddStringToObject(o, "kind", i->kind);
	cJSON_AddStringToObject(o, "created_at", i->created_at);
	return o;
}

cJSON *json_enterprise(const models_enterprise *e, bool unmasked)
{
	char id_no[32], phone[32];
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "id", e->id);
	cJSON_AddStringToObject(o, "uscc", e->uscc);
	cJSON_AddStringToObject(o, "name", e->name);
	cJSON_AddStringToObject(o, "legal_rep_name", e->legal_rep_name);
	if (unmasked) {
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
	cJSON_AddStringToObject(o, "created_at", e->created_at);
	return o;
}
