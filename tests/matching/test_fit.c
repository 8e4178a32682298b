/*
 * Unit tests for the fit formula (docs/matching.md) part by part, the order
 * of a product ranking (fit, then lower rate, then lower id; the ineligible
 * after, fewest failures first) and its reproducibility: the same input in
 * any order gives the same answer and the same input hash.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "matching/matching.h"
#include "tests/matching/helpers.h"

static matching_fit_parts parts_of(const matching_product *p, const matching_program *gs, size_t ng,
				   const matching_demand *d, int32_t *fit)
{
	matching_catalog *c = test_catalog(p, 1, gs, ng);
	matching_fit_parts parts;
	matching_explanation ex;

	assert_int_equal(matching_fit(c, p->id, d, test_today(), fit, &parts), MATCHING_OK);
	assert_int_equal(matching_explain(c, p->id, d, test_today(), &ex, NULL), MATCHING_OK);
	assert_int_equal(ex.fit, *fit);
	assert_memory_equal(&ex.parts, &parts, sizeof parts);
	assert_int_equal(*fit, parts.amount + parts.term + parts.cost + parts.margin + parts.park +
				       parts.capacity);
	matching_catalog_free(c);
	return parts;
}

static void fit_is_the_sum_of_its_six_documented_parts(void **state)
{
	(void)state;
	matching_program g = {.id = 3, .park_id = 1, .interest_subsidy_bps = 100};
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_fit_parts f;
	int32_t fit;

	p.program_id = 3;
	p.min_grade = MATCHING_GRADE_C;
	p.min_score = 600;
	f = parts_of(&p, &g, 1, &d, &fit);
	assert_int_equal(f.amount, 81);	       /* 50 + 50 × (290 − 110) / 290 */
	assert_int_equal(f.term, 35);	       /* 25 + 25 × (30 − 18) / 30 */
	assert_int_equal(f.net_rate_bps, 285); /* 385 − 100 subsidy */
	assert_int_equal(f.cost, 715);
	assert_int_equal(f.margin, 100);  /* 700 above the floor of 600 */
	assert_int_equal(f.park, 100);	  /* the programme belongs to the enterprise's park */
	assert_int_equal(f.capacity, 80); /* 40 of 50 places left */
	assert_int_equal(fit, 1111);
}

static void amount_part_is_full_in_the_middle_half_at_the_ends_and_zero_outside(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	int32_t fit;

	p.amount_min_fen = 10000000;
	p.amount_max_fen = 30000000;
	d.request.amount_fen = 20000000;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).amount, 100);
	d.request.amount_fen = 10000000;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).amount, 50);
	d.request.amount_fen = 30000000;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).amount, 50);
	d.request.amount_fen = 15000000;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).amount, 75);
	d.request.amount_fen = 30000001;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).amount, 0);
	p.amount_max_fen = p.amount_min_fen;
	d.request.amount_fen = p.amount_min_fen;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).amount, 100);
}

static void term_part_is_half_the_weight_of_the_amount(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	int32_t fit;

	d.request.term_months = 21; /* the middle of 6..36 */
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).term, 50);
	d.request.term_months = 36;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).term, 25);
	d.request.term_months = 40;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).term, 0);
}

static void cost_part_is_1000_less_the_net_rate_and_never_negative(void **state)
{
	(void)state;
	matching_program g = {.id = 3, .park_id = 2, .interest_subsidy_bps = 200};
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_fit_parts f;
	int32_t fit;

	p.program_id = 3;
	p.rate_min_bps = 150;
	p.rate_max_bps = 300;
	f = parts_of(&p, &g, 1, &d, &fit);
	assert_int_equal(f.net_rate_bps, 0); /* subsidy above the rate: free, not negative */
	assert_int_equal(f.cost, 1000);
	p.program_id = 0;
	p.rate_min_bps = 1200;
	p.rate_max_bps = 1500;
	f = parts_of(&p, NULL, 0, &d, &fit);
	assert_int_equal(f.net_rate_bps, 1200);
	assert_int_equal(f.cost, 0);
}

