/*
 * The product catalogue: products and programmes checked, sorted by id and
 * compiled once into the form every query evaluates (town lists as bit
 * masks, industry prefixes with their masks, the fit's product-only parts
 * precomputed), with the place names the details print. Immutable after
 * matching_catalog_new; rebuilt whole when a product or programme changes,
 * which costs microseconds per product.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matching_internal.h"

enum { RATE_MAX_BPS = 3600, TERM_MAX_MONTHS = 600, YEARS_MAX = 200 };

matching_grade_scale matching_grade_scale_v1(void)
{
	matching_grade_scale s = {{0, 0, 500, 650, 800}};

	return s;
}

static matching_status fail(matching_error *err, matching_status st, const char *what, int64_t id,
			    const char *why)
{
	if (err)
		snprintf(err->message, sizeof err->message, "%s %" PRId64 ": %s", what, id, why);
	return st;
}

static const char *check_program(const matching_program *g)
{
	if (g->id < 1)
		return "id must be at least 1";
	if (g->interest_subsidy_bps < 0 || g->interest_subsidy_bps > RATE_MAX_BPS)
		return "interest_subsidy_bps outside 0..3600";
	if (g->max_amount_per_enterprise_fen < 0 ||
	    g->max_amount_per_enterprise_fen > MATCHING_AMOUNT_MAX_FEN)
		return "max_amount_per_enterprise_fen out of range";
	return NULL;
}

static const char *check_lists(const matching_product *p)
{
	if (p->nindustries > MATCHING_LIST_MAX || p->ntowns > MATCHING_LIST_MAX ||
	    p->nparks > MATCHING_LIST_MAX)
		return "more than 16 industries, towns or parks";
	for (unsigned i = 0; i < p->nindustries; i++) {
		char buf[8];

		if (p->industries[i] == 0 || matching_industry_pack(matching_industry_unpack(
						     p->industries[i], buf)) != p->industries[i])
			return "industry is not a packed code";
	}
	for (unsigned i = 0; i < p->ntowns; i++)
		if (p->towns[i] >= MATCHING_TOWN_NONE)
			return "town index above 62";
	for (unsigned i = 0; i < p->nparks; i++)
		if (p->park_ids[i] == 0)
			return "park id 0";
	return NULL;
}

static const char *check_product(const matching_product *p)
{
	if (p->id < 1)
		return "id must be at least 1";
	if (p->kind >= MATCHING_KIND_COUNT || p->status >= MATCHING_PRODUCT_STATUS_COUNT ||
	    p->collateral >= MATCHING_COLLATERAL_COUNT)
		return "kind, status or collateral out of range";
	if (p->amount_min_fen < 1 || p->amount_min_fen > p->amount_max_fen ||
	    p->amount_max_fen > MATCHING_AMOUNT_MAX_FEN)
		return "amount range out of order or out of range";
	if (p->rate_min_bps < 1 || p->rate_min_bps > p->rate_max_bps ||
	    p->rate_max_bps > RATE_MAX_BPS)
		return "rate range out of order or outside 1..3600 bps";
	if (p->term_min_months < 1 || p->term_min_months > p->term_max_months ||
	    p->term_max_months > TERM_MAX_MONTHS)
		return "term range out of order or outside 1..600 months";
	if (p->min_grade > MATCHING_GRADE_A || p->min_score < MATCHING_SCORE_NONE ||
	    p->min_score > MATCHING_SCORE_MAX)
		return "min_grade or min_score out of range";
	if (p->min_years < 0 || p->min_years > YEARS_MAX)
		return "min_years outside 0..200";
	if (p->min_revenue_fen < 0 || p->min_revenue_fen > MATCHING_AMOUNT_MAX_FEN)
		return "min_revenue_fen out of range";
	if (p->required_tags & ~MATCHING_TAG_ALL)
		return "unknown tag bits";
	if (p->monthly_capacity < 0 || p->used_this_month < 0)
		return "monthly_capacity or used_this_month negative";
	return check_lists(p);
}

static bool scale_ok(const matching_grade_scale *s)
{
	for (int g = MATCHING_GRADE_D; g <= MATCHING_GRADE_A; g++) {
		if (s->min_score[g] < 0 || s->min_score[g] > MATCHING_SCORE_MAX)
			return false;
		if (g > MATCHING_GRADE_D && s->min_score[g] < s->min_score[g - 1])
			return false;
	}
	return true;
}

static int cmp_product(const void *a, const void *b)
{
	const matching_product *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_program(const void *a, const void *b)
{
	const matching_program *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static const matching_program *find_program(const matching_catalog *c, int64_t id)
{
	size_t lo = 0, hi = c->nprograms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->programs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nprograms && c->programs[lo].id == id ? &c->programs[lo] : NULL;
}

long matching_catalog_find(const matching_catalog *c, int64_t id)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->products[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->n && c->products[lo].id == id ? (long)lo : -1;
}

static void compile(const matching_catalog *c, const matching_product *p, const matching_program *g,
		    struct matching_cprod *cp)
{
	int32_t net;

	memset(cp, 0, sizeof *cp);
	cp->id = p->id;
	cp->amount_min = p->amount_min_fen;
	cp->amount_max = p->amount_max_fen;
	cp->min_revenue = p->min_revenue_fen;
	cp->program_id = p->program_id;
	cp->cap_fen = g ? g->max_amount_per_enterprise_fen : 0;
	cp->town_mask = p->ntowns ? 0 : ~UINT64_C(0);
	for (unsigned i = 0; i < p->ntowns; i++)
		cp->town_mask |= UINT64_C(1) << p->towns[i];
	cp->term_min = p->term_min_months;
	cp->term_max = p->term_max_months;
	cp->rate_min = p->rate_min_bps;
	cp->min_years = p->min_years;
	cp->remaining = p->used_this_month >= p->monthly_capacity
				? 0
				: p->monthly_capacity - p->used_this_month;
	net = p->rate_min_bps - (g ? g->interest_subsidy_bps : 0);
	cp->net_rate_bps = net < 0 ? 0 : net;
	cp->cost_points = cp->net_rate_bps >= 1000 ? 0 : 1000 - cp->net_rate_bps;
	cp->capacity_points = p->monthly_capacity > 0
				      ? (int32_t)(100LL * cp->remaining / p->monthly_capacity)
				      : 0;
	cp->min_score = p->min_score;
	cp->floor_score = p->min_score > 0 ? p->min_score : 0;
	if (p->min_grade && c->scale.min_score[p->min_grade] > cp->floor_score)
		cp->floor_score = c->scale.min_score[p->min_grade];
	cp->program_park = g ? g->park_id : 0;
	cp->status = p->status;
	cp->collateral = p->collateral;
	cp->min_grade = p->min_grade;
	cp->required_tags = p->required_tags;
	cp->whitelist_only = p->whitelist_only;
	cp->nindustries = p->nindustries;
	for (unsigned i = 0; i < p->nindustries; i++) {
		cp->industry_val[i] = p->industries[i];
		cp->industry_mask[i] = matching_industry_mask(p->industries[i]);
	}
	cp->nparks = p->nparks;
	memcpy(cp->parks, p->park_ids, sizeof cp->parks);
	/* check_product admitted p: the fit's parts stay in their ranges */
	XYD_ASSERT(cp->remaining >= 0 && cp->remaining <= p->monthly_capacity);
	XYD_ASSERT(cp->cost_points >= 0 && cp->cost_points <= 1000);
	XYD_ASSERT(cp->capacity_points >= 0 && cp->capacity_points <= 100);
	XYD_ASSERT(cp->floor_score >= 0 && cp->floor_score <= MATCHING_SCORE_MAX);
	XYD_ASSERT(cp->rate_min >= 1 &&
		   cp->rate_min < (1 << 12)); /* a sort key holds it in 12 bits */
}

