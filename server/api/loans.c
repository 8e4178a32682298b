/*
 * Loans' money over HTTP (api.md "Loans, risk sharing and the ledger"): a
 * bank's repayments, overdue/default reports, claims and recoveries on its
 * own loans; the bureau's claim decisions and programme subsidies. Every
 * POST runs in one transaction under its Idempotency-Key (server/
 * idempotency.h), so a retried request answers the first answer and moves
 * nothing twice. Another bank's loan or claim is 404, as one that does not
 * exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/shares.h"
#include "common/validate.h"
#include "models/loans.h"
#include "server/api/handlers.h"
#include "server/http/idempotency.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"
#include "server/api/ledger.h"


/* The words of a date refusal about field. */
static xyd_status bad_day(request_ctx *rc, loans_bad_field bad, const char *field)
{
	return api_error_set(&rc->err, XYD_VALIDATION_FAILED, field,
			     bad == LOANS_BAD_DATE_FUTURE
				     ? "%s must not be after today (district calendar)"
				     : "%s must not be before the loan's disbursement",
			     field);
}

/* The words of a refusal about the path's loan: there is none (or it is
 * another bank's), or it is not in a state for the move (why_not). */
static void loan_refusal(const ledger_money_ctx *m, xyd_status st, const char *why_not)
{
	if (st == XYD_NOT_FOUND)
		api_error_set(&m->rc->err, st, NULL, "no loan %lld", (long long)m->id);
	else if (st == XYD_INVALID_STATE)
		api_error_set(&m->rc->err, st, NULL, "loan %lld %s", (long long)m->id, why_not);
}

/* The bodies of a money POST that is one amount (1..10^15 fen). */
static const json_field claim_fields[] = {
	{"loss_fen", JSON_T_INT, true, false, 1, SHARES_AMOUNT_MAX_FEN},
};
const route_body loan_claim_body = {claim_fields, ARRAY_SIZE(claim_fields), false};
static const json_field recovery_fields[] = {
	{"amount_fen", JSON_T_INT, true, false, 1, SHARES_AMOUNT_MAX_FEN},
};
const route_body claim_recovery_body = {recovery_fields, ARRAY_SIZE(recovery_fields), false};

/* A money POST whose body is a date, day_key, and an integer, int_key: the
 * date must be a real one before the work runs. */
static xyd_status post_dated(request_ctx *rc, int status, const char *day_key, const char *int_key,
			     models_idem_work work)
{
	ledger_money_ctx m;
	ledger_money_read(&m, rc, status, day_key, int_key);
	if (!validate_date(m.text, NULL, NULL, NULL))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, day_key,
				     "%s must be a real date, YYYY-MM-DD", day_key);
	return idempotency_run(rc, work, &m);
}

/* ---- repayments ---- */

static const json_field repay_fields[] = {
	{"amount_fen", JSON_T_INT, true, false, 1, SHARES_AMOUNT_MAX_FEN},
	{"paid_on", JSON_T_STRING, true, false, 10, 10},
};
const route_body loan_repayment_body = {repay_fields, ARRAY_SIZE(repay_fields), false};

static xyd_status repay_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *m = arg;
	models_repayment p;
	loans_bad_field bad;
	xyd_status st = models_loan_repay_tx(db, &m->who, m->id, m->amount_fen, m->text, &p, &bad);
	if (st == XYD_OK)
		ledger_answer(answer, 201, json_record(&p, models_repayment_rec()));
	else if (st == XYD_VALIDATION_FAILED && bad == LOANS_BAD_AMOUNT)
		api_error_set(&m->rc->err, st, "amount_fen",
			      "amount_fen is more than the loan's outstanding");
	else if (st == XYD_VALIDATION_FAILED)
		bad_day(m->rc, bad, "paid_on");
	else
		loan_refusal(m, st, "takes no repayment: only a performing or overdue loan does");
	return st;
}

xyd_status handle_loan_repayment(request_ctx *rc)
{
	return post_dated(rc, 201, "paid_on", "amount_fen", repay_work);
}

/* ---- overdue and default reports ---- */

static const json_field default_fields[] = {
	{"overdue_days", JSON_T_INT, true, false, 1, LOANS_OVERDUE_DAYS_MAX},
	{"as_of", JSON_T_STRING, true, false, 10, 10},
};
const route_body loan_default_body = {default_fields, ARRAY_SIZE(default_fields), false};

