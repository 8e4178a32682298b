/*
 * Small pieces the matching engine's files share: aborting allocation,
 * FNV-1a hashing, civil dates, names of codes, industry packing, number
 * formatting for details (English and Chinese), UTF-8 boundaries, and a
 * radix sort of 64-bit keys.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matching_internal.h"

/* ---------------------------------------------------------- allocation */

void *matching_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		abort();
	return p;
}

void *matching_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

void *matching_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		abort();
	return p;
}

/* ---------------------------------------------------------------- FNV */

uint64_t matching_fnv_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= MATCHING_FNV_PRIME;
	}
	return h;
}

uint64_t matching_fnv_int(uint64_t h, uint64_t v, unsigned width)
{
	for (unsigned i = 0; i < width; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= MATCHING_FNV_PRIME;
	}
	return h;
}

uint64_t matching_fnv_str(uint64_t h, const char *s)
{
	return matching_fnv_bytes(h, s, strlen(s) + 1);
}

uint64_t matching_fnv_enterprise(uint64_t h, const matching_enterprise *e)
{
	h = matching_fnv_int(h, (uint64_t)e->id, 8);
	h = matching_fnv_int(h, (uint64_t)(uint16_t)e->score, 2);
	h = matching_fnv_int(h, e->grade, 1);
	h = matching_fnv_int(h, e->town, 1);
	h = matching_fnv_int(h, e->industry, 4);
	h = matching_fnv_int(h, e->park_id, 2);
	h = matching_fnv_int(h, e->tags, 1);
	h = matching_fnv_int(h, e->whitelist, 1);
	/* the date of an entry that is not approved never matters */
	h = matching_fnv_int(
		h, e->whitelist == MATCHING_WL_APPROVED ? (uint32_t)e->whitelist_until : 0, 4);
	h = matching_fnv_int(h, (uint32_t)e->founded_on, 4);
	return matching_fnv_int(h, (uint64_t)e->revenue_fen, 8);
}

/* -------------------------------------------------------------- dates */

/* Howard Hinnant's days_from_civil; month and day may run over (29 Feb of
 * a common year is 1 March). */
int32_t matching_days_from_civil(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t)(era * 146097 + doe - 719468);
}

void matching_civil_from_days(int32_t days, int *year, int *month, int *day)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;

	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

