/* api_error_set: the text of a refusal is always UTF-8, because it goes to
 * the client inside JSON (found by fuzz/fuzz_static_path.c: a request path
 * with a raw byte 0xFF came back in "no such page: ..." as invalid UTF-8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/validate.h"
#include "server/http/api_error.h"

static void test_raw_bytes_in_a_message_or_field_become_question_marks(void **state)
{
	(void)state;
	api_error err;
	api_error_set(&err, XYD_NOT_FOUND,
		      "a\xff"
		      "b",
		      "no such page: %s",
		      "/\xff\xfe"
		      "ab\xe4\xbf");
	assert_int_equal(err.status, XYD_NOT_FOUND);
	assert_string_equal(err.message, "no such page: /??ab??");
	assert_string_equal(err.field, "a?b");
}

static void test_valid_utf8_is_kept_whole(void **state)
{
	(void)state;
	api_error err;
	api_error_set(&err, XYD_VALIDATION_FAILED, "企业.name", "field '%s' is required", "信易贷");
	assert_string_equal(err.message, "field '信易贷' is required");
	assert_string_equal(err.field, "企业.name");
}

static void test_a_character_cut_by_the_buffer_does_not_leave_half(void **state)
{
	(void)state;
	api_error err;
	char path[600] = "/a";
	for (int i = 0; i < 150; i++)
		strcat(path, "信");
	api_error_set(&err, XYD_NOT_FOUND, path, "no such page: %s", path);
	assert_true(validate_utf8(err.message, strlen(err.message)));
	assert_true(validate_utf8(err.field, strlen(err.field)));
	assert_int_equal(strlen(err.message), sizeof err.message - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_bytes_in_a_message_or_field_become_question_marks),
		cmocka_unit_test(test_valid_utf8_is_kept_whole),
		cmocka_unit_test(test_a_character_cut_by_the_buffer_does_not_leave_half),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
