/*
 * Unit tests for the matching engine's hard criteria: each one passes, fails
 * and sits on its boundary, with the details people read (English and
 * Chinese, verbatim) and the numbers the web pages translate; the "one
 * change would do it" hints in both languages; UTF-8 that a full buffer
 * cuts only between characters; and the codes and dates the criteria rest
 * on. Every verdict is checked through both
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
#include "matching/matching_internal.h"
#include "tests/matching/helpers.h"

#define BIT(c) (1u << (c))

/* True when s is well-formed UTF-8 (no cut or stray sequences). */
static bool utf8_valid(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u) {
		size_t n = *u < 0x80		 ? 1
			   : (*u & 0xE0) == 0xC0 ? 2
			   : (*u & 0xF0) == 0xE0 ? 3
			   : (*u & 0xF8) == 0xF0 ? 4
						 : 0;

		if (!n)
			return false;
		for (size_t i = 1; i < n; i++)
			if ((u[i] & 0xC0) != 0x80)
				return false;
		u += n;
	}
	return true;
}

/* Explains product p for d, and checks the ranking says the same. */
static matching_explanation explain_with(const matching_product *p, const matching_program *gs,
					 size_t ng, const matching_demand *d)
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
		assert_true(ex.reasons[k].detail_zh[0] != '\0');
		assert_true(utf8_valid(ex.reasons[k].detail_zh));
	}
	assert_true(utf8_valid(ex.hint_text_zh));
	assert_int_equal(ex.hint_text[0] == '\0', ex.hint_text_zh[0] == '\0');
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
		fail_msg("%s: detail '%s', expected '%s'", matching_criterion_name(crit),
			 ex->reasons[crit].detail, want);
}

