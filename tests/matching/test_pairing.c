/*
 * Unit tests for the batch pairing. The solver must be optimal, not greedy:
 * it is held to an exhaustive search on thousands of small random instances
 * (up to 7 applications, 4 products) and to a plain Bellman-Ford min-cost
 * flow on medium ones; matching_pair end to end is held to an exhaustive
 * search over the pairs matching_explain calls eligible. Then capacities,
 * the tie-break towards more assignments, order independence and refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "matching/matching.h"
#include "matching/matching_internal.h"
#include "tests/matching/helpers.h"

/* An instance of the solver: CSR edges by application. */
struct inst {
	uint32_t na, np;
	uint32_t start[64];
	uint32_t prod[64 * 16];
	int32_t fit[64 * 16];
	int32_t cap[16];
};

struct best {
	int64_t fit;
	int64_t count;
};

static bool better(struct best a, struct best b)
{
	return a.fit > b.fit || (a.fit == b.fit && a.count > b.count);
}

static struct best exhaustive(const struct inst *in, uint32_t a, int32_t *left)
{
	struct best b = {0, 0}, alone;

	if (a == in->na)
		return b;
	alone = exhaustive(in, a + 1, left); /* a stays unassigned */
	b = alone;
	for (uint32_t e = in->start[a]; e < in->start[a + 1]; e++) {
		uint32_t q = in->prod[e];
		struct best with;

		if (left[q] == 0)
			continue;
		left[q]--;
		with = exhaustive(in, a + 1, left);
		left[q]++;
		with.fit += in->fit[e];
		with.count += 1;
		if (better(with, b))
			b = with;
	}
	return b;
}

/* Checks asg is feasible and returns its (fit, count). */
static struct best score_of(const struct inst *in, const int32_t *asg)
{
	int32_t used[16] = {0};
	struct best b = {0, 0};

	for (uint32_t a = 0; a < in->na; a++) {
		bool found = false;

		if (asg[a] < 0)
			continue;
		for (uint32_t e = in->start[a]; e < in->start[a + 1]; e++)
			if (in->prod[e] == (uint32_t)asg[a]) {
				b.fit += in->fit[e];
				found = true;
			}
		assert_true(found); /* only along an eligible pair */
		b.count++;
		used[asg[a]]++;
	}
	for (uint32_t q = 0; q < in->np; q++)
		assert_true(used[q] <= in->cap[q]);
	return b;
}

static void random_instance(uint64_t *rs, struct inst *in, uint32_t max_apps, uint32_t max_prods,
			    uint32_t max_fit)
{
	uint32_t e = 0;

	in->na = 1 + test_below(rs, max_apps);
	in->np = 1 + test_below(rs, max_prods);
	for (uint32_t q = 0; q < in->np; q++)
		in->cap[q] = (int32_t)test_below(rs, 4);
	in->start[0] = 0;
	for (uint32_t a = 0; a < in->na; a++) {
		for (uint32_t q = 0; q < in->np; q++)
			if (test_below(rs, 3) != 0) {
				in->prod[e] = q;
				in->fit[e++] = (int32_t)test_below(rs, max_fit + 1);
			}
		in->start[a + 1] = e;
	}
}

static void solver_matches_exhaustive_search_on_small_random_instances(void **state)
{
	(void)state;
	uint64_t rs = 2024;

	for (int k = 0; k < 3000; k++) {
		struct inst in;
		int32_t asg[64], left[16];
		struct best want, got;

		/* few distinct fits make ties, where greedy and sloppy solvers slip */
		random_instance(&rs, &in, 7, 4, k % 2 ? 6 : 1650);
		matching_solve(in.na, in.np, in.start, in.prod, in.fit, in.cap, asg);
		memcpy(left, in.cap, sizeof left);
		want = exhaustive(&in, 0, left);
		got = score_of(&in, asg);
		if (got.fit != want.fit || got.count != want.count)
			fail_msg("instance %d: solver (%lld, %lld), exhaustive (%lld, %lld)", k,
				 (long long)got.fit, (long long)got.count, (long long)want.fit,
				 (long long)want.count);
	}
}

/* ------------------------------------------- Bellman-Ford min-cost flow */

struct arc {
	int to, cap;
	int64_t cost;
};

struct net {
	int n, m;
	struct arc *arcs; /* arc i and i ^ 1 are each other's reverse */
	int *first, *next;
};

