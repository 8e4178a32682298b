/* Scorecard weights and record values as JSON: see credit_weights.h. */
#include "server/api/credit_weights.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "common/base.h"
#include "common/validate.h"
#include "server/http/json_strict.h"

#define POINTS_MAX 1000
#define MAX_FEN (INT64_C(1) << 53)

/* ---- weights ---- */

enum { W_INT, W_TAX, W_ENV };

struct weight_key {
	const char *key;
	int kind; /* W_INT: an int at offset; W_TAX, W_ENV: a grade object */
	size_t offset;
	int min, max;
};

/* clang-format off */
#define W(name, lo, hi) {#name, W_INT, offsetof(scoring_weights, name), lo, hi}
#define WA(key, array, idx, lo, hi)                                                          \
	{key, W_INT, offsetof(scoring_weights, array) + (idx) * sizeof(int), lo, hi}
/* clang-format on */

/* The v1 keys in the order migrations/0003_credit.sql writes them. */
static const struct weight_key weight_keys[] = {
	W(base, 0, POINTS_MAX),
	{"tax_rating", W_TAX, 0, 0, 0},
	W(social_security_per_month, 0, POINTS_MAX),
	W(social_security_max, 0, POINTS_MAX),
	W(housing_fund_per_month, 0, POINTS_MAX),
	W(housing_fund_max, 0, POINTS_MAX),
	W(utility_arrears_per_month, -POINTS_MAX, 0),
	W(utility_arrears_min, -POINTS_MAX, 0),
	WA("patent_invention", patent, SCORING_PATENT_INVENTION, 0, POINTS_MAX),
	WA("patent_utility", patent, SCORING_PATENT_UTILITY, 0, POINTS_MAX),
	WA("patent_design", patent, SCORING_PATENT_DESIGN, 0, POINTS_MAX),
	W(patents_max, 0, POINTS_MAX),
	W(trademark_each, 0, POINTS_MAX),
	W(trademarks_max, 0, POINTS_MAX),
	W(rnd_per_100k_yuan, 0, POINTS_MAX),
	W(rnd_max, 0, POINTS_MAX),
	{"env_rating", W_ENV, 0, 0, 0},
	W(years_per_year, 0, POINTS_MAX),
	W(years_max, 0, POINTS_MAX),
	W(award_each, 0, POINTS_MAX),
	W(awards_max, 0, POINTS_MAX),
	W(commitment_kept_each, 0, POINTS_MAX),
	W(commitments_kept_max, 0, POINTS_MAX),
	W(commitment_broken_each, -POINTS_MAX, 0),
	WA("penalty_minor", penalty, SCORING_PENALTY_MINOR, -POINTS_MAX, 0),
	WA("penalty_general", penalty, SCORING_PENALTY_GENERAL, -POINTS_MAX, 0),
	WA("penalty_serious", penalty, SCORING_PENALTY_SERIOUS, -POINTS_MAX, 0),
	W(penalty_window_years, 1, 100),
	W(dishonest_debtor_score_cap, 0, POINTS_MAX),
	W(grade_a_min, 1, POINTS_MAX),
	W(grade_b_min, 1, POINTS_MAX),
	W(grade_c_min, 1, POINTS_MAX),
};

/* The grades of the two grade objects, each with its slot in the array. */
static const struct weight_key tax_keys[] = {
	WA("A", tax, SCORING_TAX_A, -POINTS_MAX, POINTS_MAX),
	WA("B", tax, SCORING_TAX_B, -POINTS_MAX, POINTS_MAX),
	WA("M", tax, SCORING_TAX_M, -POINTS_MAX, POINTS_MAX),
	WA("C", tax, SCORING_TAX_C, -POINTS_MAX, POINTS_MAX),
	WA("D", tax, SCORING_TAX_D, -POINTS_MAX, POINTS_MAX),
	WA("none", tax, SCORING_TAX_NONE, -POINTS_MAX, POINTS_MAX),
};
static const struct weight_key env_keys[] = {
	WA("green", env, SCORING_ENV_GREEN, -POINTS_MAX, POINTS_MAX),
	WA("blue", env, SCORING_ENV_BLUE, -POINTS_MAX, POINTS_MAX),
	WA("yellow", env, SCORING_ENV_YELLOW, -POINTS_MAX, POINTS_MAX),
	WA("red", env, SCORING_ENV_RED, -POINTS_MAX, POINTS_MAX),
	WA("black", env, SCORING_ENV_BLACK, -POINTS_MAX, POINTS_MAX),
};