static void assert_detail_zh(const matching_explanation *ex, int crit, const char *want)
{
	if (strcmp(ex->reasons[crit].detail_zh, want) != 0)
		fail_msg("%s: detail_zh '%s', expected '%s'", matching_criterion_name(crit),
			 ex->reasons[crit].detail_zh, want);
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
	assert_string_equal(ex.hint_text_zh, "");
	assert_detail_zh(&ex, MATCH_CRIT_STATUS, "产品已上架");
	assert_detail(&ex, MATCH_CRIT_CAPACITY, "40 of 50 places left this month");
	assert_detail_zh(&ex, MATCH_CRIT_CAPACITY, "本月还剩 40 个名额（共 50 个）");
	assert_detail(&ex, MATCH_CRIT_AMOUNT,
		      "1,000,000.00 yuan within 100,000.00 to 3,000,000.00 yuan");
	assert_detail_zh(&ex, MATCH_CRIT_AMOUNT,
			 "申请 1,000,000.00 元，在 100,000.00 元至 3,000,000.00 元之间");
	assert_detail(&ex, MATCH_CRIT_TERM, "12 months within 6 to 36 months");
	assert_detail_zh(&ex, MATCH_CRIT_TERM, "期限 12 个月，在 6 个月至 36 个月之间");
	assert_detail(&ex, MATCH_CRIT_COLLATERAL, "no collateral needed");
	assert_detail_zh(&ex, MATCH_CRIT_COLLATERAL, "无需抵押");
	assert_detail(&ex, MATCH_CRIT_PROGRAM_CAP, "not in a programme");
	assert_detail_zh(&ex, MATCH_CRIT_PROGRAM_CAP, "不属于任何项目");
	assert_detail(&ex, MATCH_CRIT_MIN_GRADE, "no minimum grade");
	assert_detail_zh(&ex, MATCH_CRIT_MIN_GRADE, "无信用等级要求");
	assert_detail(&ex, MATCH_CRIT_MIN_SCORE, "no minimum score");
	assert_detail_zh(&ex, MATCH_CRIT_MIN_SCORE, "无信用分要求");
	assert_detail(&ex, MATCH_CRIT_INDUSTRY, "any industry");
	assert_detail_zh(&ex, MATCH_CRIT_INDUSTRY, "不限行业");
	assert_detail(&ex, MATCH_CRIT_TOWN, "any town");
	assert_detail_zh(&ex, MATCH_CRIT_TOWN, "不限街镇");
	assert_detail(&ex, MATCH_CRIT_PARK, "any park");
	assert_detail_zh(&ex, MATCH_CRIT_PARK, "不限园区");
	assert_detail(&ex, MATCH_CRIT_YEARS, "no minimum years in business");
	assert_detail_zh(&ex, MATCH_CRIT_YEARS, "无经营年限要求");
	assert_detail(&ex, MATCH_CRIT_REVENUE, "no minimum revenue");
	assert_detail_zh(&ex, MATCH_CRIT_REVENUE, "无营业收入要求");
	assert_detail(&ex, MATCH_CRIT_TAGS, "no tags required");
	assert_detail_zh(&ex, MATCH_CRIT_TAGS, "无资质要求");
	assert_detail(&ex, MATCH_CRIT_WHITELIST,
		      "approved whitelist entry valid until 2025-10-08 (not required)");
	assert_detail_zh(&ex, MATCH_CRIT_WHITELIST,
			 "白名单已入选，有效期至 2025年10月8日（本产品不要求）");
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
	assert_detail_zh(&ex, MATCH_CRIT_STATUS, "产品已暂停");
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
	assert_detail_zh(&ex, MATCH_CRIT_CAPACITY, "本月还剩 1 个名额（共 50 个）");
	p.used_this_month = 50;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_CAPACITY));
	assert_detail(&ex, MATCH_CRIT_CAPACITY, "no places left this month (50 of 50 used)");
	assert_detail_zh(&ex, MATCH_CRIT_CAPACITY, "本月名额已满（已用 50 个，共 50 个）");
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
	assert_detail(&ex, MATCH_CRIT_AMOUNT, "99,999.99 yuan below the minimum 100,000.00 yuan");
	assert_detail_zh(&ex, MATCH_CRIT_AMOUNT, "申请 99,999.99 元，低于最低额度 100,000.00 元");
	assert_int_equal(ex.reasons[MATCH_CRIT_AMOUNT].needed, p.amount_min_fen);
	assert_int_equal(ex.reasons[MATCH_CRIT_AMOUNT].needed_max, p.amount_max_fen);
	assert_int_equal(ex.reasons[MATCH_CRIT_AMOUNT].actual, p.amount_min_fen - 1);
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_AMOUNT);
	assert_int_equal(ex.hint.needed, p.amount_min_fen);
	assert_string_equal(ex.hint_text, "raise the amount to 100,000.00 yuan");
	assert_string_equal(ex.hint_text_zh, "将金额提高到 100,000.00 元");
	d.request.amount_fen = p.amount_max_fen + 1;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_AMOUNT));
	assert_detail(&ex, MATCH_CRIT_AMOUNT,
		      "3,000,000.01 yuan above the maximum 3,000,000.00 yuan");
	assert_detail_zh(&ex, MATCH_CRIT_AMOUNT,
			 "申请 3,000,000.01 元，高于最高额度 3,000,000.00 元");
	assert_string_equal(ex.hint_text, "lower the amount to 3,000,000.00 yuan");
	assert_string_equal(ex.hint_text_zh, "将金额降低到 3,000,000.00 元");
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
	assert_detail_zh(&ex, MATCH_CRIT_TERM, "期限 37 个月，长于最长期限 36 个月");
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_TERM);
	assert_int_equal(ex.hint.needed, 36);
	assert_string_equal(ex.hint_text, "shorten the term to 36 months");
	assert_string_equal(ex.hint_text_zh, "将期限缩短到 36 个月");
	d.request.term_months = 5;
	ex = explain(&p, &d);
	assert_string_equal(ex.hint_text, "lengthen the term to 6 months");
	assert_string_equal(ex.hint_text_zh, "将期限延长到 6 个月");
	assert_detail(&ex, MATCH_CRIT_TERM, "5 months below the minimum 6 months");
	assert_detail_zh(&ex, MATCH_CRIT_TERM, "期限 5 个月，短于最短期限 6 个月");
}

static void collateral_needed_must_be_the_one_offered(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	d.request.collateral = MATCHING_COLLATERAL_IP;
	assert_true(explain(&p, &d).eligible); /* none needed: anything offered passes */
	p.collateral = MATCHING_COLLATERAL_PROPERTY;
	d.request.collateral = MATCHING_COLLATERAL_PROPERTY;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_COLLATERAL, "property collateral offered as needed");
	assert_detail_zh(&ex, MATCH_CRIT_COLLATERAL, "已提供所需的“房产抵押”");
	d.request.collateral = MATCHING_COLLATERAL_NONE;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_COLLATERAL));
	assert_detail(&ex, MATCH_CRIT_COLLATERAL, "property collateral needed, none offered");
	assert_detail_zh(&ex, MATCH_CRIT_COLLATERAL, "需要“房产抵押”，所选为“无需抵押”");
	assert_string_equal(ex.hint_text, "offer property as collateral");
	assert_string_equal(ex.hint_text_zh, "提供“房产抵押”作为担保");
}