static uint64_t hash_product(uint64_t h, const matching_product *p)
{
	h = matching_fnv_int(h, (uint64_t)p->id, 8);
	h = matching_fnv_int(h, (uint64_t)p->institution_id, 8);
	h = matching_fnv_int(h, (uint64_t)p->program_id, 8);
	h = matching_fnv_int(h, p->kind, 1);
	h = matching_fnv_int(h, p->status, 1);
	h = matching_fnv_int(h, p->collateral, 1);
	h = matching_fnv_int(h, (uint64_t)p->amount_min_fen, 8);
	h = matching_fnv_int(h, (uint64_t)p->amount_max_fen, 8);
	h = matching_fnv_int(h, (uint32_t)p->rate_min_bps, 4);
	h = matching_fnv_int(h, (uint32_t)p->rate_max_bps, 4);
	h = matching_fnv_int(h, (uint32_t)p->term_min_months, 4);
	h = matching_fnv_int(h, (uint32_t)p->term_max_months, 4);
	h = matching_fnv_int(h, p->min_grade, 1);
	h = matching_fnv_int(h, (uint16_t)p->min_score, 2);
	h = matching_fnv_int(h, p->nindustries, 1);
	for (unsigned i = 0; i < p->nindustries; i++)
		h = matching_fnv_int(h, p->industries[i], 4);
	h = matching_fnv_int(h, p->ntowns, 1);
	for (unsigned i = 0; i < p->ntowns; i++)
		h = matching_fnv_int(h, p->towns[i], 1);
	h = matching_fnv_int(h, p->nparks, 1);
	for (unsigned i = 0; i < p->nparks; i++)
		h = matching_fnv_int(h, p->park_ids[i], 2);
	h = matching_fnv_int(h, (uint32_t)p->min_years, 4);
	h = matching_fnv_int(h, (uint64_t)p->min_revenue_fen, 8);
	h = matching_fnv_int(h, p->required_tags, 1);
	h = matching_fnv_int(h, p->whitelist_only, 1);
	h = matching_fnv_int(h, (uint32_t)p->monthly_capacity, 4);
	return matching_fnv_int(h, (uint32_t)p->used_this_month, 4);
}

