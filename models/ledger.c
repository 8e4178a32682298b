/*
 * The double-entry ledger (see ledger.h): ordered locking, the zero-sum and
 * non-negative-fund invariants, append-only postings, and the check that
 * recomputes every balance from the postings.
 */
#include "models/ledger.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

static const char *const kind_names[LEDGER_KIND_COUNT] = {
	[LEDGER_FUND_CASH] = "fund_cash",
	[LEDGER_BUREAU_BUDGET] = "bureau_budget",
	[LEDGER_INSTITUTION_CLAIM_RECEIVABLE] = "institution_claim_receivable",
	[LEDGER_INSTITUTION_LOSS] = "institution_loss",
	[LEDGER_GUARANTOR_SHARE] = "guarantor_share",
	[LEDGER_SUBSIDY_PAYABLE] = "subsidy_payable",
};

const char *ledger_account_kind_name(ledger_account_kind k)
{
	return (unsigned)k < LEDGER_KIND_COUNT ? kind_names[k] : "unknown";
}

/* ---- accounts ---- */

xyd_status ledger_account_id(models_db *db, ledger_account_kind k, int64_t fund, int64_t inst,
			     int64_t prog, int64_t *id)
{
	XYD_ASSERT((unsigned)k < LEDGER_KIND_COUNT);
	db_param p[] = {db_str(kind_names[k]), db_opt_int(fund, fund), db_opt_int(inst, inst),
			db_opt_int(prog, prog)};
	/* A plain read first: an existing account is not locked here, only in
	 * ledger_post's ascending order. */
	*id = 0;
	xyd_status st = db_first_int(
		db,
		"SELECT id FROM ledger_accounts WHERE owner_key = CONCAT(?, ':',"
		" IFNULL(?, 0), ':', IFNULL(?, 0), ':', IFNULL(?, 0))",
		p, 4, id);
	if (st != XYD_NOT_FOUND)
		return st;
	/* Missing (or created after this transaction's snapshot): create it, or
	 * learn the id another transaction gave it. */
	uint64_t new_id = 0;
	st = db_run(db,
		    "INSERT INTO ledger_accounts (kind, fund_id, institution_id, program_id)"
		    " VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)",
		    p, 4, NULL, NULL, &new_id);
	if (st == XYD_OK && new_id == 0)
		st = XYD_INTERNAL;
	*id = (int64_t)new_id;
	return st;
}

/* ---- posting ---- */

void ledger_postings_add(ledger_postings *ps, int64_t account_id, int64_t amount_fen)
{
	XYD_ASSERT(account_id > 0);
	if (amount_fen == 0)
		return;
	for (size_t i = 0; i < ps->n; i++) {
		if (ps->p[i].account_id == account_id) {
			ps->p[i].amount_fen += amount_fen;
			return;
		}
	}
	XYD_ASSERT(ps->n < LEDGER_POSTINGS_MAX);
	ps->p[ps->n++] = (ledger_posting){account_id, amount_fen};
}

static int by_account(const void *a, const void *b)
{
	const ledger_posting *x = a, *y = b;
	return (x->account_id > y->account_id) - (x->account_id < y->account_id);
}

/* The non-zero postings of ps, sorted by account id; their sum must be 0. */
static size_t postings_sorted(const ledger_postings *ps, ledger_posting *out)
{
	size_t n = 0;
	int64_t sum = 0;
	for (size_t i = 0; i < ps->n; i++) {
		if (ps->p[i].amount_fen == 0)
			continue;
		out[n++] = ps->p[i];
		sum += ps->p[i].amount_fen;
	}
	XYD_ASSERT(sum == 0);
	qsort(out, n, sizeof *out, by_account);
	/* one posting per account (ledger_postings_add merges), in the
	 * ascending order lock_accounts takes the locks in */
	for (size_t i = 1; i < n; i++)
		XYD_ASSERT(out[i - 1].account_id < out[i].account_id);
	XYD_ASSERT(n <= ps->n);
	return n;
}

#define LOCKED_ACCOUNT_FIELDS(X)                                                                   \
	X(BOOL, fund, 0, "kind = 'fund_cash'")                                                     \
	X(I64, balance_fen, 0, "balance_fen")
