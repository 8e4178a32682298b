/* The financing whitelist: see whitelist.h. */
#include "models/whitelist.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/base.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

static const char *const status_names[WL_STATUS_COUNT] = {
	[WL_NOMINATED] = "nominated", [WL_APPROVED] = "approved", [WL_REJECTED] = "rejected",
	[WL_REVOKED] = "revoked",     [WL_EXPIRED] = "expired",
};

const char *models_wl_status_name(models_wl_status s)
{
	XYD_ASSERT(s >= 0 && s < WL_STATUS_COUNT);
	return status_names[s];
}

bool models_wl_status_parse(const char *s, models_wl_status *out)
{
	int i = validate_name_index(s, status_names, WL_STATUS_COUNT);
	if (i < 0)
		return false;
	*out = (models_wl_status)i;
	return true;
}

/* The stored transitions. expired is read-only (computed), so nothing
 * leaves it; approved-to-expired happens by the calendar, not by a write. */
static bool transition_legal(models_wl_status from, models_wl_status to)
{
	return (from == WL_NOMINATED && (to == WL_APPROVED || to == WL_REJECTED)) ||
	       (from == WL_APPROVED && to == WL_REVOKED);
}

static models_wl_status action_from(models_wl_action a)
{
	return a == WL_DO_REVOKE ? WL_APPROVED : WL_NOMINATED;
}

static models_wl_status action_to(models_wl_action a)
{
	switch (a) {
	case WL_DO_APPROVE: return WL_APPROVED;
	case WL_DO_REJECT: return WL_REJECTED;
	case WL_DO_REVOKE: return WL_REVOKED;
	}
	XYD_ASSERT(!"unknown whitelist action");
	return WL_STATUS_COUNT;
}

/* The status as read: approved past valid_until (UTC) is expired. */
#define WL_STATUS_SQL                                                                       \
	"(CASE WHEN w.status = 'approved' AND w.valid_until < " DB_DISTRICT_TODAY " THEN 'expired'" \
	" ELSE w.status END)"

#define WL_COLUMNS                                                                          \
	"SELECT w.id, w.enterprise_id, e.name, COALESCE(e.park_id, 0), " WL_STATUS_SQL ","  \
	" w.nominated_by_role, w.reason, DATE_FORMAT(w.valid_until, '%Y-%m-%d'),"          \
	" DATE_FORMAT(w.created_at, '%Y-%m-%dT%H:%i:%sZ'),"                                 \
	" DATE_FORMAT(w.decided_at, '%Y-%m-%dT%H:%i:%sZ'), w.decision_reason"               \
	" FROM whitelist_entries w JOIN enterprises e ON e.id = w.enterprise_id "

/* What a scope shows, as one condition with five parameters (WL_SCOPE_PARAMS),
 * so one prepared statement serves every role. */
#define WL_SCOPE_SQL                                                                        \
	" (? = 0 OR e.park_id = ?) AND (? = 0 OR w.enterprise_id = ?)"                      \
	" AND (? = 0 OR (w.status = 'approved' AND w.valid_until >= " DB_DISTRICT_TODAY "))"
#define WL_SCOPE_PARAMS(s)                                                                  \
	DB_INT((s)->view == WL_SEE_PARK), DB_INT((s)->org_id),                              \
	DB_INT((s)->view == WL_SEE_ENTERPRISE), DB_INT((s)->org_id),                        \
	DB_INT((s)->view == WL_SEE_APPROVED)

static bool entry_from_row(models_wl_entry *o, const db_result *r, size_t i)
{
	memset(o, 0, sizeof *o);
	o->id = db_cell_int(r, i, 0);
	o->enterprise_id = db_cell_int(r, i, 1);
	db_cell_copy(o->enterprise_name, sizeof o->enterprise_name, r, i, 2);
	o->enterprise_park_id = db_cell_int(r, i, 3);
	db_cell_copy(o->nominated_by_role, sizeof o->nominated_by_role, r, i, 5);
	db_cell_copy(o->reason, sizeof o->reason, r, i, 6);
	db_cell_copy(o->valid_until, sizeof o->valid_until, r, i, 7);
	db_cell_copy(o->created_at, sizeof o->created_at, r, i, 8);
	db_cell_copy(o->decided_at, sizeof o->decided_at, r, i, 9);
	db_cell_copy(o->decision_reason, sizeof o->decision_reason, r, i, 10);
	if (!models_wl_status_parse(db_cell(r, i, 4), &o->status)) {
		log_msg(LOG_ERROR, "whitelist entry %lld has an unknown status", (long long)o->id);
		return false;
	}
	return true;
}

xyd_status models_whitelist_get(models_db *db, int64_t id, const models_wl_scope *scope,
				models_wl_entry *out)
{
	db_result r;
	xyd_status st = DB_QUERY(db, WL_COLUMNS "WHERE w.id = ? AND" WL_SCOPE_SQL, &r,
				 DB_INT(id), WL_SCOPE_PARAMS(scope));
	if (st != XYD_OK)
		return st;
	if (r.nrows != 1)
		st = XYD_NOT_FOUND;
	else if (!entry_from_row(out, &r, 0))
		st = XYD_INTERNAL;
	db_result_release(&r);
	return st;
}

