/*
 * Per-route request body limits, decided from each request's header block
 * before libevent reads the body. Every connection's socket bufferevent gets
 * an observer on its input buffer (body_limits_bev_new, evhttp's bevcb) that
 * follows the HTTP framing a step ahead of evhttp: it reads each request
 * line and header block as they arrive, works out the request's limit
 * (body_limits_route, with a cheap signature-and-expiry check of the bearer
 * token in place of the session lookup) and, when a Content-Length is over
 * it, renames that header in the buffer to BODY_LIMITS_REFUSED_HEADER and
 * drops the body bytes as they come. evhttp then sees a request without a
 * body, the dispatcher answers 413 in the API's format, and the connection
 * stays usable. A chunked body over its limit has a chunk-size line spoiled
 * in place, which evhttp answers with its own 413 page and a closed
 * connection. So is a length within the route's limit but over the
 * caller's when libevent has read the Content-Length line before the token
 * arrived (the header block split across packets): the connection's evhttp
 * limit is lowered instead. Whenever the framing is not understood, the
 * connection falls back to the smallest limit, never the largest.
 */
#ifndef XYD_BODY_LIMITS_H
#define XYD_BODY_LIMITS_H

#include <stddef.h>

#include "server/http/router.h"

#define BODY_LIMIT_ANONYMOUS (64 * 1024)  /* public routes, bad or absent tokens */
#define BODY_LIMIT_DEFAULT (1024 * 1024)  /* a route whose max_body is 0 */
#define BODY_LIMIT_MAX (16 * 1024 * 1024) /* the largest any route may set */

/* The header a refused Content-Length is renamed to (same length, 14). Its
 * value is the declared length. A client sending it only refuses itself. */
#define BODY_LIMITS_REFUSED_HEADER "X-Body-Refused"

struct bufferevent;
struct event_base;

/* The limit of route r for a caller whose token verified with a role the
 * route allows: the route's max_body (BODY_LIMIT_DEFAULT when 0), and never
 * more than BODY_LIMIT_ANONYMOUS on a public route. */
size_t body_limits_route(const route *r);

/* evhttp's bevcb: a socket bufferevent made as evhttp makes its own (evhttp
 * closes the socket) whose input is watched as described above. arg is the
 * worker (struct worker *) whose route table and token key decide; call it
 * on that worker's thread, as evhttp does. Owned by evhttp's connection; the
 * watcher's state is made on the first byte and freed with the connection. */
struct bufferevent *body_limits_bev_new(struct event_base *base, void *arg);

#endif
