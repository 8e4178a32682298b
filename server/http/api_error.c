/* The one mapping from named refusals to HTTP statuses and api.md codes. */
#include "server/http/api_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/validate.h"

/* The text goes to the client inside JSON, which must be UTF-8, yet it may
 * quote a raw request path or be cut inside a character by the buffer: each
 * byte that does not begin a valid UTF-8 sequence becomes '?'. */
static void utf8_scrub(char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		if (i + n <= len && validate_utf8(s + i, n)) {
			i += n;
			continue;
		}
		s[i++] = '?';
	}
}

xyd_status api_error_set(api_error *err, xyd_status status, const char *field, const char *fmt, ...)
{
	va_list ap;
	err->status = status;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	utf8_scrub(err->field);
	utf8_scrub(err->message);
	return status;
}

int api_error_http_status(xyd_status status)
{
	switch (status) {
	case XYD_OK:
		return 200;
	case XYD_INVALID_JSON:
		return 400;
	case XYD_VALIDATION_FAILED:
		return 400;
	case XYD_UNAUTHENTICATED:
		return 401;
	case XYD_INVALID_CREDENTIALS:
		return 401;
	case XYD_FORBIDDEN:
		return 403;
	case XYD_NOT_FOUND:
		return 404;
	case XYD_METHOD_NOT_ALLOWED:
		return 405;
	case XYD_CONFLICT:
		return 409;
	case XYD_INVALID_STATE:
		return 409;
	case XYD_NOT_ELIGIBLE:
		return 409;
	case XYD_INSUFFICIENT_FUNDS:
		return 409;
	case XYD_PAYLOAD_TOO_LARGE:
		return 413;
	case XYD_ACCOUNT_LOCKED:
		return 429;
	case XYD_RATE_LIMITED:
		return 429;
	case XYD_UNAVAILABLE:
		return 503;
	case XYD_INTERNAL:
	case XYD_STATUS_COUNT:
		break;
	}
	return 500;
}

const char *api_error_code(xyd_status status)
{
	switch (status) {
	case XYD_OK:
		return "ok";
	case XYD_INVALID_JSON:
		return "invalid_json";
	case XYD_VALIDATION_FAILED:
		return "validation_failed";
	case XYD_UNAUTHENTICATED:
		return "unauthenticated";
	case XYD_INVALID_CREDENTIALS:
		return "invalid_credentials";
	case XYD_FORBIDDEN:
		return "forbidden";
	case XYD_NOT_FOUND:
		return "not_found";
	case XYD_METHOD_NOT_ALLOWED:
		return "method_not_allowed";
	case XYD_CONFLICT:
		return "conflict";
	case XYD_INVALID_STATE:
		return "invalid_state";
	case XYD_NOT_ELIGIBLE:
		return "not_eligible";
	case XYD_INSUFFICIENT_FUNDS:
		return "insufficient_funds";
	case XYD_PAYLOAD_TOO_LARGE:
		return "payload_too_large";
	case XYD_ACCOUNT_LOCKED:
		return "account_locked";
	case XYD_RATE_LIMITED:
		return "rate_limited";
	case XYD_UNAVAILABLE:
		return "unavailable";
	case XYD_INTERNAL:
	case XYD_STATUS_COUNT:
		break;
	}
	return "internal";
}
