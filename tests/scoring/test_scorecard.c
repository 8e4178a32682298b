/*
 * Unit tests for scoring/scorecard: every factor of api.md's scorecard v1 and
 * its cap, every lenient rule, newest-record-wins, clamping, each grade
 * boundary hit exactly, the dishonest-debtor cap, order independence, custom
 * weights, details that never overflow, and the civil-date conversions.
 * Every detail is checked in English and in Chinese (detail_zh), and every
 * result scored through score_with has valid UTF-8 in both.
 * Today is 2024-06-15 and the enterprise was founded today (0 years) unless a
 * test says otherwise, so an empty file scores 400 + 60 (no tax rating) = 460.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scoring/scorecard.h"

#define TODAY "2024-06-15"
#define RECORDS_MAX 128

/* ------------------------------------------------------------ helpers */

typedef struct {
	scoring_record r[RECORDS_MAX];
	size_t n;
} record_set;

static int32_t day(const char *ymd)
{
	int y, m, d;

	assert_int_equal(sscanf(ymd, "%d-%d-%d", &y, &m, &d), 3);
	return scoring_days_from_civil(y, m, d);
}

/* A counting record from dept "dept-<category>" with source id "src-<id>". */
static void set_record(scoring_record *r, int64_t id, scoring_category c, const char *observed)
{
	memset(r, 0, sizeof *r);
	r->id = id;
	r->category = c;
	r->observed_on = day(observed);
	snprintf(r->source_dept, sizeof r->source_dept, "dept-%d", (int)c);
	snprintf(r->source_record_id, sizeof r->source_record_id, "src-%lld", (long long)id);
}

static scoring_record *add(record_set *s, int64_t id, scoring_category c, const char *observed)
{
	assert_true(s->n < RECORDS_MAX);
	set_record(&s->r[s->n], id, c, observed);
	return &s->r[s->n++];
}

static scoring_record *add_kind(record_set *s, int64_t id, scoring_category c, int kind)
{
	scoring_record *r = add(s, id, c, "2024-01-10");

	r->kind = kind;
	return r;
}

static scoring_record *add_count(record_set *s, int64_t id, scoring_category c, int64_t count)
{
	scoring_record *r = add(s, id, c, "2024-01-10");

	r->count = count;
	return r;
}

static scoring_record *add_rnd(record_set *s, int64_t id, int64_t amount_fen)
{
	scoring_record *r = add(s, id, SCORING_RND_EXPENSE, "2024-03-31");

	r->year = 2023;
	r->amount_fen = amount_fen;
	return r;
}

/* A repair of target, from target's own department. */
static scoring_record *add_repair(record_set *s, int64_t id, const scoring_record *target)
{
	char dept[SCORING_ID_MAX + 1], source_id[SCORING_ID_MAX + 1];
	scoring_record *r;

	memcpy(dept, target->source_dept, sizeof dept); /* target may move */
	memcpy(source_id, target->source_record_id, sizeof source_id);
	r = add(s, id, SCORING_REPAIR, "2024-05-01");
	memcpy(r->source_dept, dept, sizeof dept);
	memcpy(r->repairs_source_record_id, source_id, sizeof source_id);
	return r;
}

static scoring_result result;

/* True when s is well-formed UTF-8: no stray continuation, no overlong
 * form, no surrogate, nothing past U+10FFFF, no sequence cut short. */
static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned c = *p++, more, min, i;

		if (c < 0x80)
			continue;
		if (c >= 0xC2 && c <= 0xDF) {
			more = 1;
			min = 0x80;
			c &= 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			more = 2;
			min = 0x800;
			c &= 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			more = 3;
			min = 0x10000;
			c &= 0x07;
		} else {
			return false;
		}
		for (i = 0; i < more; i++, p++) {
			if ((*p & 0xC0) != 0x80)
				return false;
			c = c << 6 | (*p & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
	}
	return true;
}

static void assert_details_valid(const scoring_result *res)
{
	int f;

	for (f = 0; f < SCORING_FACTOR_COUNT; f++) {
		const scoring_factor *x = &res->factors[f];

		if (!utf8_valid(x->detail) || !utf8_valid(x->detail_zh))
			fail_msg("%s: a detail is not valid UTF-8", x->factor);
		assert_true(strlen(x->detail) < SCORING_DETAIL_MAX);
		assert_true(strlen(x->detail_zh) < SCORING_DETAIL_ZH_MAX);
	}
}

static const scoring_result *score_with(const record_set *s, const scoring_weights *w,
					const char *founded, const char *today)
{
	scoring_compute(w, s->r, s->n, day(founded), day(today), &result);
	assert_details_valid(&result);
	return &result;
}

static const scoring_result *score(const record_set *s)
{
	scoring_weights w;

	scoring_weights_v1(&w);
	return score_with(s, &w, TODAY, TODAY);
}

static const scoring_factor *factor(const scoring_result *res, const char *name)
{
	int f;

	for (f = 0; f < SCORING_FACTOR_COUNT; f++)
		if (strcmp(res->factors[f].factor, name) == 0)
			return &res->factors[f];
	fail_msg("no factor %s", name);
	return NULL;
}

static int points(const record_set *s, const char *name)
{
	return factor(score(s), name)->points;
}

static void assert_detail_has(const scoring_result *res, const char *name, const char *text)
{
	const char *detail = factor(res, name)->detail;

	if (!strstr(detail, text))
		fail_msg("%s detail \"%s\" lacks \"%s\"", name, detail, text);
}

static void assert_zh_has(const scoring_result *res, const char *name, const char *text)
{
	const char *detail = factor(res, name)->detail_zh;

	if (!strstr(detail, text))
		fail_msg("%s detail_zh \"%s\" lacks \"%s\"", name, detail, text);
}

static void assert_zh(const scoring_result *res, const char *name, const char *text)
{
	assert_string_equal(factor(res, name)->detail_zh, text);
}

static void assert_score(const scoring_result *res, int expect, char grade)
{
	assert_int_equal(res->score, expect);
	assert_int_equal(res->grade, grade);
}

/* ------------------------------------------------------------ shape */

static void test_empty_file_scores_base_plus_no_tax_rating_460_grade_d(void **state)
{
	record_set s = {.n = 0};
	const scoring_result *res = score(&s);

	(void)state;
	assert_score(res, 460, 'D');
	assert_false(res->dishonest_debtor);
	assert_int_equal(res->broken_commitments, 0);
	assert_string_equal(factor(res, "tax_rating")->detail, "none on record: +60");
	assert_int_equal(factor(res, "tax_rating")->nevidence, 0);
	assert_string_equal(factor(res, "dishonest_debtor")->detail,
			    "no unrepaired dishonest-debtor record");
	assert_zh(res, "tax_rating", "暂无记录：+60");
	assert_zh(res, "dishonest_debtor", "无未修复的失信被执行人记录");
	assert_zh(res, "penalties", "近 3 年内无记录：0");
	assert_zh(res, "awards", "暂无记录：0");
}

static void test_factors_follow_api_order_with_v1_max_points(void **state)
{
	static const char *const names[SCORING_FACTOR_COUNT] = {
		"tax_rating",  "social_security", "housing_fund",    "utility_arrears",	  "patents",
		"trademarks",  "rnd_expense",	  "env_rating",	     "years_in_business", "awards",
		"commitments", "penalties",	  "dishonest_debtor"};
	static const int max[SCORING_FACTOR_COUNT] = {200, 120, 60, 0,	100, 30, 60,
						      40,  50,	40, 20, 0,   0};
	record_set s = {.n = 0};
	const scoring_result *res = score(&s);
	int f;

	(void)state;
	for (f = 0; f < SCORING_FACTOR_COUNT; f++) {
		assert_string_equal(res->factors[f].factor, names[f]);
		assert_int_equal(res->factors[f].max_points, max[f]);
	}
}

