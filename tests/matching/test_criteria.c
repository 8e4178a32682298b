/*
 * Unit tests for the matching engine's hard criteria: each one passes, fails
 * and sits on its boundary, with the detail people read and the numbers the
 * web pages translate; the "one change would do it" hints; and the codes and
 * dates the criteria rest on. Every verdict is checked through both
 * matching_explain and matching_rank_products, which must agree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "matching/matching.h"
#include "tests/matching/helpers.h"

#define BIT(c) (1u << (c))

/* Explains product p for d, and checks the ranking says the same. */
static matching_explanation explain_with(const matching_product *p, const matching_program *gs, size_t ng,
					 const matching_demand *d)
{
	matching_catalog *c = test_catalog(p, 1, gs, ng);
	matching_explanation ex;
	matching_product_ranking r;

	assert_int_equal(matching_explain(c, p->id, d, test_today(), &ex, NULL), MATCHING_OK);
	assert_int_equal(matching_rank_products(c, d, test_today(), &r, NULL), MATCHING_OK);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.items[0].failed, ex.failed);
	assert_int_equal(r.items[0].eligible, ex.eligible);
	assert_int_equal(r.items[0].fit, ex.fit);
	assert_int_equal(r.items[0].hint.lever, ex.hint.lever);
	assert_int_equal(r.items[0].hint.needed, ex.hint.needed);
	assert_int_equal(r.items[0].hint.actual, ex.hint.actual);
	assert_int_equal(r.eligible, ex.eligible ? 1 : 0);
	for (int k = 0; k < MATCH_CRIT_COUNT; k++) {
		assert_int_equal(ex.reasons[k].criterion, k);
		assert_int_equal(ex.reasons[k].passed, !(ex.failed & BIT(k)));
		assert_true(ex.reasons[k].detail[0] != '\0');
	}
	matching_product_ranking_release(&r);
	matching_catalog_free(c);
	return ex;
}

static matching_explanation explain(const matching_product *p, const matching_demand *d)
{
	return explain_with(p, NULL, 0, d);
}

static void assert_detail(const matching_explanation *ex, int crit, const char *want)
{
	if (strcmp(ex->reasons[crit].detail, want) != 0)
		fail_msg("%s: detail '%s', expected '%s'", matching_criterion_name(crit), ex->reasons[crit].detail, want);
}

/* ------------------------------------------------------------ baseline */

static void reference_demand_meets_every_criterion(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex = explain(&p, &d);

	assert_true(ex.eligible);
	assert_int_equal(ex.failed, 0);
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_NONE);
	assert_string_equal(ex.hint_text, "");
	assert_detail(&ex, MATCH_CRIT_STATUS, "product is active");
	assert_detail(&ex, MATCH_CRIT_CAPACITY, "40 of 50 places left this month");
	assert_detail(&ex, MATCH_CRIT_AMOUNT, "1000000.00 yuan within 100000.00 to 3000000.00 yuan");
	assert_detail(&ex, MATCH_CRIT_TERM, "12 months within 6 to 36 months");
	assert_detail(&ex, MATCH_CRIT_COLLATERAL, "no collateral needed");
	assert_detail(&ex, MATCH_CRIT_PROGRAM_CAP, "not in a programme");
	assert_detail(&ex, MATCH_CRIT_MIN_GRADE, "no minimum grade");
	assert_detail(&ex, MATCH_CRIT_MIN_SCORE, "no minimum score");
	assert_detail(&ex, MATCH_CRIT_INDUSTRY, "any industry");
	assert_detail(&ex, MATCH_CRIT_TOWN, "any town");
	assert_detail(&ex, MATCH_CRIT_PARK, "any park");
	assert_detail(&ex, MATCH_CRIT_YEARS, "no minimum years in business");
	assert_detail(&ex, MATCH_CRIT_REVENUE, "no minimum revenue");
	assert_detail(&ex, MATCH_CRIT_TAGS, "no tags required");
}

