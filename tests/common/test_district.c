/*
 * Unit tests for common/district: the district's calendar is UTC+8 at every
 * instant, so a UTC evening is already the next day there, the day turns at
 * 16:00 UTC, and the instants before 1970 land on the right (negative) day.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "common/district.h"

/* The UTC instant y-m-d h:mi:s. */
static time_t utc(int y, int m, int d, int h, int mi, int s)
{
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = m - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = s};
	return timegm(&tm);
}

static void a_utc_evening_is_the_next_day_in_the_district(void **state)
{
	(void)state;
	char day[11];
	/* 2026-12-07T18:00:00Z is 2026-12-08 02:00 in Shanghai. */
	district_date(utc(2026, 12, 7, 18, 0, 0), day);
	assert_string_equal(day, "2026-12-08");
	assert_int_equal(district_days(utc(2026, 12, 7, 18, 0, 0)),
			 district_days(utc(2026, 12, 8, 12, 0, 0)));
	assert_int_equal(district_days(utc(2026, 12, 8, 0, 0, 0)),
			 utc(2026, 12, 8, 0, 0, 0) / 86400);
}

static void the_day_turns_at_16_utc(void **state)
{
	(void)state;
	char day[11];
	district_date(utc(2026, 12, 7, 15, 59, 59), day);
	assert_string_equal(day, "2026-12-07");
	district_date(utc(2026, 12, 7, 16, 0, 0), day);
	assert_string_equal(day, "2026-12-08");
	/* A year's end: 2026-12-31T16:00:00Z is already 2027 there. */
	struct tm tm;
	assert_true(district_tm(utc(2026, 12, 31, 16, 0, 0), &tm));
	assert_int_equal(tm.tm_year + 1900, 2027);
	assert_int_equal(tm.tm_mon, 0);
	assert_int_equal(tm.tm_mday, 1);
	assert_int_equal(tm.tm_hour, 0);
}

static void a_days_last_second_is_1559_59_utc(void **state)
{
	(void)state;
	int32_t d = district_days(utc(2026, 12, 8, 3, 0, 0));
	assert_int_equal(district_day_last_second(d), utc(2026, 12, 8, 15, 59, 59));
	assert_int_equal(district_days(district_day_last_second(d)), d);
	assert_int_equal(district_days(district_day_last_second(d) + 1), d + 1);
}

static void instants_before_1970_floor_to_their_day(void **state)
{
	(void)state;
	char day[11];
	assert_int_equal(district_days(utc(1970, 1, 1, 0, 0, 0)), 0);
	assert_int_equal(district_days(utc(1969, 12, 31, 15, 59, 59)), -1);
	assert_int_equal(district_days(utc(1969, 12, 31, 16, 0, 0)), 0);
	district_date(utc(1969, 12, 31, 15, 0, 0), day);
	assert_string_equal(day, "1969-12-31");
}

static void today_is_the_district_day_of_now(void **state)
{
	(void)state;
	time_t before = time(NULL);
	int32_t t = district_today();
	time_t after = time(NULL);
	assert_true(t == district_days(before) || t == district_days(after));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_utc_evening_is_the_next_day_in_the_district),
		cmocka_unit_test(the_day_turns_at_16_utc),
		cmocka_unit_test(a_days_last_second_is_1559_59_utc),
		cmocka_unit_test(instants_before_1970_floor_to_their_day),
		cmocka_unit_test(today_is_the_district_day_of_now),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