static void add_arc(struct net *g, int u, int v, int cap, int64_t cost)
{
	g->arcs[g->m] = (struct arc){v, cap, cost};
	g->next[g->m] = g->first[u];
	g->first[u] = g->m++;
	g->arcs[g->m] = (struct arc){u, 0, -cost};
	g->next[g->m] = g->first[v];
	g->first[v] = g->m++;
}

/* Sends every application's unit from S to T, each time along a cheapest
 * path found by Bellman-Ford; returns minus the total weight. */
static int64_t bellman_ford_flow(struct net *g, int s, int t, int units)
{
	int64_t *dist = malloc((size_t)g->n * sizeof *dist), cost = 0;
	int *via = malloc((size_t)g->n * sizeof *via);

	for (int k = 0; k < units; k++) {
		for (int v = 0; v < g->n; v++)
			dist[v] = INT64_MAX, via[v] = -1;
		dist[s] = 0;
		for (bool changed = true; changed;) {
			changed = false;
			for (int u = 0; u < g->n; u++) {
				if (dist[u] == INT64_MAX)
					continue;
				for (int i = g->first[u]; i >= 0; i = g->next[i])
					if (g->arcs[i].cap > 0 &&
					    dist[u] + g->arcs[i].cost < dist[g->arcs[i].to]) {
						dist[g->arcs[i].to] = dist[u] + g->arcs[i].cost;
						via[g->arcs[i].to] = i;
						changed = true;
					}
			}
		}
		assert_true(dist[t] != INT64_MAX);
		for (int v = t; v != s; v = g->arcs[via[v] ^ 1].to) {
			g->arcs[via[v]].cap--;
			g->arcs[via[v] ^ 1].cap++;
		}
		cost += dist[t];
	}
	free(dist);
	free(via);
	return cost;
}

static struct best oracle(const struct inst *in)
{
	int s = (int)(in->na + in->np), t = s + 1,
	    arcs = 2 * (int)(in->start[in->na] + 2 * in->na + in->np);
	int64_t scale = (int64_t)in->na + 1, w;
	struct net g = {t + 1, 0, malloc((size_t)arcs * sizeof *g.arcs),
			malloc((size_t)(t + 1) * sizeof(int)), malloc((size_t)arcs * sizeof(int))};

	for (int v = 0; v <= t; v++)
		g.first[v] = -1;
	for (uint32_t a = 0; a < in->na; a++) {
		add_arc(&g, s, (int)a, 1, 0);
		add_arc(&g, (int)a, t, 1, 0);
		for (uint32_t e = in->start[a]; e < in->start[a + 1]; e++)
			add_arc(&g, (int)a, (int)(in->na + in->prod[e]), 1,
				-((int64_t)in->fit[e] * scale + 1));
	}
	for (uint32_t q = 0; q < in->np; q++)
		add_arc(&g, (int)(in->na + q), t, in->cap[q], 0);
	w = -bellman_ford_flow(&g, s, t, (int)in->na);
	free(g.arcs);
	free(g.first);
	free(g.next);
	return (struct best){w / scale, w % scale};
}

static void solver_matches_a_plain_min_cost_flow_on_medium_instances(void **state)
{
	(void)state;
	uint64_t rs = 77;

	for (int k = 0; k < 40; k++) {
		struct inst in;
		int32_t asg[64];
		uint32_t e = 0;
		struct best want, got;

		in.na = 40 + test_below(&rs, 24);
		in.np = 4 + test_below(&rs, 12);
		for (uint32_t q = 0; q < in.np; q++)
			in.cap[q] = (int32_t)test_below(&rs, 8);
		in.start[0] = 0;
		for (uint32_t a = 0; a < in.na; a++) {
			int32_t base = (int32_t)test_below(&rs, 200);

			for (uint32_t q = 0; q < in.np; q++)
				if (test_below(&rs, 3) == 0) {
					in.prod[e] = q;
					in.fit[e++] = base + (int32_t)(q * 37 % 50) +
						      (int32_t)test_below(&rs, 20);
				}
			in.start[a + 1] = e;
		}
		matching_solve(in.na, in.np, in.start, in.prod, in.fit, in.cap, asg);
		got = score_of(&in, asg);
		want = oracle(&in);
		if (got.fit != want.fit || got.count != want.count)
			fail_msg("instance %d: solver (%lld, %lld), min-cost flow (%lld, %lld)", k,
				 (long long)got.fit, (long long)got.count, (long long)want.fit,
				 (long long)want.count);
	}
}

