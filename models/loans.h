/*
 * The money side of loans (api.md "Loans, risk sharing and the ledger"):
 * repayments, overdue and default reports, claims with their approval or
 * rejection, recoveries, the programmes' monthly interest subsidies, the
 * funds' deposits, figures, limits and stress test, and the suspension of a
 * bank whose overdue rate in a programme passed its fund's threshold.
 *
 *   loan:  performing --> overdue --> defaulted        (a default report)
 *          performing --> defaulted                    (overdue_days >= 90)
 *          performing, overdue --> repaid              (outstanding reaches 0)
 *   claim: filed --> paid | rejected                   (the bureau)
 *
 * The *_tx functions run inside the caller's open transaction (the server
 * wraps them in models_idempotent_transaction) and commit nothing. Each
 * locks what it changes before reading it — the loan or claim row first,
 * then the fund row where a limit is checked, then the ledger accounts in
 * ascending id order (ledger_post) — so concurrent movements serialise
 * instead of racing, and writes its audit row in the same transaction.
 * Refusals are named statuses: XYD_NOT_FOUND outside the caller's scope,
 * XYD_INVALID_STATE for an illegal transition, XYD_VALIDATION_FAILED with
 * a loans_bad_field, XYD_INSUFFICIENT_FUNDS, XYD_NOT_ELIGIBLE for a fund
 * limit, XYD_CONFLICT for a second claim or a second subsidy of a month.
 */
#ifndef XYD_MODELS_LOANS_H
#define XYD_MODELS_LOANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/audit.h"
#include "models/db.h"
#include "models/record.h"
#include "models/scope.h"

#define LOANS_DEFAULT_DAYS 90 /* overdue this long is a default */
#define LOANS_OVERDUE_DAYS_MAX 36500
#define LOANS_REASON_MAX_CHARS 500
#define LOANS_FUND_PROGRAMS_MAX 100 /* programmes reported per fund */
#define LOANS_SUSPENSIONS_MAX 100   /* live suspensions reported per fund */

/* Which input a refusal is about (with XYD_VALIDATION_FAILED). */
typedef enum {
	LOANS_BAD_NONE,
	LOANS_BAD_AMOUNT, /* repayment above outstanding; loss above outstanding; recovery past the loss */
	LOANS_BAD_DATE_FUTURE, /* paid_on / as_of after today (district calendar) */
	LOANS_BAD_DATE_BEFORE, /* paid_on / as_of before the loan's disbursement */
	LOANS_BAD_PERIOD       /* a subsidy month after the current one */
} loans_bad_field;

/* Who acts, for scope and the audit trail. */
typedef struct {
	models_app_scope scope; /* a bank: APP_SEE_INSTITUTION; the bureau: APP_SEE_ALL */
	int64_t user_id;
	models_audit *audit; /* action set by the model, target_id too */
} loans_actor;

/* ---- loans ---- */

/* program_id 0: none; status performing overdue defaulted repaid. The
 * shares (summing to 10,000) are shown nested, by hand. */
#define MODELS_LOAN_FIELDS(X)                                                                      \
	X(I64, id, 0, "l.id")                                                                      \
	X(I64, application_id, 0, "l.application_id")                                              \
	X(I64, enterprise_id, 0, "l.enterprise_id")                                                \
	X(I64, institution_id, 0, "l.institution_id")                                              \
	X(I64, product_id, 0, "l.product_id")                                                      \
	X(ID, program_id, 0, "l.program_id")                                                       \
	X(I64, principal_fen, 0, "l.principal_fen")                                                \
	X(I64, outstanding_fen, 0, "l.outstanding_fen")                                            \
	X(INT, rate_bps, 0, "l.rate_bps")                                                          \
	X(INT, term_months, 0, "l.term_months")                                                    \
	X(TEXT, disbursed_on, 11, "DATE_FORMAT(l.disbursed_on, '%Y-%m-%d')")                       \
	X(TEXT, maturity_on, 11, "DATE_FORMAT(l.maturity_on, '%Y-%m-%d')")                         \
	X(TEXT, status, 12, "l.status")                                                            \
	X(INT_INTERNAL, fund_bps, 0, "l.fund_bps")                                                 \
	X(INT_INTERNAL, bank_bps, 0, "l.bank_bps")                                                 \
	X(INT_INTERNAL, guarantor_bps, 0, "l.guarantor_bps")                                       \
	X(TEXT_INTERNAL, created_at, 32, "DATE_FORMAT(l.created_at, '%Y-%m-%dT%H:%i:%s.%fZ')")
