/*
 * Loans' money: repayments, defaults, claims, recoveries, subsidies, fund
 * deposits, fund figures and limits, suspensions (see loans.h). Every
 * amount that moves between parties goes through ledger_post; the split
 * arithmetic is common/shares.
 */
#include "models/loans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/shares.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/ledger.h"

/* The figures of programme g (an SQL expression of its id): the principal
 * of its loans, its part of its fund's exposure, the fund shares of its
 * claims paid this district year. */
#define LOANS_PROGRAM_DISBURSED_SQL(g)                                                             \
	"(SELECT CAST(COALESCE(SUM(principal_fen), 0) AS SIGNED) FROM loans"                       \
	" WHERE program_id = " g ")"
#define LOANS_PROGRAM_EXPOSURE_SQL(g)                                                              \
	"(SELECT CAST(COALESCE(SUM(CAST(outstanding_fen AS DECIMAL(30,0)) * fund_bps"              \
	" DIV 10000), 0) AS SIGNED) FROM loans WHERE program_id = " g                              \
	" AND status IN ('performing','overdue'))"
#define LOANS_PROGRAM_PAID_THIS_YEAR_SQL(g)                                                        \
	"(SELECT CAST(COALESCE(SUM(fund_share_fen), 0) AS SIGNED) FROM claims"                     \
	" WHERE program_id = " g " AND status = 'paid' AND YEAR(" DB_DISTRICT_DATE(                \
		"decided_at") ")"                                                                  \
			      " = YEAR(" DB_DISTRICT_TODAY "))"


REC_TYPE_DEFINE(models_loan, MODELS_LOAN_FIELDS)
REC_TYPE_DEFINE(models_repayment, MODELS_REPAYMENT_FIELDS)
REC_TYPE_DEFINE(models_claim, MODELS_CLAIM_FIELDS)
REC_TYPE_DEFINE(models_recovery, MODELS_RECOVERY_FIELDS)
REC_TYPE_DEFINE(models_subsidy, MODELS_SUBSIDY_FIELDS)
REC_TYPE_DEFINE(models_fund_program, MODELS_FUND_PROGRAM_FIELDS)
REC_TYPE_DEFINE(models_suspension, MODELS_SUSPENSION_FIELDS)
REC_TYPE_DEFINE(models_fund_view, MODELS_FUND_VIEW_FIELDS)

/* The institution a scope limits to (0: none). Money routes are only ever
 * called by a bank (its own) or the bureau (all). */
static int64_t scope_institution(const models_app_scope *s)
{
	return s->view == APP_SEE_INSTITUTION ? s->org_id : 0;
}

/* Today on the district calendar (UTC+8), "YYYY-MM-DD". */
static xyd_status db_district_today(models_db *db, char today[11])
{
	db_result r;
	xyd_status st = DB_QUERY(db, "SELECT " DB_DISTRICT_TODAY " FROM DUAL WHERE ? = 1", &r,
				 DB_INT(1));
	if (st != XYD_OK)
		return st;
	db_cell_copy(today, 11, &r, 0, 0);
	db_result_release(&r);
	return XYD_OK;
}

/* A day the caller reports about a loan: not after today, not before the
 * disbursement. YYYY-MM-DD strings compare as dates. */
static xyd_status check_day(models_db *db, const char *day, const char *disbursed_on,
			    loans_bad_field *bad)
{
	char today[11];
	xyd_status st = db_district_today(db, today);
	if (st != XYD_OK)
		return st;
	if (strcmp(day, today) > 0)
		*bad = LOANS_BAD_DATE_FUTURE;
	else if (strcmp(day, disbursed_on) < 0)
		*bad = LOANS_BAD_DATE_BEFORE;
	return *bad == LOANS_BAD_NONE ? XYD_OK : XYD_VALIDATION_FAILED;
}

static xyd_status audit_write(models_db *db, const loans_actor *who, const char *action,
			      const char *target_type, int64_t target_id, const char *detail)
{
	who->audit->action = action;
	who->audit->target_type = target_type;
	who->audit->detail = detail;
	snprintf(who->audit->target_id, sizeof who->audit->target_id, "%lld", (long long)target_id);
	xyd_status st = models_audit_write(db, who->audit);
	who->audit->detail = NULL; /* it pointed into the caller's frame */
	return st;
}

/* ---- loans ---- */

#define LOAN_SELECT                                                                                \
	"SELECT " REC_COLUMNS(                                                                     \
		MODELS_LOAN_FIELDS) " FROM loans l JOIN enterprises e ON e.id = l.enterprise_id "
static bool loan_shares_whole(const models_loan *l)
{
	return l->fund_bps + l->bank_bps + l->guarantor_bps == SHARES_BPS_WHOLE;
}

xyd_status models_loan_get(models_db *db, int64_t id, const models_app_scope *scope,
			   models_loan *out)
{
	xyd_status st = DB_GET_ONE(db, LOAN_SELECT "WHERE l.id = ? AND" MODELS_SCOPE_SQL("l"),
				   models_loan_rec(), out, DB_INT(id), MODELS_SCOPE_PARAMS(scope));
	XYD_ASSERT(st != XYD_OK || loan_shares_whole(out));
	return st;
}

xyd_status models_loan_list(models_db *db, const models_app_scope *scope, int64_t before_id,
			    int limit, models_loan **rows, size_t *count, bool *more)
{
	xyd_status st = db_get_page(
		db,
		LOAN_SELECT
		"WHERE (? = 0 OR l.id < ?) AND" MODELS_SCOPE_SQL("l") " ORDER BY l.id DESC LIMIT ?",
		DB_PARAMS(DB_INT(before_id), DB_INT(before_id), MODELS_SCOPE_PARAMS(scope)),
		models_loan_rec(), limit, (void **)rows, count, more);
	for (size_t i = 0; st == XYD_OK && i < *count; i++)
		XYD_ASSERT(loan_shares_whole(&(*rows)[i]));
	return st;
}

