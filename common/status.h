/*
 * Every way a request can be refused or fail, by name. Models and matching
 * return these; server/http/api_error.c is the one switch that maps each to
 * an HTTP status and an api.md error code, and reply_error in
 * server/http/http.c the one place that turns them into replies.
 */
#ifndef XYD_STATUS_H
#define XYD_STATUS_H

typedef enum {
	XYD_OK = 0,
	XYD_INVALID_JSON,
	XYD_VALIDATION_FAILED,
	XYD_UNAUTHENTICATED,
	XYD_INVALID_CREDENTIALS,
	XYD_FORBIDDEN,
	XYD_NOT_FOUND,
	XYD_METHOD_NOT_ALLOWED,
	XYD_CONFLICT,
	XYD_INVALID_STATE,
	XYD_NOT_ELIGIBLE,
	XYD_INSUFFICIENT_FUNDS,
	XYD_PAYLOAD_TOO_LARGE,
	XYD_ACCOUNT_LOCKED,
	XYD_RATE_LIMITED,
	XYD_INTERNAL,
	XYD_UNAVAILABLE,
	XYD_STATUS_COUNT
} xyd_status;

#endif
