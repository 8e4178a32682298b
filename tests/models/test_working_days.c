/*
 * The response deadline's calendar: models_working_days_span counts
 * working days (Monday to Friday, minus public holidays, plus 调休 working
 * weekend days) after a start day.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/applications.h"

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static int32_t day_of(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

static void test_monday_start_is_due_thursday(void **state)
{
	(void)state;
	/* 2025-03-03 is a Monday: Tue, Wed, Thu. */
	assert_int_equal(models_working_days_span(day_of(2025, 3, 3), 3, NULL, 0), 3);
}

static void test_friday_start_skips_the_weekend(void **state)
{
	(void)state;
	/* 2025-03-07 Friday: Mon 10, Tue 11, Wed 12. */
	assert_int_equal(models_working_days_span(day_of(2025, 3, 7), 3, NULL, 0), 5);
}

static void test_saturday_start_counts_from_monday(void **state)
{
	(void)state;
	/* 2025-03-08 Saturday: Mon 10, Tue 11, Wed 12. */
	assert_int_equal(models_working_days_span(day_of(2025, 3, 8), 3, NULL, 0), 4);
}

/* The 2025 National Day break: 1-8 October off, Sunday 28 September and
 * Saturday 11 October working days. */
static void national_day(models_calendar_day *days, size_t *n)
{
	size_t k = 0;
	days[k++] = (models_calendar_day){day_of(2025, 9, 28), true};
	for (int d = 1; d <= 8; d++)
		days[k++] = (models_calendar_day){day_of(2025, 10, d), false};
	days[k++] = (models_calendar_day){day_of(2025, 10, 11), true};
	*n = k;
}

static void test_holidays_are_skipped_and_workday_weekends_count(void **state)
{
	(void)state;
	models_calendar_day days[16];
	size_t n;
	national_day(days, &n);
	/* Tuesday 30 September: 1-8 off, Thu 9, Fri 10, Sat 11 (调休). */
	assert_int_equal(models_working_days_span(day_of(2025, 9, 30), 3, days, n), 11);
	/* Saturday 27 September: Sun 28 (调休), Mon 29, Tue 30. */
	assert_int_equal(models_working_days_span(day_of(2025, 9, 27), 3, days, n), 3);
}

static void test_unsorted_days_and_one_day(void **state)
{
	(void)state;
	models_calendar_day days[] = {
		{day_of(2026, 1, 3), false},
		{day_of(2026, 1, 1), false},
		{day_of(2026, 1, 2), false},
		{day_of(2026, 1, 4), true},
	};
	/* Wednesday 31 December 2025: 1-3 January off, Sunday 4th works. */
	assert_int_equal(models_working_days_span(day_of(2025, 12, 31), 1, days, 4), 4);
	assert_int_equal(models_working_days_span(day_of(2025, 12, 31), 3, days, 4), 6);
}

static void test_no_working_day_within_a_year_is_minus_one(void **state)
{
	(void)state;
	static models_calendar_day days[400];
	int32_t start = day_of(2030, 1, 1);
	for (int i = 0; i < 400; i++)
		days[i] = (models_calendar_day){start + 1 + i, false};
	assert_int_equal(models_working_days_span(start, 1, days, 400), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monday_start_is_due_thursday),
		cmocka_unit_test(test_friday_start_skips_the_weekend),
		cmocka_unit_test(test_saturday_start_counts_from_monday),
		cmocka_unit_test(test_holidays_are_skipped_and_workday_weekends_count),
		cmocka_unit_test(test_unsorted_days_and_one_day),
		cmocka_unit_test(test_no_working_day_within_a_year_is_minus_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