xyd_status models_whitelist_list(models_db *db, const models_wl_filter *f,
				 models_wl_entry **rows, size_t *count, bool *more)
{
	db_result r;
	const char *status = f->has_status ? models_wl_status_name(f->status) : NULL;
	*rows = NULL;
	*count = 0;
	*more = false;
	xyd_status st = DB_QUERY(
		db,
		WL_COLUMNS "WHERE (? = 0 OR w.id < ?) AND (? = 0 OR w.enterprise_id = ?)"
		" AND (? IS NULL OR " WL_STATUS_SQL " = ?) AND" WL_SCOPE_SQL
		" ORDER BY w.id DESC LIMIT ?",
		&r, DB_INT(f->before_id), DB_INT(f->before_id), DB_INT(f->enterprise_id),
		DB_INT(f->enterprise_id), db_str(status), db_str(status), WL_SCOPE_PARAMS(&f->scope),
		DB_INT(f->limit + 1));
	if (st != XYD_OK)
		return st;
	size_t n = r.nrows > (size_t)f->limit ? (size_t)f->limit : r.nrows;
	models_wl_entry *out = xcalloc(n ? n : 1, sizeof *out);
	for (size_t i = 0; i < n && st == XYD_OK; i++)
		if (!entry_from_row(&out[i], &r, i))
			st = XYD_INTERNAL;
	if (st == XYD_OK) {
		*rows = out;
		*count = n;
		*more = r.nrows > (size_t)f->limit;
	} else {
		free(out);
	}
	db_result_release(&r);
	return st;
}

/* ---- nominate ---- */

typedef struct {
	const models_wl_nomination *n;
	models_audit *audit;
	models_wl_entry *out;
	int64_t *live_id;
} nominate_ctx;

/* Locks the enterprise row (the per-enterprise serialization point) and
 * checks that the nominator may see it. */
static xyd_status lock_enterprise(models_db *db, const models_wl_nomination *n)
{
	db_result r;
	xyd_status st = DB_QUERY(db, "SELECT COALESCE(park_id, 0) FROM enterprises WHERE id = ? FOR UPDATE",
				 &r, DB_INT(n->enterprise_id));
	if (st != XYD_OK)
		return st;
	bool found = r.nrows == 1;
	int64_t park_id = found ? db_cell_int(&r, 0, 0) : 0;
	db_result_release(&r);
	XYD_ASSERT(n->scope.view != WL_SEE_APPROVED);	/* banks never nominate */
	if (!found || (n->scope.view == WL_SEE_PARK && park_id != n->scope.org_id) ||
	    (n->scope.view == WL_SEE_ENTERPRISE && n->enterprise_id != n->scope.org_id))
		return XYD_NOT_FOUND;
	return XYD_OK;
}

/* The live entry of an enterprise (nominated, or approved and unexpired), 0 if none.
 * A plain read suffices under READ COMMITTED: the enterprise lock is held,
 * so every nomination that could create a live entry has committed or waits. */
static xyd_status live_entry(models_db *db, int64_t enterprise_id, int64_t *id)
{
	db_result r;
	xyd_status st = DB_QUERY(db,
				 "SELECT id FROM whitelist_entries WHERE enterprise_id = ?"
				 " AND (status = 'nominated' OR (status = 'approved'"
				 " AND valid_until >= " DB_DISTRICT_TODAY ")) ORDER BY id DESC LIMIT 1",
				 &r, DB_INT(enterprise_id));
	if (st != XYD_OK)
		return st;
	*id = r.nrows ? db_cell_int(&r, 0, 0) : 0;
	db_result_release(&r);
	return XYD_OK;
}

static xyd_status nominate_body(models_db *db, void *arg, bool *commit_anyway)
{
	nominate_ctx *c = arg;
	const models_wl_nomination *n = c->n;
	uint64_t id = 0;
	(void)commit_anyway;
	xyd_status st = lock_enterprise(db, n);
	if (st != XYD_OK)
		return st;
	if ((st = live_entry(db, n->enterprise_id, c->live_id)) != XYD_OK)
		return st;
	if (*c->live_id)
		return XYD_CONFLICT;
	st = db_run(db,
		    "INSERT INTO whitelist_entries (enterprise_id, status, nominated_by_role,"
		    " nominated_by, reason) VALUES (?, 'nominated', ?, ?, ?)",
		    (const db_param[]){DB_INT(n->enterprise_id), db_str(n->role),
				       DB_INT(n->user_id), db_str(n->reason)},
		    4, NULL, NULL, &id);
	if (st != XYD_OK)
		return st;
	snprintf(c->audit->target_id, sizeof c->audit->target_id, "%llu", (unsigned long long)id);
	if ((st = models_audit_write(db, c->audit)) != XYD_OK)
		return st;
	const models_wl_scope all = {WL_SEE_ALL, 0};
	return models_whitelist_get(db, (int64_t)id, &all, c->out);
}

