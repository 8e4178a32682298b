/* Loading and querying the reference data: see reference.h. */
#include "models/reference.h"

#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

#define FEN_PER_WAN 1000000	/* 10,000 yuan */

/* More rows than any reference table holds; a table that reaches it is
 * refused rather than cut. */
#define REFERENCE_ROWS_MAX 10000

REC_TYPE_DEFINE(reference_town, REFERENCE_TOWN_FIELDS)
REC_TYPE_DEFINE(reference_park, REFERENCE_PARK_FIELDS)
REC_TYPE_DEFINE(reference_industry, REFERENCE_INDUSTRY_FIELDS)

/* Every row of a reference table into *rows (malloc'd) and *count. */
static xyd_status load_all(models_db *db, const char *sql, const rec_type *t, void **rows,
			   size_t *count)
{
	xyd_status st = db_get_all(db, sql, NULL, 0, t, REFERENCE_ROWS_MAX, rows, count);
	return st == XYD_OK && *count == REFERENCE_ROWS_MAX ? XYD_INTERNAL : st;
}

REC_TYPE_DEFINE(reference_size_prefix, REFERENCE_SIZE_PREFIX_FIELDS)

/* The rule each prefix names, and the default: the rule no prefix names. */
static void link_size_rules(models_reference *ref)
{
	ref->default_rule = ref->nrules ? ref->nrules - 1 : 0;
	for (size_t i = 0; i < ref->nprefixes; i++)
		for (size_t k = 0; k < ref->nrules; k++)
			if (strcmp(ref->rules[k].code, ref->prefixes[i].rule_code) == 0)
				ref->prefixes[i].rule = k;
	for (size_t k = 0; k < ref->nrules; k++) {
		bool named = false;
		for (size_t i = 0; i < ref->nprefixes; i++)
			named |= ref->prefixes[i].rule == k;
		if (!named)
			ref->default_rule = k;
	}
}

/* The thresholds by level and measure (NULL: the measure is not used). */
static xyd_status load_size_rules(models_db *db, models_reference *ref)
{
	db_result r;
	xyd_status st = db_run(db,
			       "SELECT code, large_staff, large_revenue_wan, large_assets_wan,"
			       " medium_staff, medium_revenue_wan, medium_assets_wan,"
			       " small_staff, small_revenue_wan, small_assets_wan"
			       " FROM size_class_rules ORDER BY sort_order",
			       NULL, 0, &r, NULL, NULL);
	if (st != XYD_OK)
		return st;
	ref->rules = xcalloc(r.nrows, sizeof *ref->rules);
	ref->nrules = r.nrows;
	for (size_t i = 0; i < r.nrows; i++) {
		db_cell_copy(ref->rules[i].code, sizeof ref->rules[i].code, &r, i, 0);
		for (size_t c = 1; c <= SIZE_LEVELS * SIZE_MEASURES; c++)
			ref->rules[i].at_least[(c - 1) / SIZE_MEASURES][(c - 1) % SIZE_MEASURES] =
				db_cell_is_null(&r, i, c) ? -1 : db_cell_int(&r, i, c);
	}
	db_result_release(&r);
	return XYD_OK;
}

