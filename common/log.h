/*
 * The one logging function. Every line carries level, UTC time and the
 * request id of the request the calling thread is serving ("-" outside one).
 * Never pass a token, password, secret or unmasked personal number.
 */
#ifndef XYD_LOG_H
#define XYD_LOG_H

typedef enum { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR } log_level;

/* Lines below this level are dropped. Set once at start-up. */
void log_set_level(log_level level);
/* Parses "debug", "info", "warn", "error"; returns -1 on anything else. */
int log_level_parse(const char *name);
/* The request id for log lines from this thread; NULL clears it. The string
 * is copied. */
void log_set_request_id(const char *request_id);
/* This thread's request id ("-" when none). Thread-local storage: valid until
 * the next log_set_request_id on this thread; do not free it. */
const char *log_request_id(void);
void log_msg(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
