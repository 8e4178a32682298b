/*
 * Applications, loans and holidays over HTTP. An sme files and follows
 * its own applications, submits one to a product (eligibility from the
 * matching service) and may withdraw it before approval; the bank that
 * owns the product accepts, approves, rejects and disburses; a park reads
 * its park's; the bureau reads all and keeps the holiday calendar. The
 * state machine and every write live in models/applications.c; creating
 * an application and disbursing take an Idempotency-Key (idempotency.h).
 */
#include "server/api/applications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base.h"
#include "common/district.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/applications.h"
#include "models/loans.h"
#include "models/products.h"
#include "server/api/handlers.h"
#include "server/http/idempotency.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"
#include "services/matching_service.h"


static const char *const collateral_names[] = {"none", "property", "ip", "equipment",
					       "receivables"};

static xyd_status no_application(api_error *err, int64_t id)
{
	return api_error_set(err, XYD_NOT_FOUND, NULL, "no application %lld", (long long)id);
}

/* ---- JSON out ---- */

static cJSON *json_application(const void *row, const void *ctx)
{
	(void)ctx;
	const models_application *a = row;
	cJSON *o = json_record(a, models_application_rec());
	bool approved = a->approved_amount_fen > 0;
	cJSON_AddStringToObject(o, "status", models_app_status_name(a->status));
	cJSON *ids = cJSON_AddArrayToObject(o, "authorized_institution_ids");
	for (size_t i = 0; i < a->n_authorized; i++)
		cJSON_AddItemToArray(ids,
				     cJSON_CreateNumber((double)a->authorized_institution_ids[i]));
	json_add_int_or_null(o, "approved_rate_bps", approved, a->approved_rate_bps);
	json_add_int_or_null(o, "approved_term_months", approved, a->approved_term_months);
	cJSON *t = cJSON_AddArrayToObject(o, "timeline");
	for (size_t i = 0; i < a->n_timeline; i++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "status", models_app_status_name(a->timeline[i].status));
		cJSON_AddStringToObject(e, "at", a->timeline[i].at);
		cJSON_AddStringToObject(e, "by_role", a->timeline[i].by_role);
		cJSON_AddItemToArray(t, e);
	}
	return o;
}

/* A loan: its fields, and its shares as one nested object. */
static cJSON *json_loan(const void *row, const void *ctx)
{
	(void)ctx;
	const models_loan *l = row;
	cJSON *o = json_record(l, models_loan_rec());
	cJSON *s = cJSON_AddObjectToObject(o, "shares");
	json_add_int(s, "fund_bps", l->fund_bps);
	json_add_int(s, "bank_bps", l->bank_bps);
	json_add_int(s, "guarantor_bps", l->guarantor_bps);
	return o;
}

/* A rendered answer for the idempotency store. */
static void answer_set(models_idem_answer *answer, int status, cJSON *body)
{
	answer->status = status;
	answer->body = json_print(body);
	cJSON_Delete(body);
}

/* ---- create ---- */

static const json_field create_fields[] = {
	{"amount_fen", JSON_T_INT, true, false, 1, PRODUCT_AMOUNT_MAX_FEN},
	{"term_months", JSON_T_INT, true, false, PRODUCT_TERM_MIN_MONTHS, PRODUCT_TERM_MAX_MONTHS},
	{"purpose", JSON_T_TEXT, true, false, 1, APP_PURPOSE_MAX_CHARS},
	{"collateral", JSON_T_STRING, true, false, 1, 16},
	{"authorized_institution_ids", JSON_T_ARRAY, false, false, 0, APP_AUTHORIZED_MAX},
	{"first_bank_loan", JSON_T_BOOL, false, false, 0, 0},
};
const route_body applications_create_body = {create_fields, ARRAY_SIZE(create_fields), false};

/* The authorised institutions: ids, no repeats. */
static xyd_status read_authorized(request_ctx *rc, const cJSON *arr, int64_t *ids, size_t *n)
{
	const cJSON *v;
	*n = 0;
	cJSON_ArrayForEach(v, arr) {
		char field[64];
		int64_t id;
		snprintf(field, sizeof field, "authorized_institution_ids[%zu]", *n);
		if (!json_number_exact_int(v, &id) || id < 1 || id > JSON_MAX_EXACT_INT)
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, field,
					     "%s must be an institution id", field);
		for (size_t j = 0; j < *n; j++)
			if (ids[j] == id)
				return api_error_set(&rc->err, XYD_VALIDATION_FAILED, field,
						     "%s repeats authorized_institution_ids[%zu]",
						     field, j);
		ids[(*n)++] = id;
	}
	return XYD_OK;
}