static void criterion_names_follow_the_enum_and_stop_at_the_end(void **state)
{
	(void)state;
	assert_string_equal(matching_criterion_name(MATCH_CRIT_STATUS), "status");
	assert_string_equal(matching_criterion_name(MATCH_CRIT_PROGRAM_CAP), "program_cap");
	assert_string_equal(matching_criterion_name(MATCH_CRIT_YEARS), "years_in_business");
	assert_string_equal(matching_criterion_name(MATCH_CRIT_WHITELIST), "whitelist");
	assert_null(matching_criterion_name(MATCH_CRIT_COUNT));
	assert_null(matching_criterion_name(-1));
}

/* ------------------------------------------------------- product side */

static void paused_product_fails_status_only(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.status = MATCHING_PRODUCT_PAUSED;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_STATUS));
	assert_detail(&ex, MATCH_CRIT_STATUS, "product is paused");
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_NONE);
}

static void last_place_passes_and_a_full_month_fails_capacity(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.used_this_month = 49;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_CAPACITY, "1 of 50 places left this month");
	p.used_this_month = 50;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_CAPACITY));
	assert_detail(&ex, MATCH_CRIT_CAPACITY, "no places left this month (50 of 50 used)");
	p.monthly_capacity = 0;
	p.used_this_month = 0;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_CAPACITY));
}

/* ---------------------------------------------------------- request */

static void amount_on_either_bound_passes_and_one_fen_outside_fails(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	d.request.amount_fen = p.amount_min_fen;
	assert_true(explain(&p, &d).eligible);
	d.request.amount_fen = p.amount_max_fen;
	assert_true(explain(&p, &d).eligible);
	d.request.amount_fen = p.amount_min_fen - 1;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_AMOUNT));
	assert_detail(&ex, MATCH_CRIT_AMOUNT, "99999.99 yuan below the minimum 100000.00 yuan");
	assert_int_equal(ex.reasons[MATCH_CRIT_AMOUNT].needed, p.amount_min_fen);
	assert_int_equal(ex.reasons[MATCH_CRIT_AMOUNT].needed_max, p.amount_max_fen);
	assert_int_equal(ex.reasons[MATCH_CRIT_AMOUNT].actual, p.amount_min_fen - 1);
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_AMOUNT);
	assert_int_equal(ex.hint.needed, p.amount_min_fen);
	assert_string_equal(ex.hint_text, "raise the amount to 100000.00 yuan");
	d.request.amount_fen = p.amount_max_fen + 1;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_AMOUNT));
	assert_detail(&ex, MATCH_CRIT_AMOUNT, "3000000.01 yuan above the maximum 3000000.00 yuan");
	assert_string_equal(ex.hint_text, "lower the amount to 3000000.00 yuan");
}

static void term_on_either_bound_passes_and_one_month_outside_fails(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	d.request.term_months = 6;
	assert_true(explain(&p, &d).eligible);
	d.request.term_months = 36;
	assert_true(explain(&p, &d).eligible);
	d.request.term_months = 37;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_TERM));
	assert_detail(&ex, MATCH_CRIT_TERM, "37 months above the maximum 36 months");
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_TERM);
	assert_int_equal(ex.hint.needed, 36);
	assert_string_equal(ex.hint_text, "shorten the term to 36 months");
	d.request.term_months = 5;
	ex = explain(&p, &d);
	assert_string_equal(ex.hint_text, "lengthen the term to 6 months");
}

static void collateral_needed_must_be_the_one_offered(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	d.request.collateral = MATCHING_COLLATERAL_IP;
	assert_true(explain(&p, &d).eligible);	/* none needed: anything offered passes */
	p.collateral = MATCHING_COLLATERAL_PROPERTY;
	d.request.collateral = MATCHING_COLLATERAL_PROPERTY;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_COLLATERAL, "property collateral offered as needed");
	d.request.collateral = MATCHING_COLLATERAL_NONE;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_COLLATERAL));
	assert_detail(&ex, MATCH_CRIT_COLLATERAL, "property collateral needed, none offered");
	assert_string_equal(ex.hint_text, "offer property as collateral");
}