static void among_equal_fits_more_applications_are_assigned(void **state)
{
	(void)state;
	/* both may take p0 (fit 5); only application 1 may take p1 (fit 0) */
	struct inst in = {.na = 2,
			  .np = 2,
			  .start = {0, 1, 3},
			  .prod = {0, 0, 1},
			  .fit = {5, 5, 0},
			  .cap = {1, 1}};
	int32_t asg[2];

	matching_solve(in.na, in.np, in.start, in.prod, in.fit, in.cap, asg);
	assert_int_equal(asg[0], 0);
	assert_int_equal(asg[1], 1);
}

static void optimal_pairing_beats_greedy_where_greedy_is_wrong(void **state)
{
	(void)state;
	/* greedy gives a0 its best (p0, 10) and leaves a1 nothing: 10;
	 * the optimum is a0 -> p1 (9) and a1 -> p0 (8): 17 */
	struct inst in = {.na = 2,
			  .np = 2,
			  .start = {0, 2, 3},
			  .prod = {0, 1, 0},
			  .fit = {10, 9, 8},
			  .cap = {1, 1}};
	int32_t asg[2];

	matching_solve(in.na, in.np, in.start, in.prod, in.fit, in.cap, asg);
	assert_int_equal(asg[0], 1);
	assert_int_equal(asg[1], 0);
}

/* ------------------------------------------------------ end to end */

static void pairing_is_optimal_over_the_pairs_explain_calls_eligible(void **state)
{
	(void)state;
	uint64_t rs = 5;

	for (int k = 0; k < 300; k++) {
		matching_program gs[2];
		matching_product ps[4];
		matching_application apps[7];
		matching_balance bal[7];
		matching_pairing out;
		matching_catalog *c;
		struct inst in;
		int32_t left[16];
		uint32_t np = 1 + test_below(&rs, 4), na = 1 + test_below(&rs, 7), e = 0;
		struct best want;

		test_random_programs(&rs, gs, 2);
		for (uint32_t q = 0; q < np; q++) {
			ps[q] = test_random_product(&rs, 10 + q, 2);
			ps[q].min_years = 0;
			ps[q].monthly_capacity = (int32_t)(test_below(&rs, 4));
			ps[q].used_this_month = (int32_t)test_below(&rs, 2);
		}
		c = test_catalog(ps, np, gs, 2);
		for (uint32_t a = 0; a < na; a++) {
			apps[a].application_id = 100 + (int64_t)test_below(&rs, 1000) * 8 + a;
			apps[a].demand = test_demand(test_random_enterprise(&rs, a + 1));
			apps[a].demand.request = test_random_request(&rs);
			bal[a] = (matching_balance){1 + (int64_t)test_below(&rs, 2),
						    (int64_t)test_below(&rs, 3) * 50000000};
			apps[a].demand.balances = &bal[a];
			apps[a].demand.nbalances = 1;
		}
		/* the eligible pairs and fits, one explanation at a time */
		in.na = na;
		in.np = np;
		in.start[0] = 0;
		for (uint32_t a = 0; a < na; a++) {
			for (uint32_t q = 0; q < np; q++) {
				matching_explanation ex;

				assert_int_equal(matching_explain(c, 10 + q, &apps[a].demand,
								  test_today(), &ex, NULL),
						 MATCHING_OK);
				if (ex.eligible) {
					in.prod[e] = q;
					in.fit[e++] = ex.fit;
				}
			}
			in.start[a + 1] = e;
		}
		for (uint32_t q = 0; q < np; q++) {
			const matching_product *p = matching_catalog_product(c, 10 + q);

			in.cap[q] = p->used_this_month < p->monthly_capacity
					    ? p->monthly_capacity - p->used_this_month
					    : 0;
		}
		memcpy(left, in.cap, sizeof left);
		want = exhaustive(&in, 0, left);
		assert_int_equal(matching_pair(c, apps, na, test_today(), &out, NULL), MATCHING_OK);
		assert_int_equal(out.total_fit, want.fit);
		assert_int_equal(out.nassignments, want.count);
		assert_int_equal(out.nassignments + out.nunassigned, na);
		assert_int_equal(out.edges, e);
		for (size_t i = 0; i < out.nassignments; i++) {
			matching_explanation ex;
			uint32_t a = 0;

			while (apps[a].application_id != out.assignments[i].application_id)
				a++;
			matching_explain(c, out.assignments[i].product_id, &apps[a].demand,
					 test_today(), &ex, NULL);
			assert_true(ex.eligible);
			assert_int_equal(ex.fit, out.assignments[i].fit);
			if (i > 0)
				assert_true(out.assignments[i - 1].application_id <
					    out.assignments[i].application_id);
		}
		matching_pairing_release(&out);
		matching_catalog_free(c);
	}
}