typedef struct {
	request_ctx *rc;
	models_app_new n;
} create_ctx;

static xyd_status create_work(models_db *db, void *arg, models_idem_answer *answer)
{
	create_ctx *c = arg;
	models_audit audit;
	size_t bad = 0;
	request_audit(c->rc, &audit, "application.create", "application", 201);
	models_application *out = xmalloc(sizeof *out);
	xyd_status st = models_application_create_tx(db, &c->n, &audit, out, &bad);
	if (st == XYD_VALIDATION_FAILED) {
		char field[64];
		snprintf(field, sizeof field, "authorized_institution_ids[%zu]", bad);
		api_error_set(&c->rc->err, st, field, "%s: no institution %lld", field,
			      (long long)c->n.authorized_institution_ids[bad]);
	} else if (st == XYD_OK) {
		answer_set(answer, 201, json_application(out, NULL));
	}
	free(out);
	return st;
}

xyd_status handle_applications_create(request_ctx *rc)
{
	const cJSON *body = rc->body, *arr;
	xyd_status st;
	int64_t ids[APP_AUTHORIZED_MAX], v;
	bool first = false;
	create_ctx c = {.rc = rc};
	c.n.enterprise_id = rc->who.org_id;
	c.n.user_id = rc->who.user_id;
	c.n.purpose = json_get_string(body, "purpose");
	c.n.collateral = json_get_string(body, "collateral");
	if (validate_blank(c.n.purpose))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "purpose",
				     "purpose must not be blank");
	if (validate_name_index(c.n.collateral, collateral_names,
				(int)ARRAY_SIZE(collateral_names)) < 0)
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "collateral",
			"collateral must be none, property, ip, equipment or receivables");
	json_get_int(body, "amount_fen", &c.n.amount_fen);
	json_get_int(body, "term_months", &v);
	c.n.term_months = (int)v;
	json_get_bool(body, "first_bank_loan", &first);
	c.n.first_bank_loan = first;
	if ((arr = json_get(body, "authorized_institution_ids")) &&
	    (st = read_authorized(rc, arr, ids, &c.n.n_authorized)) != XYD_OK)
		return st;
	c.n.authorized_institution_ids = ids;
	return idempotency_run(rc, create_work, &c);
}

/* ---- read ---- */

xyd_status handle_application_get(request_ctx *rc)
{
	int64_t id = request_id_param(rc);
	models_app_scope scope = scope_for(rc);
	models_application *a = xmalloc(sizeof *a);
	xyd_status st = models_application_get_scoped(rc->db, id, &scope, a);
	if (st == XYD_OK)
		reply_json(rc, 200, json_application(a, NULL));
	else if (st == XYD_NOT_FOUND)
		no_application(&rc->err, id);
	else
		request_fail(rc, st);
	free(a);
	return st;
}

static xyd_status read_filter(request_ctx *rc, models_app_filter *f)
{
	const char *status = request_query(rc, "status"), *overdue = request_query(rc, "overdue");
	memset(f, 0, sizeof *f);
	f->scope = scope_for(rc);
	if (status && !models_app_status_parse(status, &f->status))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "status",
				     "status must be submitted, pending_bank, accepted, approved, "
				     "disbursed, rejected, withdrawn or expired");
	f->has_status = status != NULL;
	if (overdue && strcmp(overdue, "1") != 0 && strcmp(overdue, "0") != 0)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "overdue",
				     "overdue must be 1 or 0");
	f->overdue_only = overdue && strcmp(overdue, "1") == 0;
	return request_page(rc, &f->limit, &f->before_id);
}

xyd_status handle_applications_list(request_ctx *rc)
{
	models_app_filter f;
	xyd_status st;
	if ((st = read_filter(rc, &f)) != XYD_OK)
		return st;
	models_application *rows;
	size_t n;
	bool more;
	st = models_application_list(rc->db, &f, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_application_rec(), json_application,
				 NULL);
}

/* ---- transitions ---- */

