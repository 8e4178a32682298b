/*
 * Fuzz target: the router's path matching (server/http/router.c) over the real
 * route table (server/api/routes.c; the handlers are empty functions generated
 * by the Makefile, never called). Input: the first byte picks the method and the
 * size of the Allow buffer, the rest up to a NUL is the path. Besides memory
 * errors it checks that a match is the route for that method whose pattern,
 * with the matched parameters put back, spells exactly the path; that an
 * "{id}" is a positive integer up to 2^53 with no leading zero; and that the
 * Allow list always ends inside its buffer.
 */
#include <stdbool.h>

#include "fuzz/fuzz.h"
#include "server/api/handlers.h"

static const char *const methods[] = {"GET", "POST", "PATCH",	"DELETE",
				      "PUT", "HEAD", "OPTIONS", "get"};

/* The pattern with each placeholder replaced by its matched text. */
static void rebuild(const char *pattern, const route_match *m, char *out, size_t out_size)
{
	size_t used = 0;
	int k = 0;
	while (*pattern && used + 1 < out_size) {
		if (*pattern == '{') {
			FUZZ_CHECK(k < m->nparams);
			size_t n = strlen(m->strs[k]);
			FUZZ_CHECK(used + n < out_size);
			memcpy(out + used, m->strs[k++], n);
			used += n;
			pattern += strcspn(pattern, "}") + 1;
		} else {
			out[used++] = *pattern++;
		}
	}
	out[used] = '\0';
	FUZZ_CHECK(k == m->nparams);
}

static void check_found(const char *method, const char *path, const route_match *m)
{
	FUZZ_CHECK(m->route >= routes_table && m->route < routes_table + routes_count);
	FUZZ_CHECK(strcmp(m->route->method, method) == 0);
	FUZZ_CHECK(m->nparams >= 0 && m->nparams <= ROUTER_MAX_PARAMS);
	char back[4096 + 64];
	rebuild(m->route->pattern, m, back, sizeof back);
	FUZZ_CHECK(strcmp(back, path) == 0);
	const char *p = m->route->pattern;
	for (int k = 0; k < m->nparams; k++) {
		p = strchr(p, '{');
		FUZZ_CHECK(p != NULL);
		if (strncmp(p, "{id}", 4) == 0) {
			FUZZ_CHECK(m->ids[k] >= 1 && m->ids[k] <= (INT64_C(1) << 53));
			FUZZ_CHECK(m->strs[k][0] != '0');
			FUZZ_CHECK(strtoll(m->strs[k], NULL, 10) == m->ids[k]);
		} else {
			FUZZ_CHECK(m->ids[k] == 0);
		}
		p++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 4096)
		return 0;
	const char *method = methods[data[0] % (sizeof methods / sizeof methods[0])];
	size_t allow_size = (size_t)(data[0] >> 3); /* 0..31: truncation too */
	char *path = fuzz_cstring(data + 1, size - 1);
	char allow[32];
	memset(allow, 'Z', sizeof allow);
	route_match m;
	router_result r = router_match(routes_table, routes_count, method, path, &m, allow,
				       allow_size);
	if (allow_size > 0)
		FUZZ_CHECK(memchr(allow, '\0', allow_size) != NULL);
	if (r == ROUTER_FOUND)
		check_found(method, path, &m);
	else if (r == ROUTER_METHOD_NOT_ALLOWED && allow_size >= 8)
		FUZZ_CHECK(allow[0] != '\0');
	else
		FUZZ_CHECK(r == ROUTER_NOT_FOUND || r == ROUTER_METHOD_NOT_ALLOWED);
	free(path);
	return 0;
}
