/* Applications, loans and the holiday calendar: see applications.h. */
#include "models/applications.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/base.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/app_limits_internal.h"
#include "models/db_internal.h"
#include "models/enum_names.h"
#include "models/enterprises.h"
#include "models/loans.h" /* ledger: suspension */
#include "models/notifications.h"

static const char *const status_names[APP_STATUS_COUNT] = {
	[APP_SUBMITTED] = "submitted", [APP_PENDING_BANK] = "pending_bank",
	[APP_ACCEPTED] = "accepted",   [APP_APPROVED] = "approved",
	[APP_DISBURSED] = "disbursed", [APP_REJECTED] = "rejected",
	[APP_WITHDRAWN] = "withdrawn", [APP_EXPIRED] = "expired",
};

MODELS_ENUM_NAMES(models_app_status, models_app_status, status_names, APP_STATUS_COUNT)

/* legal[from][to]: the whole state machine. */
static const bool legal[APP_STATUS_COUNT][APP_STATUS_COUNT] = {
	[APP_SUBMITTED] = {[APP_PENDING_BANK] = true, [APP_WITHDRAWN] = true, [APP_EXPIRED] = true},
	[APP_PENDING_BANK] = {[APP_ACCEPTED] = true,
			      [APP_REJECTED] = true,
			      [APP_WITHDRAWN] = true,
			      [APP_EXPIRED] = true},
	[APP_ACCEPTED] = {[APP_APPROVED] = true, [APP_REJECTED] = true, [APP_WITHDRAWN] = true},
	[APP_APPROVED] = {[APP_DISBURSED] = true},
};

bool models_app_transition_legal(models_app_status from, models_app_status to)
{
	XYD_ASSERT(from >= 0 && from < APP_STATUS_COUNT);
	XYD_ASSERT(to >= 0 && to < APP_STATUS_COUNT);
	return legal[from][to];
}

/* The status each action moves to. */
static const models_app_status action_to[APP_ACTION_COUNT] = {
	[APP_DO_SUBMIT] = APP_PENDING_BANK, [APP_DO_ACCEPT] = APP_ACCEPTED,
	[APP_DO_APPROVE] = APP_APPROVED,    [APP_DO_REJECT] = APP_REJECTED,
	[APP_DO_DISBURSE] = APP_DISBURSED,  [APP_DO_WITHDRAW] = APP_WITHDRAWN,
	[APP_DO_EXPIRE] = APP_EXPIRED,
};

static const char *const action_audit[APP_ACTION_COUNT] = {
	[APP_DO_SUBMIT] = "application.submit",	    [APP_DO_ACCEPT] = "application.accept",
	[APP_DO_APPROVE] = "application.approve",   [APP_DO_REJECT] = "application.reject",
	[APP_DO_DISBURSE] = "application.disburse", [APP_DO_WITHDRAW] = "application.withdraw",
	[APP_DO_EXPIRE] = "application.expire",
};

static const char *const action_title[APP_ACTION_COUNT] = {
	[APP_DO_SUBMIT] = "融资申请已提交至产品，等待银行受理",
	[APP_DO_ACCEPT] = "银行已受理您的融资申请",
	[APP_DO_APPROVE] = "您的融资申请已获批准",
	[APP_DO_REJECT] = "您的融资申请未获通过",
	[APP_DO_DISBURSE] = "贷款已发放",
	[APP_DO_WITHDRAW] = "融资申请已撤回",
	[APP_DO_EXPIRE] = "融资申请已过期",
};

/* ---- reading ---- */

/* The district date of the application's approval (NULL until approved). */
#define APP_APPROVED_ON_SQL                                                                        \
	"(SELECT DATE_FORMAT(" DB_DISTRICT_DATE(                                                   \
		"MAX(v.at)") ", '%Y-%m-%d')"                                                       \
			     " FROM application_events v WHERE v.application_id = a.id AND v.status = 'approved')"
REC_TYPE_DEFINE(models_application, MODELS_APPLICATION_FIELDS)
#define APP_SELECT                                                                                             \
	"SELECT " REC_COLUMNS(                                                                                 \
		MODELS_APPLICATION_FIELDS) " FROM applications a JOIN enterprises e ON e.id = a.enterprise_id" \
					   " LEFT JOIN products p ON p.id = a.product_id"                      \
					   " LEFT JOIN institutions i ON i.id = a.institution_id "

/* Parses the status of apps[0..n): XYD_INTERNAL for one the code does not know. */
static xyd_status parse_statuses(models_application *apps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!models_app_status_parse(apps[i].status_name, &apps[i].status)) {
			log_msg(LOG_ERROR, "application %lld has an unknown status",
				(long long)apps[i].id);
			return XYD_INTERNAL;
		}
	return XYD_OK;
}

