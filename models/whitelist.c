/* The financing whitelist: see whitelist.h. */
#include "models/whitelist.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/base.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/enum_names.h"

static const char *const status_names[WL_STATUS_COUNT] = {
	[WL_NOMINATED] = "nominated", [WL_APPROVED] = "approved", [WL_REJECTED] = "rejected",
	[WL_REVOKED] = "revoked",     [WL_EXPIRED] = "expired",
};

MODELS_ENUM_NAMES(models_wl_status, models_wl_status, status_names, WL_STATUS_COUNT)

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
	case WL_DO_APPROVE:
		return WL_APPROVED;
	case WL_DO_REJECT:
		return WL_REJECTED;
	case WL_DO_REVOKE:
		return WL_REVOKED;
	}
	XYD_ASSERT(!"unknown whitelist action");
	return WL_STATUS_COUNT;
}

REC_TYPE_DEFINE(models_wl_entry, MODELS_WL_ENTRY_FIELDS)
#define WL_SELECT                                                                                  \
	"SELECT " REC_COLUMNS(                                                                     \
		MODELS_WL_ENTRY_FIELDS) " FROM whitelist_entries w JOIN enterprises e ON e.id = w.enterprise_id "
#define WL_STATUS_SQL MODELS_WL_STATUS_AS_READ_SQL("w")

/* What a scope shows, as one condition with five parameters (WL_SCOPE_PARAMS),
 * so one prepared statement serves every role. */
#define WL_SCOPE_SQL                                                                               \
	" (? = 0 OR e.park_id = ?) AND (? = 0 OR w.enterprise_id = ?)"                             \
	" AND (? = 0 OR (w.status = 'approved' AND w.valid_until >= " DB_DISTRICT_TODAY "))"
#define WL_SCOPE_PARAMS(s)                                                                         \
	DB_INT((s)->view == WL_SEE_PARK), DB_INT((s)->org_id),                                     \
		DB_INT((s)->view == WL_SEE_ENTERPRISE), DB_INT((s)->org_id),                       \
		DB_INT((s)->view == WL_SEE_APPROVED)

/* Sets the state of each of rows[0..n) from its status. */
static xyd_status parse_states(models_wl_entry *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!models_wl_status_parse(rows[i].status, &rows[i].state)) {
			log_msg(LOG_ERROR, "whitelist entry %lld has an unknown status",
				(long long)rows[i].id);
			return XYD_INTERNAL;
		}
	return XYD_OK;
}

xyd_status models_whitelist_get(models_db *db, int64_t id, const models_wl_scope *scope,
				models_wl_entry *out)
{
	xyd_status st = DB_GET_ONE(db, WL_SELECT "WHERE w.id = ? AND" WL_SCOPE_SQL,
				   models_wl_entry_rec(), out, DB_INT(id), WL_SCOPE_PARAMS(scope));
	return st == XYD_OK ? parse_states(out, 1) : st;
}

xyd_status models_whitelist_list(models_db *db, const models_wl_filter *f, models_wl_entry **rows,
				 size_t *count, bool *more)
{
	const char *status = f->has_status ? models_wl_status_name(f->status) : NULL;
	xyd_status st = db_get_page(
		db,
		WL_SELECT "WHERE (? = 0 OR w.id < ?) AND (? = 0 OR w.enterprise_id = ?)"
			  " AND (? IS NULL OR " WL_STATUS_SQL " = ?) AND" WL_SCOPE_SQL
			  " ORDER BY w.id DESC LIMIT ?",
		DB_PARAMS(DB_INT(f->before_id), DB_INT(f->before_id), DB_INT(f->enterprise_id),
			  DB_INT(f->enterprise_id), db_str(status), db_str(status),
			  WL_SCOPE_PARAMS(&f->scope)),
		models_wl_entry_rec(), f->limit, (void **)rows, count, more);
	if (st == XYD_OK && (st = parse_states(*rows, *count)) != XYD_OK) {
		*count = 0;
		*more = false;
	}
	return st;
}

/* ---- nominate ---- */