static void programme_cap_counts_what_is_already_owed(void **state)
{
	(void)state;
	matching_program g = {.id = 7, .park_id = 2, .interest_subsidy_bps = 100,
			      .max_amount_per_enterprise_fen = INT64_C(150000000)};
	matching_balance owed[] = {{7, INT64_C(30000000)}, {8, INT64_C(999999999)}, {7, INT64_C(20000000)}};
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.program_id = 7;
	d.balances = owed;
	d.nbalances = 3;
	ex = explain_with(&p, &g, 1, &d);	/* 500,000 owed + 1,000,000 = the cap */
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_PROGRAM_CAP,
		      "500000.00 yuan outstanding plus 1000000.00 yuan asked within the programme's cap of 1500000.00 yuan");
	d.request.amount_fen += 1;
	ex = explain_with(&p, &g, 1, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_PROGRAM_CAP));
	assert_int_equal(ex.reasons[MATCH_CRIT_PROGRAM_CAP].needed, g.max_amount_per_enterprise_fen);
	assert_int_equal(ex.reasons[MATCH_CRIT_PROGRAM_CAP].actual, INT64_C(150000001));
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_AMOUNT);
	assert_int_equal(ex.hint.needed, INT64_C(100000000));
}

static void without_a_request_the_demand_criteria_are_not_checked(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.collateral = MATCHING_COLLATERAL_PROPERTY;
	d.has_request = false;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_false(ex.reasons[MATCH_CRIT_AMOUNT].checked);
	assert_false(ex.reasons[MATCH_CRIT_COLLATERAL].checked);
	assert_false(ex.reasons[MATCH_CRIT_PROGRAM_CAP].checked);
	assert_true(ex.reasons[MATCH_CRIT_MIN_GRADE].checked);
	assert_int_equal(ex.parts.amount, 0);
	assert_int_equal(ex.parts.term, 0);
}

/* ------------------------------------------------------------ credit */

static void grade_at_the_minimum_passes_and_below_or_ungraded_fails(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_enterprise e = test_enterprise(1);
	matching_demand d = test_demand(e);
	matching_explanation ex;

	p.min_grade = MATCHING_GRADE_B;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_MIN_GRADE, "grade B meets minimum B");
	d.enterprise.grade = MATCHING_GRADE_C;
	d.enterprise.score = 620;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_GRADE));
	assert_detail(&ex, MATCH_CRIT_MIN_GRADE, "grade C below minimum B");
	assert_int_equal(ex.reasons[MATCH_CRIT_MIN_GRADE].needed, MATCHING_GRADE_B);
	assert_int_equal(ex.reasons[MATCH_CRIT_MIN_GRADE].actual, MATCHING_GRADE_C);
	d.enterprise.grade = MATCHING_GRADE_NONE;
	d.enterprise.score = MATCHING_SCORE_NONE;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_GRADE));
	assert_detail(&ex, MATCH_CRIT_MIN_GRADE, "not graded yet; minimum B");
}

static void score_at_the_minimum_passes_and_one_point_below_fails(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.min_score = 700;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_MIN_SCORE, "score 700 meets minimum 700");
	d.enterprise.score = 699;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_SCORE));
	assert_detail(&ex, MATCH_CRIT_MIN_SCORE, "score 699 below minimum 700");
	assert_string_equal(ex.hint_text, "score 700 needed: score 699, 1 points short");
}

static void no_minimum_score_lets_an_unscored_enterprise_pass_but_zero_does_not(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));

	d.enterprise.score = MATCHING_SCORE_NONE;
	d.enterprise.grade = MATCHING_GRADE_NONE;
	assert_true(explain(&p, &d).eligible);
	p.min_score = 0;
	assert_int_equal(explain(&p, &d).failed, BIT(MATCH_CRIT_MIN_SCORE));
	assert_string_equal(explain(&p, &d).reasons[MATCH_CRIT_MIN_SCORE].detail, "not scored yet; minimum 0");
}

/* ------------------------------------------------------------- place */

