/* The router: literal and placeholder matching, 404 versus 405, roles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "server/http/router.h"

static xyd_status h(struct request_ctx *rc)
{
	(void)rc;
	return XYD_OK;
}

static const route table[] = {
	{"GET", "/api/v1/users", ROLE_ADMIN, h, 0, NULL},
	{"POST", "/api/v1/users", ROLE_ADMIN, h, 0, NULL},
	{"POST", "/api/v1/users/{id}/lock", ROLE_ADMIN, h, 0, NULL},
	{"GET", "/api/v1/credit-models/{version}", ROLE_BUREAU, h, 0, NULL},
	{"GET", "/api/v1/health", ROUTE_PUBLIC, h, 0, NULL},
};
#define NT (sizeof table / sizeof table[0])

static router_result match(const char *method, const char *path, route_match *m, char *allow)
{
	return router_match(table, NT, method, path, m, allow, 64);
}

static void test_literal_path_matches_its_method(void **state)
{
	(void)state;
	route_match m;
	char allow[64];
	assert_int_equal(match("POST", "/api/v1/users", &m, allow), ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[1]);
	assert_int_equal(m.nparams, 0);
}

static void test_id_placeholder_takes_positive_integers_only(void **state)
{
	(void)state;
	route_match m;
	char allow[64];
	assert_int_equal(match("POST", "/api/v1/users/42/lock", &m, allow), ROUTER_FOUND);
	assert_int_equal(m.ids[0], 42);
	assert_int_equal(match("POST", "/api/v1/users/0/lock", &m, allow), ROUTER_NOT_FOUND);
	assert_int_equal(match("POST", "/api/v1/users/-1/lock", &m, allow), ROUTER_NOT_FOUND);
	assert_int_equal(match("POST", "/api/v1/users/abc/lock", &m, allow), ROUTER_NOT_FOUND);
	assert_int_equal(match("POST", "/api/v1/users/007/lock", &m, allow), ROUTER_NOT_FOUND);
	assert_int_equal(match("POST", "/api/v1/users/99999999999999999/lock", &m, allow),
			 ROUTER_NOT_FOUND);
}

static void test_named_placeholder_keeps_its_text(void **state)
{
	(void)state;
	route_match m;
	char allow[64];
	assert_int_equal(match("GET", "/api/v1/credit-models/v2.1", &m, allow), ROUTER_FOUND);
	assert_string_equal(m.strs[0], "v2.1");
	assert_int_equal(match("GET", "/api/v1/credit-models/a%2fb", &m, allow), ROUTER_NOT_FOUND);
}

static void test_known_path_with_other_method_is_405_with_allow(void **state)
{
	(void)state;
	route_match m;
	char allow[64];
	assert_int_equal(match("DELETE", "/api/v1/users", &m, allow), ROUTER_METHOD_NOT_ALLOWED);
	assert_string_equal(allow, "GET, POST");
}

static void test_unknown_paths_are_404(void **state)
{
	(void)state;
	route_match m;
	char allow[64];
	assert_int_equal(match("GET", "/api/v1/user", &m, allow), ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1/users/", &m, allow), ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1/users/1", &m, allow), ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "/api/v1//users", &m, allow), ROUTER_NOT_FOUND);
	assert_int_equal(match("GET", "", &m, allow), ROUTER_NOT_FOUND);
}

static void test_role_bits_name_each_role(void **state)
{
	(void)state;
	assert_int_equal(router_role_bit("sme"), ROLE_SME);
	assert_int_equal(router_role_bit("auditor"), ROLE_AUDITOR);
	assert_int_equal(router_role_bit("root"), 0);
	assert_int_equal(router_role_bit(NULL), 0);
	assert_true(ROLE_ANY & ROLE_BANK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_path_matches_its_method),
		cmocka_unit_test(test_id_placeholder_takes_positive_integers_only),
		cmocka_unit_test(test_named_placeholder_keeps_its_text),
		cmocka_unit_test(test_known_path_with_other_method_is_405_with_allow),
		cmocka_unit_test(test_unknown_paths_are_404),
		cmocka_unit_test(test_role_bits_name_each_role),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
