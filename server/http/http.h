/*
 * The per-request context and the reply path. A handler receives a
 * request_ctx whose caller is already authenticated and role-checked (when
 * the route is not public) and whose JSON body is already strictly parsed
 * and, when the route names a schema (router.h route_body), checked;
 * it either answers through one of the reply_* functions and returns XYD_OK,
 * or fills rc->err (api_error_set) and returns that status. Everything the
 * context holds is released in one place, after the reply.
 */
#ifndef XYD_HTTP_H
#define XYD_HTTP_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "models/accounts.h"
#include "models/scope.h"
#include "models/audit.h"
#include "models/db.h"
#include "models/reference.h"
#include "server/http/api_error.h"
#include "server/http/config.h"
#include "server/http/router.h"
#include "server/http/token.h"

struct evhttp_request;
struct worker;

/* What every worker reads and nobody changes after start. */
typedef struct {
	const xyd_config *config;
	token_key jwt_key;
	models_reference reference;
	char *towns_json, *parks_json, *industries_json; /* pre-rendered answers */
	const route *routes;
	size_t nroutes;
	char static_root[4096]; /* realpath of the static folder */
} xyd_app;

typedef struct request_ctx {
	struct evhttp_request *req;
	struct worker *worker;
	models_db *db;
	const xyd_app *app;
	const char *method;
	char *path; /* owned */
	route_match match;
	char request_id[17];
	char ip[46];
	bool authenticated;
	models_principal who; /* who.role: the role's name, for audit rows and answers */
	unsigned role;	      /* the ROLE_* bit of who.role, set at authentication; 0 before */
	token_claims claims;
	cJSON *body;	      /* owned; NULL when the request had none */
	const char *raw_body; /* a text/csv body left unparsed (HTTP_ROUTE_CSV_BODY) */
	size_t raw_body_len;
	struct evkeyvalq *query; /* owned; NULL until first asked */
	api_error err;
	int status; /* answered status, for logs and metrics */
	size_t bytes_out;
	struct timespec started;
} request_ctx;

/* Answers status with body (taken over and freed). */
xyd_status reply_json(request_ctx *rc, int status, cJSON *body);
/* Answers status with a ready JSON text (copied). */
xyd_status reply_json_text(request_ctx *rc, int status, const char *json);
/* Answers 204. */
xyd_status reply_no_content(request_ctx *rc);
/* Answers 200 {"items": items, "next_cursor": cursor or null}; items taken over. */
xyd_status reply_list(request_ctx *rc, cJSON *items, bool more, int64_t last_id);
/* Answers status with any content type (body copied). */
xyd_status reply_raw(request_ctx *rc, int status, const char *content_type, const char *body,
		     size_t len);
/* reply_raw (status 200) of a file to save as filename (ASCII, no quotes):
 * Content-Disposition: attachment. */
xyd_status reply_attachment(request_ctx *rc, const char *content_type, const char *filename,
			    const char *body, size_t len);

/* Refuses with st and no message of its own (the reply path words
 * internal and unavailable errors itself). Returns st. */
xyd_status request_fail(request_ctx *rc, xyd_status st);

/* A flag OR'ed into a route's roles beside the ROLE_* bits (which it never
 * overlaps; protected routes only): the route also takes a text/csv body,
 * which the dispatcher leaves unparsed for request_raw_body. */
#define HTTP_ROUTE_CSV_BODY (1u << 16)

/* The unparsed text/csv body of a route flagged HTTP_ROUTE_CSV_BODY: true
 * with *data (borrowed, lives as long as the request, not NUL-terminated)
 * and *len; false when the body was JSON or empty. */
bool request_raw_body(const request_ctx *rc, const char **data, size_t *len);

/* On a public route: authenticates the caller when a token is sent (a bad
 * one is XYD_UNAUTHENTICATED), leaves rc->authenticated false otherwise. */
xyd_status request_authenticate_optional(request_ctx *rc);

/* The request body as an object, or XYD_VALIDATION_FAILED in rc->err. */
xyd_status request_body_object(request_ctx *rc, const cJSON **body);
/* A query parameter (decoded), NULL when absent. Owned by rc: valid until
 * the reply; do not free it. */
const char *request_query(request_ctx *rc, const char *name);
/* ?limit= (default 50, 1..500) and ?cursor= (an id from a previous page). */
xyd_status request_page(request_ctx *rc, int *limit, int64_t *after_id);
/* ?name= as an id: *id 0 when absent; XYD_VALIDATION_FAILED in rc->err
 * naming it when it is not a whole number from 1 to 2^53. */
xyd_status request_query_id(request_ctx *rc, const char *name, int64_t *id);
/* ?name= as search text: *text NULL when absent; XYD_VALIDATION_FAILED in
 * rc->err naming it unless it is 1 to max_chars characters of UTF-8.
 * *text is owned by rc, as request_query's. */
xyd_status request_query_text(request_ctx *rc, const char *name, size_t max_chars,
			      const char **text);
/* The first placeholder's id ("{id}"). */
int64_t request_id_param(const request_ctx *rc);

/* Whose records the authenticated caller sees: an sme its enterprise's
 * (APP_SEE_ENTERPRISE), a bank its institution's (APP_SEE_INSTITUTION), a
 * park its park's (APP_SEE_PARK), with org_id the caller's organisation;
 * the bureau, admin and auditor all (APP_SEE_ALL, org_id 0). Every
 * feature's view of the caller (whitelist, enterprises, stats) derives from
 * this one answer. */
models_app_scope scope_for(const request_ctx *rc);

/* An audit entry for this request: actor, role, ip and request id filled. */
void request_audit(const request_ctx *rc, models_audit *a, const char *action,
		   const char *target_type, int status);

/* The libevent callback for every request; arg is the worker. */
void http_dispatch(struct evhttp_request *req, void *arg);

#endif