static const models_wl_scope see_all = {WL_SEE_ALL, 0};

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
	int64_t park_id = 0;
	xyd_status st = DB_QUERY_INT(db, "SELECT park_id FROM enterprises WHERE id = ? FOR UPDATE",
				     &park_id, DB_INT(n->enterprise_id));
	XYD_ASSERT(n->scope.view != WL_SEE_APPROVED); /* banks never nominate */
	if (st == XYD_OK &&
	    ((n->scope.view == WL_SEE_PARK && park_id != n->scope.org_id) ||
	     (n->scope.view == WL_SEE_ENTERPRISE && n->enterprise_id != n->scope.org_id)))
		return XYD_NOT_FOUND;
	return st;
}

/* The live entry of an enterprise (nominated, or approved and unexpired), 0 if none.
 * A plain read suffices under READ COMMITTED: the enterprise lock is held,
 * so every nomination that could create a live entry has committed or waits. */
static xyd_status live_entry(models_db *db, int64_t enterprise_id, int64_t *id)
{
	*id = 0;
	xyd_status st = DB_QUERY_INT(db,
				     "SELECT id FROM whitelist_entries WHERE enterprise_id = ?"
				     " AND (status = 'nominated' OR (status = 'approved'"
				     " AND valid_until >= " DB_DISTRICT_TODAY
				     ")) ORDER BY id DESC LIMIT 1",
				     id, DB_INT(enterprise_id));
	return st == XYD_NOT_FOUND ? XYD_OK : st;
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
	if (st != XYD_OK || (st = models_audit_write_id(db, c->audit, (int64_t)id)) != XYD_OK)
		return st;
	return models_whitelist_get(db, (int64_t)id, &see_all, c->out);
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
	int64_t v = 0;
	xyd_status st = DB_QUERY_INT(
		db,
		"SELECT IF(dishonest_debtor, ?, IF(grade = 'D', ?, ?)) FROM credit_scores"
		" WHERE enterprise_id = ? LOCK IN SHARE MODE",
		&v, DB_INT(WL_INELIGIBLE_DISHONEST_DEBTOR), DB_INT(WL_INELIGIBLE_GRADE_D),
		DB_INT(WL_ELIGIBLE), DB_INT(enterprise_id));
	if (st != XYD_OK && st != XYD_NOT_FOUND)
		return st;
	*why = st == XYD_NOT_FOUND ? WL_INELIGIBLE_NO_SCORE : (models_wl_eligibility)v;
	return *why == WL_ELIGIBLE ? XYD_OK : XYD_NOT_ELIGIBLE;
}

/* Writes the transition from -> to of entry id, which the caller has locked. */
static xyd_status write_transition(models_db *db, int64_t id, models_wl_status from,
				   models_wl_status to, const models_wl_decision *d)
{
	XYD_ASSERT(transition_legal(from, to));
	XYD_ASSERT(to != WL_APPROVED ||
		   (d->valid_days >= WL_VALID_DAYS_MIN && d->valid_days <= WL_VALID_DAYS_MAX));
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
	(void)commit_anyway;
	xyd_status st = DB_QUERY_INT(db, "SELECT id FROM whitelist_entries WHERE id = ? FOR UPDATE",
				     NULL, DB_INT(c->id));
	/* Locked: the status read now (expired included) holds until commit. */
	if (st != XYD_OK || (st = models_whitelist_get(db, c->id, &see_all, c->out)) != XYD_OK)
		return st;
	models_wl_status from = c->out->state, to = action_to(c->d->action);
	if (from != action_from(c->d->action))
		return XYD_INVALID_STATE;
	if (to == WL_APPROVED &&
	    (st = check_eligible(db, c->out->enterprise_id, &c->why)) != XYD_OK)
		return st;
	if ((st = write_transition(db, c->id, from, to, c->d)) != XYD_OK)
		return st;
	if ((st = models_audit_write_id(db, c->audit, c->id)) != XYD_OK)
		return st;
	return models_whitelist_get(db, c->id, &see_all, c->out);
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
