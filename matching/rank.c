/*
 * The two rankings. Products for a demand: every product through
 * matching_eval and the fit, then one stable radix sort of packed keys.
 * Enterprises for a product: a branch-free scan over the snapshot's columns,
 * one 2,048-row chunk at a time (the per-row criteria in one vectorised
 * pass into a byte mask, each list criterion in a few more, the fit in two),
 * then a bounded heap keeps the best k, touched only by the rows that can
 * still enter it.
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
	f->min_revenue_bucket = matching_revenue_bucket(p->min_revenue);
	f->town_mask = p->town_mask;
	f->any_town = p->town_mask == ~UINT64_C(0);
	for (unsigned t = 0; !f->any_town && t < MATCHING_TOWNS_MAX; t++)
		if ((p->town_mask >> t) & 1)
			f->towns[f->ntowns++] = (uint8_t)t;
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
	XYD_ASSERT(f->any_town || f->ntowns >= 1); /* a town list is never empty */
	XYD_ASSERT(f->fit_base >= 0 && f->fit_base <= MATCHING_FIT_MAX);
}

/* The kernels: each ANDs (or ORs) comparisons into a byte mask. Their
 * restrict parameters tell the compiler the mask aliases no column, so the
 * loops vectorise (SSE2 at -O2, no -march needed). */
/* The one-per-row criteria in one pass: every column is read whether its
 * criterion is on or not (an inactive one compares against a bound every
 * row meets), because one vectorised pass over seven columns costs less
 * than seven passes that each store the mask. The revenue test here is on
 * the 4-byte bucket; and_revenue_exact settles the rows in the bound's own
 * bucket. */
static void and_profile(uint8_t *restrict ok, const uint8_t *restrict grade,
			const int16_t *restrict score, const int32_t *restrict founded,
			const uint32_t *restrict bucket, const uint8_t *restrict tags,
			const uint8_t *restrict wl, const int32_t *restrict until,
			const struct matching_filter *f)
{
	uint8_t min_grade = f->min_grade, req = f->required_tags, anyone = !f->whitelist;
	int16_t min_score = f->min_score;
	int32_t cutoff = f->founded_cutoff, today = f->today;
	uint32_t min_bucket = f->min_revenue > 0 ? f->min_revenue_bucket : 0;

	for (unsigned i = 0; i < R; i++)
		ok[i] = (grade[i] >= min_grade) & (score[i] >= min_score) & (founded[i] <= cutoff) &
			(bucket[i] >= min_bucket) & ((tags[i] & req) == req) &
			(((wl[i] == MATCHING_WL_APPROVED) & (until[i] >= today)) | anyone);
}

static void mark_eq_u32(uint8_t *restrict mark, const uint32_t *restrict v, uint32_t want)
{
	for (unsigned i = 0; i < R; i++)
		mark[i] = v[i] == want;
}

static void and_revenue_exact(uint8_t *ok, const struct matching_cols *c, uint32_t bucket,
			      int64_t min)
{
	uint8_t same[R];

	mark_eq_u32(same, c->revenue_bucket, bucket);
	for (unsigned w = 0; w < R; w += 8) {
		uint64_t word;

		memcpy(&word, same + w, sizeof word);
		if (word)
			for (unsigned i = w; i < w + 8; i++)
				ok[i] &= !same[i] | (c->revenue_fen[i] >= min);
	}
}

static void and_eq_u8(uint8_t *restrict ok, const uint8_t *restrict v, uint8_t want)
{
	for (unsigned i = 0; i < R; i++)
		ok[i] &= v[i] == want;
}

static void and_in_i64(uint8_t *restrict ok, const int64_t *restrict v, int64_t lo, int64_t hi)
{
	for (unsigned i = 0; i < R; i++)
		ok[i] &= (v[i] >= lo) & (v[i] <= hi);
}

