/* The district's calendar (UTC+8): see district.h. */
#include "common/district.h"

#define SECONDS_PER_DAY 86400

int32_t district_days(time_t t)
{
	int64_t s = (int64_t)t + DISTRICT_UTC_OFFSET_S;
	/* Floor division: an instant before 1970 belongs to a negative day. */
	int64_t d = s / SECONDS_PER_DAY - (s % SECONDS_PER_DAY < 0);
	return (int32_t)d;
}

bool district_tm(time_t t, struct tm *out)
{
	time_t s = t + DISTRICT_UTC_OFFSET_S;
	return gmtime_r(&s, out) != NULL;
}

void district_date(time_t t, char out[11])
{
	struct tm tm;
	if (!district_tm(t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		out[0] = '\0';
}

int32_t district_today(void)
{
	return district_days(time(NULL));
}

time_t district_day_last_second(int64_t day)
{
	return (time_t)((day + 1) * SECONDS_PER_DAY - DISTRICT_UTC_OFFSET_S - 1);
}