/* A loan as a money movement reads it, under its row lock. */
#define LOCKED_LOAN_FIELDS(X)                                                                      \
	X(I64, id, 0, "id")                                                                        \
	X(I64, institution_id, 0, "institution_id")                                                \
	X(I64, program_id, 0, "program_id")                                                        \
	X(I64, principal_fen, 0, "principal_fen")                                                  \
	X(I64, outstanding_fen, 0, "outstanding_fen")                                              \
	X(TEXT, status, 12, "status")                                                              \
	X(TEXT, disbursed_on, 11, "DATE_FORMAT(disbursed_on, '%Y-%m-%d')")                         \
	X(INT, fund_bps, 0, "fund_bps")                                                            \
	X(INT, guarantor_bps, 0, "guarantor_bps")
typedef struct {
	LOCKED_LOAN_FIELDS(REC_MEMBER)
} locked_loan;
static REC_TYPE_DEFINE(locked_loan, LOCKED_LOAN_FIELDS)

	static xyd_status
	lock_loan(models_db *db, const models_app_scope *scope, int64_t id, locked_loan *l)
{
	int64_t inst = scope_institution(scope);
	return DB_GET_ONE(
		db,
		"SELECT " REC_COLUMNS(
			LOCKED_LOAN_FIELDS) " FROM loans"
					    " WHERE id = ? AND (? = 0 OR institution_id = ?) FOR UPDATE",
		locked_loan_rec(), l, DB_INT(id), DB_INT(inst), DB_INT(inst));
}

static bool loan_open(const locked_loan *l)
{
	return strcmp(l->status, "performing") == 0 || strcmp(l->status, "overdue") == 0;
}

/* A row just written in this transaction: XYD_NOT_FOUND would be a bug. */
static xyd_status read_written(models_db *db, const char *sql, const rec_type *t, int64_t id,
			       void *out)
{
	xyd_status st = DB_GET_ONE(db, sql, t, out, DB_INT(id));
	return st == XYD_NOT_FOUND ? XYD_INTERNAL : st;
}

#define REPAYMENT_BY_ID                                                                            \
	"SELECT " REC_COLUMNS(                                                                     \
		MODELS_REPAYMENT_FIELDS) " FROM loan_repayments p"                                 \
					 " JOIN loans l ON l.id = p.loan_id WHERE p.id = ?"

xyd_status models_loan_repay_tx(models_db *db, const loans_actor *who, int64_t loan_id,
				int64_t amount_fen, const char *paid_on, models_repayment *out,
				loans_bad_field *bad)
{
	locked_loan l;
	uint64_t id = 0;
	char detail[64];
	*bad = LOANS_BAD_NONE;
	memset(out, 0, sizeof *out);
	xyd_status st = lock_loan(db, &who->scope, loan_id, &l);
	if (st != XYD_OK)
		return st;
	if (!loan_open(&l))
		return XYD_INVALID_STATE;
	if ((st = check_day(db, paid_on, l.disbursed_on, bad)) != XYD_OK)
		return st;
	if (amount_fen > l.outstanding_fen) {
		*bad = LOANS_BAD_AMOUNT;
		return XYD_VALIDATION_FAILED;
	}
	/* 0 < repayment <= outstanding <= principal (ck_loans_outstanding) */
	XYD_ASSERT(amount_fen >= 1);
	XYD_ASSERT(l.principal_fen > 0 && l.outstanding_fen <= l.principal_fen);
	int64_t left = l.outstanding_fen - amount_fen;
	XYD_ASSERT(left >= 0 && left < l.outstanding_fen);
	if ((st = db_run(db,
			 "INSERT INTO loan_repayments (loan_id, amount_fen, paid_on, created_by)"
			 " VALUES (?, ?, ?, ?)",
			 (const db_param[]){DB_INT(loan_id), DB_INT(amount_fen), db_str(paid_on),
					    DB_INT(who->user_id)},
			 4, NULL, NULL, &id)) != XYD_OK ||
	    (st = DB_QUERY(db, "UPDATE loans SET outstanding_fen = ?, status = ? WHERE id = ?",
			   NULL, DB_INT(left), db_str(left == 0 ? "repaid" : l.status),
			   DB_INT(loan_id))) != XYD_OK)
		return st;
	snprintf(detail, sizeof detail, "amount_fen=%lld", (long long)amount_fen);
	if ((st = audit_write(db, who, "loan.repayment", "loan", loan_id, detail)) != XYD_OK ||
	    (st = read_written(db, REPAYMENT_BY_ID, models_repayment_rec(), (int64_t)id, out)) !=
		    XYD_OK)
		return st;
	/* the loan stayed locked: what is stored is what was computed */
	XYD_ASSERT(out->outstanding_fen == left && out->amount_fen == amount_fen);
	XYD_ASSERT((left == 0) == (strcmp(out->loan_status, "repaid") == 0));
	return XYD_OK;
}

#define OVERDUE_FIELDS(X)                                                                          \
	X(INT, threshold, 0, "f.overdue_suspension_bps")                                           \
	X(I64, late, 0,                                                                            \
	  "COALESCE(SUM(CASE WHEN l.status IN ('overdue','defaulted') THEN l.outstanding_fen"      \
	  " ELSE 0 END), 0)")                                                                      \
	X(I64, open, 0, "COALESCE(SUM(l.outstanding_fen), 0)")
