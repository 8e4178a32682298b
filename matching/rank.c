/*
 * The two rankings. Products for a demand: every product through
 * matching_eval and the fit, then one radix sort of packed 64-bit keys.
 * Enterprises for a product: a branch-free scan over the snapshot's columns,
 * one 4,096-row chunk at a time (each active criterion is one tight loop
 * that ANDs into a byte mask, so the compiler vectorises it and inactive
 * criteria read no memory), then a bounded heap keeps the best k.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matching_internal.h"

enum { R = MATCHING_CHUNK_ROWS };

/* ------------------------------------------------------------- scan */

void matching_filter_init(struct matching_filter *f, const struct matching_cprod *p, int32_t today,
			  bool require_whitelist)
{
	memset(f, 0, sizeof *f);
	f->today = today;
	f->founded_cutoff = p->min_years ? matching_years_cutoff(today, p->min_years) : INT32_MAX;
	f->min_revenue = p->min_revenue;
	f->town_mask = p->town_mask;
	f->any_town = p->town_mask == ~UINT64_C(0);
	f->whitelist = p->whitelist_only || require_whitelist;
	f->min_score = p->min_score;
	f->min_grade = p->min_grade;
	f->required_tags = p->required_tags;
	f->nindustries = p->nindustries;
	memcpy(f->industry_val, p->industry_val, sizeof f->industry_val);
	memcpy(f->industry_mask, p->industry_mask, sizeof f->industry_mask);
	f->nparks = p->nparks;
	memcpy(f->parks, p->parks, sizeof f->parks);
	f->amount_min = p->amount_min;
	f->amount_max = p->amount_max;
	f->term_min = p->term_min;
	f->term_max = p->term_max;
	f->collateral = p->collateral;
	f->cap_fen = p->cap_fen;
	f->fit_base = p->cost_points + p->capacity_points;
	f->floor_score = p->floor_score;
	f->program_park = p->program_park;
}

static void scan_lists(const struct matching_filter *f, const struct matching_cols *c, uint8_t *restrict ok)
{
	uint8_t hit[R];

	if (f->nindustries) {
		memset(hit, 0, sizeof hit);
		for (unsigned j = 0; j < f->nindustries; j++) {
			uint32_t v = f->industry_val[j], m = f->industry_mask[j];

			for (unsigned i = 0; i < R; i++)
				hit[i] |= (c->industry[i] & m) == v;
		}
		for (unsigned i = 0; i < R; i++)
			ok[i] &= hit[i];
	}
	if (f->nparks) {
		memset(hit, 0, sizeof hit);
		for (unsigned j = 0; j < f->nparks; j++) {
			uint16_t v = f->parks[j];

			for (unsigned i = 0; i < R; i++)
				hit[i] |= c->park_id[i] == v;
		}
		for (unsigned i = 0; i < R; i++)
			ok[i] &= hit[i];
	}
	if (!f->any_town) {
		uint8_t lut[64];

		for (unsigned t = 0; t < 64; t++)
			lut[t] = (f->town_mask >> t) & 1;
		for (unsigned i = 0; i < R; i++)
			ok[i] &= lut[c->town[i] & 63];
	}
}

static void scan_request(const struct matching_filter *f, const struct matching_cols *c, uint8_t *restrict ok)
{
	for (unsigned i = 0; i < R; i++)
		ok[i] &= (c->amount_fen[i] >= f->amount_min) & (c->amount_fen[i] <= f->amount_max);
	for (unsigned i = 0; i < R; i++)
		ok[i] &= (c->term_months[i] >= f->term_min) & (c->term_months[i] <= f->term_max);
	if (f->collateral != MATCHING_COLLATERAL_NONE)
		for (unsigned i = 0; i < R; i++)
			ok[i] &= c->collateral[i] == f->collateral;
	if (f->cap_fen)
		for (unsigned i = 0; i < R; i++)
			ok[i] &= c->outstanding_fen[i] + c->amount_fen[i] <= f->cap_fen;
}