static void industry_matches_by_prefix_of_section_and_digits(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));	/* C2664 */
	const char *pass[] = {"C", "C2", "C26", "C266", "C2664"};
	const char *fail[] = {"D", "C27", "C2665", "C26641", "M73"};
	matching_explanation ex;

	p.nindustries = 1;
	for (size_t i = 0; i < sizeof pass / sizeof *pass; i++) {
		p.industries[0] = matching_industry_pack(pass[i]);
		assert_true(explain(&p, &d).eligible);
	}
	for (size_t i = 0; i < sizeof fail / sizeof *fail; i++) {
		p.industries[0] = matching_industry_pack(fail[i]);
		assert_int_equal(explain(&p, &d).failed, BIT(MATCH_CRIT_INDUSTRY));
	}
	p.nindustries = 2;
	p.industries[0] = matching_industry_pack("M73");
	p.industries[1] = matching_industry_pack("C26");
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_INDUSTRY, "industry C2664 is under C26");
	assert_int_equal(ex.reasons[MATCH_CRIT_INDUSTRY].needed, matching_industry_pack("C26"));
	d.enterprise.industry = matching_industry_pack("F51");
	ex = explain(&p, &d);
	assert_detail(&ex, MATCH_CRIT_INDUSTRY, "industry F51 is not under M73, C26");
	d.enterprise.industry = 0;
	ex = explain(&p, &d);
	assert_detail(&ex, MATCH_CRIT_INDUSTRY, "industry unknown is not under M73, C26");
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_NONE);
}

static void town_must_be_listed_and_details_name_it(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));	/* town 0: nanqiao */
	matching_explanation ex;

	p.ntowns = 2;
	p.towns[0] = 1;
	p.towns[1] = 0;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_TOWN, "nanqiao is among fengcheng, nanqiao");
	d.enterprise.town = 3;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_TOWN));
	assert_detail(&ex, MATCH_CRIT_TOWN, "jinhui is not among fengcheng, nanqiao");
	d.enterprise.town = 9;	/* no code given for index 9 */
	ex = explain(&p, &d);
	assert_detail(&ex, MATCH_CRIT_TOWN, "town #9 is not among fengcheng, nanqiao");
	d.enterprise.town = MATCHING_TOWN_NONE;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_TOWN));
	assert_detail(&ex, MATCH_CRIT_TOWN, "no town on record; needs fengcheng, nanqiao");
}

static void park_must_be_listed_and_no_park_fails(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));	/* park 1 */
	matching_explanation ex;

	p.nparks = 2;
	p.park_ids[0] = 2;
	p.park_ids[1] = 1;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_PARK, "park 1 is among 2, 1");
	assert_int_equal(ex.reasons[MATCH_CRIT_PARK].needed, 1);
	d.enterprise.park_id = 3;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_PARK));
	assert_detail(&ex, MATCH_CRIT_PARK, "park 3 is not among 2, 1");
	d.enterprise.park_id = 0;
	ex = explain(&p, &d);
	assert_detail(&ex, MATCH_CRIT_PARK, "in no park; needs park 2, 1");
}

/* ----------------------------------------------------------- profile */

static void years_count_whole_anniversaries_up_to_today(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.min_years = 3;
	d.enterprise.founded_on = matching_days_from_civil(2022, 6, 30);	/* third anniversary today */
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_YEARS, "3 whole years in business, 3 needed");
	d.enterprise.founded_on = matching_days_from_civil(2022, 7, 1);	/* one day short */
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_YEARS));
	assert_detail(&ex, MATCH_CRIT_YEARS, "2 whole years in business, 3 needed");
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_YEARS);
	assert_int_equal(ex.hint.needed, matching_days_from_civil(2025, 7, 1));
	assert_string_equal(ex.hint_text, "eligible from 2025-07-01 (2 whole years in business now)");
}

static void founded_on_29_february_has_its_anniversary_on_1_march(void **state)
{
	(void)state;
	int32_t f = matching_days_from_civil(2020, 2, 29);

	assert_int_equal(matching_years_between(f, matching_days_from_civil(2021, 2, 28)), 0);
	assert_int_equal(matching_years_between(f, matching_days_from_civil(2021, 3, 1)), 1);
	assert_int_equal(matching_years_between(f, matching_days_from_civil(2024, 2, 28)), 3);
	assert_int_equal(matching_years_between(f, matching_days_from_civil(2024, 2, 29)), 4);
	assert_int_equal(matching_years_between(f, matching_days_from_civil(2019, 1, 1)), 0);
}

