/*
 * matching_bench — the matching engine on generated data, through the same
 * calls the server makes, each beside a naive baseline in the same run:
 *
 *   1. rank 2,000 products for one demand (baseline: explain every product
 *      with its reasons and qsort them);
 *   2. rank 1,000,000 enterprises for one product, top 100 (baseline: a
 *      short-circuiting loop of ifs over an array of structs, then a full
 *      sort of every eligible enterprise);
 *   3. pair 100,000 open applications with 1,000 products under capacities
 *      (baseline: greedy by fit over the same eligible pairs);
 *   4. snapshot bytes per enterprise, and the cost of one incremental update.
 *
 * Prints medians over repeated runs. Environment: BENCH_ENTERPRISES
 * (1000000), BENCH_APPLICATIONS (100000), BENCH_RUNS (scales the repeat
 * counts; default 1), BENCH_SEED (42).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench_util.h"
#include "matching/matching.h"
#include "matching/matching_internal.h"

static long rss_bytes(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = 0;
	fclose(f);
	return resident * 4096;
}

static int32_t TODAY;

/* ------------------------------------------------------------ generators */

static uint32_t random_industry(bool division)
{
	char code[8];

	if (division)
		snprintf(code, sizeof code, "%c%02u", 'A' + below(20), 10 + below(90));
	else
		snprintf(code, sizeof code, "%c", 'A' + below(20));
	return matching_industry_pack(code);
}

static void gen_enterprise(int64_t id, matching_enterprise *e)
{
	matching_grade_scale sc = matching_grade_scale_v1();
	int score = 300 + (int)below(250) + (int)below(250) + (int)below(250);
	uint32_t w = below(100);

	memset(e, 0, sizeof *e);
	e->id = id;
	e->score = (int16_t)(score > 1000 ? 1000 : score);
	e->grade = e->score >= sc.min_score[4]	 ? 4
		   : e->score >= sc.min_score[3] ? 3
		   : e->score >= sc.min_score[2] ? 2
						 : 1;
	e->town = (uint8_t)below(13);
	e->industry = random_industry(true);
	e->park_id = below(100) < 30 ? (uint16_t)(1 + below(4)) : 0;
	e->founded_on = TODAY - (int32_t)below(30 * 365);
	e->revenue_fen = (int64_t)(1 + below(9)) * 100 * 100000 * (int64_t)(1 + below(1000));
	for (unsigned b = 0; b < 5; b++)
		e->tags |= (uint8_t)(below(10) == 0) << b;
	if (w < 35) {
		e->whitelist = MATCHING_WL_APPROVED;
		e->whitelist_until = TODAY - 30 + (int32_t)below(400);
	} else if (w < 45) {
		e->whitelist = MATCHING_WL_NOMINATED;
	} else if (w < 50) {
		e->whitelist = MATCHING_WL_REVOKED;
	}
}

enum { NPROGRAMS = 6 };

static void gen_programs(matching_program *g)
{
	for (int i = 0; i < NPROGRAMS; i++)
		g[i] = (matching_program){
			.id = i + 1,
			.park_id = (uint16_t)(1 + i % 4),
			.interest_subsidy_bps = 50 + 20 * i,
			.max_amount_per_enterprise_fen = i % 2 ? 0 : INT64_C(500000000),
		};
}

static void gen_product(int64_t id, matching_product *p)
{
	memset(p, 0, sizeof *p);
	p->id = id;
	p->institution_id = 1 + below(20);
	p->program_id = below(100) < 20 ? 1 + below(NPROGRAMS) : 0;
	p->kind = (uint8_t)below(MATCHING_KIND_COUNT);
	p->status = below(100) < 90 ? MATCHING_PRODUCT_ACTIVE : MATCHING_PRODUCT_PAUSED;
	p->collateral = below(100) < 60 ? MATCHING_COLLATERAL_NONE : (uint8_t)(1 + below(4));
	p->amount_min_fen = (int64_t)(1 + below(50)) * 1000000;
	p->amount_max_fen = p->amount_min_fen * (2 + below(40));
	p->rate_min_bps = 300 + (int32_t)below(500);
	p->rate_max_bps = p->rate_min_bps + (int32_t)below(300);
	p->term_min_months = 1 + (int32_t)below(12);
	p->term_max_months = p->term_min_months + 6 + (int32_t)below(48);
	p->min_grade = (uint8_t)below(4);
	p->min_score = below(100) < 30 ? (int16_t)(400 + below(400)) : MATCHING_SCORE_NONE;
	if (below(100) < 40) {
		p->nindustries = (uint8_t)(1 + below(3));
		for (unsigned i = 0; i < p->nindustries; i++)
			p->industries[i] = random_industry(below(2));
	}
	if (below(100) < 20) {
		p->ntowns = (uint8_t)(1 + below(4));
		for (unsigned i = 0; i < p->ntowns; i++)
			p->towns[i] = (uint8_t)below(13);
	}
	if (below(100) < 10) {
		p->nparks = (uint8_t)(1 + below(2));
		for (unsigned i = 0; i < p->nparks; i++)
			p->park_ids[i] = (uint16_t)(1 + below(4));
	}
	p->min_years = (int32_t)below(4);
	p->min_revenue_fen = below(100) < 30 ? (int64_t)(1 + below(100)) * 100000000 : 0;
	p->required_tags = below(100) < 10 ? (uint8_t)(1u << below(5)) : 0;
	p->whitelist_only = below(2);
	p->monthly_capacity = 50 + (int32_t)below(150);
	p->used_this_month = (int32_t)below((uint32_t)p->monthly_capacity / 2 + 1);
}

