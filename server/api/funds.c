/*
 * Risk compensation funds over HTTP (bureau only): the funds with their
 * balance, deposits, paid claims, recoveries, exposure and leverage; the
 * district's limits (annual cap on paid claims, overdue-rate suspension
 * threshold) and their setting; deposits from the bureau's budget
 * (Idempotency-Key) and their reversal; the stress test; lifting a bank's
 * suspension in a programme; naming a programme's guarantor. POST /funds
 * itself stays in programs.c beside the programmes that name funds.
 */
#include <stdlib.h>

#include "common/base.h"
#include "common/shares.h"
#include "common/xmalloc.h"
#include "models/loans.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"
#include "server/api/ledger.h"


static xyd_status no_fund(request_ctx *rc, int64_t id)
{
	return api_error_set(&rc->err, XYD_NOT_FOUND, NULL, "no fund %lld", (long long)id);
}

/* The figures every fund answer carries. */
static cJSON *json_fund_figures(const void *row, const void *ctx)
{
	(void)ctx;
	const models_fund_view *v = row;
	cJSON *o = json_record(v, models_fund_view_rec());
	/* exposure ÷ balance, to 4 places; null while the fund holds nothing */
	if (v->balance_fen > 0)
		cJSON_AddNumberToObject(
			o, "leverage",
			(double)shares_mul_div_floor(v->exposure_fen, 10000, v->balance_fen) /
				10000.0);
	else
		cJSON_AddNullToObject(o, "leverage");
	return o;
}

static cJSON *json_fund_limits(const models_fund_view *v)
{
	cJSON *l = cJSON_CreateObject();
	json_add_int(l, "annual_claims_cap_bps", v->annual_claims_cap_bps);
	json_add_int(l, "overdue_suspension_bps", v->overdue_suspension_bps);
	cJSON_AddItemToObject(
		l, "programs",
		json_record_array(v->programs, v->n_programs, models_fund_program_rec()));
	cJSON_AddItemToObject(
		l, "suspensions",
		json_record_array(v->suspensions, v->n_suspensions, models_suspension_rec()));
	return l;
}

/* The fund of the path, fully read; *v malloc'd (free()). */
static xyd_status fund_read(request_ctx *rc, models_fund_view **v)
{
	int64_t id = request_id_param(rc);
	*v = xmalloc(sizeof **v);
	xyd_status st = models_fund_view_get(rc->db, id, *v);
	if (st == XYD_OK)
		return st;
	free(*v);
	*v = NULL;
	return st == XYD_NOT_FOUND ? no_fund(rc, id) : request_fail(rc, st);
}

xyd_status handle_fund_get(request_ctx *rc)
{
	models_fund_view *v;
	xyd_status st = fund_read(rc, &v);
	if (st != XYD_OK)
		return st;
	cJSON *o = json_fund_figures(v, NULL);
	cJSON_AddItemToObject(o, "limits", json_fund_limits(v));
	free(v);
	return reply_json(rc, 200, o);
}

static xyd_status fund_page(models_db *db, int64_t after, int limit, void **rows, size_t *n,
			    bool *more)
{
	return models_fund_view_list(db, after, limit, (models_fund_view **)rows, n, more);
}

xyd_status handle_funds_list(request_ctx *rc)
{
	return reply_page_of(rc, fund_page, models_fund_view_rec(), json_fund_figures);
}

static const json_field limits_fields[] = {
	{"annual_claims_cap_bps", JSON_T_INT, false, false, 0, SHARES_BPS_WHOLE},
	{"overdue_suspension_bps", JSON_T_INT, false, false, 1, SHARES_BPS_WHOLE},
};
const route_body fund_patch_body = {limits_fields, ARRAY_SIZE(limits_fields), false};

xyd_status handle_fund_patch(request_ctx *rc)
{
	const cJSON *body = rc->body;
	int64_t cap = -1, susp = -1;
	xyd_status st;
	json_get_int(body, "annual_claims_cap_bps", &cap);
	json_get_int(body, "overdue_suspension_bps", &susp);
	if (cap < 0 && susp < 0)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL,
				     "give annual_claims_cap_bps, overdue_suspension_bps or both");
	ledger_money_ctx m;
	ledger_money_init(&m, rc, 200);
	st = models_fund_limits_set(rc->db, &m.who, m.id, (int)cap, (int)susp);
	if (st == XYD_NOT_FOUND)
		return no_fund(rc, m.id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return handle_fund_get(rc);
}

/* ---- deposits ---- */

static const json_field deposit_fields[] = {
	{"amount_fen", JSON_T_INT, true, false, 1, SHARES_AMOUNT_MAX_FEN},
	{"memo", JSON_T_TEXT, false, false, 0, LEDGER_MEMO_MAX_CHARS},
};
const route_body fund_deposit_body = {deposit_fields, ARRAY_SIZE(deposit_fields), false};

/* Journal entry id, just written in this transaction, rendered into *o. */
static xyd_status journal_json(models_db *db, int64_t id, cJSON **o)
{
	ledger_journal *j = NULL;
	xyd_status st = ledger_journal_get(db, id, &j);
	if (st != XYD_OK)
		return st == XYD_NOT_FOUND ? XYD_INTERNAL : st;
	*o = ledger_json_journal(j);
	ledger_journals_free(j, 1);
	return XYD_OK;
}

static xyd_status deposit_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *d = arg;
	int64_t journal = 0;
	cJSON *o;
	xyd_status st = models_fund_deposit_tx(db, &d->who, d->id, d->amount_fen, d->text,
					       &journal);
	if (st == XYD_NOT_FOUND)
		return no_fund(d->rc, d->id);
	if (st != XYD_OK || (st = journal_json(db, journal, &o)) != XYD_OK)
		return st;
	json_add_int(o, "fund_id", d->id);
	json_add_int(o, "amount_fen", d->amount_fen);
	ledger_answer(answer, 201, o);
	return XYD_OK;
}

