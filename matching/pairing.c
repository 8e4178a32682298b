/*
 * Batch pairing: open applications to products, at most one product per
 * application and at most the remaining places per product, maximising the
 * total fit. The eligible pairs are found with the same block scan the
 * candidate ranking uses (applications laid out as columns, one product at
 * a time); matching_solve (assign.c) then finds the optimal assignment.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matching_internal.h"

enum { R = MATCHING_CHUNK_ROWS };

/* ---------------------------------------------------------- the pairing */

/* Applications as padded columns, in application id order. */
struct app_cols {
	size_t n, padded;
	int16_t *score;
	uint8_t *grade, *town, *tags, *whitelist, *collateral;
	uint32_t *industry, *revenue_bucket;
	uint16_t *park_id;
	int32_t *founded_on, *whitelist_until, *term_months;
	int64_t *revenue_fen, *amount_fen, *outstanding_fen;
	int64_t outstanding_program; /* whose balances outstanding_fen holds */
};

#define COL(ac, name) ((ac)->name = matching_xcalloc((ac)->padded, sizeof *(ac)->name))

static void app_cols_init(struct app_cols *ac, const matching_application *apps,
			  const uint32_t *order, size_t n)
{
	memset(ac, 0, sizeof *ac);
	ac->n = n;
	ac->padded = (n + R - 1) / R * R;
	COL(ac, score), COL(ac, grade), COL(ac, town), COL(ac, tags), COL(ac, whitelist),
		COL(ac, collateral);
	COL(ac, industry), COL(ac, park_id), COL(ac, founded_on), COL(ac, whitelist_until),
		COL(ac, term_months);
	COL(ac, revenue_fen), COL(ac, amount_fen), COL(ac, outstanding_fen),
		COL(ac, revenue_bucket);
	ac->outstanding_program = -1;
	for (size_t i = 0; i < n; i++) {
		const matching_demand *d = &apps[order[i]].demand;
		const matching_enterprise *e = &d->enterprise;

		ac->score[i] = e->score;
		ac->grade[i] = e->grade;
		ac->town[i] = e->town;
		ac->tags[i] = e->tags;
		ac->whitelist[i] = e->whitelist;
		ac->industry[i] = e->industry;
		ac->park_id[i] = e->park_id;
		ac->founded_on[i] = e->founded_on;
		ac->whitelist_until[i] = e->whitelist_until;
		ac->revenue_fen[i] = e->revenue_fen;
		ac->revenue_bucket[i] = matching_revenue_bucket(e->revenue_fen);
		ac->amount_fen[i] = d->request.amount_fen;
		ac->term_months[i] = d->request.term_months;
		ac->collateral[i] = d->request.collateral;
	}
}

static void app_cols_release(struct app_cols *ac)
{
	free(ac->score), free(ac->grade), free(ac->town), free(ac->tags), free(ac->whitelist);
	free(ac->collateral), free(ac->industry), free(ac->park_id), free(ac->founded_on);
	free(ac->whitelist_until), free(ac->term_months), free(ac->revenue_fen),
		free(ac->amount_fen);
	free(ac->outstanding_fen), free(ac->revenue_bucket);
}

static void fill_outstanding(struct app_cols *ac, const matching_application *apps,
			     const uint32_t *order, int64_t program_id)
{
	if (ac->outstanding_program == program_id)
		return;
	for (size_t i = 0; i < ac->n; i++) {
		const matching_demand *d = &apps[order[i]].demand;
		int64_t sum = 0;

		for (size_t b = 0; b < d->nbalances; b++)
			if (d->balances[b].program_id == program_id)
				sum += d->balances[b].outstanding_fen;
		ac->outstanding_fen[i] = sum;
	}
	ac->outstanding_program = program_id;
}

static bool edge_add(struct matching_pairs *e, uint32_t app, uint32_t prod, int32_t fit)
{
	XYD_ASSERT(fit >= 0 && fit <= MATCHING_FIT_MAX);
	if (e->n == e->cap) {
		if (e->cap >= MATCHING_PAIRING_EDGES_MAX)
			return false;
		e->cap = e->cap ? 2 * e->cap : 4096;
		e->cap = e->cap > MATCHING_PAIRING_EDGES_MAX ? MATCHING_PAIRING_EDGES_MAX : e->cap;
		e->app = matching_xrealloc(e->app, e->cap * sizeof *e->app);
		e->prod = matching_xrealloc(e->prod, e->cap * sizeof *e->prod);
		e->fit = matching_xrealloc(e->fit, e->cap * sizeof *e->fit);
	}
	e->app[e->n] = app;
	e->prod[e->n] = prod;
	e->fit[e->n++] = fit;
	return true;
}