static void margin_part_counts_points_above_the_floor_up_to_300(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	int32_t fit;

	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).margin, 300); /* no floor: 700, capped */
	p.min_grade = MATCHING_GRADE_B;				       /* floor 650 */
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).margin, 50);
	p.min_score = 690; /* the higher of the two floors */
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).margin, 10);
	d.enterprise.score = 600; /* below the floor (ineligible): 0, not negative */
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).margin, 0);
	p.min_grade = 0;
	p.min_score = MATCHING_SCORE_NONE;
	d.enterprise.score = MATCHING_SCORE_NONE;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).margin, 0);
}

static void park_part_goes_only_to_the_programme_owners_enterprises(void **state)
{
	(void)state;
	matching_program g = {.id = 3, .park_id = 1};
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	int32_t fit;

	p.program_id = 3;
	assert_int_equal(parts_of(&p, &g, 1, &d, &fit).park, 100);
	d.enterprise.park_id = 2;
	assert_int_equal(parts_of(&p, &g, 1, &d, &fit).park, 0);
	p.program_id = 0;
	d.enterprise.park_id = 1;
	assert_int_equal(parts_of(&p, &g, 1, &d, &fit).park, 0);
}

static void capacity_part_is_the_share_of_places_left(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	int32_t fit;

	p.used_this_month = 0;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).capacity, 100);
	p.used_this_month = 49;
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).capacity, 2);
	p.used_this_month = 60; /* over-used: none left, 0 */
	assert_int_equal(parts_of(&p, NULL, 0, &d, &fit).capacity, 0);
}

/* --------------------------------------------------------------- order */

struct ranked {
	int64_t ids[16];
	size_t n, eligible;
	uint64_t hash;
};

static struct ranked rank(const matching_product *ps, size_t n, const matching_program *gs,
			  size_t ng, const matching_demand *d)
{
	matching_catalog *c = test_catalog(ps, n, gs, ng);
	matching_product_ranking r;
	struct ranked out = {{0}, 0, 0, 0};

	assert_int_equal(matching_rank_products(c, d, test_today(), &r, NULL), MATCHING_OK);
	assert_string_equal(r.engine_version, MATCHING_ENGINE_VERSION);
	for (size_t i = 0; i < r.count; i++) {
		out.ids[i] = r.items[i].product_id;
		if (i > 0 && r.items[i].eligible == r.items[i - 1].eligible && r.items[i].eligible)
			assert_true(r.items[i].fit <= r.items[i - 1].fit);
	}
	out.n = r.count;
	out.eligible = r.eligible;
	out.hash = r.input_hash;
	matching_product_ranking_release(&r);
	matching_catalog_free(c);
	return out;
}

/* P40 is cheapest; P10, P30 tie on fit and rate; P20 ties on fit at a
 * higher headline rate (its subsidy brings the net cost level). */
static void tied_products_fill(matching_product *ps, matching_program *g)
{
	*g = (matching_program){.id = 5, .park_id = 2, .interest_subsidy_bps = 100};
	ps[0] = test_product(30);
	ps[0].rate_min_bps = 400;
	ps[1] = test_product(20);
	ps[1].rate_min_bps = 500;
	ps[1].program_id = 5;
	ps[2] = test_product(10);
	ps[2].rate_min_bps = 400;
	ps[3] = test_product(40);
	ps[3].rate_min_bps = 300;
}

static void eligible_products_rank_by_fit_then_lower_rate_then_lower_id(void **state)
{
	(void)state;
	matching_product ps[4];
	matching_program g;
	matching_demand d = test_demand(test_enterprise(1));
	struct ranked r;

	tied_products_fill(ps, &g);
	r = rank(ps, 4, &g, 1, &d);
	assert_int_equal(r.eligible, 4);
	assert_int_equal(r.ids[0], 40);
	assert_int_equal(r.ids[1], 10);
	assert_int_equal(r.ids[2], 30);
	assert_int_equal(r.ids[3], 20);
}