/* Builds "<prefix>?,?,…?<suffix>" for n placeholders; the caller frees it. */
static char *in_list_sql(const char *prefix, size_t n, const char *suffix)
{
	size_t len = strlen(prefix) + 2 * n + strlen(suffix) + 1;
	char *s = xmalloc(len), *p = s;
	p += sprintf(p, "%s", prefix);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, i ? ",?" : "?");
	sprintf(p, "%s", suffix);
	return s;
}

static models_application *find_app(models_application *apps, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (apps[i].id == id)
			return &apps[i];
	return NULL;
}

/* Fills the timeline and the authorised institutions of apps[0..n). */
static xyd_status load_details(models_db *db, models_application *apps, size_t n)
{
	if (n == 0)
		return XYD_OK;
	db_param *params = xcalloc(n, sizeof *params);
	for (size_t i = 0; i < n; i++)
		params[i] = DB_INT(apps[i].id);
	char *ev = in_list_sql(
		"SELECT application_id, status, DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'),"
		" by_role FROM application_events WHERE application_id IN (",
		n, ") ORDER BY application_id, id");
	char *au = in_list_sql(
		"SELECT application_id, institution_id FROM application_authorized_institutions"
		" WHERE application_id IN (",
		n, ") ORDER BY application_id, institution_id");
	db_result r;
	xyd_status st = db_run_dynamic(db, ev, params, n, &r, NULL, NULL);
	for (size_t i = 0; st == XYD_OK && i < r.nrows; i++) {
		models_application *a = find_app(apps, n, db_cell_int(&r, i, 0));
		if (!a || a->n_timeline == APP_TIMELINE_MAX)
			continue;
		models_app_event *e = &a->timeline[a->n_timeline];
		if (!models_app_status_parse(db_cell(&r, i, 1), &e->status))
			continue;
		db_cell_copy(e->at, sizeof e->at, &r, i, 2);
		db_cell_copy(e->by_role, sizeof e->by_role, &r, i, 3);
		a->n_timeline++;
	}
	if (st == XYD_OK)
		db_result_release(&r);
	if (st == XYD_OK && (st = db_run_dynamic(db, au, params, n, &r, NULL, NULL)) == XYD_OK) {
		for (size_t i = 0; i < r.nrows; i++) {
			models_application *a = find_app(apps, n, db_cell_int(&r, i, 0));
			if (a && a->n_authorized < APP_AUTHORIZED_MAX)
				a->authorized_institution_ids[a->n_authorized++] = db_cell_int(
					&r, i, 1);
		}
		db_result_release(&r);
	}
	free(au);
	free(ev);
	free(params);
	return st;
}

xyd_status models_application_get_scoped(models_db *db, int64_t id, const models_app_scope *scope,
					 models_application *out)
{
	xyd_status st = DB_GET_ONE(db, APP_SELECT "WHERE a.id = ? AND" MODELS_SCOPE_SQL("a"),
				   models_application_rec(), out, DB_INT(id),
				   MODELS_SCOPE_PARAMS(scope));
	if (st == XYD_OK)
		st = parse_statuses(out, 1);
	return st == XYD_OK ? load_details(db, out, 1) : st;
}

xyd_status models_application_get(models_db *db, int64_t id, models_application *out)
{
	const models_app_scope all = {APP_SEE_ALL, 0};
	return models_application_get_scoped(db, id, &all, out);
}

xyd_status models_application_list(models_db *db, const models_app_filter *f,
				   models_application **rows, size_t *count, bool *more)
{
	const char *status = f->has_status ? models_app_status_name(f->status) : NULL;
	xyd_status st = db_get_page(
		db,
		APP_SELECT
		"WHERE (? = 0 OR a.id < ?) AND (? IS NULL OR a.status = ?)"
		" AND (? = 0 OR (a.status = 'pending_bank' AND a.response_due_at < UTC_TIMESTAMP(6)))"
		" AND" MODELS_SCOPE_SQL("a") " ORDER BY a.id DESC LIMIT ?",
		DB_PARAMS(DB_INT(f->before_id), DB_INT(f->before_id), db_str(status),
			  db_str(status), DB_INT(f->overdue_only), MODELS_SCOPE_PARAMS(&f->scope)),
		models_application_rec(), f->limit, (void **)rows, count, more);
	if (st == XYD_OK && (st = parse_statuses(*rows, *count)) == XYD_OK)
		st = load_details(db, *rows, *count);
	return st == XYD_OK ? st : db_page_drop(st, (void **)rows, count, more);
}

/* ---- writing: shared steps ---- */

