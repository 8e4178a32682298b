/* Records as JSON: see json_record.h. */
#include "server/http/json_record.h"

#include <string.h>

#include "common/base.h"
#include "server/http/json_strict.h"

static void add_field(cJSON *o, const rec_field *f, const char *p)
{
	int64_t i64;
	int i32;
	bool b;
	switch (f->type) {
	case REC_T_I64:
	case REC_T_ID:
		memcpy(&i64, p, sizeof i64);
		if (f->type == REC_T_ID && i64 == 0)
			cJSON_AddNullToObject(o, f->name);
		else
			json_add_int(o, f->name, i64);
		break;
	case REC_T_INT:
		memcpy(&i32, p, sizeof i32);
		json_add_int(o, f->name, i32);
		break;
	case REC_T_BOOL:
		memcpy(&b, p, sizeof b);
		cJSON_AddBoolToObject(o, f->name, b);
		break;
	case REC_T_TEXT:
	case REC_T_OPT_TEXT:
		XYD_ASSERT(memchr(p, '\0', f->size) != NULL);
		if (f->type == REC_T_OPT_TEXT && !*p)
			cJSON_AddNullToObject(o, f->name);
		else
			cJSON_AddStringToObject(o, f->name, p);
		break;
	}
}

void json_add_record(cJSON *o, const void *rec, const rec_type *t)
{
	for (size_t i = 0; i < t->nfields; i++)
		if (t->fields[i].json)
			add_field(o, &t->fields[i], (const char *)rec + t->fields[i].offset);
}

cJSON *json_record(const void *rec, const rec_type *t)
{
	cJSON *o = cJSON_CreateObject();
	json_add_record(o, rec, t);
	return o;
}

cJSON *json_record_array(const void *rows, size_t n, const rec_type *t)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, json_record((const char *)rows + i * t->size, t));
	return a;
}