typedef struct {
	OVERDUE_FIELDS(REC_MEMBER)
} overdue_figures;
static REC_TYPE_DEFINE(overdue_figures, OVERDUE_FIELDS)

	/* The bank's overdue rate in the programme, in bps of its open outstanding:
 * suspends it when the rate passes its fund's threshold. */
	static xyd_status
	measure_suspension(models_db *db, int64_t program_id, int64_t inst, bool *suspended)
{
	overdue_figures o;
	xyd_status st = DB_GET_ONE(
		db,
		"SELECT " REC_COLUMNS(
			OVERDUE_FIELDS) " FROM programs g"
					" JOIN funds f ON f.id = g.fund_id LEFT JOIN loans l ON l.program_id = g.id"
					" AND l.institution_id = ? AND l.status <> 'repaid' WHERE g.id = ?"
					" GROUP BY f.id",
		overdue_figures_rec(), &o, DB_INT(inst), DB_INT(program_id));
	if (st != XYD_OK) /* XYD_NOT_FOUND: no fund, nothing to protect */
		return st == XYD_NOT_FOUND ? XYD_OK : st;
	int threshold = o.threshold;
	int64_t late = o.late, open = o.open;
	if (open <= 0)
		return XYD_OK;
	XYD_ASSERT(late >= 0 && late <= open); /* late loans are among the open ones */
	int64_t rate = shares_mul_div_floor(late, SHARES_BPS_WHOLE, open);
	XYD_ASSERT(rate <= SHARES_BPS_WHOLE);
	if (rate <= threshold)
		return XYD_OK;
	uint64_t affected = 0;
	st = db_run(
		db,
		"INSERT INTO program_bank_suspensions (program_id, institution_id, overdue_rate_bps,"
		" threshold_bps) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id",
		(const db_param[]){DB_INT(program_id), DB_INT(inst), DB_INT(rate),
				   DB_INT(threshold)},
		4, NULL, &affected, NULL);
	*suspended = st == XYD_OK && affected == 1;
	return st;
}

xyd_status models_loan_default_tx(models_db *db, const loans_actor *who, int64_t loan_id,
				  int overdue_days, const char *as_of, models_loan *out,
				  bool *suspended, loans_bad_field *bad)
{
	locked_loan l;
	char detail[64];
	*bad = LOANS_BAD_NONE;
	*suspended = false;
	xyd_status st = lock_loan(db, &who->scope, loan_id, &l);
	if (st != XYD_OK)
		return st;
	if (!loan_open(&l))
		return XYD_INVALID_STATE;
	if ((st = check_day(db, as_of, l.disbursed_on, bad)) != XYD_OK)
		return st;
	bool defaulted = overdue_days >= LOANS_DEFAULT_DAYS;
	const char *to = defaulted ? "defaulted" : "overdue";
	/* performing or overdue -> overdue or defaulted, the only moves a report makes */
	XYD_ASSERT(loan_open(&l));
	if ((st = DB_QUERY(db,
			   "UPDATE loans SET status = ?, overdue_days = ?, overdue_as_of = ?,"
			   " defaulted_on = ? WHERE id = ?",
			   NULL, db_str(to), DB_INT(overdue_days), db_str(as_of),
			   db_str(defaulted ? as_of : NULL), DB_INT(loan_id))) != XYD_OK)
		return st;
	if (l.program_id &&
	    (st = measure_suspension(db, l.program_id, l.institution_id, suspended)) != XYD_OK)
		return st;
	snprintf(detail, sizeof detail, "overdue_days=%d status=%s", overdue_days, to);
	if ((st = audit_write(db, who, "loan.default", "loan", loan_id, detail)) != XYD_OK)
		return st;
	const models_app_scope all = {APP_SEE_ALL, 0};
	if ((st = models_loan_get(db, loan_id, &all, out)) != XYD_OK)
		return st;
	XYD_ASSERT(strcmp(out->status, to) == 0);
	XYD_ASSERT(out->outstanding_fen == l.outstanding_fen); /* a report moves no money */
	return XYD_OK;
}

/* ---- claims ---- */

#define CLAIM_SELECT "SELECT " REC_COLUMNS(MODELS_CLAIM_FIELDS) " FROM claims c "

/* The claim within scope; lock: FOR UPDATE. */
static xyd_status claim_read(models_db *db, const models_app_scope *scope, int64_t id, bool lock,
			     models_claim *out)
{
	int64_t inst = scope_institution(scope);
#define CLAIM_BY_ID CLAIM_SELECT "WHERE c.id = ? AND (? = 0 OR c.institution_id = ?)"
	return DB_GET_ONE(db, lock ? CLAIM_BY_ID " FOR UPDATE" : CLAIM_BY_ID, models_claim_rec(),
			  out, DB_INT(id), DB_INT(inst), DB_INT(inst));
#undef CLAIM_BY_ID
}

xyd_status models_claim_get(models_db *db, const models_app_scope *scope, int64_t claim_id,
			    models_claim *out)
{
	return claim_read(db, scope, claim_id, false, out);
}

xyd_status models_claim_list(models_db *db, const models_app_scope *scope, const char *status,
			     int64_t loan_id, int64_t before_id, int limit, models_claim **rows,
			     size_t *count, bool *more)
{
	int64_t inst = scope_institution(scope);
	return db_get_page(
		db,
		CLAIM_SELECT
		"WHERE (? = 0 OR c.id < ?) AND (? = 0 OR c.institution_id = ?)"
		" AND (? IS NULL OR c.status = ?) AND (? = 0 OR c.loan_id = ?) ORDER BY c.id DESC LIMIT ?",
		DB_PARAMS(DB_INT(before_id), DB_INT(before_id), DB_INT(inst), DB_INT(inst),
			  db_str(status), db_str(status), DB_INT(loan_id), DB_INT(loan_id)),
		models_claim_rec(), limit, (void **)rows, count, more);
}