static void programme_cap_counts_what_is_already_owed(void **state)
{
	(void)state;
	matching_program g = {.id = 7,
			      .park_id = 2,
			      .interest_subsidy_bps = 100,
			      .max_amount_per_enterprise_fen = INT64_C(150000000)};
	matching_balance owed[] = {
		{7, INT64_C(30000000)}, {8, INT64_C(999999999)}, {7, INT64_C(20000000)}};
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.program_id = 7;
	d.balances = owed;
	d.nbalances = 3;
	ex = explain_with(&p, &g, 1, &d); /* 500,000 owed + 1,000,000 = the cap */
	assert_true(ex.eligible);
	assert_detail(
		&ex, MATCH_CRIT_PROGRAM_CAP,
		"500,000.00 yuan outstanding plus 1,000,000.00 yuan asked within the programme's cap of 1,500,000.00 yuan");
	assert_detail_zh(
		&ex, MATCH_CRIT_PROGRAM_CAP,
		"已有余额 500,000.00 元加本次申请 1,000,000.00 元，未超过项目单户上限 1,500,000.00 元");
	d.request.amount_fen += 1;
	ex = explain_with(&p, &g, 1, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_PROGRAM_CAP));
	assert_int_equal(ex.reasons[MATCH_CRIT_PROGRAM_CAP].needed,
			 g.max_amount_per_enterprise_fen);
	assert_int_equal(ex.reasons[MATCH_CRIT_PROGRAM_CAP].actual, INT64_C(150000001));
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_AMOUNT);
	assert_int_equal(ex.hint.needed, INT64_C(100000000));
	assert_detail(
		&ex, MATCH_CRIT_PROGRAM_CAP,
		"500,000.00 yuan outstanding plus 1,000,000.01 yuan asked exceeds the programme's cap of 1,500,000.00 yuan");
	assert_detail_zh(
		&ex, MATCH_CRIT_PROGRAM_CAP,
		"已有余额 500,000.00 元加本次申请 1,000,000.01 元，超过项目单户上限 1,500,000.00 元");
	assert_string_equal(ex.hint_text_zh, "将金额降低到 1,000,000.00 元");
	g.max_amount_per_enterprise_fen = 0;
	ex = explain_with(&p, &g, 1, &d);
	assert_detail(&ex, MATCH_CRIT_PROGRAM_CAP, "the programme has no cap per enterprise");
	assert_detail_zh(&ex, MATCH_CRIT_PROGRAM_CAP, "项目不设单户上限");
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
	assert_detail(&ex, MATCH_CRIT_TERM, "not checked: no amount, term or collateral asked for");
	assert_detail_zh(&ex, MATCH_CRIT_TERM, "未检查：没有填写金额、期限或担保方式");
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
	assert_detail_zh(&ex, MATCH_CRIT_MIN_GRADE, "信用等级 B 级，达到最低要求 B 级");
	d.enterprise.grade = MATCHING_GRADE_C;
	d.enterprise.score = 620;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_GRADE));
	assert_detail(&ex, MATCH_CRIT_MIN_GRADE, "grade C below minimum B");
	assert_detail_zh(&ex, MATCH_CRIT_MIN_GRADE, "信用等级 C 级，低于最低要求 B 级");
	assert_int_equal(ex.reasons[MATCH_CRIT_MIN_GRADE].needed, MATCHING_GRADE_B);
	assert_int_equal(ex.reasons[MATCH_CRIT_MIN_GRADE].actual, MATCHING_GRADE_C);
	d.enterprise.grade = MATCHING_GRADE_NONE;
	d.enterprise.score = MATCHING_SCORE_NONE;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_GRADE));
	assert_detail(&ex, MATCH_CRIT_MIN_GRADE, "not graded yet; minimum B");
	assert_detail_zh(&ex, MATCH_CRIT_MIN_GRADE, "尚未评级，最低要求 B 级");
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
	assert_detail_zh(&ex, MATCH_CRIT_MIN_SCORE, "信用分 700 分，达到最低要求 700 分");
	d.enterprise.score = 699;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_SCORE));
	assert_detail(&ex, MATCH_CRIT_MIN_SCORE, "score 699 below minimum 700");
	assert_detail_zh(&ex, MATCH_CRIT_MIN_SCORE, "信用分 699 分，低于最低要求 700 分");
	assert_string_equal(ex.hint_text, "score 700 needed: score 699, 1 points short");
	assert_string_equal(ex.hint_text_zh, "需要 700 分：目前 699 分，还差 1 分");
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
	assert_string_equal(explain(&p, &d).reasons[MATCH_CRIT_MIN_SCORE].detail,
			    "not scored yet; minimum 0");
	assert_string_equal(explain(&p, &d).reasons[MATCH_CRIT_MIN_SCORE].detail_zh,
			    "尚未评分，最低要求 0 分");
}

