/* Loading and querying the reference data: see reference.h. */
#include "models/reference.h"

#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

#define FEN_PER_WAN 1000000 /* 10,000 yuan */

/* More rows than any reference table holds; a table that reaches it is
 * refused rather than cut. */
#define REFERENCE_ROWS_MAX 10000

REC_TYPE_DEFINE(reference_town, REFERENCE_TOWN_FIELDS)
REC_TYPE_DEFINE(reference_park, REFERENCE_PARK_FIELDS)
REC_TYPE_DEFINE(reference_industry, REFERENCE_INDUSTRY_FIELDS)
REC_TYPE_DEFINE(reference_size_rule, REFERENCE_SIZE_RULE_FIELDS)
REC_TYPE_DEFINE(reference_size_prefix, REFERENCE_SIZE_PREFIX_FIELDS)

/* Every row of a reference table into *rows (malloc'd) and *count. */
static xyd_status load_all(models_db *db, const char *sql, const rec_type *t, void **rows,
			   size_t *count)
{
	xyd_status st = db_get_all(db, sql, NULL, 0, t, REFERENCE_ROWS_MAX, rows, count);
	return st == XYD_OK && *count == REFERENCE_ROWS_MAX ? XYD_INTERNAL : st;
}

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

xyd_status models_reference_load(models_db *db, models_reference *ref)
{
	memset(ref, 0, sizeof *ref);
	const struct {
		const char *sql;
		const rec_type *t;
		void **rows;
		size_t *count;
	} tables[] = {
		{"SELECT " REC_COLUMNS(REFERENCE_TOWN_FIELDS) " FROM towns ORDER BY sort_order",
		 reference_town_rec(), (void **)&ref->towns, &ref->ntowns},
		{"SELECT " REC_COLUMNS(REFERENCE_PARK_FIELDS) " FROM parks ORDER BY id",
		 reference_park_rec(), (void **)&ref->parks, &ref->nparks},
		{"SELECT " REC_COLUMNS(REFERENCE_INDUSTRY_FIELDS) " FROM industries ORDER BY code",
		 reference_industry_rec(), (void **)&ref->industries, &ref->nindustries},
		{"SELECT " REC_COLUMNS(REFERENCE_SIZE_RULE_FIELDS) " FROM size_class_rules"
								   " ORDER BY sort_order",
		 reference_size_rule_rec(), (void **)&ref->rules, &ref->nrules},
		{"SELECT " REC_COLUMNS(
			 REFERENCE_SIZE_PREFIX_FIELDS) " FROM size_class_rule_prefixes",
		 reference_size_prefix_rec(), (void **)&ref->prefixes, &ref->nprefixes},
	};
	xyd_status st = XYD_OK;
	for (size_t i = 0; i < ARRAY_SIZE(tables) && st == XYD_OK; i++)
		st = load_all(db, tables[i].sql, tables[i].t, tables[i].rows, tables[i].count);
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

/* Whether an enterprise of staff, revenue and assets (fen) reaches a level
 * of thresholds {staff, revenue, assets} (-1: not used): it meets every
 * threshold used, and at least one is. */
static bool meets_level(const int64_t at_least[3], int64_t staff, int64_t revenue_fen,
			int64_t assets_fen)
{
	int64_t have[3] = {staff, revenue_fen / FEN_PER_WAN,
			   (assets_fen < 0 ? revenue_fen : assets_fen) / FEN_PER_WAN};
	bool any = false;
	for (int m = 0; m < 3; m++) {
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
	static const char *const names[] = {"large", "medium", "small"};
	if (!ref->nrules)
		return "micro";
	const reference_size_rule *r = size_rule_for(ref, industry);
	const int64_t levels[][3] = {
		{r->large_staff, r->large_revenue_wan, r->large_assets_wan},
		{r->medium_staff, r->medium_revenue_wan, r->medium_assets_wan},
		{r->small_staff, r->small_revenue_wan, r->small_assets_wan},
	};
	for (size_t l = 0; l < ARRAY_SIZE(levels); l++)
		if (meets_level(levels[l], employees, revenue_fen, assets_fen))
			return names[l];
	return "micro";
}
