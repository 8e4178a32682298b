/*
 * Notifications: short messages to one user (an sme user hears of a
 * park's recommendation, later of its application's progress). Other
 * models write them inside their own transaction with models_notify_*,
 * so a notification exists exactly when the change it announces does.
 * A user lists and reads only their own.
 *
 * Reading a notification of kind MODELS_NOTIFY_PROGRAM_RECOMMENDED marks
 * the recommendation it announces as viewed (program_recommendations.
 * viewed_at), which the programme's funnel counts.
 */
#ifndef XYD_MODELS_NOTIFICATIONS_H
#define XYD_MODELS_NOTIFICATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/audit.h"
#include "models/db.h"
#include "models/record.h"

/* Kinds written by this module's callers; a kind is 1-40 ASCII bytes. */
#define MODELS_NOTIFY_PROGRAM_RECOMMENDED "program.recommended"

/* Limits of the stored text, in characters. */
#define NOTIFY_TITLE_MAX_CHARS 200
#define NOTIFY_BODY_MAX_CHARS 2000

/* title 200 and body 2000 characters of up to 4 bytes; ref_type "" and
 * ref_id 0 when there is no reference; times RFC 3339 UTC, read_at ""
 * while unread. */
#define MODELS_NOTIFICATION_FIELDS(X)                                                              \
	X(I64, id, 0, "id")                                                                        \
	X(I64_INTERNAL, user_id, 0, "user_id")                                                     \
	X(TEXT, kind, 41, "kind")                                                                  \
	X(TEXT, title, 801, "title")                                                               \
	X(TEXT, body, 8001, "body")                                                                \
	X(OPT_TEXT, ref_type, 33, "ref_type")                                                      \
	X(ID, ref_id, 0, "ref_id")                                                                 \
	X(TEXT, created_at, 32, REC_RFC3339("created_at"))                                         \
	X(OPT_TEXT, read_at, 32, REC_RFC3339("read_at"))
typedef struct {
	MODELS_NOTIFICATION_FIELDS(REC_MEMBER)
} models_notification;
REC_TYPE_DECLARE(models_notification);

/* Whose users a notification goes to. */
typedef enum {
	MODELS_ORG_ENTERPRISE,	/* its sme users */
	MODELS_ORG_INSTITUTION, /* its bank users */
	MODELS_ORG_PARK		/* its park users */
} models_org_kind;

/*
 * Writes one notification to every user of organisation org_id of kind
 * org (none when it has none), inside the caller's transaction if one is
 * open. kind and
 * title are required; body may be NULL (""); ref_type NULL means no
 * reference (ref_id is then ignored). title and body must already be
 * within their limits (a longer one fails the statement: XYD_INTERNAL).
 * *count (may be NULL) receives how many were written.
 */
xyd_status models_notify_org(models_db *db, models_org_kind org, int64_t org_id, const char *kind,
			     const char *title, const char *body, const char *ref_type,
			     int64_t ref_id, size_t *count);

/* The same for one user. XYD_NOT_FOUND when there is no such user. */
xyd_status models_notify_user(models_db *db, int64_t user_id, const char *kind, const char *title,
			      const char *body, const char *ref_type, int64_t ref_id);

typedef struct {
	int64_t user_id; /* whose; required */
	bool unread_only;
	int64_t before_id; /* cursor: ids below this; 0 for the first page */
	int limit;	   /* 1..500 */
} models_notification_filter;

/* The user's notifications, newest first. *rows is malloc'd (free());
 * *more when another page follows. */
xyd_status models_notification_list(models_db *db, const models_notification_filter *f,
				    models_notification **rows, size_t *count, bool *more);

/*
 * Marks notification id of user_id read now, unless it already is (the
 * first read_at stays), and, for a programme recommendation, marks the
 * recommendation viewed; with the audit row (target_id set here) when
 * anything changed, in one transaction. *out holds the notification
 * after. XYD_NOT_FOUND when user_id has no notification id.
 */
xyd_status models_notification_read(models_db *db, int64_t user_id, int64_t id, models_audit *audit,
				    models_notification *out);

#endif