xyd_status handle_fund_deposit(request_ctx *rc)
{
	return ledger_money_run(rc, 201, "memo", "amount_fen", deposit_work);
}

/* ---- reversing a mistaken deposit ---- */

static const json_field reverse_fields[] = {
	{"reason", JSON_T_TEXT_LINES, true, false, 1, LEDGER_MEMO_MAX_CHARS},
};
const route_body journal_reverse_body = {reverse_fields, ARRAY_SIZE(reverse_fields), false};

static xyd_status reverse_refusal(request_ctx *rc, xyd_status st, int64_t id)
{
	switch (st) {
	case XYD_NOT_FOUND:
		return api_error_set(&rc->err, st, NULL, "no journal entry %lld", (long long)id);
	case XYD_INVALID_STATE:
		return api_error_set(
			&rc->err, st, NULL,
			"journal entry %lld is not a fund deposit: claims, recoveries and subsidies "
			"are corrected through their own records",
			(long long)id);
	case XYD_CONFLICT:
		return api_error_set(&rc->err, st, NULL, "journal entry %lld is reversed already",
				     (long long)id);
	case XYD_INSUFFICIENT_FUNDS:
		return api_error_set(&rc->err, st, NULL,
				     "the fund no longer holds the deposit of journal entry %lld",
				     (long long)id);
	default:
		return st;
	}
}

static xyd_status reverse_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *x = arg;
	int64_t reversal = 0;
	cJSON *o;
	xyd_status st = models_fund_deposit_reverse_tx(db, &x->who, x->id, x->text, &reversal);
	if (st != XYD_OK)
		return reverse_refusal(x->rc, st, x->id);
	if ((st = journal_json(db, reversal, &o)) != XYD_OK)
		return st;
	ledger_answer(answer, 201, o);
	return XYD_OK;
}

xyd_status handle_journal_reverse(request_ctx *rc)
{
	return ledger_money_run(rc, 201, "reason", NULL, reverse_work);
}

/* ---- stress ---- */

xyd_status handle_fund_stress(request_ctx *rc)
{
	const char *q = request_query(rc, "default_rate_bps");
	char *end = NULL;
	long rate = q ? strtol(q, &end, 10) : -1;
	if (!q || !*q || *end || rate < 0 || rate > SHARES_BPS_WHOLE)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "default_rate_bps",
				     "default_rate_bps must be an integer from 0 to 10000");
	models_fund_view *v;
	xyd_status st = fund_read(rc, &v);
	if (st != XYD_OK)
		return st;
	models_fund_stress_result s;
	models_fund_stress(v, (int)rate, &s);
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "fund_id", v->id);
	json_add_int(o, "default_rate_bps", s.default_rate_bps);
	json_add_int(o, "balance_fen", v->balance_fen);
	json_add_int(o, "exposure_fen", v->exposure_fen);
	json_add_int(o, "stressed_loss_fen", s.stressed_loss_fen);
	json_add_int(o, "beyond_annual_cap_fen", s.capped_fen);
	json_add_int(o, "payable_fen", s.payable_fen);
	json_add_int(o, "would_pay_fen", s.would_pay_fen);
	json_add_int(o, "balance_after_fen", s.balance_after_fen);
	json_add_int(o, "shortfall_fen", s.shortfall_fen);
	free(v);
	return reply_json(rc, 200, o);
}

/* ---- suspensions ---- */

static const json_field lift_fields[] = {
	{"institution_id", JSON_T_INT, true, false, 1, INT64_C(1) << 53},
	{"reason", JSON_T_TEXT_LINES, true, false, 1, LOANS_REASON_MAX_CHARS},
};
const route_body suspension_lift_body = {lift_fields, ARRAY_SIZE(lift_fields), false};

static xyd_status lift_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *l = arg;
	xyd_status st = models_suspension_lift_tx(db, &l->who, l->id, l->institution_id, l->text);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&l->rc->err, st, NULL,
				     "institution %lld is not suspended in programme %lld",
				     (long long)l->institution_id, (long long)l->id);
	if (st != XYD_OK)
		return st;
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "program_id", l->id);
	json_add_int(o, "institution_id", l->institution_id);
	cJSON_AddBoolToObject(o, "suspended", false);
	ledger_answer(answer, 200, o);
	return XYD_OK;
}

xyd_status handle_suspension_lift(request_ctx *rc)
{
	return ledger_money_run(rc, 200, "reason", "institution_id", lift_work);
}

/* ---- a programme's guarantor ---- */

static const json_field guarantor_fields[] = {
	{"institution_id", JSON_T_INT, true, false, 1, INT64_C(1) << 53},
};
const route_body program_guarantor_body = {guarantor_fields, ARRAY_SIZE(guarantor_fields), false};

static xyd_status guarantor_work(models_db *db, void *arg, models_idem_answer *answer)
{
	ledger_money_ctx *g = arg;
	xyd_status st = models_program_guarantor_set_tx(db, &g->who, g->id, g->institution_id);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&g->rc->err, st, NULL, "no programme %lld", (long long)g->id);
	if (st == XYD_VALIDATION_FAILED)
		return api_error_set(&g->rc->err, st, "institution_id",
				     "institution %lld is not a guarantor",
				     (long long)g->institution_id);
	if (st != XYD_OK)
		return st;
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "program_id", g->id);
	json_add_int(o, "guarantor_institution_id", g->institution_id);
	ledger_answer(answer, 200, o);
	return XYD_OK;
}

xyd_status handle_program_guarantor(request_ctx *rc)
{
	return ledger_money_run(rc, 200, NULL, "institution_id", guarantor_work);
}