static const char *const action_verbs[APP_ACTION_COUNT] = {
	[APP_DO_SUBMIT] = "submit", [APP_DO_ACCEPT] = "accept",	    [APP_DO_APPROVE] = "approve",
	[APP_DO_REJECT] = "reject", [APP_DO_DISBURSE] = "disburse", [APP_DO_WITHDRAW] = "withdraw",
};

static const char *const action_from[APP_ACTION_COUNT] = {
	[APP_DO_SUBMIT] = "submitted",	[APP_DO_ACCEPT] = "pending_bank",
	[APP_DO_APPROVE] = "accepted",	[APP_DO_REJECT] = "pending_bank or accepted",
	[APP_DO_DISBURSE] = "approved", [APP_DO_WITHDRAW] = "submitted, pending_bank or accepted",
};

/* Words a change of application id refused by a limit (XYD_NOT_ELIGIBLE):
 * the limit and its figures, in fen. */
static xyd_status limit_refusal(api_error *err, int64_t id, const models_app_change *c,
				const models_app_refusal *w)
{
	const char *verb = action_verbs[c->action];
	long long lim = (long long)w->limit, used = (long long)w->used,
		  amt = (long long)w->amount_fen;
	switch (w->bad) {
	case APP_BAD_AMOUNT:
		return api_error_set(
			err, XYD_NOT_ELIGIBLE, "amount_fen",
			"amount_fen %lld is %s product %lld's amount range (%s %lld fen)", amt,
			amt < lim ? "below" : "above", (long long)w->subject_id,
			amt < lim ? "minimum" : "maximum", lim);
	case APP_BAD_OVER_ASKED:
		return api_error_set(
			err, XYD_NOT_ELIGIBLE, c->action == APP_DO_APPROVE ? "amount_fen" : NULL,
			"cannot %s %lld fen on application %lld: it asked for %lld fen, and an "
			"approval may not exceed the amount asked",
			verb, amt, (long long)id, lim);
	case APP_BAD_PROGRAM_CAP:
		return api_error_set(
			err, XYD_NOT_ELIGIBLE,
			c->action == APP_DO_SUBMIT    ? "product_id"
			: c->action == APP_DO_APPROVE ? "amount_fen"
						      : NULL,
			"cannot %s application %lld: programme %lld's cap per enterprise of %lld fen "
			"would be passed (%lld fen outstanding or applied for, plus %lld fen)",
			verb, (long long)id, (long long)w->subject_id, lim, used, amt);
	case APP_BAD_MONTHLY_CAPACITY:
		return api_error_set(
			err, XYD_NOT_ELIGIBLE, "product_id",
			"cannot submit application %lld: product %lld's monthly capacity of %lld "
			"applications is taken (%lld this month)",
			(long long)id, (long long)w->subject_id, lim, used);
	case APP_BAD_NOT_APPROVED_AMOUNT:
		return api_error_set(
			err, XYD_NOT_ELIGIBLE, "amount_fen",
			"cannot disburse %lld fen on application %lld: it was approved at %lld fen, "
			"and a disbursement is exactly the approved amount",
			amt, (long long)id, lim);
	case APP_BAD_SUSPENDED:
		return api_error_set(
			err, XYD_NOT_ELIGIBLE, NULL,
			"cannot disburse application %lld: the bank is suspended from new "
			"disbursements in this programme until the bureau lifts it",
			(long long)id);
	default:
		break;
	}
	err->status = XYD_NOT_ELIGIBLE;
	err->message[0] = err->field[0] = '\0';
	return XYD_NOT_ELIGIBLE;
}

/* Words a refused change of application id. */
static xyd_status change_refusal(api_error *err, xyd_status st, int64_t id,
				 const models_app_change *c, const models_application *a,
				 const models_app_refusal *why)
{
	const char *verb = action_verbs[c->action];
	switch (st) {
	case XYD_NOT_FOUND:
		return no_application(err, id);
	case XYD_INVALID_STATE:
		return api_error_set(
			err, st, NULL,
			"cannot %s application %lld: it is %s; only an application that is "
			"%s can be %s",
			verb, (long long)id, models_app_status_name(a->status),
			action_from[c->action],
			c->action == APP_DO_SUBMIT     ? "submitted to a product"
			: c->action == APP_DO_WITHDRAW ? "withdrawn"
						       : "so moved");
	case XYD_VALIDATION_FAILED:
		switch (why->bad) {
		case APP_BAD_RATE:
			return api_error_set(err, st, "rate_bps",
					     "rate_bps is outside the product's rate range");
		case APP_BAD_TERM:
			return api_error_set(err, st, "term_months",
					     "term_months is outside the product's term range");
		case APP_BAD_DATE_FUTURE:
			return api_error_set(err, st, "disbursed_on",
					     "disbursed_on must not be in the future");
		case APP_BAD_DATE_BEFORE_APPROVAL:
			return api_error_set(
				err, st, "disbursed_on",
				"disbursed_on must not be before the approval date (%s)",
				a->approved_on);
		default:
			break;
		}
		break;
	case XYD_NOT_ELIGIBLE:
		return limit_refusal(err, id, c, why);
	default:
		break;
	}
	err->status = st;
	err->message[0] = err->field[0] = '\0';
	return st;
}