static void revenue_at_the_minimum_passes_and_one_fen_less_fails(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.min_revenue_fen = d.enterprise.revenue_fen;
	assert_true(explain(&p, &d).eligible);
	p.min_revenue_fen += 1;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_REVENUE));
	assert_detail(&ex, MATCH_CRIT_REVENUE, "annual revenue 5000000.00 yuan, at least 5000000.01 yuan needed");
	assert_string_equal(ex.hint_text, "annual revenue of 5000000.01 yuan needed: 0.01 yuan short");
}

static void every_required_tag_must_be_held(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));	/* hi_tech */
	matching_explanation ex;

	p.required_tags = MATCHING_TAG_HI_TECH;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_TAGS, "has every required tag: hi_tech");
	p.required_tags = MATCHING_TAG_HI_TECH | MATCHING_TAG_SPECIALIZED | MATCHING_TAG_TECH_SME;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_TAGS));
	assert_detail(&ex, MATCH_CRIT_TAGS, "missing tags: specialized, tech_sme");
	assert_int_equal(ex.hint.needed, MATCHING_TAG_SPECIALIZED | MATCHING_TAG_TECH_SME);
	assert_string_equal(ex.hint_text, "needs tags specialized, tech_sme");
}

static void whitelist_counts_until_its_last_valid_day(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.whitelist_only = true;
	d.enterprise.whitelist_until = test_today();
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_WHITELIST, "approved whitelist entry valid until 2025-06-30");
	d.enterprise.whitelist_until = test_today() - 1;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_WHITELIST));
	assert_int_equal(ex.reasons[MATCH_CRIT_WHITELIST].actual, MATCHING_WL_EXPIRED);
	assert_detail(&ex, MATCH_CRIT_WHITELIST, "needs an approved whitelist entry; it expired after 2025-06-29");
	assert_string_equal(ex.hint_text, "the whitelist entry has expired: renew it");
	d.enterprise.whitelist = MATCHING_WL_NOMINATED;
	ex = explain(&p, &d);
	assert_detail(&ex, MATCH_CRIT_WHITELIST, "needs an approved whitelist entry; nominated");
	assert_string_equal(ex.hint_text, "the whitelist nomination needs the bureau's approval");
	d.enterprise.whitelist = MATCHING_WL_NONE;
	ex = explain(&p, &d);
	assert_string_equal(ex.hint_text, "an approved whitelist entry is needed: apply for one");
	p.whitelist_only = false;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_WHITELIST, "whitelist entry not required");
}

/* -------------------------------------------------------------- hints */

static void grade_hint_names_the_grade_and_the_points_short(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.min_grade = MATCHING_GRADE_B;
	p.min_score = 600;
	d.enterprise.grade = MATCHING_GRADE_C;
	d.enterprise.score = 620;
	ex = explain(&p, &d);	/* min_score passes, the grade fails */
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_GRADE));
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_SCORE);
	assert_int_equal(ex.hint.grade, MATCHING_GRADE_B);
	assert_int_equal(ex.hint.needed, 650);
	assert_int_equal(ex.hint.actual, 620);
	assert_string_equal(ex.hint_text, "grade B needed: score 620, 30 points short");
	p.min_score = 680;	/* both fail: the larger bar is the one to reach */
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_GRADE) | BIT(MATCH_CRIT_MIN_SCORE));
	assert_string_equal(ex.hint_text, "grade B needed: score 620, 60 points short");
	d.enterprise.score = MATCHING_SCORE_NONE;
	d.enterprise.grade = MATCHING_GRADE_NONE;
	ex = explain(&p, &d);
	assert_string_equal(ex.hint_text, "grade B needed: not scored yet, score 680 needed");
}

static void grade_that_points_cannot_fix_gives_no_hint(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.min_grade = MATCHING_GRADE_B;
	d.enterprise.grade = MATCHING_GRADE_D;	/* score 700 but graded D (say, a dishonest-debtor record) */
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_GRADE));
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_NONE);
	assert_string_equal(ex.hint_text, "");
}