/* ------------------------------------------------------------- place */

static void industry_matches_by_prefix_of_section_and_digits(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1)); /* C2664 */
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
	assert_detail_zh(&ex, MATCH_CRIT_INDUSTRY, "行业 C2664 属于 C26");
	assert_int_equal(ex.reasons[MATCH_CRIT_INDUSTRY].needed, matching_industry_pack("C26"));
	d.enterprise.industry = matching_industry_pack("F51");
	ex = explain(&p, &d);
	assert_detail(&ex, MATCH_CRIT_INDUSTRY, "industry F51 is not under M73, C26");
	assert_detail_zh(&ex, MATCH_CRIT_INDUSTRY, "行业 F51 不属于 M73、C26");
	d.enterprise.industry = 0;
	ex = explain(&p, &d);
	assert_detail(&ex, MATCH_CRIT_INDUSTRY, "industry unknown is not under M73, C26");
	assert_detail_zh(&ex, MATCH_CRIT_INDUSTRY, "行业未登记，要求 M73、C26");
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_NONE);
}

static void town_must_be_listed_and_details_name_it(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1)); /* town 0: nanqiao */
	matching_explanation ex;

	p.ntowns = 2;
	p.towns[0] = 1;
	p.towns[1] = 0;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_TOWN, "nanqiao is among fengcheng, nanqiao");
	assert_detail_zh(&ex, MATCH_CRIT_TOWN, "南桥镇在要求的街镇之列：奉城镇、南桥镇");
	d.enterprise.town = 3;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_TOWN));
	assert_detail(&ex, MATCH_CRIT_TOWN, "jinhui is not among fengcheng, nanqiao");
	assert_detail_zh(
		&ex, MATCH_CRIT_TOWN,
		"jinhui不在要求的街镇之列：奉城镇、南桥镇"); /* no Chinese name: the code */
	d.enterprise.town = 2;
	ex = explain(&p, &d);
	assert_detail_zh(&ex, MATCH_CRIT_TOWN, "庄行镇不在要求的街镇之列：奉城镇、南桥镇");
	d.enterprise.town = 9; /* no code given for index 9 */
	ex = explain(&p, &d);
	assert_detail(&ex, MATCH_CRIT_TOWN, "town #9 is not among fengcheng, nanqiao");
	assert_detail_zh(&ex, MATCH_CRIT_TOWN, "9 号街镇不在要求的街镇之列：奉城镇、南桥镇");
	d.enterprise.town = MATCHING_TOWN_NONE;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_TOWN));
	assert_detail(&ex, MATCH_CRIT_TOWN, "no town on record; needs fengcheng, nanqiao");
	assert_detail_zh(&ex, MATCH_CRIT_TOWN, "没有登记街镇，要求：奉城镇、南桥镇");
}

static void park_must_be_listed_and_no_park_fails(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1)); /* park 1 */
	matching_explanation ex;

	p.nparks = 2;
	p.park_ids[0] = 2;
	p.park_ids[1] = 1;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_PARK, "park 1 is among 2, 1");
	assert_detail_zh(&ex, MATCH_CRIT_PARK, "东方美谷在要求的园区之列：杭州湾开发区、东方美谷");
	assert_int_equal(ex.reasons[MATCH_CRIT_PARK].needed, 1);
	d.enterprise.park_id = 3;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_PARK));
	assert_detail(&ex, MATCH_CRIT_PARK, "park 3 is not among 2, 1");
	assert_detail_zh(
		&ex, MATCH_CRIT_PARK,
		"3 号园区不在要求的园区之列：杭州湾开发区、东方美谷"); /* no name: its id */
	d.enterprise.park_id = 0;
	ex = explain(&p, &d);
	assert_detail(&ex, MATCH_CRIT_PARK, "in no park; needs park 2, 1");
	assert_detail_zh(&ex, MATCH_CRIT_PARK, "不在任何园区，要求：杭州湾开发区、东方美谷");
}

