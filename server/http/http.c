/*
 * The request path: route lookup, authentication, role check, body limits
 * and strict JSON, the handler, the reply, the access log and the metrics.
 * Every error on this path is answered in api.md's error format.
 */
#include "server/http/http.h"

#include <sys/queue.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/base.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "server/http/audit.h"
#include "server/http/body_limits.h"
#include "server/http/json_strict.h"
#include "server/http/static_files.h"
#include "server/http/worker.h"

#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX 500

/* ---- replies ---- */

static void add_common_headers(request_ctx *rc, const char *content_type)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(rc->req);
	evhttp_add_header(h, "Content-Type", content_type);
	evhttp_add_header(h, "X-Request-Id", rc->request_id);
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	if (strncmp(rc->path, "/api/", 5) == 0)
		evhttp_add_header(h, "Cache-Control", "no-store");
}

xyd_status reply_raw(request_ctx *rc, int status, const char *content_type, const char *body,
		     size_t len)
{
	struct evbuffer *out = evbuffer_new();
	evbuffer_add(out, body, len);
	add_common_headers(rc, content_type);
	rc->status = status;
	rc->bytes_out = len;
	evhttp_send_reply(rc->req, status, NULL, out);
	evbuffer_free(out);
	return XYD_OK;
}

xyd_status reply_attachment(request_ctx *rc, const char *content_type, const char *filename,
			    const char *body, size_t len)
{
	char disposition[160];
	snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", filename);
	evhttp_add_header(evhttp_request_get_output_headers(rc->req), "Content-Disposition",
			  disposition);
	return reply_raw(rc, 200, content_type, body, len);
}

xyd_status reply_json_text(request_ctx *rc, int status, const char *json)
{
	return reply_raw(rc, status, "application/json; charset=utf-8", json, strlen(json));
}

xyd_status reply_json(request_ctx *rc, int status, cJSON *body)
{
	char *text = json_print(body);
	cJSON_Delete(body);
	reply_json_text(rc, status, text);
	free(text);
	return XYD_OK;
}

xyd_status reply_no_content(request_ctx *rc)
{
	add_common_headers(rc, "application/json; charset=utf-8");
	rc->status = 204;
	evhttp_send_reply(rc->req, 204, NULL, NULL);
	return XYD_OK;
}

xyd_status reply_list(request_ctx *rc, cJSON *items, bool more, int64_t last_id)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "items", items);
	if (more) {
		char cursor[24];
		snprintf(cursor, sizeof cursor, "%" PRId64, last_id);
		cJSON_AddStringToObject(o, "next_cursor", cursor);
	} else {
		cJSON_AddNullToObject(o, "next_cursor");
	}
	return reply_json(rc, 200, o);
}

static void reply_error(request_ctx *rc)
{
	xyd_status s = rc->err.status == XYD_OK ? XYD_INTERNAL : rc->err.status;
	int http_status = api_error_http_status(s);
	audit_access_denied(rc, http_status); /* refused access is audited (server/http/audit.c) */
	cJSON *o = cJSON_CreateObject(), *e = cJSON_AddObjectToObject(o, "error");
	cJSON_AddStringToObject(e, "code", api_error_code(s));
	const char *msg = rc->err.message[0] ? rc->err.message : api_error_code(s);
	if (s == XYD_INTERNAL)
		msg = "internal error; the request id names it in the server log";
	else if (s == XYD_UNAVAILABLE && !rc->err.message[0])
		msg = "the service is temporarily unavailable; try again shortly";
	cJSON_AddStringToObject(e, "message", msg);
	if (rc->err.field[0])
		cJSON_AddStringToObject(e, "field", rc->err.field);
	reply_json(rc, http_status, o);
}

/* ---- request helpers ---- */

xyd_status request_fail(request_ctx *rc, xyd_status st)
{
	rc->err.status = st;
	rc->err.message[0] = '\0';
	rc->err.field[0] = '\0';
	return st;
}

xyd_status request_body_object(request_ctx *rc, const cJSON **body)
{
	if (!rc->body)
		return api_error_set(&rc->err, XYD_INVALID_JSON, NULL,
				     "request body is empty; a JSON object is expected");
	if (!cJSON_IsObject(rc->body))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL,
				     "request body must be a JSON object");
	*body = rc->body;
	return XYD_OK;
}