static void amount_hint_fixes_range_and_cap_together_or_not_at_all(void **state)
{
	(void)state;
	matching_program g = {.id = 7, .park_id = 2, .max_amount_per_enterprise_fen = INT64_C(200000000)};
	matching_balance owed = {7, INT64_C(150000000)};
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.program_id = 7;
	d.balances = &owed;
	d.nbalances = 1;
	d.request.amount_fen = INT64_C(400000000);	/* above the range and the cap's room */
	ex = explain_with(&p, &g, 1, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_AMOUNT) | BIT(MATCH_CRIT_PROGRAM_CAP));
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_AMOUNT);
	assert_int_equal(ex.hint.needed, INT64_C(50000000));	/* the room under the cap */
	assert_string_equal(ex.hint_text, "lower the amount to 500000.00 yuan");
	owed.outstanding_fen = INT64_C(195000000);	/* room 50,000 yuan, under the minimum */
	ex = explain_with(&p, &g, 1, &d);
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_NONE);
}

static void two_levers_failing_give_no_hint(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.min_score = 800;
	d.request.term_months = 60;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_SCORE) | BIT(MATCH_CRIT_TERM));
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_NONE);
}

/* ------------------------------------------------------- input checks */

static void out_of_range_demand_is_refused_with_its_field(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_catalog *c = test_catalog(&p, 1, NULL, 0);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;
	matching_product_ranking r;
	matching_error err;

	d.request.term_months = 0;
	assert_int_equal(matching_explain(c, 10, &d, test_today(), &ex, &err), MATCHING_INVALID);
	assert_non_null(strstr(err.message, "term_months"));
	assert_int_equal(matching_rank_products(c, &d, test_today(), &r, &err), MATCHING_INVALID);
	assert_int_equal(r.count, 0);
	assert_null(r.items);
	d = test_demand(test_enterprise(1));
	d.enterprise.score = 1001;
	assert_int_equal(matching_explain(c, 10, &d, test_today(), &ex, &err), MATCHING_INVALID);
	assert_non_null(strstr(err.message, "score"));
	d = test_demand(test_enterprise(1));
	assert_int_equal(matching_explain(c, 11, &d, test_today(), &ex, &err), MATCHING_NOT_FOUND);
	matching_catalog_free(c);
}

static void catalogue_refuses_bad_products_duplicates_and_unknown_programmes(void **state)
{
	(void)state;
	matching_product ps[2] = {test_product(10), test_product(10)};
	matching_catalog *c = (matching_catalog *)1;
	matching_error err;

	assert_int_equal(matching_catalog_new(ps, 2, NULL, 0, NULL, NULL, 0, &c, &err), MATCHING_DUPLICATE);
	assert_null(c);
	ps[1].id = 11;
	ps[1].program_id = 99;
	assert_int_equal(matching_catalog_new(ps, 2, NULL, 0, NULL, NULL, 0, &c, &err), MATCHING_NOT_FOUND);
	assert_non_null(strstr(err.message, "product 11"));
	ps[1].program_id = 0;
	ps[1].rate_min_bps = 700;	/* above rate_max_bps */
	assert_int_equal(matching_catalog_new(ps, 2, NULL, 0, NULL, NULL, 0, &c, &err), MATCHING_INVALID);
	ps[1].rate_min_bps = 385;
	ps[1].nindustries = 1;
	ps[1].industries[0] = 0x03b00000;	/* C and a nibble that is no digit */
	assert_int_equal(matching_catalog_new(ps, 2, NULL, 0, NULL, NULL, 0, &c, &err), MATCHING_INVALID);
	ps[1].industries[0] = matching_industry_pack("C");
	assert_int_equal(matching_catalog_new(ps, 2, NULL, 0, NULL, NULL, 0, &c, &err), MATCHING_OK);
	assert_int_equal(matching_catalog_count(c), 2);
	assert_int_equal(matching_catalog_product(c, 11)->id, 11);
	assert_null(matching_catalog_product(c, 12));
	matching_catalog_free(c);
}

/* ------------------------------------------------------------- codes */