static void test_category_names_parse_back_and_unknown_is_minus_one(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < SCORING_CATEGORY_COUNT; c++)
		assert_int_equal(scoring_category_parse(scoring_category_name(c)), c);
	assert_string_equal(scoring_category_name(SCORING_ADMIN_PENALTY), "admin_penalty");
	assert_int_equal(scoring_category_parse("patents"), -1);
	assert_int_equal(scoring_category_parse(""), -1);
	assert_int_equal(scoring_category_parse(NULL), -1);
	assert_int_equal(scoring_kind_count(SCORING_TAX_RATING), SCORING_TAX_D + 1);
	assert_int_equal(scoring_kind_count(SCORING_PATENT), SCORING_PATENT_DESIGN + 1);
	assert_int_equal(scoring_kind_count(SCORING_ENV_RATING), SCORING_ENV_BLACK + 1);
	assert_int_equal(scoring_kind_count(SCORING_ADMIN_PENALTY), SCORING_PENALTY_SERIOUS + 1);
	assert_int_equal(scoring_kind_count(SCORING_AWARD), 1);
}

/* ------------------------------------------------------------ factors */

static void test_tax_rating_each_grade_scores_its_points(void **state)
{
	static const int expect[] = {200, 150, 100, 20, -100};
	int kind;

	(void)state;
	for (kind = SCORING_TAX_A; kind <= SCORING_TAX_D; kind++) {
		record_set s = {.n = 0};

		add_kind(&s, 12, SCORING_TAX_RATING, kind)->year = 2023;
		assert_int_equal(points(&s, "tax_rating"), expect[kind]);
		assert_int_equal(result.score, 400 + expect[kind]);
		assert_int_equal(factor(&result, "tax_rating")->nevidence, 1);
		assert_int_equal(factor(&result, "tax_rating")->evidence[0], 12);
	}
}

static void test_tax_rating_detail_names_grade_year_record_and_points(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_kind(&s, 12, SCORING_TAX_RATING, SCORING_TAX_B)->year = 2023;
	assert_string_equal(factor(score(&s), "tax_rating")->detail,
			    "tax rating B for 2023 (record 12): +150");
	assert_zh(&result, "tax_rating", "2023 年度纳税信用 B 级（记录 12）：+150");
	s.r[0].year = 0; /* unknown year: none said */
	score(&s);
	assert_string_equal(factor(&result, "tax_rating")->detail,
			    "tax rating B (record 12): +150");
	assert_zh(&result, "tax_rating", "纳税信用 B 级（记录 12）：+150");
}

static void test_social_security_10_a_month_capped_at_120(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_count(&s, 1, SCORING_SOCIAL_SECURITY, 7);
	assert_int_equal(points(&s, "social_security"), 70);
	assert_string_equal(factor(&result, "social_security")->detail,
			    "7 of the last 12 months paid (record 1): +70");
	assert_zh(&result, "social_security", "近 12 个月缴纳 7 个月（记录 1）：+70");
	s.r[0].count = 12;
	assert_int_equal(points(&s, "social_security"), 120);
	s.r[0].count = 13; /* more than the 12 it can be */
	assert_int_equal(points(&s, "social_security"), 120);
	s.r[0].count = 0;
	assert_int_equal(points(&s, "social_security"), 0);
}

static void test_social_security_detail_says_capped_when_weights_exceed_cap(void **state)
{
	record_set s = {.n = 0};
	scoring_weights w;

	(void)state;
	scoring_weights_v1(&w);
	w.social_security_per_month = 15;
	add_count(&s, 1, SCORING_SOCIAL_SECURITY, 12);
	assert_int_equal(factor(score_with(&s, &w, TODAY, TODAY), "social_security")->points, 120);
	assert_detail_has(&result, "social_security", "+180, capped at 120");
	assert_zh(&result, "social_security", "近 12 个月缴纳 12 个月（记录 1）：+180，上限 120");
}

static void test_housing_fund_5_a_month_capped_at_60(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_count(&s, 1, SCORING_HOUSING_FUND, 5);
	assert_int_equal(points(&s, "housing_fund"), 25);
	s.r[0].count = 12;
	assert_int_equal(points(&s, "housing_fund"), 60);
	s.r[0].count = 20;
	assert_int_equal(points(&s, "housing_fund"), 60);
}

static void test_utility_arrears_minus_30_a_month_at_least_minus_90(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_count(&s, 1, SCORING_UTILITY_ARREARS, 2)->amount_fen = 150000;
	assert_int_equal(points(&s, "utility_arrears"), -60);
	assert_string_equal(factor(&result, "utility_arrears")->detail,
			    "2 months overdue, 1,500.00 yuan (record 1): -60");
	assert_zh(&result, "utility_arrears", "欠费 2 个月，1,500.00 元（记录 1）：-60");
	s.r[0].count = 3;
	assert_int_equal(points(&s, "utility_arrears"), -90);
	s.r[0].count = 7;
	assert_int_equal(points(&s, "utility_arrears"), -90);
	assert_detail_has(&result, "utility_arrears", "-210, floored at -90");
	assert_zh_has(&result, "utility_arrears",
		      "欠费 7 个月，1,500.00 元（记录 1）：-210，下限 -90");
}

static void test_patents_score_kind_times_count_for_each_record(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_kind(&s, 5, SCORING_PATENT, SCORING_PATENT_INVENTION)->count = 3;
	assert_int_equal(points(&s, "patents"), 60);
	assert_string_equal(factor(&result, "patents")->detail,
			    "3 invention patents (record 5): +60");
	assert_zh(&result, "patents", "3 项发明专利（记录 5）：+60");
	add_kind(&s, 6, SCORING_PATENT, SCORING_PATENT_UTILITY)->count = 2;
	add_kind(&s, 7, SCORING_PATENT, SCORING_PATENT_DESIGN)->count = 1;
	assert_int_equal(points(&s, "patents"), 60 + 16 + 8);
	assert_detail_has(&result, "patents", "1 design patent (record 7): +8");
	assert_detail_has(&result, "patents", "total +84");
	assert_zh(&result, "patents",
		  "3 项发明专利（记录 5）：+60；2 项实用新型专利（记录 6）：+16；"
		  "1 项外观设计专利（记录 7）：+8；合计 +84");
	assert_int_equal(factor(&result, "patents")->nevidence, 3);
}

static void test_patents_capped_at_100(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_kind(&s, 5, SCORING_PATENT, SCORING_PATENT_INVENTION)->count = 5;
	assert_int_equal(points(&s, "patents"), 100);
	add_kind(&s, 6, SCORING_PATENT, SCORING_PATENT_UTILITY)->count = 1;
	assert_int_equal(points(&s, "patents"), 100);
	assert_detail_has(&result, "patents", "total +108, capped at 100");
	assert_zh_has(&result, "patents", "；合计 +108，上限 100");
}