static xyd_status add_event(models_db *db, int64_t id, models_app_status status, const char *now,
			    const char *role, int64_t user_id, const char *note)
{
	return DB_QUERY(
		db,
		"INSERT INTO application_events (application_id, status, at, by_role, by_user, note)"
		" VALUES (?, ?, ?, ?, ?, ?)",
		NULL, DB_INT(id), db_str(models_app_status_name(status)), db_str(now), db_str(role),
		db_opt_int(user_id != 0, user_id), db_str(note));
}

/* The database's now as "YYYY-MM-DD HH:MM:SS.ffffff" UTC and as a district
 * day number (days since 1970-01-01 at UTC+8): one clock for every row. */
static xyd_status db_now(models_db *db, char now[32], int32_t *district_day)
{
	db_result r;
	xyd_status st = DB_QUERY(db,
				 "SELECT DATE_FORMAT(t, '%Y-%m-%d %H:%i:%s.%f'),"
				 " DATEDIFF(" DB_DISTRICT_DATE(
					 "t") ", '1970-01-01')"
					      " FROM (SELECT UTC_TIMESTAMP(6) AS t) n WHERE ? = 1",
				 &r, DB_INT(1));
	if (st != XYD_OK)
		return st;
	db_cell_copy(now, 32, &r, 0, 0);
	if (district_day)
		*district_day = (int32_t)db_cell_int(&r, 0, 1);
	db_result_release(&r);
	return XYD_OK;
}

static xyd_status notify(models_db *db, const models_application *a, models_app_action action)
{
	char body[256];
	snprintf(body, sizeof body, "申请编号 %lld", (long long)a->id);
	return models_notify_org(db, MODELS_ORG_ENTERPRISE, a->enterprise_id,
				 action == APP_DO_SUBMIT     ? "application.submitted"
				 : action == APP_DO_ACCEPT   ? "application.accepted"
				 : action == APP_DO_APPROVE  ? "application.approved"
				 : action == APP_DO_REJECT   ? "application.rejected"
				 : action == APP_DO_DISBURSE ? "application.disbursed"
				 : action == APP_DO_EXPIRE   ? "application.expired"
							     : "application.withdrawn",
				 action_title[action], body, "application", a->id, NULL);
}

/* ---- create ---- */

xyd_status models_application_create_tx(models_db *db, const models_app_new *n, models_audit *audit,
					models_application *out, size_t *bad_index)
{
	char now[32], expires[32];
	uint64_t id = 0;
	db_result r;
	xyd_status st = db_now(db, now, NULL);
	if (st != XYD_OK)
		return st;
	XYD_ASSERT(n->n_authorized <= APP_AUTHORIZED_MAX);
	for (size_t i = 0; i < n->n_authorized; i++) {
		st = DB_QUERY_INT(db, "SELECT id FROM institutions WHERE id = ?", NULL,
				  DB_INT(n->authorized_institution_ids[i]));
		if (st == XYD_NOT_FOUND) {
			*bad_index = i;
			return XYD_VALIDATION_FAILED;
		}
		if (st != XYD_OK)
			return st;
	}
	st = db_run(
		db,
		"INSERT INTO applications (enterprise_id, status, amount_fen, term_months, purpose,"
		" collateral, first_bank_loan, created_by, created_at, updated_at)"
		" VALUES (?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?)",
		(const db_param[]){DB_INT(n->enterprise_id), DB_INT(n->amount_fen),
				   DB_INT(n->term_months), db_str(n->purpose),
				   db_str(n->collateral), DB_INT(n->first_bank_loan),
				   DB_INT(n->user_id), db_str(now), db_str(now)},
		9, NULL, NULL, &id);
	if (st != XYD_OK || (st = add_event(db, (int64_t)id, APP_SUBMITTED, now, "sme", n->user_id,
					    NULL)) != XYD_OK)
		return st;
	if ((st = DB_QUERY(db, "SELECT DATE_FORMAT(? + INTERVAL ? DAY, '%Y-%m-%d %H:%i:%s')", &r,
			   db_str(now), DB_INT(APP_CONSENT_DAYS))) != XYD_OK)
		return st;
	db_cell_copy(expires, sizeof expires, &r, 0, 0);
	db_result_release(&r);
	for (size_t i = 0; i < n->n_authorized && st == XYD_OK; i++) {
		int64_t inst = n->authorized_institution_ids[i];
		st = DB_QUERY(db,
			      "INSERT INTO application_authorized_institutions (application_id,"
			      " institution_id) VALUES (?, ?)",
			      NULL, DB_INT((int64_t)id), DB_INT(inst));
		if (st == XYD_OK)
			st = models_authorization_grant_for_application(
				db, n->enterprise_id, inst, (int64_t)id, n->user_id, expires, NULL);
	}
	if (st != XYD_OK)
		return st;
	snprintf(audit->target_id, sizeof audit->target_id, "%llu", (unsigned long long)id);
	if ((st = models_audit_write(db, audit)) != XYD_OK ||
	    (st = models_application_get(db, (int64_t)id, out)) != XYD_OK)
		return st;
	XYD_ASSERT(out->status == APP_SUBMITTED &&
		   out->amount_fen == n->amount_fen); /* every one starts here */
	return models_notify_org(db, MODELS_ORG_ENTERPRISE, n->enterprise_id, "application.created",
				 "融资申请已创建", NULL, "application", (int64_t)id, NULL);
}