static xyd_status default_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *m = arg;
	models_loan l;
	loans_bad_field bad;
	bool suspended = false;
	xyd_status st = models_loan_default_tx(db, &m->who, m->id, (int)m->days, m->text, &l,
					       &suspended, &bad);
	if (st == XYD_OK) {
		cJSON *o = cJSON_CreateObject();
		json_add_int(o, "loan_id", l.id);
		cJSON_AddStringToObject(o, "status", l.status);
		json_add_int(o, "overdue_days", m->days);
		cJSON_AddStringToObject(o, "as_of", m->text);
		json_add_int(o, "outstanding_fen", l.outstanding_fen);
		cJSON_AddBoolToObject(o, "bank_suspended", suspended);
		ledger_answer(answer, 200, o);
	} else if (st == XYD_VALIDATION_FAILED) {
		bad_day(m->rc, bad, "as_of");
	} else {
		loan_refusal(m, st,
			     "cannot be reported overdue: only a performing or overdue loan can");
	}
	return st;
}

xyd_status handle_loan_default(request_ctx *rc)
{
	return post_dated(rc, 200, "as_of", "overdue_days", default_work);
}

/* ---- claims ---- */

static xyd_status claim_file_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *m = arg;
	models_claim c;
	loans_bad_field bad;
	xyd_status st = models_claim_file_tx(db, &m->who, m->id, m->amount_fen, &c, &bad);
	if (st == XYD_OK)
		ledger_answer(answer, 201, json_record(&c, models_claim_rec()));
	else if (st == XYD_VALIDATION_FAILED)
		api_error_set(&m->rc->err, st, "loss_fen",
			      "loss_fen is more than the loan's outstanding");
	else if (st == XYD_CONFLICT)
		api_error_set(&m->rc->err, st, NULL, "loan %lld already has a filed or paid claim",
			      (long long)m->id);
	else
		loan_refusal(m, st, "is not defaulted: only a defaulted loan takes a claim");
	return st;
}

xyd_status handle_loan_claim(request_ctx *rc)
{
	return ledger_money_run(rc, 201, NULL, "loss_fen", claim_file_work);
}

/* The words of a refused decision on claim id. */
static void claim_refusal(request_ctx *rc, xyd_status st, int64_t id, const char *verb)
{
	if (st == XYD_NOT_FOUND)
		api_error_set(&rc->err, st, NULL, "no claim %lld", (long long)id);
	else if (st == XYD_INVALID_STATE)
		api_error_set(&rc->err, st, NULL, "claim %lld cannot be %s: it is no longer filed",
			      (long long)id, verb);
	else if (st == XYD_INSUFFICIENT_FUNDS)
		api_error_set(&rc->err, st, NULL,
			      "the fund cannot pay claim %lld: its balance is short",
			      (long long)id);
	else if (st == XYD_NOT_ELIGIBLE)
		api_error_set(
			&rc->err, st, NULL,
			"paying claim %lld would pass the fund's annual cap on paid claims for the programme",
			(long long)id);
}

static xyd_status approve_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *m = arg;
	models_claim c;
	xyd_status st = models_claim_approve_tx(db, &m->who, m->id, &c);
	if (st == XYD_OK)
		ledger_answer(answer, 200, json_record(&c, models_claim_rec()));
	else
		claim_refusal(m->rc, st, m->id, "approved");
	return st;
}

xyd_status handle_claim_approve(request_ctx *rc)
{
	if (rc->body && (!cJSON_IsObject(rc->body) || rc->body->child))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL,
				     "approve takes no body, or {}");
	return ledger_money_run(rc, 200, NULL, NULL, approve_work);
}

static const json_field reject_fields[] = {
	{"reason", JSON_T_TEXT_LINES, true, false, 1, LOANS_REASON_MAX_CHARS},
};
const route_body claim_reject_body = {reject_fields, ARRAY_SIZE(reject_fields), false};

static xyd_status reject_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *m = arg;
	models_claim c;
	xyd_status st = models_claim_reject_tx(db, &m->who, m->id, m->text, &c);
	if (st == XYD_OK)
		ledger_answer(answer, 200, json_record(&c, models_claim_rec()));
	else
		claim_refusal(m->rc, st, m->id, "rejected");
	return st;
}