static void test_trademarks_5_each_capped_at_30(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_count(&s, 1, SCORING_TRADEMARK, 4);
	assert_int_equal(points(&s, "trademarks"), 20);
	add_count(&s, 2, SCORING_TRADEMARK, 2);
	assert_int_equal(points(&s, "trademarks"), 30);
	add_count(&s, 3, SCORING_TRADEMARK, 1);
	assert_int_equal(points(&s, "trademarks"), 30);
	assert_detail_has(&result, "trademarks", "capped at 30");
	assert_zh(&result, "trademarks",
		  "4 件商标（记录 1）：+20；2 件商标（记录 2）：+10；"
		  "1 件商标（记录 3）：+5；合计 +35，上限 30");
}

static void test_rnd_expense_1_per_100k_yuan_floored_and_capped_at_60(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_rnd(&s, 9, 19999999); /* 199,999.99 yuan */
	assert_int_equal(points(&s, "rnd_expense"), 1);
	assert_string_equal(factor(&result, "rnd_expense")->detail,
			    "R&D expense for 2023 of 199,999.99 yuan (record 9): +1");
	assert_zh(&result, "rnd_expense", "2023 年度研发投入 199,999.99 元（记录 9）：+1");
	s.r[0].amount_fen = 9999999;
	assert_int_equal(points(&s, "rnd_expense"), 0);
	s.r[0].amount_fen = 600000000;
	assert_int_equal(points(&s, "rnd_expense"), 60);
	s.r[0].amount_fen = 700000000;
	assert_int_equal(points(&s, "rnd_expense"), 60);
	assert_detail_has(&result, "rnd_expense", "+70, capped at 60");
	assert_zh(&result, "rnd_expense",
		  "2023 年度研发投入 7,000,000.00 元（记录 9）：+70，上限 60");
	s.r[0].amount_fen = 184000000;
	s.r[0].year = 0;
	score(&s);
	assert_zh(&result, "rnd_expense", "研发投入 1,840,000.00 元（记录 9）：+18");
	s.r[0].amount_fen = 5;
	score(&s);
	assert_zh(&result, "rnd_expense", "研发投入 0.05 元（记录 9）：0");
}

static void test_rnd_expense_newest_year_wins_over_a_later_upload_of_an_older_year(void **state)
{
	record_set s = {.n = 0};
	scoring_record *old;

	(void)state;
	add_rnd(&s, 1, 30000000)->year = 2024; /* 300,000 yuan for 2024 */
	old = add_rnd(&s, 2, 50000000);	       /* 500,000 yuan for 2023 ... */
	old->year = 2023;
	old->observed_on = scoring_days_from_civil(2025, 6, 1); /* ... uploaded later */
	assert_int_equal(points(&s, "rnd_expense"), 3);
}

static void test_env_rating_each_grade_scores_its_points(void **state)
{
	static const int expect[] = {40, 20, 0, -80, -200};
	int kind;

	(void)state;
	for (kind = SCORING_ENV_GREEN; kind <= SCORING_ENV_BLACK; kind++) {
		record_set s = {.n = 0};

		add_kind(&s, 3, SCORING_ENV_RATING, kind);
		assert_int_equal(points(&s, "env_rating"), expect[kind]);
	}
	{
		record_set s = {.n = 0};

		add_kind(&s, 3, SCORING_ENV_RATING, SCORING_ENV_RED);
		assert_string_equal(factor(score(&s), "env_rating")->detail,
				    "environmental rating red (record 3): -80");
		assert_zh(&result, "env_rating", "环境信用评价为红色（记录 3）：-80");
	}
}

static void test_years_in_business_10_a_full_year_capped_at_50(void **state)
{
	record_set s = {.n = 0};
	scoring_weights w;

	(void)state;
	scoring_weights_v1(&w);
	assert_int_equal(
		factor(score_with(&s, &w, "2021-06-15", TODAY), "years_in_business")->points, 30);
	assert_string_equal(factor(&result, "years_in_business")->detail,
			    "founded 2021-06-15, 3 full years: +30");
	assert_zh(&result, "years_in_business", "成立于 2021年6月15日，满 3 年：+30");
	assert_int_equal(
		factor(score_with(&s, &w, "2021-06-16", TODAY), "years_in_business")->points, 20);
	assert_int_equal(
		factor(score_with(&s, &w, "2019-06-15", TODAY), "years_in_business")->points, 50);
	assert_int_equal(
		factor(score_with(&s, &w, "1990-01-01", TODAY), "years_in_business")->points, 50);
	assert_detail_has(&result, "years_in_business", "34 full years: +340, capped at 50");
	assert_zh(&result, "years_in_business", "成立于 1990年1月1日，满 34 年：+340，上限 50");
}

static void test_years_in_business_counts_full_calendar_years_only(void **state)
{
	record_set s = {.n = 0};
	scoring_weights w;

	(void)state;
	scoring_weights_v1(&w);
	assert_int_equal(
		factor(score_with(&s, &w, "2020-03-01", "2023-02-28"), "years_in_business")->points,
		20);
	assert_int_equal(
		factor(score_with(&s, &w, "2020-03-01", "2023-03-01"), "years_in_business")->points,
		30);
	assert_int_equal(factor(score_with(&s, &w, TODAY, TODAY), "years_in_business")->points, 0);
	assert_int_equal(
		factor(score_with(&s, &w, "2025-01-01", TODAY), "years_in_business")->points, 0);
	assert_int_equal(
		factor(score_with(&s, &w, "2023-06-16", TODAY), "years_in_business")->points, 0);
}

static void test_years_in_business_founded_on_feb_29_turns_on_feb_28(void **state)
{
	record_set s = {.n = 0};
	scoring_weights w;

	(void)state;
	scoring_weights_v1(&w);
	assert_int_equal(
		factor(score_with(&s, &w, "2020-02-29", "2021-02-27"), "years_in_business")->points,
		0);
	assert_int_equal(
		factor(score_with(&s, &w, "2020-02-29", "2021-02-28"), "years_in_business")->points,
		10);
	assert_int_equal(
		factor(score_with(&s, &w, "2020-02-29", "2024-02-28"), "years_in_business")->points,
		30);
	assert_int_equal(
		factor(score_with(&s, &w, "2020-02-29", "2024-02-29"), "years_in_business")->points,
		40);
}

static void test_awards_20_each_capped_at_40(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add(&s, 1, SCORING_AWARD, "2023-01-01");
	assert_int_equal(points(&s, "awards"), 20);
	assert_string_equal(factor(&result, "awards")->detail, "award (record 1): +20");
	add(&s, 2, SCORING_AWARD, "2023-02-01");
	assert_int_equal(points(&s, "awards"), 40);
	add(&s, 3, SCORING_AWARD, "2023-03-01");
	assert_int_equal(points(&s, "awards"), 40);
	assert_detail_has(&result, "awards", "total +60, capped at 40");
	assert_zh(&result, "awards",
		  "荣誉（记录 1）：+20；荣誉（记录 2）：+20；荣誉（记录 3）：+20；"
		  "合计 +60，上限 40");
	assert_int_equal(factor(&result, "awards")->nevidence, 3);
}

static void test_commitments_kept_5_each_capped_at_20(void **state)
{
	record_set s = {.n = 0};
	int64_t id;

	(void)state;
	for (id = 1; id <= 3; id++)
		add(&s, id, SCORING_COMMITMENT, "2023-01-01");
	assert_int_equal(points(&s, "commitments"), 15);
	for (id = 4; id <= 5; id++)
		add(&s, id, SCORING_COMMITMENT, "2023-01-01");
	assert_int_equal(points(&s, "commitments"), 20);
	assert_detail_has(&result, "commitments", "kept +25, capped at 20");
	assert_zh_has(&result, "commitments", "信用承诺已履行（记录 1）：+5；");
	assert_zh_has(&result, "commitments", "；另有 1 条；已履行 +25，上限 20；合计 +20");
}

