/* Notifications: see notifications.h. */
#include "models/notifications.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/base.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

/* The columns every notification statement inserts after the user id. */
#define NOTIFY_PARAMS(kind, title, body, ref_type, ref_id)                                         \
	db_str(kind), db_str(title), db_str((body) ? (body) : ""), db_str(ref_type),               \
		db_opt_int((ref_type) != NULL, (ref_id))

/* The users of an organisation are those of its role whose organisation
 * column (COALESCE: each role carries exactly one of them) names it. */
xyd_status models_notify_org(models_db *db, models_org_kind org, int64_t org_id, const char *kind,
			     const char *title, const char *body, const char *ref_type,
			     int64_t ref_id, size_t *count)
{
	static const char *const roles[] = {[MODELS_ORG_ENTERPRISE] = "sme",
					    [MODELS_ORG_INSTITUTION] = "bank",
					    [MODELS_ORG_PARK] = "park"};
	XYD_ASSERT(org >= MODELS_ORG_ENTERPRISE && org <= MODELS_ORG_PARK);
	const char *role = roles[org];
	uint64_t n = 0;
	xyd_status st = db_run(
		db,
		"INSERT INTO notifications (user_id, kind, title, body, ref_type, ref_id)"
		" SELECT id, ?, ?, ?, ?, ? FROM users WHERE role = ?"
		" AND COALESCE(enterprise_id, institution_id, park_id) = ? ORDER BY id",
		(const db_param[]){NOTIFY_PARAMS(kind, title, body, ref_type, ref_id), db_str(role),
				   DB_INT(org_id)},
		7, NULL, &n, NULL);
	if (count)
		*count = st == XYD_OK ? (size_t)n : 0;
	return st;
}

xyd_status models_notify_user(models_db *db, int64_t user_id, const char *kind, const char *title,
			      const char *body, const char *ref_type, int64_t ref_id)
{
	uint64_t n = 0;
	xyd_status st = db_run(
		db,
		"INSERT INTO notifications (user_id, kind, title, body, ref_type, ref_id)"
		" SELECT id, ?, ?, ?, ?, ? FROM users WHERE id = ?",
		(const db_param[]){NOTIFY_PARAMS(kind, title, body, ref_type, ref_id),
				   DB_INT(user_id)},
		6, NULL, &n, NULL);
	if (st == XYD_OK && n == 0)
		st = XYD_NOT_FOUND;
	return st;
}

/* ---- read ---- */

REC_TYPE_DEFINE(models_notification, MODELS_NOTIFICATION_FIELDS)

#define NOTIFICATION_SELECT "SELECT " REC_COLUMNS(MODELS_NOTIFICATION_FIELDS) " FROM notifications "

static xyd_status notification_get(models_db *db, int64_t user_id, int64_t id,
				   models_notification *out)
{
	return DB_GET_ONE(db, NOTIFICATION_SELECT "WHERE id = ? AND user_id = ?",
			  models_notification_rec(), out, DB_INT(id), DB_INT(user_id));
}

xyd_status models_notification_list(models_db *db, const models_notification_filter *f,
				    models_notification **rows, size_t *count, bool *more)
{
	return db_get_page(db,
			   NOTIFICATION_SELECT
			   "WHERE user_id = ? AND (? = 0 OR id < ?)"
			   " AND (? = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT ?",
			   DB_PARAMS(DB_INT(f->user_id), DB_INT(f->before_id), DB_INT(f->before_id),
				     DB_INT(f->unread_only)),
			   models_notification_rec(), f->limit, (void **)rows, count, more);
}

/* ---- mark read ---- */

typedef struct {
	int64_t user_id, id;
	models_audit *audit;
	models_notification *out;
} read_ctx;

/* A recommendation's notification was read: the enterprise of user_id has
 * now seen programme program_id's recommendation (the first time counts). */
static xyd_status mark_recommendation_viewed(models_db *db, int64_t user_id, int64_t program_id)
{
	return DB_QUERY(
		db,
		"UPDATE program_recommendations r JOIN users u ON u.enterprise_id = r.enterprise_id"
		" SET r.viewed_at = COALESCE(r.viewed_at, UTC_TIMESTAMP(6))"
		" WHERE u.id = ? AND r.program_id = ?",
		NULL, DB_INT(user_id), DB_INT(program_id));
}

static xyd_status read_body(models_db *db, void *arg, bool *commit_anyway)
{
	read_ctx *c = arg;
	int64_t unread = 0;
	(void)commit_anyway;
	xyd_status st = DB_QUERY_INT(
		db,
		"SELECT read_at IS NULL FROM notifications WHERE id = ? AND user_id = ?"
		" FOR UPDATE",
		&unread, DB_INT(c->id), DB_INT(c->user_id));
	if (st != XYD_OK)
		return st;
	if (unread) {
		st = DB_QUERY(db,
			      "UPDATE notifications SET read_at = UTC_TIMESTAMP(6) WHERE id = ?",
			      NULL, DB_INT(c->id));
		if (st != XYD_OK ||
		    (st = notification_get(db, c->user_id, c->id, c->out)) != XYD_OK)
			return st;
		if (strcmp(c->out->kind, MODELS_NOTIFY_PROGRAM_RECOMMENDED) == 0 &&
		    strcmp(c->out->ref_type, "program") == 0 &&
		    (st = mark_recommendation_viewed(db, c->user_id, c->out->ref_id)) != XYD_OK)
			return st;
		if ((st = models_audit_write_id(db, c->audit, c->id)) != XYD_OK)
			return st;
	}
	return notification_get(db, c->user_id, c->id, c->out);
}

xyd_status models_notification_read(models_db *db, int64_t user_id, int64_t id, models_audit *audit,
				    models_notification *out)
{
	read_ctx c = {user_id, id, audit, out};
	return db_transaction(db, read_body, &c);
}