static const models_app_refusal no_refusal = {.bad = APP_BAD_NONE};

/* The checks before the submit's transaction (the transaction checks the
 * state and the product again under the row's lock). */
static xyd_status submit_precheck(models_db *db, const models_app_change *c, int64_t id,
				  models_application *a, api_error *err)
{
	char why[512] = "";
	xyd_status st = models_application_get_scoped(db, id, &c->scope, a);
	if (st != XYD_OK)
		return change_refusal(err, st, id, c, a, &no_refusal);
	if (a->status != APP_SUBMITTED)
		return change_refusal(err, XYD_INVALID_STATE, id, c, a, &no_refusal);
	models_product *p = xmalloc(sizeof *p);
	st = models_product_get(db, c->product_id, p);
	if (st == XYD_OK && p->status != PRODUCT_ACTIVE)
		st = XYD_NOT_FOUND;
	free(p);
	if (st == XYD_OK)
		st = matching_service_check_product(db, a->enterprise_id, c->product_id,
						    a->amount_fen, a->term_months, a->collateral,
						    why, sizeof why);
	if (st == XYD_NOT_FOUND)
		return api_error_set(err, st, "product_id", "no active product %lld",
				     (long long)c->product_id);
	if (st == XYD_NOT_ELIGIBLE || st == XYD_VALIDATION_FAILED)
		return api_error_set(err, XYD_NOT_ELIGIBLE, "product_id",
				     "the enterprise does not meet product %lld's criteria: %s",
				     (long long)c->product_id, why[0] ? why : "not eligible");
	if (st != XYD_OK) {
		err->status = st;
		err->message[0] = err->field[0] = '\0';
	}
	return st;
}

static xyd_status submit_app(const request_ctx *rc, int64_t id, int64_t product_id, api_error *err,
			     models_application *a)
{
	models_db *db = rc->db;
	if (!(rc->role & (ROLE_SME | ROLE_BUREAU)))
		return api_error_set(err, XYD_FORBIDDEN, NULL,
				     "the role '%s' may not submit an application", rc->who.role);
	models_app_change c = {.action = APP_DO_SUBMIT,
			       .scope = scope_for(rc),
			       .user_id = rc->who.user_id,
			       .role = rc->who.role,
			       .product_id = product_id};
	xyd_status st = submit_precheck(db, &c, id, a, err);
	if (st != XYD_OK)
		return st;
	models_audit audit;
	models_app_refusal why;
	int64_t loan_id;
	/* The model names the action. */
	request_audit(rc, &audit, "application.change", "application", 200);
	st = models_application_change(db, id, &c, &audit, a, &why, &loan_id);
	if (st == XYD_NOT_FOUND && a->id == id) /* visible, so the product went */
		return api_error_set(err, st, "product_id", "no active product %lld",
				     (long long)product_id);
	if (st != XYD_OK)
		return change_refusal(err, st, id, &c, a, &why);
	matching_service_catalog_changed(db); /* a place of the product is used */
	return XYD_OK;
}

xyd_status applications_submit(const request_ctx *rc, int64_t application_id, int64_t product_id,
			       api_error *err)
{
	models_application *a = xmalloc(sizeof *a);
	memset(err, 0, sizeof *err);
	xyd_status st = submit_app(rc, application_id, product_id, err, a);
	free(a);
	return st;
}

static const json_field submit_fields[] = {
	{"product_id", JSON_T_INT, true, false, 1, JSON_MAX_EXACT_INT},
};
const route_body application_submit_body = {submit_fields, ARRAY_SIZE(submit_fields), false};