/* ---- transitions ---- */

/* Locks the row and reads it whole; XYD_NOT_FOUND outside scope. */
static xyd_status lock_app(models_db *db, int64_t id, const models_app_scope *scope,
			   models_application *out)
{
	xyd_status st = DB_QUERY_INT(db, "SELECT id FROM applications WHERE id = ? FOR UPDATE",
				     NULL, DB_INT(id));
	if (st != XYD_OK)
		return st;
	return models_application_get_scoped(db, id, scope, out);
}

#define PRODUCT_TERMS_FIELDS(X)                                                                    \
	X(I64, institution_id, 0, "institution_id")                                                \
	X(I64, program_id, 0, "COALESCE(program_id, 0)")                                           \
	X(I64, amount_min_fen, 0, "amount_min_fen")                                                \
	X(I64, amount_max_fen, 0, "amount_max_fen")                                                \
	X(INT, rate_min_bps, 0, "rate_min_bps")                                                    \
	X(INT, rate_max_bps, 0, "rate_max_bps")                                                    \
	X(INT, term_min_months, 0, "term_min_months")                                              \
	X(INT, term_max_months, 0, "term_max_months")                                              \
	X(BOOL, active, 0, "status = 'active'")                                                    \
	X(INT, monthly_capacity, 0, "monthly_capacity")
typedef struct {
	PRODUCT_TERMS_FIELDS(REC_MEMBER)
} product_terms;
static REC_TYPE_DEFINE(product_terms, PRODUCT_TERMS_FIELDS)

	/* The product's terms, share-locked so it cannot change under the move. */
	static xyd_status read_product(models_db *db, int64_t id, product_terms *p)
{
	return DB_GET_ONE(db,
			  "SELECT " REC_COLUMNS(PRODUCT_TERMS_FIELDS) " FROM products WHERE id = ?"
								      " LOCK IN SHARE MODE",
			  product_terms_rec(), p, DB_INT(id));
}

/* The working-day exceptions from the day after `day` for 60 days: more
 * than any run of holidays, so the span is decided inside the window. */
static xyd_status response_span(models_db *db, int32_t day, int *span)
{
	db_result r;
	xyd_status st = DB_QUERY(
		db,
		"SELECT DATEDIFF(day, '1970-01-01'), is_workday FROM public_holidays"
		" WHERE day > '1970-01-01' + INTERVAL ? DAY"
		" AND day <= '1970-01-01' + INTERVAL ? DAY",
		&r, DB_INT(day), DB_INT(day + 60));
	if (st != XYD_OK)
		return st;
	models_calendar_day *days = xcalloc(r.nrows ? r.nrows : 1, sizeof *days);
	for (size_t i = 0; i < r.nrows; i++) {
		days[i].day = (int32_t)db_cell_int(&r, i, 0);
		days[i].is_workday = db_cell_int(&r, i, 1) != 0;
	}
	*span = models_working_days_span(day, APP_RESPONSE_WORKING_DAYS, days, r.nrows);
	free(days);
	db_result_release(&r);
	return *span > 0 ? XYD_OK : XYD_INTERNAL;
}

/* The submission's limits, under their locks: the product's monthly
 * capacity, then the programme's cap with the amount asked. */
static xyd_status submit_limits(models_db *db, const models_application *a, int64_t product_id,
				const product_terms *p, const char *now, app_capacity_use *cu,
				app_cap_use *gu, models_app_refusal *why)
{
	*cu = (app_capacity_use){.product_id = product_id,
				 .application_id = a->id,
				 .capacity = p->monthly_capacity,
				 .now = now};
	*gu = (app_cap_use){.program_id = p->program_id,
			    .enterprise_id = a->enterprise_id,
			    .application_id = a->id,
			    .amount_fen = a->amount_fen};
	xyd_status st = app_limits_capacity_check(db, cu, why);
	return st != XYD_OK ? st : app_limits_cap_check(db, gu, why);
}