void matching_scan_block(const struct matching_filter *f, const struct matching_cols *c, uint8_t *restrict ok)
{
	memset(ok, 1, R);
	if (f->min_grade)
		for (unsigned i = 0; i < R; i++)
			ok[i] &= c->grade[i] >= f->min_grade;
	if (f->min_score > MATCHING_SCORE_NONE)
		for (unsigned i = 0; i < R; i++)
			ok[i] &= c->score[i] >= f->min_score;
	scan_lists(f, c, ok);
	if (f->founded_cutoff != INT32_MAX)
		for (unsigned i = 0; i < R; i++)
			ok[i] &= c->founded_on[i] <= f->founded_cutoff;
	if (f->min_revenue > 0)
		for (unsigned i = 0; i < R; i++)
			ok[i] &= c->revenue_fen[i] >= f->min_revenue;
	if (f->required_tags)
		for (unsigned i = 0; i < R; i++)
			ok[i] &= (c->tags[i] & f->required_tags) == f->required_tags;
	if (f->whitelist)
		for (unsigned i = 0; i < R; i++)
			ok[i] &= (c->whitelist[i] == MATCHING_WL_APPROVED) & (c->whitelist_until[i] >= f->today);
	if (f->row_request)
		scan_request(f, c, ok);
}

void matching_fit_block(const struct matching_filter *f, const struct matching_cols *c, int32_t *restrict fit)
{
	int32_t base = f->fit_base, floor_score = f->floor_score;

	for (unsigned i = 0; i < R; i++) {
		int32_t m = c->score[i] - floor_score;

		m = m < 0 ? 0 : m;
		fit[i] = base + (m > 300 ? 300 : m);
	}
	if (f->program_park)
		for (unsigned i = 0; i < R; i++)
			fit[i] += (c->park_id[i] == f->program_park) * 100;
}

/* ------------------------------------------------ products for a demand */

static uint64_t demand_hash(uint64_t h, const matching_demand *d)
{
	uint64_t balances = 0;

	h = matching_fnv_enterprise(h, &d->enterprise);
	h = matching_fnv_int(h, d->has_request, 1);
	if (d->has_request) {
		h = matching_fnv_int(h, (uint64_t)d->request.amount_fen, 8);
		h = matching_fnv_int(h, (uint32_t)d->request.term_months, 4);
		h = matching_fnv_int(h, d->request.collateral, 1);
	}
	/* a sum, so the order the caller lists balances in does not matter */
	for (size_t i = 0; i < d->nbalances; i++) {
		uint64_t b = matching_fnv_int(MATCHING_FNV_OFFSET, (uint64_t)d->balances[i].program_id, 8);

		balances += matching_fnv_int(b, (uint64_t)d->balances[i].outstanding_fen, 8);
	}
	return matching_fnv_int(h, balances, 8);
}

static uint64_t product_key(uint32_t failed, int32_t fit, int32_t rate_min_bps, size_t index)
{
	return (uint64_t)__builtin_popcount(failed) << 44 | (uint64_t)(MATCHING_FIT_MAX - fit) << 32 |
	       (uint64_t)rate_min_bps << 20 | (uint64_t)index;
}

matching_status matching_rank_products(const matching_catalog *c, const matching_demand *d, int32_t today,
				       matching_product_ranking *out, matching_error *err)
{
	struct matching_ectx x;
	uint64_t *keys;
	uint32_t *failed;
	int32_t *fit;
	matching_status st;

	memset(out, 0, sizeof *out);
	out->engine_version = MATCHING_ENGINE_VERSION;
	st = matching_demand_check(d, err);
	if (st != MATCHING_OK)
		return st;
	matching_ectx_init(&x, d, today);
	keys = matching_xmalloc(2 * c->n * sizeof *keys);
	failed = matching_xmalloc(c->n * sizeof *failed);
	fit = matching_xmalloc(c->n * sizeof *fit);
	for (size_t i = 0; i < c->n; i++) {
		failed[i] = matching_eval(&c->cp[i], &x);
		fit[i] = matching_fit_compute(&c->cp[i], &x, NULL);
		keys[i] = product_key(failed[i], fit[i], c->cp[i].rate_min, i);
	}
	matching_radix_sort(keys, keys + c->n, c->n, 48);
	out->items = matching_xmalloc(c->n * sizeof *out->items);
	out->count = c->n;
	for (size_t k = 0; k < c->n; k++) {
		size_t i = keys[k] & 0xfffff;
		matching_product_match *m = &out->items[k];

		m->product_id = c->cp[i].id;
		m->fit = fit[i];
		m->rate_min_bps = c->cp[i].rate_min;
		m->failed = failed[i];
		m->nfailed = (uint8_t)__builtin_popcount(failed[i]);
		m->eligible = failed[i] == 0;
		m->hint = failed[i] ? matching_hint_compute(c, &c->cp[i], &x, failed[i]) : (matching_hint){0};
		out->eligible += m->eligible;
	}
	out->input_hash = demand_hash(matching_fnv_int(matching_fnv_str(MATCHING_FNV_OFFSET, MATCHING_ENGINE_VERSION),
						       (uint32_t)today, 4), d);
	out->input_hash = matching_fnv_int(out->input_hash, c->hash, 8);
	free(keys);
	free(failed);
	free(fit);
	return MATCHING_OK;
}

