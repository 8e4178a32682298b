/* An enterprise's requests to move into a park: see park_changes.h. */
#include "models/park_changes.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/base.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/notifications.h"

REC_TYPE_DEFINE(models_park_change, MODELS_PARK_CHANGE_FIELDS)
#define CHANGE_SELECT                                                                                                  \
	"SELECT " REC_COLUMNS(                                                                                         \
		MODELS_PARK_CHANGE_FIELDS) " FROM park_change_requests c JOIN enterprises e ON e.id = c.enterprise_id" \
					   " JOIN parks k ON k.id = c.park_id LEFT JOIN parks f ON f.id = c.from_park_id "

static xyd_status change_get(models_db *db, int64_t id, models_park_change *out)
{
	return DB_GET_ONE(db, CHANGE_SELECT "WHERE c.id = ?", models_park_change_rec(), out,
			  DB_INT(id));
}

xyd_status models_park_change_cancel_pending(models_db *db, int64_t enterprise_id, int64_t user_id)
{
	return DB_QUERY(db,
			"UPDATE park_change_requests SET status = 'cancelled', decided_by = ?,"
			" decided_at = UTC_TIMESTAMP(6) WHERE pending_enterprise_id = ?",
			NULL, DB_INT(user_id), DB_INT(enterprise_id));
}

xyd_status models_park_change_request(models_db *db, int64_t enterprise_id, int64_t from_park_id,
				      int64_t park_id, int64_t user_id, const models_audit *audit,
				      int64_t *id)
{
	uint64_t new_id = 0;
	XYD_ASSERT(park_id > 0);
	xyd_status st = models_park_change_cancel_pending(db, enterprise_id, user_id);
	if (st != XYD_OK)
		return st;
	st = db_run(db,
		    "INSERT INTO park_change_requests (enterprise_id, from_park_id, park_id,"
		    " requested_by) VALUES (?, ?, ?, ?)",
		    (const db_param[]){DB_INT(enterprise_id),
				       db_opt_int(from_park_id > 0, from_park_id), DB_INT(park_id),
				       DB_INT(user_id)},
		    4, NULL, NULL, &new_id);
	if (st != XYD_OK)
		return st;
	*id = (int64_t)new_id;
	/* The enterprise's name (at most 200 characters) fits the body's 2,000. */
	db_result r;
	if ((st = DB_QUERY(db, "SELECT name FROM enterprises WHERE id = ?", &r,
			   DB_INT(enterprise_id))) != XYD_OK)
		return st;
	char *body = xasprintf("企业「%s」申请迁入贵园区，请在园区工作台的“入园申请”中确认或驳回。",
			       r.nrows == 1 ? db_cell(&r, 0, 0) : "");
	db_result_release(&r);
	st = models_notify_org(db, MODELS_ORG_PARK, park_id, MODELS_NOTIFY_PARK_CHANGE_REQUESTED,
			       "入园申请待确认", body, "park_change", *id, NULL);
	free(body);
	if (st != XYD_OK)
		return st;
	models_audit a = *audit;
	char detail[64];
	a.action = "park_change.request";
	a.target_type = "park_change";
	snprintf(detail, sizeof detail, "enterprise=%lld park=%lld", (long long)enterprise_id,
		 (long long)park_id);
	a.detail = detail;
	return models_audit_write_id(db, &a, *id);
}

xyd_status models_park_change_pending(models_db *db, int64_t enterprise_id, models_park_change *out)
{
	return DB_GET_ONE(db, CHANGE_SELECT "WHERE c.pending_enterprise_id = ?",
			  models_park_change_rec(), out, DB_INT(enterprise_id));
}