static int *weight_slot(scoring_weights *w, const struct weight_key *k)
{
	return (int *)((char *)w + k->offset);
}

/* Checks obj against keys (all required) and copies the integers into *w. */
static xyd_status read_keys(const cJSON *obj, const struct weight_key *keys, size_t n,
			    const char *prefix, scoring_weights *w, api_error *err)
{
	json_field fields[ARRAY_SIZE(weight_keys)];
	for (size_t i = 0; i < n; i++)
		fields[i] = (json_field){.key = keys[i].key,
					 .type = keys[i].kind == W_INT ? JSON_T_INT : JSON_T_OBJECT,
					 .required = true,
					 .min = keys[i].min,
					 .max = keys[i].max};
	xyd_status st = json_check_object(obj, fields, n, prefix, err);
	if (st != XYD_OK)
		return st;
	char sub[96];
	for (size_t i = 0; i < n && st == XYD_OK; i++) {
		const struct weight_key *k = &keys[i];
		const cJSON *item = json_get(obj, k->key);
		int64_t v = 0;
		switch (k->kind) {
		case W_INT:
			json_number_exact_int(item, &v);
			*weight_slot(w, k) = (int)v;
			break;
		case W_TAX:
		case W_ENV:
			snprintf(sub, sizeof sub, "%s%s%s", prefix ? prefix : "",
				 prefix && *prefix ? "." : "", k->key);
			st = k->kind == W_TAX
				     ? read_keys(item, tax_keys, ARRAY_SIZE(tax_keys), sub, w, err)
				     : read_keys(item, env_keys, ARRAY_SIZE(env_keys), sub, w, err);
			break;
		}
	}
	return st;
}

xyd_status credit_weights_from_json(const cJSON *obj, const char *prefix, scoring_weights *w,
				    api_error *err)
{
	memset(w, 0, sizeof *w);
	xyd_status st = read_keys(obj, weight_keys, ARRAY_SIZE(weight_keys), prefix, w, err);
	if (st != XYD_OK)
		return st;
	if (!(w->grade_c_min < w->grade_b_min && w->grade_b_min < w->grade_a_min)) {
		char field[64];
		snprintf(field, sizeof field, "%s%sgrade_b_min", prefix ? prefix : "",
			 prefix && *prefix ? "." : "");
		return api_error_set(
			err, XYD_VALIDATION_FAILED, field,
			"grade minimums must rise: grade_c_min < grade_b_min < grade_a_min");
	}
	return XYD_OK;
}

xyd_status credit_weights_from_text(const char *text, scoring_weights *w, api_error *err)
{
	cJSON *tree = json_parse_strict(text, strlen(text), err);
	if (!tree)
		return err->status;
	xyd_status st = credit_weights_from_json(tree, "weights", w, err);
	cJSON_Delete(tree);
	return st;
}

bool credit_weights_read_text(const char *text, scoring_weights *w, char *err, size_t err_size)
{
	api_error e = {0};
	if (credit_weights_from_text(text, w, &e) == XYD_OK)
		return true;
	snprintf(err, err_size, "%s", e.message);
	return false;
}

static void add_keys(cJSON *o, const struct weight_key *keys, size_t n, const scoring_weights *w)
{
	for (size_t i = 0; i < n; i++) {
		const struct weight_key *k = &keys[i];
		if (k->kind == W_INT)
			json_add_int(o, k->key, *weight_slot((scoring_weights *)w, k));
		else if (k->kind == W_TAX)
			add_keys(cJSON_AddObjectToObject(o, k->key), tax_keys, ARRAY_SIZE(tax_keys),
				 w);
		else
			add_keys(cJSON_AddObjectToObject(o, k->key), env_keys, ARRAY_SIZE(env_keys),
				 w);
	}
}

