/*
 * Unit tests for ranking enterprises for a product: the column scan and
 * top-k heap must give exactly what checking every enterprise one by one and
 * sorting them all gives (same criteria, same fit, ties by id); plus the
 * whitelist switch, products that cannot take anyone, bad queries, and the
 * input hash following the snapshot's content.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "matching/matching.h"
#include "tests/matching/helpers.h"

#define BIT(c) (1u << (c))

struct cand {
	int64_t id;
	int32_t fit;
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->fit != y->fit)
		return x->fit > y->fit ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Every enterprise checked on its own through the product ranking. */
static size_t brute_force(const matching_catalog *c, const matching_enterprise *es, size_t n,
			  int64_t product_id, const matching_candidate_query *q, struct cand *out)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		matching_demand d = test_demand(es[i]);
		matching_product_ranking r;

		d.has_request = q->has_request;
		d.request = q->request;
		assert_int_equal(matching_rank_products(c, &d, test_today(), &r, NULL),
				 MATCHING_OK);
		for (size_t k = 0; k < r.count; k++) {
			const matching_product_match *pm = &r.items[k];
			bool approved = es[i].whitelist == MATCHING_WL_APPROVED &&
					es[i].whitelist_until >= test_today();

			if (pm->product_id != product_id)
				continue;
			/* balances are per demand: the candidate scan leaves the cap out */
			if ((pm->failed & ~BIT(MATCH_CRIT_PROGRAM_CAP)) == 0 &&
			    (approved || !q->approved_whitelist_only))
				out[m++] = (struct cand){es[i].id, pm->fit};
		}
		matching_product_ranking_release(&r);
	}
	qsort(out, m, sizeof *out, cmp_cand);
	return m;
}

static void top_k_equals_checking_everyone_and_sorting_them_all(void **state)
{
	(void)state;
	enum { N = 9000, P = 12 };
	uint64_t rs = 11;
	matching_enterprise *es = malloc(N * sizeof *es);
	struct cand *want = malloc(N * sizeof *want);
	matching_snapshot_edit *ed = matching_snapshot_edit_new(NULL);
	matching_product ps[P];
	matching_program gs[3];
	matching_snapshot *s;
	matching_catalog *c;

	test_random_programs(&rs, gs, 3);
	for (int i = 0; i < P; i++) {
		ps[i] = test_random_product(&rs, 100 + i, 3);
		ps[i].status = MATCHING_PRODUCT_ACTIVE;
		ps[i].monthly_capacity = 10;
	}
	c = test_catalog(ps, P, gs, 3);
	for (int i = 0; i < N; i++) {
		es[i] = test_random_enterprise(&rs,
					       (int64_t)(N - i) * 3); /* ids not in row order */
		assert_int_equal(matching_snapshot_edit_put(ed, &es[i], NULL), MATCHING_OK);
	}
	s = matching_snapshot_edit_publish(ed);
	for (int round = 0; round < 2 * P; round++) {
		matching_candidate_query q = {.limit = 1 + test_below(&rs, 60),
					      .approved_whitelist_only = round % 2,
					      .has_request = test_below(&rs, 2)};
		matching_candidate_ranking r;
		int64_t pid = ps[round % P].id;
		size_t m;

		q.request = test_random_request(&rs);
		m = brute_force(c, es, N, pid, &q, want);
		assert_int_equal(matching_rank_enterprises(s, c, pid, &q, test_today(), &r, NULL),
				 MATCHING_OK);
		assert_int_equal(r.scanned, N);
		assert_int_equal(r.eligible, m);
		assert_int_equal(r.count, m < q.limit ? m : q.limit);
		for (size_t k = 0; k < r.count; k++) {
			assert_int_equal(r.items[k].enterprise_id, want[k].id);
			assert_int_equal(r.items[k].fit, want[k].fit);
		}
		matching_candidate_ranking_release(&r);
	}
	matching_snapshot_free(s);
	matching_catalog_free(c);
	free(es);
	free(want);
}

static matching_snapshot *identical_enterprises(int n)
{
	matching_snapshot_edit *ed = matching_snapshot_edit_new(NULL);

	for (int i = n; i >= 1; i--) {
		matching_enterprise e = test_enterprise(i);

		matching_snapshot_edit_put(ed, &e, NULL);
	}
	return matching_snapshot_edit_publish(ed);
}