/* Every eligible (application, product) pair of one product. */
static bool product_edges(const struct matching_cprod *p, uint32_t pi, const struct app_cols *ac,
			  int32_t today, struct matching_pairs *out, uint8_t *ok, int32_t *fit)
{
	struct matching_filter f;
	struct matching_cols c = {
		.score = ac->score,
		.grade = ac->grade,
		.industry = ac->industry,
		.town = ac->town,
		.park_id = ac->park_id,
		.founded_on = ac->founded_on,
		.revenue_fen = ac->revenue_fen,
		.revenue_bucket = ac->revenue_bucket,
		.tags = ac->tags,
		.whitelist = ac->whitelist,
		.whitelist_until = ac->whitelist_until,
		.amount_fen = ac->amount_fen,
		.term_months = ac->term_months,
		.collateral = ac->collateral,
		.outstanding_fen = ac->outstanding_fen,
	};

	matching_filter_init(&f, p, today, false);
	f.row_request = true;
	for (size_t base = 0; base < ac->n; base += R) {
		struct matching_cols b = c;
		size_t rows = ac->n - base < R ? ac->n - base : R;

		b.score += base, b.grade += base, b.industry += base, b.town += base,
			b.park_id += base;
		b.founded_on += base, b.revenue_fen += base, b.revenue_bucket += base,
			b.tags += base;
		b.whitelist += base;
		b.whitelist_until += base, b.amount_fen += base, b.term_months += base,
			b.collateral += base;
		b.outstanding_fen += base;
		matching_scan_block(&f, &b, ok);
		matching_fit_block(&f, &b, fit);
		for (size_t i = 0; i < rows; i++) {
			if (!ok[i])
				continue;
			int32_t w = fit[i] +
				    matching_range_points(b.amount_fen[i], p->amount_min,
							  p->amount_max, 100) +
				    matching_range_points(b.term_months[i], p->term_min,
							  p->term_max, 50);

			if (!edge_add(out, (uint32_t)(base + i), pi, w))
				return false;
		}
	}
	return true;
}

static int cmp_u32_by_app_id(const void *a, const void *b, const matching_application *apps)
{
	int64_t x = apps[*(const uint32_t *)a].application_id,
		y = apps[*(const uint32_t *)b].application_id;

	return (x > y) - (x < y);
}