int32_t matching_years_between(int32_t founded_on, int32_t today)
{
	int fy, fm, fd, ty, tm, td;
	int32_t years;

	if (today < founded_on)
		return 0;
	matching_civil_from_days(founded_on, &fy, &fm, &fd);
	matching_civil_from_days(today, &ty, &tm, &td);
	years = ty - fy;
	if (tm < fm || (tm == fm && td < fd))
		years--;
	return years < 0 ? 0 : years;
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int32_t matching_years_cutoff(int32_t today, int32_t years)
{
	int y, m, d;

	matching_civil_from_days(today, &y, &m, &d);
	y -= years;
	if (m == 2 && d == 29 && !leap_year(y))
		d = 28;
	return matching_days_from_civil(y, m, d);
}

char *matching_format_day(int32_t day, char *buf, size_t size)
{
	int y, m, d;

	matching_civil_from_days(day, &y, &m, &d);
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
	return buf;
}

/* fen as yuan into out[48]: "-" when negative, the whole yuan with a comma
 * before every group of three digits, "." and two digits.
 * Written by hand: details print several amounts each, and snprintf was
 * most of an explanation's cost. Returns the length. */
static size_t yuan_text(int64_t fen, char out[48])
{
	uint64_t u = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen, whole = u / 100;
	char digits[24];
	size_t nd = 0, o = 0;

	do {
		digits[nd++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole);
	if (fen < 0)
		out[o++] = '-';
	while (nd) {
		out[o++] = digits[--nd];
		if (nd && nd % 3 == 0)
			out[o++] = ',';
	}
	out[o++] = '.';
	out[o++] = (char)('0' + u % 100 / 10);
	out[o++] = (char)('0' + u % 10);
	out[o] = '\0';
	return o;
}

/* Copies text into buf[size] the way snprintf would (cut, NUL-ended). */
static char *copy_cut(char *buf, size_t size, const char *text, size_t len)
{
	if (!size)
		return buf;
	if (len >= size)
		len = size - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return buf;
}

char *matching_format_yuan(int64_t fen, char *buf, size_t size)
{
	char out[48];

	return copy_cut(buf, size, out, yuan_text(fen, out));
}

char *matching_format_day_zh(int32_t day, char *buf, size_t size)
{
	int y, m, d;

	matching_civil_from_days(day, &y, &m, &d);
	snprintf(buf, size, "%d年%d月%d日", y, m, d);
	return buf;
}

/* ---------------------------------------------------------------- utf-8 */

size_t matching_utf8_boundary(const char *s, size_t len)
{
	size_t i = len, need;
	unsigned char lead;

	/* back over at most three continuation bytes to the lead byte */
	while (i > 0 && len - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return len;
	lead = (unsigned char)s[i - 1];
	if (lead < 0xC0)
		return len; /* ends in ASCII or a complete character */
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	return i - 1 + need <= len ? len : i - 1;
}

void matching_copy_utf8(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (!size)
		return;
	if (n >= size)
		n = matching_utf8_boundary(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* -------------------------------------------------------------- names */

static const char *name_of(const char *const *names, size_t n, int i)
{
	return i >= 0 && (size_t)i < n ? names[i] : NULL;
}

const char *matching_collateral_name(int collateral)
{
	static const char *const names[] = {"none", "property", "ip", "equipment", "receivables"};

	return name_of(names, sizeof names / sizeof *names, collateral);
}

const char *matching_kind_name(int kind)
{
	static const char *const names[] = {"credit", "guarantee", "mortgage", "ip_pledge",
					    "receivables"};

	return name_of(names, sizeof names / sizeof *names, kind);
}

const char *matching_product_status_name(int status)
{
	static const char *const names[] = {"draft", "active", "paused", "retired"};

	return name_of(names, sizeof names / sizeof *names, status);
}

const char *matching_whitelist_name(int state)
{
	static const char *const names[] = {"none",	"nominated", "approved",
					    "rejected", "revoked",   "expired"};

	return name_of(names, sizeof names / sizeof *names, state);
}

const char *matching_tag_name(unsigned tag)
{
	static const char *const names[] = {"hi_tech", "specialized", "tech_sme", "agri_entity",
					    "integrity_model"};

	for (unsigned i = 0; i < sizeof names / sizeof *names; i++)
		if (tag == 1u << i)
			return names[i];
	return NULL;
}

const char *matching_grade_name(int grade)
{
	static const char *const names[] = {"-", "D", "C", "B", "A"};

	return name_of(names, sizeof names / sizeof *names, grade);
}

const char *matching_criterion_name(int criterion)
{
	static const char *const names[MATCH_CRIT_COUNT] = {
		[MATCH_CRIT_STATUS] = "status",
		[MATCH_CRIT_CAPACITY] = "capacity",
		[MATCH_CRIT_AMOUNT] = "amount",
		[MATCH_CRIT_TERM] = "term",
		[MATCH_CRIT_COLLATERAL] = "collateral",
		[MATCH_CRIT_PROGRAM_CAP] = "program_cap",
		[MATCH_CRIT_MIN_GRADE] = "min_grade",
		[MATCH_CRIT_MIN_SCORE] = "min_score",
		[MATCH_CRIT_INDUSTRY] = "industry",
		[MATCH_CRIT_TOWN] = "town",
		[MATCH_CRIT_PARK] = "park",
		[MATCH_CRIT_YEARS] = "years_in_business",
		[MATCH_CRIT_REVENUE] = "revenue",
		[MATCH_CRIT_TAGS] = "tags",
		[MATCH_CRIT_WHITELIST] = "whitelist",
	};

	return name_of(names, MATCH_CRIT_COUNT, criterion);
}

/* ----------------------------------------------------------- industry */

enum { INDUSTRY_DIGITS_MAX = 6 };

uint32_t matching_industry_pack(const char *code)
{
	uint32_t packed;
	size_t len;

	if (!code || code[0] < 'A' || code[0] > 'Z')
		return 0;
	len = strlen(code);
	if (len > 1 + INDUSTRY_DIGITS_MAX)
		return 0;
	packed = (uint32_t)(code[0] - 'A' + 1) << 24;
	for (size_t i = 1; i < len; i++) {
		if (code[i] < '0' || code[i] > '9')
			return 0;
		packed |= (uint32_t)(code[i] - '0' + 1) << (24 - 4 * i);
	}
	return packed;
}

char *matching_industry_unpack(uint32_t packed, char buf[8])
{
	size_t n = 0;
	uint32_t letter = packed >> 24;

	if (letter >= 1 && letter <= 26) {
		buf[n++] = (char)('A' + letter - 1);
		for (unsigned i = 1; i <= INDUSTRY_DIGITS_MAX; i++) {
			uint32_t nib = (packed >> (24 - 4 * i)) & 0xf;

			if (nib == 0 || nib > 10)
				break;
			buf[n++] = (char)('0' + nib - 1);
		}
	}
	buf[n] = '\0';
	return buf;
}

uint32_t matching_industry_mask(uint32_t packed)
{
	uint32_t mask = 0xff000000u;

	for (unsigned i = 1; i <= INDUSTRY_DIGITS_MAX; i++) {
		uint32_t shift = 24 - 4 * i;

		if (((packed >> shift) & 0xf) == 0)
			break;
		mask |= 0xfu << shift;
	}
	return mask;
}

bool matching_industry_has_prefix(uint32_t code, uint32_t prefix)
{
	return prefix != 0 && (code & matching_industry_mask(prefix)) == prefix;
}

/* ---------------------------------------------------------- radix sort */

void matching_radix_sort(uint64_t *keys, uint64_t *tmp, size_t n, unsigned lo_bit, unsigned hi_bit)
{
	enum { DIGIT_MAX = 11 };
	unsigned passes = (hi_bit - lo_bit + DIGIT_MAX - 1) / DIGIT_MAX, width, mask;
	uint64_t *src = keys, *dst = tmp;
	size_t count[(1u << DIGIT_MAX) + 1];

	XYD_ASSERT(lo_bit <= hi_bit && hi_bit <= 64);

	if (n < 2 || passes == 0)
		return;
	width = (hi_bit - lo_bit + passes - 1) / passes;
	mask = (1u << width) - 1;
	for (unsigned shift = lo_bit; shift < hi_bit; shift += width) {
		memset(count, 0, ((size_t)mask + 2) * sizeof *count);
		for (size_t i = 0; i < n; i++)
			count[((src[i] >> shift) & mask) + 1]++;
		if (count[((src[0] >> shift) & mask) + 1] == n)
			continue; /* every key has this digit: already in order */
		for (unsigned b = 0; b < mask + 1; b++)
			count[b + 1] += count[b];
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & mask]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != keys)
		memcpy(keys, src, n * sizeof *keys);
}