typedef struct {
	MODELS_LOAN_FIELDS(REC_MEMBER)
} models_loan;
REC_TYPE_DECLARE(models_loan);

/* Loan id within scope (a bank: its institution's; an sme: its own; a
 * park: its park's enterprises'). XYD_NOT_FOUND otherwise. */
xyd_status models_loan_get(models_db *db, int64_t id, const models_app_scope *scope,
			   models_loan *out);
/* Newest first, ids below before_id (0: from the newest). *rows malloc'd
 * (free()). */
xyd_status models_loan_list(models_db *db, const models_app_scope *scope, int64_t before_id,
			    int limit, models_loan **rows, size_t *count, bool *more);

/* ---- repayments and defaults ---- */

/* outstanding_fen, loan_status: the loan's, after this repayment. */
#define MODELS_REPAYMENT_FIELDS(X)                                                                 \
	X(I64, id, 0, "p.id")                                                                      \
	X(I64, loan_id, 0, "p.loan_id")                                                            \
	X(I64, amount_fen, 0, "p.amount_fen")                                                      \
	X(TEXT, paid_on, 11, "DATE_FORMAT(p.paid_on, '%Y-%m-%d')")                                 \
	X(TEXT, created_at, 32, REC_RFC3339("p.created_at"))                                       \
	X(I64, outstanding_fen, 0, "l.outstanding_fen")                                            \
	X(TEXT, loan_status, 12, "l.status")
typedef struct {
	MODELS_REPAYMENT_FIELDS(REC_MEMBER)
} models_repayment;
REC_TYPE_DECLARE(models_repayment);

/* Records a repayment of loan_id (amount_fen >= 1, paid_on a valid date the
 * caller checked). XYD_INVALID_STATE unless performing or overdue;
 * XYD_VALIDATION_FAILED with *bad. Outstanding 0 makes the loan repaid. */
xyd_status models_loan_repay_tx(models_db *db, const loans_actor *who, int64_t loan_id,
				int64_t amount_fen, const char *paid_on, models_repayment *out,
				loans_bad_field *bad);

/*
 * An overdue report: overdue_days >= LOANS_DEFAULT_DAYS defaults the loan
 * (defaulted_on = as_of), fewer make it overdue. Legal from performing and
 * overdue only (XYD_INVALID_STATE otherwise). Then, if the loan's
 * programme has a fund, re-measures the bank's overdue rate there and
 * suspends the bank when it passes the fund's threshold (*suspended).
 * *out is the loan after the change.
 */
xyd_status models_loan_default_tx(models_db *db, const loans_actor *who, int64_t loan_id,
				  int overdue_days, const char *as_of, models_loan *out,
				  bool *suspended, loans_bad_field *bad);

/* ---- claims ---- */

/* program_id, fund_id 0: none; guarantor_institution_id 0: none named;
 * status filed paid rejected; reason "" unless rejected; decided_at ""
 * while filed; paid_journal_id 0 unless paid. */
#define MODELS_CLAIM_FIELDS(X)                                                                     \
	X(I64, id, 0, "c.id")                                                                      \
	X(I64, loan_id, 0, "c.loan_id")                                                            \
	X(I64, institution_id, 0, "c.institution_id")                                              \
	X(ID, program_id, 0, "c.program_id")                                                       \
	X(ID, fund_id, 0, "c.fund_id")                                                             \
	X(ID, guarantor_institution_id, 0, "c.guarantor_institution_id")                           \
	X(TEXT, status, 10, "c.status")                                                            \
	X(I64, loss_fen, 0, "c.loss_fen")                                                          \
	X(I64, fund_share_fen, 0, "c.fund_share_fen")                                              \
	X(I64, guarantor_share_fen, 0, "c.guarantor_share_fen")                                    \
	X(I64, bank_share_fen, 0, "c.bank_share_fen")                                              \
	X(I64, recovered_fen, 0, "c.recovered_fen")                                                \
	X(OPT_TEXT, reason, 2001, "c.reason")                                                      \
	X(TEXT, filed_at, 32, REC_RFC3339("c.filed_at"))                                           \
	X(OPT_TEXT, decided_at, 32, REC_RFC3339("c.decided_at"))                                   \
	X(ID, paid_journal_id, 0, "c.paid_journal_id")