static xyd_status do_submit(models_db *db, const models_application *a, const models_app_change *c,
			    const char *now, int32_t today, models_app_refusal *why)
{
	product_terms p;
	app_capacity_use cu;
	app_cap_use gu;
	int span = 0;
	db_result r;
	char expires[32];
	XYD_ASSERT(a->status == APP_SUBMITTED); /* submitted -> pending_bank only */
	xyd_status st = read_product(db, c->product_id, &p);
	if (st == XYD_OK && !p.active)
		st = XYD_NOT_FOUND;
	if (st != XYD_OK ||
	    (st = submit_limits(db, a, c->product_id, &p, now, &cu, &gu, why)) != XYD_OK ||
	    (st = response_span(db, today, &span)) != XYD_OK)
		return st;
	XYD_ASSERT(span >= APP_RESPONSE_WORKING_DAYS); /* n working days take at least n days */
	st = DB_QUERY(
		db,
		"UPDATE applications SET status = 'pending_bank', product_id = ?, institution_id = ?,"
		" pending_since = ?, response_due_at = ? + INTERVAL ? DAY, updated_at = ? WHERE id = ?",
		NULL, DB_INT(c->product_id), DB_INT(p.institution_id), db_str(now), db_str(now),
		DB_INT(span), db_str(now), DB_INT(a->id));
	if (st != XYD_OK || (st = app_limits_capacity_verify(db, &cu)) != XYD_OK ||
	    (st = app_limits_cap_verify(db, &gu)) != XYD_OK ||
	    (st = DB_QUERY(db, "SELECT DATE_FORMAT(? + INTERVAL ? DAY, '%Y-%m-%d %H:%i:%s')", &r,
			   db_str(now), DB_INT(APP_CONSENT_DAYS))) != XYD_OK)
		return st;
	db_cell_copy(expires, sizeof expires, &r, 0, 0);
	db_result_release(&r);
	if ((st = models_authorization_grant_for_application(db, a->enterprise_id, p.institution_id,
							     a->id, a->created_by, expires,
							     NULL)) != XYD_OK)
		return st;
	char body[256];
	snprintf(body, sizeof body, "申请编号 %lld，请在 %d 个工作日内受理或拒绝", (long long)a->id,
		 APP_RESPONSE_WORKING_DAYS);
	return models_notify_org(db, MODELS_ORG_INSTITUTION, p.institution_id,
				 "application.received", "收到新的融资申请", body, "application",
				 a->id, NULL);
}

/* The approval's terms against the product's ranges and the amount asked. */
static xyd_status approve_terms(const models_application *a, const models_app_change *c,
				const product_terms *p, models_app_refusal *why)
{
	if (c->amount_fen < p->amount_min_fen || c->amount_fen > p->amount_max_fen) {
		*why = (models_app_refusal){APP_BAD_AMOUNT, a->product_id,
					    c->amount_fen < p->amount_min_fen ? p->amount_min_fen
									      : p->amount_max_fen,
					    0, c->amount_fen};
		return XYD_NOT_ELIGIBLE;
	}
	if (c->amount_fen > a->amount_fen) {
		*why = (models_app_refusal){APP_BAD_OVER_ASKED, a->id, a->amount_fen, 0,
					    c->amount_fen};
		return XYD_NOT_ELIGIBLE;
	}
	if (c->rate_bps < p->rate_min_bps || c->rate_bps > p->rate_max_bps)
		why->bad = APP_BAD_RATE;
	else if (c->term_months < p->term_min_months || c->term_months > p->term_max_months)
		why->bad = APP_BAD_TERM;
	return why->bad != APP_BAD_NONE ? XYD_VALIDATION_FAILED : XYD_OK;
}

static xyd_status do_approve(models_db *db, const models_application *a, const models_app_change *c,
			     const char *now, models_app_refusal *why)
{
	product_terms p;
	XYD_ASSERT(a->status == APP_ACCEPTED); /* accepted -> approved only */
	xyd_status st = read_product(db, a->product_id, &p);
	if (st != XYD_OK)
		return st == XYD_NOT_FOUND ? XYD_INTERNAL : st; /* the FK holds it */
	if ((st = approve_terms(a, c, &p, why)) != XYD_OK)
		return st;
	XYD_ASSERT(c->amount_fen >= p.amount_min_fen &&
		   c->amount_fen <= a->amount_fen); /* never more than asked */
	app_cap_use gu = {.program_id = p.program_id,
			  .enterprise_id = a->enterprise_id,
			  .application_id = a->id,
			  .amount_fen = c->amount_fen};
	if ((st = app_limits_cap_check(db, &gu, why)) != XYD_OK)
		return st;
	st = DB_QUERY(
		db,
		"UPDATE applications SET status = 'approved', approved_amount_fen = ?,"
		" approved_rate_bps = ?, approved_term_months = ?, updated_at = ? WHERE id = ?",
		NULL, DB_INT(c->amount_fen), DB_INT(c->rate_bps), DB_INT(c->term_months),
		db_str(now), DB_INT(a->id));
	return st != XYD_OK ? st : app_limits_cap_verify(db, &gu);
}