xyd_status models_reference_load(models_db *db, models_reference *ref)
{
	memset(ref, 0, sizeof *ref);
	xyd_status st = load_all(db,
				 "SELECT " REC_COLUMNS(REFERENCE_TOWN_FIELDS) " FROM towns ORDER BY sort_order",
				 reference_town_rec(), (void **)&ref->towns, &ref->ntowns);
	if (st == XYD_OK)
		st = load_all(db, "SELECT " REC_COLUMNS(REFERENCE_PARK_FIELDS) " FROM parks ORDER BY id",
			      reference_park_rec(), (void **)&ref->parks, &ref->nparks);
	if (st == XYD_OK)
		st = load_all(db,
			      "SELECT " REC_COLUMNS(REFERENCE_INDUSTRY_FIELDS) " FROM industries ORDER BY code",
			      reference_industry_rec(), (void **)&ref->industries, &ref->nindustries);
	if (st == XYD_OK)
		st = load_size_rules(db, ref);
	if (st == XYD_OK)
		st = load_all(db,
			      "SELECT " REC_COLUMNS(REFERENCE_SIZE_PREFIX_FIELDS) " FROM size_class_rule_prefixes",
			      reference_size_prefix_rec(), (void **)&ref->prefixes, &ref->nprefixes);
	if (st == XYD_OK)
		link_size_rules(ref);
	if (st == XYD_OK && (!ref->ntowns || !ref->nparks || !ref->nindustries || !ref->nrules))
		st = XYD_INTERNAL;
	if (st != XYD_OK)
		models_reference_release(ref);
	return st;
}

void models_reference_release(models_reference *ref)
{
	void *tables[] = {ref->towns, ref->parks, ref->industries, ref->rules, ref->prefixes};
	for (size_t i = 0; i < ARRAY_SIZE(tables); i++)
		free(tables[i]);
	memset(ref, 0, sizeof *ref);
}

const reference_town *models_reference_town(const models_reference *ref, const char *code)
{
	for (size_t i = 0; code && i < ref->ntowns; i++)
		if (strcmp(ref->towns[i].code, code) == 0)
			return &ref->towns[i];
	return NULL;
}

const reference_park *models_reference_park(const models_reference *ref, int64_t id)
{
	for (size_t i = 0; i < ref->nparks; i++)
		if (ref->parks[i].id == id)
			return &ref->parks[i];
	return NULL;
}

bool models_reference_industry_valid(const models_reference *ref, const char *code)
{
	if (!code || !code[0])
		return false;
	size_t len = strlen(code);
	for (size_t i = 0; i < ref->nindustries; i++) {
		const reference_industry *ind = &ref->industries[i];
		if (ind->code[0] != code[0])
			continue;
		if (len == 1)
			return true;
		if (len != 3 || code[1] < '0' || code[1] > '9' || code[2] < '0' || code[2] > '9')
			return false;
		int division = (code[1] - '0') * 10 + (code[2] - '0');
		return division >= ind->division_min && division <= ind->division_max;
	}
	return false;
}

static const reference_size_rule *size_rule_for(const models_reference *ref, const char *industry)
{
	size_t best_len = 0, best = ref->default_rule;
	for (size_t i = 0; i < ref->nprefixes; i++) {
		size_t len = strlen(ref->prefixes[i].prefix);
		if (len > best_len && strncmp(industry, ref->prefixes[i].prefix, len) == 0) {
			best_len = len;
			best = ref->prefixes[i].rule;
		}
	}
	return &ref->rules[best];
}

static bool meets_level(const int64_t at_least[SIZE_MEASURES], int64_t staff, int64_t revenue_fen,
			int64_t assets_fen)
{
	int64_t have[SIZE_MEASURES] = {staff, revenue_fen / FEN_PER_WAN,
				       (assets_fen < 0 ? revenue_fen : assets_fen) / FEN_PER_WAN};
	bool any = false;
	for (int m = 0; m < SIZE_MEASURES; m++) {
		if (at_least[m] < 0)
			continue;
		any = true;
		if (have[m] < at_least[m])
			return false;
	}
	return any;
}

const char *models_reference_size_class(const models_reference *ref, const char *industry,
					int64_t employees, int64_t revenue_fen, int64_t assets_fen)
{
	static const char *const names[SIZE_LEVELS] = {"large", "medium", "small"};
	if (!ref->nrules)
		return "micro";
	const reference_size_rule *rule = size_rule_for(ref, industry);
	for (int l = 0; l < SIZE_LEVELS; l++)
		if (meets_level(rule->at_least[l], employees, revenue_fen, assets_fen))
			return names[l];
	return "micro";
}
