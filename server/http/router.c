/* Path matching against the route table: see router.h. */
#include "server/http/router.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/validate.h"

const route_body route_body_empty = {NULL, 0, true};

unsigned router_role_bit(const char *role)
{
	static const char *const names[] = {"sme", "bank", "park", "bureau", "admin", "auditor"};
	for (unsigned i = 0; role && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(role, names[i]) == 0)
			return 1u << i;
	return 0;
}

static bool segment_is_id(const char *s, size_t len, int64_t *out)
{
	if (len == 0 || len > 16 || s[0] == '0')
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v > (INT64_C(1) << 53))
		return false;
	*out = v;
	return true;
}

static bool segment_is_name(const char *s, size_t len)
{
	return validate_token(s, len, ROUTER_PARAM_MAX);
}

/* Matches one pattern against path, filling m's params. */
static bool pattern_matches(const char *pattern, const char *path, route_match *m)
{
	m->nparams = 0;
	while (*pattern && *path) {
		if (*pattern != '/' || *path != '/')
			return false;
		pattern++, path++;
		size_t plen = strcspn(pattern, "/"), slen = strcspn(path, "/");
		if (pattern[0] == '{') {
			if (m->nparams == ROUTER_MAX_PARAMS || !segment_is_name(path, slen))
				return false;
			int k = m->nparams++;
			m->ids[k] = 0;
			if (strncmp(pattern, "{id}", 4) == 0 &&
			    !segment_is_id(path, slen, &m->ids[k]))
				return false;
			memcpy(m->strs[k], path, slen);
			m->strs[k][slen] = '\0';
		} else if (plen != slen || strncmp(pattern, path, plen) != 0) {
			return false;
		}
		pattern += plen, path += slen;
	}
	return *pattern == '\0' && *path == '\0';
}

router_result router_match(const route *table, size_t n, const char *method, const char *path,
			   route_match *m, char *allow, size_t allow_size)
{
	bool path_known = false;
	size_t used = 0;
	if (allow_size)
		allow[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		route_match tmp;
		if (!pattern_matches(table[i].pattern, path, &tmp))
			continue;
		if (strcmp(table[i].method, method) == 0) {
			*m = tmp;
			m->route = &table[i];
			return ROUTER_FOUND;
		}
		path_known = true;
		if (allow_size > used && !strstr(allow, table[i].method)) {
			int w = snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "",
					 table[i].method);
			if (w > 0)
				used += (size_t)w < allow_size - used ? (size_t)w
								      : allow_size - used - 1;
		}
	}
	return path_known ? ROUTER_METHOD_NOT_ALLOWED : ROUTER_NOT_FOUND;
}