/* Whether the approved application may become a loan now: the date, the
 * amount (exactly the approved one, never more than asked), the bank's
 * suspension, then the programme's cap under its lock. */
static xyd_status disburse_checks(models_db *db, const models_application *a,
				  const models_app_change *c, int32_t today, app_cap_use *gu,
				  models_app_refusal *why)
{
	db_result r;
	product_terms p;
	bool suspended =
		false; /* the bank's overdue rate in the product's programme passed its fund's threshold */
	xyd_status st = DB_QUERY(db,
				 "SELECT DATEDIFF(?, '1970-01-01'), DATEDIFF(?, ?)"
				 " FROM (SELECT 1) x WHERE ? = 1",
				 &r, db_str(c->disbursed_on), db_str(c->disbursed_on),
				 db_str(a->approved_on), DB_INT(1));
	if (st != XYD_OK)
		return st;
	int64_t day = db_cell_int(&r, 0, 0), after_approval = db_cell_int(&r, 0, 1);
	db_result_release(&r);
	why->bad = day > today		? APP_BAD_DATE_FUTURE
		   : after_approval < 0 ? APP_BAD_DATE_BEFORE_APPROVAL
					: APP_BAD_NONE;
	if (why->bad != APP_BAD_NONE)
		return XYD_VALIDATION_FAILED;
	if (c->disburse_amount_fen && c->disburse_amount_fen != a->approved_amount_fen) {
		*why = (models_app_refusal){APP_BAD_NOT_APPROVED_AMOUNT, a->id,
					    a->approved_amount_fen, 0, c->disburse_amount_fen};
		return XYD_NOT_ELIGIBLE;
	}
	if (a->approved_amount_fen > a->amount_fen) { /* approved before approvals were bounded */
		*why = (models_app_refusal){APP_BAD_OVER_ASKED, a->id, a->amount_fen, 0,
					    a->approved_amount_fen};
		return XYD_NOT_ELIGIBLE;
	}
	if ((st = read_product(db, a->product_id, &p)) != XYD_OK)
		return st == XYD_NOT_FOUND ? XYD_INTERNAL : st; /* the FK holds it */
	if ((st = models_suspension_for_product(db, a->product_id, a->institution_id,
						&suspended)) != XYD_OK)
		return st;
	if (suspended) {
		why->bad = APP_BAD_SUSPENDED;
		return XYD_NOT_ELIGIBLE;
	}
	*gu = (app_cap_use){.program_id = p.program_id,
			    .enterprise_id = a->enterprise_id,
			    .application_id = a->id,
			    .amount_fen = a->approved_amount_fen};
	return app_limits_cap_check(db, gu, why);
}

/* The loan of an approved application, with the programme's split. */
static xyd_status do_disburse(models_db *db, const models_application *a,
			      const models_app_change *c, const char *now, int32_t today,
			      models_app_refusal *why, int64_t *loan_id)
{
	app_cap_use gu;
	XYD_ASSERT(a->status == APP_APPROVED); /* approved -> disbursed only */
	xyd_status st = disburse_checks(db, a, c, today, &gu, why);
	if (st != XYD_OK)
		return st;
	uint64_t id = 0;
	/* the loan's principal: the approved amount, > 0 and never past the amount asked */
	XYD_ASSERT(a->approved_amount_fen > 0);
	XYD_ASSERT(a->approved_amount_fen <= a->amount_fen);
	XYD_ASSERT(gu.amount_fen == a->approved_amount_fen);
	st = db_run(
		db,
		"INSERT INTO loans (application_id, enterprise_id, institution_id, product_id, program_id,"
		" principal_fen, outstanding_fen, rate_bps, term_months, disbursed_on, maturity_on,"
		" status, fund_bps, bank_bps, guarantor_bps, created_at)"
		" SELECT ?, ?, ?, p.id, p.program_id, ?, ?, ?, ?, ?, ? + INTERVAL ? MONTH, 'performing',"
		" COALESCE(g.fund_share_bps, 0), COALESCE(g.bank_share_bps, 10000),"
		" COALESCE(g.guarantor_share_bps, 0), ?"
		" FROM products p LEFT JOIN programs g ON g.id = p.program_id WHERE p.id = ?",
		(const db_param[]){DB_INT(a->id), DB_INT(a->enterprise_id),
				   DB_INT(a->institution_id), DB_INT(a->approved_amount_fen),
				   DB_INT(a->approved_amount_fen), DB_INT(a->approved_rate_bps),
				   DB_INT(a->approved_term_months), db_str(c->disbursed_on),
				   db_str(c->disbursed_on), DB_INT(a->approved_term_months),
				   db_str(now), DB_INT(a->product_id)},
		12, NULL, NULL, &id);
	if (st != XYD_OK)
		return st;
	*loan_id = (int64_t)id;
	st = DB_QUERY(db,
		      "UPDATE applications SET status = 'disbursed', updated_at = ? WHERE id = ?",
		      NULL, db_str(now), DB_INT(a->id));
	return st != XYD_OK ? st : app_limits_cap_verify(db, &gu);
}

