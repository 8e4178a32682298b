/*
 * The demo district's money (see demo_ledger.h): a script of movements
 * over the demo's loans, each one a call of models/loans.h inside one
 * transaction, audited as the bureau's or the lending bank's user.
 */
#include "models/demo_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/loans.h"

#define DEMO_LOANS_MAX 8

/* The demo's actors and loans. */
typedef struct {
	int64_t bureau;			    /* the bureau's user */
	int64_t fund;			    /* 东方美谷贷's fund */
	int64_t program;		    /* 东方美谷贷 */
	int64_t in_program[DEMO_LOANS_MAX]; /* its loans, oldest first */
	size_t n_in;
	int64_t outside[DEMO_LOANS_MAX]; /* loans outside any programme */
	size_t n_out;
	char today[11];
	models_audit audit;
} demo_money;

/* An actor: the bureau, or the first user of the loan's bank. */
static xyd_status actor(models_db *db, demo_money *d, int64_t loan, loans_actor *who)
{
	int64_t user = d->bureau;
	if (loan) {
		xyd_status st = DB_QUERY_INT(
			db,
			"SELECT MIN(u.id) FROM loans l JOIN users u"
			" ON u.institution_id = l.institution_id WHERE l.id = ?",
			&user, DB_INT(loan));
		if (st != XYD_OK)
			return st;
		if (!user)
			user = d->bureau; /* a bank without users: entered by the bureau */
	}
	memset(&d->audit, 0, sizeof d->audit);
	d->audit.actor_id = user;
	d->audit.role = user == d->bureau ? "bureau" : "bank";
	d->audit.ip = "";
	d->audit.request_id = "demo";
	d->audit.status = 201;
	*who = (loans_actor){{APP_SEE_ALL, 0}, user, &d->audit};
	return XYD_OK;
}

static size_t ids_into(const db_result *r, int64_t *ids)
{
	size_t n = r->nrows < DEMO_LOANS_MAX ? r->nrows : DEMO_LOANS_MAX;
	for (size_t i = 0; i < n; i++)
		ids[i] = db_cell_int(r, i, 0);
	return n;
}

#define DEMO_HOME_FIELDS(X)                                                                        \
	X(I64, bureau, 0, "(SELECT id FROM users WHERE username = 'bureau')")                      \
	X(I64, program, 0, "g.id")                                                                 \
	X(I64, fund, 0, "g.fund_id")                                                               \
	X(TEXT, today, 11, DB_DISTRICT_TODAY)
typedef struct {
	DEMO_HOME_FIELDS(REC_MEMBER)
} demo_home;
static REC_TYPE_DEFINE(demo_home, DEMO_HOME_FIELDS)

	/* Finds the bureau, 东方美谷贷 with its fund, the loans, and names the
 * district's guarantor as the programme's. */
	static xyd_status find(models_db *db, demo_money *d)
{
	db_result r;
	demo_home h;
	xyd_status st = db_get_one(
		db,
		"SELECT " REC_COLUMNS(
			DEMO_HOME_FIELDS) " FROM programs g WHERE g.name = '东方美谷贷' AND g.fund_id IS NOT NULL",
		NULL, 0, demo_home_rec(), &h);
	if (st != XYD_OK)
		return st == XYD_NOT_FOUND ? XYD_OK : st;
	d->bureau = h.bureau;
	d->program = h.program;
	d->fund = h.fund;
	memcpy(d->today, h.today, sizeof d->today);
	if (!d->program || !d->bureau)
		return XYD_OK;
	if ((st = DB_QUERY(
		     db,
		     "UPDATE programs SET guarantor_institution_id = (SELECT MIN(id) FROM institutions"
		     " WHERE kind = 'guarantor') WHERE id = ?",
		     NULL, DB_INT(d->program))) != XYD_OK ||
	    (st = DB_QUERY(db, "SELECT id FROM loans WHERE program_id = ? ORDER BY id", &r,
			   DB_INT(d->program))) != XYD_OK)
		return st;
	d->n_in = ids_into(&r, d->in_program);
	db_result_release(&r);
	if ((st = DB_QUERY(db,
			   "SELECT id FROM loans WHERE program_id IS NULL AND ? = 1 ORDER BY id",
			   &r, DB_INT(1))) != XYD_OK)
		return st;
	d->n_out = ids_into(&r, d->outside);
	db_result_release(&r);
	return XYD_OK;
}

static xyd_status deposit(models_db *db, demo_money *d, int64_t amount_fen, const char *memo)
{
	loans_actor who;
	int64_t journal;
	XYD_ASSERT(amount_fen >= 1);
	xyd_status st = actor(db, d, 0, &who);
	return st == XYD_OK ? models_fund_deposit_tx(db, &who, d->fund, amount_fen, memo, &journal)
			    : st;
}