typedef struct {
	MODELS_CLAIM_FIELDS(REC_MEMBER)
} models_claim;
REC_TYPE_DECLARE(models_claim);

/* Files a claim on a defaulted loan of the caller (XYD_INVALID_STATE
 * otherwise) for 1 <= loss_fen <= outstanding (XYD_VALIDATION_FAILED,
 * LOANS_BAD_AMOUNT); XYD_CONFLICT while another claim on it is filed or
 * paid. The split is fixed now from the loan's share snapshot. */
xyd_status models_claim_file_tx(models_db *db, const loans_actor *who, int64_t loan_id,
				int64_t loss_fen, models_claim *out, loans_bad_field *bad);

/*
 * Pays a filed claim (XYD_INVALID_STATE otherwise): one journal entry in
 * which the fund pays its share, the guarantor bears its own and the bank
 * its own, against the bank's claim receivable. XYD_INSUFFICIENT_FUNDS when
 * the fund's cash is short; XYD_NOT_ELIGIBLE when the programme's paid
 * claims this year would pass the fund's annual cap. Nothing moves on a
 * refusal (the caller rolls back).
 */
xyd_status models_claim_approve_tx(models_db *db, const loans_actor *who, int64_t claim_id,
				   models_claim *out);
/* Rejects a filed claim with reason (XYD_INVALID_STATE otherwise). */
xyd_status models_claim_reject_tx(models_db *db, const loans_actor *who, int64_t claim_id,
				  const char *reason, models_claim *out);

/* A claim within who->scope (a bank: its own); XYD_NOT_FOUND otherwise. */
xyd_status models_claim_get(models_db *db, const models_app_scope *scope, int64_t claim_id,
			    models_claim *out);
/* Claims newest first within scope, ids below before_id (0: newest);
 * status NULL for all, loan_id 0 for every loan. *rows malloc'd (free()). */
xyd_status models_claim_list(models_db *db, const models_app_scope *scope, const char *status,
			     int64_t loan_id, int64_t before_id, int limit, models_claim **rows,
			     size_t *count, bool *more);

/* claim_recovered_fen: the running total after this one. */
#define MODELS_RECOVERY_FIELDS(X)                                                                  \
	X(I64, id, 0, "v.id")                                                                      \
	X(I64, claim_id, 0, "v.claim_id")                                                          \
	X(I64, amount_fen, 0, "v.amount_fen")                                                      \
	X(I64, fund_fen, 0, "v.fund_fen")                                                          \
	X(I64, guarantor_fen, 0, "v.guarantor_fen")                                                \
	X(I64, bank_fen, 0, "v.bank_fen")                                                          \
	X(I64, journal_id, 0, "v.journal_id")                                                      \
	X(TEXT, created_at, 32, REC_RFC3339("v.created_at"))                                       \
	X(I64, claim_recovered_fen, 0, "c.recovered_fen")
typedef struct {
	MODELS_RECOVERY_FIELDS(REC_MEMBER)
} models_recovery;
REC_TYPE_DECLARE(models_recovery);

/* Records a recovery on a paid claim of the caller (XYD_INVALID_STATE
 * otherwise), split back by common/shares and posted as one journal
 * entry. XYD_VALIDATION_FAILED (LOANS_BAD_AMOUNT) past the loss. */
xyd_status models_recovery_tx(models_db *db, const loans_actor *who, int64_t claim_id,
			      int64_t amount_fen, models_recovery *out, loans_bad_field *bad);

/* ---- subsidies ---- */

