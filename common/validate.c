/*
 * Input validation and masking; the rules and their reasons are in
 * validate.h. Character classes are spelled out as ranges rather than taken
 * from <ctype.h> so the answers never depend on the process locale.
 */
#include "validate.h"
#include "district.h"

#include <string.h>
#include <time.h>

#define USCC_LEN 18
#define ID_NO_LEN 18
#define ID_NO_MIN_YEAR 1900
#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2199
#define USERNAME_MIN 3
#define USERNAME_MAX 64
#define MASK_KEEP_HEAD 3
#define MASK_KEEP_TAIL 4

/* Messages quote the limits from the header so the two cannot drift. */
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* GB 32100-2015 alphabet: digits and upper-case letters without I, O, S, V,
 * Z; a character's value is its index here. */
static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* Value of n digits the caller has already checked. */
static int digits_value(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static bool is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int validate_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

bool validate_blank(const char *s)
{
	for (; s && *s; s++)
		if (!strchr(" \t\r\n", *s))
			return false;
	return true;
}

bool validate_text(const char *s, bool lines)
{
	if (!s)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' && lines)
			continue;
		if (*p < 0x20 || *p == 0x7F)
			return false;
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return false; /* C1: U+0080-U+009F */
	}
	return true;
}

static bool is_real_date(int year, int month, int day)
{
	return month >= 1 && month <= 12 && day >= 1 && day <= validate_days_in_month(year, month);
}

/* -------------------------------------------------------------- USCC */

static int uscc_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(uscc_alphabet, c);
	return p ? (int)(p - uscc_alphabet) : -1;
}

char validate_uscc_check_char(const char *first17)
{
	const int radix = (int)sizeof(uscc_alphabet) - 1;
	int weight = 1, sum = 0, value;

	for (int i = 0; i < USCC_LEN - 1; i++) {
		value = uscc_value(first17[i]);
		if (value < 0)
			return '\0';
		sum += value * weight;
		weight = weight * 3 % radix;
	}
	return uscc_alphabet[(radix - sum % radix) % radix];
}

bool validate_uscc(const char *s)
{
	if (!s || strnlen(s, USCC_LEN + 1) != USCC_LEN)
		return false;
	if (!all_digits(s + 2, 6))
		return false;
	char check = validate_uscc_check_char(s);
	return check != '\0' && s[USCC_LEN - 1] == check;
}

/* ---------------------------------------------------------- ID number */

char validate_id_no_check_char(const char *first17)
{
	static const char check_chars[] = "10X98765432";
	int weight = 1, sum = 0;

	/* MOD 11-2: the weight of position i (from the right, check = 1) is
	 * 2^(i-1) mod 11; walk from the right so it is one doubling a step. */
	for (int i = ID_NO_LEN - 2; i >= 0; i--) {
		if (!is_digit(first17[i]))
			return '\0';
		weight = weight * 2 % 11;
		sum += (first17[i] - '0') * weight;
	}
	return check_chars[sum % 11];
}

static bool id_no_check_ok(const char *s)
{
	return s[ID_NO_LEN - 1] == validate_id_no_check_char(s);
}

static bool id_no_birth_ok(const char *birth)
{
	int year = digits_value(birth, 4);
	int month = digits_value(birth + 4, 2);
	int day = digits_value(birth + 6, 2);
	struct tm today;

	if (year < ID_NO_MIN_YEAR || !is_real_date(year, month, day))
		return false;
	if (!district_tm(time(NULL), &today))
		return false;
	return year * 10000 + month * 100 + day <=
	       (today.tm_year + 1900) * 10000 + (today.tm_mon + 1) * 100 + today.tm_mday;
}

bool validate_id_no(const char *s)
{
	if (!s || strnlen(s, ID_NO_LEN + 1) != ID_NO_LEN)
		return false;
	if (!all_digits(s, ID_NO_LEN - 1))
		return false;
	if (!is_digit(s[ID_NO_LEN - 1]) && s[ID_NO_LEN - 1] != 'X')
		return false;
	return id_no_check_ok(s) && id_no_birth_ok(s + 6);
}

/* --------------------------------------------------------------- date */

bool validate_date(const char *s, int *year, int *month, int *day)
{
	int y, m, d;

	if (!s || strnlen(s, 11) != 10)
		return false;
	if (s[4] != '-' || s[7] != '-')
		return false;
	if (!all_digits(s, 4) || !all_digits(s + 5, 2) || !all_digits(s + 8, 2))
		return false;
	y = digits_value(s, 4);
	m = digits_value(s + 5, 2);
	d = digits_value(s + 8, 2);
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || !is_real_date(y, m, d))
		return false;
	if (year)
		*year = y;
	if (month)
		*month = m;
	if (day)
		*day = d;
	return true;
}

/* -------------------------------------------------------------- phone */

static bool phone_is_mobile(const char *s)
{
	return strnlen(s, 12) == 11 && all_digits(s, 11) && s[0] == '1' && s[1] >= '3' &&
	       s[1] <= '9';
}

/* Digits of the area code after its leading 0, or 0 if none fits. */
static size_t phone_area_len(const char *s)
{
	if (s[0] == '1')
		return s[1] == '0' ? 2 : 0;
	if (s[0] == '2')
		return is_digit(s[1]) ? 2 : 0;
	if (s[0] >= '3' && s[0] <= '9')
		return all_digits(s, 3) ? 3 : 0;
	return 0;
}