static xyd_status repay(models_db *db, demo_money *d, int64_t loan, int64_t amount_fen)
{
	loans_actor who;
	models_repayment p;
	loans_bad_field bad;
	xyd_status st = actor(db, d, loan, &who);
	return st == XYD_OK ? models_loan_repay_tx(db, &who, loan, amount_fen, d->today, &p, &bad)
			    : st;
}

/* The loan's outstanding and programme (0: none); zeroes for no loan. */
static xyd_status loan_state(models_db *db, int64_t loan, int64_t *fen, int64_t *program)
{
	const models_app_scope all = {APP_SEE_ALL, 0};
	models_loan l = {0};
	xyd_status st = models_loan_get(db, loan, &all, &l);
	*fen = l.outstanding_fen;
	*program = l.program_id;
	return st == XYD_NOT_FOUND ? XYD_OK : st;
}

/* Repays 1/parts of the loan's outstanding (all of it for parts 1). */
static xyd_status repay_part(models_db *db, demo_money *d, int64_t loan, int parts)
{
	int64_t left = 0, program;
	XYD_ASSERT(parts >= 1);
	xyd_status st = loan_state(db, loan, &left, &program);
	XYD_ASSERT(left >= 0); /* ck_loans_outstanding: so 0 < left / parts <= left */
	return st == XYD_OK && left / parts > 0 ? repay(db, d, loan, left / parts) : st;
}

/* A loss of want_fen on the loan, cut to its outstanding and to what the
 * fund's annual cap still allows for the programme (0: none). */
static xyd_status loss_within_cap(models_db *db, demo_money *d, int64_t loan, int64_t want_fen,
				  int64_t *loss_fen)
{
	models_fund_view *v = xmalloc(sizeof *v);
	int64_t left = 0, program = 0;
	xyd_status st = models_fund_view_get(db, d->fund, v);
	if (st == XYD_OK)
		st = loan_state(db, loan, &left, &program);
	*loss_fen = want_fen < left ? want_fen : left;
	for (size_t i = 0; st == XYD_OK && program == d->program && i < v->n_programs; i++) {
		/* the fund's share is 40% of a loss: at most cap_remaining / 0.4 */
		int64_t most = v->programs[i].cap_remaining_fen / 4 * 10;
		XYD_ASSERT(most >= 0);
		if (v->programs[i].program_id == d->program && most < *loss_fen)
			*loss_fen = most;
	}
	free(v);
	XYD_ASSERT(*loss_fen <= left); /* a claim never passes the defaulted outstanding */
	return st;
}

static xyd_status overdue(models_db *db, demo_money *d, int64_t loan, int days)
{
	loans_actor who;
	models_loan l;
	loans_bad_field bad;
	bool suspended;
	xyd_status st = actor(db, d, loan, &who);
	return st == XYD_OK ? models_loan_default_tx(db, &who, loan, days, d->today, &l, &suspended,
						     &bad)
			    : st;
}

/* Files a claim of loss_fen on a defaulted loan; the bureau then pays it
 * (pay), rejects it with reason, or leaves it filed (neither). */
static xyd_status claim(models_db *db, demo_money *d, int64_t loan, int64_t want_fen, bool pay,
			const char *reason, int64_t *claim_id)
{
	loans_actor who;
	models_claim c;
	loans_bad_field bad;
	int64_t loss = 0;
	*claim_id = 0;
	xyd_status st = loss_within_cap(db, d, loan, want_fen, &loss);
	if (st != XYD_OK || loss < 1)
		return st;
	if ((st = actor(db, d, loan, &who)) != XYD_OK ||
	    (st = models_claim_file_tx(db, &who, loan, loss, &c, &bad)) != XYD_OK)
		return st;
	XYD_ASSERT(c.loss_fen == loss &&
		   c.fund_share_fen + c.guarantor_share_fen + c.bank_share_fen == loss);
	*claim_id = c.id;
	if (!pay && !reason)
		return XYD_OK;
	if ((st = actor(db, d, 0, &who)) != XYD_OK)
		return st;
	return pay ? models_claim_approve_tx(db, &who, c.id, &c)
		   : models_claim_reject_tx(db, &who, c.id, reason, &c);
}

