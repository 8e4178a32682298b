/* Reading the credit import's CSV alone (server/api/credit_csv.c): what the API
 * tests check through HTTP, here without a server, so the fuzz target's
 * entry point has unit tests of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "server/api/credit_import_internal.h"

#define HEAD "uscc,category,value,source_dept,source_record_id,observed_on"
#define GOOD "914403001922038216,award,\"{\"\"title\"\":\"\"x\"\"}\",dept,g1,2026-01-01"

static xyd_status read_text(const char *text, import_batch *b, api_error *err)
{
	memset(b, 0, sizeof *b);
	memset(err, 0, sizeof *err);
	return credit_import_read_csv(text, strlen(text), b, err);
}

static void test_bom_crlf_quotes_and_any_column_order_are_read(void **state)
{
	(void)state;
	import_batch b;
	api_error err;
	const char *text =
		"\xEF\xBB\xBF"
		"source_record_id,value,category,uscc,observed_on,source_dept,"
		"minor_party\r\n\"a,\"\"1\"\"\nb\",\"{\"\"n\"\":1}\",award,914403001922038216,"
		"2026-01-01,dept,true\r\n";
	assert_int_equal(read_text(text, &b, &err), XYD_OK);
	assert_int_equal(b.n, 1);
	assert_null(b.rows[0].code);
	assert_string_equal(b.rows[0].source_record_id, "a,\"1\"\nb");
	assert_string_equal(b.rows[0].category, "award");
	assert_true(b.rows[0].minor_party);
	assert_true(cJSON_IsObject(b.rows[0].value));
	assert_string_equal(b.format, "csv");
	credit_import_batch_release(&b);
}

static void test_bad_rows_get_a_verdict_and_the_rest_are_read(void **state)
{
	(void)state;
	import_batch b;
	api_error err;
	const char *text = HEAD "\n" GOOD "\n"
				"914403001922038216,award,\"{}\",dept,g2\n"
				"914403001922038216,award,\"[1]\",dept,g3,2026-01-01\n"
				"914403001922038216,award,\"{title:x}\",dept,g4,2026-01-01\n";
	assert_int_equal(read_text(text, &b, &err), XYD_OK);
	assert_int_equal(b.n, 4);
	assert_null(b.rows[0].code);
	assert_string_equal(b.rows[1].code, "invalid_field");
	assert_string_equal(b.rows[2].code, "invalid_value");
	assert_string_equal(b.rows[3].code, "invalid_value");
	credit_import_batch_release(&b);
}

static void test_broken_csv_and_bad_headers_are_refused(void **state)
{
	(void)state;
	static const char *const cases[] = {
		HEAD "\n" GOOD "\n914403001922038216,award,\"{}\",dept,\"g2,2026-01-01\n",
		HEAD "\n914403001922038216,\"award\"x,\"{}\",dept,g4,2026-01-01\n",
		HEAD ",colour\n" GOOD ",red\n",
		HEAD ",uscc\n" GOOD ",914403001922038216\n",
		"uscc,category,value,source_dept,observed_on\n",
		"\xEF\xBB\xBF",
		"",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		import_batch b;
		api_error err;
		assert_int_equal(read_text(cases[i], &b, &err), XYD_VALIDATION_FAILED);
		assert_true(strlen(err.message) > 10);
		credit_import_batch_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bom_crlf_quotes_and_any_column_order_are_read),
		cmocka_unit_test(test_bad_rows_get_a_verdict_and_the_rest_are_read),
		cmocka_unit_test(test_broken_csv_and_bad_headers_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