typedef struct {
	LOCKED_ACCOUNT_FIELDS(REC_MEMBER)
} locked_account;
static REC_TYPE_DEFINE(locked_account, LOCKED_ACCOUNT_FIELDS)

	/* Locks every account in ascending id order and checks that no fund's cash
 * goes below zero. */
	static xyd_status
	lock_accounts(models_db *db, const ledger_posting *p, size_t n, int64_t *short_account)
{
	for (size_t i = 0; i < n; i++) {
		locked_account a;
		xyd_status st = DB_GET_ONE(
			db,
			"SELECT " REC_COLUMNS(
				LOCKED_ACCOUNT_FIELDS) " FROM ledger_accounts WHERE id = ? FOR UPDATE",
			locked_account_rec(), &a, DB_INT(p[i].account_id));
		if (st == XYD_NOT_FOUND) {
			log_msg(LOG_ERROR, "ledger account %lld does not exist",
				(long long)p[i].account_id);
			return XYD_INTERNAL;
		}
		if (st != XYD_OK)
			return st;
		XYD_ASSERT(!a.fund || a.balance_fen >= 0); /* ck_ledger_accounts_fund_cash */
		if (a.fund && a.balance_fen + p[i].amount_fen < 0) {
			if (short_account)
				*short_account = p[i].account_id;
			return XYD_INSUFFICIENT_FUNDS;
		}
	}
	return XYD_OK;
}

static xyd_status write_postings(models_db *db, int64_t journal, const ledger_posting *p, size_t n)
{
	xyd_status st = XYD_OK;
	for (size_t i = 0; i < n && st == XYD_OK; i++) {
		st = DB_QUERY(
			db,
			"INSERT INTO ledger_postings (journal_id, account_id, amount_fen) VALUES (?, ?, ?)",
			NULL, DB_INT(journal), DB_INT(p[i].account_id), DB_INT(p[i].amount_fen));
		if (st == XYD_OK)
			st = DB_QUERY(
				db,
				"UPDATE ledger_accounts SET balance_fen = balance_fen + ? WHERE id = ?",
				NULL, DB_INT(p[i].amount_fen), DB_INT(p[i].account_id));
	}
	return st;
}

/* What was stored for journal sums to zero (read back before the caller
 * commits, so a broken write never reaches the books). */
static xyd_status verify_stored(models_db *db, int64_t journal, size_t n)
{
	db_result r;
	xyd_status st = DB_QUERY(
		db,
		"SELECT COUNT(*), COALESCE(SUM(amount_fen), 0) FROM ledger_postings"
		" WHERE journal_id = ?",
		&r, DB_INT(journal));
	if (st != XYD_OK)
		return st;
	XYD_ASSERT(db_cell_int(&r, 0, 0) == (int64_t)n);
	XYD_ASSERT(db_cell_int(&r, 0, 1) == 0);
	db_result_release(&r);
	return XYD_OK;
}

xyd_status ledger_post(models_db *db, const ledger_entry *e, const ledger_postings *ps,
		       int64_t *journal_id, int64_t *short_account)
{
	ledger_posting sorted[LEDGER_POSTINGS_MAX];
	*journal_id = 0;
	XYD_ASSERT(ps->n <= LEDGER_POSTINGS_MAX);
	size_t n = postings_sorted(ps, sorted);
	if (n == 0) {
		log_msg(LOG_ERROR, "ledger entry %s has no postings", e->kind);
		return XYD_INTERNAL;
	}
	xyd_status st = lock_accounts(db, sorted, n, short_account);
	if (st != XYD_OK)
		return st;
	uint64_t id = 0;
	st = db_run(db,
		    "INSERT INTO ledger_journals (kind, memo, ref_type, ref_id, created_by,"
		    " reverses_journal_id) VALUES (?, ?, ?, ?, ?, ?)",
		    (const db_param[]){
			    db_str(e->kind), db_str(e->memo ? e->memo : ""), db_str(e->ref_type),
			    db_opt_int(e->ref_type != NULL, e->ref_id), DB_INT(e->created_by),
			    db_opt_int(e->reverses_journal_id > 0, e->reverses_journal_id)},
		    6, NULL, NULL, &id);
	if (st != XYD_OK)
		return st;
	if ((st = write_postings(db, (int64_t)id, sorted, n)) != XYD_OK ||
	    (st = verify_stored(db, (int64_t)id, n)) != XYD_OK)
		return st;
	*journal_id = (int64_t)id;
	return XYD_OK;
}

#define REVERSAL_SOURCE_FIELDS(X)                                                                  \
	X(TEXT, kind, 24, "j.kind")                                                                \
	X(TEXT, ref_type, 33, "COALESCE(j.ref_type, '')")                                          \
	X(I64, ref_id, 0, "COALESCE(j.ref_id, 0)")                                                 \
	X(BOOL, reversed, 0,                                                                       \
	  "EXISTS (SELECT 1 FROM ledger_journals x WHERE x.reverses_journal_id = j.id)")