static uint64_t catalog_hash(const matching_catalog *c)
{
	uint64_t h = MATCHING_FNV_OFFSET;

	for (int g = 0; g < 5; g++)
		h = matching_fnv_int(h, (uint16_t)c->scale.min_score[g], 2);
	h = matching_fnv_int(h, c->nprograms, 8);
	for (size_t i = 0; i < c->nprograms; i++) {
		h = matching_fnv_int(h, (uint64_t)c->programs[i].id, 8);
		h = matching_fnv_int(h, c->programs[i].park_id, 2);
		h = matching_fnv_int(h, (uint32_t)c->programs[i].interest_subsidy_bps, 4);
		h = matching_fnv_int(h, (uint64_t)c->programs[i].max_amount_per_enterprise_fen, 8);
	}
	h = matching_fnv_int(h, c->n, 8);
	for (size_t i = 0; i < c->n; i++)
		h = hash_product(h, &c->products[i]);
	return h;
}

static matching_status check_inputs(const matching_product *products, size_t nproducts,
				    const matching_program *programs, size_t nprograms,
				    const matching_grade_scale *scale, matching_error *err)
{
	const char *why;

	if (nproducts > MATCHING_PRODUCTS_MAX)
		return fail(err, MATCHING_LIMIT, "catalogue", (int64_t)nproducts,
			    "more than 100000 products");
	if (nprograms > MATCHING_PROGRAMS_MAX)
		return fail(err, MATCHING_LIMIT, "catalogue", (int64_t)nprograms,
			    "more than 4096 programmes");
	if (scale && !scale_ok(scale))
		return fail(err, MATCHING_INVALID, "grade scale", 0,
			    "scores outside 0..1000 or out of order");
	for (size_t i = 0; i < nprograms; i++)
		if ((why = check_program(&programs[i])))
			return fail(err, MATCHING_INVALID, "programme", programs[i].id, why);
	for (size_t i = 0; i < nproducts; i++)
		if ((why = check_product(&products[i])))
			return fail(err, MATCHING_INVALID, "product", products[i].id, why);
	return MATCHING_OK;
}

static matching_status link_programs(matching_catalog *c, matching_error *err)
{
	for (size_t i = 1; i < c->nprograms; i++)
		if (c->programs[i].id == c->programs[i - 1].id)
			return fail(err, MATCHING_DUPLICATE, "programme", c->programs[i].id,
				    "id given twice");
	for (size_t i = 0; i < c->n; i++) {
		const matching_product *p = &c->products[i];
		const matching_program *g = NULL;

		if (i > 0 && p->id == c->products[i - 1].id)
			return fail(err, MATCHING_DUPLICATE, "product", p->id, "id given twice");
		if (p->program_id != 0 && !(g = find_program(c, p->program_id)))
			return fail(err, MATCHING_NOT_FOUND, "product", p->id,
				    "its programme is not in the catalogue");
		XYD_ASSERT(i == 0 ||
			   p->id > c->products[i - 1].id); /* sorted, unique: find() bisects */
		XYD_ASSERT(c->ids[i] == p->id);
		compile(c, p, g, &c->cp[i]);
	}
	return MATCHING_OK;
}