static void and_in_i32(uint8_t *restrict ok, const int32_t *restrict v, int32_t lo, int32_t hi)
{
	for (unsigned i = 0; i < R; i++)
		ok[i] &= (v[i] >= lo) & (v[i] <= hi);
}

static void and_sum_le(uint8_t *restrict ok, const int64_t *restrict a, const int64_t *restrict b,
		       int64_t max)
{
	for (unsigned i = 0; i < R; i++)
		ok[i] &= a[i] + b[i] <= max;
}

static void or_eq_u8(uint8_t *restrict hit, const uint8_t *restrict v, uint8_t want)
{
	for (unsigned i = 0; i < R; i++)
		hit[i] |= v[i] == want;
}

static void or_prefix32(uint32_t *restrict hit, const uint32_t *restrict v, uint32_t mask,
			uint32_t want)
{
	for (unsigned i = 0; i < R; i++)
		hit[i] |= (v[i] & mask) == want;
}

static void and_nonzero_u32(uint8_t *restrict ok, const uint32_t *restrict hit)
{
	for (unsigned i = 0; i < R; i++)
		ok[i] &= hit[i] != 0;
}

static void or_eq_u16(uint8_t *restrict hit, const uint16_t *restrict v, uint16_t want)
{
	for (unsigned i = 0; i < R; i++)
		hit[i] |= v[i] == want;
}

static void and_u8(uint8_t *restrict ok, const uint8_t *restrict v)
{
	for (unsigned i = 0; i < R; i++)
		ok[i] &= v[i];
}

/* A list criterion ORs one equality (or prefix) test per listed value into
 * a hit mask, then ANDs the mask in: a few vector passes over one column. */
static void scan_lists(const struct matching_filter *f, const struct matching_cols *c, uint8_t *ok)
{
	uint8_t hit[R];

	if (f->nindustries) {
		uint32_t hit32[R];

		memset(hit32, 0, sizeof hit32);
		for (unsigned j = 0; j < f->nindustries; j++)
			or_prefix32(hit32, c->industry, f->industry_mask[j], f->industry_val[j]);
		and_nonzero_u32(ok, hit32);
	}
	if (f->nparks) {
		memset(hit, 0, sizeof hit);
		for (unsigned j = 0; j < f->nparks; j++)
			or_eq_u16(hit, c->park_id, f->parks[j]);
		and_u8(ok, hit);
	}
	if (!f->any_town) {
		memset(hit, 0, sizeof hit);
		for (unsigned j = 0; j < f->ntowns; j++)
			or_eq_u8(hit, c->town, f->towns[j]);
		and_u8(ok, hit);
	}
}

void matching_scan_block(const struct matching_filter *f, const struct matching_cols *c,
			 uint8_t *ok)
{
	and_profile(ok, c->grade, c->score, c->founded_on, c->revenue_bucket, c->tags, c->whitelist,
		    c->whitelist_until, f);
	if (f->min_revenue > 0)
		and_revenue_exact(ok, c, f->min_revenue_bucket, f->min_revenue);
	scan_lists(f, c, ok);
	if (!f->row_request)
		return;
	and_in_i64(ok, c->amount_fen, f->amount_min, f->amount_max);
	and_in_i32(ok, c->term_months, f->term_min, f->term_max);
	if (f->collateral != MATCHING_COLLATERAL_NONE)
		and_eq_u8(ok, c->collateral, f->collateral);
	if (f->cap_fen)
		and_sum_le(ok, c->outstanding_fen, c->amount_fen, f->cap_fen);
}

static void fit_margin(int32_t *restrict fit, const int16_t *restrict score, int32_t base,
		       int32_t floor_score)
{
	for (unsigned i = 0; i < R; i++) {
		int32_t m = score[i] - floor_score;

		m = m < 0 ? 0 : m;
		fit[i] = base + (m > 300 ? 300 : m);
	}
}