static void random_apps(uint64_t *rs, matching_application *apps, size_t n)
{
	for (size_t a = 0; a < n; a++) {
		apps[a].application_id = (int64_t)a * 3 + 1;
		apps[a].demand = test_demand(test_random_enterprise(rs, (int64_t)a + 1));
		apps[a].demand.request = test_random_request(rs);
	}
}

static void pairing_respects_places_and_ignores_input_order(void **state)
{
	(void)state;
	enum { N = 400, P = 10 };
	uint64_t rs = 8;
	matching_application apps[N], shuffled[N];
	matching_product ps[P];
	matching_program gs[2];
	matching_pairing a, b;
	matching_catalog *c;
	int32_t used[P] = {0};

	test_random_programs(&rs, gs, 2);
	for (int q = 0; q < P; q++) {
		ps[q] = test_product(q + 1);
		ps[q].rate_min_bps = 300 + 20 * q;
		ps[q].monthly_capacity = 5 + q;
		ps[q].used_this_month = q;
	}
	c = test_catalog(ps, P, gs, 2);
	random_apps(&rs, apps, N);
	for (int i = 0; i < N; i++)
		shuffled[i] = apps[(i * 7919) % N];
	assert_int_equal(matching_pair(c, apps, N, test_today(), &a, NULL), MATCHING_OK);
	assert_int_equal(matching_pair(c, shuffled, N, test_today(), &b, NULL), MATCHING_OK);
	assert_int_equal(a.nassignments, b.nassignments);
	assert_memory_equal(a.assignments, b.assignments, a.nassignments * sizeof *a.assignments);
	assert_memory_equal(a.unassigned, b.unassigned, a.nunassigned * sizeof *a.unassigned);
	assert_int_equal(a.input_hash, b.input_hash);
	assert_int_equal(a.total_fit, b.total_fit);
	for (size_t i = 0; i < a.nassignments; i++)
		used[a.assignments[i].product_id - 1]++;
	for (int q = 0; q < P; q++)
		assert_int_equal(used[q], 5); /* every place taken: demand exceeds supply */
	matching_pairing_release(&a);
	matching_pairing_release(&b);
	matching_catalog_free(c);
}

static void pairing_refuses_duplicate_ids_and_applications_without_a_request(void **state)
{
	(void)state;
	uint64_t rs = 9;
	matching_application apps[3];
	matching_product p = test_product(10);
	matching_catalog *c = test_catalog(&p, 1, NULL, 0);
	matching_pairing out;
	matching_error err;

	random_apps(&rs, apps, 3);
	apps[2].application_id = apps[0].application_id;
	assert_int_equal(matching_pair(c, apps, 3, test_today(), &out, &err), MATCHING_DUPLICATE);
	assert_int_equal(out.nassignments, 0);
	assert_null(out.assignments);
	apps[2].application_id = 99;
	apps[1].demand.has_request = false;
	assert_int_equal(matching_pair(c, apps, 3, test_today(), &out, &err), MATCHING_INVALID);
	assert_non_null(strstr(err.message, "no request"));
	assert_int_equal(matching_pair(c, apps, 0, test_today(), &out, &err), MATCHING_OK);
	assert_int_equal(out.nassignments + out.nunassigned, 0);
	matching_pairing_release(&out);
	matching_catalog_free(c);
}

/* ------------------------------------------------ programme caps together */

static void two_applications_of_one_enterprise_never_pass_a_programme_cap_together(void **state)
{
	(void)state;
	matching_program g = {
		.id = 1, .park_id = 1, .max_amount_per_enterprise_fen = INT64_C(200000000)};
	matching_product ps[2] = {test_product(10), test_product(11)};
	matching_application apps[2];
	matching_balance owes = {1, INT64_C(10000000)}; /* already owes 100,000 yuan in it */
	matching_pairing out;
	matching_catalog *c;

	ps[0].program_id = 1;	  /* cheaper and in the programme: the better fit */
	ps[1].rate_min_bps = 900; /* outside any programme */
	ps[1].rate_max_bps = 1200;
	c = test_catalog(ps, 2, &g, 1);
	for (int a = 0; a < 2; a++) {
		apps[a].application_id = 101 + a;
		apps[a].demand = test_demand(test_enterprise(7));
		apps[a].demand.balances = &owes;
		apps[a].demand.nbalances = 1;
	}
	apps[0].demand.request.amount_fen = INT64_C(100000000); /* each fits the cap alone, */
	apps[1].demand.request.amount_fen = INT64_C(95000000);	/* not both with what it owes */
	assert_int_equal(matching_pair(c, apps, 2, test_today(), &out, NULL), MATCHING_OK);
	assert_int_equal(out.nassignments, 2);
	assert_int_equal(out.assignments[0].application_id, 101);
	assert_int_equal(out.assignments[1].application_id, 102);
	/* exactly one stays in the programme; the other goes to the plain product */
	assert_int_not_equal(out.assignments[0].product_id, out.assignments[1].product_id);
	matching_pairing_release(&out);
	apps[1].demand.request.amount_fen = INT64_C(
		80000000); /* now both fit: 10 + 100 + 80 <= 200 */
	assert_int_equal(matching_pair(c, apps, 2, test_today(), &out, NULL), MATCHING_OK);
	assert_int_equal(out.assignments[0].product_id, 10);
	assert_int_equal(out.assignments[1].product_id, 10);
	matching_pairing_release(&out);
	matching_catalog_free(c);
}