cJSON *credit_weights_to_json(const scoring_weights *w)
{
	cJSON *o = cJSON_CreateObject();
	add_keys(o, weight_keys, ARRAY_SIZE(weight_keys), w);
	return o;
}

/* ---- record values ---- */

#define COUNT_MAX 1000000
#define MONTHS_OVERDUE_MAX 1200

static const json_field tax_fields[] = {
	{"grade", JSON_T_STRING, true, false, 1, 1},
	{"year", JSON_T_INT, true, false, 1900, 2199},
};
static const json_field months_fields[] = {
	{"months_paid", JSON_T_INT, true, false, 0, 12},
};
static const json_field arrears_fields[] = {
	{"months_overdue", JSON_T_INT, true, false, 0, MONTHS_OVERDUE_MAX},
	{"amount_fen", JSON_T_INT, true, false, 0, MAX_FEN},
};
static const json_field patent_fields[] = {
	{"count", JSON_T_INT, true, false, 0, COUNT_MAX},
	{"kind", JSON_T_STRING, true, false, 1, 16},
};
static const json_field count_fields[] = {
	{"count", JSON_T_INT, true, false, 0, COUNT_MAX},
};
static const json_field rnd_fields[] = {
	{"amount_fen", JSON_T_INT, true, false, 0, MAX_FEN},
	{"year", JSON_T_INT, true, false, 1900, 2199},
};
static const json_field env_fields[] = {
	{"grade", JSON_T_STRING, true, false, 1, 16},
};
static const json_field penalty_fields[] = {
	{"severity", JSON_T_STRING, true, false, 1, 16},
	{"amount_fen", JSON_T_INT, true, false, 0, MAX_FEN},
	{"reason", JSON_T_TEXT_LINES, true, false, 1, 500},
};
static const json_field case_fields[] = {
	{"case_no", JSON_T_TEXT, true, false, 1, 64},
};
static const json_field matter_fields[] = {
	{"matter", JSON_T_TEXT_LINES, true, false, 1, 500},
};
static const json_field award_fields[] = {
	{"title", JSON_T_TEXT, true, false, 1, 200},
};
static const json_field repair_fields[] = {
	{"repairs_source_record_id", JSON_T_STRING, true, false, 1, SCORING_ID_MAX},
};

struct value_shape {
	const json_field *fields;
	size_t n;
};

static const struct value_shape shapes[SCORING_CATEGORY_COUNT] = {
	[SCORING_TAX_RATING] = {tax_fields, ARRAY_SIZE(tax_fields)},
	[SCORING_SOCIAL_SECURITY] = {months_fields, ARRAY_SIZE(months_fields)},
	[SCORING_HOUSING_FUND] = {months_fields, ARRAY_SIZE(months_fields)},
	[SCORING_UTILITY_ARREARS] = {arrears_fields, ARRAY_SIZE(arrears_fields)},
	[SCORING_PATENT] = {patent_fields, ARRAY_SIZE(patent_fields)},
	[SCORING_TRADEMARK] = {count_fields, ARRAY_SIZE(count_fields)},
	[SCORING_RND_EXPENSE] = {rnd_fields, ARRAY_SIZE(rnd_fields)},
	[SCORING_ENV_RATING] = {env_fields, ARRAY_SIZE(env_fields)},
	[SCORING_ADMIN_PENALTY] = {penalty_fields, ARRAY_SIZE(penalty_fields)},
	[SCORING_DISHONEST_DEBTOR] = {case_fields, ARRAY_SIZE(case_fields)},
	[SCORING_COMMITMENT] = {matter_fields, ARRAY_SIZE(matter_fields)},
	[SCORING_COMMITMENT_BREACH] = {matter_fields, ARRAY_SIZE(matter_fields)},
	[SCORING_AWARD] = {award_fields, ARRAY_SIZE(award_fields)},
	[SCORING_REPAIR] = {repair_fields, ARRAY_SIZE(repair_fields)},
};