static void test_commitment_breaches_minus_60_each_without_floor(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add(&s, 1, SCORING_COMMITMENT, "2023-01-01");
	add(&s, 2, SCORING_COMMITMENT_BREACH, "2023-02-01");
	add(&s, 3, SCORING_COMMITMENT_BREACH, "2023-03-01");
	add(&s, 4, SCORING_COMMITMENT_BREACH, "2023-04-01");
	assert_int_equal(points(&s, "commitments"), 5 - 180);
	assert_int_equal(result.broken_commitments, 3);
	assert_detail_has(&result, "commitments", "commitment broken (record 2): -60");
	assert_detail_has(&result, "commitments", "total -175");
	assert_zh(&result, "commitments",
		  "违背承诺（记录 2）：-60；违背承诺（记录 3）：-60；"
		  "违背承诺（记录 4）：-60；信用承诺已履行（记录 1）：+5；合计 -175");
}

static void test_broken_commitments_counts_only_counting_breaches(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add(&s, 1, SCORING_COMMITMENT_BREACH, "2023-01-01");
	add(&s, 2, SCORING_COMMITMENT_BREACH, "2023-01-01")->force_majeure = true;
	add(&s, 3, SCORING_COMMITMENT_BREACH, "2023-01-01");
	add_repair(&s, 4, &s.r[2]);
	assert_int_equal(score(&s)->broken_commitments, 1);
	assert_int_equal(factor(&result, "commitments")->points, -60);
}

static void test_penalties_each_by_severity(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_kind(&s, 1, SCORING_ADMIN_PENALTY, SCORING_PENALTY_MINOR);
	assert_int_equal(points(&s, "penalties"), 0);
	add_kind(&s, 2, SCORING_ADMIN_PENALTY, SCORING_PENALTY_GENERAL);
	assert_int_equal(points(&s, "penalties"), -50);
	add_kind(&s, 3, SCORING_ADMIN_PENALTY, SCORING_PENALTY_SERIOUS);
	add_kind(&s, 4, SCORING_ADMIN_PENALTY, SCORING_PENALTY_SERIOUS);
	assert_int_equal(points(&s, "penalties"), -350);
	assert_detail_has(&result, "penalties", "minor penalty (record 1): 0");
	assert_detail_has(&result, "penalties", "serious penalty (record 3): -150");
	assert_zh(&result, "penalties",
		  "轻微行政处罚（记录 1）：0；一般行政处罚（记录 2）：-50；"
		  "严重行政处罚（记录 3）：-150；严重行政处罚（记录 4）：-150；合计 -350");
	assert_int_equal(factor(&result, "penalties")->nevidence, 4);
}

/* ------------------------------------------------------------ lenient rules */

static void test_repaired_record_counts_zero_and_says_so(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_kind(&s, 17, SCORING_ADMIN_PENALTY, SCORING_PENALTY_SERIOUS);
	add_repair(&s, 30, &s.r[0]);
	assert_int_equal(points(&s, "penalties"), 0);
	assert_string_equal(factor(&result, "penalties")->detail,
			    "none in the window: 0; record 17 repaired");
	assert_zh(&result, "penalties", "近 3 年内无记录：0；记录 17 已修复");
	assert_int_equal(factor(&result, "penalties")->nevidence, 0);
}

static void test_repair_needs_same_department_and_source_id(void **state)
{
	record_set s = {.n = 0};
	scoring_record *repair;

	(void)state;
	add_kind(&s, 17, SCORING_ADMIN_PENALTY, SCORING_PENALTY_GENERAL);
	repair = add_repair(&s, 30, &s.r[0]);
	strcpy(repair->source_dept, "another-dept");
	assert_int_equal(points(&s, "penalties"), -50);
	strcpy(repair->source_dept, s.r[0].source_dept);
	strcpy(repair->repairs_source_record_id, "src-18");
	assert_int_equal(points(&s, "penalties"), -50);
	strcpy(repair->repairs_source_record_id, "src-17");
	assert_int_equal(points(&s, "penalties"), 0);
}

static void test_repair_repairs_even_when_itself_expired(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_kind(&s, 17, SCORING_ADMIN_PENALTY, SCORING_PENALTY_GENERAL);
	add_repair(&s, 30, &s.r[0])->expires_on = day("2024-01-01");
	assert_int_equal(points(&s, "penalties"), 0);
}

static void test_expired_yesterday_counts_zero_but_expiring_today_counts(void **state)
{
	record_set s = {.n = 0};
	scoring_record *r;

	(void)state;
	r = add_kind(&s, 18, SCORING_ADMIN_PENALTY, SCORING_PENALTY_GENERAL);
	r->expires_on = day("2024-06-14");
	assert_int_equal(points(&s, "penalties"), 0);
	assert_detail_has(&result, "penalties", "record 18 expired 2024-06-14");
	assert_zh(&result, "penalties", "近 3 年内无记录：0；记录 18 已于 2024年6月14日过期");
	r->expires_on = day(TODAY);
	assert_int_equal(points(&s, "penalties"), -50);
	r->expires_on = 0; /* never lapses */
	assert_int_equal(points(&s, "penalties"), -50);
}

static void test_minor_party_record_counts_zero(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_kind(&s, 19, SCORING_ENV_RATING, SCORING_ENV_BLACK)->minor_party = true;
	assert_int_equal(points(&s, "env_rating"), 0);
	assert_string_equal(factor(&result, "env_rating")->detail,
			    "none on record: 0; record 19: minor party");
	assert_zh(&result, "env_rating", "暂无记录：0；记录 19：当事人为未成年人，不计");
}

static void test_force_majeure_record_counts_zero(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_count(&s, 20, SCORING_UTILITY_ARREARS, 3)->force_majeure = true;
	assert_int_equal(points(&s, "utility_arrears"), 0);
	assert_detail_has(&result, "utility_arrears", "record 20: force majeure");
	assert_zh(&result, "utility_arrears", "暂无记录：0；记录 20：不可抗力，不计");
}

static void test_penalty_older_than_3_years_counts_zero_exactly_3_counts(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add(&s, 21, SCORING_ADMIN_PENALTY, "2021-06-14")->kind = SCORING_PENALTY_SERIOUS;
	assert_int_equal(points(&s, "penalties"), 0);
	assert_detail_has(&result, "penalties", "record 21 older than 3 years");
	assert_zh(&result, "penalties", "近 3 年内无记录：0；记录 21 超过 3 年，不计");
	s.r[0].observed_on = day("2021-06-15");
	assert_int_equal(points(&s, "penalties"), -150);
}