static void fit_park(int32_t *restrict fit, const uint16_t *restrict park, uint16_t want)
{
	for (unsigned i = 0; i < R; i++)
		fit[i] += (park[i] == want) * 100;
}

void matching_fit_block(const struct matching_filter *f, const struct matching_cols *c,
			int32_t *fit)
{
	fit_margin(fit, c->score, f->fit_base, f->floor_score);
	if (f->program_park)
		fit_park(fit, c->park_id, f->program_park);
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
		uint64_t b = matching_fnv_int(MATCHING_FNV_OFFSET,
					      (uint64_t)d->balances[i].program_id, 8);

		balances += matching_fnv_int(b, (uint64_t)d->balances[i].outstanding_fen, 8);
	}
	return matching_fnv_int(h, balances, 8);
}

/* Sort key in bits 32..58 (failed criteria, fit descending, rate), the
 * product's index below; the stable sort keeps index (= id) order on ties. */
static uint64_t product_key(uint32_t failed, int32_t fit, int32_t rate_min_bps, size_t index)
{
	uint64_t k = (uint64_t)matching_popcount(failed) << 23 |
		     (uint64_t)(MATCHING_FIT_MAX - fit) << 12 | (uint64_t)rate_min_bps;

	return k << 32 | (uint64_t)index;
}

matching_status matching_rank_products(const matching_catalog *c, const matching_demand *d,
				       int32_t today, matching_product_ranking *out,
				       matching_error *err)
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
	XYD_ASSERT(c->n <= MATCHING_PRODUCTS_MAX); /* an index fits the key's low 32 bits */
	keys = matching_xmalloc(2 * c->n * sizeof *keys);
	failed = matching_xmalloc(c->n * sizeof *failed);
	fit = matching_xmalloc(c->n * sizeof *fit);
	matching_eval_all(c, &x, failed, fit);
	for (size_t i = 0; i < c->n; i++)
		keys[i] = product_key(failed[i], fit[i], c->cp[i].rate_min, i);
	matching_radix_sort(keys, keys + c->n, c->n, 32, 59);
	out->items = matching_xmalloc(c->n * sizeof *out->items);
	out->count = c->n;
	for (size_t k = 0; k < c->n; k++) {
		size_t i = (uint32_t)keys[k];
		matching_product_match *m = &out->items[k];

		XYD_ASSERT(i < c->n);
		m->product_id = c->ids[i];
		m->fit = fit[i];
		m->rate_min_bps = (int32_t)((keys[k] >> 32) & 0xfff);
		m->failed = failed[i];
		m->nfailed = (uint8_t)(keys[k] >> 55);
		m->eligible = failed[i] == 0;
		m->hint = m->nfailed == 1 || m->nfailed == 2
				  ? matching_hint_compute(c, &c->cp[i], &x, failed[i])
				  : (matching_hint){0};
		out->eligible += m->eligible;
	}
	XYD_ASSERT(out->eligible <= out->count);
	out->input_hash = demand_hash(
		matching_fnv_int(matching_fnv_str(MATCHING_FNV_OFFSET, MATCHING_ENGINE_VERSION),
				 (uint32_t)today, 4),
		d);
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
	matching_candidate *v; /* min-heap: the worst kept at v[0] */
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
	XYD_ASSERT(h->n <= h->k);
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
	c->revenue_bucket = ch->revenue_bucket;
	c->tags = ch->tags;
	c->whitelist = ch->whitelist;
	c->whitelist_until = ch->whitelist_until;
}

static void select_gt(uint8_t *restrict sel, const uint8_t *restrict ok,
		      const int32_t *restrict fit, int32_t thr)
{
	for (unsigned i = 0; i < R; i++)
		sel[i] = ok[i] & (fit[i] > thr);
}

/*
 * Scans one chunk's first `rows` rows into the heap; returns how many were
 * eligible. Once the heap is full only a row above its worst fit, or tied
 * with it at a lower id, can enter: a vector pass marks those (all tied rows
 * too, unless every id in the chunk is above the worst one's, the usual case
 * as ids grow with rows), and only marked rows take a branch and read ids.
 */