static matching_catalog *gen_catalog(size_t n)
{
	matching_product *ps = malloc(n * sizeof *ps);
	matching_program gs[NPROGRAMS];
	matching_catalog *c;
	matching_error err;

	gen_programs(gs);
	for (size_t i = 0; i < n; i++)
		gen_product((int64_t)i + 1, &ps[i]);
	if (matching_catalog_new(ps, n, gs, NPROGRAMS, NULL, NULL, &c, &err) != MATCHING_OK) {
		fprintf(stderr, "cannot build the catalogue: %s\n", err.message);
		exit(1);
	}
	free(ps);
	return c;
}

/* ------------------------------------------------------ 1. products */

static int cmp_explanation(const void *a, const void *b)
{
	const matching_explanation *x = a, *y = b;
	int nx = __builtin_popcount(x->failed), ny = __builtin_popcount(y->failed);

	if (nx != ny)
		return nx - ny;
	if (x->fit != y->fit)
		return y->fit - x->fit;
	return (x->product_id > y->product_id) - (x->product_id < y->product_id);
}

static void bench_products(const matching_snapshot *s)
{
	matching_catalog *c = gen_catalog(2000);
	matching_balance bal = {1, 50000000};
	matching_demand d = {.has_request = true,
			     .request = {100000000, 12, MATCHING_COLLATERAL_NONE},
			     .balances = &bal,
			     .nbalances = 1};
	size_t runs = 301 * env_size("BENCH_RUNS", 1), nc = matching_catalog_count(c);
	double *t = malloc(runs * sizeof *t), *tn = malloc(runs * sizeof *tn), fast, naive;
	matching_explanation *ex = malloc(nc * sizeof *ex);
	matching_product_ranking r;
	size_t eligible = 0;

	matching_snapshot_get(s, 12345, &d.enterprise);
	/* each side runs back to back, so each is timed with its own data warm */
	for (size_t i = 0; i < runs; i++) {
		double t0 = now_s();

		matching_rank_products(c, &d, TODAY, &r, NULL);
		t[i] = now_s() - t0;
		eligible = r.eligible;
		matching_product_ranking_release(&r);
	}
	for (size_t i = 0; i < runs / 10; i++) {
		double t0 = now_s();

		for (size_t k = 0; k < nc; k++)
			matching_explain(c, c->cp[k].id, &d, TODAY, &ex[k], NULL);
		qsort(ex, nc, sizeof *ex, cmp_explanation);
		tn[i] = now_s() - t0;
	}
	fast = median(t, runs);
	naive = median(tn, runs / 10);
	printf("rank products: %zu products for one demand, %zu eligible\n", nc, eligible);
	printf("  matching_rank_products          median %8.1f us   (target < 50 us)\n",
	       fast * 1e6);
	printf("  naive: explain all + qsort      median %8.1f us   ratio %.1fx\n", naive * 1e6,
	       naive / fast);
	free(ex);
	free(t);
	free(tn);
	matching_catalog_free(c);
}

/* --------------------------------------------------- 2. enterprises */

struct naive_hit {
	int64_t id;
	int32_t fit;
};

static int cmp_hit(const void *a, const void *b)
{
	const struct naive_hit *x = a, *y = b;

	if (x->fit != y->fit)
		return y->fit - x->fit;
	return (x->id > y->id) - (x->id < y->id);
}

