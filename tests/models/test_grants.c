/*
 * The rights rule of the server's database account (models/grants.h):
 * append-only history and read-only reference data by name, every other
 * table, including one a later migration adds, the default.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/grants.h"

static void test_history_is_append_only(void **state)
{
	(void)state;
	assert_string_equal(models_grants_for_table("audit_log"), "SELECT, INSERT");
	assert_string_equal(models_grants_for_table("ledger_postings"), "SELECT, INSERT");
	assert_string_equal(models_grants_for_table("ledger_journals"), "SELECT, INSERT");
}

static void test_reference_data_is_read_only(void **state)
{
	(void)state;
	assert_string_equal(models_grants_for_table("towns"), "SELECT");
	assert_string_equal(models_grants_for_table("parks"), "SELECT");
	assert_string_equal(models_grants_for_table("schema_migrations"), "SELECT");
}

static void test_unknown_tables_get_the_default(void **state)
{
	(void)state;
	assert_string_equal(models_grants_for_table("program_partners"),
			    "SELECT, INSERT, UPDATE, DELETE");
	assert_string_equal(models_grants_for_table("loans"), "SELECT, INSERT, UPDATE, DELETE");
	/* A name only close to an exception is not one. */
	assert_string_equal(models_grants_for_table("audit_log_archive"),
			    "SELECT, INSERT, UPDATE, DELETE");
	assert_string_equal(models_grants_for_table("AUDIT_LOG"), "SELECT, INSERT, UPDATE, DELETE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_history_is_append_only),
		cmocka_unit_test(test_reference_data_is_read_only),
		cmocka_unit_test(test_unknown_tables_get_the_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
