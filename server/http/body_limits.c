/*
 * The body-limit gate: see body_limits.h. It reads the connection's input
 * buffer through an evbuffer callback, which libevent runs right after a
 * socket read has appended bytes (before evhttp's read callback parses them)
 * and after each time evhttp takes bytes out. It mirrors the parts of
 * libevent 2.1.12's http.c it must agree with: lines are cut as
 * evbuffer_readln(EVBUFFER_EOL_CRLF) cuts them, header values trimmed as
 * evhttp_parse_headers_ trims them, the first of duplicate headers wins,
 * HEAD and TRACE carry no body, a request without Content-Length or
 * "chunked" has none, chunk sizes are parsed as evhttp_handle_chunked_read
 * parses them. Where evhttp would refuse the request anyway, or the gate is
 * unsure, it stops framing and lowers the connection's limit to the
 * anonymous one for good.
 */
#include "server/http/body_limits.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "common/xmalloc.h"
#include "server/http/http.h"
#include "server/http/token.h"
#include "server/http/worker.h"

#define LINE_MAX_BYTES (16 * 1024) /* evhttp refuses longer header lines anyway */

typedef enum {
	GATE_HEAD,    /* between requests or inside a header block */
	GATE_BODY,    /* an accepted Content-Length body */
	GATE_DISCARD, /* a refused one, dropped once evhttp reaches it */
	GATE_CHUNK_SIZE,
	GATE_CHUNK_DATA,
	GATE_TRAILER,
	GATE_LOST /* framing unknown: anonymous limit, no more framing */
} gate_mode;

typedef enum { KEY_OTHER, KEY_LENGTH, KEY_ENCODING, KEY_AUTHORIZATION, KEY_COUNT } header_key;

/* The request being framed. */
typedef struct {
	bool started; /* its request line was read */
	bool has_body;
	const route *route; /* NULL: no route takes it */
	bool bearer;	    /* gate.bearer holds its bearer token */
	bool length_bad;
	int64_t length;	    /* the first Content-Length; -1: none */
	uint64_t length_at; /* stream offset of that header line */
	bool renamed;	    /* that header is BODY_LIMITS_REFUSED_HEADER now */
	bool chunked;
	bool seen[KEY_COUNT];
	header_key last; /* what a continuation line would extend */
} gate_request;

typedef struct {
	const worker *w;
	struct bufferevent *bev;
	uint64_t consumed; /* stream bytes taken out of the buffer so far */
	uint64_t parsed;   /* stream offset framed up to */
	bool draining;	   /* the gate's own drain is under way */
	gate_mode mode;
	uint64_t left; /* bytes of body, chunk or discard to go */
	size_t limit;  /* of the chunked body being framed */
	uint64_t chunked_total;
	gate_request req;
	char bearer[TOKEN_ACCESS_MAX_LEN + 1]; /* the request's token, checked only when needed */
} gate;

/* The worker whose evhttp asked for the bufferevent; the first callback of
 * a connection runs on that worker's thread. */
static _Thread_local const worker *gate_worker;

size_t body_limits_route(const route *r)
{
	size_t max = r->max_body ? r->max_body : BODY_LIMIT_DEFAULT;
	if (max > BODY_LIMIT_MAX)
		max = BODY_LIMIT_MAX;
	if (r->roles == ROUTE_PUBLIC && max > BODY_LIMIT_ANONYMOUS)
		max = BODY_LIMIT_ANONYMOUS;
	return max;
}

static void gate_lose(gate *g)
{
	void *evcon = NULL;
	bufferevent_getcb(g->bev, NULL, NULL, NULL, &evcon);
	if (evcon)
		evhttp_connection_set_max_body_size(evcon, BODY_LIMIT_ANONYMOUS);
	g->mode = GATE_LOST;
}

/* Overwrites len bytes of the buffer at stream offset at, which evhttp has
 * not read yet. False when it has. */