static void tied_enterprises_come_in_id_order_and_the_limit_cuts_the_rest(void **state)
{
	(void)state;
	matching_snapshot *s = identical_enterprises(10);
	matching_product p = test_product(10);
	matching_catalog *c = test_catalog(&p, 1, NULL, 0);
	matching_candidate_query q = {.limit = 4};
	matching_candidate_ranking r;

	assert_int_equal(matching_rank_enterprises(s, c, 10, &q, test_today(), &r, NULL),
			 MATCHING_OK);
	assert_int_equal(r.eligible, 10);
	assert_int_equal(r.count, 4);
	for (int k = 0; k < 4; k++) {
		assert_int_equal(r.items[k].enterprise_id, k + 1);
		assert_int_equal(r.items[k].score, 700);
		assert_int_equal(r.items[k].grade, MATCHING_GRADE_B);
	}
	assert_string_equal(r.engine_version, MATCHING_ENGINE_VERSION);
	assert_int_equal(r.snapshot_version, 1);
	matching_candidate_ranking_release(&r);
	matching_snapshot_free(s);
	matching_catalog_free(c);
}

static void approved_whitelist_only_leaves_out_everyone_else(void **state)
{
	(void)state;
	matching_snapshot_edit *ed = matching_snapshot_edit_new(NULL);
	matching_product p = test_product(10);
	matching_catalog *c = test_catalog(&p, 1, NULL, 0);
	matching_candidate_query q = {.limit = 10, .approved_whitelist_only = true};
	matching_candidate_ranking r;
	matching_enterprise e;

	for (int i = 1; i <= 4; i++) {
		e = test_enterprise(i);
		e.whitelist = i == 1   ? MATCHING_WL_APPROVED
			      : i == 2 ? MATCHING_WL_NOMINATED
				       : MATCHING_WL_APPROVED;
		e.whitelist_until = i == 3 ? test_today() - 1 : test_today();
		matching_snapshot_edit_put(ed, &e, NULL);
	}
	matching_snapshot *s = matching_snapshot_edit_publish(ed);

	assert_int_equal(matching_rank_enterprises(s, c, 10, &q, test_today(), &r, NULL),
			 MATCHING_OK);
	assert_int_equal(r.count, 2); /* 1 and 4; 2 is only nominated, 3 expired yesterday */
	assert_int_equal(r.items[0].enterprise_id, 1);
	assert_int_equal(r.items[1].enterprise_id, 4);
	matching_candidate_ranking_release(&r);
	q.approved_whitelist_only = false;
	assert_int_equal(matching_rank_enterprises(s, c, 10, &q, test_today(), &r, NULL),
			 MATCHING_OK);
	assert_int_equal(r.count, 4);
	matching_candidate_ranking_release(&r);
	matching_snapshot_free(s);
	matching_catalog_free(c);
}

static void revenue_bound_inside_a_storage_bucket_is_compared_exactly(void **state)
{
	(void)state;
	matching_snapshot_edit *ed = matching_snapshot_edit_new(NULL);
	matching_product p = test_product(10);
	matching_candidate_query q = {.limit = 20};
	matching_candidate_ranking r;
	matching_catalog *c;

	for (int i = 0; i < 10; i++) { /* 1,000,000.00 .. 1,000,000.09 yuan: one 100-yuan bucket */
		matching_enterprise e = test_enterprise(i + 1);

		e.revenue_fen = INT64_C(100000000) + i;
		matching_snapshot_edit_put(ed, &e, NULL);
	}
	matching_snapshot *s = matching_snapshot_edit_publish(ed);

	p.min_revenue_fen = INT64_C(100000005);
	c = test_catalog(&p, 1, NULL, 0);
	assert_int_equal(matching_rank_enterprises(s, c, 10, &q, test_today(), &r, NULL),
			 MATCHING_OK);
	assert_int_equal(r.count, 5);
	for (int k = 0; k < 5; k++)
		assert_int_equal(r.items[k].enterprise_id, 6 + k);
	matching_candidate_ranking_release(&r);
	matching_snapshot_free(s);
	matching_catalog_free(c);
}

