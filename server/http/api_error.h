/*
 * The refusal a handler hands back to the reply path: a named status (see
 * common/status.h), a human message and, where one input field is at fault,
 * that field. api_error_http_status and api_error_code below map the status
 * to the HTTP status and the api.md error code, and reply_error in
 * server/http/http.c writes the reply; nothing else decides those.
 */
#ifndef XYD_API_ERROR_H
#define XYD_API_ERROR_H

#include "common/status.h"

typedef struct {
	xyd_status status;
	char message[256];
	char field[128]; /* "" when no single field is at fault */
} api_error;

/* Sets every member; field may be NULL. Returns status, so a handler can
 * write `return api_error_set(err, XYD_NOT_FOUND, NULL, "no such user");`. */
xyd_status api_error_set(api_error *err, xyd_status status, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The HTTP status and the api.md code ("validation_failed" …) of a status;
 * the code is a static string. */
int api_error_http_status(xyd_status status);
const char *api_error_code(xyd_status status);

#endif