/* ----------------------------------------------------------- profile */

static void years_count_whole_anniversaries_up_to_today(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.min_years = 3;
	d.enterprise.founded_on = matching_days_from_civil(2022, 6,
							   30); /* third anniversary today */
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_YEARS, "3 whole years in business, 3 needed");
	assert_detail_zh(&ex, MATCH_CRIT_YEARS, "经营满 3 年，要求至少 3 年");
	d.enterprise.founded_on = matching_days_from_civil(2022, 7, 1); /* one day short */
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_YEARS));
	assert_detail(&ex, MATCH_CRIT_YEARS, "2 whole years in business, 3 needed");
	assert_detail_zh(&ex, MATCH_CRIT_YEARS, "经营满 2 年，要求至少 3 年");
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_YEARS);
	assert_int_equal(ex.hint.needed, matching_days_from_civil(2025, 7, 1));
	assert_string_equal(ex.hint_text,
			    "eligible from 2025-07-01 (2 whole years in business now)");
	assert_string_equal(ex.hint_text_zh, "2025年7月1日起符合条件（目前经营满 2 年）");
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
	assert_detail(&ex, MATCH_CRIT_REVENUE,
		      "annual revenue 5,000,000.00 yuan, at least 5,000,000.01 yuan needed");
	assert_detail_zh(&ex, MATCH_CRIT_REVENUE,
			 "年营业收入 5,000,000.00 元，要求至少 5,000,000.01 元");
	assert_string_equal(ex.hint_text,
			    "annual revenue of 5,000,000.01 yuan needed: 0.01 yuan short");
	assert_string_equal(ex.hint_text_zh, "年营业收入需达到 5,000,000.01 元：还差 0.01 元");
}

