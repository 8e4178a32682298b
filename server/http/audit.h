/*
 * Refused access in the audit log (server/http/audit.c). The verify route's
 * handler is declared with the others in handlers.h.
 */
#ifndef XYD_SERVER_AUDIT_H
#define XYD_SERVER_AUDIT_H

#include "server/http/http.h"

/* Records "access.denied" (route, target, status) when rc's caller is
 * authenticated and is answered http_status 403 or 404 on a matched route;
 * at most a fixed number per user per minute per server. Failures to write
 * are logged, never answered. */
void audit_access_denied(request_ctx *rc, int http_status);

#endif