bool request_raw_body(const request_ctx *rc, const char **data, size_t *len)
{
	if (!rc->raw_body)
		return false;
	*data = rc->raw_body;
	*len = rc->raw_body_len;
	return true;
}

const char *request_query(request_ctx *rc, const char *name)
{
	if (!rc->query) {
		rc->query = xcalloc(1, sizeof *rc->query);
		TAILQ_INIT(rc->query);
		const char *q = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(rc->req));
		if (q && evhttp_parse_query_str(q, rc->query) != 0)
			evhttp_clear_headers(rc->query);
	}
	/* evhttp_find_header ignores case; query names are case-sensitive. */
	struct evkeyval *kv;
	TAILQ_FOREACH(kv, rc->query, next)
		if (strcmp(kv->key, name) == 0)
			return kv->value;
	return NULL;
}

static bool parse_positive(const char *s, int64_t max, int64_t *out)
{
	if (!s || !*s || strlen(s) > 16)
		return false;
	int64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > max)
		return false;
	*out = v;
	return true;
}

xyd_status request_page(request_ctx *rc, int *limit, int64_t *after_id)
{
	const char *l = request_query(rc, "limit"), *c = request_query(rc, "cursor");
	int64_t v = LIST_LIMIT_DEFAULT;
	if (l && !parse_positive(l, LIST_LIMIT_MAX, &v))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "limit",
				     "limit must be a whole number from 1 to %d", LIST_LIMIT_MAX);
	*limit = (int)v;
	*after_id = 0;
	if (c && !parse_positive(c, INT64_C(1) << 53, after_id))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "cursor",
				     "cursor is not one this server gave out");
	return XYD_OK;
}

xyd_status request_query_id(request_ctx *rc, const char *name, int64_t *id)
{
	const char *v = request_query(rc, name);
	*id = 0;
	if (v && (v[0] == '0' || !parse_positive(v, INT64_C(1) << 53, id))) /* "007" is not an id */
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, name,
				     "%s must be an id (a whole number from 1)", name);
	return XYD_OK;
}

xyd_status request_query_text(request_ctx *rc, const char *name, size_t max_chars,
			      const char **text)
{
	const char *v = request_query(rc, name);
	*text = v;
	if (v && (!*v || !validate_utf8(v, strlen(v)) || validate_utf8_length(v) > max_chars))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, name,
				     "%s must be 1 to %zu characters of UTF-8", name, max_chars);
	return XYD_OK;
}

int64_t request_id_param(const request_ctx *rc)
{
	return rc->match.ids[0];
}

models_app_scope scope_for(const request_ctx *rc)
{
	XYD_ASSERT(rc->authenticated);
	if (rc->role & ROLE_SME)
		return (models_app_scope){APP_SEE_ENTERPRISE, rc->who.org_id};
	if (rc->role & ROLE_BANK)
		return (models_app_scope){APP_SEE_INSTITUTION, rc->who.org_id};
	if (rc->role & ROLE_PARK)
		return (models_app_scope){APP_SEE_PARK, rc->who.org_id};
	return (models_app_scope){APP_SEE_ALL, 0};
}

void request_audit(const request_ctx *rc, models_audit *a, const char *action,
		   const char *target_type, int status)
{
	memset(a, 0, sizeof *a);
	a->actor_id = rc->authenticated ? rc->who.user_id : 0;
	a->role = rc->authenticated ? rc->who.role : "anonymous";
	a->action = action;
	a->target_type = target_type;
	a->ip = rc->ip;
	a->status = status;
	a->request_id = rc->request_id;
}

/* ---- the pipeline ---- */