static void every_required_tag_must_be_held(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1)); /* hi_tech */
	matching_explanation ex;

	p.required_tags = MATCHING_TAG_HI_TECH;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_TAGS, "has every required tag: hi_tech");
	assert_detail_zh(&ex, MATCH_CRIT_TAGS, "具备全部所需资质：高新技术企业");
	p.required_tags = MATCHING_TAG_HI_TECH | MATCHING_TAG_SPECIALIZED | MATCHING_TAG_TECH_SME;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_TAGS));
	assert_detail(&ex, MATCH_CRIT_TAGS, "missing tags: specialized, tech_sme");
	assert_detail_zh(&ex, MATCH_CRIT_TAGS, "缺少资质：专精特新、科技型中小企业");
	assert_int_equal(ex.hint.needed, MATCHING_TAG_SPECIALIZED | MATCHING_TAG_TECH_SME);
	assert_string_equal(ex.hint_text, "needs tags specialized, tech_sme");
	assert_string_equal(ex.hint_text_zh, "需要资质：专精特新、科技型中小企业");
	p.required_tags = MATCHING_TAG_HI_TECH | MATCHING_TAG_INTEGRITY_MODEL;
	ex = explain(&p, &d);
	assert_string_equal(ex.hint_text, "needs tag integrity_model");
	assert_string_equal(ex.hint_text_zh, "需要资质：诚信示范企业");
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
	assert_detail_zh(&ex, MATCH_CRIT_WHITELIST, "白名单已入选，有效期至 2025年6月30日");
	d.enterprise.whitelist_until = test_today() - 1;
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_WHITELIST));
	assert_int_equal(ex.reasons[MATCH_CRIT_WHITELIST].actual, MATCHING_WL_EXPIRED);
	assert_detail(&ex, MATCH_CRIT_WHITELIST,
		      "needs an approved whitelist entry; it expired after 2025-06-29");
	assert_detail_zh(&ex, MATCH_CRIT_WHITELIST,
			 "需要已入选的白名单资格，原资格有效期至 2025年6月29日，已过期");
	assert_string_equal(ex.hint_text, "the whitelist entry has expired: renew it");
	assert_string_equal(ex.hint_text_zh, "白名单资格已过期：请续期");
	d.enterprise.whitelist = MATCHING_WL_NOMINATED;
	ex = explain(&p, &d);
	assert_detail(&ex, MATCH_CRIT_WHITELIST, "needs an approved whitelist entry; nominated");
	assert_detail_zh(&ex, MATCH_CRIT_WHITELIST, "需要已入选的白名单资格，当前：待审核");
	assert_string_equal(ex.hint_text, "the whitelist nomination needs the bureau's approval");
	assert_string_equal(ex.hint_text_zh, "白名单提名需经区财政局审核通过");
	d.enterprise.whitelist = MATCHING_WL_NONE;
	ex = explain(&p, &d);
	assert_string_equal(ex.hint_text, "an approved whitelist entry is needed: apply for one");
	assert_string_equal(ex.hint_text_zh, "需要已入选的白名单资格：请申请");
	assert_detail(&ex, MATCH_CRIT_WHITELIST, "needs an approved whitelist entry; none");
	assert_detail_zh(&ex, MATCH_CRIT_WHITELIST, "需要已入选的白名单资格，当前：未申请");
	p.whitelist_only = false;
	ex = explain(&p, &d);
	assert_true(ex.eligible);
	assert_detail(&ex, MATCH_CRIT_WHITELIST, "whitelist entry not required");
	assert_detail_zh(&ex, MATCH_CRIT_WHITELIST, "本产品不要求白名单");
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
	ex = explain(&p, &d); /* min_score passes, the grade fails */
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_GRADE));
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_SCORE);
	assert_int_equal(ex.hint.grade, MATCHING_GRADE_B);
	assert_int_equal(ex.hint.needed, 650);
	assert_int_equal(ex.hint.actual, 620);
	assert_string_equal(ex.hint_text, "grade B needed: score 620, 30 points short");
	assert_string_equal(ex.hint_text_zh, "需要达到 B 级：目前 620 分，还差 30 分");
	p.min_score = 680; /* both fail: the larger bar is the one to reach */
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_GRADE) | BIT(MATCH_CRIT_MIN_SCORE));
	assert_string_equal(ex.hint_text, "grade B needed: score 620, 60 points short");
	assert_string_equal(ex.hint_text_zh, "需要达到 B 级：目前 620 分，还差 60 分");
	d.enterprise.score = MATCHING_SCORE_NONE;
	d.enterprise.grade = MATCHING_GRADE_NONE;
	ex = explain(&p, &d);
	assert_string_equal(ex.hint_text, "grade B needed: not scored yet, score 680 needed");
	assert_string_equal(ex.hint_text_zh, "需要达到 B 级：尚未评分，需要 680 分");
}

static void grade_that_points_cannot_fix_gives_no_hint(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.min_grade = MATCHING_GRADE_B;
	d.enterprise.grade =
		MATCHING_GRADE_D; /* score 700 but graded D (say, a dishonest-debtor record) */
	ex = explain(&p, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_MIN_GRADE));
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_NONE);
	assert_string_equal(ex.hint_text, "");
}

static void amount_hint_fixes_range_and_cap_together_or_not_at_all(void **state)
{
	(void)state;
	matching_program g = {
		.id = 7, .park_id = 2, .max_amount_per_enterprise_fen = INT64_C(200000000)};
	matching_balance owed = {7, INT64_C(150000000)};
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.program_id = 7;
	d.balances = &owed;
	d.nbalances = 1;
	d.request.amount_fen = INT64_C(400000000); /* above the range and the cap's room */
	ex = explain_with(&p, &g, 1, &d);
	assert_int_equal(ex.failed, BIT(MATCH_CRIT_AMOUNT) | BIT(MATCH_CRIT_PROGRAM_CAP));
	assert_int_equal(ex.hint.lever, MATCHING_LEVER_AMOUNT);
	assert_int_equal(ex.hint.needed, INT64_C(50000000)); /* the room under the cap */
	assert_string_equal(ex.hint_text, "lower the amount to 500,000.00 yuan");
	assert_string_equal(ex.hint_text_zh, "将金额降低到 500,000.00 元");
	owed.outstanding_fen = INT64_C(195000000); /* room 50,000 yuan, under the minimum */
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

/* ------------------------------------------------------------ chinese */

static void chinese_status_uses_the_pages_words_for_every_state(void **state)
{
	(void)state;
	static const char *const want[] = {"产品为草稿", "产品已上架", "产品已暂停", "产品已下架"};
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));

	for (int st = 0; st < MATCHING_PRODUCT_STATUS_COUNT; st++) {
		p.status = (uint8_t)st;
		matching_explanation ex = explain(&p, &d);

		assert_detail_zh(&ex, MATCH_CRIT_STATUS, want[st]);
	}
}