static bool gate_overwrite(gate *g, struct evbuffer *buf, uint64_t at, const char *text, size_t len)
{
	if (at < g->consumed || at - g->consumed + len > evbuffer_get_length(buf))
		return false;
	struct evbuffer_ptr p;
	struct evbuffer_iovec v[4];
	if (evbuffer_ptr_set(buf, &p, (size_t)(at - g->consumed), EVBUFFER_PTR_SET) != 0)
		return false;
	int n = evbuffer_peek(buf, (ev_ssize_t)len, &p, v, 4);
	if (n < 1 || n > 4)
		return false;
	for (int i = 0; i < n && len; i++) {
		size_t k = v[i].iov_len < len ? v[i].iov_len : len;
		memcpy(v[i].iov_base, text, k);
		text += k, len -= k;
	}
	return len == 0;
}

/* The request line, cut as evhttp_parse_request_line cuts it. */
static bool gate_request_line(gate *g, char *line)
{
	static const struct {
		const char *name;
		bool body;
	} methods[] = {{"GET", true},	  {"POST", true},    {"PUT", true},
		       {"DELETE", true},  {"OPTIONS", true}, {"PATCH", true},
		       {"CONNECT", true}, {"HEAD", false},   {"TRACE", false}};
	size_t len = strlen(line);
	while (len && line[len - 1] == ' ')
		line[--len] = '\0';
	char *uri = strchr(line, ' '), *version = strrchr(line, ' ');
	if (len < strlen("GET / HTTP/1.0") || !uri || uri == version)
		return false;
	*uri++ = '\0';
	*version = '\0';
	memset(&g->req, 0, sizeof g->req);
	g->req.started = true;
	g->req.length = -1;
	size_t i = 0, n = sizeof methods / sizeof methods[0];
	while (i < n && strcmp(line, methods[i].name) != 0)
		i++;
	if (i == n)
		return false;
	g->req.has_body = methods[i].body;
	struct evhttp_uri *u = evhttp_uri_parse_with_flags(uri, EVHTTP_URI_NONCONFORMANT);
	if (!u)
		return false;
	const char *path = evhttp_uri_get_path(u);
	route_match m;
	char allow[64];
	const xyd_app *app = g->w->app;
	if (router_match(app->routes, app->nroutes, strcmp(line, "HEAD") == 0 ? "GET" : line,
			 path && *path ? path : "/", &m, allow, sizeof allow) == ROUTER_FOUND)
		g->req.route = m.route;
	evhttp_uri_free(u);
	return true;
}

static void gate_authorization(gate *g, const char *value)
{
	const route *r = g->req.route;
	size_t len = strlen(value);
	/* Kept, not checked: only a body over the anonymous limit needs the
	 * signature checked here, so reads do not pay for it twice. */
	if (!r || strncasecmp(value, "Bearer ", 7) != 0 || len == 7 ||
	    len - 7 > TOKEN_ACCESS_MAX_LEN)
		return;
	memcpy(g->bearer, value + 7, len - 7 + 1);
	g->req.bearer = true;
}

/* Whether the kept bearer token verifies and its role may call the route. */
static bool gate_token_ok(const gate *g)
{
	token_claims claims;
	if (!g->req.bearer ||
	    token_access_verify(&g->w->app->jwt_key, g->bearer, (int64_t)time(NULL), NULL, NULL,
				&claims) != TOKEN_OK)
		return false;
	return (router_role_bit(claims.role) & g->req.route->roles) != 0;
}

/* A Content-Length over the most this request could be allowed (the
 * route's own limit) is refused at once, while libevent has not read it:
 * a refusal on a public route is then always answered in the API's format,
 * even when the rest of the header block comes in a later packet. */
static void gate_length(gate *g, struct evbuffer *buf, const char *value, uint64_t at)
{
	char *end;
	long long n = strtoll(value, &end, 10);
	g->req.length_bad = !*value || *end || n < 0;
	g->req.length = n;
	g->req.length_at = at;
	size_t most = g->req.route ? body_limits_route(g->req.route) : BODY_LIMIT_ANONYMOUS;
	if (!g->req.length_bad && g->req.has_body && (uint64_t)n > most)
		g->req.renamed = gate_overwrite(g, buf, at, BODY_LIMITS_REFUSED_HEADER, 14);
}