/* Verifies the bearer token and reads the caller's session. */
static xyd_status authenticate_header(request_ctx *rc, const char *h)
{
	if (!h || strncasecmp(h, "Bearer ", 7) != 0 || !h[7])
		return api_error_set(&rc->err, XYD_UNAUTHENTICATED, NULL,
				     "an access token is required (Authorization: Bearer …)");
	token_result tr = token_access_verify(&rc->app->jwt_key, h + 7, (int64_t)time(NULL), NULL,
					      NULL, &rc->claims);
	if (tr != TOKEN_OK) {
		log_msg(LOG_DEBUG, "access token refused: %s", token_result_name(tr));
		return api_error_set(&rc->err, XYD_UNAUTHENTICATED, NULL,
				     "the access token is not valid; log in again");
	}
	xyd_status st = models_session_check(rc->db, rc->claims.sub, rc->claims.sid, rc->claims.jti,
					     &rc->who);
	if (st == XYD_UNAUTHENTICATED)
		return api_error_set(&rc->err, st, NULL, "the session has ended; log in again");
	if (st != XYD_OK)
		return request_fail(rc, st);
	rc->authenticated = true;
	rc->role = router_role_bit(rc->who.role);
	return XYD_OK;
}

static const char *authorization_header(request_ctx *rc)
{
	return evhttp_find_header(evhttp_request_get_input_headers(rc->req), "Authorization");
}

static xyd_status authenticate(request_ctx *rc)
{
	return authenticate_header(rc, authorization_header(rc));
}

xyd_status request_authenticate_optional(request_ctx *rc)
{
	const char *h = authorization_header(rc);
	return h ? authenticate_header(rc, h) : XYD_OK;
}

/* True when ct is the media type want, with or without parameters. */
static bool is_content_type(const char *ct, const char *want)
{
	size_t len = strlen(want);
	if (!ct || strncasecmp(ct, want, len) != 0)
		return false;
	ct += len;
	return *ct == '\0' || *ct == ';' || *ct == ' ';
}

/* The gate (body_limits.h) refused this request's body before reading it
 * and drops it as it comes, so the connection lives on; unless the client
 * waits for "100 Continue" (it may never send the body) or declared more
 * than any route takes: then the answer closes it. */
static void refused_body_close(request_ctx *rc)
{
	struct evkeyvalq *in = evhttp_request_get_input_headers(rc->req);
	const char *declared = evhttp_find_header(in, BODY_LIMITS_REFUSED_HEADER);
	if (declared &&
	    (evhttp_find_header(in, "Expect") || strtoull(declared, NULL, 10) > BODY_LIMIT_MAX))
		evhttp_add_header(evhttp_request_get_output_headers(rc->req), "Connection",
				  "close");
}

static xyd_status read_body(request_ctx *rc)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(rc->req);
	size_t len = evbuffer_get_length(in);
	size_t max = body_limits_route(rc->match.route);
	if (len > max || evhttp_find_header(evhttp_request_get_input_headers(rc->req),
					    BODY_LIMITS_REFUSED_HEADER))
		return api_error_set(&rc->err, XYD_PAYLOAD_TOO_LARGE, NULL,
				     "request body is larger than %zu bytes", max);
	if (len == 0)
		return XYD_OK;
	const char *ct = evhttp_find_header(evhttp_request_get_input_headers(rc->req),
					    "Content-Type");
	bool takes_csv = rc->match.route->roles & HTTP_ROUTE_CSV_BODY;
	if (takes_csv && is_content_type(ct, "text/csv")) {
		rc->raw_body = (const char *)evbuffer_pullup(in, -1);
		rc->raw_body_len = len;
		return XYD_OK;
	}
	if (!is_content_type(ct, "application/json"))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL, "%s",
				     takes_csv ? "Content-Type must be application/json or text/csv"
					       : "Content-Type must be application/json");
	const char *data = (const char *)evbuffer_pullup(in, -1);
	rc->body = json_parse_strict(data, len, &rc->err);
	return rc->body ? XYD_OK : rc->err.status;
}

/* The body against the route's schema (router.h route_body), worded as the
 * handler would: no body, not an object, a member refused. */
static xyd_status check_body(request_ctx *rc, const route_body *schema)
{
	const cJSON *body;
	xyd_status st;
	if (!schema || (schema->optional && !rc->body))
		return XYD_OK;
	if ((st = request_body_object(rc, &body)) != XYD_OK)
		return st;
	return json_check_object(body, schema->fields, schema->n, NULL, &rc->err);
}