/* Reads the member key of value, one of category's kind names (scoring),
 * into *kind; otherwise msg lists the names. */
static bool read_kind(const cJSON *value, const char *key, scoring_category category, int *kind,
		      char *msg, size_t msg_size)
{
	const char *const *names = scoring_kind_names(category);
	int count = scoring_kind_count(category);
	*kind = validate_name_index(json_get_string(value, key), names, count);
	if (*kind >= 0)
		return true;
	int n = snprintf(msg, msg_size, "value.%s must be one of ", key);
	for (int i = 0; i < count && n >= 0 && (size_t)n < msg_size; i++)
		n += snprintf(msg + n, msg_size - (size_t)n, "%s%s", i ? ", " : "", names[i]);
	return false;
}

static int64_t int_member(const cJSON *value, const char *key)
{
	int64_t v = 0;
	json_get_int(value, key, &v);
	return v;
}

bool credit_value_decode(scoring_category category, const cJSON *value, scoring_record *r,
			 char *msg, size_t msg_size)
{
	api_error err = {0};
	if ((unsigned)category >= SCORING_CATEGORY_COUNT) {
		snprintf(msg, msg_size, "unknown category");
		return false;
	}
	const struct value_shape *s = &shapes[category];
	if (json_check_object(value, s->fields, s->n, "value", &err) != XYD_OK) {
		snprintf(msg, msg_size, "%s",
			 cJSON_IsObject(value) ? err.message : "value must be a JSON object");
		return false;
	}
	r->kind = 0;
	r->year = 0;
	r->count = 0;
	r->amount_fen = 0;
	r->repairs_source_record_id[0] = '\0';
	switch (category) {
	case SCORING_TAX_RATING:
		r->year = (int)int_member(value, "year");
		return read_kind(value, "grade", category, &r->kind, msg, msg_size);
	case SCORING_SOCIAL_SECURITY:
	case SCORING_HOUSING_FUND:
		r->count = int_member(value, "months_paid");
		return true;
	case SCORING_UTILITY_ARREARS:
		r->count = int_member(value, "months_overdue");
		r->amount_fen = int_member(value, "amount_fen");
		return true;
	case SCORING_PATENT:
		r->count = int_member(value, "count");
		return read_kind(value, "kind", category, &r->kind, msg, msg_size);
	case SCORING_TRADEMARK:
		r->count = int_member(value, "count");
		return true;
	case SCORING_RND_EXPENSE:
		r->amount_fen = int_member(value, "amount_fen");
		r->year = (int)int_member(value, "year");
		return true;
	case SCORING_ENV_RATING:
		return read_kind(value, "grade", category, &r->kind, msg, msg_size);
	case SCORING_ADMIN_PENALTY:
		r->amount_fen = int_member(value, "amount_fen");
		return read_kind(value, "severity", category, &r->kind, msg, msg_size);
	case SCORING_REPAIR: {
		const char *id = json_get_string(value, "repairs_source_record_id");
		if (strlen(id) > SCORING_ID_MAX) {
			snprintf(msg, msg_size,
				 "value.repairs_source_record_id must be at most %d bytes",
				 SCORING_ID_MAX);
			return false;
		}
		snprintf(r->repairs_source_record_id, sizeof r->repairs_source_record_id, "%s", id);
		return true;
	}
	default:
		return true;
	}
}

char *credit_value_print(const cJSON *value)
{
	cJSON *copy = cJSON_CreateObject();
	for (const cJSON *m = value->child; m; m = m->next) {
		int64_t v;
		if (cJSON_IsNumber(m) && json_number_exact_int(m, &v))
			json_add_int(copy, m->string, v);
		else
			cJSON_AddItemToObject(copy, m->string, cJSON_Duplicate(m, true));
	}
	char *text = json_print(copy);
	cJSON_Delete(copy);
	return text;
}