/* The obvious way: an array of structs, one if after another, a full sort. */
static size_t naive_candidates(const matching_enterprise *es, size_t n, const matching_product *p,
			       const matching_catalog *c, int32_t today, struct naive_hit *hits)
{
	const struct matching_cprod *cp = &c->cp[matching_catalog_find(c, p->id)];
	int32_t cutoff = p->min_years ? matching_years_cutoff(today, p->min_years) : INT32_MAX;
	size_t nh = 0;

	for (size_t i = 0; i < n; i++) {
		const matching_enterprise *e = &es[i];
		bool hit = p->nindustries == 0, park = p->nparks == 0, town = p->ntowns == 0;

		if (e->grade < p->min_grade || e->score < p->min_score)
			continue;
		for (unsigned k = 0; k < p->nindustries && !hit; k++)
			hit = matching_industry_has_prefix(e->industry, p->industries[k]);
		if (!hit)
			continue;
		for (unsigned k = 0; k < p->ntowns && !town; k++)
			town = e->town == p->towns[k];
		for (unsigned k = 0; k < p->nparks && !park; k++)
			park = e->park_id == p->park_ids[k];
		if (!town || !park || e->founded_on > cutoff || e->revenue_fen < p->min_revenue_fen)
			continue;
		if ((e->tags & p->required_tags) != p->required_tags)
			continue;
		if (e->whitelist != MATCHING_WL_APPROVED || e->whitelist_until < today)
			continue;
		hits[nh].id = e->id;
		hits[nh++].fit = cp->cost_points + cp->capacity_points +
				 matching_margin_points(e->score, cp->floor_score) +
				 (cp->program_park && cp->program_park == e->park_id ? 100 : 0);
	}
	qsort(hits, nh, sizeof *hits, cmp_hit);
	return nh;
}

static void bench_one_product(const matching_snapshot *s, const matching_enterprise *es,
			      const matching_product *p, const char *label)
{
	matching_program gs[NPROGRAMS];
	matching_catalog *c;
	matching_candidate_query q = {.limit = 100, .approved_whitelist_only = true};
	size_t n = matching_snapshot_count(s), runs = 21 * env_size("BENCH_RUNS", 1), nh = 0;
	double *t = malloc(runs * sizeof *t), *tn = malloc(runs * sizeof *tn), fast, naive;
	struct naive_hit *hits = malloc(n * sizeof *hits);
	matching_candidate_ranking r = {0};
	bool same = true;

	gen_programs(gs);
	if (matching_catalog_new(p, 1, gs, NPROGRAMS, NULL, NULL, &c, NULL) != MATCHING_OK)
		exit(1);
	for (size_t i = 0; i < runs; i++) {
		double t0;

		matching_candidate_ranking_release(&r);
		t0 = now_s();
		matching_rank_enterprises(s, c, p->id, &q, TODAY, &r, NULL);
		t[i] = now_s() - t0;
	}
	for (size_t i = 0; i < runs; i++) {
		double t0 = now_s();

		nh = naive_candidates(es, n, p, c, TODAY, hits);
		tn[i] = now_s() - t0;
	}
	for (size_t i = 0; i < r.count; i++)
		same = same && hits[i].id == r.items[i].enterprise_id &&
		       hits[i].fit == r.items[i].fit;
	same = same && nh == r.eligible;
	fast = median(t, runs);
	naive = median(tn, runs);
	printf("rank enterprises (%s): %zu enterprises, top %zu, %zu eligible\n", label, n, q.limit,
	       r.eligible);
	printf("  matching_rank_enterprises       median %8.2f ms   %6.0f M pairs/s   (target < 5 ms)\n",
	       fast * 1e3, (double)n / fast / 1e6);
	printf("  naive: AoS ifs + full sort      median %8.2f ms   %6.0f M pairs/s   ratio %.1fx   same answer: %s\n",
	       naive * 1e3, (double)n / naive / 1e6, naive / fast, same ? "yes" : "NO");
	matching_candidate_ranking_release(&r);
	matching_catalog_free(c);
	free(hits);
	free(t);
	free(tn);
}

