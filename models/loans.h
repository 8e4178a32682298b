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

#include "models/applications.h"
#include "models/audit.h"
#include "models/db.h"

#define LOANS_DEFAULT_DAYS 90		/* overdue this long is a default */
#define LOANS_OVERDUE_DAYS_MAX 36500
#define LOANS_REASON_MAX_CHARS 500
#define LOANS_FUND_PROGRAMS_MAX 100	/* programmes reported per fund */
#define LOANS_SUSPENSIONS_MAX 100	/* live suspensions reported per fund */

/* Which input a refusal is about (with XYD_VALIDATION_FAILED). */
typedef enum {
	LOANS_BAD_NONE,
	LOANS_BAD_AMOUNT,	/* repayment above outstanding; loss above outstanding; recovery past the loss */
	LOANS_BAD_DATE_FUTURE,	/* paid_on / as_of after today (district calendar) */
	LOANS_BAD_DATE_BEFORE,	/* paid_on / as_of before the loan's disbursement */
	LOANS_BAD_PERIOD	/* a subsidy month after the current one */
} loans_bad_field;

/* Who acts, for scope and the audit trail. */
typedef struct {
	models_app_scope scope;	/* a bank: APP_SEE_INSTITUTION; the bureau: APP_SEE_ALL */
	int64_t user_id;
	models_audit *audit;	/* action set by the model, target_id too */
} loans_actor;

/* ---- repayments and defaults ---- */

typedef struct {
	int64_t id;
	int64_t loan_id;
	int64_t amount_fen;
	char paid_on[11];
	char created_at[32];
	int64_t outstanding_fen;	/* the loan's, after this repayment */
	char loan_status[12];		/* likewise */
} models_repayment;

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

typedef struct {
	int64_t id;
	int64_t loan_id;
	int64_t institution_id;
	int64_t program_id;		/* 0: none */
	int64_t fund_id;		/* 0: none */
	int64_t guarantor_institution_id;	/* 0: none named */
	char status[10];		/* filed paid rejected */
	int64_t loss_fen, fund_share_fen, guarantor_share_fen, bank_share_fen;
	int64_t recovered_fen;
	char reason[2001];		/* "" unless rejected */
	char filed_at[32];
	char decided_at[32];		/* "" while filed */
	int64_t paid_journal_id;	/* 0 unless paid */
} models_claim;

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

typedef struct {
	int64_t id;
	int64_t claim_id;
	int64_t amount_fen, fund_fen, guarantor_fen, bank_fen;
	int64_t journal_id;
	char created_at[32];
	int64_t claim_recovered_fen;	/* the running total after this one */
} models_recovery;

/* Records a recovery on a paid claim of the caller (XYD_INVALID_STATE
 * otherwise), split back by common/shares and posted as one journal
 * entry. XYD_VALIDATION_FAILED (LOANS_BAD_AMOUNT) past the loss. */
xyd_status models_recovery_tx(models_db *db, const loans_actor *who, int64_t claim_id,
			      int64_t amount_fen, models_recovery *out, loans_bad_field *bad);

/* ---- subsidies ---- */

typedef struct {
	int64_t id;
	int64_t program_id;
	char period[8];
	int subsidy_bps;
	int loans;
	int64_t total_fen;
	int64_t journal_id;	/* 0 when the month came to 0 fen */
	char created_at[32];
} models_subsidy;

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

typedef struct {
	int64_t program_id;
	char name[801];
	int64_t disbursed_principal_fen;	/* every loan of the programme */
	int64_t exposure_fen;			/* its part of the fund's exposure */
	int64_t annual_cap_fen;			/* floor(disbursed * cap_bps / 10000) */
	int64_t claims_paid_this_year_fen;	/* fund shares paid this district year */
	int64_t cap_remaining_fen;		/* never below 0 */
} models_fund_program;

typedef struct {
	int64_t program_id;
	int64_t institution_id;
	char institution_name[801];
	int overdue_rate_bps;
	int threshold_bps;
	char suspended_at[32];
} models_suspension;

typedef struct {
	int64_t id;
	char name[801];
	char created_at[32];
	int64_t balance_fen, deposited_fen, claims_paid_fen, recovered_fen, exposure_fen;
	int annual_claims_cap_bps;
	int overdue_suspension_bps;
	models_fund_program programs[LOANS_FUND_PROGRAMS_MAX];
	size_t n_programs;
	models_suspension suspensions[LOANS_SUSPENSIONS_MAX];	/* live ones, in its programmes */
	size_t n_suspensions;
} models_fund_view;

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
	int64_t stressed_loss_fen;	/* the fund's share of the stressed defaults */
	int64_t capped_fen;		/* of that, beyond the annual caps this year */
	int64_t payable_fen;		/* within the caps */
	int64_t would_pay_fen;		/* payable, as far as the balance goes */
	int64_t balance_after_fen;	/* what the fund keeps */
	int64_t shortfall_fen;		/* payable the balance cannot cover */
} models_fund_stress_result;
void models_fund_stress(const models_fund_view *v, int default_rate_bps, models_fund_stress_result *out);

/* Sets a fund's limits (a negative value keeps the current one). */
xyd_status models_fund_limits_set(models_db *db, const loans_actor *who, int64_t fund_id,
				  int annual_claims_cap_bps, int overdue_suspension_bps);

/* Names institution_id (a guarantor) as programme program_id's guarantor:
 * claims filed from now on put the guarantor's share on its account.
 * XYD_NOT_FOUND for no programme; XYD_VALIDATION_FAILED when the
 * institution is not a guarantor. */
xyd_status models_program_guarantor_set_tx(models_db *db, const loans_actor *who, int64_t program_id,
					   int64_t institution_id);

/* ---- suspensions ---- */

/* Whether institution_id is suspended now in the programme of product_id
 * (false for a product outside any programme). */
xyd_status models_suspension_for_product(models_db *db, int64_t product_id, int64_t institution_id,
					 bool *suspended);
/* The bureau lifts a live suspension (XYD_NOT_FOUND when there is none). */
xyd_status models_suspension_lift_tx(models_db *db, const loans_actor *who, int64_t program_id,
				     int64_t institution_id, const char *reason);

#endif
