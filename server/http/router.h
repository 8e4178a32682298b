/*
 * The route table's types and the matcher. A route is a row: method, path
 * pattern, the roles allowed, the handler, the body limit and the body's
 * schema. Patterns are literal segments and
 * placeholders: "{id}" matches a positive integer id, any other "{name}" one
 * segment of [A-Za-z0-9_.-]{1,64}. No libevent here, so it is unit-tested
 * alone.
 */
#ifndef XYD_ROUTER_H
#define XYD_ROUTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"

enum {
	ROLE_SME = 1 << 0,
	ROLE_BANK = 1 << 1,
	ROLE_PARK = 1 << 2,
	ROLE_BUREAU = 1 << 3,
	ROLE_ADMIN = 1 << 4,
	ROLE_AUDITOR = 1 << 5,
	ROLE_ANY = (1 << 6) - 1,
	ROUTE_PUBLIC = 0
};

/* The bit of a role name ("sme" …), 0 for an unknown one. */
unsigned router_role_bit(const char *role);

struct request_ctx;
typedef xyd_status (*route_handler)(struct request_ctx *rc);

struct json_field; /* server/http/json_strict.h */

/* What a route's JSON body must be: an object whose members fields[0..n)
 * allow (json_check_object, top level). The dispatcher (http.c) checks it
 * after authentication and before the handler, with the same refusals the
 * handler would word; the handler then reads rc->body as checked. optional:
 * no body at all is accepted too (rc->body stays NULL). A route without a
 * schema leaves its body to the handler. Defined beside the handler in
 * server/api/<feature>.c, named in routes.c. */
typedef struct route_body {
	const struct json_field *fields;
	size_t n;
	bool optional;
} route_body;

/* No body, or an empty object. */
extern const route_body route_body_empty;

typedef struct {
	const char *method;
	const char *pattern;
	unsigned roles; /* ROUTE_PUBLIC or a mask of ROLE_* */
	route_handler handler;
	size_t max_body;	/* 0: the default 1 MiB */
	const route_body *body; /* NULL: the handler checks its body itself */
} route;

#define ROUTER_MAX_PARAMS 4
#define ROUTER_PARAM_MAX 64

typedef struct {
	const route *route;
	int nparams;
	int64_t ids[ROUTER_MAX_PARAMS];			    /* for "{id}", else 0 */
	char strs[ROUTER_MAX_PARAMS][ROUTER_PARAM_MAX + 1]; /* every placeholder's text */
} route_match;

typedef enum { ROUTER_FOUND, ROUTER_NOT_FOUND, ROUTER_METHOD_NOT_ALLOWED } router_result;

/* Finds the route for method and path (no query string). On
 * ROUTER_METHOD_NOT_ALLOWED, allow receives the methods the path takes,
 * comma-separated ("GET, POST"). */
router_result router_match(const route *table, size_t n, const char *method, const char *path,
			   route_match *m, char *allow, size_t allow_size);

#endif