xyd_status handle_application_submit(request_ctx *rc)
{
	const cJSON *body = rc->body;
	int64_t product_id = 0, id = request_id_param(rc);
	xyd_status st;
	json_get_int(body, "product_id", &product_id);
	models_application *a = xmalloc(sizeof *a);
	memset(a, 0, sizeof *a);
	st = submit_app(rc, id, product_id, &rc->err, a);
	if (st == XYD_OK)
		reply_json(rc, 200, json_application(a, NULL));
	free(a);
	return st;
}

/* A change by the route's caller with the body already read into c. */
static xyd_status change(request_ctx *rc, models_app_change *c)
{
	int64_t id = request_id_param(rc), loan_id;
	models_app_refusal why;
	models_audit audit;
	c->scope = scope_for(rc);
	c->user_id = rc->who.user_id;
	c->role = rc->who.role;
	request_audit(rc, &audit, "application.change", "application", 200);
	models_application *a = xmalloc(sizeof *a);
	memset(a, 0, sizeof *a);
	xyd_status st = models_application_change(rc->db, id, c, &audit, a, &why, &loan_id);
	if (st == XYD_OK)
		reply_json(rc, 200, json_application(a, NULL));
	else
		change_refusal(&rc->err, st, id, c, a, &why);
	free(a);
	return st;
}

/* accept and withdraw take no body, or an empty object (their routes say so). */
xyd_status handle_application_accept(request_ctx *rc)
{
	models_app_change c = {.action = APP_DO_ACCEPT};
	return change(rc, &c);
}

xyd_status handle_application_withdraw(request_ctx *rc)
{
	models_app_change c = {.action = APP_DO_WITHDRAW};
	return change(rc, &c);
}

static const json_field approve_fields[] = {
	{"amount_fen", JSON_T_INT, true, false, 1, PRODUCT_AMOUNT_MAX_FEN},
	{"rate_bps", JSON_T_INT, true, false, PRODUCT_RATE_MIN_BPS, PRODUCT_RATE_MAX_BPS},
	{"term_months", JSON_T_INT, true, false, PRODUCT_TERM_MIN_MONTHS, PRODUCT_TERM_MAX_MONTHS},
};
const route_body application_approve_body = {approve_fields, ARRAY_SIZE(approve_fields), false};

xyd_status handle_application_approve(request_ctx *rc)
{
	const cJSON *body = rc->body;
	int64_t rate = 0, term = 0;
	models_app_change c = {.action = APP_DO_APPROVE};
	json_get_int(body, "amount_fen", &c.amount_fen);
	json_get_int(body, "rate_bps", &rate);
	json_get_int(body, "term_months", &term);
	c.rate_bps = (int)rate;
	c.term_months = (int)term;
	return change(rc, &c);
}

static const json_field reject_fields[] = {
	{"reason", JSON_T_TEXT_LINES, true, false, 1, APP_REASON_MAX_CHARS},
};
const route_body application_reject_body = {reject_fields, ARRAY_SIZE(reject_fields), false};

xyd_status handle_application_reject(request_ctx *rc)
{
	const cJSON *body = rc->body;
	models_app_change c = {.action = APP_DO_REJECT, .reason = json_get_string(body, "reason")};
	if (validate_blank(c.reason))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "reason",
				     "reason must not be blank");
	return change(rc, &c);
}

/* ---- disburse ---- */

static const json_field disburse_fields[] = {
	{"disbursed_on", JSON_T_STRING, true, false, 10, 10},
	{"amount_fen", JSON_T_INT, false, false, 1, PRODUCT_AMOUNT_MAX_FEN},
};
const route_body application_disburse_body = {disburse_fields, ARRAY_SIZE(disburse_fields), false};

typedef struct {
	request_ctx *rc;
	int64_t id;
	models_app_change c;
	int64_t enterprise_id;
} disburse_ctx;