static void chinese_collateral_and_whitelist_words_follow_the_labels(void **state)
{
	(void)state;
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1));
	matching_explanation ex;

	p.collateral = MATCHING_COLLATERAL_RECEIVABLES;
	d.request.collateral = MATCHING_COLLATERAL_IP;
	ex = explain(&p, &d);
	assert_detail_zh(&ex, MATCH_CRIT_COLLATERAL, "需要“应收账款”，所选为“知识产权”");
	assert_string_equal(ex.hint_text_zh, "提供“应收账款”作为担保");
	p = test_product(10);
	p.whitelist_only = true;
	d = test_demand(test_enterprise(1));
	d.enterprise.whitelist = MATCHING_WL_REVOKED;
	ex = explain(&p, &d);
	assert_detail_zh(&ex, MATCH_CRIT_WHITELIST, "需要已入选的白名单资格，当前：已撤销");
	d.enterprise.whitelist = MATCHING_WL_REJECTED;
	ex = explain(&p, &d);
	assert_detail_zh(&ex, MATCH_CRIT_WHITELIST, "需要已入选的白名单资格，当前：未通过");
}

static void chinese_amounts_group_thousands(void **state)
{
	(void)state;
	char buf[48];

	assert_string_equal(matching_format_yuan(0, buf, sizeof buf), "0.00");
	assert_string_equal(matching_format_yuan(99999, buf, sizeof buf), "999.99");
	assert_string_equal(matching_format_yuan(100000, buf, sizeof buf), "1,000.00");
	assert_string_equal(matching_format_yuan(-12345678, buf, sizeof buf), "-123,456.78");
	assert_string_equal(matching_format_yuan(MATCHING_AMOUNT_MAX_FEN, buf, sizeof buf),
			    "10,000,000,000,000.00");
	assert_string_equal(
		matching_format_day_zh(matching_days_from_civil(2025, 3, 1), buf, sizeof buf),
		"2025年3月1日");
}

/* A full buffer keeps the longest prefix that ends on a whole character:
 * at every size the text is valid UTF-8, a prefix of the whole, and at
 * most 3 bytes (one Chinese character) short of the room. */
static void full_hint_buffers_cut_at_a_character_boundary(void **state)
{
	(void)state;
	matching_hint h = {.lever = MATCHING_LEVER_TAGS, .needed = MATCHING_TAG_ALL};
	char whole[MATCHING_DETAIL_ZH_MAX], part[MATCHING_DETAIL_ZH_MAX];
	size_t n;

	matching_hint_format(&h, MATCHING_LANG_ZH, whole, sizeof whole);
	assert_string_equal(
		whole,
		"需要资质：高新技术企业、专精特新、科技型中小企业、新型农业经营主体、诚信示范企业");
	n = strlen(whole);
	for (size_t size = 1; size <= n + 1; size++) {
		matching_hint_format(&h, MATCHING_LANG_ZH, part, size);
		assert_true(utf8_valid(part));
		assert_true(strlen(part) < size);
		assert_memory_equal(part, whole, strlen(part));
		assert_true(strlen(part) + 3 >= size - 1);
	}
	assert_string_equal(part, whole);
	matching_hint_format(&h, MATCHING_LANG_ZH, part,
			     5); /* "需" is 3 bytes, "要" would end at 6 */
	assert_string_equal(part, "需");
	matching_hint_format(&h, MATCHING_LANG_ZH, part, 3);
	assert_string_equal(part, "");
}

