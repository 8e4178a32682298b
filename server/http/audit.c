/*
 * The record of refused access in the audit log — a 403 or
 * 404 answered to an authenticated caller, written from the one place where
 * errors become replies (http.c reply_error), so a handler's own 404 for a
 * record that does not exist is recorded the same as one for a record the
 * caller may not see (the two must not be told apart).
 */
#include "server/http/audit.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/log.h"

/* Refusals recorded per user per minute by this server process. The count
 * lives in memory only (a restart or a second server starts its own): it
 * bounds how fast one client can grow the log, not what is refused. */
#define DENIED_PER_USER_MINUTE 20
#define DENIED_SLOTS 4096
#define DENIED_PROBE 16

static struct denied_slot {
	int64_t user_id;
	int64_t minute;
	int count;
} denied[DENIED_SLOTS];
static pthread_mutex_t denied_lock = PTHREAD_MUTEX_INITIALIZER;

/* True when user_id may have one more refusal recorded this minute. Slots
 * of an older minute are free; within a minute no slot is freed, so a
 * user's slot is always the first of its probe run that names it. When
 * every probed slot is taken this minute the refusal is recorded anyway:
 * the table may lose its bound, never a record. */
static bool denied_allow(int64_t user_id, int64_t minute)
{
	bool allow = true;
	size_t h = (size_t)((uint64_t)user_id * UINT64_C(0x9E3779B97F4A7C15) >> 52) % DENIED_SLOTS;
	pthread_mutex_lock(&denied_lock);
	for (size_t i = 0; i < DENIED_PROBE; i++) {
		struct denied_slot *s = &denied[(h + i) % DENIED_SLOTS];
		if (s->minute != minute) {
			*s = (struct denied_slot){.user_id = user_id, .minute = minute, .count = 1};
			break;
		}
		if (s->user_id == user_id) {
			allow = s->count < DENIED_PER_USER_MINUTE;
			s->count += allow;
			break;
		}
	}
	pthread_mutex_unlock(&denied_lock);
	return allow;
}

void audit_access_denied(request_ctx *rc, int http_status)
{
	const route *r = rc->match.route;
	if (!rc->authenticated || !r || (http_status != 403 && http_status != 404))
		return;
	if (!denied_allow(rc->who.user_id, (int64_t)time(NULL) / 60))
		return;
	char type[33] = "", detail[160];
	const char *p = strncmp(r->pattern, "/api/v1/", 8) == 0 ? r->pattern + 8 : r->pattern;
	snprintf(type, sizeof type, "%.*s", (int)strcspn(p, "/"), p);
	snprintf(detail, sizeof detail, "%s %s", r->method, r->pattern);
	models_audit a;
	request_audit(rc, &a, "access.denied", type[0] ? type : NULL, http_status);
	if (rc->match.nparams > 0)
		snprintf(a.target_id, sizeof a.target_id, "%.63s", rc->match.strs[0]);
	a.detail = detail;
	if (models_audit_write(rc->db, &a) != XYD_OK)
		log_msg(LOG_WARN, "cannot record a refused access (%d) in the audit log",
			http_status);
}