/* A move that only releases room under the programme's cap (withdraw,
 * reject, expire) still takes its lock, in the same order as the checks. */
static xyd_status release_lock(models_db *db, const models_application *a)
{
	product_terms p;
	if (!a->product_id)
		return XYD_OK;
	xyd_status st = read_product(db, a->product_id, &p);
	if (st != XYD_OK)
		return st == XYD_NOT_FOUND ? XYD_INTERNAL : st;
	return app_limits_cap_lock(db, p.program_id, a->enterprise_id);
}

static xyd_status set_status(models_db *db, int64_t id, models_app_status to, const char *reason,
			     const char *now)
{
	/* the moves that change nothing but the status (and a rejection's reason) */
	XYD_ASSERT(to == APP_ACCEPTED || to == APP_REJECTED || to == APP_WITHDRAWN ||
		   to == APP_EXPIRED);
	XYD_ASSERT(reason == NULL || to == APP_REJECTED);
	return DB_QUERY(
		db,
		"UPDATE applications SET status = ?, reject_reason = COALESCE(?, reject_reason),"
		" updated_at = ? WHERE id = ?",
		NULL, db_str(models_app_status_name(to)), db_str(reason), db_str(now), DB_INT(id));
}

xyd_status models_application_change_tx(models_db *db, int64_t id, const models_app_change *c,
					models_audit *audit, models_application *out,
					models_app_refusal *why, int64_t *loan_id)
{
	char now[32];
	int32_t today = 0;
	XYD_ASSERT((unsigned)c->action < APP_ACTION_COUNT);
	models_app_status to = action_to[c->action];
	memset(why, 0, sizeof *why);
	*loan_id = 0;
	xyd_status st = lock_app(db, id, &c->scope, out);
	if (st != XYD_OK)
		return st;
	if (!models_app_transition_legal(out->status, to))
		return XYD_INVALID_STATE;
	const models_app_status from = out->status;
	if ((st = db_now(db, now, &today)) != XYD_OK)
		return st;
	switch (c->action) {
	case APP_DO_SUBMIT:
		st = do_submit(db, out, c, now, today, why);
		break;
	case APP_DO_APPROVE:
		st = do_approve(db, out, c, now, why);
		break;
	case APP_DO_DISBURSE:
		st = do_disburse(db, out, c, now, today, why, loan_id);
		break;
	case APP_DO_REJECT:
		if ((st = release_lock(db, out)) == XYD_OK)
			st = set_status(db, id, to, c->reason, now);
		break;
	case APP_DO_ACCEPT:
		st = set_status(db, id, to, NULL, now);
		break;
	case APP_DO_WITHDRAW:
	case APP_DO_EXPIRE:
		if ((st = release_lock(db, out)) == XYD_OK)
			st = set_status(db, id, to, NULL, now);
		break;
	case APP_ACTION_COUNT:
		XYD_ASSERT(!"unknown application action");
		return XYD_INTERNAL;
	}
	if (st != XYD_OK ||
	    (st = add_event(db, id, to, now, c->role, c->user_id,
			    c->action == APP_DO_REJECT ? c->reason : NULL)) != XYD_OK)
		return st;
	audit->action = action_audit[c->action];
	snprintf(audit->target_id, sizeof audit->target_id, "%lld", (long long)id);
	if ((st = models_audit_write(db, audit)) != XYD_OK ||
	    (st = notify(db, out, c->action)) != XYD_OK)
		return st;
	st = models_application_get(db, id, out);
	XYD_ASSERT(st != XYD_OK || out->status == to);
	XYD_ASSERT(legal[from][to]);			      /* the pair the state machine lists */
	XYD_ASSERT((*loan_id != 0) == (to == APP_DISBURSED)); /* a loan exactly when disbursed */
	return st;
}

typedef struct {
	int64_t id;
	const models_app_change *c;
	models_audit *audit;
	models_application *out;
	models_app_refusal *why;
	int64_t *loan_id;
} change_ctx;