/* One header line of the block, at stream offset at. */
static bool gate_header(gate *g, struct evbuffer *buf, char *line, uint64_t at)
{
	static const char *const names[KEY_COUNT] = {NULL, "Content-Length", "Transfer-Encoding",
						     "Authorization"};
	if (line[0] == ' ' || line[0] == '\t')
		return g->req.last == KEY_OTHER; /* it would change a header we read */
	char *value = strchr(line, ':');
	if (!value)
		return false;
	*value++ = '\0';
	value += strspn(value, " ");
	for (size_t len = strlen(value); len && (value[len - 1] == ' ' || value[len - 1] == '\t');)
		value[--len] = '\0';
	header_key k = KEY_LENGTH;
	while (k < KEY_COUNT && strcasecmp(line, names[k]) != 0)
		k++;
	g->req.last = KEY_OTHER;
	if (k == KEY_LENGTH && g->req.seen[k])
		return false; /* renaming the first would hand evhttp the second */
	if (k == KEY_COUNT || g->req.seen[k])
		return true;
	g->req.seen[k] = true;
	g->req.last = k;
	if (k == KEY_LENGTH)
		gate_length(g, buf, value, at);
	else if (k == KEY_ENCODING)
		g->req.chunked = strcasecmp(value, "chunked") == 0;
	else
		gate_authorization(g, value);
	return true;
}

/* The empty line that ends a header block: decides the body's fate. */
static void gate_block_end(gate *g, struct evbuffer *buf)
{
	const gate_request *q = &g->req;
	g->req.started = false;
	if (!q->has_body)
		return;
	bool beyond_anonymous = q->chunked ||
				(q->length > 0 && (uint64_t)q->length > BODY_LIMIT_ANONYMOUS);
	size_t limit = q->route && (q->route->roles == ROUTE_PUBLIC ||
				    (beyond_anonymous && gate_token_ok(g)))
			       ? body_limits_route(q->route)
			       : BODY_LIMIT_ANONYMOUS;
	if (q->chunked) {
		g->mode = GATE_CHUNK_SIZE;
		g->limit = limit;
		g->chunked_total = 0;
	} else if (q->length_bad) {
		gate_lose(g); /* evhttp answers 400 and closes */
	} else if (q->length > 0 && (uint64_t)q->length <= limit && !q->renamed) {
		g->mode = GATE_BODY;
		g->left = (uint64_t)q->length;
	} else if (q->length > 0) {
		/* Same length as "Content-Length": evhttp now sees no body. */
		if (q->renamed ||
		    gate_overwrite(g, buf, q->length_at, BODY_LIMITS_REFUSED_HEADER, 14)) {
			g->mode = GATE_DISCARD;
			g->left = (uint64_t)q->length;
		} else {
			gate_lose(g); /* evhttp read the header already: its own 413 */
		}
	}
}

static bool gate_chunk_size(gate *g, struct evbuffer *buf, const char *line, uint64_t at)
{
	if (!line[0])
		return true; /* the end of the previous chunk's data */
	char *end;
	long long n = strtoll(line, &end, 16);
	if ((*end && *end != ' ') || n < 0)
		return false;
	if ((uint64_t)n > g->limit - g->chunked_total) {
		gate_overwrite(g, buf, at, "x", 1); /* evhttp: corrupt chunk, 413 */
		return false;
	}
	g->chunked_total += (uint64_t)n;
	g->mode = n ? GATE_CHUNK_DATA : GATE_TRAILER;
	g->left = (uint64_t)n;
	return true;
}

/* Handles one complete line at stream offset at; false loses the framing. */
static bool gate_line(gate *g, struct evbuffer *buf, char *line, uint64_t at)
{
	switch (g->mode) {
	case GATE_HEAD:
		if (!g->req.started)
			return gate_request_line(g, line);
		if (line[0])
			return gate_header(g, buf, line, at);
		gate_block_end(g, buf);
		return true;
	case GATE_CHUNK_SIZE:
		return gate_chunk_size(g, buf, line, at);
	case GATE_TRAILER:
		if (!line[0])
			g->mode = GATE_HEAD;
		return !line[0] || line[0] == ' ' || line[0] == '\t' || strchr(line, ':');
	default:
		return false;
	}
}