static void bench_enterprises(const matching_snapshot *s)
{
	size_t n = matching_snapshot_count(s);
	matching_enterprise *es = malloc(n * sizeof *es);
	matching_product p = {
		.id = 1,
		.program_id = 1,
		.status = MATCHING_PRODUCT_ACTIVE,
		.amount_min_fen = 10000000,
		.amount_max_fen = 500000000,
		.rate_min_bps = 385,
		.rate_max_bps = 600,
		.term_min_months = 6,
		.term_max_months = 36,
		.min_grade = MATCHING_GRADE_C,
		.min_score = MATCHING_SCORE_NONE,
		.nindustries = 2,
		.monthly_capacity = 100,
		.used_this_month = 20,
	};
	matching_product all = p;

	for (size_t i = 0; i < n; i++)
		matching_snapshot_get(s, (int64_t)i + 1, &es[i]);
	p.industries[0] = matching_industry_pack("C");
	p.industries[1] = matching_industry_pack("M");
	bench_one_product(s, es, &p, "typical product: grade C, 2 industries, approved whitelist");
	all.min_score = 600;
	all.nindustries = 3;
	all.industries[0] = matching_industry_pack("C");
	all.industries[1] = matching_industry_pack("M");
	all.industries[2] = matching_industry_pack("I");
	all.ntowns = 6;
	for (unsigned i = 0; i < 6; i++)
		all.towns[i] = (uint8_t)(2 * i);
	all.nparks = 0;
	all.min_years = 2;
	all.min_revenue_fen = 100000000;
	all.required_tags = MATCHING_TAG_HI_TECH;
	all.whitelist_only = true;
	bench_one_product(s, es, &all, "every criterion on");
	free(es);
}

/* ------------------------------------------------------- 3. pairing */

struct greedy_edge {
	int32_t fit;
	uint32_t app, prod;
};

static int cmp_greedy(const void *a, const void *b)
{
	const struct greedy_edge *x = a, *y = b;

	if (x->fit != y->fit)
		return y->fit - x->fit;
	if (x->app != y->app)
		return (x->app > y->app) - (x->app < y->app);
	return (x->prod > y->prod) - (x->prod < y->prod);
}

/* Greedy: the best remaining pair first, over the same eligible pairs. */
static int64_t greedy_pairing(const matching_catalog *c, const matching_application *apps,
			      size_t napps, size_t *assigned)
{
	struct matching_pairs e;
	struct greedy_edge *g;
	int32_t *left = malloc(c->n * sizeof *left);
	bool *taken = calloc(napps, 1);
	int64_t total = 0;

	matching_pairs_find(c, apps, napps, TODAY, &e, NULL);
	g = malloc(e.n * sizeof *g);
	for (size_t i = 0; i < e.n; i++)
		g[i] = (struct greedy_edge){e.fit[i], e.app[i], e.prod[i]};
	qsort(g, e.n, sizeof *g, cmp_greedy);
	for (size_t q = 0; q < c->n; q++)
		left[q] = c->cp[q].remaining;
	*assigned = 0;
	for (size_t i = 0; i < e.n; i++)
		if (!taken[g[i].app] && left[g[i].prod] > 0) {
			taken[g[i].app] = true;
			left[g[i].prod]--;
			total += g[i].fit;
			(*assigned)++;
		}
	matching_pairs_release(&e);
	free(g);
	free(left);
	free(taken);
	return total;
}

static bool pairing_feasible(const matching_catalog *c, const matching_pairing *r)
{
	int32_t *left = malloc(c->n * sizeof *left);
	bool ok = true;

	for (size_t q = 0; q < c->n; q++)
		left[q] = c->cp[q].remaining;
	for (size_t i = 0; i < r->nassignments; i++)
		ok = ok && --left[matching_catalog_find(c, r->assignments[i].product_id)] >= 0;
	free(left);
	return ok;
}