/* journal_id 0 when the month came to 0 fen. */
#define MODELS_SUBSIDY_FIELDS(X)                                                                   \
	X(I64, id, 0, "id")                                                                        \
	X(I64, program_id, 0, "program_id")                                                        \
	X(TEXT, period, 8, "period")                                                               \
	X(INT, subsidy_bps, 0, "subsidy_bps")                                                      \
	X(INT, loans, 0, "loans")                                                                  \
	X(I64, total_fen, 0, "total_fen")                                                          \
	X(ID, journal_id, 0, "journal_id")                                                         \
	X(TEXT, created_at, 32, REC_RFC3339("created_at"))
typedef struct {
	MODELS_SUBSIDY_FIELDS(REC_MEMBER)
} models_subsidy;
REC_TYPE_DECLARE(models_subsidy);

/* The interest subsidy of programme program_id for period ("YYYY-MM", a
 * real month the caller checked): each loan performing now and disbursed
 * by the month's end gets floor(outstanding * subsidy_bps / 10000 / 12);
 * the bureau's budget pays the total to the programme's subsidy account.
 * XYD_NOT_FOUND for no programme; XYD_VALIDATION_FAILED (LOANS_BAD_PERIOD)
 * for a month after the current one; XYD_CONFLICT when the month was paid. */
xyd_status models_subsidy_pay_tx(models_db *db, const loans_actor *who, int64_t program_id,
				 const char *period, models_subsidy *out, loans_bad_field *bad);

/* ---- funds ---- */

/* Deposits amount_fen into fund_id from the bureau's budget: one journal
 * entry whose id is *journal_id. XYD_NOT_FOUND for no fund. */
xyd_status models_fund_deposit_tx(models_db *db, const loans_actor *who, int64_t fund_id,
				  int64_t amount_fen, const char *memo, int64_t *journal_id);

/* Reverses deposit journal_id (a mistaken deposit): the money goes back to
 * the bureau's budget in one "reversal" entry, *reversal_id, audited as
 * fund.deposit.reverse. As ledger_reverse: XYD_NOT_FOUND, XYD_INVALID_STATE
 * (not a deposit), XYD_CONFLICT (reversed already), XYD_INSUFFICIENT_FUNDS
 * (the fund has paid the money out since). */
xyd_status models_fund_deposit_reverse_tx(models_db *db, const loans_actor *who, int64_t journal_id,
					  const char *reason, int64_t *reversal_id);

/*
 * A programme of a fund: disbursed_principal_fen over every loan of the
 * programme; exposure_fen its part of the fund's exposure;
 * claims_paid_this_year_fen the fund shares paid this district year. The
 * annual cap, floor(disbursed * cap_bps / 10000), and what remains of it
 * (never below 0) are worked out after the read from the fund's cap. The
 * LOANS_PROGRAM_*_SQL subqueries are models/loans.c's.
 */
#define MODELS_FUND_PROGRAM_FIELDS(X)                                                              \
	X(I64, program_id, 0, "g.id")                                                              \
	X(TEXT, name, 801, "g.name")                                                               \
	X(I64, disbursed_principal_fen, 0, LOANS_PROGRAM_DISBURSED_SQL("g.id"))                    \
	X(I64, exposure_fen, 0, LOANS_PROGRAM_EXPOSURE_SQL("g.id"))                                \
	X(I64, annual_cap_fen, 0, "0")                                                             \
	X(I64, claims_paid_this_year_fen, 0, LOANS_PROGRAM_PAID_THIS_YEAR_SQL("g.id"))             \
	X(I64, cap_remaining_fen, 0, "0")
typedef struct {
	MODELS_FUND_PROGRAM_FIELDS(REC_MEMBER)
} models_fund_program;
REC_TYPE_DECLARE(models_fund_program);

#define MODELS_SUSPENSION_FIELDS(X)                                                                \
	X(I64, program_id, 0, "s.program_id")                                                      \
	X(I64, institution_id, 0, "s.institution_id")                                              \
	X(TEXT, institution_name, 801, "i.name")                                                   \
	X(INT, overdue_rate_bps, 0, "s.overdue_rate_bps")                                          \
	X(INT, threshold_bps, 0, "s.threshold_bps")                                                \
	X(TEXT, suspended_at, 32, REC_RFC3339("s.suspended_at"))
typedef struct {
	MODELS_SUSPENSION_FIELDS(REC_MEMBER)
} models_suspension;
REC_TYPE_DECLARE(models_suspension);

