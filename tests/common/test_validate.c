/*
 * Unit tests for common/validate: every row of the shared USCC and ID-number
 * vectors (tests/data, or $XYD_TEST_DATA), then the boundaries of each rule
 * and the masking, including that masking never writes past its buffer.
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
#include <time.h>

#include "common/district.h"
#include "common/validate.h"
#include "common/xmalloc.h"

/* ------------------------------------------------------------ helpers */

static char *data_path(const char *file)
{
	const char *dir = getenv("XYD_TEST_DATA");

	return xasprintf("%s/%s", dir && *dir ? dir : "tests/data", file);
}

/* Splits "value,expect,note" in place; the note may be missing. */
static bool split_row(char *line, char **value, char **expect, const char **note)
{
	char *comma;

	line[strcspn(line, "\r\n")] = '\0';
	*value = line;
	comma = strchr(line, ',');
	if (!comma)
		return false;
	*comma = '\0';
	*expect = comma + 1;
	comma = strchr(*expect, ',');
	*note = comma ? comma + 1 : "";
	if (comma)
		*comma = '\0';
	return true;
}

/* Checks every data row of file against validator; returns the row count. */
static size_t check_vectors(const char *file, bool (*validator)(const char *))
{
	char *path = data_path(file), *line = NULL, *value, *expect;
	const char *note;
	size_t cap = 0, rows = 0, line_no = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		fail_msg("cannot open '%s' (run from the repo root or set XYD_TEST_DATA)", path);
	while (getline(&line, &cap, f) != -1) {
		if (++line_no == 1)
			continue;
		if (!split_row(line, &value, &expect, &note))
			fail_msg("%s:%zu: not value,expect,note", path, line_no);
		if (strcmp(expect, "valid") != 0 && strcmp(expect, "invalid") != 0)
			fail_msg("%s:%zu: expect is '%s'", path, line_no, expect);
		if (validator(value) != (strcmp(expect, "valid") == 0))
			fail_msg("%s:%zu: '%s' should be %s (%s)", path, line_no, value, expect,
				 note);
		rows++;
	}
	free(line);
	fclose(f);
	free(path);
	return rows;
}

/* Appends the GB 32100 check character to a 17-character body. */
static void uscc_with_check(const char *body, char out[19])
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	int weight = 1, sum = 0;

	for (int i = 0; i < 17; i++) {
		sum += (int)(strchr(alphabet, body[i]) - alphabet) * weight;
		weight = weight * 3 % 31;
	}
	memcpy(out, body, 17);
	out[17] = alphabet[(31 - sum % 31) % 31];
	out[18] = '\0';
}

/* Builds an ID number for area 310120, the given birth date and sequence,
 * with a correct MOD 11-2 check character. */