static void bench_pairing(const matching_snapshot *s)
{
	size_t napps = env_size("BENCH_APPLICATIONS", 100000), runs = 3 * env_size("BENCH_RUNS", 1);
	size_t n = matching_snapshot_count(s), assigned_g = 0;
	matching_catalog *c = gen_catalog(1000);
	matching_application *apps = malloc(napps * sizeof *apps);
	matching_balance *bal = malloc(napps * sizeof *bal);
	double *t = malloc(runs * sizeof *t), *tg = malloc(runs * sizeof *tg), fast, greedy;
	matching_pairing r = {0};
	int64_t total_g = 0, places = 0;

	for (size_t i = 0; i < napps; i++) {
		matching_application *a = &apps[i];

		memset(a, 0, sizeof *a);
		a->application_id = (int64_t)(napps - i) * 7; /* ids not in input order */
		matching_snapshot_get(s, 1 + (int64_t)below((uint32_t)n), &a->demand.enterprise);
		a->demand.has_request = true;
		a->demand.request.amount_fen = (int64_t)(1 + below(9)) * 1000000 *
					       (int64_t)(1 + below(30));
		a->demand.request.term_months = 3 + (int32_t)below(58);
		a->demand.request.collateral = below(100) < 70 ? MATCHING_COLLATERAL_NONE
							       : (uint8_t)(1 + below(4));
		if (below(100) < 30) {
			bal[i] = (matching_balance){1 + below(NPROGRAMS),
						    (int64_t)below(400) * 1000000};
			a->demand.balances = &bal[i];
			a->demand.nbalances = 1;
		}
	}
	for (size_t q = 0; q < c->n; q++)
		places += c->cp[q].status == MATCHING_PRODUCT_ACTIVE ? c->cp[q].remaining : 0;
	for (size_t i = 0; i < runs; i++) {
		double t0;

		matching_pairing_release(&r);
		t0 = now_s();
		matching_pair(c, apps, napps, TODAY, &r, NULL);
		t[i] = now_s() - t0;
		t0 = now_s();
		total_g = greedy_pairing(c, apps, napps, &assigned_g);
		tg[i] = now_s() - t0;
	}
	fast = median(t, runs);
	greedy = median(tg, runs);
	printf("pairing: %zu applications x %zu products, %" PRId64
	       " places, %zu eligible pairs (%.1f per application)\n",
	       napps, c->n, places, r.edges, (double)r.edges / (double)napps);
	printf("  matching_pair (optimal)         median %8.3f s    total fit %" PRId64
	       ", %zu assigned, feasible: %s   (target < 5 s)\n",
	       fast, r.total_fit, r.nassignments, pairing_feasible(c, &r) ? "yes" : "NO");
	printf("  greedy by fit                   median %8.3f s    total fit %" PRId64
	       ", %zu assigned\n",
	       greedy, total_g, assigned_g);
	printf("  ratios: time optimal/greedy %.2fx, total fit optimal/greedy %.4f (+%" PRId64
	       ")\n",
	       fast / greedy, (double)r.total_fit / (double)total_g, r.total_fit - total_g);
	matching_pairing_release(&r);
	matching_catalog_free(c);
	free(apps);
	free(bal);
	free(t);
	free(tg);
}

/* ------------------------------------------------------- 4. snapshot */

static matching_snapshot *build_snapshot(size_t n)
{
	long rss0 = rss_bytes();
	double t0 = now_s();
	matching_snapshot_edit *ed = matching_snapshot_edit_new(NULL);
	matching_enterprise e;
	matching_snapshot *s;

	for (size_t i = 0; i < n; i++) {
		gen_enterprise((int64_t)i + 1, &e);
		if (matching_snapshot_edit_put(ed, &e, NULL) != MATCHING_OK)
			exit(1);
	}
	s = matching_snapshot_edit_publish(ed);
	printf("snapshot: %zu enterprises built in %.0f ms (generation included)\n", n,
	       (now_s() - t0) * 1e3);
	printf("  %.1f bytes per enterprise accounted, %.1f by resident memory   (target < 128)\n",
	       (double)matching_snapshot_bytes(s) / (double)n,
	       (double)(rss_bytes() - rss0) / (double)n);
	return s;
}

/* One score change published as a new version: what the server does per change. */
static matching_snapshot *bench_update(matching_snapshot *s)
{
	size_t runs = 201 * env_size("BENCH_RUNS", 1), n = matching_snapshot_count(s);
	double *t = malloc(runs * sizeof *t);

	for (size_t i = 0; i < runs; i++) {
		double t0 = now_s();
		matching_snapshot_edit *ed = matching_snapshot_edit_new(s);
		matching_enterprise e;

		matching_snapshot_edit_get(ed, 1 + (int64_t)below((uint32_t)n), &e);
		e.score = (int16_t)below(1001);
		matching_snapshot_edit_put(ed, &e, NULL);
		matching_snapshot *next = matching_snapshot_edit_publish(ed);

		matching_snapshot_free(s);
		s = next;
		t[i] = now_s() - t0;
	}
	printf("  one row changed and published as a new version: median %.1f us (a full rebuild is the line above)\n",
	       median(t, runs) * 1e6);
	free(t);
	return s;
}

int main(void)
{
	size_t n = env_size("BENCH_ENTERPRISES", 1000000);
	matching_snapshot *s;

	rng_state = env_size("BENCH_SEED", 42);
	TODAY = matching_days_from_civil(2025, 6, 30);
	printf("matching engine %s, one thread, generated data (seed %" PRIu64 ")\n",
	       MATCHING_ENGINE_VERSION, rng_state);
	s = build_snapshot(n);
	s = bench_update(s);
	bench_products(s);
	bench_enterprises(s);
	bench_pairing(s);
	matching_snapshot_free(s);
	return 0;
}