xyd_status models_claim_file_tx(models_db *db, const loans_actor *who, int64_t loan_id,
				int64_t loss_fen, models_claim *out, loans_bad_field *bad)
{
	locked_loan l;
	shares_split s;
	uint64_t id = 0;
	*bad = LOANS_BAD_NONE;
	xyd_status st = lock_loan(db, &who->scope, loan_id, &l);
	if (st != XYD_OK)
		return st;
	if (strcmp(l.status, "defaulted") != 0)
		return XYD_INVALID_STATE;
	if (loss_fen < 1 || loss_fen > l.outstanding_fen ||
	    !shares_claim_split(loss_fen, l.fund_bps, l.guarantor_bps, &s)) {
		*bad = LOANS_BAD_AMOUNT;
		return XYD_VALIDATION_FAILED;
	}
	/* 0 < loss <= the defaulted outstanding, split whole by the loan's
	 * shares (ck_loans_shares_sum: the bank's bps are the rest) */
	XYD_ASSERT(loss_fen >= 1 && loss_fen <= l.outstanding_fen &&
		   l.outstanding_fen <= l.principal_fen);
	XYD_ASSERT(l.fund_bps >= 0 && l.guarantor_bps >= 0 &&
		   l.fund_bps + l.guarantor_bps <= SHARES_BPS_WHOLE);
	XYD_ASSERT(s.fund_fen + s.guarantor_fen + s.bank_fen == loss_fen);
	/* The fund and guarantor are the programme's at filing (NULL outside one). */
	st = db_run(
		db,
		"INSERT INTO claims (loan_id, institution_id, program_id, fund_id,"
		" guarantor_institution_id, loss_fen, fund_share_fen, guarantor_share_fen,"
		" bank_share_fen, filed_by) SELECT ?, ?, g.id, g.fund_id, g.guarantor_institution_id,"
		" ?, ?, ?, ?, ? FROM (SELECT 1) one LEFT JOIN programs g ON g.id = ?",
		(const db_param[]){DB_INT(loan_id), DB_INT(l.institution_id), DB_INT(loss_fen),
				   DB_INT(s.fund_fen), DB_INT(s.guarantor_fen), DB_INT(s.bank_fen),
				   DB_INT(who->user_id), DB_INT(l.program_id)},
		8, NULL, NULL, &id);
	if (st != XYD_OK)
		return st; /* XYD_CONFLICT: a filed or paid claim exists */
	if ((st = audit_write(db, who, "claim.file", "claim", (int64_t)id, NULL)) != XYD_OK)
		return st;
	const models_app_scope all = {APP_SEE_ALL, 0};
	if ((st = claim_read(db, &all, (int64_t)id, false, out)) != XYD_OK)
		return st;
	XYD_ASSERT(out->loss_fen == loss_fen && out->recovered_fen == 0);
	XYD_ASSERT(out->fund_share_fen == s.fund_fen &&
		   out->guarantor_share_fen == s.guarantor_fen &&
		   out->bank_share_fen == s.bank_fen);
	return XYD_OK;
}

/* The figures a programme's limits are measured by. */
#define PROGRAM_FIGURES_FIELDS(X)                                                                  \
	X(I64, disbursed_fen, 0, LOANS_PROGRAM_DISBURSED_SQL("?"))                                 \
	X(I64, exposure_fen, 0, LOANS_PROGRAM_EXPOSURE_SQL("?"))                                   \
	X(I64, paid_this_year_fen, 0, LOANS_PROGRAM_PAID_THIS_YEAR_SQL("?"))
typedef struct {
	PROGRAM_FIGURES_FIELDS(REC_MEMBER)
} program_figures;
static REC_TYPE_DEFINE(program_figures, PROGRAM_FIGURES_FIELDS)

	static xyd_status figures_of(models_db *db, int64_t program_id, program_figures *f)
{
	return DB_GET_ONE(db, "SELECT " REC_COLUMNS(PROGRAM_FIGURES_FIELDS), program_figures_rec(),
			  f, DB_INT(program_id), DB_INT(program_id), DB_INT(program_id));
}

/* Locks the claim's fund row (serialising every approval on one fund) and
 * checks the programme's annual cap. */
static xyd_status check_annual_cap(models_db *db, const models_claim *c)
{
	int64_t cap_read = 0; /* stays 0 for no fund row */
	xyd_status st = DB_QUERY_INT(
		db, "SELECT annual_claims_cap_bps FROM funds WHERE id = ? FOR UPDATE", &cap_read,
		DB_INT(c->fund_id));
	if (st != XYD_OK && st != XYD_NOT_FOUND)
		return st;
	int cap_bps = (int)cap_read;
	program_figures f;
	if (!c->program_id)
		return XYD_INTERNAL; /* a fund share is only ever filed inside a programme */
	if ((st = figures_of(db, c->program_id, &f)) != XYD_OK)
		return st;
	XYD_ASSERT(cap_bps >= 0 && cap_bps <= SHARES_BPS_WHOLE);
	XYD_ASSERT(f.paid_this_year_fen >= 0 && c->fund_share_fen >= 1);
	int64_t cap = shares_mul_div_floor(f.disbursed_fen, cap_bps, SHARES_BPS_WHOLE);
	return f.paid_this_year_fen + c->fund_share_fen > cap ? XYD_NOT_ELIGIBLE : XYD_OK;
}

/* The accounts of a claim's parties: the bank's receivable and loss, the
 * fund's cash (0 without a fund), the guarantor's share (its own, or the
 * programme's while none is named; 0 without a programme). */
typedef struct {
	int64_t receivable, loss, fund, guarantor;
} claim_accounts;

static xyd_status claim_accounts_of(models_db *db, const models_claim *c, claim_accounts *a)
{
	xyd_status st;
	memset(a, 0, sizeof *a);
	if ((st = ledger_account_id(db, LEDGER_INSTITUTION_CLAIM_RECEIVABLE, 0, c->institution_id,
				    0, &a->receivable)) != XYD_OK ||
	    (st = ledger_account_id(db, LEDGER_INSTITUTION_LOSS, 0, c->institution_id, 0,
				    &a->loss)) != XYD_OK)
		return st;
	if (c->fund_id &&
	    (st = ledger_account_id(db, LEDGER_FUND_CASH, c->fund_id, 0, 0, &a->fund)) != XYD_OK)
		return st;
	if (c->guarantor_institution_id)
		return ledger_account_id(db, LEDGER_GUARANTOR_SHARE, 0, c->guarantor_institution_id,
					 0, &a->guarantor);
	if (c->program_id)
		return ledger_account_id(db, LEDGER_GUARANTOR_SHARE, 0, 0, c->program_id,
					 &a->guarantor);
	return XYD_OK;
}

/* Posts one movement of claim c as a journal entry of kind: the bank's
 * receivable gains sign times the whole of s, and the fund, the guarantor
 * and the bank's loss account each the opposite of their part (sign 1: the
 * claim's payment; -1: a recovery flowing back in the same proportions). */