xyd_status models_whitelist_nominate(models_db *db, const models_wl_nomination *n,
				     models_audit *audit, models_wl_entry *out, int64_t *live_id)
{
	nominate_ctx c = {n, audit, out, live_id};
	*live_id = 0;
	return db_transaction(db, nominate_body, &c);
}

/* ---- decide ---- */

typedef struct {
	int64_t id;
	const models_wl_decision *d;
	models_audit *audit;
	models_wl_entry *out;
	models_wl_eligibility why;
} decide_ctx;

/* Inside the approval's transaction: may the enterprise be approved now?
 * The score row is share-locked so a rescore cannot slip in before commit. */
static xyd_status check_eligible(models_db *db, int64_t enterprise_id, models_wl_eligibility *why)
{
	db_result r;
	xyd_status st = DB_QUERY(db,
				 "SELECT grade, dishonest_debtor FROM credit_scores"
				 " WHERE enterprise_id = ? LOCK IN SHARE MODE",
				 &r, DB_INT(enterprise_id));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 0)
		*why = WL_INELIGIBLE_NO_SCORE;
	else if (db_cell_int(&r, 0, 1) != 0)
		*why = WL_INELIGIBLE_DISHONEST_DEBTOR;
	else if (strcmp(db_cell(&r, 0, 0), "D") == 0)
		*why = WL_INELIGIBLE_GRADE_D;
	else
		*why = WL_ELIGIBLE;
	db_result_release(&r);
	return *why == WL_ELIGIBLE ? XYD_OK : XYD_NOT_ELIGIBLE;
}

/* Writes the transition from -> to of entry id, which the caller has locked. */
static xyd_status write_transition(models_db *db, int64_t id, models_wl_status from,
				   models_wl_status to, const models_wl_decision *d)
{
	XYD_ASSERT(transition_legal(from, to));
	XYD_ASSERT(to != WL_APPROVED || (d->valid_days >= WL_VALID_DAYS_MIN &&
				     d->valid_days <= WL_VALID_DAYS_MAX));
	uint64_t changed = 0;
	bool approve = to == WL_APPROVED;
	xyd_status st = db_run(
		db,
		"UPDATE whitelist_entries SET status = ?,"
		" valid_until = IF(?, " DB_DISTRICT_TODAY " + INTERVAL ? DAY, valid_until),"
		" decided_by = ?, decided_at = UTC_TIMESTAMP(6), decision_reason = ?,"
		" updated_at = UTC_TIMESTAMP(6) WHERE id = ? AND status = ?",
		(const db_param[]){db_str(models_wl_status_name(to)), DB_INT(approve),
				   DB_INT(approve ? d->valid_days : 0), DB_INT(d->user_id),
				   db_str(approve ? NULL : d->reason), DB_INT(id),
				   db_str(models_wl_status_name(from))},
		7, NULL, &changed, NULL);
	if (st == XYD_OK && changed != 1) {
		/* The row is locked and its status was just read: cannot happen. */
		log_msg(LOG_ERROR, "whitelist entry %lld changed under its lock", (long long)id);
		st = XYD_INTERNAL;
	}
	return st;
}

static xyd_status decide_body(models_db *db, void *arg, bool *commit_anyway)
{
	decide_ctx *c = arg;
	const models_wl_scope all = {WL_SEE_ALL, 0};
	db_result r;
	(void)commit_anyway;
	xyd_status st = DB_QUERY(db, "SELECT id FROM whitelist_entries WHERE id = ? FOR UPDATE", &r,
				 DB_INT(c->id));
	if (st != XYD_OK)
		return st;
	bool found = r.nrows == 1;
	db_result_release(&r);
	if (!found)
		return XYD_NOT_FOUND;
	/* Locked: the status read now (expired included) holds until commit. */
	if ((st = models_whitelist_get(db, c->id, &all, c->out)) != XYD_OK)
		return st;
	models_wl_status from = c->out->status, to = action_to(c->d->action);
	if (from != action_from(c->d->action))
		return XYD_INVALID_STATE;
	if (to == WL_APPROVED && (st = check_eligible(db, c->out->enterprise_id, &c->why)) != XYD_OK)
		return st;
	if ((st = write_transition(db, c->id, from, to, c->d)) != XYD_OK)
		return st;
	snprintf(c->audit->target_id, sizeof c->audit->target_id, "%lld", (long long)c->id);
	if ((st = models_audit_write(db, c->audit)) != XYD_OK)
		return st;
	return models_whitelist_get(db, c->id, &all, c->out);
}

xyd_status models_whitelist_decide(models_db *db, int64_t id, const models_wl_decision *d,
				   models_audit *audit, models_wl_entry *out,
				   models_wl_eligibility *why)
{
	decide_ctx c = {id, d, audit, out, WL_ELIGIBLE};
	xyd_status st = db_transaction(db, decide_body, &c);
	if (why)
		*why = c.why;
	return st;
}
