/*
 * The district's calendar: Fengxian keeps Asia/Shanghai time, UTC+8 all
 * year (China has no daylight saving). Every "today", every date a user
 * sees or types and every month a limit counts in is a day of this
 * calendar, whoever asks and whatever the machine's time zone. C code asks
 * here; SQL uses DB_DISTRICT_DATE / DB_DISTRICT_TODAY (models/db_internal.h),
 * built on the same offset. Pure libc, no state, thread-safe.
 */
#ifndef XYD_DISTRICT_H
#define XYD_DISTRICT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define DISTRICT_UTC_OFFSET_H 8
#define DISTRICT_UTC_OFFSET_S (DISTRICT_UTC_OFFSET_H * 3600)

/* The district's day at instant t, as days since 1970-01-01. */
int32_t district_days(time_t t);

/* The district's day at instant t as "YYYY-MM-DD" in out. */
void district_date(time_t t, char out[11]);

/* The district's calendar fields at instant t (tm_year, tm_mon, tm_mday …,
 * as gmtime_r fills them). False only when t is out of gmtime_r's range. */
bool district_tm(time_t t, struct tm *out);

/* Today in the district, as district_days(time(NULL)). */
int32_t district_today(void);

/* The instant day (days since 1970-01-01 in the district) ends there: its
 * last second, as a UTC time_t (add .999999 for the last microsecond). */
time_t district_day_last_second(int64_t day);

#endif