static xyd_status post_claim_entry(models_db *db, const loans_actor *who, const models_claim *c,
				   const char *kind, const shares_split *s, int64_t sign,
				   int64_t *journal)
{
	claim_accounts a;
	ledger_postings ps = {0};
	XYD_ASSERT(sign == 1 || sign == -1);
	XYD_ASSERT(s->fund_fen >= 0 && s->guarantor_fen >= 0 && s->bank_fen >= 0);
	xyd_status st = claim_accounts_of(db, c, &a);
	if (st != XYD_OK)
		return st;
	ledger_postings_add(&ps, a.receivable,
			    sign * (s->fund_fen + s->guarantor_fen + s->bank_fen));
	if (s->fund_fen) /* a.fund / a.guarantor are 0 when the claim has no such party */
		ledger_postings_add(&ps, a.fund, -sign * s->fund_fen);
	if (s->guarantor_fen)
		ledger_postings_add(&ps, a.guarantor, -sign * s->guarantor_fen);
	ledger_postings_add(&ps, a.loss, -sign * s->bank_fen);
	const ledger_entry e = {
		.kind = kind, .ref_type = "claim", .ref_id = c->id, .created_by = who->user_id};
	return ledger_post(db, &e, &ps, journal, NULL);
}

xyd_status models_claim_approve_tx(models_db *db, const loans_actor *who, int64_t claim_id,
				   models_claim *out)
{
	int64_t journal = 0;
	xyd_status st = claim_read(db, &who->scope, claim_id, true, out);
	if (st != XYD_OK)
		return st;
	if (strcmp(out->status, "filed") != 0)
		return XYD_INVALID_STATE;
	if (out->fund_share_fen > 0 && !out->fund_id)
		return XYD_INSUFFICIENT_FUNDS; /* the programme has no fund to pay */
	if (out->guarantor_share_fen > 0 && !out->program_id)
		return XYD_INTERNAL; /* a guarantor share is only ever filed inside a programme */
	if (out->fund_share_fen > 0 && (st = check_annual_cap(db, out)) != XYD_OK)
		return st;
	/* filed: split whole at filing, nothing recovered before payment */
	XYD_ASSERT(out->fund_share_fen + out->guarantor_share_fen + out->bank_share_fen ==
		   out->loss_fen);
	XYD_ASSERT(out->recovered_fen == 0);
	const shares_split split = {out->fund_share_fen, out->guarantor_share_fen,
				    out->bank_share_fen};
	if ((st = post_claim_entry(db, who, out, "claim.pay", &split, 1, &journal)) != XYD_OK ||
	    (st = DB_QUERY(
		     db,
		     "UPDATE claims SET status = 'paid', decided_by = ?, decided_at = UTC_TIMESTAMP(6),"
		     " paid_journal_id = ? WHERE id = ?",
		     NULL, DB_INT(who->user_id), DB_INT(journal), DB_INT(claim_id))) != XYD_OK ||
	    (st = audit_write(db, who, "claim.approve", "claim", claim_id, NULL)) != XYD_OK ||
	    (st = claim_read(db, &who->scope, claim_id, false, out)) != XYD_OK)
		return st;
	XYD_ASSERT(strcmp(out->status, "paid") == 0 &&
		   out->paid_journal_id == journal); /* filed -> paid */
	return XYD_OK;
}

xyd_status models_claim_reject_tx(models_db *db, const loans_actor *who, int64_t claim_id,
				  const char *reason, models_claim *out)
{
	xyd_status st = claim_read(db, &who->scope, claim_id, true, out);
	if (st != XYD_OK)
		return st;
	if (strcmp(out->status, "filed") != 0)
		return XYD_INVALID_STATE;
	if ((st = DB_QUERY(db,
			   "UPDATE claims SET status = 'rejected', reason = ?, decided_by = ?,"
			   " decided_at = UTC_TIMESTAMP(6) WHERE id = ?",
			   NULL, db_str(reason), DB_INT(who->user_id), DB_INT(claim_id))) !=
		    XYD_OK ||
	    (st = audit_write(db, who, "claim.reject", "claim", claim_id, NULL)) != XYD_OK)
		return st;
	return claim_read(db, &who->scope, claim_id, false, out);
}

/* ---- recoveries ---- */

#define RECOVERY_BY_ID                                                                             \
	"SELECT " REC_COLUMNS(                                                                     \
		MODELS_RECOVERY_FIELDS) " FROM recoveries v"                                       \
					" JOIN claims c ON c.id = v.claim_id WHERE v.id = ?"

xyd_status models_recovery_tx(models_db *db, const loans_actor *who, int64_t claim_id,
			      int64_t amount_fen, models_recovery *out, loans_bad_field *bad)
{
	models_claim c;
	shares_split s;
	int64_t journal = 0;
	uint64_t id = 0;
	*bad = LOANS_BAD_NONE;
	memset(out, 0, sizeof *out);
	xyd_status st = claim_read(db, &who->scope, claim_id, true, &c);
	if (st != XYD_OK)
		return st;
	if (strcmp(c.status, "paid") != 0)
		return XYD_INVALID_STATE;
	const shares_split claim = {c.fund_share_fen, c.guarantor_share_fen, c.bank_share_fen};
	if (!shares_recovery_split(&claim, c.recovered_fen, amount_fen, &s)) {
		*bad = LOANS_BAD_AMOUNT;
		return XYD_VALIDATION_FAILED;
	}
	/* 0 <= recovered before < recovered after <= loss */
	XYD_ASSERT(claim.fund_fen + claim.guarantor_fen + claim.bank_fen == c.loss_fen);
	XYD_ASSERT(c.recovered_fen >= 0 && c.recovered_fen + amount_fen <= c.loss_fen);
	if ((st = post_claim_entry(db, who, &c, "claim.recovery", &s, -1, &journal)) != XYD_OK ||
	    (st = db_run(
		     db,
		     "INSERT INTO recoveries (claim_id, amount_fen, fund_fen, guarantor_fen, bank_fen,"
		     " journal_id, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
		     (const db_param[]){DB_INT(claim_id), DB_INT(amount_fen), DB_INT(s.fund_fen),
					DB_INT(s.guarantor_fen), DB_INT(s.bank_fen),
					DB_INT(journal), DB_INT(who->user_id)},
		     7, NULL, NULL, &id)) != XYD_OK ||
	    (st = DB_QUERY(db, "UPDATE claims SET recovered_fen = recovered_fen + ? WHERE id = ?",
			   NULL, DB_INT(amount_fen), DB_INT(claim_id))) != XYD_OK ||
	    (st = audit_write(db, who, "claim.recovery", "claim", claim_id, NULL)) != XYD_OK ||
	    (st = read_written(db, RECOVERY_BY_ID, models_recovery_rec(), (int64_t)id, out)) !=
		    XYD_OK)
		return st;
	XYD_ASSERT(out->claim_recovered_fen ==
		   c.recovered_fen + amount_fen); /* the claim stayed locked */
	XYD_ASSERT(out->fund_fen + out->guarantor_fen + out->bank_fen == amount_fen);
	return XYD_OK;
}