/* Every reason in one list, in id order, four named and the rest counted. */
static void test_skipped_records_name_each_reason_in_both_languages(void **state)
{
	record_set s = {.n = 0};
	scoring_weights w;

	(void)state;
	scoring_weights_v1(&w);
	w.penalty_window_years = 1;
	add_kind(&s, 5, SCORING_ADMIN_PENALTY, SCORING_PENALTY_GENERAL)->minor_party = true;
	add_kind(&s, 6, SCORING_ADMIN_PENALTY, SCORING_PENALTY_GENERAL)->force_majeure = true;
	add(&s, 7, SCORING_ADMIN_PENALTY, "2023-06-14")->kind = SCORING_PENALTY_SERIOUS;
	add_kind(&s, 8, SCORING_ADMIN_PENALTY, SCORING_PENALTY_SERIOUS)->expires_on = day(
		"2024-03-01");
	add_kind(&s, 9, SCORING_ADMIN_PENALTY, SCORING_PENALTY_MINOR);
	add_repair(&s, 10, &s.r[4]);
	add_kind(&s, 11, SCORING_ADMIN_PENALTY, SCORING_PENALTY_MINOR)->minor_party = true;
	score_with(&s, &w, TODAY, TODAY);
	assert_int_equal(factor(&result, "penalties")->points, 0);
	assert_string_equal(
		factor(&result, "penalties")->detail,
		"none in the window: 0; record 5: minor party; record 6: force majeure; "
		"record 7 older than 1 year; record 8 expired 2024-03-01; "
		"2 more records not counted");
	assert_zh(&result, "penalties",
		  "近 1 年内无记录：0；记录 5：当事人为未成年人，不计；"
		  "记录 6：不可抗力，不计；记录 7 超过 1 年，不计；记录 8 已于 2024年3月1日过期；"
		  "另有 2 条记录不计");
}

static void test_window_ignores_age_of_other_categories(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add(&s, 1, SCORING_AWARD, "2001-01-01");
	assert_int_equal(points(&s, "awards"), 20);
}

/* ------------------------------------------------------------ newest wins */

static void test_newest_record_by_observed_on_decides(void **state)
{
	record_set s = {.n = 0};
	scoring_record *r;

	(void)state;
	r = add(&s, 40, SCORING_TAX_RATING, "2024-04-01");
	r->kind = SCORING_TAX_C;
	r->year = 2023;
	r = add(&s, 41, SCORING_TAX_RATING, "2023-04-01");
	r->kind = SCORING_TAX_A;
	r->year = 2022;
	assert_int_equal(points(&s, "tax_rating"), 20);
	assert_string_equal(factor(&result, "tax_rating")->detail,
			    "tax rating C for 2023 (record 40): +20; 1 older record not used");
	assert_zh(&result, "tax_rating",
		  "2023 年度纳税信用 C 级（记录 40）：+20；另有 1 条较早记录未采用");
	assert_int_equal(factor(&result, "tax_rating")->evidence[0], 40);
}

static void test_newest_tie_on_observed_on_goes_to_larger_id(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add(&s, 8, SCORING_SOCIAL_SECURITY, "2024-05-01")->count = 12;
	add(&s, 7, SCORING_SOCIAL_SECURITY, "2024-05-01")->count = 3;
	assert_int_equal(points(&s, "social_security"), 120);
	s.r[0].id = 6;
	assert_int_equal(points(&s, "social_security"), 30);
}

static void test_newest_not_counting_leaves_older_to_decide(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add(&s, 1, SCORING_ENV_RATING, "2022-01-01")->kind = SCORING_ENV_BLUE;
	add(&s, 2, SCORING_ENV_RATING, "2024-01-01")->kind = SCORING_ENV_BLACK;
	add_repair(&s, 3, &s.r[1]);
	assert_int_equal(points(&s, "env_rating"), 20);
	assert_detail_has(&result, "env_rating", "(record 1): +20; record 2 repaired");
	assert_zh(&result, "env_rating", "环境信用评价为蓝色（记录 1）：+20；记录 2 已修复");
}

/* ------------------------------------------------------------ score */

/* 400 + A 200 + 120 + 60 + 100 + 30 + 60 + 40 + 50 + 40 + 20 = 1120. */
static void fill_everything_good(record_set *s)
{
	add_kind(s, 1, SCORING_TAX_RATING, SCORING_TAX_A)->year = 2023;
	add_count(s, 2, SCORING_SOCIAL_SECURITY, 12);
	add_count(s, 3, SCORING_HOUSING_FUND, 12);
	add_kind(s, 4, SCORING_PATENT, SCORING_PATENT_INVENTION)->count = 5;
	add_count(s, 5, SCORING_TRADEMARK, 6);
	add_rnd(s, 6, 600000000);
	add_kind(s, 7, SCORING_ENV_RATING, SCORING_ENV_GREEN);
	add(s, 8, SCORING_AWARD, "2023-01-01");
	add(s, 9, SCORING_AWARD, "2023-01-02");
	add(s, 10, SCORING_COMMITMENT, "2023-01-01");
	add(s, 11, SCORING_COMMITMENT, "2023-01-01");
	add(s, 12, SCORING_COMMITMENT, "2023-01-01");
	add(s, 13, SCORING_COMMITMENT, "2023-01-01");
}

static void test_score_clamps_at_1000(void **state)
{
	record_set s = {.n = 0};
	scoring_weights w;
	int f, sum = 400;

	(void)state;
	scoring_weights_v1(&w);
	fill_everything_good(&s);
	score_with(&s, &w, "2010-01-01", TODAY);
	for (f = 0; f < SCORING_FACTOR_COUNT; f++) {
		sum += result.factors[f].points;
		assert_true(result.factors[f].points <= result.factors[f].max_points);
	}
	assert_int_equal(sum, 1120);
	assert_score(&result, 1000, 'A');
}

static void test_score_clamps_at_0(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_kind(&s, 1, SCORING_TAX_RATING, SCORING_TAX_D);
	add_count(&s, 2, SCORING_UTILITY_ARREARS, 6);
	add_kind(&s, 3, SCORING_ENV_RATING, SCORING_ENV_BLACK);
	add_kind(&s, 4, SCORING_ADMIN_PENALTY, SCORING_PENALTY_SERIOUS);
	add_kind(&s, 5, SCORING_ADMIN_PENALTY, SCORING_PENALTY_SERIOUS);
	/* 400 - 100 - 90 - 200 - 300 = -290 */
	assert_score(score(&s), 0, 'D');
}

/* 460 (base and no tax rating) + social security + housing fund + R&D,
 * the R&D at 1 point a unit to hit a score exactly. */
static const scoring_result *score_exactly(int ss_months, int hf_months, int rnd_units,
					   int tax_kind)
{
	record_set s = {.n = 0};

	if (ss_months)
		add_count(&s, 1, SCORING_SOCIAL_SECURITY, ss_months);
	if (hf_months)
		add_count(&s, 2, SCORING_HOUSING_FUND, hf_months);
	if (rnd_units)
		add_rnd(&s, 3, rnd_units * INT64_C(10000000));
	if (tax_kind >= 0)
		add_kind(&s, 4, SCORING_TAX_RATING, tax_kind);
	return score(&s);
}

static void test_grade_boundary_499_is_d_500_is_c(void **state)
{
	(void)state;
	assert_score(score_exactly(0, 0, 39, -1), 499, 'D');
	assert_score(score_exactly(0, 0, 40, -1), 500, 'C');
}

static void test_grade_boundary_649_is_c_650_is_b(void **state)
{
	(void)state;
	assert_score(score_exactly(12, 12, 9, -1), 649, 'C');
	assert_score(score_exactly(12, 12, 10, -1), 650, 'B');
}

static void test_grade_boundary_799_is_b_800_is_a(void **state)
{
	(void)state;
	/* 400 + A 200 + 120 + 60 = 780 */
	assert_score(score_exactly(12, 12, 19, SCORING_TAX_A), 799, 'B');
	assert_score(score_exactly(12, 12, 20, SCORING_TAX_A), 800, 'A');
}

