/*
 * The statistics' arithmetic that needs no database: which whole months
 * and ragged ends a window reads from the rollups, the lower median of the
 * response-hours histogram, and the names of the breakdown dimensions.
 * Includes models/stats.c to reach its static functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/stats.c"

static void expect_months(const char *from, const char *to, const char *full, const char *excl)
{
	models_stats_query q = {.kind = STATS_SCOPE_DISTRICT, .from = from, .to = to};
	window_months w;
	window_months_of(&q, &w);
	assert_string_equal(w.full, full);
	assert_string_equal(w.excl, excl);
}

static void test_whole_months_are_read_whole(void **state)
{
	(void)state;
	expect_months("2025-01-01", "2025-12-31", "2025-01-01", "2026-01-01");
	expect_months("2025-04-01", "2025-04-30", "2025-04-01", "2025-05-01");
}

static void test_ragged_ends_leave_the_months_between(void **state)
{
	(void)state;
	expect_months("2025-02-10", "2025-07-20", "2025-03-01", "2025-07-01");
	expect_months("2025-12-31", "2026-12-31", "2026-01-01", "2027-01-01");
}

static void test_a_window_inside_one_month_has_no_whole_month(void **state)
{
	(void)state;
	/* full >= excl: the SQL reads the days alone */
	expect_months("2025-03-05", "2025-03-25", "2025-04-01", "2025-03-01");
	expect_months("2025-03-01", "2025-03-17", "2025-03-01", "2025-03-01");
	expect_months("2025-05-09", "2025-05-31", "2025-06-01", "2025-06-01");
}

static void test_february_ends_on_the_leap_day(void **state)
{
	(void)state;
	expect_months("2024-02-01", "2024-02-28", "2024-02-01", "2024-02-01");
	expect_months("2024-02-01", "2024-02-29", "2024-02-01", "2024-03-01");
	expect_months("2100-02-01", "2100-02-28", "2100-02-01", "2100-03-01");
	expect_months("2000-01-15", "2000-02-29", "2000-02-01", "2000-03-01");
}

static void test_median_of_an_even_count_is_the_lower_middle(void **state)
{
	(void)state;
	const int64_t hours[] = {13, 22, 75, 77}, count[] = {1, 1, 1, 1};
	int64_t m = -1;
	assert_true(histogram_lower_median(hours, count, 4, &m));
	assert_int_equal(m, 22);
}

static void test_median_of_an_odd_count_is_the_middle(void **state)
{
	(void)state;
	const int64_t hours[] = {2, 5, 9}, count[] = {2, 1, 2};
	int64_t m = -1;
	assert_true(histogram_lower_median(hours, count, 3, &m));
	assert_int_equal(m, 5);
}

static void test_median_skips_empty_rows_and_absent_is_false(void **state)
{
	(void)state;
	const int64_t hours[] = {1, 4, 8}, count[] = {0, 3, 0};
	int64_t m = -1;
	assert_true(histogram_lower_median(hours, count, 3, &m));
	assert_int_equal(m, 4);
	const int64_t none[] = {0, 0};
	assert_false(histogram_lower_median(hours, none, 2, &m));
	assert_false(histogram_lower_median(hours, count, 0, &m));
}

static void test_dimension_names_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < STATS_BY_COUNT; i++) {
		models_stats_by by;
		assert_true(models_stats_by_parse(models_stats_by_name((models_stats_by)i), &by));
		assert_int_equal(by, i);
	}
	models_stats_by by;
	assert_false(models_stats_by_parse("bank", &by));
	assert_false(models_stats_by_parse("", &by));
	assert_false(models_stats_by_parse(NULL, &by));
	assert_true(models_stats_by_is_id(STATS_BY_PARK));
	assert_false(models_stats_by_is_id(STATS_BY_TOWN));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_months_are_read_whole),
		cmocka_unit_test(test_ragged_ends_leave_the_months_between),
		cmocka_unit_test(test_a_window_inside_one_month_has_no_whole_month),
		cmocka_unit_test(test_february_ends_on_the_leap_day),
		cmocka_unit_test(test_median_of_an_even_count_is_the_lower_middle),
		cmocka_unit_test(test_median_of_an_odd_count_is_the_middle),
		cmocka_unit_test(test_median_skips_empty_rows_and_absent_is_false),
		cmocka_unit_test(test_dimension_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