typedef struct {
	REVERSAL_SOURCE_FIELDS(REC_MEMBER)
} reversal_source;
static REC_TYPE_DEFINE(reversal_source, REVERSAL_SOURCE_FIELDS)

	xyd_status
	ledger_reverse(models_db *db, int64_t journal_id, const char *only_kind, const char *memo,
		       int64_t created_by, int64_t *reversal_id, int64_t *ref_id)
{
	reversal_source src; /* reversed: a reversal of it exists */
	ledger_postings ps = {0};
	db_result r;
	*reversal_id = 0;
	/* The entry, locked so that two reversals of it queue. */
	xyd_status st = DB_GET_ONE(
		db,
		"SELECT " REC_COLUMNS(
			REVERSAL_SOURCE_FIELDS) " FROM ledger_journals j WHERE j.id = ? FOR UPDATE",
		reversal_source_rec(), &src, DB_INT(journal_id));
	if (st != XYD_OK)
		return st;
	if (strcmp(src.kind, only_kind) != 0)
		return XYD_INVALID_STATE;
	if (src.reversed)
		return XYD_CONFLICT;
	if ((st = DB_QUERY(
		     db, "SELECT account_id, amount_fen FROM ledger_postings WHERE journal_id = ?",
		     &r, DB_INT(journal_id))) != XYD_OK)
		return st;
	XYD_ASSERT(r.nrows >= 2 && r.nrows <= LEDGER_POSTINGS_MAX); /* as ledger_post wrote it */
	for (size_t i = 0; i < r.nrows; i++)
		ledger_postings_add(&ps, db_cell_int(&r, i, 0), -db_cell_int(&r, i, 1));
	XYD_ASSERT(ps.n == r.nrows); /* one posting per account, so none merged */
	db_result_release(&r);
	const ledger_entry e = {.kind = "reversal",
				.memo = memo,
				.ref_type = src.ref_type[0] ? src.ref_type : NULL,
				.ref_id = src.ref_id,
				.created_by = created_by,
				.reverses_journal_id = journal_id};
	if (ref_id)
		*ref_id = src.ref_id;
	return ledger_post(db, &e, &ps, reversal_id, NULL);
}

/* ---- reading ---- */

REC_TYPE_DEFINE(ledger_account, LEDGER_ACCOUNT_FIELDS)
REC_TYPE_DEFINE(ledger_posting_row, LEDGER_POSTING_ROW_FIELDS)
REC_TYPE_DEFINE(ledger_journal, LEDGER_JOURNAL_FIELDS)

xyd_status ledger_account_list(models_db *db, int64_t after_id, int limit, ledger_account **rows,
			       size_t *count, bool *more)
{
	xyd_status st = db_get_page(
		db,
		"SELECT " REC_COLUMNS(
			LEDGER_ACCOUNT_FIELDS) " FROM ledger_accounts a"
					       " LEFT JOIN funds f ON f.id = a.fund_id"
					       " LEFT JOIN institutions i ON i.id = a.institution_id"
					       " LEFT JOIN programs g ON g.id = a.program_id"
					       " WHERE a.id > ? ORDER BY a.id LIMIT ?",
		DB_PARAMS(DB_INT(after_id)), ledger_account_rec(), limit, (void **)rows, count,
		more);
	if (st != XYD_OK) {
		free(*rows);
		*rows = NULL;
	}
	return st;
}

/* Hands each journal of rows[0..n) its postings (ids from rows[n-1].id to
 * rows[0].id). */
static xyd_status attach_postings(models_db *db, ledger_journal *rows, size_t n)
{
	ledger_posting_row *ps;
	size_t np;
	xyd_status st = db_get_all(
		db,
		"SELECT " REC_COLUMNS(
			LEDGER_POSTING_ROW_FIELDS) " FROM ledger_postings p"
						   " JOIN ledger_accounts a ON a.id = p.account_id"
						   " WHERE p.journal_id BETWEEN ? AND ? ORDER BY p.journal_id DESC, p.id",
		DB_PARAMS(DB_INT(rows[n - 1].id), DB_INT(rows[0].id)), ledger_posting_row_rec(),
		SIZE_MAX, (void **)&ps, &np);
	size_t j = 0;
	for (size_t i = 0; st == XYD_OK && i < np; i++) {
		while (j < n && rows[j].id > ps[i].journal_id)
			j++;
		if (j == n)
			break;
		if (rows[j].id != ps[i].journal_id)
			continue; /* an entry of another kind between two of the page */
		ledger_journal *e = &rows[j];
		e->postings = xrealloc(e->postings, (e->n_postings + 1) * sizeof *e->postings);
		e->postings[e->n_postings++] = ps[i];
	}
	free(ps);
	return st;
}