/* Recovers 1/parts of the claim's loss. */
static xyd_status recover(models_db *db, demo_money *d, int64_t loan, int64_t claim_id, int parts)
{
	loans_actor who;
	models_claim c;
	models_recovery v;
	loans_bad_field bad;
	const models_app_scope all = {APP_SEE_ALL, 0};
	XYD_ASSERT(parts >= 1);
	if (!claim_id)
		return XYD_OK; /* no claim was filed (no room under the cap) */
	xyd_status st = models_claim_get(db, &all, claim_id, &c);
	if (st != XYD_OK || c.loss_fen / parts < 1 || (st = actor(db, d, loan, &who)) != XYD_OK)
		return st;
	return models_recovery_tx(db, &who, claim_id, c.loss_fen / parts, &v, &bad);
}

/* 东方美谷贷: the fund filled in two deposits; the newest loan performing
 * with a repayment; the next overdue (which suspends its bank, lifted by
 * the bureau after review); the two oldest defaulted, each with a paid
 * claim and a recovery, the oldest also with an earlier rejected claim;
 * the month's interest subsidy. Claims stay within the fund's annual cap. */
static xyd_status program_money(models_db *db, demo_money *d)
{
	int64_t a = 0, b = 0, rejected = 0;
	loans_actor who;
	models_subsidy s;
	loans_bad_field bad;
	char period[8];
	xyd_status st;
	if ((st = deposit(db, d, 50000000, "区财政首期注资")) != XYD_OK ||
	    (st = deposit(db, d, 30000000, "区财政追加注资")) != XYD_OK || d->n_in < 4)
		return st;
	const int64_t *l = d->in_program;
	if ((st = repay_part(db, d, l[3], 10)) != XYD_OK ||
	    (st = overdue(db, d, l[2], 35)) != XYD_OK ||
	    (st = overdue(db, d, l[1], 120)) != XYD_OK ||
	    (st = overdue(db, d, l[0], 150)) != XYD_OK ||
	    (st = claim(db, d, l[1], 10000000, true, NULL, &a)) != XYD_OK ||
	    (st = recover(db, d, l[1], a, 4)) != XYD_OK || /* a quarter of the loss back */
	    (st = claim(db, d, l[0], 20000000, false, "抵押物处置所得未从损失中扣除，请重新申报",
			&rejected)) != XYD_OK ||
	    (st = claim(db, d, l[0], 8000000, true, NULL, &b)) != XYD_OK ||
	    (st = recover(db, d, l[0], b, 8)) != XYD_OK || (st = actor(db, d, 0, &who)) != XYD_OK)
		return st;
	snprintf(period, sizeof period, "%.7s", d->today);
	if ((st = models_subsidy_pay_tx(db, &who, d->program, period, &s, &bad)) != XYD_OK)
		return st;
	/* The overdue and defaulted loans passed the fund's threshold: the
	 * bureau reviewed the bank's plan and lifted the suspension. */
	db_result r;
	if ((st = DB_QUERY(
		     db,
		     "SELECT DISTINCT institution_id FROM program_bank_suspensions WHERE program_id = ?",
		     &r, DB_INT(d->program))) != XYD_OK)
		return st;
	for (size_t i = 0; i < r.nrows && st == XYD_OK; i++)
		st = models_suspension_lift_tx(db, &who, d->program, db_cell_int(&r, i, 0),
					       "银行已提交逾期整改方案，经审核恢复放款");
	db_result_release(&r);
	return st;
}

/* Outside any programme: one loan repaid in two parts, one overdue, one
 * defaulted with a claim the bureau has yet to decide (the bank bears it
 * all: no fund shares outside a programme). */
static xyd_status outside_money(models_db *db, demo_money *d)
{
	int64_t c = 0;
	xyd_status st = XYD_OK;
	if (d->n_out >= 1 && ((st = repay_part(db, d, d->outside[0], 3)) != XYD_OK ||
			      (st = repay_part(db, d, d->outside[0], 1)) != XYD_OK))
		return st;
	if (d->n_out >= 2 && (st = overdue(db, d, d->outside[1], 20)) != XYD_OK)
		return st;
	if (d->n_out >= 3 &&
	    ((st = overdue(db, d, d->outside[2], 95)) != XYD_OK ||
	     (st = claim(db, d, d->outside[2], 5000000, false, NULL, &c)) != XYD_OK))
		return st;
	return XYD_OK;
}

xyd_status models_demo_load_ledger(models_db *db)
{
	demo_money d;
	memset(&d, 0, sizeof d);
	xyd_status st = db_begin(db);
	if (st != XYD_OK)
		return st;
	st = find(db, &d);
	if (st == XYD_OK && d.program)
		st = program_money(db, &d);
	if (st == XYD_OK && d.program)
		st = outside_money(db, &d);
	if (st == XYD_OK)
		return db_commit(db);
	log_msg(LOG_ERROR, "demo ledger: a movement was refused (status %d)", (int)st);
	db_rollback(db);
	return st;
}