static void no_enterprise_passes_a_programme_cap_on_random_instances(void **state)
{
	(void)state;
	enum { N = 300, P = 12, G = 3, E = 40 };
	uint64_t rs = 21;
	matching_application apps[N];
	matching_balance bal[N];
	matching_product ps[P];
	matching_program gs[G];
	int64_t sum[E + 1][G + 1];
	size_t capped = 0;

	for (int round = 0; round < 20; round++) {
		matching_pairing out;
		matching_catalog *c;

		test_random_programs(&rs, gs, G);
		for (int q = 0; q < P; q++) {
			ps[q] = test_product(q + 1);
			ps[q].program_id = (int64_t)test_below(&rs, G + 1);
			ps[q].rate_min_bps = 300 + 10 * (int32_t)test_below(&rs, 40);
			ps[q].rate_max_bps = 1000;
			ps[q].used_this_month = 0;
		}
		c = test_catalog(ps, P, gs, G);
		for (int a = 0; a < N; a++) { /* 40 enterprises share 300 applications */
			apps[a].application_id = a + 1;
			apps[a].demand = test_demand(
				test_enterprise(1 + (int64_t)test_below(&rs, E)));
			apps[a].demand.request.amount_fen = (int64_t)(1 + test_below(&rs, 20)) *
							    INT64_C(5000000);
			bal[a] = (matching_balance){1 + (int64_t)(apps[a].demand.enterprise.id % G),
						    (int64_t)(apps[a].demand.enterprise.id % 3) *
							    INT64_C(10000000)};
			apps[a].demand.balances = &bal[a];
			apps[a].demand.nbalances = 1;
		}
		assert_int_equal(matching_pair(c, apps, N, test_today(), &out, NULL), MATCHING_OK);
		memset(sum, 0, sizeof sum);
		for (size_t i = 0; i < out.nassignments; i++) {
			const matching_application *a =
				&apps[out.assignments[i].application_id - 1];
			const matching_product *p = matching_catalog_product(
				c, out.assignments[i].product_id);

			sum[a->demand.enterprise.id][p->program_id] += a->demand.request.amount_fen;
		}
		for (int e = 1; e <= E; e++) {
			for (int g = 1; g <= G; g++) {
				int64_t cap = gs[g - 1].max_amount_per_enterprise_fen;
				int64_t owes = (e % G) + 1 == g ? (e % 3) * INT64_C(10000000) : 0;

				if (cap && sum[e][g]) {
					assert_true(owes + sum[e][g] <= cap);
					capped++;
				}
			}
		}
		matching_pairing_release(&out);
		matching_catalog_free(c);
	}
	assert_true(capped > 50); /* the property was really exercised */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(solver_matches_exhaustive_search_on_small_random_instances),
		cmocka_unit_test(solver_matches_a_plain_min_cost_flow_on_medium_instances),
		cmocka_unit_test(among_equal_fits_more_applications_are_assigned),
		cmocka_unit_test(optimal_pairing_beats_greedy_where_greedy_is_wrong),
		cmocka_unit_test(pairing_is_optimal_over_the_pairs_explain_calls_eligible),
		cmocka_unit_test(pairing_respects_places_and_ignores_input_order),
		cmocka_unit_test(pairing_refuses_duplicate_ids_and_applications_without_a_request),
		cmocka_unit_test(
			two_applications_of_one_enterprise_never_pass_a_programme_cap_together),
		cmocka_unit_test(no_enterprise_passes_a_programme_cap_on_random_instances),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