/* qsort has no context argument in C11; a merge sort of indexes does. */
static void sort_by_app_id(uint32_t *v, uint32_t *tmp, size_t n, const matching_application *apps)
{
	if (n < 2)
		return;
	size_t h = n / 2;

	sort_by_app_id(v, tmp, h, apps);
	sort_by_app_id(v + h, tmp, n - h, apps);
	size_t i = 0, j = h, k = 0;

	while (i < h && j < n)
		tmp[k++] = cmp_u32_by_app_id(&v[j], &v[i], apps) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

static matching_status check_apps(const matching_application *apps, size_t napps,
				  const uint32_t *order, matching_error *err)
{
	for (size_t i = 0; i < napps; i++) {
		const matching_application *a = &apps[order[i]];
		matching_status st = matching_demand_check(&a->demand, err);

		if (st != MATCHING_OK)
			return st;
		if (!a->demand.has_request) {
			if (err)
				snprintf(err->message, sizeof err->message,
					 "application %" PRId64 ": no request", a->application_id);
			return MATCHING_INVALID;
		}
		if (i > 0 && apps[order[i - 1]].application_id == a->application_id) {
			if (err)
				snprintf(err->message, sizeof err->message,
					 "application %" PRId64 ": id given twice",
					 a->application_id);
			return MATCHING_DUPLICATE;
		}
	}
	return MATCHING_OK;
}

static uint64_t pairing_hash(const matching_catalog *c, const matching_application *apps,
			     const uint32_t *order, size_t napps, int32_t today)
{
	uint64_t h = matching_fnv_str(MATCHING_FNV_OFFSET, MATCHING_ENGINE_VERSION);

	h = matching_fnv_int(h, (uint32_t)today, 4);
	h = matching_fnv_int(h, napps, 8);
	for (size_t i = 0; i < napps; i++) {
		const matching_application *a = &apps[order[i]];
		uint64_t balances = 0;

		h = matching_fnv_int(h, (uint64_t)a->application_id, 8);
		h = matching_fnv_enterprise(h, &a->demand.enterprise);
		h = matching_fnv_int(h, (uint64_t)a->demand.request.amount_fen, 8);
		h = matching_fnv_int(h, (uint32_t)a->demand.request.term_months, 4);
		h = matching_fnv_int(h, a->demand.request.collateral, 1);
		for (size_t b = 0; b < a->demand.nbalances; b++) {
			uint64_t x = matching_fnv_int(
				MATCHING_FNV_OFFSET, (uint64_t)a->demand.balances[b].program_id, 8);

			balances += matching_fnv_int(
				x, (uint64_t)a->demand.balances[b].outstanding_fen, 8);
		}
		h = matching_fnv_int(h, balances, 8);
	}
	return matching_fnv_int(h, c->hash, 8);
}

/* Products in scan order: by programme, so each programme's balances are
 * gathered once. */
static int cmp_cprod_program(const void *a, const void *b, const matching_catalog *c)
{
	const struct matching_cprod *x = &c->cp[*(const uint32_t *)a],
				    *y = &c->cp[*(const uint32_t *)b];

	if (x->program_id != y->program_id)
		return (x->program_id > y->program_id) - (x->program_id < y->program_id);
	return (*(const uint32_t *)a > *(const uint32_t *)b) -
	       (*(const uint32_t *)a < *(const uint32_t *)b);
}

static void sort_products(uint32_t *v, size_t n, const matching_catalog *c)
{
	for (size_t i = 1; i < n; i++) /* insertion sort: few products, nearly in order */
		for (size_t j = i; j > 0 && cmp_cprod_program(&v[j], &v[j - 1], c) < 0; j--) {
			uint32_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static matching_status find_edges(const matching_catalog *c, const matching_application *apps,
				  const uint32_t *order, size_t napps, int32_t today,
				  struct matching_pairs *e, matching_error *err)
{
	struct app_cols ac;
	uint32_t *prods = matching_xmalloc(c->n * sizeof *prods);
	uint8_t *ok = matching_xmalloc(R);
	int32_t *fit = matching_xmalloc(R * sizeof *fit);
	size_t np = 0;
	matching_status st = MATCHING_OK;

	for (size_t i = 0; i < c->n; i++)
		if (c->cp[i].status == MATCHING_PRODUCT_ACTIVE && c->cp[i].remaining > 0)
			prods[np++] = (uint32_t)i;
	sort_products(prods, np, c);
	app_cols_init(&ac, apps, order, napps);
	for (size_t k = 0; k < np && st == MATCHING_OK; k++) {
		const struct matching_cprod *p = &c->cp[prods[k]];

		if (p->cap_fen)
			fill_outstanding(&ac, apps, order, p->program_id);
		if (!product_edges(p, prods[k], &ac, today, e, ok, fit)) {
			if (err)
				snprintf(err->message, sizeof err->message,
					 "pairing: more than %u eligible pairs",
					 MATCHING_PAIRING_EDGES_MAX);
			st = MATCHING_LIMIT;
		}
	}
	app_cols_release(&ac);
	free(prods);
	free(ok);
	free(fit);
	return st;
}

static void solve_edges(const matching_catalog *c, const struct matching_pairs *e, size_t napps,
			int32_t *asg)
{
	uint32_t *start = matching_xcalloc(napps + 1, sizeof *start);
	uint32_t *prod = matching_xmalloc(e->n * sizeof *prod);
	int32_t *fit = matching_xmalloc(e->n * sizeof *fit);
	int32_t *cap = matching_xmalloc(c->n * sizeof *cap);

	for (size_t i = 0; i < e->n; i++) {
		XYD_ASSERT(e->app[i] < napps && e->prod[i] < c->n);
		start[e->app[i] + 1]++;
	}
	for (size_t a = 0; a < napps; a++)
		start[a + 1] += start[a];
	XYD_ASSERT(start[napps] == e->n);
	for (size_t i = 0; i < e->n;
	     i++) { /* stable: each application's edges by product scan order */
		uint32_t k = start[e->app[i]]++;

		prod[k] = e->prod[i];
		fit[k] = e->fit[i];
	}
	memmove(start + 1, start, napps * sizeof *start);
	start[0] = 0;
	for (size_t q = 0; q < c->n; q++)
		cap[q] = c->cp[q].remaining;
	matching_solve((uint32_t)napps, (uint32_t)c->n, start, prod, fit, cap, asg);
	free(start);
	free(prod);
	free(fit);
	free(cap);
}

/* ------------------------------------------------ programme caps together */

/*
 * The solver checks each application's programme cap on its own. Two
 * applications of one enterprise assigned to products of one capped
 * programme may together pass it; cap_repair keeps, in each such group, the
 * best-fitting ones (fit descending, application id ascending) that fit
 * under the cap, and takes every edge into that programme away from the
 * others, which are then solved again. Each round removes at least one
 * edge, so the rounds end; after CAP_ROUNDS_MAX the rest stay unassigned.
 */
enum { CAP_ROUNDS_MAX = 8 };

struct cap_member {
	int64_t enterprise_id, program_id, cap_fen, outstanding_fen, amount_fen;
	int32_t fit;
	uint32_t app; /* index in id order */
};

static int cmp_cap_member(const void *a, const void *b)
{
	const struct cap_member *x = a, *y = b;

	if (x->enterprise_id != y->enterprise_id)
		return x->enterprise_id < y->enterprise_id ? -1 : 1;
	if (x->program_id != y->program_id)
		return x->program_id < y->program_id ? -1 : 1;
	if (x->fit != y->fit)
		return x->fit > y->fit ? -1 : 1;
	return x->app < y->app ? -1 : x->app > y->app;
}

static int64_t outstanding_in(const matching_demand *d, int64_t program_id)
{
	int64_t sum = 0;

	for (size_t b = 0; b < d->nbalances; b++)
		if (d->balances[b].program_id == program_id)
			sum += d->balances[b].outstanding_fen;
	return sum;
}

/* The assigned applications with a capped programme, grouped. */
static size_t cap_members(const matching_catalog *c, const matching_application *apps,
			  const uint32_t *order, const int32_t *asg, const struct matching_pairs *e,
			  struct cap_member *m)
{
	size_t n = 0;

	for (size_t i = 0; i < e->n; i++) {
		const struct matching_cprod *p = &c->cp[e->prod[i]];
		const matching_demand *d = &apps[order[e->app[i]]].demand;

		if (asg[e->app[i]] != (int32_t)e->prod[i] || !p->cap_fen)
			continue;
		m[n++] = (struct cap_member){d->enterprise.id,
					     p->program_id,
					     p->cap_fen,
					     outstanding_in(d, p->program_id),
					     d->request.amount_fen,
					     e->fit[i],
					     e->app[i]};
	}
	qsort(m, n, sizeof *m, cmp_cap_member);
	return n;
}

/* Marks in drop[] (application, programme) pairs to take away; returns how many. */
static size_t cap_drops(struct cap_member *m, size_t n, struct cap_member *drop)
{
	size_t ndrop = 0;

	for (size_t g = 0; g < n;) {
		size_t end = g;
		int64_t room = m[g].cap_fen - m[g].outstanding_fen;

		while (end < n && m[end].enterprise_id == m[g].enterprise_id &&
		       m[end].program_id == m[g].program_id)
			end++;
		for (size_t i = g; i < end; i++) {
			if (m[i].amount_fen <= room)
				room -= m[i].amount_fen;
			else
				drop[ndrop++] = m[i];
		}
		g = end;
	}
	return ndrop;
}

static bool dropped(const struct cap_member *drop, size_t ndrop, uint32_t app, int64_t program_id)
{
	for (size_t i = 0; i < ndrop; i++) /* few: only over-cap groups */
		if (drop[i].app == app && drop[i].program_id == program_id)
			return true;
	return false;
}

/* Takes the over-cap edges out of e (and, on the last round, the
 * assignments out of asg). True if it took any. */
static bool cap_repair(const matching_catalog *c, const matching_application *apps, size_t napps,
		       int32_t *asg, struct matching_pairs *e, bool last_round)
{
	struct cap_member *m = matching_xmalloc((napps ? napps : 1) * sizeof *m);
	struct cap_member *drop = matching_xmalloc((napps ? napps : 1) * sizeof *drop);
	size_t n = cap_members(c, apps, e->order, asg, e, m);
	size_t ndrop = cap_drops(m, n, drop);
	size_t k = 0;

	for (size_t i = 0; ndrop && i < e->n; i++) {
		if (dropped(drop, ndrop, e->app[i], c->cp[e->prod[i]].program_id))
			continue;
		e->app[k] = e->app[i], e->prod[k] = e->prod[i], e->fit[k] = e->fit[i];
		k++;
	}
	if (ndrop)
		e->n = k;
	for (size_t i = 0; last_round && i < ndrop; i++)
		asg[drop[i].app] = -1;
	free(m);
	free(drop);
	return ndrop > 0;
}

/* No product takes more applications than its places left this month. */
static void check_capacity(const matching_catalog *c, const int32_t *asg, size_t napps)
{
	int32_t *taken = matching_xcalloc(c->n ? c->n : 1, sizeof *taken);

	for (size_t a = 0; a < napps; a++) {
		XYD_ASSERT(asg[a] >= -1 && asg[a] < (int32_t)c->n);
		if (asg[a] >= 0)
			taken[asg[a]]++;
	}
	for (size_t q = 0; q < c->n; q++)
		XYD_ASSERT(taken[q] <= c->cp[q].remaining);
	free(taken);
}

static void fill_result(const matching_catalog *c, const matching_application *apps,
			const uint32_t *order, size_t napps, const int32_t *asg,
			const struct matching_pairs *e, matching_pairing *out)
{
	out->assignments = matching_xmalloc(napps * sizeof *out->assignments);
	out->unassigned = matching_xmalloc(napps * sizeof *out->unassigned);
	for (size_t i = 0; i < napps; i++) {
		int64_t id = apps[order[i]].application_id;

		if (asg[i] < 0) {
			out->unassigned[out->nunassigned++] = id;
			continue;
		}
		out->assignments[out->nassignments++] = (matching_assignment){id, c->cp[asg[i]].id,
									      0};
	}
	/* the fit of each chosen pair, from the edge list (by application) */
	for (size_t i = 0; i < e->n; i++) {
		if (asg[e->app[i]] == (int32_t)e->prod[i]) {
			int64_t id = apps[order[e->app[i]]].application_id;
			size_t lo = 0, hi = out->nassignments;

			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;

				if (out->assignments[mid].application_id < id)
					lo = mid + 1;
				else
					hi = mid;
			}
			XYD_ASSERT(lo < out->nassignments &&
				   out->assignments[lo].application_id == id);
			out->assignments[lo].fit = e->fit[i];
			out->total_fit += e->fit[i];
		}
	}
	XYD_ASSERT(out->nassignments + out->nunassigned == napps);
}

matching_status matching_pairs_find(const matching_catalog *c, const matching_application *apps,
				    size_t napps, int32_t today, struct matching_pairs *out,
				    matching_error *err)
{
	uint32_t *tmp;
	matching_status st;

	memset(out, 0, sizeof *out);
	if (napps > MATCHING_APPLICATIONS_MAX) {
		if (err)
			snprintf(err->message, sizeof err->message,
				 "pairing: more than %d applications", MATCHING_APPLICATIONS_MAX);
		return MATCHING_LIMIT;
	}
	out->order = matching_xmalloc(napps * sizeof *out->order);
	tmp = matching_xmalloc(napps * sizeof *tmp);
	for (size_t i = 0; i < napps; i++)
		out->order[i] = (uint32_t)i;
	sort_by_app_id(out->order, tmp, napps, apps);
	free(tmp);
	st = check_apps(apps, napps, out->order, err);
	if (st == MATCHING_OK)
		st = find_edges(c, apps, out->order, napps, today, out, err);
	return st;
}

void matching_pairs_release(struct matching_pairs *e)
{
	free(e->order);
	free(e->app);
	free(e->prod);
	free(e->fit);
	memset(e, 0, sizeof *e);
}

matching_status matching_pair(const matching_catalog *c, const matching_application *apps,
			      size_t napps, int32_t today, matching_pairing *out,
			      matching_error *err)
{
	struct matching_pairs e;
	int32_t *asg;
	matching_status st;

	memset(out, 0, sizeof *out);
	out->engine_version = MATCHING_ENGINE_VERSION;
	st = matching_pairs_find(c, apps, napps, today, &e, err);
	if (st != MATCHING_OK)
		goto out;
	asg = matching_xmalloc(napps * sizeof *asg);
	out->edges = e.n;
	solve_edges(c, &e, napps, asg);
	for (int round = 1; round <= CAP_ROUNDS_MAX; round++) {
		bool last = round == CAP_ROUNDS_MAX;

		if (!cap_repair(c, apps, napps, asg, &e, last) || last)
			break;
		solve_edges(c, &e, napps, asg);
	}
	check_capacity(c, asg, napps);
	fill_result(c, apps, e.order, napps, asg, &e, out);
	free(asg);
	out->input_hash = pairing_hash(c, apps, e.order, napps, today);
out:
	matching_pairs_release(&e);
	return st;
}

void matching_pairing_release(matching_pairing *p)
{
	free(p->assignments);
	free(p->unassigned);
	memset(p, 0, sizeof *p);
}