static int cmp_park_name(const void *a, const void *b)
{
	const struct matching_park_name *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return strcmp(x->name, y->name); /* a park named twice keeps one name, always the same */
}

/* Copies the place names into c: towns by index, parks sorted by id. */
static void copy_names(matching_catalog *c, const matching_place_names *nm)
{
	size_t nt = nm->ntowns < MATCHING_TOWNS_MAX ? nm->ntowns : MATCHING_TOWNS_MAX, n = 0;

	for (size_t i = 0; i < nt; i++) {
		if (nm->town_codes && nm->town_codes[i])
			snprintf(c->town_codes[i], sizeof c->town_codes[i], "%s",
				 nm->town_codes[i]);
		if (nm->town_names_zh && nm->town_names_zh[i])
			matching_copy_utf8(c->town_names_zh[i], sizeof c->town_names_zh[i],
					   nm->town_names_zh[i]);
	}
	c->ntown_codes = nt;
	c->park_names = matching_xcalloc(nm->nparks ? nm->nparks : 1, sizeof *c->park_names);
	for (size_t i = 0; i < nm->nparks && nm->park_ids && nm->park_names_zh; i++)
		if (nm->park_ids[i] && nm->park_names_zh[i] && nm->park_names_zh[i][0]) {
			c->park_names[n].id = nm->park_ids[i];
			matching_copy_utf8(c->park_names[n].name, sizeof c->park_names[n].name,
					   nm->park_names_zh[i]);
			n++;
		}
	qsort(c->park_names, n, sizeof *c->park_names, cmp_park_name);
	c->npark_names = 0;
	for (size_t i = 0; i < n; i++)
		if (!c->npark_names || c->park_names[c->npark_names - 1].id != c->park_names[i].id)
			c->park_names[c->npark_names++] = c->park_names[i];
}

const char *matching_catalog_park_name(const matching_catalog *c, uint16_t park_id)
{
	size_t lo = 0, hi = c->npark_names;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->park_names[mid].id == park_id)
			return c->park_names[mid].name;
		if (c->park_names[mid].id < park_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

matching_status matching_catalog_new(const matching_product *products, size_t nproducts,
				     const matching_program *programs, size_t nprograms,
				     const matching_grade_scale *scale,
				     const matching_place_names *names, matching_catalog **out,
				     matching_error *err)
{
	static const matching_place_names none = {0};
	matching_catalog *c = NULL;
	matching_status st;

	*out = NULL;
	st = check_inputs(products, nproducts, programs, nprograms, scale, err);
	if (st != MATCHING_OK)
		goto out;
	c = matching_xcalloc(1, sizeof *c);
	c->scale = scale ? *scale : matching_grade_scale_v1();
	c->n = nproducts;
	c->products = matching_xmalloc(nproducts * sizeof *c->products);
	if (nproducts)
		memcpy(c->products, products, nproducts * sizeof *c->products);
	qsort(c->products, nproducts, sizeof *c->products, cmp_product);
	c->cp = matching_xmalloc(nproducts * sizeof *c->cp);
	c->ids = matching_xmalloc(nproducts * sizeof *c->ids);
	for (size_t i = 0; i < nproducts; i++)
		c->ids[i] = c->products[i].id;
	c->nprograms = nprograms;
	c->programs = matching_xmalloc(nprograms * sizeof *c->programs);
	if (nprograms)
		memcpy(c->programs, programs, nprograms * sizeof *c->programs);
	qsort(c->programs, nprograms, sizeof *c->programs, cmp_program);
	st = link_programs(c, err);
	if (st != MATCHING_OK)
		goto out;
	copy_names(c, names ? names : &none);
	XYD_ASSERT(c->n == nproducts &&
		   c->nprograms == nprograms); /* every product loaded is indexed */
	c->hash = catalog_hash(c);
	*out = c;
	c = NULL;
out:
	matching_catalog_free(c);
	return st;
}

void matching_catalog_free(matching_catalog *c)
{
	if (!c)
		return;
	free(c->products);
	free(c->cp);
	free(c->ids);
	free(c->programs);
	free(c->park_names);
	free(c);
}

size_t matching_catalog_count(const matching_catalog *c)
{
	return c->n;
}

const matching_product *matching_catalog_product(const matching_catalog *c, int64_t id)
{
	long i = matching_catalog_find(c, id);

	return i < 0 ? NULL : &c->products[i];
}

uint64_t matching_catalog_hash(const matching_catalog *c)
{
	return c->hash;
}