/* A fund's figures (its limits are shown apart, by hand, with its
 * programmes and live suspensions). The LOANS_FUND_*_SQL sums are
 * models/loans.c's. */
#define MODELS_FUND_VIEW_FIELDS(X)                                                                 \
	X(I64, id, 0, "f.id")                                                                      \
	X(TEXT, name, 801, "f.name")                                                               \
	X(TEXT, created_at, 32, REC_RFC3339("f.created_at"))                                       \
	X(I64, balance_fen, 0, "a.balance_fen")                                                    \
	X(I64, deposited_fen, 0, LOANS_FUND_SUM_SQL("", "'fund.deposit', 'reversal'"))             \
	X(I64, claims_paid_fen, 0, LOANS_FUND_SUM_SQL("-", "'claim.pay'"))                         \
	X(I64, recovered_fen, 0, LOANS_FUND_SUM_SQL("", "'claim.recovery'"))                       \
	X(I64, exposure_fen, 0, LOANS_FUND_EXPOSURE_SQL)                                           \
	X(INT_INTERNAL, annual_claims_cap_bps, 0, "f.annual_claims_cap_bps")                       \
	X(INT_INTERNAL, overdue_suspension_bps, 0, "f.overdue_suspension_bps")
typedef struct {
	MODELS_FUND_VIEW_FIELDS(REC_MEMBER)
	models_fund_program programs[LOANS_FUND_PROGRAMS_MAX];
	size_t n_programs;
	models_suspension suspensions[LOANS_SUSPENSIONS_MAX]; /* live ones, in its programmes */
	size_t n_suspensions;
} models_fund_view;
REC_TYPE_DECLARE(models_fund_view);

/* The fund's figures, limits and live suspensions; XYD_NOT_FOUND for none.
 * out is large: allocate it. */
xyd_status models_fund_view_get(models_db *db, int64_t fund_id, models_fund_view *out);

/* Funds by id after after_id, figures only (programs and suspensions left
 * empty). *rows malloc'd (free()). */
xyd_status models_fund_view_list(models_db *db, int64_t after_id, int limit,
				 models_fund_view **rows, size_t *count, bool *more);

/* What the fund would pay and keep if default_rate_bps of its exposure
 * defaulted today (v as models_fund_view_get filled it): each programme's
 * stressed loss floor(exposure * rate / 10000), limited by what its annual
 * cap still allows, paid from the balance as far as it goes. */
typedef struct {
	int default_rate_bps;
	int64_t stressed_loss_fen; /* the fund's share of the stressed defaults */
	int64_t capped_fen;	   /* of that, beyond the annual caps this year */
	int64_t payable_fen;	   /* within the caps */
	int64_t would_pay_fen;	   /* payable, as far as the balance goes */
	int64_t balance_after_fen; /* what the fund keeps */
	int64_t shortfall_fen;	   /* payable the balance cannot cover */
} models_fund_stress_result;
void models_fund_stress(const models_fund_view *v, int default_rate_bps,
			models_fund_stress_result *out);

/* Sets a fund's limits (a negative value keeps the current one). */
xyd_status models_fund_limits_set(models_db *db, const loans_actor *who, int64_t fund_id,
				  int annual_claims_cap_bps, int overdue_suspension_bps);

/* Names institution_id (a guarantor) as programme program_id's guarantor:
 * claims filed from now on put the guarantor's share on its account.
 * XYD_NOT_FOUND for no programme; XYD_VALIDATION_FAILED when the
 * institution is not a guarantor. */
xyd_status models_program_guarantor_set_tx(models_db *db, const loans_actor *who,
					   int64_t program_id, int64_t institution_id);

/* ---- suspensions ---- */

/* Whether institution_id is suspended now in the programme of product_id
 * (false for a product outside any programme). */
xyd_status models_suspension_for_product(models_db *db, int64_t product_id, int64_t institution_id,
					 bool *suspended);
/* The bureau lifts a live suspension (XYD_NOT_FOUND when there is none). */
xyd_status models_suspension_lift_tx(models_db *db, const loans_actor *who, int64_t program_id,
				     int64_t institution_id, const char *reason);

#endif