static void id_with_check(int year, int month, int day, const char *seq, char out[19])
{
	static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;

	snprintf(out, 19, "310120%04d%02d%02d%.3s", year, month, day, seq);
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * weights[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* The district's calendar day (UTC+8) offset_s from now. */
static struct tm district_day(time_t offset_s)
{
	struct tm day;

	assert_true(district_tm(time(NULL) + offset_s, &day));
	return day;
}

/* ---------------------------------------------------------- vectors */

static void test_uscc_every_vector_row_behaves_as_expected(void **state)
{
	(void)state;
	assert_true(check_vectors("uscc_vectors.csv", validate_uscc) >= 20);
}

static void test_id_no_every_vector_row_behaves_as_expected(void **state)
{
	(void)state;
	assert_true(check_vectors("id_vectors.csv", validate_id_no) >= 10);
}

/* ------------------------------------------------------------- USCC */

static void test_uscc_alphabet_includes_m(void **state)
{
	char code[19];

	(void)state;
	/* The alphabet has 31 characters; leaving M out breaks the mod-31
	 * check for every code containing it. */
	uscc_with_check("92310120MMMMMMMMM", code);
	assert_true(validate_uscc(code));
}

static void test_uscc_rejects_each_excluded_letter(void **state)
{
	const char *excluded = "IOSVZ";
	char code[19];

	(void)state;
	for (const char *c = excluded; *c; c++) {
		strcpy(code, "91310120712345678T");
		code[10] = *c;
		assert_false(validate_uscc(code));
		code[10] = '2';
		code[17] = *c;
		assert_false(validate_uscc(code));
	}
}

static void test_uscc_rejects_letter_in_division_code_even_with_right_check(void **state)
{
	char code[19];

	(void)state;
	uscc_with_check("91310120712345678", code);
	assert_true(validate_uscc(code));
	uscc_with_check("9131A120712345678", code);
	assert_false(validate_uscc(code));
	uscc_with_check("913101X0712345678", code);
	assert_false(validate_uscc(code));
}

static void test_uscc_accepts_check_character_zero(void **state)
{
	char body[18] = "91310120712345670", code[19];
	bool found = false;

	(void)state;
	/* A weighted sum that is 0 mod 31 gives check '0', not an index of 31. */
	for (char c = '0'; c <= '9' && !found; c++) {
		for (char d = '0'; d <= '9' && !found; d++) {
			body[15] = c;
			body[16] = d;
			uscc_with_check(body, code);
			found = code[17] == '0';
		}
	}
	assert_true(found);
	assert_true(validate_uscc(code));
}

static void test_uscc_rejects_null_and_trailing_space(void **state)
{
	(void)state;
	assert_false(validate_uscc(NULL));
	assert_false(validate_uscc("91310120712345678T "));
	assert_false(validate_uscc("91310120712345678\n"));
}

/* -------------------------------------------------------- ID number */

static void test_id_no_accepts_leap_day_2000_0229(void **state)
{
	char id[19];

	(void)state;
	id_with_check(2000, 2, 29, "123", id);
	assert_true(validate_id_no(id));
}

static void test_id_no_rejects_1900_0229_as_1900_is_not_leap(void **state)
{
	char id[19];

	(void)state;
	id_with_check(1900, 2, 29, "123", id);
	assert_false(validate_id_no(id));
	id_with_check(2023, 2, 29, "123", id);
	assert_false(validate_id_no(id));
}

static void test_id_no_rejects_impossible_days(void **state)
{
	char id[19];

	(void)state;
	id_with_check(1990, 4, 31, "123", id);
	assert_false(validate_id_no(id));
	id_with_check(1990, 1, 0, "123", id);
	assert_false(validate_id_no(id));
	id_with_check(1990, 0, 10, "123", id);
	assert_false(validate_id_no(id));
	id_with_check(1990, 1, 32, "123", id);
	assert_false(validate_id_no(id));
}

static void test_id_no_accepts_1900_0101_and_rejects_earlier(void **state)
{
	char id[19];

	(void)state;
	id_with_check(1900, 1, 1, "123", id);
	assert_true(validate_id_no(id));
	id_with_check(1899, 12, 31, "123", id);
	assert_false(validate_id_no(id));
}

static void test_id_no_accepts_today_and_rejects_tomorrow_district(void **state)
{
	struct tm today, tomorrow;
	char id[19];

	(void)state;
	/* Retry if the district's day turns over while the checks run. */
	do {
		today = district_day(0);
		tomorrow = district_day(24 * 60 * 60);
		id_with_check(today.tm_year + 1900, today.tm_mon + 1, today.tm_mday, "123", id);
		assert_true(validate_id_no(id));
		id_with_check(tomorrow.tm_year + 1900, tomorrow.tm_mon + 1, tomorrow.tm_mday, "123",
			      id);
		assert_false(validate_id_no(id));
	} while (district_day(0).tm_mday != today.tm_mday);
	id_with_check(2999, 1, 1, "123", id);
	assert_false(validate_id_no(id));
}

static void test_id_no_check_x_upper_case_only(void **state)
{
	char id[19], digits[12];
	int seq;

	(void)state;
	/* About one sequence number in eleven gives check 'X'. */
	for (seq = 0; seq < 1000; seq++) {
		snprintf(digits, sizeof(digits), "%03d", seq);
		id_with_check(1987, 9, 27, digits, id);
		if (id[17] == 'X')
			break;
	}
	assert_int_equal(id[17], 'X');
	assert_true(validate_id_no(id));
	id[17] = 'x';
	assert_false(validate_id_no(id));
}

static void test_id_no_rejects_wrong_lengths_and_null(void **state)
{
	(void)state;
	assert_false(validate_id_no(NULL));
	assert_false(validate_id_no(""));
	assert_false(validate_id_no("310120870927453"));
	assert_false(validate_id_no("3101201987092745360"));
	assert_false(validate_id_no("31012019870927453"));
}

/* ------------------------------------------------------------ dates */

static void test_date_parses_parts_of_valid_date(void **state)
{
	int y = 0, m = 0, d = 0;

	(void)state;
	assert_true(validate_date("2024-02-29", &y, &m, &d));
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	assert_true(validate_date("2000-02-29", NULL, NULL, NULL));
}

static void test_date_rejects_non_leap_feb_29(void **state)
{
	(void)state;
	assert_false(validate_date("2023-02-29", NULL, NULL, NULL));
	assert_false(validate_date("1900-02-29", NULL, NULL, NULL));
	assert_false(validate_date("2100-02-29", NULL, NULL, NULL));
}

static void test_date_year_range_is_1900_to_2199(void **state)
{
	(void)state;
	assert_true(validate_date("1900-01-01", NULL, NULL, NULL));
	assert_true(validate_date("2199-12-31", NULL, NULL, NULL));
	assert_false(validate_date("1899-12-31", NULL, NULL, NULL));
	assert_false(validate_date("2200-01-01", NULL, NULL, NULL));
}

static void test_date_rejects_loose_formats(void **state)
{
	static const char *bad[] = {
		"2024-2-29",
		"2024/02/29",
		"20240229",
		"2024-02-29 ",
		" 2024-02-29",
		"+024-02-29",
		"2024-00-10",
		"2024-13-01",
		"2024-01-00",
		"2024-01-32",
		"2024-04-31",
		"2024-1a-01",
		"2024-02-2",
		"",
		"2024-02-29T00:00:00Z",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (validate_date(bad[i], NULL, NULL, NULL))
			fail_msg("'%s' should be refused", bad[i]);
	assert_false(validate_date(NULL, NULL, NULL, NULL));
}

static void test_date_leaves_outputs_untouched_on_failure(void **state)
{
	int y = -1, m = -1, d = -1;

	(void)state;
	assert_false(validate_date("2023-02-29", &y, &m, &d));
	assert_int_equal(y, -1);
	assert_int_equal(m, -1);
	assert_int_equal(d, -1);
}

/* ----------------------------------------------------------- phones */

static void test_phone_accepts_mobiles_13_to_19(void **state)
{
	(void)state;
	assert_true(validate_phone("13812345678"));
	assert_true(validate_phone("19912345678"));
	assert_false(validate_phone("12812345678"));
	assert_false(validate_phone("10812345678"));
}

static void test_phone_rejects_malformed_mobiles(void **state)
{
	(void)state;
	assert_false(validate_phone("1381234567"));
	assert_false(validate_phone("138123456789"));
	assert_false(validate_phone("138-1234-5678"));
	assert_false(validate_phone("+8613812345678"));
	assert_false(validate_phone("1381234567a"));
	assert_false(validate_phone(""));
	assert_false(validate_phone(NULL));
}

static void test_phone_accepts_landlines_with_and_without_dash(void **state)
{
	(void)state;
	assert_true(validate_phone("021-57123456"));
	assert_true(validate_phone("02157123456"));
	assert_true(validate_phone("010-12345678"));
	assert_true(validate_phone("021-5712345"));
	assert_true(validate_phone("0571-12345678"));
	assert_true(validate_phone("0571-1234567"));
	assert_true(validate_phone("05711234567"));
}

static void test_phone_rejects_malformed_landlines(void **state)
{
	static const char *bad[] = {
		"021-571234",
		"021-571234567",
		"21-57123456",
		"0021-5712345",
		"0-57123456",
		"021--57123456",
		"021-5712345a",
		"0123-4567890",
		"057-12345678",
		"021-",
		"0",
		"021 57123456",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (validate_phone(bad[i]))
			fail_msg("'%s' should be refused", bad[i]);
}

/* -------------------------------------------------------- usernames */

static void test_username_length_is_3_to_64(void **state)
{
	char name[66];

	(void)state;
	assert_false(validate_username("ab"));
	assert_true(validate_username("abc"));
	memset(name, 'a', 64);
	name[64] = '\0';
	assert_true(validate_username(name));
	name[64] = 'a';
	name[65] = '\0';
	assert_false(validate_username(name));
	assert_false(validate_username(NULL));
}

static void test_username_allows_only_its_charset_and_alnum_start(void **state)
{
	(void)state;
	assert_true(validate_username("a_b.c@d-e"));
	assert_true(validate_username("9user"));
	assert_false(validate_username("_abc"));
	assert_false(validate_username(".abc"));
	assert_false(validate_username("-abc"));
	assert_false(validate_username("@abc"));
	assert_false(validate_username("ab c"));
	assert_false(validate_username("abc/d"));
	assert_false(validate_username("张三abc"));
}

/* -------------------------------------------------------- passwords */

static void test_password_of_11_chars_is_too_short_and_12_is_ok(void **state)
{
	(void)state;
	assert_int_equal(validate_password("Abcdefgh123"), VALIDATE_PASSWORD_TOO_SHORT);
	assert_int_equal(validate_password("Abcdefgh1234"), VALIDATE_PASSWORD_OK);
	assert_int_equal(validate_password(""), VALIDATE_PASSWORD_TOO_SHORT);
	assert_int_equal(validate_password(NULL), VALIDATE_PASSWORD_TOO_SHORT);
}

static void test_password_needs_3_of_4_classes(void **state)
{
	(void)state;
	assert_int_equal(validate_password("abcdefgh1234"), VALIDATE_PASSWORD_TOO_SIMPLE);
	assert_int_equal(validate_password("abcdefghIJKL"), VALIDATE_PASSWORD_TOO_SIMPLE);
	assert_int_equal(validate_password("!@#$%^&*1234"), VALIDATE_PASSWORD_TOO_SIMPLE);
	assert_int_equal(validate_password("aaaaaaaaaaaa"), VALIDATE_PASSWORD_TOO_SIMPLE);
	assert_int_equal(validate_password("abcdefGH1234"), VALIDATE_PASSWORD_OK);
	assert_int_equal(validate_password("abcdefGH!@#$"), VALIDATE_PASSWORD_OK);
	assert_int_equal(validate_password("abcdef12!@#$"), VALIDATE_PASSWORD_OK);
	assert_int_equal(validate_password("ABCDEF12!@#$"), VALIDATE_PASSWORD_OK);
	assert_int_equal(validate_password("abcd EFG 123"), VALIDATE_PASSWORD_OK);
}

static void test_password_counts_chinese_as_one_char_each(void **state)
{
	(void)state;
	/* 11 characters but 21 bytes: bytes must not count as characters. */
	assert_int_equal(validate_password("密码安全性Ab1234"), VALIDATE_PASSWORD_TOO_SHORT);
	assert_int_equal(validate_password("密码安全性Ab12345"), VALIDATE_PASSWORD_OK);
}

static void test_password_counts_chinese_as_other_class(void **state)
{
	(void)state;
	assert_int_equal(validate_password("abcdefghij12"), VALIDATE_PASSWORD_TOO_SIMPLE);
	assert_int_equal(validate_password("密码abcdefghij12"), VALIDATE_PASSWORD_OK);
}

static void test_password_max_is_256_bytes(void **state)
{
	char pw[300];

	(void)state;
	memset(pw, 'a', sizeof(pw));
	memcpy(pw, "Ab1", 3);
	pw[256] = '\0';
	assert_int_equal(validate_password(pw), VALIDATE_PASSWORD_OK);
	pw[256] = 'a';
	pw[257] = '\0';
	assert_int_equal(validate_password(pw), VALIDATE_PASSWORD_TOO_LONG);
}

static void test_password_limit_is_bytes_not_chars_for_chinese(void **state)
{
	char pw[300] = "Ab1";

	(void)state;
	/* 3 + 84 * 3 = 255 bytes is fine; one more Chinese character is 258. */
	for (int i = 0; i < 84; i++)
		strcat(pw, "密");
	assert_int_equal(validate_password(pw), VALIDATE_PASSWORD_OK);
	strcat(pw, "密");
	assert_int_equal(validate_password(pw), VALIDATE_PASSWORD_TOO_LONG);
}

static void test_password_refuses_invalid_utf8(void **state)
{
	(void)state;
	assert_int_equal(validate_password("Abcdefgh1234\xff"), VALIDATE_PASSWORD_BAD_ENCODING);
	assert_int_equal(validate_password("Abcdefgh1234\xc0\xaf"), VALIDATE_PASSWORD_BAD_ENCODING);
	assert_int_equal(validate_password("Abcdefgh1234\xed\xa0\x80"),
			 VALIDATE_PASSWORD_BAD_ENCODING);
	assert_int_equal(validate_password("Abcdefgh1234\xe5\xaf"), VALIDATE_PASSWORD_BAD_ENCODING);
}

static void test_password_messages_name_their_rule(void **state)
{
	(void)state;
	assert_string_equal(validate_password_message(VALIDATE_PASSWORD_TOO_SHORT),
			    "password must be at least 12 characters");
	assert_non_null(strstr(validate_password_message(VALIDATE_PASSWORD_TOO_LONG), "256 bytes"));
	assert_non_null(
		strstr(validate_password_message(VALIDATE_PASSWORD_TOO_SIMPLE), "at least 3"));
	assert_non_null(strstr(validate_password_message(VALIDATE_PASSWORD_BAD_ENCODING), "UTF-8"));
	assert_non_null(validate_password_message(VALIDATE_PASSWORD_OK));
	assert_non_null(validate_password_message((validate_password_result)99));
}

/* ------------------------------------------------------------ UTF-8 */

#define UTF8_OK(lit) validate_utf8(lit, sizeof(lit) - 1)

static void test_utf8_accepts_every_length_and_the_edges(void **state)
{
	(void)state;
	assert_true(UTF8_OK(""));
	assert_true(UTF8_OK("plain ascii"));
	assert_true(UTF8_OK("\xc2\x80"));
	assert_true(UTF8_OK("奉贤区"));
	assert_true(UTF8_OK("\xed\x9f\xbf"));	  /* U+D7FF */
	assert_true(UTF8_OK("\xee\x80\x80"));	  /* U+E000 */
	assert_true(UTF8_OK("\xf0\x9f\x98\x80")); /* U+1F600 */
	assert_true(UTF8_OK("\xf4\x8f\xbf\xbf")); /* U+10FFFF */
	assert_true(validate_utf8("a\0b", 3));
	assert_true(validate_utf8(NULL, 0));
}

static void test_utf8_rejects_overlong_forms(void **state)
{
	(void)state;
	assert_false(UTF8_OK("\xc0\x80"));
	assert_false(UTF8_OK("\xc1\xbf"));
	assert_false(UTF8_OK("\xe0\x80\x80"));
	assert_false(UTF8_OK("\xe0\x9f\xbf"));
	assert_false(UTF8_OK("\xf0\x80\x80\x80"));
	assert_false(UTF8_OK("\xf0\x8f\xbf\xbf"));
}

static void test_utf8_rejects_surrogates_and_above_10ffff(void **state)
{
	(void)state;
	assert_false(UTF8_OK("\xed\xa0\x80"));
	assert_false(UTF8_OK("\xed\xbf\xbf"));
	assert_false(UTF8_OK("\xf4\x90\x80\x80"));
	assert_false(UTF8_OK("\xf5\x80\x80\x80"));
	assert_false(UTF8_OK("\xff"));
}

static void test_utf8_rejects_truncated_and_stray_bytes(void **state)
{
	(void)state;
	assert_false(UTF8_OK("\x80"));
	assert_false(UTF8_OK("a\xbf"));
	assert_false(UTF8_OK("\xe5\xa5"));
	assert_false(UTF8_OK("\xe5\x41\xa5"));
	assert_false(UTF8_OK("\xf0\x9f\x98"));
	/* The length given is the end, even if more bytes follow. */
	assert_false(validate_utf8("奉", 2));
	assert_false(validate_utf8(NULL, 1));
}

static void test_utf8_length_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(validate_utf8_length(""), 0);
	assert_int_equal(validate_utf8_length(NULL), 0);
	assert_int_equal(validate_utf8_length("abc"), 3);
	assert_int_equal(validate_utf8_length("奉贤区"), 3);
	assert_int_equal(validate_utf8_length("\xf0\x9f\x98\x80x"), 2);
}

/* ---------------------------------------------------------- masking */

static void test_mask_id_no_keeps_first_3_and_last_4(void **state)
{
	char out[32];

	(void)state;
	mask_id_no("310120198709274536", out, sizeof(out));
	assert_string_equal(out, "310***********4536");
	mask_id_no("31012019870927453X", out, sizeof(out));
	assert_string_equal(out, "310***********453X");
}

static void test_mask_phone_keeps_first_3_and_last_4(void **state)
{
	char out[32];

	(void)state;
	mask_phone("13812345678", out, sizeof(out));
	assert_string_equal(out, "138****5678");
	mask_phone("021-57123456", out, sizeof(out));
	assert_string_equal(out, "021*****3456");
}

static void test_mask_stars_whole_input_under_8_chars(void **state)
{
	char out[32];

	(void)state;
	mask_phone("1234567", out, sizeof(out));
	assert_string_equal(out, "*******");
	mask_phone("12345678", out, sizeof(out));
	assert_string_equal(out, "123*5678");
	mask_id_no("123", out, sizeof(out));
	assert_string_equal(out, "***");
	mask_id_no("", out, sizeof(out));
	assert_string_equal(out, "");
	mask_id_no(NULL, out, sizeof(out));
	assert_string_equal(out, "");
}

/* Masks into a buffer of out_size inside a larger canary-filled one and
 * checks nothing past out_size was written. */
static void mask_into(const char *in, size_t out_size, const char *want)
{
	char buf[64];

	memset(buf, '#', sizeof(buf));
	mask_phone(in, buf, out_size);
	for (size_t i = out_size; i < sizeof(buf); i++)
		assert_int_equal(buf[i], '#');
	if (want)
		assert_string_equal(buf, want);
}

static void test_mask_truncates_to_buffer_and_always_terminates(void **state)
{
	(void)state;
	mask_into("13812345678", 0, NULL);
	mask_into("13812345678", 1, "");
	mask_into("13812345678", 5, "138*");
	mask_into("13812345678", 11, "138****567");
	mask_into("13812345678", 12, "138****5678");
	mask_into("1234567", 4, "***");
	mask_into(NULL, 1, "");
}

static void test_mask_counts_and_never_splits_multibyte_chars(void **state)
{
	char out[64];

	(void)state;
	mask_id_no("张三丰李四王五赵六", out, sizeof(out));
	assert_string_equal(out, "张三丰**王五赵六");
	/* 8 bytes fit "张三" (6) but not the third character. */
	mask_id_no("张三丰李四王五赵六", out, 9);
	assert_string_equal(out, "张三");
	assert_true(validate_utf8(out, strlen(out)));
}

static void test_mask_stars_invalid_utf8_byte_by_byte(void **state)
{
	char out[32];

	(void)state;
	mask_id_no("3101201987\xff"
		   "09274536",
		   out, sizeof(out));
	assert_string_equal(out, "*******************");
}

static void test_name_index_finds_each_name_and_refuses_the_rest(void **state)
{
	(void)state;
	static const char *const names[] = {"nominated", "approved", "rejected"};

	assert_int_equal(validate_name_index("nominated", names, 3), 0);
	assert_int_equal(validate_name_index("rejected", names, 3), 2);
	assert_int_equal(validate_name_index("rejected", names, 2), -1); /* past count */
	assert_int_equal(validate_name_index("Approved", names, 3), -1); /* case-sensitive */
	assert_int_equal(validate_name_index("approve", names, 3), -1);
	assert_int_equal(validate_name_index("", names, 3), -1);
	assert_int_equal(validate_name_index(NULL, names, 3), -1);
	assert_int_equal(validate_name_index("approved", names, 0), -1);
}

static void test_days_in_month_follows_the_gregorian_leap_rules(void **state)
{
	(void)state;
	assert_int_equal(validate_days_in_month(2025, 1), 31);
	assert_int_equal(validate_days_in_month(2025, 4), 30);
	assert_int_equal(validate_days_in_month(2025, 2), 28);
	assert_int_equal(validate_days_in_month(2024, 2), 29);
	assert_int_equal(validate_days_in_month(1900, 2), 28);
	assert_int_equal(validate_days_in_month(2000, 2), 29);
	assert_int_equal(validate_days_in_month(2026, 12), 31);
}

static void test_blank_is_null_empty_or_only_whitespace(void **state)
{
	(void)state;
	assert_true(validate_blank(NULL));
	assert_true(validate_blank(""));
	assert_true(validate_blank(" \t\r\n "));
	assert_false(validate_blank(" x "));
	assert_false(validate_blank("\u3000理由"));
	assert_false(validate_blank("."));
}

static void test_text_refuses_c0_del_and_c1(void **state)
{
	(void)state;
	assert_false(validate_text(NULL, false));
	assert_true(validate_text("", false));
	assert_true(validate_text("东方美谷贷 A-1 (2026)", false));
	assert_true(validate_text("\u00a0no-break space, \u00ff, \u3000 and \U0001F600", false));
	/* every C0 byte, first, inside and last */
	for (int c = 1; c < 0x20; c++) {
		char first[] = {(char)c, 'a', '\0'}, mid[] = {'a', (char)c, 'b', '\0'},
		     last[] = {'a', (char)c, '\0'};
		assert_false(validate_text(first, false));
		assert_false(validate_text(mid, false));
		assert_false(validate_text(last, false));
		assert_int_equal(validate_text(mid, true), c == '\n');
	}
	assert_false(validate_text("a\x7f", false));
	assert_false(validate_text("a\x7f", true));
	/* C1: U+0080 (C2 80) to U+009F (C2 9F), NEL U+0085 among them */
	assert_false(validate_text("a\xc2\x80", false));
	assert_false(validate_text("\xc2\x85 next line", true));
	assert_false(validate_text("a\xc2\x9f", false));
	assert_true(validate_text("a\xc2\xa0", false)); /* U+00A0 is not C1 */
	assert_true(
		validate_text("\xe2\x80\x85", false)); /* nor is U+2005 (its tail bytes 80 85) */
	assert_true(validate_text("line one\nline two", true));
	assert_false(validate_text("line one\r\nline two", true));
	assert_false(validate_text("a\tb", true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uscc_every_vector_row_behaves_as_expected),
		cmocka_unit_test(test_id_no_every_vector_row_behaves_as_expected),
		cmocka_unit_test(test_uscc_alphabet_includes_m),
		cmocka_unit_test(test_uscc_rejects_each_excluded_letter),
		cmocka_unit_test(test_uscc_rejects_letter_in_division_code_even_with_right_check),
		cmocka_unit_test(test_uscc_accepts_check_character_zero),
		cmocka_unit_test(test_uscc_rejects_null_and_trailing_space),
		cmocka_unit_test(test_id_no_accepts_leap_day_2000_0229),
		cmocka_unit_test(test_id_no_rejects_1900_0229_as_1900_is_not_leap),
		cmocka_unit_test(test_id_no_rejects_impossible_days),
		cmocka_unit_test(test_id_no_accepts_1900_0101_and_rejects_earlier),
		cmocka_unit_test(test_id_no_accepts_today_and_rejects_tomorrow_district),
		cmocka_unit_test(test_id_no_check_x_upper_case_only),
		cmocka_unit_test(test_id_no_rejects_wrong_lengths_and_null),
		cmocka_unit_test(test_date_parses_parts_of_valid_date),
		cmocka_unit_test(test_date_rejects_non_leap_feb_29),
		cmocka_unit_test(test_date_year_range_is_1900_to_2199),
		cmocka_unit_test(test_date_rejects_loose_formats),
		cmocka_unit_test(test_date_leaves_outputs_untouched_on_failure),
		cmocka_unit_test(test_phone_accepts_mobiles_13_to_19),
		cmocka_unit_test(test_phone_rejects_malformed_mobiles),
		cmocka_unit_test(test_phone_accepts_landlines_with_and_without_dash),
		cmocka_unit_test(test_phone_rejects_malformed_landlines),
		cmocka_unit_test(test_username_length_is_3_to_64),
		cmocka_unit_test(test_username_allows_only_its_charset_and_alnum_start),
		cmocka_unit_test(test_password_of_11_chars_is_too_short_and_12_is_ok),
		cmocka_unit_test(test_password_needs_3_of_4_classes),
		cmocka_unit_test(test_password_counts_chinese_as_one_char_each),
		cmocka_unit_test(test_password_counts_chinese_as_other_class),
		cmocka_unit_test(test_password_max_is_256_bytes),
		cmocka_unit_test(test_password_limit_is_bytes_not_chars_for_chinese),
		cmocka_unit_test(test_password_refuses_invalid_utf8),
		cmocka_unit_test(test_password_messages_name_their_rule),
		cmocka_unit_test(test_utf8_accepts_every_length_and_the_edges),
		cmocka_unit_test(test_utf8_rejects_overlong_forms),
		cmocka_unit_test(test_utf8_rejects_surrogates_and_above_10ffff),
		cmocka_unit_test(test_utf8_rejects_truncated_and_stray_bytes),
		cmocka_unit_test(test_utf8_length_counts_code_points),
		cmocka_unit_test(test_mask_id_no_keeps_first_3_and_last_4),
		cmocka_unit_test(test_mask_phone_keeps_first_3_and_last_4),
		cmocka_unit_test(test_mask_stars_whole_input_under_8_chars),
		cmocka_unit_test(test_mask_truncates_to_buffer_and_always_terminates),
		cmocka_unit_test(test_mask_counts_and_never_splits_multibyte_chars),
		cmocka_unit_test(test_mask_stars_invalid_utf8_byte_by_byte),
		cmocka_unit_test(test_name_index_finds_each_name_and_refuses_the_rest),
		cmocka_unit_test(test_days_in_month_follows_the_gregorian_leap_rules),
		cmocka_unit_test(test_blank_is_null_empty_or_only_whitespace),
		cmocka_unit_test(test_text_refuses_c0_del_and_c1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