static xyd_status disburse_work(models_db *db, void *arg, models_idem_answer *answer)
{
	disburse_ctx *d = arg;
	models_app_refusal why;
	models_audit audit;
	int64_t loan_id = 0;
	request_audit(d->rc, &audit, "application.disburse", "application", 201);
	models_application *a = xmalloc(sizeof *a);
	memset(a, 0, sizeof *a);
	xyd_status st = models_application_change_tx(db, d->id, &d->c, &audit, a, &why, &loan_id);
	if (st == XYD_OK) {
		const models_app_scope all = {APP_SEE_ALL, 0};
		models_loan loan;
		d->enterprise_id = a->enterprise_id;
		if ((st = models_loan_get(db, loan_id, &all, &loan)) == XYD_OK)
			answer_set(answer, 201, json_loan(&loan, NULL));
	} else {
		change_refusal(&d->rc->err, st, d->id, &d->c, a, &why);
	}
	free(a);
	return st;
}

xyd_status handle_application_disburse(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	disburse_ctx d = {.rc = rc, .id = request_id_param(rc)};
	d.c = (models_app_change){.action = APP_DO_DISBURSE,
				  .scope = scope_for(rc),
				  .user_id = rc->who.user_id,
				  .role = rc->who.role,
				  .disbursed_on = json_get_string(body, "disbursed_on")};
	json_get_int(body, "amount_fen",
		     &d.c.disburse_amount_fen); /* absent: 0, the approved amount */
	if (!validate_date(d.c.disbursed_on, NULL, NULL, NULL))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "disbursed_on",
				     "disbursed_on must be a real date, YYYY-MM-DD");
	st = idempotency_run(rc, disburse_work, &d);
	if (st == XYD_OK && d.enterprise_id) /* a loan counts against programme caps */
		matching_service_enterprises_changed(rc->db, &d.enterprise_id, 1);
	return st;
}

/* ---- loans ---- */

xyd_status handle_loan_get(request_ctx *rc)
{
	int64_t id = request_id_param(rc);
	models_app_scope scope = scope_for(rc);
	models_loan l;
	xyd_status st = models_loan_get(rc->db, id, &scope, &l);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&rc->err, st, NULL, "no loan %lld", (long long)id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, 200, json_loan(&l, NULL));
}

xyd_status handle_loans_list(request_ctx *rc)
{
	models_app_scope scope = scope_for(rc);
	int limit;
	int64_t before;
	xyd_status st;
	if ((st = request_page(rc, &limit, &before)) != XYD_OK)
		return st;
	models_loan *rows;
	size_t n;
	bool more;
	st = models_loan_list(rc->db, &scope, before, limit, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_loan_rec(), json_loan, NULL);
}

/* ---- holidays ---- */

static const json_field holiday_fields[] = {
	{"day", JSON_T_STRING, true, false, 10, 10},
	{"name", JSON_T_TEXT, true, false, 1, HOLIDAY_NAME_MAX_CHARS},
	{"is_workday", JSON_T_BOOL, true, false, 0, 0},
};
const route_body holidays_put_body = {holiday_fields, ARRAY_SIZE(holiday_fields), false};

xyd_status handle_holidays_put(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	models_holiday h;
	memset(&h, 0, sizeof h);
	const char *day = json_get_string(body, "day"), *name = json_get_string(body, "name");
	if (!validate_date(day, NULL, NULL, NULL))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "day",
				     "day must be a real date, YYYY-MM-DD");
	if (validate_blank(name))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "name",
				     "name must not be blank");
	snprintf(h.day, sizeof h.day, "%s", day);
	snprintf(h.name, sizeof h.name, "%s", name);
	json_get_bool(body, "is_workday", &h.is_workday);
	models_audit audit;
	bool created = false;
	request_audit(rc, &audit, "holiday.put", "holiday", 201);
	if ((st = models_holiday_put(rc->db, &h, &audit, &created)) != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, created ? 201 : 200, json_record(&h, models_holiday_rec()));
}

xyd_status handle_holidays_list(request_ctx *rc)
{
	const char *y = request_query(rc, "year");
	int year;
	if (y) {
		char *end;
		long v = strtol(y, &end, 10);
		if (!*y || *end || v < 1900 || v > 2199)
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "year",
					     "year must be a year from 1900 to 2199");
		year = (int)v;
	} else {
		struct tm tm;
		year = district_tm(time(NULL), &tm) ? tm.tm_year + 1900 : 1970;
	}
	models_holiday *rows;
	size_t n;
	xyd_status st = models_holiday_list(rc->db, year, &rows, &n);
	if (st != XYD_OK)
		return request_fail(rc, st);
	cJSON *items = json_record_array(rows, n, models_holiday_rec());
	free(rows);
	return reply_list(rc, items, false, 0);
}