xyd_status models_park_change_list(models_db *db, const models_park_change_filter *f,
				   models_park_change **rows, size_t *count, bool *more)
{
	return db_get_page(db,
			   CHANGE_SELECT "WHERE c.id > ? AND (? = 0 OR c.park_id = ?)"
					 " AND (? IS NULL OR c.status = ?) ORDER BY c.id LIMIT ?",
			   DB_PARAMS(DB_INT(f->after_id), DB_INT(f->park_id), DB_INT(f->park_id),
				     db_str(f->status), db_str(f->status)),
			   models_park_change_rec(), f->limit, (void **)rows, count, more);
}

typedef struct {
	int64_t id, park_id, user_id;
	bool confirm;
	const char *reason;
	models_audit *audit;
	models_park_change *out;
} decide_ctx;

/* Locks the enterprise of request id into park_id, then the request: the
 * order the enterprise's PATCH takes too (it locks the enterprise, then
 * cancels or inserts requests), so the two never wait on each other in a
 * circle. XYD_NOT_FOUND unless it is a request into park_id. */
static xyd_status lock_request(models_db *db, const decide_ctx *c, int64_t *enterprise_id)
{
	/* A request's enterprise and park never change: read them unlocked. */
	xyd_status st = DB_QUERY_INT(db,
				     "SELECT enterprise_id FROM park_change_requests WHERE id = ?"
				     " AND park_id = ?",
				     enterprise_id, DB_INT(c->id), DB_INT(c->park_id));
	if (st != XYD_OK ||
	    (st = DB_QUERY_INT(db, "SELECT id FROM enterprises WHERE id = ? FOR UPDATE", NULL,
			       DB_INT(*enterprise_id))) != XYD_OK)
		return st;
	return DB_QUERY_INT(db, "SELECT id FROM park_change_requests WHERE id = ? FOR UPDATE", NULL,
			    DB_INT(c->id));
}

static xyd_status decide_body(models_db *db, void *arg, bool *commit_anyway)
{
	decide_ctx *c = arg;
	int64_t enterprise_id = 0;
	(void)commit_anyway;
	xyd_status st = lock_request(db, c, &enterprise_id);
	if (st != XYD_OK || (st = change_get(db, c->id, c->out)) != XYD_OK)
		return st;
	if (strcmp(c->out->status, "pending") != 0)
		return XYD_INVALID_STATE;
	st = DB_QUERY(db,
		      "UPDATE park_change_requests SET status = ?, decided_by = ?,"
		      " decided_at = UTC_TIMESTAMP(6), reason = ? WHERE id = ?",
		      NULL, db_str(c->confirm ? "confirmed" : "rejected"), DB_INT(c->user_id),
		      db_str(c->confirm ? NULL : c->reason), DB_INT(c->id));
	if (st == XYD_OK && c->confirm)
		st = DB_QUERY(db,
			      "UPDATE enterprises SET park_id = ?, updated_at = UTC_TIMESTAMP(6)"
			      " WHERE id = ?",
			      NULL, DB_INT(c->park_id), DB_INT(enterprise_id));
	if (st != XYD_OK)
		return st;
	st = models_notify_org(db, MODELS_ORG_ENTERPRISE, enterprise_id,
			       c->confirm ? MODELS_NOTIFY_PARK_CHANGE_CONFIRMED
					  : MODELS_NOTIFY_PARK_CHANGE_REJECTED,
			       c->confirm ? "入园申请已确认" : "入园申请被驳回",
			       c->confirm ? "" : c->reason, "park_change", c->id, NULL);
	if (st != XYD_OK)
		return st;
	if ((st = models_audit_write_id(db, c->audit, c->id)) != XYD_OK)
		return st;
	return change_get(db, c->id, c->out);
}

xyd_status models_park_change_decide(models_db *db, int64_t id, int64_t park_id, bool confirm,
				     const char *reason, int64_t user_id, models_audit *audit,
				     models_park_change *out)
{
	XYD_ASSERT(confirm || reason);
	decide_ctx c = {id, park_id, user_id, confirm, reason, audit, out};
	memset(out, 0, sizeof *out);
	return db_transaction(db, decide_body, &c);
}