static void test_dishonest_debtor_caps_would_be_a_to_499_grade_d(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_kind(&s, 1, SCORING_TAX_RATING, SCORING_TAX_A);
	add_count(&s, 2, SCORING_SOCIAL_SECURITY, 12);
	add_count(&s, 3, SCORING_HOUSING_FUND, 12);
	add(&s, 50, SCORING_DISHONEST_DEBTOR, "2024-02-01");
	score(&s);
	assert_score(&result, 499, 'D');
	assert_true(result.dishonest_debtor);
	assert_int_equal(factor(&result, "dishonest_debtor")->points, 0);
	assert_string_equal(
		factor(&result, "dishonest_debtor")->detail,
		"unrepaired dishonest-debtor record (record 50): score at most 499, grade D");
	assert_zh(&result, "dishonest_debtor",
		  "未修复的失信被执行人记录（记录 50）：信用分最高 499，等级为 D");
	assert_int_equal(factor(&result, "dishonest_debtor")->evidence[0], 50);
}

static void test_dishonest_debtor_below_cap_keeps_score_grade_d(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_rnd(&s, 3, 600000000); /* 460 + 60 = 520, a C without it */
	add(&s, 50, SCORING_DISHONEST_DEBTOR, "2024-02-01");
	assert_score(score(&s), 499, 'D');
	s.n = 1;
	assert_score(score(&s), 520, 'C');
	s.r[0].amount_fen = 0;
	add(&s, 50, SCORING_DISHONEST_DEBTOR, "2024-02-01");
	assert_score(score(&s), 460, 'D');
}

static void test_repaired_dishonest_debtor_does_not_cap(void **state)
{
	record_set s = {.n = 0};

	(void)state;
	add_kind(&s, 1, SCORING_TAX_RATING, SCORING_TAX_A);
	add_count(&s, 2, SCORING_SOCIAL_SECURITY, 12);
	add_count(&s, 3, SCORING_HOUSING_FUND, 12);
	add(&s, 50, SCORING_DISHONEST_DEBTOR, "2024-02-01");
	add_repair(&s, 51, &s.r[3]);
	score(&s);
	assert_score(&result, 780, 'B');
	assert_false(result.dishonest_debtor);
	assert_string_equal(factor(&result, "dishonest_debtor")->detail,
			    "no unrepaired dishonest-debtor record; record 50 repaired");
	assert_zh(&result, "dishonest_debtor", "无未修复的失信被执行人记录；记录 50 已修复");
}

/* ------------------------------------------------------------ determinism */

static void assert_same_result(const scoring_result *a, const scoring_result *b)
{
	int f;

	assert_int_equal(a->score, b->score);
	assert_int_equal(a->grade, b->grade);
	assert_int_equal(a->dishonest_debtor, b->dishonest_debtor);
	assert_int_equal(a->broken_commitments, b->broken_commitments);
	for (f = 0; f < SCORING_FACTOR_COUNT; f++) {
		const scoring_factor *x = &a->factors[f], *y = &b->factors[f];

		assert_string_equal(x->factor, y->factor);
		assert_int_equal(x->points, y->points);
		assert_int_equal(x->max_points, y->max_points);
		assert_string_equal(x->detail, y->detail);
		assert_string_equal(x->detail_zh, y->detail_zh);
		assert_int_equal(x->nevidence, y->nevidence);
		assert_memory_equal(x->evidence, y->evidence, sizeof x->evidence);
	}
}

/* A file with ties, repairs, skips and more records than details name. */
static void fill_mixed(record_set *s)
{
	int64_t id;

	fill_everything_good(s);
	add(s, 20, SCORING_TAX_RATING, "2024-04-01")->kind = SCORING_TAX_B;
	add(s, 21, SCORING_TAX_RATING, "2024-04-01")->kind = SCORING_TAX_M;
	add(s, 22, SCORING_SOCIAL_SECURITY, "2024-04-01")->count = 4;
	for (id = 30; id < 40; id++)
		add_kind(s, id, SCORING_ADMIN_PENALTY, (int)(id % 3))->expires_on =
			id % 2 ? day("2024-01-01") : 0;
	add_repair(s, 41, &s->r[s->n - 2]);
	add_repair(s, 42, &s->r[s->n - 5]);
	add(s, 43, SCORING_COMMITMENT_BREACH, "2022-01-01");
	add(s, 44, SCORING_DISHONEST_DEBTOR, "2022-01-01")->minor_party = true;
	for (id = 60; id < 70; id++)
		add(s, id, SCORING_AWARD, "2020-01-01");
}

static void test_result_is_independent_of_record_order(void **state)
{
	record_set s = {.n = 0};
	scoring_result first;
	scoring_weights w;
	unsigned seed = 12345;
	int round;
	size_t i;

	(void)state;
	scoring_weights_v1(&w);
	fill_mixed(&s);
	scoring_compute(&w, s.r, s.n, day("2015-01-01"), day(TODAY), &first);
	for (round = 0; round < 50; round++) {
		for (i = s.n - 1; i > 0; i--) { /* Fisher-Yates, fixed seed */
			size_t j;
			scoring_record tmp;

			seed = seed * 1103515245u + 12345u;
			j = (seed >> 8) % (i + 1);
			tmp = s.r[i];
			s.r[i] = s.r[j];
			s.r[j] = tmp;
		}
		score_with(&s, &w, "2015-01-01", TODAY);
		assert_same_result(&first, &result);
	}
}

/* ------------------------------------------------------------ weights */

static void test_custom_weights_change_the_outcome(void **state)
{
	record_set s = {.n = 0};
	scoring_weights w;

	(void)state;
	add_kind(&s, 1, SCORING_TAX_RATING, SCORING_TAX_B);
	add_count(&s, 2, SCORING_SOCIAL_SECURITY, 12);
	add(&s, 3, SCORING_ADMIN_PENALTY, "2020-01-01")->kind = SCORING_PENALTY_GENERAL;
	assert_score(score(&s), 670, 'B'); /* 400 + 150 + 120, penalty too old */

	scoring_weights_v1(&w);
	w.base = 500;
	w.tax[SCORING_TAX_B] = 180;
	w.penalty_window_years = 5;
	w.grade_a_min = 750;
	score_with(&s, &w, TODAY, TODAY); /* 500 + 180 + 120 - 50 */
	assert_score(&result, 750, 'A');
	assert_int_equal(factor(&result, "penalties")->points, -50);
	assert_int_equal(factor(&result, "tax_rating")->max_points, 200);
}

static void test_custom_weights_set_max_points_and_dishonest_cap(void **state)
{
	record_set s = {.n = 0};
	scoring_weights w;

	(void)state;
	scoring_weights_v1(&w);
	w.patents_max = 150;
	w.tax[SCORING_TAX_A] = 250;
	w.dishonest_debtor_score_cap = 300;
	add(&s, 1, SCORING_DISHONEST_DEBTOR, "2024-01-01");
	score_with(&s, &w, TODAY, TODAY);
	assert_int_equal(factor(&result, "patents")->max_points, 150);
	assert_int_equal(factor(&result, "tax_rating")->max_points, 250);
	assert_score(&result, 300, 'D');
	assert_detail_has(&result, "dishonest_debtor", "score at most 300");
	assert_zh_has(&result, "dishonest_debtor", "：信用分最高 300，等级为 D");
}

/* ------------------------------------------------------------ bounds */