xyd_status handle_claim_reject(request_ctx *rc)
{
	ledger_money_ctx m;
	ledger_money_read(&m, rc, 200, "reason", NULL);
	if (validate_blank(m.text))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "reason",
				     "reason must not be blank");
	return idempotency_run(rc, reject_work, &m);
}

xyd_status handle_claim_get(request_ctx *rc)
{
	models_app_scope scope = scope_for(rc);
	int64_t id = request_id_param(rc);
	models_claim c;
	xyd_status st = models_claim_get(rc->db, &scope, id, &c);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&rc->err, st, NULL, "no claim %lld", (long long)id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, 200, json_record(&c, models_claim_rec()));
}

static const char *const claim_statuses[] = {"filed", "paid", "rejected"};

xyd_status handle_claims_list(request_ctx *rc)
{
	models_app_scope scope = scope_for(rc);
	const char *status = request_query(rc, "status");
	int limit;
	int64_t before, loan_id;
	xyd_status st = request_page(rc, &limit, &before);
	if (st != XYD_OK || (st = request_query_id(rc, "loan_id", &loan_id)) != XYD_OK)
		return st;
	if (status &&
	    validate_name_index(status, claim_statuses, (int)ARRAY_SIZE(claim_statuses)) < 0)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "status",
				     "status must be filed, paid or rejected");
	models_claim *rows;
	size_t n;
	bool more;
	st = models_claim_list(rc->db, &scope, status, loan_id, before, limit, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_claim_rec(), NULL, NULL);
}

/* ---- recoveries ---- */

static xyd_status recovery_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *m = arg;
	models_recovery v;
	loans_bad_field bad;
	xyd_status st = models_recovery_tx(db, &m->who, m->id, m->amount_fen, &v, &bad);
	if (st == XYD_OK)
		ledger_answer(answer, 201, json_record(&v, models_recovery_rec()));
	else if (st == XYD_INVALID_STATE)
		api_error_set(&m->rc->err, st, NULL,
			      "claim %lld is not paid: only a paid claim takes recoveries",
			      (long long)m->id);
	else if (st == XYD_VALIDATION_FAILED)
		api_error_set(&m->rc->err, st, "amount_fen",
			      "amount_fen would take the claim's recoveries past its loss");
	else
		claim_refusal(m->rc, st, m->id, "recovered");
	return st;
}

xyd_status handle_claim_recovery(request_ctx *rc)
{
	return ledger_money_run(rc, 201, NULL, "amount_fen", recovery_work);
}

/* ---- subsidies ---- */

static const json_field subsidy_fields[] = {
	{"period", JSON_T_STRING, true, false, 7, 7},
};
const route_body program_subsidy_body = {subsidy_fields, ARRAY_SIZE(subsidy_fields), false};

static bool period_valid(const char *p)
{
	char day[11];
	snprintf(day, sizeof day, "%.7s-01", p);
	return strlen(p) == 7 && p[4] == '-' && validate_date(day, NULL, NULL, NULL);
}

static xyd_status subsidy_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *m = arg;
	models_subsidy s;
	loans_bad_field bad;
	xyd_status st = models_subsidy_pay_tx(db, &m->who, m->id, m->text, &s, &bad);
	if (st == XYD_OK)
		ledger_answer(answer, 201, json_record(&s, models_subsidy_rec()));
	else if (st == XYD_NOT_FOUND)
		api_error_set(&m->rc->err, st, NULL, "no programme %lld", (long long)m->id);
	else if (st == XYD_VALIDATION_FAILED)
		api_error_set(&m->rc->err, st, "period",
			      "period must not be after the current month");
	else if (st == XYD_CONFLICT)
		api_error_set(&m->rc->err, st, "period",
			      "programme %lld's subsidy for %s was already paid", (long long)m->id,
			      m->text);
	return st;
}

xyd_status handle_program_subsidy(request_ctx *rc)
{
	ledger_money_ctx m;
	ledger_money_read(&m, rc, 201, "period", NULL);
	if (!period_valid(m.text))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "period",
				     "period must be a month, YYYY-MM");
	return idempotency_run(rc, subsidy_work, &m);
}