void matching_product_ranking_release(matching_product_ranking *r)
{
	free(r->items);
	memset(r, 0, sizeof *r);
}

/* --------------------------------------------- enterprises for a product */

struct topk {
	matching_candidate *v;		/* min-heap: the worst kept at v[0] */
	size_t n, k;
};

static bool worse(const matching_candidate *a, const matching_candidate *b)
{
	return a->fit < b->fit || (a->fit == b->fit && a->enterprise_id > b->enterprise_id);
}

static void heap_down(struct topk *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && worse(&h->v[l], &h->v[m]))
			m = l;
		if (r < h->n && worse(&h->v[r], &h->v[m]))
			m = r;
		if (m == i)
			return;
		matching_candidate t = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = t;
		i = m;
	}
}

static void heap_offer(struct topk *h, const matching_candidate *c)
{
	if (h->n < h->k) {
		size_t i = h->n++;

		h->v[i] = *c;
		while (i > 0 && worse(&h->v[i], &h->v[(i - 1) / 2])) {
			matching_candidate t = h->v[i];
			h->v[i] = h->v[(i - 1) / 2];
			h->v[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
	} else if (worse(&h->v[0], c)) {
		h->v[0] = *c;
		heap_down(h, 0);
	}
}

static int cmp_candidate(const void *a, const void *b)
{
	const matching_candidate *x = a, *y = b;

	return worse(y, x) ? -1 : worse(x, y) ? 1 : 0;
}

static void chunk_cols(const struct matching_chunk *ch, struct matching_cols *c)
{
	memset(c, 0, sizeof *c);
	c->score = ch->score;
	c->grade = ch->grade;
	c->industry = ch->industry;
	c->town = ch->town;
	c->park_id = ch->park_id;
	c->founded_on = ch->founded_on;
	c->revenue_fen = ch->revenue_fen;
	c->tags = ch->tags;
	c->whitelist = ch->whitelist;
	c->whitelist_until = ch->whitelist_until;
}

/* Scans one chunk's first `rows` rows into the heap; returns the eligible count. */
static size_t scan_chunk(const struct matching_filter *f, const struct matching_chunk *ch, size_t rows,
			 struct topk *h, uint8_t *ok, int32_t *fit)
{
	struct matching_cols cols;
	size_t eligible = 0;

	chunk_cols(ch, &cols);
	matching_scan_block(f, &cols, ok);
	matching_fit_block(f, &cols, fit);
	for (size_t i = 0; i < rows; i++)
		eligible += ok[i];
	for (size_t i = 0; i < rows; i++) {
		/* after the heap fills, the rare row at or above its worst fit
		 * is the only one that reads its id */
		if (ok[i] && (h->n < h->k || fit[i] >= h->v[0].fit)) {
			matching_candidate cand = {ch->id[i], fit[i], ch->score[i], ch->grade[i]};

			heap_offer(h, &cand);
		}
	}
	return eligible;
}

static matching_status check_query(const matching_candidate_query *q, matching_error *err)
{
	const char *bad = NULL;

	if (q->limit < 1 || q->limit > MATCHING_TOPK_MAX)
		bad = "limit outside 1..10000";
	else if (q->has_request && (q->request.amount_fen < 1 || q->request.amount_fen > MATCHING_AMOUNT_MAX_FEN))
		bad = "amount_fen out of range";
	else if (q->has_request && (q->request.term_months < 1 || q->request.term_months > 600))
		bad = "term_months outside 1..600";
	else if (q->has_request && q->request.collateral >= MATCHING_COLLATERAL_COUNT)
		bad = "collateral out of range";
	if (bad && err)
		snprintf(err->message, sizeof err->message, "candidate query: %s", bad);
	return bad ? MATCHING_INVALID : MATCHING_OK;
}

static uint64_t query_hash(const matching_snapshot *s, const matching_catalog *c, int64_t product_id,
			   const matching_candidate_query *q, int32_t today)
{
	uint64_t h = matching_fnv_str(MATCHING_FNV_OFFSET, MATCHING_ENGINE_VERSION);

	h = matching_fnv_int(h, (uint32_t)today, 4);
	h = matching_fnv_int(h, (uint64_t)product_id, 8);
	h = matching_fnv_int(h, q->limit, 8);
	h = matching_fnv_int(h, q->approved_whitelist_only, 1);
	h = matching_fnv_int(h, q->has_request, 1);
	if (q->has_request) {
		h = matching_fnv_int(h, (uint64_t)q->request.amount_fen, 8);
		h = matching_fnv_int(h, (uint32_t)q->request.term_months, 4);
		h = matching_fnv_int(h, q->request.collateral, 1);
	}
	h = matching_fnv_int(h, s->count, 8);
	h = matching_fnv_int(h, s->content_hash, 8);
	return matching_fnv_int(h, c->hash, 8);
}

/* The product-only verdict for a candidate scan: false when nobody can pass. */
static bool product_open(const struct matching_cprod *p, const matching_candidate_query *q)
{
	if (p->status != MATCHING_PRODUCT_ACTIVE || p->remaining <= 0)
		return false;
	if (!q->has_request)
		return true;
	return q->request.amount_fen >= p->amount_min && q->request.amount_fen <= p->amount_max &&
	       q->request.term_months >= p->term_min && q->request.term_months <= p->term_max &&
	       (p->collateral == MATCHING_COLLATERAL_NONE || q->request.collateral == p->collateral);
}

matching_status matching_rank_enterprises(const matching_snapshot *s, const matching_catalog *c,
					  int64_t product_id, const matching_candidate_query *q, int32_t today,
					  matching_candidate_ranking *out, matching_error *err)
{
	const struct matching_cprod *p;
	struct matching_filter f;
	struct topk h;
	uint8_t *ok;
	int32_t *fit;
	long pi;
	matching_status st;

	memset(out, 0, sizeof *out);
	out->engine_version = MATCHING_ENGINE_VERSION;
	out->snapshot_version = s->version;
	st = check_query(q, err);
	if (st != MATCHING_OK)
		return st;
	pi = matching_catalog_find(c, product_id);
	if (pi < 0) {
		if (err)
			snprintf(err->message, sizeof err->message, "product %" PRId64 ": not in the catalogue", product_id);
		return MATCHING_NOT_FOUND;
	}
	p = &c->cp[pi];
	out->input_hash = query_hash(s, c, product_id, q, today);
	out->scanned = s->count;
	if (!product_open(p, q))
		return MATCHING_OK;
	matching_filter_init(&f, p, today, q->approved_whitelist_only);
	if (q->has_request)
		f.fit_base += matching_range_points(q->request.amount_fen, p->amount_min, p->amount_max, 100) +
			      matching_range_points(q->request.term_months, p->term_min, p->term_max, 50);
	h = (struct topk){matching_xmalloc(q->limit * sizeof *h.v), 0, q->limit};
	ok = matching_xmalloc(R);
	fit = matching_xmalloc(R * sizeof *fit);
	for (size_t ci = 0; ci < s->nchunks; ci++) {
		size_t rows = s->count - ci * R;

		out->eligible += scan_chunk(&f, s->chunks[ci], rows < R ? rows : R, &h, ok, fit);
	}
	qsort(h.v, h.n, sizeof *h.v, cmp_candidate);
	out->items = h.v;
	out->count = h.n;
	free(ok);
	free(fit);
	return MATCHING_OK;
}

void matching_candidate_ranking_release(matching_candidate_ranking *r)
{
	free(r->items);
	memset(r, 0, sizeof *r);
}