static void test_evidence_keeps_smallest_32_ids_and_detail_says_how_many_more(void **state)
{
	static record_set s; /* too big for comfort on the stack */
	int64_t id;
	int i;

	(void)state;
	s.n = 0;
	for (id = 140; id > 100; id--)
		add(&s, id, SCORING_AWARD, "2023-01-01");
	assert_int_equal(points(&s, "awards"), 40);
	assert_int_equal(factor(&result, "awards")->nevidence, SCORING_EVIDENCE_MAX);
	for (i = 0; i < SCORING_EVIDENCE_MAX; i++)
		assert_int_equal(factor(&result, "awards")->evidence[i], 101 + i);
	assert_detail_has(&result, "awards", "evidence lists 32, and 8 more");
	assert_detail_has(&result, "awards", "award (record 101): +20; award (record 102)");
	assert_detail_has(&result, "awards", "and 36 more; total +800, capped at 40");
	assert_zh(
		&result, "awards",
		"荣誉（记录 101）：+20；荣誉（记录 102）：+20；荣誉（记录 103）：+20；"
		"荣誉（记录 104）：+20；另有 36 条；合计 +800，上限 40；证据列出 32 条，另有 8 条未列出");
}

static void test_long_detail_is_cut_with_ellipsis_inside_its_buffer(void **state)
{
	record_set s = {.n = 0};
	const char *detail;
	int64_t i;

	(void)state;
	for (i = 0; i < 8; i++) {
		scoring_record *r = add_kind(&s, INT64_MAX - i, SCORING_PATENT,
					     SCORING_PATENT_INVENTION);

		r->count = INT64_MAX;
		if (i % 2)
			r->expires_on = day("1999-12-31");
	}
	detail = factor(score(&s), "patents")->detail;
	assert_true(strlen(detail) == SCORING_DETAIL_MAX - 1);
	assert_string_equal(detail + SCORING_DETAIL_MAX - 4, "...");
	assert_int_equal(factor(&result, "patents")->points, 100);
}

/* Commitments name the most: breaches, kept ones, records not counted and
 * the tails of each. With long ids both details overflow; as ids and years
 * grow by a digit the cut moves across the bytes of the Chinese characters,
 * and each cut must still be whole characters ending in "…". */
static void test_long_details_are_cut_on_a_character_boundary(void **state)
{
	static const char ellipsis[] = "\xe2\x80\xa6";
	static record_set s; /* too big for comfort on the stack */
	int64_t i, base = INT64_C(100000000000);
	int backed_off = 0, year, digits;

	(void)state;
	for (digits = 12; digits <= 19; digits++, base = digits < 19 ? base * 10 : base) {
		for (year = 1000; year <= 1000000; year *= 10) {
			const scoring_factor *f;
			size_t len;

			s.n = 0;
			for (i = 0; i < 80; i++) {
				scoring_record *r = add(&s, base + i,
							i % 4 == 1 || i % 4 == 2
								? SCORING_COMMITMENT_BREACH
								: SCORING_COMMITMENT,
							"2024-01-01");

				r->expires_on = i % 4 == 2 ? scoring_days_from_civil(year, 1, 1)
							   : 0;
				r->minor_party = i % 4 == 3;
			}
			f = factor(score(&s), "commitments");
			len = strlen(f->detail_zh);
			assert_int_equal(f->points, 20 - 60 * (year < 2024 ? 20 : 40));
			assert_int_equal(strlen(f->detail), SCORING_DETAIL_MAX - 1);
			assert_string_equal(f->detail + SCORING_DETAIL_MAX - 4, "...");
			assert_true(len < SCORING_DETAIL_ZH_MAX &&
				    len >= SCORING_DETAIL_ZH_MAX - 6);
			assert_string_equal(f->detail_zh + len - 3, ellipsis);
			backed_off += len < SCORING_DETAIL_ZH_MAX - 1;
		}
	}
	assert_true(backed_off > 0);
}

static void test_many_repairs_found_across_passes(void **state)
{
	enum { TARGETS = 1000 };
	scoring_record *r = calloc(3 * TARGETS, sizeof *r);
	scoring_weights w;
	size_t i, n = 0;

	(void)state;
	assert_non_null(r);
	scoring_weights_v1(&w);
	for (i = 0; i < TARGETS; i++) { /* 1000 general penalties */
		set_record(&r[n], (int64_t)i + 1, SCORING_ADMIN_PENALTY, "2024-01-01");
		r[n++].kind = SCORING_PENALTY_GENERAL;
	}
	for (i = 0; i < TARGETS - 3; i++) { /* repair all but the last 3 */
		set_record(&r[n], 5000 + (int64_t)i, SCORING_REPAIR, "2024-02-01");
		strcpy(r[n].source_dept, r[i].source_dept);
		strcpy(r[n++].repairs_source_record_id, r[i].source_record_id);
	}
	for (i = 0; i < TARGETS; i++) { /* the same repair, again and again */
		set_record(&r[n], 9000 + (int64_t)i, SCORING_REPAIR, "2024-02-01");
		strcpy(r[n].source_dept, r[0].source_dept);
		strcpy(r[n++].repairs_source_record_id, r[0].source_record_id);
	}
	scoring_compute(&w, r, n, day(TODAY), day(TODAY), &result);
	assert_int_equal(factor(&result, "penalties")->points, -150);
	assert_int_equal(factor(&result, "penalties")->nevidence, 3);
	assert_int_equal(factor(&result, "penalties")->evidence[0], TARGETS - 2);
	free(r);
}

static void test_extreme_weights_and_counts_saturate_without_overflow(void **state)
{
	record_set s = {.n = 0};
	scoring_weights w;

	(void)state;
	memset(&w, 0x7f, sizeof w); /* every weight near INT_MAX */
	add_kind(&s, 1, SCORING_PATENT, SCORING_PATENT_INVENTION)->count = INT64_MAX;
	add_kind(&s, 2, SCORING_PATENT, SCORING_PATENT_DESIGN)->count = INT64_MAX;
	add_count(&s, 3, SCORING_UTILITY_ARREARS, INT64_MAX);
	add_rnd(&s, 4, INT64_MAX);
	add(&s, 5, SCORING_COMMITMENT_BREACH, "2024-01-01");
	add_count(&s, 6, SCORING_TRADEMARK, -5);
	score_with(&s, &w, "1970-01-01", TODAY);
	assert_true(result.score >= 0 && result.score <= 1000);
	assert_int_equal(factor(&result, "trademarks")->points, 0);

	memset(&w, 0x80, sizeof w); /* every weight near INT_MIN */
	score_with(&s, &w, "1970-01-01", TODAY);
	assert_score(&result, 0, 'A'); /* grade_a_min is INT_MIN too */
}

static void test_extreme_dates_score_without_overflow(void **state)
{
	record_set s = {.n = 0};
	scoring_weights w;

	(void)state;
	scoring_weights_v1(&w);
	add_kind(&s, 1, SCORING_ADMIN_PENALTY, SCORING_PENALTY_SERIOUS);
	scoring_compute(&w, s.r, s.n, INT32_MIN, INT32_MAX, &result);
	assert_int_equal(factor(&result, "years_in_business")->points, 50);
	assert_int_equal(factor(&result, "penalties")->points, 0); /* long past */
	scoring_compute(&w, s.r, s.n, INT32_MAX, INT32_MIN, &result);
	assert_int_equal(factor(&result, "years_in_business")->points, 0);
	assert_int_equal(factor(&result, "penalties")->points, -150);
	w.penalty_window_years = INT32_MAX;
	scoring_compute(&w, s.r, s.n, 0, day(TODAY), &result);
	assert_int_equal(factor(&result, "penalties")->points, -150);
}

