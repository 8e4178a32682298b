/*
 * The double-entry ledger: accounts with stored balances, journal entries
 * and their postings (migrations/0006_ledger.sql). Every money movement of
 * the district is one ledger_post inside the caller's transaction:
 *
 *   - the accounts it touches are locked in ascending id order (SELECT …
 *     FOR UPDATE), so two movements never wait on each other in a cycle;
 *   - a fund's cash never goes below zero: XYD_INSUFFICIENT_FUNDS, with
 *     nothing written, so the caller's rollback leaves no trace;
 *   - the postings sum to zero, asserted in code before anything is written
 *     and again from the stored rows before the caller commits
 *     (XYD_ASSERT stays on in release builds and aborts the process: a
 *     crash loses the uncommitted transaction, never the books' balance);
 *   - postings are append-only (triggers refuse UPDATE and DELETE).
 *
 * A deadlock inside the caller's transaction comes back as XYD_UNAVAILABLE
 * with db_last_errno 1213, and db_transaction (models/db_internal.h) retries
 * the whole transaction a bounded number of times before the caller
 * answers 503. ledger_check recomputes every balance from the postings.
 */
#ifndef XYD_MODELS_LEDGER_H
#define XYD_MODELS_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/db.h"
#include "models/record.h"

/* Most postings one journal entry may have (a claim payment, the largest today, has four). */
#define LEDGER_POSTINGS_MAX 64
#define LEDGER_MEMO_MAX_CHARS 500

typedef enum {
	LEDGER_FUND_CASH,		     /* owner: fund */
	LEDGER_BUREAU_BUDGET,		     /* the one bureau account */
	LEDGER_INSTITUTION_CLAIM_RECEIVABLE, /* owner: bank; settled losses less recoveries */
	LEDGER_INSTITUTION_LOSS,	     /* owner: bank; its own share of losses */
	LEDGER_GUARANTOR_SHARE, /* owner: guarantor institution, or programme without one */
	LEDGER_SUBSIDY_PAYABLE, /* owner: programme; interest subsidies granted */
	LEDGER_KIND_COUNT
} ledger_account_kind;

/* "fund_cash" … "subsidy_payable". */
const char *ledger_account_kind_name(ledger_account_kind k);

/*
 * The id of the account of kind k, created when missing. Its owner is the
 * one of fund_id, institution_id, program_id that the kind takes (0 for
 * the others): fund_cash a fund; claim_receivable and loss an institution;
 * guarantor_share a guarantor institution or, when the programme names
 * none, the programme; subsidy_payable a programme; bureau_budget none.
 * Takes no lock on an existing account (ledger_post locks in order).
 */
xyd_status ledger_account_id(models_db *db, ledger_account_kind k, int64_t fund_id,
			     int64_t institution_id, int64_t program_id, int64_t *id);

typedef struct {
	int64_t account_id;
	int64_t amount_fen; /* added to the account's balance; never 0 once added */
} ledger_posting;

/* The postings of one entry being built; zero-initialise it. */
typedef struct {
	ledger_posting p[LEDGER_POSTINGS_MAX];
	size_t n;
} ledger_postings;

/* Adds amount_fen to account's posting in ps (merging repeats of one
 * account). An amount of 0 adds nothing. Aborts (XYD_ASSERT) when a new
 * account would pass LEDGER_POSTINGS_MAX: callers size their entries. */
void ledger_postings_add(ledger_postings *ps, int64_t account_id, int64_t amount_fen);

typedef struct {
	const char *kind;     /* "fund.deposit", "claim.pay", "claim.recovery", "program.subsidy" */
	const char *memo;     /* may be NULL */
	const char *ref_type; /* "fund", "claim", "subsidy"; NULL for none */
	int64_t ref_id;
	int64_t created_by;	     /* the user */
	int64_t reverses_journal_id; /* a reversal: the entry it undoes; 0 otherwise */
} ledger_entry;

/*
 * Posts one journal entry with the non-zero postings of ps, inside the
 * caller's open transaction (it commits nothing). Locks the accounts in
 * ascending id order, refuses with XYD_INSUFFICIENT_FUNDS (*short_account
 * names the fund_cash account; may be NULL) when a fund's cash would go
 * below zero, else writes the journal, its postings and the new balances
 * and returns its id in *journal_id. An entry whose postings all cancel is
 * XYD_INTERNAL (callers never build one).
 */
xyd_status ledger_post(models_db *db, const ledger_entry *e, const ledger_postings *ps,
		       int64_t *journal_id, int64_t *short_account);