static void product_that_cannot_take_anyone_has_no_candidates(void **state)
{
	(void)state;
	matching_snapshot *s = identical_enterprises(5);
	matching_product ps[3] = {test_product(10), test_product(11), test_product(12)};
	matching_candidate_query q = {.limit = 5, .has_request = true, .request = {1000, 12, 0}};
	matching_candidate_ranking r;
	matching_catalog *c;

	ps[0].status = MATCHING_PRODUCT_RETIRED;
	ps[1].used_this_month = ps[1].monthly_capacity;
	c = test_catalog(ps, 3, NULL, 0);
	for (int64_t id = 10; id <= 12; id++) { /* retired, full, and asked for 10 yuan */
		assert_int_equal(matching_rank_enterprises(s, c, id, &q, test_today(), &r, NULL),
				 MATCHING_OK);
		assert_int_equal(r.count, 0);
		assert_int_equal(r.eligible, 0);
		matching_candidate_ranking_release(&r);
	}
	matching_snapshot_free(s);
	matching_catalog_free(c);
}

static void unknown_product_and_bad_limits_are_refused(void **state)
{
	(void)state;
	matching_snapshot *s = identical_enterprises(1);
	matching_product p = test_product(10);
	matching_catalog *c = test_catalog(&p, 1, NULL, 0);
	matching_candidate_query q = {.limit = 5};
	matching_candidate_ranking r;
	matching_error err;

	assert_int_equal(matching_rank_enterprises(s, c, 99, &q, test_today(), &r, &err),
			 MATCHING_NOT_FOUND);
	assert_string_equal(err.message, "product 99: not in the catalogue");
	q.limit = 0;
	assert_int_equal(matching_rank_enterprises(s, c, 10, &q, test_today(), &r, &err),
			 MATCHING_INVALID);
	q.limit = MATCHING_TOPK_MAX + 1;
	assert_int_equal(matching_rank_enterprises(s, c, 10, &q, test_today(), &r, &err),
			 MATCHING_INVALID);
	assert_null(r.items);
	matching_snapshot_free(s);
	matching_catalog_free(c);
}

static void input_hash_follows_the_snapshot_content_not_its_version(void **state)
{
	(void)state;
	matching_snapshot *v1 = identical_enterprises(3), *v2, *v3;
	matching_product p = test_product(10);
	matching_candidate_query q = {.limit = 5};
	matching_candidate_ranking r1, r2, r3;
	matching_snapshot_edit *ed;
	matching_enterprise e;
	matching_catalog *c;

	p.min_grade = MATCHING_GRADE_B; /* margin from 650: 900 outranks 700 */
	c = test_catalog(&p, 1, NULL, 0);

	ed = matching_snapshot_edit_new(v1);
	matching_snapshot_edit_get(ed, 2, &e);
	e.score = 900;
	matching_snapshot_edit_put(ed, &e, NULL);
	v2 = matching_snapshot_edit_publish(ed);
	ed = matching_snapshot_edit_new(v2);
	e.score = 700;
	matching_snapshot_edit_put(ed, &e, NULL);
	v3 = matching_snapshot_edit_publish(ed);
	matching_rank_enterprises(v1, c, 10, &q, test_today(), &r1, NULL);
	matching_rank_enterprises(v2, c, 10, &q, test_today(), &r2, NULL);
	matching_rank_enterprises(v3, c, 10, &q, test_today(), &r3, NULL);
	assert_int_not_equal(r1.input_hash, r2.input_hash);
	assert_int_equal(r1.input_hash, r3.input_hash);
	assert_int_equal(r2.items[0].enterprise_id, 2);
	assert_int_equal(r3.snapshot_version, 3);
	matching_candidate_ranking_release(&r1);
	matching_candidate_ranking_release(&r2);
	matching_candidate_ranking_release(&r3);
	matching_snapshot_free(v1);
	matching_snapshot_free(v2);
	matching_snapshot_free(v3);
	matching_catalog_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(top_k_equals_checking_everyone_and_sorting_them_all),
		cmocka_unit_test(tied_enterprises_come_in_id_order_and_the_limit_cuts_the_rest),
		cmocka_unit_test(approved_whitelist_only_leaves_out_everyone_else),
		cmocka_unit_test(revenue_bound_inside_a_storage_bucket_is_compared_exactly),
		cmocka_unit_test(product_that_cannot_take_anyone_has_no_candidates),
		cmocka_unit_test(unknown_product_and_bad_limits_are_refused),
		cmocka_unit_test(input_hash_follows_the_snapshot_content_not_its_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