/* ------------------------------------------------------------ dates */

static void test_days_from_civil_known_dates(void **state)
{
	(void)state;
	assert_int_equal(scoring_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(scoring_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(scoring_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(scoring_days_from_civil(2024, 2, 29), 19782);
	assert_int_equal(scoring_days_from_civil(2024, 3, 1), 19783);
	assert_int_equal(scoring_days_from_civil(0, 3, 1), -719468);
	assert_int_equal(scoring_days_from_civil(1900, 3, 1) - scoring_days_from_civil(1900, 2, 28),
			 1);
	assert_int_equal(scoring_days_from_civil(2000, 3, 1) - scoring_days_from_civil(2000, 2, 28),
			 2);
}

static void test_civil_dates_round_trip_and_step_one_day_at_a_time(void **state)
{
	int32_t d;
	int py, pm, pd;

	(void)state;
	scoring_civil_from_days(-1000001, &py, &pm, &pd);
	for (d = -1000000; d <= 1000000; d++) {
		int y, m, dd;
		bool next_day, next_month, next_year;

		scoring_civil_from_days(d, &y, &m, &dd);
		assert_int_equal(scoring_days_from_civil(y, m, dd), d);
		next_day = y == py && m == pm && dd == pd + 1;
		next_month = y == py && m == pm + 1 && dd == 1;
		next_year = y == py + 1 && m == 1 && pm == 12 && dd == 1 && pd == 31;
		if (!next_day && !next_month && !next_year)
			fail_msg("day %d: %d-%d-%d after %d-%d-%d", d, y, m, dd, py, pm, pd);
		py = y;
		pm = m;
		pd = dd;
	}
}

static void test_civil_dates_round_trip_at_the_extremes(void **state)
{
	static const int32_t days[] = {INT32_MIN,  INT32_MIN + 1, -1826212500,
				       1826212500, INT32_MAX - 1, INT32_MAX};
	size_t i;
	int y, m, d;

	(void)state;
	for (i = 0; i < sizeof days / sizeof days[0]; i++) {
		scoring_civil_from_days(days[i], &y, &m, &d);
		if (y >= -5000000 && y <= 5000000)
			assert_int_equal(scoring_days_from_civil(y, m, d), days[i]);
		assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	}
	for (i = 0; i < 200; i++) { /* leap days across the whole range */
		int year = -5000000 + (int)i * 50000, yy;

		year -= ((year % 4) + 4) % 4; /* a multiple of 4 … */
		if (year % 100 == 0)
			year += 4; /* … that is not a century */
		scoring_civil_from_days(scoring_days_from_civil(year, 2, 29), &yy, &m, &d);
		assert_int_equal(yy, year);
		assert_int_equal(m, 2);
		assert_int_equal(d, 29);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_file_scores_base_plus_no_tax_rating_460_grade_d),
		cmocka_unit_test(test_factors_follow_api_order_with_v1_max_points),
		cmocka_unit_test(test_category_names_parse_back_and_unknown_is_minus_one),
		cmocka_unit_test(test_tax_rating_each_grade_scores_its_points),
		cmocka_unit_test(test_tax_rating_detail_names_grade_year_record_and_points),
		cmocka_unit_test(test_social_security_10_a_month_capped_at_120),
		cmocka_unit_test(test_social_security_detail_says_capped_when_weights_exceed_cap),
		cmocka_unit_test(test_housing_fund_5_a_month_capped_at_60),
		cmocka_unit_test(test_utility_arrears_minus_30_a_month_at_least_minus_90),
		cmocka_unit_test(test_patents_score_kind_times_count_for_each_record),
		cmocka_unit_test(test_patents_capped_at_100),
		cmocka_unit_test(test_trademarks_5_each_capped_at_30),
		cmocka_unit_test(test_rnd_expense_1_per_100k_yuan_floored_and_capped_at_60),
		cmocka_unit_test(
			test_rnd_expense_newest_year_wins_over_a_later_upload_of_an_older_year),
		cmocka_unit_test(test_env_rating_each_grade_scores_its_points),
		cmocka_unit_test(test_years_in_business_10_a_full_year_capped_at_50),
		cmocka_unit_test(test_years_in_business_counts_full_calendar_years_only),
		cmocka_unit_test(test_years_in_business_founded_on_feb_29_turns_on_feb_28),
		cmocka_unit_test(test_awards_20_each_capped_at_40),
		cmocka_unit_test(test_commitments_kept_5_each_capped_at_20),
		cmocka_unit_test(test_commitment_breaches_minus_60_each_without_floor),
		cmocka_unit_test(test_broken_commitments_counts_only_counting_breaches),
		cmocka_unit_test(test_penalties_each_by_severity),
		cmocka_unit_test(test_repaired_record_counts_zero_and_says_so),
		cmocka_unit_test(test_repair_needs_same_department_and_source_id),
		cmocka_unit_test(test_repair_repairs_even_when_itself_expired),
		cmocka_unit_test(test_expired_yesterday_counts_zero_but_expiring_today_counts),
		cmocka_unit_test(test_minor_party_record_counts_zero),
		cmocka_unit_test(test_force_majeure_record_counts_zero),
		cmocka_unit_test(test_penalty_older_than_3_years_counts_zero_exactly_3_counts),
		cmocka_unit_test(test_skipped_records_name_each_reason_in_both_languages),
		cmocka_unit_test(test_window_ignores_age_of_other_categories),
		cmocka_unit_test(test_newest_record_by_observed_on_decides),
		cmocka_unit_test(test_newest_tie_on_observed_on_goes_to_larger_id),
		cmocka_unit_test(test_newest_not_counting_leaves_older_to_decide),
		cmocka_unit_test(test_score_clamps_at_1000),
		cmocka_unit_test(test_score_clamps_at_0),
		cmocka_unit_test(test_grade_boundary_499_is_d_500_is_c),
		cmocka_unit_test(test_grade_boundary_649_is_c_650_is_b),
		cmocka_unit_test(test_grade_boundary_799_is_b_800_is_a),
		cmocka_unit_test(test_dishonest_debtor_caps_would_be_a_to_499_grade_d),
		cmocka_unit_test(test_dishonest_debtor_below_cap_keeps_score_grade_d),
		cmocka_unit_test(test_repaired_dishonest_debtor_does_not_cap),
		cmocka_unit_test(test_result_is_independent_of_record_order),
		cmocka_unit_test(test_custom_weights_change_the_outcome),
		cmocka_unit_test(test_custom_weights_set_max_points_and_dishonest_cap),
		cmocka_unit_test(test_evidence_keeps_smallest_32_ids_and_detail_says_how_many_more),
		cmocka_unit_test(test_long_detail_is_cut_with_ellipsis_inside_its_buffer),
		cmocka_unit_test(test_long_details_are_cut_on_a_character_boundary),
		cmocka_unit_test(test_many_repairs_found_across_passes),
		cmocka_unit_test(test_extreme_weights_and_counts_saturate_without_overflow),
		cmocka_unit_test(test_extreme_dates_score_without_overflow),
		cmocka_unit_test(test_days_from_civil_known_dates),
		cmocka_unit_test(test_civil_dates_round_trip_and_step_one_day_at_a_time),
		cmocka_unit_test(test_civil_dates_round_trip_at_the_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