/* ---- subsidies ---- */

/* One line per performing loan of the programme disbursed by the month's
 * end; *total_fen and *loans sum them. */
static xyd_status subsidy_lines(models_db *db, int64_t subsidy_id, int64_t program_id,
				const char *period, int bps, int64_t *total_fen, int *loans)
{
	db_result r;
	xyd_status st = DB_QUERY(
		db,
		"SELECT id, outstanding_fen FROM loans WHERE program_id = ? AND status = 'performing'"
		" AND disbursed_on <= LAST_DAY(CONCAT(?, '-01')) ORDER BY id",
		&r, DB_INT(program_id), db_str(period));
	if (st != XYD_OK)
		return st;
	*total_fen = 0;
	*loans = (int)r.nrows;
	for (size_t i = 0; i < r.nrows && st == XYD_OK; i++) {
		int64_t out = db_cell_int(&r, i, 1), amount = shares_monthly_subsidy(out, bps);
		if (amount < 0) {
			st = XYD_INTERNAL;
			break;
		}
		XYD_ASSERT(amount <= out);
		*total_fen += amount;
		st = DB_QUERY(
			db,
			"INSERT INTO interest_subsidy_lines (subsidy_id, loan_id, outstanding_fen, amount_fen)"
			" VALUES (?, ?, ?, ?)",
			NULL, DB_INT(subsidy_id), DB_INT(db_cell_int(&r, i, 0)), DB_INT(out),
			DB_INT(amount));
	}
	db_result_release(&r);
	return st;
}

#define SUBSIDY_BY_ID                                                                              \
	"SELECT " REC_COLUMNS(MODELS_SUBSIDY_FIELDS) " FROM interest_subsidies WHERE id = ?"

/* The programme's subsidy rate; XYD_NOT_FOUND for none, or
 * XYD_VALIDATION_FAILED when period is after the district's month. */
static xyd_status subsidy_rate(models_db *db, int64_t program_id, const char *period, int *bps,
			       loans_bad_field *bad)
{
	char today[11];
	int64_t rate = 0;
	xyd_status st = DB_QUERY_INT(db, "SELECT interest_subsidy_bps FROM programs WHERE id = ?",
				     &rate, DB_INT(program_id));
	*bps = (int)rate;
	if (st != XYD_OK || (st = db_district_today(db, today)) != XYD_OK)
		return st;
	if (strncmp(period, today, 7) > 0) {
		*bad = LOANS_BAD_PERIOD;
		return XYD_VALIDATION_FAILED;
	}
	return XYD_OK;
}

xyd_status models_subsidy_pay_tx(models_db *db, const loans_actor *who, int64_t program_id,
				 const char *period, models_subsidy *out, loans_bad_field *bad)
{
	int bps = 0, loans = 0;
	int64_t total = 0, journal = 0, budget = 0, payable = 0;
	uint64_t id = 0;
	*bad = LOANS_BAD_NONE;
	memset(out, 0, sizeof *out);
	xyd_status st = subsidy_rate(db, program_id, period, &bps, bad);
	if (st != XYD_OK)
		return st;
	if ((st = db_run(
		     db,
		     "INSERT INTO interest_subsidies (program_id, period, subsidy_bps, loans, total_fen,"
		     " created_by) VALUES (?, ?, ?, 0, 0, ?)",
		     (const db_param[]){DB_INT(program_id), db_str(period), DB_INT(bps),
					DB_INT(who->user_id)},
		     4, NULL, NULL, &id)) != XYD_OK ||
	    (st = subsidy_lines(db, (int64_t)id, program_id, period, bps, &total, &loans)) !=
		    XYD_OK)
		return st; /* XYD_CONFLICT: the month was paid */
	XYD_ASSERT(total >= 0 && loans >= 0);
	XYD_ASSERT(total == 0 || loans > 0);
	if (total > 0) {
		ledger_postings ps = {0};
		const ledger_entry e = {.kind = "program.subsidy",
					.memo = period,
					.ref_type = "subsidy",
					.ref_id = (int64_t)id,
					.created_by = who->user_id};
		if ((st = ledger_account_id(db, LEDGER_BUREAU_BUDGET, 0, 0, 0, &budget)) !=
			    XYD_OK ||
		    (st = ledger_account_id(db, LEDGER_SUBSIDY_PAYABLE, 0, 0, program_id,
					    &payable)) != XYD_OK)
			return st;
		ledger_postings_add(&ps, budget, -total);
		ledger_postings_add(&ps, payable, total);
		if ((st = ledger_post(db, &e, &ps, &journal, NULL)) != XYD_OK)
			return st;
	}
	if ((st = DB_QUERY(
		     db,
		     "UPDATE interest_subsidies SET loans = ?, total_fen = ?, journal_id = ? WHERE id = ?",
		     NULL, DB_INT(loans), DB_INT(total), db_opt_int(journal != 0, journal),
		     DB_INT(id))) != XYD_OK ||
	    (st = audit_write(db, who, "program.subsidy", "program", program_id, period)) != XYD_OK)
		return st;
	return read_written(db, SUBSIDY_BY_ID, models_subsidy_rec(), (int64_t)id, out);
}