static void industry_codes_pack_and_unpack_and_reject_junk(void **state)
{
	(void)state;
	char buf[8];
	const char *good[] = {"A", "C26", "C2664", "T", "K702", "Z123456"};
	const char *bad[] = {"", "c26", "C2a", "26", "C1234567", "C-1"};

	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		assert_int_not_equal(matching_industry_pack(good[i]), 0);
		assert_string_equal(matching_industry_unpack(matching_industry_pack(good[i]), buf), good[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(matching_industry_pack(bad[i]), 0);
	assert_int_equal(matching_industry_pack(NULL), 0);
	assert_string_equal(matching_industry_unpack(0, buf), "");
	assert_true(matching_industry_has_prefix(matching_industry_pack("C2664"), matching_industry_pack("C26")));
	assert_false(matching_industry_has_prefix(matching_industry_pack("C2"), matching_industry_pack("C26")));
	assert_false(matching_industry_has_prefix(matching_industry_pack("C26"), 0));
}

static void civil_dates_round_trip_across_centuries(void **state)
{
	(void)state;
	int y, m, d;

	assert_int_equal(matching_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(matching_days_from_civil(2000, 3, 1), 11017);
	for (int32_t day = -800000; day < 800000; day += 997) {
		matching_civil_from_days(day, &y, &m, &d);
		assert_int_equal(matching_days_from_civil(y, m, d), day);
	}
}

static void names_of_codes_match_the_api(void **state)
{
	(void)state;
	assert_string_equal(matching_collateral_name(MATCHING_COLLATERAL_RECEIVABLES), "receivables");
	assert_string_equal(matching_kind_name(MATCHING_KIND_IP_PLEDGE), "ip_pledge");
	assert_string_equal(matching_product_status_name(MATCHING_PRODUCT_RETIRED), "retired");
	assert_string_equal(matching_whitelist_name(MATCHING_WL_EXPIRED), "expired");
	assert_string_equal(matching_tag_name(MATCHING_TAG_INTEGRITY_MODEL), "integrity_model");
	assert_null(matching_tag_name(MATCHING_TAG_HI_TECH | MATCHING_TAG_SPECIALIZED));
	assert_string_equal(matching_grade_name(MATCHING_GRADE_A), "A");
	assert_string_equal(matching_grade_name(MATCHING_GRADE_NONE), "-");
	assert_null(matching_collateral_name(MATCHING_COLLATERAL_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reference_demand_meets_every_criterion),
		cmocka_unit_test(criterion_names_follow_the_enum_and_stop_at_the_end),
		cmocka_unit_test(paused_product_fails_status_only),
		cmocka_unit_test(last_place_passes_and_a_full_month_fails_capacity),
		cmocka_unit_test(amount_on_either_bound_passes_and_one_fen_outside_fails),
		cmocka_unit_test(term_on_either_bound_passes_and_one_month_outside_fails),
		cmocka_unit_test(collateral_needed_must_be_the_one_offered),
		cmocka_unit_test(programme_cap_counts_what_is_already_owed),
		cmocka_unit_test(without_a_request_the_demand_criteria_are_not_checked),
		cmocka_unit_test(grade_at_the_minimum_passes_and_below_or_ungraded_fails),
		cmocka_unit_test(score_at_the_minimum_passes_and_one_point_below_fails),
		cmocka_unit_test(no_minimum_score_lets_an_unscored_enterprise_pass_but_zero_does_not),
		cmocka_unit_test(industry_matches_by_prefix_of_section_and_digits),
		cmocka_unit_test(town_must_be_listed_and_details_name_it),
		cmocka_unit_test(park_must_be_listed_and_no_park_fails),
		cmocka_unit_test(years_count_whole_anniversaries_up_to_today),
		cmocka_unit_test(founded_on_29_february_has_its_anniversary_on_1_march),
		cmocka_unit_test(revenue_at_the_minimum_passes_and_one_fen_less_fails),
		cmocka_unit_test(every_required_tag_must_be_held),
		cmocka_unit_test(whitelist_counts_until_its_last_valid_day),
		cmocka_unit_test(grade_hint_names_the_grade_and_the_points_short),
		cmocka_unit_test(grade_that_points_cannot_fix_gives_no_hint),
		cmocka_unit_test(amount_hint_fixes_range_and_cap_together_or_not_at_all),
		cmocka_unit_test(two_levers_failing_give_no_hint),
		cmocka_unit_test(out_of_range_demand_is_refused_with_its_field),
		cmocka_unit_test(catalogue_refuses_bad_products_duplicates_and_unknown_programmes),
		cmocka_unit_test(industry_codes_pack_and_unpack_and_reject_junk),
		cmocka_unit_test(civil_dates_round_trip_across_centuries),
		cmocka_unit_test(names_of_codes_match_the_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