static bool phone_is_landline(const char *s)
{
	size_t area, local;

	if (s[0] != '0')
		return false;
	area = phone_area_len(s + 1);
	if (area == 0)
		return false;
	s += 1 + area;
	if (*s == '-')
		s++;
	local = strnlen(s, 9);
	return (local == 7 || local == 8) && all_digits(s, local);
}

bool validate_phone(const char *s)
{
	if (!s)
		return false;
	return phone_is_mobile(s) || phone_is_landline(s);
}

/* ----------------------------------------------------------- username */

static bool username_char_ok(char c)
{
	return is_lower(c) || is_upper(c) || is_digit(c) || c == '_' || c == '.' || c == '@' ||
	       c == '-';
}

bool validate_username(const char *s)
{
	size_t len;

	if (!s)
		return false;
	len = strnlen(s, USERNAME_MAX + 1);
	if (len < USERNAME_MIN || len > USERNAME_MAX)
		return false;
	if (!is_lower(s[0]) && !is_upper(s[0]) && !is_digit(s[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!username_char_ok(s[i]))
			return false;
	return true;
}

/* --------------------------------------------------------------- UTF-8 */

static bool is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/*
 * Length of the well-formed sequence at s (at most avail bytes), or 0.
 * The second-byte ranges are those of Unicode table 3-7: they are what rules
 * out overlong forms (E0, F0), surrogates (ED) and code points past
 * U+10FFFF (F4), so no decoded value has to be checked afterwards.
 */
static size_t utf8_sequence_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (!is_continuation(s[i]))
			return 0;
	return n;
}

bool validate_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	if (!s)
		return len == 0;
	while (i < len) {
		n = utf8_sequence_len(p + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

size_t validate_utf8_length(const char *s)
{
	size_t count = 0;

	if (!s)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (!is_continuation(*p))
			count++;
	return count;
}

/* ------------------------------------------------------------ password */

validate_password_result validate_password(const char *pw)
{
	bool lower = false, upper = false, digit = false, other = false;
	size_t len;

	if (!pw)
		pw = "";
	/* Bounded so an absurd input costs no more than a legal one. */
	len = strnlen(pw, VALIDATE_PASSWORD_MAX_BYTES + 1);
	if (len > VALIDATE_PASSWORD_MAX_BYTES)
		return VALIDATE_PASSWORD_TOO_LONG;
	if (!validate_utf8(pw, len))
		return VALIDATE_PASSWORD_BAD_ENCODING;
	if (validate_utf8_length(pw) < VALIDATE_PASSWORD_MIN_CHARS)
		return VALIDATE_PASSWORD_TOO_SHORT;
	for (size_t i = 0; i < len; i++) {
		if (is_lower(pw[i]))
			lower = true;
		else if (is_upper(pw[i]))
			upper = true;
		else if (is_digit(pw[i]))
			digit = true;
		else
			other = true;
	}
	if (lower + upper + digit + other < 3)
		return VALIDATE_PASSWORD_TOO_SIMPLE;
	return VALIDATE_PASSWORD_OK;
}

const char *validate_password_message(validate_password_result result)
{
	switch (result) {
	case VALIDATE_PASSWORD_OK:
		return "password is acceptable";
	case VALIDATE_PASSWORD_TOO_SHORT:
		return "password must be at least " STRINGIFY(
			VALIDATE_PASSWORD_MIN_CHARS) " characters";
	case VALIDATE_PASSWORD_TOO_LONG:
		return "password must be at most " STRINGIFY(VALIDATE_PASSWORD_MAX_BYTES) " bytes";
	case VALIDATE_PASSWORD_TOO_SIMPLE:
		return "password must contain at least 3 of: lower-case letters, "
		       "upper-case letters, digits, other characters";
	case VALIDATE_PASSWORD_BAD_ENCODING:
		return "password must be valid UTF-8";
	}
	return "password is not acceptable";
}

/* ------------------------------------------------------------- masking */

/*
 * Copies in to out keeping the first head and last tail characters and
 * starring the rest. Fewer than head + tail + 1 characters would leave
 * nothing hidden, so such input (and invalid UTF-8, whose characters cannot
 * be told apart) is starred whole.
 */
static void mask_middle(const char *in, char *out, size_t out_size, size_t head, size_t tail)
{
	size_t len, chars, used = 0, i = 0, n, width;
	bool valid, show, keep;

	if (out_size == 0)
		return;
	out[0] = '\0';
	if (!in)
		return;
	len = strlen(in);
	valid = validate_utf8(in, len);
	chars = valid ? validate_utf8_length(in) : len;
	show = valid && chars > head + tail;
	for (size_t c = 0; c < chars; c++) {
		n = valid ? utf8_sequence_len((const unsigned char *)in + i, len - i) : 1;
		keep = show && (c < head || c >= chars - tail);
		width = keep ? n : 1;
		if (used + width >= out_size)
			break;
		if (keep)
			memcpy(out + used, in + i, n);
		else
			out[used] = '*';
		used += width;
		i += n;
	}
	out[used] = '\0';
}

void mask_id_no(const char *in, char *out, size_t out_size)
{
	mask_middle(in, out, out_size, MASK_KEEP_HEAD, MASK_KEEP_TAIL);
}

void mask_phone(const char *in, char *out, size_t out_size)
{
	mask_middle(in, out, out_size, MASK_KEEP_HEAD, MASK_KEEP_TAIL);
}

int validate_name_index(const char *s, const char *const *names, int count)
{
	for (int i = 0; s && i < count; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

bool validate_token(const char *s, size_t len, size_t max)
{
	if (len == 0 || len > max)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}