/* ---- funds ---- */

xyd_status models_fund_deposit_tx(models_db *db, const loans_actor *who, int64_t fund_id,
				  int64_t amount_fen, const char *memo, int64_t *journal_id)
{
	int64_t budget = 0, cash = 0;
	ledger_postings ps = {0};
	char detail[64];
	xyd_status st = DB_QUERY_INT(db, "SELECT 1 FROM funds WHERE id = ?", NULL, DB_INT(fund_id));
	if (st != XYD_OK)
		return st;
	XYD_ASSERT(amount_fen >= 1 &&
		   amount_fen <= SHARES_AMOUNT_MAX_FEN); /* the callers' bounds */
	if ((st = ledger_account_id(db, LEDGER_BUREAU_BUDGET, 0, 0, 0, &budget)) != XYD_OK ||
	    (st = ledger_account_id(db, LEDGER_FUND_CASH, fund_id, 0, 0, &cash)) != XYD_OK)
		return st;
	ledger_postings_add(&ps, budget, -amount_fen);
	ledger_postings_add(&ps, cash, amount_fen);
	const ledger_entry e = {.kind = "fund.deposit",
				.memo = memo,
				.ref_type = "fund",
				.ref_id = fund_id,
				.created_by = who->user_id};
	if ((st = ledger_post(db, &e, &ps, journal_id, NULL)) != XYD_OK)
		return st;
	snprintf(detail, sizeof detail, "amount_fen=%lld", (long long)amount_fen);
	return audit_write(db, who, "fund.deposit", "fund", fund_id, detail);
}

xyd_status models_fund_deposit_reverse_tx(models_db *db, const loans_actor *who, int64_t journal_id,
					  const char *reason, int64_t *reversal_id)
{
	int64_t fund_id = 0;
	char detail[64];
	xyd_status st = ledger_reverse(db, journal_id, "fund.deposit", reason, who->user_id,
				       reversal_id, &fund_id);
	if (st != XYD_OK)
		return st;
	snprintf(detail, sizeof detail, "journal_id=%lld", (long long)journal_id);
	return audit_write(db, who, "fund.deposit.reverse", "fund", fund_id, detail);
}

/* Sign times the sum of the fund's cash postings in journals of kinds. */
#define LOANS_FUND_SUM_SQL(sign, kinds)                                                            \
	"CAST(COALESCE(" sign "SUM(CASE WHEN j.kind IN (" kinds ") THEN p.amount_fen END), 0)"     \
	" AS SIGNED)"
/* The fund's part of the outstanding of the open loans of its programmes. */
#define LOANS_FUND_EXPOSURE_SQL                                                                    \
	"(SELECT CAST(COALESCE(SUM(CAST(l.outstanding_fen AS DECIMAL(30,0)) * l.fund_bps"          \
	" DIV 10000), 0) AS SIGNED) FROM loans l JOIN programs g ON g.id = l.program_id"           \
	" WHERE g.fund_id = f.id AND l.status IN ('performing','overdue'))"
#define FUND_SELECT                                                                                                          \
	"SELECT " REC_COLUMNS(                                                                                               \
		MODELS_FUND_VIEW_FIELDS) " FROM funds f JOIN ledger_accounts a ON a.kind = 'fund_cash' AND a.fund_id = f.id" \
					 " LEFT JOIN ledger_postings p ON p.account_id = a.id"                               \
					 " LEFT JOIN ledger_journals j ON j.id = p.journal_id "

/* Up to max records of statement sql (parameters: the fund's id, then
 * max for its LIMIT) into dst, a fixed array; *n how many. */
static xyd_status fund_rows(models_db *db, const char *sql, int64_t fund_id, const rec_type *t,
			    size_t max, void *dst, size_t *n)
{
	void *rows;
	xyd_status st = db_get_all(db, sql, DB_PARAMS(DB_INT(fund_id), DB_INT(max)), t, max, &rows,
				   n);
	if (st == XYD_OK)
		memcpy(dst, rows, *n * t->size);
	free(rows);
	return st;
}

static xyd_status fund_programs(models_db *db, models_fund_view *v)
{
	xyd_status st = fund_rows(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_FUND_PROGRAM_FIELDS) " FROM programs g"
						    " WHERE g.fund_id = ? ORDER BY g.id LIMIT ?",
		v->id, models_fund_program_rec(), LOANS_FUND_PROGRAMS_MAX, v->programs,
		&v->n_programs);
	for (size_t i = 0; st == XYD_OK && i < v->n_programs; i++) {
		models_fund_program *p = &v->programs[i];
		p->annual_cap_fen = shares_mul_div_floor(
			p->disbursed_principal_fen, v->annual_claims_cap_bps, SHARES_BPS_WHOLE);
		p->cap_remaining_fen = p->annual_cap_fen > p->claims_paid_this_year_fen
					       ? p->annual_cap_fen - p->claims_paid_this_year_fen
					       : 0;
		XYD_ASSERT(p->cap_remaining_fen >= 0 && p->cap_remaining_fen <= p->annual_cap_fen);
	}
	return st;
}

static xyd_status fund_suspensions(models_db *db, models_fund_view *v)
{
	return fund_rows(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_SUSPENSION_FIELDS) " FROM program_bank_suspensions s"
						  " JOIN programs g ON g.id = s.program_id JOIN institutions i ON i.id = s.institution_id"
						  " WHERE g.fund_id = ? AND s.lifted_at IS NULL ORDER BY s.id LIMIT ?",
		v->id, models_suspension_rec(), LOANS_SUSPENSIONS_MAX, v->suspensions,
		&v->n_suspensions);
}

xyd_status models_fund_view_get(models_db *db, int64_t fund_id, models_fund_view *out)
{
	xyd_status st = DB_GET_ONE(db, FUND_SELECT "WHERE f.id = ? GROUP BY f.id, a.id",
				   models_fund_view_rec(), out, DB_INT(fund_id));
	if (st == XYD_OK && (st = fund_programs(db, out)) == XYD_OK)
		st = fund_suspensions(db, out);
	return st;
}

