/*
 * Fuzz target: the identifier and text validators (common/validate.c) that
 * every credit code, ID number, date, phone, username and password from a
 * client passes through, and the masking of personal numbers. Besides memory
 * errors it checks their promises: an accepted USCC or ID number is 18
 * characters ending in its own check character; an accepted date is 10
 * characters with a real day; a mask is NUL-terminated inside its buffer,
 * valid UTF-8 and no longer in characters than its input.
 */
#include <stdbool.h>

#include "common/csv.h"
#include "common/validate.h"
#include "fuzz/fuzz.h"

/* validate_text's promise: accepted text holds no C0 (LF only with lines),
 * no DEL and no C1 (C2 80..C2 9F); single-line acceptance implies multi-line. */
static void check_text(const char *s)
{
	bool one = validate_text(s, false), lines = validate_text(s, true);
	FUZZ_CHECK(!one || lines);
	if (!lines)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		FUZZ_CHECK(*p >= 0x20 || (*p == '\n' && !one));
		FUZZ_CHECK(*p != 0x7f);
		FUZZ_CHECK(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f));
	}
}

/* csv_field's promise: within its buffer, and a cell a spreadsheet would
 * run as a formula (or that starts with TAB, CR or LF) starts with '. */
static void check_csv(const char *s, size_t len)
{
	size_t size = CSV_FIELD_MAX(len);
	char *out = malloc(size + 1);
	size_t n = csv_field(out, size, s);
	FUZZ_CHECK(n <= size);
	if (n > 0 && strchr("=+-@\t\r\n", s[0]) && s[0] != '\0') {
		size_t first = out[0] == '"' ? 1 : 0;
		FUZZ_CHECK(n > first && out[first] == '\'');
	}
	free(out);
}

static void check_mask(void (*mask)(const char *, char *, size_t), const char *s, size_t out_size)
{
	char out[64];
	memset(out, 'Z', sizeof out);
	mask(s, out, out_size);
	if (out_size == 0)
		return;
	size_t len = strnlen(out, out_size);
	FUZZ_CHECK(len < out_size);
	FUZZ_CHECK(validate_utf8(out, len));
	if (validate_utf8(s, strlen(s)))
		FUZZ_CHECK(validate_utf8_length(out) <= validate_utf8_length(s));
	else
		FUZZ_CHECK(len <= strlen(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstring(data, size);
	size_t len = strlen(s);
	if (validate_uscc(s)) {
		FUZZ_CHECK(len == 18);
		FUZZ_CHECK(validate_uscc_check_char(s) == s[17]);
	}
	if (validate_id_no(s)) {
		FUZZ_CHECK(len == 18);
		FUZZ_CHECK(validate_id_no_check_char(s) == s[17]);
	}
	if (len >= 17) {
		/* a code completed with its own check character is valid exactly
		 * when its first 17 characters are */
		char c = validate_uscc_check_char(s), fixed[19];
		memcpy(fixed, s, 17);
		fixed[17] = c;
		fixed[18] = '\0';
		if (c != '\0' && validate_uscc(s))
			FUZZ_CHECK(validate_uscc(fixed));
		c = validate_id_no_check_char(s);
		FUZZ_CHECK(c == '\0' || (c >= '0' && c <= '9') || c == 'X');
	}
	int y = 0, m = 0, d = 0;
	if (validate_date(s, &y, &m, &d)) {
		FUZZ_CHECK(len == 10);
		FUZZ_CHECK(y >= 1900 && y <= 2199 && m >= 1 && m <= 12);
		FUZZ_CHECK(d >= 1 && d <= validate_days_in_month(y, m));
	}
	if (validate_phone(s))
		FUZZ_CHECK(len >= 10 && len <= 13);
	if (validate_username(s))
		FUZZ_CHECK(len >= 3 && len <= 64);
	validate_password_result pr = validate_password(s);
	FUZZ_CHECK(validate_password_message(pr) != NULL);
	if (pr == VALIDATE_PASSWORD_OK)
		FUZZ_CHECK(len <= VALIDATE_PASSWORD_MAX_BYTES);
	bool utf8 = validate_utf8((const char *)data, size);
	if (utf8 && size > 0)
		FUZZ_CHECK(validate_utf8_length(s) <= len);
	(void)validate_blank(s);
	if (utf8)
		check_text(s);
	check_csv(s, len);
	static const char *const names[] = {"submitted", "approved", "rejected"};
	int k = validate_name_index(s, names, 3);
	FUZZ_CHECK(k == -1 || strcmp(names[k], s) == 0);
	size_t out_size = size ? data[0] % 40 : 0;
	check_mask(mask_id_no, s, out_size);
	check_mask(mask_phone, s, out_size);
	check_mask(mask_id_no, s, 64);
	free(s);
	return 0;
}