/*
 * Reverses journal_id, inside the caller's open transaction: one entry of
 * kind "reversal" with every posting negated, naming the entry it undoes.
 * Only an entry of kind only_kind may be reversed, once: XYD_NOT_FOUND for
 * no such entry, XYD_INVALID_STATE for another kind, XYD_CONFLICT when it
 * was reversed already, XYD_INSUFFICIENT_FUNDS (as ledger_post) when a
 * fund has spent the money since. *ref_type / *ref_id (may be NULL) get the
 * original's reference; *reversal_id the new entry's id.
 */
xyd_status ledger_reverse(models_db *db, int64_t journal_id, const char *only_kind,
			  const char *memo, int64_t created_by, int64_t *reversal_id,
			  int64_t *ref_id);

/* ---- reading ---- */

/* kind: ledger_account_kind_name's; fund_id, institution_id, program_id 0
 * where not the owner; owner_name the fund's, institution's or programme's. */
#define LEDGER_ACCOUNT_FIELDS(X)                                                                   \
	X(I64, id, 0, "a.id")                                                                      \
	X(TEXT, kind, 32, "a.kind")                                                                \
	X(ID, fund_id, 0, "a.fund_id")                                                             \
	X(ID, institution_id, 0, "a.institution_id")                                               \
	X(ID, program_id, 0, "a.program_id")                                                       \
	X(OPT_TEXT, owner_name, 801, "COALESCE(f.name, i.name, g.name)")                           \
	X(I64, balance_fen, 0, "a.balance_fen")
typedef struct {
	LEDGER_ACCOUNT_FIELDS(REC_MEMBER)
} ledger_account;
REC_TYPE_DECLARE(ledger_account);

/* Accounts by ascending id after after_id (0: from the first); *rows
 * malloc'd (free()); *more when another page follows. */
xyd_status ledger_account_list(models_db *db, int64_t after_id, int limit, ledger_account **rows,
			       size_t *count, bool *more);

/* One posting of a journal entry as read: account_kind is the account's
 * kind name. */
#define LEDGER_POSTING_ROW_FIELDS(X)                                                               \
	X(I64_INTERNAL, journal_id, 0, "p.journal_id")                                             \
	X(I64, account_id, 0, "p.account_id")                                                      \
	X(TEXT, account_kind, 32, "a.kind")                                                        \
	X(I64, amount_fen, 0, "p.amount_fen")
typedef struct {
	LEDGER_POSTING_ROW_FIELDS(REC_MEMBER)
} ledger_posting_row;
REC_TYPE_DECLARE(ledger_posting_row);

/* ref_type "" / ref_id 0 for none; created_at RFC 3339 UTC;
 * reverses_journal_id: a reversal's entry it undoes, 0 otherwise. */
#define LEDGER_JOURNAL_FIELDS(X)                                                                   \
	X(I64, id, 0, "id")                                                                        \
	X(TEXT, kind, 24, "kind")                                                                  \
	X(TEXT, memo, 2001, "memo")                                                                \
	X(OPT_TEXT, ref_type, 33, "ref_type")                                                      \
	X(ID, ref_id, 0, "ref_id")                                                                 \
	X(I64, created_by, 0, "created_by")                                                        \
	X(TEXT, created_at, 32, REC_RFC3339("created_at"))                                         \
	X(ID, reverses_journal_id, 0, "reverses_journal_id")
typedef struct {
	LEDGER_JOURNAL_FIELDS(REC_MEMBER)
	ledger_posting_row *postings; /* owned by the list (ledger_journals_free) */
	size_t n_postings;
} ledger_journal;
REC_TYPE_DECLARE(ledger_journal);

/* Journal entries newest first with ids below before_id (0: from the
 * newest), each with its postings; kind NULL for every kind. Free *rows
 * with ledger_journals_free. */
xyd_status ledger_journal_list(models_db *db, const char *kind, int64_t before_id, int limit,
			       ledger_journal **rows, size_t *count, bool *more);
void ledger_journals_free(ledger_journal *rows, size_t count);
/* Journal entry id with its postings into *out (malloc'd; free with
 * ledger_journals_free(*out, 1)); XYD_NOT_FOUND when there is none. */
xyd_status ledger_journal_get(models_db *db, int64_t id, ledger_journal **out);

typedef struct {
	bool balanced; /* every figure below is 0 */
	int64_t journals;
	int64_t postings;
	int64_t accounts;
	int64_t imbalance_fen;	     /* |Σ postings| + Σ |stored balance − Σ its postings| */
	int64_t unbalanced_journals; /* entries whose postings do not sum to 0 */
	int64_t mismatched_accounts; /* stored balance differs from its postings */
	int64_t negative_funds;	     /* fund_cash accounts below 0 */
} ledger_check_result;

/* Recomputes every balance from the postings in one consistent snapshot
 * and compares. */
xyd_status ledger_check(models_db *db, ledger_check_result *out);

#endif