static size_t scan_chunk(const struct matching_filter *f, const struct matching_chunk *ch,
			 size_t rows, struct topk *h, uint8_t *ok, int32_t *fit, uint8_t *sel)
{
	struct matching_cols cols;
	size_t eligible = 0;
	int32_t thr = INT32_MIN;

	XYD_ASSERT(rows >= 1 && rows <= R);
	chunk_cols(ch, &cols);
	matching_scan_block(f, &cols, ok);
	matching_fit_block(f, &cols, fit);
	memset(ok + rows, 0, R - rows);
	for (unsigned i = 0; i < R; i++)
		eligible += ok[i];
	XYD_ASSERT(eligible <= rows);
	if (h->n == h->k)
		thr = ch->id_min > h->v[0].enterprise_id ? h->v[0].fit : h->v[0].fit - 1;
	select_gt(sel, ok, fit, thr);
	for (unsigned w = 0; w < R; w += 8) {
		uint64_t word;

		memcpy(&word, sel + w, sizeof word);
		if (!word)
			continue;
		for (unsigned i = w; i < w + 8; i++)
			if (sel[i]) {
				matching_candidate cand = {ch->id[i], fit[i], ch->score[i],
							   ch->grade[i]};

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
	else if (q->has_request &&
		 (q->request.amount_fen < 1 || q->request.amount_fen > MATCHING_AMOUNT_MAX_FEN))
		bad = "amount_fen out of range";
	else if (q->has_request && (q->request.term_months < 1 || q->request.term_months > 600))
		bad = "term_months outside 1..600";
	else if (q->has_request && q->request.collateral >= MATCHING_COLLATERAL_COUNT)
		bad = "collateral out of range";
	if (bad && err)
		snprintf(err->message, sizeof err->message, "candidate query: %s", bad);
	return bad ? MATCHING_INVALID : MATCHING_OK;
}

static uint64_t query_hash(const matching_snapshot *s, const matching_catalog *c,
			   int64_t product_id, const matching_candidate_query *q, int32_t today)
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
	       (p->collateral == MATCHING_COLLATERAL_NONE ||
		q->request.collateral == p->collateral);
}

matching_status matching_rank_enterprises(const matching_snapshot *s, const matching_catalog *c,
					  int64_t product_id, const matching_candidate_query *q,
					  int32_t today, matching_candidate_ranking *out,
					  matching_error *err)
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
			snprintf(err->message, sizeof err->message,
				 "product %" PRId64 ": not in the catalogue", product_id);
		return MATCHING_NOT_FOUND;
	}
	p = &c->cp[pi];
	out->input_hash = query_hash(s, c, product_id, q, today);
	out->scanned = s->count;
	if (!product_open(p, q))
		return MATCHING_OK;
	matching_filter_init(&f, p, today, q->approved_whitelist_only);
	if (q->has_request)
		f.fit_base += matching_range_points(q->request.amount_fen, p->amount_min,
						    p->amount_max, 100) +
			      matching_range_points(q->request.term_months, p->term_min,
						    p->term_max, 50);
	h = (struct topk){matching_xmalloc(q->limit * sizeof *h.v), 0, q->limit};
	ok = matching_xmalloc(2 * R);
	fit = matching_xmalloc(R * sizeof *fit);
	XYD_ASSERT(s->nchunks == (s->count + R - 1) / R); /* every chunk holds rows */
	for (size_t ci = 0; ci < s->nchunks; ci++) {
		size_t rows = s->count - ci * R;

		out->eligible += scan_chunk(&f, s->chunks[ci], rows < R ? rows : R, &h, ok, fit,
					    ok + R);
	}
	XYD_ASSERT(out->eligible <= s->count);
	XYD_ASSERT(h.n <= q->limit && h.n <= out->eligible);
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
