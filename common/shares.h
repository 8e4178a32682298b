/*
 * The exact integer arithmetic of risk sharing (api.md "Loans, risk sharing
 * and the ledger"): how a loss is split between the fund, the guarantor and
 * the bank, how recoveries flow back in the same proportions, and a loan's
 * monthly interest subsidy. Pure libc, no state, no allocation.
 *
 * Every split floors the fund's and the guarantor's parts and gives the
 * bank the remainder, so the three parts always sum to the whole. Inputs
 * are bounded by SHARES_AMOUNT_MAX_FEN, where no intermediate overflows.
 */
#ifndef XYD_COMMON_SHARES_H
#define XYD_COMMON_SHARES_H

#include <stdbool.h>
#include <stdint.h>

#define SHARES_BPS_WHOLE 10000			 /* 100% in basis points */
#define SHARES_AMOUNT_MAX_FEN 1000000000000000LL /* 10^15 fen, the API's bound on amounts */

/* One amount split three ways; fund_fen + guarantor_fen + bank_fen is the
 * amount split. */
typedef struct {
	int64_t fund_fen;
	int64_t guarantor_fen;
	int64_t bank_fen;
} shares_split;

/* floor(a * b / c) for 0 <= a, b and c > 0, exact for any int64 inputs
 * whose true quotient fits int64 (a 128-bit product). */
int64_t shares_mul_div_floor(int64_t a, int64_t b, int64_t c);

/*
 * A claim's split of loss_fen by the loan's snapshot shares: fund =
 * floor(loss * fund_bps / 10000), guarantor = floor(loss * guarantor_bps /
 * 10000), bank = the remainder. False (and *out zeroed) unless 0 <= loss <=
 * SHARES_AMOUNT_MAX_FEN, both bps are 0..10000 and fund_bps + guarantor_bps
 * <= 10000.
 */
bool shares_claim_split(int64_t loss_fen, int fund_bps, int guarantor_bps, shares_split *out);

/*
 * The split of one recovery of amount_fen on a claim whose loss split is
 * claim (loss = the sum of its parts), after recovered_before_fen was
 * already recovered: the fund gets floor(amount * fund / loss), the
 * guarantor floor(amount * guarantor / loss), the bank the rest (api.md).
 * Each part is >= 0, and since a sum of floors is at most the floor of the
 * sum, the fund's and the guarantor's running totals never pass their
 * shares of the claim. False (and *out zeroed) unless amount_fen >= 1,
 * recovered_before_fen >= 0, recovered_before_fen + amount_fen <= loss
 * (the caller refuses those as input errors) and claim is a valid split
 * with loss >= 1.
 */
bool shares_recovery_split(const shares_split *claim, int64_t recovered_before_fen,
			   int64_t amount_fen, shares_split *out);

/* A loan's interest subsidy for one month: floor(outstanding * subsidy_bps
 * / 10000 / 12), which equals floor(outstanding * subsidy_bps / 120000).
 * -1 unless 0 <= outstanding <= SHARES_AMOUNT_MAX_FEN and 0 <= subsidy_bps
 * <= 10000. */
int64_t shares_monthly_subsidy(int64_t outstanding_fen, int subsidy_bps);

/* *sum = a + b for amounts a, b >= 0. False (and *sum set to INT64_MAX, an
 * amount no limit admits) when either is negative or the sum would
 * overflow int64: a caller comparing the sum with a limit refuses. */
bool shares_add_fen(int64_t a_fen, int64_t b_fen, int64_t *sum_fen);

#endif