static xyd_status change_body(models_db *db, void *arg, bool *commit_anyway)
{
	change_ctx *x = arg;
	(void)commit_anyway;
	return models_application_change_tx(db, x->id, x->c, x->audit, x->out, x->why, x->loan_id);
}

xyd_status models_application_change(models_db *db, int64_t id, const models_app_change *c,
				     models_audit *audit, models_application *out,
				     models_app_refusal *why, int64_t *loan_id)
{
	change_ctx x = {id, c, audit, out, why, loan_id};
	return db_transaction(db, change_body, &x);
}

/* ---- expiry ---- */

xyd_status models_application_expire_due(models_db *db, int max, int *expired)
{
	db_result r;
	*expired = 0;
	XYD_ASSERT(max > 0 && max <= APP_EXPIRY_BATCH_MAX);
	xyd_status st = DB_QUERY(
		db,
		"SELECT id FROM applications WHERE (status = 'submitted'"
		" AND created_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY) OR (status = 'pending_bank'"
		" AND response_due_at < UTC_TIMESTAMP(6) - INTERVAL ? DAY) ORDER BY id LIMIT ?",
		&r, DB_INT(APP_SUBMITTED_EXPIRY_DAYS), DB_INT(APP_PENDING_EXPIRY_DAYS),
		DB_INT(max));
	if (st != XYD_OK)
		return st;
	models_app_change c = {
		.action = APP_DO_EXPIRE, .scope = {.view = APP_SEE_ALL}, .role = "system"};
	for (size_t i = 0; i < r.nrows && st == XYD_OK; i++) {
		models_audit audit = {
			.role = "system", .target_type = "application", .status = 200};
		models_application a;
		models_app_refusal why;
		int64_t loan_id;
		st = models_application_change(db, db_cell_int(&r, i, 0), &c, &audit, &a, &why,
					       &loan_id);
		if (st == XYD_OK)
			(*expired)++;
		else if (st == XYD_INVALID_STATE) /* moved on since the SELECT */
			st = XYD_OK;
	}
	XYD_ASSERT(*expired >= 0 && (size_t)*expired <= r.nrows);
	db_result_release(&r);
	return st;
}

/* ---- matching's questions ---- */


/* ---- the calendar ---- */

static bool is_working(int32_t day, const models_calendar_day *days, size_t ndays)
{
	for (size_t i = 0; i < ndays; i++)
		if (days[i].day == day)
			return days[i].is_workday;
	/* 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays. */
	int64_t wd = ((int64_t)day + 3) % 7;
	if (wd < 0)
		wd += 7;
	return wd < 5;
}

int models_working_days_span(int32_t start_day, int n, const models_calendar_day *days,
			     size_t ndays)
{
	XYD_ASSERT(n >= 1);
	int found = 0;
	for (int k = 1; k <= 366; k++) {
		if (is_working(start_day + k, days, ndays) && ++found == n) {
			XYD_ASSERT(k >= n);
			return k;
		}
	}
	return -1;
}

typedef struct {
	const models_holiday *h;
	models_audit *audit;
	bool *created;
} holiday_ctx;

static xyd_status holiday_body(models_db *db, void *arg, bool *commit_anyway)
{
	holiday_ctx *c = arg;
	uint64_t affected = 0;
	(void)commit_anyway;
	xyd_status st = db_run(
		db,
		"INSERT INTO public_holidays (day, name, is_workday) VALUES (?, ?, ?)"
		" ON DUPLICATE KEY UPDATE name = VALUES(name), is_workday = VALUES(is_workday)",
		(const db_param[]){db_str(c->h->day), db_str(c->h->name), DB_INT(c->h->is_workday)},
		3, NULL, &affected, NULL);
	if (st != XYD_OK)
		return st;
	*c->created = affected == 1;
	snprintf(c->audit->target_id, sizeof c->audit->target_id, "%s", c->h->day);
	return models_audit_write(db, c->audit);
}

xyd_status models_holiday_put(models_db *db, const models_holiday *h, models_audit *audit,
			      bool *created)
{
	holiday_ctx c = {h, audit, created};
	*created = false;
	return db_transaction(db, holiday_body, &c);
}

REC_TYPE_DEFINE(models_holiday, MODELS_HOLIDAY_FIELDS)

xyd_status models_holiday_list(models_db *db, int year, models_holiday **rows, size_t *count)
{
	xyd_status st = db_get_all(
		db,
		"SELECT " REC_COLUMNS(MODELS_HOLIDAY_FIELDS) " FROM public_holidays"
							     " WHERE YEAR(day) = ? ORDER BY day",
		DB_PARAMS(DB_INT(year)), models_holiday_rec(), 366, (void **)rows, count);
	if (st != XYD_OK) {
		free(*rows);
		*rows = NULL;
	}
	return st;
}