static xyd_status run_route(request_ctx *rc)
{
	const route *r = rc->match.route;
	xyd_status st;
	if (r->roles != ROUTE_PUBLIC) {
		if ((st = authenticate(rc)) != XYD_OK)
			return st;
		if (!(rc->role & r->roles))
			return api_error_set(&rc->err, XYD_FORBIDDEN, NULL,
					     "the role '%s' may not do this", rc->who.role);
	}
	if ((st = read_body(rc)) != XYD_OK || (st = check_body(rc, r->body)) != XYD_OK)
		return st;
	return r->handler(rc);
}

static void client_ip(request_ctx *rc)
{
	char *host = NULL;
	uint16_t port = 0;
	evhttp_connection_get_peer(evhttp_request_get_connection(rc->req), &host, &port);
	snprintf(rc->ip, sizeof rc->ip, "%s", host ? host : "-");
}

static const char *method_name(enum evhttp_cmd_type t)
{
	switch (t) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_HEAD:
		return "HEAD";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	case EVHTTP_REQ_OPTIONS:
		return "OPTIONS";
	case EVHTTP_REQ_TRACE:
		return "TRACE";
	case EVHTTP_REQ_CONNECT:
		return "CONNECT";
	case EVHTTP_REQ_PATCH:
		return "PATCH";
	}
	return "OTHER";
}

static void next_request_id(char out[17])
{
	/* Unique enough to find a line in the log; not a secret. */
	static _Thread_local uint64_t state;
	if (!state) {
		token_random_hex(out, 8);
		state = strtoull(out, NULL, 16) | 1;
	}
	state ^= state << 13, state ^= state >> 7, state ^= state << 17;
	snprintf(out, 17, "%016" PRIx64, state);
}

static void finish(request_ctx *rc, size_t route_index)
{
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	uint64_t us = (uint64_t)(end.tv_sec - rc->started.tv_sec) * 1000000u +
		      (uint64_t)((end.tv_nsec - rc->started.tv_nsec) / 1000);
	/* The path only: the query may carry filters with personal data. */
	log_msg(LOG_INFO, "%s %s %d %zu %" PRIu64 "us", rc->method, rc->path, rc->status,
		rc->bytes_out, us);
	metrics_record(rc->worker, route_index, rc->status, us);
	cJSON_Delete(rc->body);
	if (rc->query) {
		evhttp_clear_headers(rc->query);
		free(rc->query);
	}
	free(rc->path);
	log_set_request_id(NULL);
}

void http_dispatch(struct evhttp_request *req, void *arg)
{
	worker *w = arg;
	request_ctx rc = {.req = req, .worker = w, .db = w->db, .app = w->app};
	clock_gettime(CLOCK_MONOTONIC, &rc.started);
	next_request_id(rc.request_id);
	log_set_request_id(rc.request_id);
	client_ip(&rc);
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	rc.method = method_name(cmd == EVHTTP_REQ_HEAD ? EVHTTP_REQ_GET : cmd);
	const char *raw = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	rc.path = xstrdup(raw && *raw ? raw : "/");
	size_t route_index = w->app->nroutes; /* "unmatched" */
	refused_body_close(&rc);

	if (strncmp(rc.path, "/api/", 5) != 0 && strcmp(rc.path, "/metrics") != 0) {
		route_index = w->app->nroutes + 1;
		static_files_serve(&rc);
		if (rc.status == 0)
			reply_error(&rc);
		finish(&rc, route_index);
		return;
	}
	char allow[64];
	switch (router_match(w->app->routes, w->app->nroutes, rc.method, rc.path, &rc.match, allow,
			     sizeof allow)) {
	case ROUTER_NOT_FOUND:
		api_error_set(&rc.err, XYD_NOT_FOUND, NULL, "no such resource: %s", rc.path);
		break;
	case ROUTER_METHOD_NOT_ALLOWED:
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", allow);
		api_error_set(&rc.err, XYD_METHOD_NOT_ALLOWED, NULL,
			      "%s is not allowed here; use %s", rc.method, allow);
		break;
	case ROUTER_FOUND:
		route_index = (size_t)(rc.match.route - w->app->routes);
		if (run_route(&rc) == XYD_OK && rc.status != 0)
			break;
		if (rc.status == 0 && rc.err.status == XYD_OK)
			api_error_set(&rc.err, XYD_INTERNAL, NULL, "handler answered nothing");
		break;
	}
	if (rc.status == 0)
		reply_error(&rc);
	finish(&rc, route_index);
}
