/*
 * Shared fixtures of the matching tests: one reference enterprise, product
 * and demand that pass every criterion, a seeded generator for random ones,
 * and small constructors. Header-only (static inline), so every test binary
 * builds from its single test_*.c.
 */
#ifndef XYD_TESTS_MATCHING_HELPERS_H
#define XYD_TESTS_MATCHING_HELPERS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matching/matching.h"

static inline int32_t test_today(void)
{
	return matching_days_from_civil(2025, 6, 30);
}

/* Grade B (score 700), town 0, industry C2664, park 1, hi_tech, approved
 * until 100 days from today, founded 2015-03-01, revenue 5,000,000 yuan. */
static inline matching_enterprise test_enterprise(int64_t id)
{
	matching_enterprise e;

	memset(&e, 0, sizeof e);
	e.id = id;
	e.score = 700;
	e.grade = MATCHING_GRADE_B;
	e.town = 0;
	e.industry = matching_industry_pack("C2664");
	e.park_id = 1;
	e.tags = MATCHING_TAG_HI_TECH;
	e.whitelist = MATCHING_WL_APPROVED;
	e.whitelist_until = test_today() + 100;
	e.founded_on = matching_days_from_civil(2015, 3, 1);
	e.revenue_fen = INT64_C(500000000);
	return e;
}

/* Active credit product, 100,000 to 3,000,000 yuan, 3.85% to 6%, 6 to 36
 * months, no collateral, no criteria, 50 places a month of which 10 used. */
static inline matching_product test_product(int64_t id)
{
	matching_product p;

	memset(&p, 0, sizeof p);
	p.id = id;
	p.institution_id = 1;
	p.kind = MATCHING_KIND_CREDIT;
	p.status = MATCHING_PRODUCT_ACTIVE;
	p.collateral = MATCHING_COLLATERAL_NONE;
	p.amount_min_fen = INT64_C(10000000);
	p.amount_max_fen = INT64_C(300000000);
	p.rate_min_bps = 385;
	p.rate_max_bps = 600;
	p.term_min_months = 6;
	p.term_max_months = 36;
	p.min_score = MATCHING_SCORE_NONE;
	p.monthly_capacity = 50;
	p.used_this_month = 10;
	return p;
}

/* 1,000,000 yuan for 12 months, no collateral, owing nothing. */
static inline matching_demand test_demand(matching_enterprise e)
{
	matching_demand d;

	memset(&d, 0, sizeof d);
	d.enterprise = e;
	d.has_request = true;
	d.request.amount_fen = INT64_C(100000000);
	d.request.term_months = 12;
	d.request.collateral = MATCHING_COLLATERAL_NONE;
	return d;
}

/* Towns 0..3 with codes; towns 0..2 with Chinese names (3 falls back to its
 * code); parks 1 and 2 named (3 has no name). */
static inline matching_catalog *test_catalog(const matching_product *ps, size_t n,
					     const matching_program *gs, size_t ng)
{
	static const char *const towns[] = {"nanqiao", "fengcheng", "zhuanghang", "jinhui"};
	static const char *const towns_zh[] = {"南桥镇", "奉城镇", "庄行镇", NULL};
	static const uint16_t parks[] = {2, 1};
	static const char *const parks_zh[] = {"杭州湾开发区", "东方美谷"};
	const matching_place_names names = {towns, towns_zh, 4, parks, parks_zh, 2};
	matching_catalog *c = NULL;
	matching_error err;

	if (matching_catalog_new(ps, n, gs, ng, NULL, &names, &c, &err) != MATCHING_OK)
		abort();
	return c;
}

/* ------------------------------------------------------- random data */

