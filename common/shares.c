/*
 * Risk-sharing arithmetic (see shares.h): integer floors with the bank
 * taking the remainder, in 128-bit intermediates so that no product of an
 * amount and a share overflows.
 */
#include "common/shares.h"

#include <stdint.h>
#include <string.h>

#include "common/base.h"

int64_t shares_mul_div_floor(int64_t a, int64_t b, int64_t c)
{
	/* Callers pass non-negative a, b and positive c: the quotient is then
	 * the floor and fits int64 whenever a * b / c <= INT64_MAX. */
	XYD_ASSERT(a >= 0);
	XYD_ASSERT(b >= 0);
	XYD_ASSERT(c > 0);
	unsigned __int128 p = (unsigned __int128)(uint64_t)a * (uint64_t)b;
	unsigned __int128 q = p / (uint64_t)c;
	XYD_ASSERT(q <= INT64_MAX);
	return (int64_t)q;
}

static bool amount_ok(int64_t fen)
{
	return fen >= 0 && fen <= SHARES_AMOUNT_MAX_FEN;
}

bool shares_claim_split(int64_t loss_fen, int fund_bps, int guarantor_bps, shares_split *out)
{
	memset(out, 0, sizeof *out);
	if (!amount_ok(loss_fen) || fund_bps < 0 || guarantor_bps < 0 ||
	    fund_bps + guarantor_bps > SHARES_BPS_WHOLE)
		return false;
	out->fund_fen = shares_mul_div_floor(loss_fen, fund_bps, SHARES_BPS_WHOLE);
	out->guarantor_fen = shares_mul_div_floor(loss_fen, guarantor_bps, SHARES_BPS_WHOLE);
	out->bank_fen = loss_fen - out->fund_fen - out->guarantor_fen;
	/* each part >= 0, the three sum to the loss, and a part never passes
	 * its share: the bank takes what the floors leave */
	XYD_ASSERT(out->fund_fen >= 0 && out->guarantor_fen >= 0);
	XYD_ASSERT(out->bank_fen >=
		   shares_mul_div_floor(loss_fen, SHARES_BPS_WHOLE - fund_bps - guarantor_bps,
					SHARES_BPS_WHOLE));
	XYD_ASSERT(out->fund_fen + out->guarantor_fen + out->bank_fen == loss_fen);
	return true;
}

static bool split_ok(const shares_split *s)
{
	return s->fund_fen >= 0 && s->guarantor_fen >= 0 && s->bank_fen >= 0 &&
	       amount_ok(s->fund_fen + s->guarantor_fen + s->bank_fen);
}

bool shares_recovery_split(const shares_split *claim, int64_t recovered_before_fen,
			   int64_t amount_fen, shares_split *out)
{
	memset(out, 0, sizeof *out);
	if (!split_ok(claim))
		return false;
	int64_t loss = claim->fund_fen + claim->guarantor_fen + claim->bank_fen;
	if (loss < 1 || amount_fen < 1 || recovered_before_fen < 0 || recovered_before_fen > loss ||
	    amount_fen > loss - recovered_before_fen)
		return false;
	out->fund_fen = shares_mul_div_floor(amount_fen, claim->fund_fen, loss);
	out->guarantor_fen = shares_mul_div_floor(amount_fen, claim->guarantor_fen, loss);
	out->bank_fen = amount_fen - out->fund_fen - out->guarantor_fen;
	/* each part >= 0 and no more than its share of the claim; the three
	 * sum to the amount recovered */
	XYD_ASSERT(out->fund_fen >= 0 && out->fund_fen <= claim->fund_fen);
	XYD_ASSERT(out->guarantor_fen >= 0 && out->guarantor_fen <= claim->guarantor_fen);
	XYD_ASSERT(out->bank_fen >= 0);
	XYD_ASSERT(out->fund_fen + out->guarantor_fen + out->bank_fen == amount_fen);
	return true;
}

int64_t shares_monthly_subsidy(int64_t outstanding_fen, int subsidy_bps)
{
	if (!amount_ok(outstanding_fen) || subsidy_bps < 0 || subsidy_bps > SHARES_BPS_WHOLE)
		return -1;
	int64_t subsidy = shares_mul_div_floor(outstanding_fen, subsidy_bps,
					       (int64_t)SHARES_BPS_WHOLE * 12);
	XYD_ASSERT(subsidy >= 0 && subsidy <= outstanding_fen);
	return subsidy;
}

bool shares_add_fen(int64_t a_fen, int64_t b_fen, int64_t *sum_fen)
{
	if (a_fen < 0 || b_fen < 0 || __builtin_add_overflow(a_fen, b_fen, sum_fen)) {
		*sum_fen = INT64_MAX;
		return false;
	}
	XYD_ASSERT(*sum_fen >= a_fen && *sum_fen >= b_fen);
	return true;
}
