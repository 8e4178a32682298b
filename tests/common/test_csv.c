/*
 * Unit tests for common/csv: quoting, the formula guard on each character
 * that starts a formula or a control sequence, and that a field never runs
 * past its buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "common/csv.h"

/* csv_field of s as a string (the tests' buffers are large enough). */
static const char *field(const char *s)
{
	static char out[256];
	size_t n = csv_field(out, sizeof out - 1, s);
	out[n] = '\0';
	return out;
}

static void test_plain_fields_are_written_as_they_are(void **state)
{
	(void)state;
	assert_string_equal(field("南桥镇"), "南桥镇");
	assert_string_equal(field("a b"), "a b");
	assert_string_equal(field(""), "");
	assert_string_equal(field(NULL), "");
	assert_string_equal(field("1-2"), "1-2"); /* a minus inside is no formula */
}

static void test_quotes_commas_and_line_breaks_are_quoted(void **state)
{
	(void)state;
	assert_string_equal(field("a,b"), "\"a,b\"");
	assert_string_equal(field("say \"hi\""), "\"say \"\"hi\"\"\"");
	assert_string_equal(field("a\nb"), "\"a\nb\"");
	assert_string_equal(field("a\rb"), "\"a\rb\"");
}

static void test_each_formula_start_gets_an_apostrophe(void **state)
{
	(void)state;
	assert_string_equal(field("=1+1"), "'=1+1");
	assert_string_equal(field("+1"), "'+1");
	assert_string_equal(field("-1"), "'-1");
	assert_string_equal(field("@SUM(A1)"), "'@SUM(A1)");
	assert_string_equal(field("\t=1"), "'\t=1");
	/* CR and LF start a cell too, and make it quoted: the apostrophe goes
	 * inside the quotes, where a spreadsheet reads it. */
	assert_string_equal(field("\r=1+1"), "\"'\r=1+1\"");
	assert_string_equal(field("\n=1+1"), "\"'\n=1+1\"");
	assert_string_equal(field("=HYPERLINK(\"x\",\"y\")"),
			    "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
}

static void test_a_field_never_runs_past_its_buffer(void **state)
{
	(void)state;
	char buf[16];
	for (size_t size = 0; size <= 12; size++) {
		memset(buf, '#', sizeof buf);
		size_t n = csv_field(buf, size, "=\"q\",\"q\"");
		assert_true(n <= size);
		for (size_t i = size; i < sizeof buf; i++)
			assert_int_equal(buf[i], '#');
		if (size >= 3)
			assert_int_equal(buf[n - 1], '"'); /* the closing quote survives a cut */
	}
	assert_true(csv_field(buf, sizeof buf, "a") <= CSV_FIELD_MAX(1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_fields_are_written_as_they_are),
		cmocka_unit_test(test_quotes_commas_and_line_breaks_are_quoted),
		cmocka_unit_test(test_each_formula_start_gets_an_apostrophe),
		cmocka_unit_test(test_a_field_never_runs_past_its_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