static void ineligible_products_follow_with_fewest_failures_first(void **state)
{
	(void)state;
	matching_product ps[4] = {test_product(50), test_product(60), test_product(70),
				  test_product(80)};
	matching_demand d = test_demand(test_enterprise(1));
	struct ranked r;

	ps[0].status = MATCHING_PRODUCT_PAUSED; /* two failures */
	ps[0].term_max_months = 10;
	ps[1].status = MATCHING_PRODUCT_PAUSED; /* one failure */
	ps[2].status = MATCHING_PRODUCT_PAUSED; /* one failure, cheaper: higher fit */
	ps[2].rate_min_bps = 300;
	r = rank(ps, 4, NULL, 0, &d);
	assert_int_equal(r.eligible, 1);
	assert_int_equal(r.ids[0], 80);
	assert_int_equal(r.ids[1], 70);
	assert_int_equal(r.ids[2], 60);
	assert_int_equal(r.ids[3], 50);
}

static void ranking_and_its_hash_do_not_depend_on_the_order_products_are_given(void **state)
{
	(void)state;
	matching_product ps[4], rev[4];
	matching_program g;
	matching_demand d = test_demand(test_enterprise(1));
	matching_balance b[2] = {{5, 100}, {6, 200}}, brev[2] = {{6, 200}, {5, 100}};
	struct ranked a, z;

	tied_products_fill(ps, &g);
	for (int i = 0; i < 4; i++)
		rev[i] = ps[3 - i];
	d.balances = b;
	d.nbalances = 2;
	a = rank(ps, 4, &g, 1, &d);
	d.balances = brev;
	z = rank(rev, 4, &g, 1, &d);
	assert_memory_equal(a.ids, z.ids, sizeof a.ids);
	assert_int_equal(a.hash, z.hash);
	d.request.amount_fen += 1; /* any input that changes changes the hash */
	z = rank(ps, 4, &g, 1, &d);
	assert_int_not_equal(a.hash, z.hash);
	d.request.amount_fen -= 1;
	ps[0].used_this_month += 1;
	z = rank(ps, 4, &g, 1, &d);
	assert_int_not_equal(a.hash, z.hash);
}

static void fit_stays_within_its_documented_range(void **state)
{
	(void)state;
	uint64_t rs = 7;
	matching_program gs[3];
	matching_product ps[40];

	test_random_programs(&rs, gs, 3);
	for (int i = 0; i < 40; i++)
		ps[i] = test_random_product(&rs, i + 1, 3);
	matching_catalog *c = test_catalog(ps, 40, gs, 3);

	for (int k = 0; k < 300; k++) {
		matching_demand d = test_demand(test_random_enterprise(&rs, k + 1));
		matching_product_ranking r;

		d.request = test_random_request(&rs);
		assert_int_equal(matching_rank_products(c, &d, test_today(), &r, NULL),
				 MATCHING_OK);
		for (size_t i = 0; i < r.count; i++) {
			assert_in_range(r.items[i].fit, 0, MATCHING_FIT_MAX);
			if (i > 0 && r.items[i].eligible == r.items[i - 1].eligible)
				assert_true(r.items[i].nfailed >= r.items[i - 1].nfailed);
		}
		matching_product_ranking_release(&r);
	}
	matching_catalog_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fit_is_the_sum_of_its_six_documented_parts),
		cmocka_unit_test(
			amount_part_is_full_in_the_middle_half_at_the_ends_and_zero_outside),
		cmocka_unit_test(term_part_is_half_the_weight_of_the_amount),
		cmocka_unit_test(cost_part_is_1000_less_the_net_rate_and_never_negative),
		cmocka_unit_test(margin_part_counts_points_above_the_floor_up_to_300),
		cmocka_unit_test(park_part_goes_only_to_the_programme_owners_enterprises),
		cmocka_unit_test(capacity_part_is_the_share_of_places_left),
		cmocka_unit_test(eligible_products_rank_by_fit_then_lower_rate_then_lower_id),
		cmocka_unit_test(ineligible_products_follow_with_fewest_failures_first),
		cmocka_unit_test(
			ranking_and_its_hash_do_not_depend_on_the_order_products_are_given),
		cmocka_unit_test(fit_stays_within_its_documented_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