xyd_status models_fund_view_list(models_db *db, int64_t after_id, int limit,
				 models_fund_view **rows, size_t *count, bool *more)
{
	return db_get_page(db,
			   FUND_SELECT "WHERE f.id > ? GROUP BY f.id, a.id ORDER BY f.id LIMIT ?",
			   DB_PARAMS(DB_INT(after_id)), models_fund_view_rec(), limit,
			   (void **)rows, count, more);
}

void models_fund_stress(const models_fund_view *v, int default_rate_bps,
			models_fund_stress_result *out)
{
	memset(out, 0, sizeof *out);
	out->default_rate_bps = default_rate_bps;
	for (size_t i = 0; i < v->n_programs; i++) {
		const models_fund_program *p = &v->programs[i];
		int64_t loss = shares_mul_div_floor(p->exposure_fen, default_rate_bps,
						    SHARES_BPS_WHOLE);
		out->stressed_loss_fen += loss;
		out->payable_fen += loss < p->cap_remaining_fen ? loss : p->cap_remaining_fen;
	}
	out->would_pay_fen = out->payable_fen < v->balance_fen ? out->payable_fen : v->balance_fen;
	out->balance_after_fen = v->balance_fen - out->would_pay_fen;
	out->shortfall_fen = out->payable_fen - out->would_pay_fen;
	out->capped_fen = out->stressed_loss_fen - out->payable_fen;
	/* a fund pays no more than it holds (ck_ledger_accounts_fund_cash: >= 0) */
	XYD_ASSERT(v->balance_fen >= 0 && out->balance_after_fen >= 0);
	XYD_ASSERT(out->shortfall_fen >= 0 && out->capped_fen >= 0);
}

typedef struct {
	const loans_actor *who;
	int64_t fund_id;
	int cap_bps, suspension_bps;
} limits_ctx;

static xyd_status limits_body(models_db *db, void *arg, bool *commit_anyway)
{
	limits_ctx *c = arg;
	char detail[80];
	(void)commit_anyway;
	xyd_status st = DB_QUERY_INT(db, "SELECT 1 FROM funds WHERE id = ? FOR UPDATE", NULL,
				     DB_INT(c->fund_id));
	if (st != XYD_OK ||
	    (st = DB_QUERY(
		     db,
		     "UPDATE funds SET annual_claims_cap_bps = IF(? < 0, annual_claims_cap_bps, ?),"
		     " overdue_suspension_bps = IF(? < 0, overdue_suspension_bps, ?) WHERE id = ?",
		     NULL, DB_INT(c->cap_bps), DB_INT(c->cap_bps), DB_INT(c->suspension_bps),
		     DB_INT(c->suspension_bps), DB_INT(c->fund_id))) != XYD_OK)
		return st;
	snprintf(detail, sizeof detail, "annual_claims_cap_bps=%d overdue_suspension_bps=%d",
		 c->cap_bps, c->suspension_bps);
	return audit_write(db, c->who, "fund.limits", "fund", c->fund_id, detail);
}

xyd_status models_fund_limits_set(models_db *db, const loans_actor *who, int64_t fund_id,
				  int annual_claims_cap_bps, int overdue_suspension_bps)
{
	limits_ctx c = {who, fund_id, annual_claims_cap_bps, overdue_suspension_bps};
	return db_transaction(db, limits_body, &c);
}

xyd_status models_program_guarantor_set_tx(models_db *db, const loans_actor *who,
					   int64_t program_id, int64_t institution_id)
{
	char detail[48];
	xyd_status st = DB_QUERY_INT(db, "SELECT 1 FROM programs WHERE id = ?", NULL,
				     DB_INT(program_id));
	if (st != XYD_OK)
		return st;
	st = DB_QUERY_INT(db, "SELECT 1 FROM institutions WHERE id = ? AND kind = 'guarantor'",
			  NULL, DB_INT(institution_id));
	if (st != XYD_OK)
		return st == XYD_NOT_FOUND ? XYD_VALIDATION_FAILED : st;
	if ((st = DB_QUERY(db, "UPDATE programs SET guarantor_institution_id = ? WHERE id = ?",
			   NULL, DB_INT(institution_id), DB_INT(program_id))) != XYD_OK)
		return st;
	snprintf(detail, sizeof detail, "institution_id=%lld", (long long)institution_id);
	return audit_write(db, who, "program.guarantor", "program", program_id, detail);
}

/* ---- suspensions ---- */

xyd_status models_suspension_for_product(models_db *db, int64_t product_id, int64_t institution_id,
					 bool *suspended)
{
	db_result r;
	xyd_status st = DB_QUERY(
		db,
		"SELECT 1 FROM products p JOIN program_bank_suspensions s ON s.program_id = p.program_id"
		" WHERE p.id = ? AND s.institution_id = ? AND s.lifted_at IS NULL",
		&r, DB_INT(product_id), DB_INT(institution_id));
	if (st != XYD_OK)
		return st;
	*suspended = r.nrows > 0;
	db_result_release(&r);
	return XYD_OK;
}

xyd_status models_suspension_lift_tx(models_db *db, const loans_actor *who, int64_t program_id,
				     int64_t institution_id, const char *reason)
{
	uint64_t affected = 0;
	char detail[48];
	xyd_status st = db_run(
		db,
		"UPDATE program_bank_suspensions SET lifted_at = UTC_TIMESTAMP(6), lifted_by = ?,"
		" lift_reason = ? WHERE program_id = ? AND institution_id = ? AND lifted_at IS NULL",
		(const db_param[]){DB_INT(who->user_id), db_str(reason), DB_INT(program_id),
				   DB_INT(institution_id)},
		4, NULL, &affected, NULL);
	if (st != XYD_OK)
		return st;
	if (affected == 0)
		return XYD_NOT_FOUND;
	snprintf(detail, sizeof detail, "institution_id=%lld", (long long)institution_id);
	return audit_write(db, who, "suspension.lift", "program", program_id, detail);
}