static void long_chinese_park_lists_are_cut_whole(void **state)
{
	(void)state;
	static const char *const long_name =
		"化工新材料诚信示范区化工新材料诚信示范区化工新材料诚信示范区化工新材料诚信示范区";
	const char *names[MATCHING_LIST_MAX];
	uint16_t ids[MATCHING_LIST_MAX];
	matching_place_names pn = {.park_ids = ids,
				   .park_names_zh = (const char *const *)names,
				   .nparks = MATCHING_LIST_MAX};
	matching_product p = test_product(10);
	matching_demand d = test_demand(test_enterprise(1)); /* park 1 */
	matching_catalog *c = NULL;
	matching_explanation ex;
	const char *detail;

	p.nparks = MATCHING_LIST_MAX;
	for (unsigned i = 0; i < MATCHING_LIST_MAX; i++) {
		ids[i] = (uint16_t)(100 + i);
		names[i] = long_name;
		p.park_ids[i] = (uint16_t)(100 + i);
	}
	assert_int_equal(matching_catalog_new(&p, 1, NULL, 0, NULL, &pn, &c, NULL), MATCHING_OK);
	assert_int_equal(matching_explain(c, 10, &d, test_today(), &ex, NULL), MATCHING_OK);
	detail = ex.reasons[MATCH_CRIT_PARK].detail_zh;
	assert_true(utf8_valid(detail));
	assert_true(strlen(detail) < MATCHING_DETAIL_ZH_MAX);
	assert_true(strlen(detail) + 3 >= MATCHING_DETAIL_ZH_MAX - 1);
	/* the catalogue's copy of the name was cut whole too: 96 bytes, 32 characters */
	assert_int_equal(strlen(matching_catalog_park_name(c, 100)), 96);
	assert_memory_equal(matching_catalog_park_name(c, 100), long_name, 96);
	assert_true(strncmp(detail, "1 号园区不在要求的园区之列：化工新材料",
			    strlen("1 号园区不在要求的园区之列：化工新材料")) == 0);
	assert_null(matching_catalog_park_name(c, 1));
	matching_catalog_free(c);
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

	assert_int_equal(matching_catalog_new(ps, 2, NULL, 0, NULL, NULL, &c, &err),
			 MATCHING_DUPLICATE);
	assert_null(c);
	ps[1].id = 11;
	ps[1].program_id = 99;
	assert_int_equal(matching_catalog_new(ps, 2, NULL, 0, NULL, NULL, &c, &err),
			 MATCHING_NOT_FOUND);
	assert_non_null(strstr(err.message, "product 11"));
	ps[1].program_id = 0;
	ps[1].rate_min_bps = 700; /* above rate_max_bps */
	assert_int_equal(matching_catalog_new(ps, 2, NULL, 0, NULL, NULL, &c, &err),
			 MATCHING_INVALID);
	ps[1].rate_min_bps = 385;
	ps[1].nindustries = 1;
	ps[1].industries[0] = 0x03b00000; /* C and a nibble that is no digit */
	assert_int_equal(matching_catalog_new(ps, 2, NULL, 0, NULL, NULL, &c, &err),
			 MATCHING_INVALID);
	ps[1].industries[0] = matching_industry_pack("C");
	assert_int_equal(matching_catalog_new(ps, 2, NULL, 0, NULL, NULL, &c, &err), MATCHING_OK);
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
		assert_string_equal(matching_industry_unpack(matching_industry_pack(good[i]), buf),
				    good[i]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(matching_industry_pack(bad[i]), 0);
	assert_int_equal(matching_industry_pack(NULL), 0);
	assert_string_equal(matching_industry_unpack(0, buf), "");
	assert_true(matching_industry_has_prefix(matching_industry_pack("C2664"),
						 matching_industry_pack("C26")));
	assert_false(matching_industry_has_prefix(matching_industry_pack("C2"),
						  matching_industry_pack("C26")));
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
	assert_string_equal(matching_collateral_name(MATCHING_COLLATERAL_RECEIVABLES),
			    "receivables");
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
		cmocka_unit_test(
			no_minimum_score_lets_an_unscored_enterprise_pass_but_zero_does_not),
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
		cmocka_unit_test(chinese_status_uses_the_pages_words_for_every_state),
		cmocka_unit_test(chinese_collateral_and_whitelist_words_follow_the_labels),
		cmocka_unit_test(chinese_amounts_group_thousands),
		cmocka_unit_test(full_hint_buffers_cut_at_a_character_boundary),
		cmocka_unit_test(long_chinese_park_lists_are_cut_whole),
		cmocka_unit_test(out_of_range_demand_is_refused_with_its_field),
		cmocka_unit_test(catalogue_refuses_bad_products_duplicates_and_unknown_programmes),
		cmocka_unit_test(industry_codes_pack_and_unpack_and_reject_junk),
		cmocka_unit_test(civil_dates_round_trip_across_centuries),
		cmocka_unit_test(names_of_codes_match_the_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