static inline uint64_t test_rand(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static inline uint32_t test_below(uint64_t *state, uint32_t n)
{
	return (uint32_t)(test_rand(state) % n);
}

/* An enterprise with every field drawn from a small range, so that random
 * products pass and fail every criterion, and ties happen. */
static inline matching_enterprise test_random_enterprise(uint64_t *rs, int64_t id)
{
	static const char *const codes[] = {"C", "C26", "C2664", "C27", "M73", "F51", "A01"};
	matching_enterprise e;
	int32_t today = test_today();

	memset(&e, 0, sizeof e);
	e.id = id;
	e.score = test_below(rs, 10) == 0 ? MATCHING_SCORE_NONE
					  : (int16_t)(400 + 50 * test_below(rs, 13));
	e.grade = e.score < 0	   ? MATCHING_GRADE_NONE
		  : e.score >= 800 ? 4
		  : e.score >= 650 ? 3
		  : e.score >= 500 ? 2
				   : 1;
	e.town = test_below(rs, 8) == 0 ? MATCHING_TOWN_NONE : (uint8_t)test_below(rs, 4);
	e.industry = test_below(rs, 10) == 0 ? 0 : matching_industry_pack(codes[test_below(rs, 7)]);
	e.park_id = (uint16_t)test_below(rs, 4);
	e.tags = (uint8_t)test_below(rs, 8);
	e.whitelist = (uint8_t)test_below(rs, 5);
	e.whitelist_until = today - 2 + (int32_t)test_below(rs, 5);
	e.founded_on = today - (int32_t)test_below(rs, 6 * 366);
	e.revenue_fen = (int64_t)test_below(rs, 5) * INT64_C(100000000);
	return e;
}

static inline matching_product test_random_product(uint64_t *rs, int64_t id, int64_t nprograms)
{
	static const char *const prefixes[] = {"C", "C26", "M", "F51", "C2664"};
	matching_product p = test_product(id);

	p.program_id = test_below(rs, 3) == 0 ? 0
					      : 1 + (int64_t)test_below(rs, (uint32_t)nprograms);
	p.status = test_below(rs, 8) == 0 ? MATCHING_PRODUCT_PAUSED : MATCHING_PRODUCT_ACTIVE;
	p.collateral = test_below(rs, 3) == 0 ? (uint8_t)(1 + test_below(rs, 2))
					      : MATCHING_COLLATERAL_NONE;
	p.amount_min_fen = (int64_t)(1 + test_below(rs, 5)) * INT64_C(10000000);
	p.amount_max_fen = p.amount_min_fen * (1 + test_below(rs, 6));
	p.rate_min_bps = 300 + 25 * (int32_t)test_below(rs, 8);
	p.rate_max_bps = p.rate_min_bps + 100;
	p.term_min_months = 3 * (1 + (int32_t)test_below(rs, 4));
	p.term_max_months = p.term_min_months + 12 * (int32_t)test_below(rs, 3);
	p.min_grade = (uint8_t)test_below(rs, 4);
	p.min_score = test_below(rs, 3) == 0 ? (int16_t)(500 + 50 * test_below(rs, 5))
					     : MATCHING_SCORE_NONE;
	p.nindustries = (uint8_t)test_below(rs, 3);
	for (unsigned i = 0; i < p.nindustries; i++)
		p.industries[i] = matching_industry_pack(prefixes[test_below(rs, 5)]);
	p.ntowns = (uint8_t)test_below(rs, 3);
	for (unsigned i = 0; i < p.ntowns; i++)
		p.towns[i] = (uint8_t)test_below(rs, 4);
	p.nparks = test_below(rs, 4) == 0 ? 1 : 0;
	p.park_ids[0] = (uint16_t)(1 + test_below(rs, 3));
	p.min_years = (int32_t)test_below(rs, 5);
	p.min_revenue_fen = (int64_t)test_below(rs, 3) * INT64_C(100000000);
	p.required_tags = test_below(rs, 4) == 0 ? (uint8_t)(1u << test_below(rs, 3)) : 0;
	p.whitelist_only = test_below(rs, 2);
	p.monthly_capacity = (int32_t)test_below(rs, 5);
	p.used_this_month = (int32_t)test_below(rs, 3);
	return p;
}

static inline void test_random_programs(uint64_t *rs, matching_program *gs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(&gs[i], 0, sizeof gs[i]);
		gs[i].id = (int64_t)i + 1;
		gs[i].park_id = (uint16_t)(1 + test_below(rs, 3));
		gs[i].interest_subsidy_bps = 25 * (int32_t)test_below(rs, 5);
		gs[i].max_amount_per_enterprise_fen = test_below(rs, 2)
							      ? (int64_t)(1 + test_below(rs, 4)) *
									INT64_C(50000000)
							      : 0;
	}
}

static inline matching_request test_random_request(uint64_t *rs)
{
	matching_request r;

	r.amount_fen = (int64_t)(1 + test_below(rs, 30)) * INT64_C(5000000);
	r.term_months = 3 + 3 * (int32_t)test_below(rs, 12);
	r.collateral = (uint8_t)test_below(rs, 3);
	return r;
}

#endif