xyd_status ledger_journal_list(models_db *db, const char *kind, int64_t before_id, int limit,
			       ledger_journal **rows, size_t *count, bool *more)
{
	xyd_status st = db_get_page(
		db,
		"SELECT " REC_COLUMNS(
			LEDGER_JOURNAL_FIELDS) " FROM ledger_journals"
					       " WHERE (? = 0 OR id < ?) AND (? IS NULL OR kind = ?) ORDER BY id DESC LIMIT ?",
		DB_PARAMS(DB_INT(before_id), DB_INT(before_id), db_str(kind), db_str(kind)),
		ledger_journal_rec(), limit, (void **)rows, count, more);
	if (st == XYD_OK && *count)
		st = attach_postings(db, *rows, *count);
	if (st != XYD_OK) {
		ledger_journals_free(*rows, *count);
		*rows = NULL;
		*count = 0;
		*more = false;
	}
	return st;
}

xyd_status ledger_journal_get(models_db *db, int64_t id, ledger_journal **out)
{
	size_t n = 0;
	bool more;
	*out = NULL;
	/* The newest entry below id + 1 is id itself, when it exists. */
	xyd_status st = ledger_journal_list(db, NULL, id + 1, 1, out, &n, &more);
	if (st == XYD_OK && (n != 1 || (*out)[0].id != id)) {
		ledger_journals_free(*out, n);
		*out = NULL;
		st = XYD_NOT_FOUND;
	}
	return st;
}

void ledger_journals_free(ledger_journal *rows, size_t count)
{
	for (size_t i = 0; rows && i < count; i++)
		free(rows[i].postings);
	free(rows);
}

/* ---- the check ---- */

/* The n integers of a one-row query without parameters into out[0..n). */
static xyd_status row_ints(models_db *db, const char *sql, int64_t *out, size_t n)
{
	db_result r;
	xyd_status st = db_run(db, sql, NULL, 0, &r, NULL, NULL);
	if (st != XYD_OK)
		return st;
	for (size_t i = 0; i < n; i++)
		out[i] = r.nrows == 1 ? db_cell_int(&r, 0, i) : 0;
	db_result_release(&r);
	return XYD_OK;
}

static xyd_status check_body(models_db *db, void *arg, bool *commit_anyway)
{
	ledger_check_result *c = arg;
	int64_t journals[2], postings[2], accounts[4];
	xyd_status st;
	(void)commit_anyway;
	memset(c, 0, sizeof *c);
	/* One transaction: every query reads the same snapshot. */
	if ((st = row_ints(
		     db, /* {count, entries without postings} */
		     "SELECT COUNT(*), COALESCE(SUM(NOT EXISTS (SELECT 1 FROM ledger_postings p"
		     " WHERE p.journal_id = j.id)), 0) FROM ledger_journals j",
		     journals, 2)) != XYD_OK ||
	    (st = row_ints(db, "SELECT COUNT(*), COALESCE(SUM(amount_fen), 0) FROM ledger_postings",
			   postings, 2)) != XYD_OK ||
	    (st = row_ints(
		     db,
		     "SELECT COUNT(*) FROM (SELECT journal_id FROM ledger_postings GROUP BY journal_id"
		     " HAVING SUM(amount_fen) <> 0) x",
		     &c->unbalanced_journals, 1)) != XYD_OK ||
	    /* every account's stored balance against its postings, in one pass:
	     * {count, mismatched, Σ |drift|, negative fund cash} */
	    (st = row_ints(
		     db,
		     "SELECT COUNT(*), COALESCE(SUM(a.balance_fen <> COALESCE(p.s, 0)), 0),"
		     " COALESCE(SUM(ABS(a.balance_fen - COALESCE(p.s, 0))), 0),"
		     " COALESCE(SUM(a.kind = 'fund_cash' AND a.balance_fen < 0), 0) FROM ledger_accounts a"
		     " LEFT JOIN (SELECT account_id, SUM(amount_fen) s FROM ledger_postings"
		     " GROUP BY account_id) p ON p.account_id = a.id",
		     accounts, 4)) != XYD_OK)
		return st;
	c->journals = journals[0];
	c->unbalanced_journals += journals[1]; /* an entry without postings is as wrong */
	c->postings = postings[0];
	c->accounts = accounts[0];
	c->mismatched_accounts = accounts[1];
	c->negative_funds = accounts[3];
	c->imbalance_fen = (postings[1] < 0 ? -postings[1] : postings[1]) + accounts[2];
	c->balanced = c->imbalance_fen == 0 && c->unbalanced_journals == 0 &&
		      c->mismatched_accounts == 0 && c->negative_funds == 0;
	return XYD_OK;
}

xyd_status ledger_check(models_db *db, ledger_check_result *out)
{
	return db_transaction(db, check_body, out);
}