/* Skips or drops body bytes; false when it must wait for more. */
static bool gate_skip(gate *g, struct evbuffer *buf, size_t pos, size_t avail)
{
	uint64_t n = g->left < avail ? g->left : avail;
	if (g->mode == GATE_DISCARD) {
		if (pos != 0 || n == 0)
			return false; /* evhttp has not reached the body yet */
		g->draining = true;
		evbuffer_drain(buf, (size_t)n);
		g->draining = false;
		g->consumed += n;
	}
	if (n == 0)
		return false;
	g->parsed += n;
	g->left -= n;
	if (g->left == 0)
		g->mode = g->mode == GATE_CHUNK_DATA ? GATE_CHUNK_SIZE : GATE_HEAD;
	return true;
}

/* Frames as far as the buffer allows. */
static void gate_run(gate *g, struct evbuffer *buf)
{
	char line[LINE_MAX_BYTES + 1];
	while (g->mode != GATE_LOST) {
		if (g->parsed < g->consumed) {
			gate_lose(g); /* evhttp got ahead of the gate: should not happen */
			return;
		}
		size_t pos = (size_t)(g->parsed - g->consumed), len = evbuffer_get_length(buf);
		if (pos > len)
			return;
		if (g->mode == GATE_BODY || g->mode == GATE_DISCARD || g->mode == GATE_CHUNK_DATA) {
			if (!gate_skip(g, buf, pos, len - pos))
				return;
			continue;
		}
		struct evbuffer_ptr p, eol;
		size_t eol_len = 0;
		if (evbuffer_ptr_set(buf, &p, pos, EVBUFFER_PTR_SET) != 0)
			return;
		eol = evbuffer_search_eol(buf, &p, &eol_len, EVBUFFER_EOL_CRLF);
		if (eol.pos < 0)
			return; /* an incomplete line: wait */
		size_t line_len = (size_t)eol.pos - pos;
		uint64_t at = g->parsed;
		g->parsed += line_len + eol_len;
		if (line_len > LINE_MAX_BYTES) {
			gate_lose(g);
			return;
		}
		evbuffer_copyout_from(buf, &p, line, line_len);
		line[line_len] = '\0';
		if (!gate_line(g, buf, line, at))
			gate_lose(g);
	}
}

static void gate_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	gate *g = arg;
	if (g->draining)
		return; /* counted by gate_skip */
	g->consumed += info->n_deleted;
	if (g->mode != GATE_LOST)
		gate_run(g, buf);
}

static void gate_free(struct evhttp_connection *evcon, void *arg)
{
	(void)evcon;
	gate *g = arg;
	evbuffer_remove_cb(bufferevent_get_input(g->bev), gate_cb, g);
	free(g);
}

/* The connection's first bytes: the gate is made now, so that connections
 * that never send a byte cost nothing, and freed with the connection. */
static void gate_first_cb(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	struct bufferevent *bev = arg;
	void *evcon = NULL;
	bufferevent_getcb(bev, NULL, NULL, NULL, &evcon);
	if (!evcon || !gate_worker || info->n_added == 0)
		return; /* not evhttp's yet, or a drain before any byte came */
	gate *g = xcalloc(1, sizeof *g);
	g->w = gate_worker;
	g->bev = bev;
	g->mode = GATE_HEAD;
	evbuffer_remove_cb(buf, gate_first_cb, bev); /* libevent allows removing oneself */
	evbuffer_add_cb(buf, gate_cb, g);
	evhttp_connection_set_closecb(evcon, gate_free, g);
	gate_cb(buf, info, g);
}

struct bufferevent *body_limits_bev_new(struct event_base *base, void *arg)
{
	gate_worker = arg;
	/* Options 0, as evhttp's own: evhttp closes the socket itself. */
	struct bufferevent *bev = bufferevent_socket_new(base, -1, 0);
	if (bev)
		evbuffer_add_cb(bufferevent_get_input(bev), gate_first_cb, bev);
	return bev;
}
