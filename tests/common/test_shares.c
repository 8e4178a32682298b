/*
 * Unit tests for common/shares: the claim split, the recovery split and the
 * monthly subsidy, at every rounding edge — the three parts always sum to
 * the whole, the fund and guarantor parts are floors, the bank takes the
 * remainder, running recoveries never pass a share, and bad input is
 * refused rather than computed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>

#include "common/shares.h"

static void claim_split_floors_fund_and_guarantor_bank_takes_rest(void **state)
{
	(void)state;
	shares_split s;
	/* 东方美谷贷: fund 40%, guarantor 20%, bank 40%. 1,000.01 yuan. */
	assert_true(shares_claim_split(100001, 4000, 2000, &s));
	assert_int_equal(s.fund_fen, 40000);	  /* 40000.4 floored */
	assert_int_equal(s.guarantor_fen, 20000); /* 20000.2 floored */
	assert_int_equal(s.bank_fen, 40001);	  /* the remainder carries both fractions */
	/* Thirds: 3333.33..% never divides evenly. */
	assert_true(shares_claim_split(100, 3333, 3333, &s));
	assert_int_equal(s.fund_fen, 33);
	assert_int_equal(s.guarantor_fen, 33);
	assert_int_equal(s.bank_fen, 34);
	/* One fen: both floors are 0, the bank bears it. */
	assert_true(shares_claim_split(1, 9999, 0, &s));
	assert_int_equal(s.fund_fen, 0);
	assert_int_equal(s.bank_fen, 1);
}

static void claim_split_exact_multiples_and_edges(void **state)
{
	(void)state;
	shares_split s;
	assert_true(shares_claim_split(10000, 4000, 2000, &s));
	assert_int_equal(s.fund_fen, 4000);
	assert_int_equal(s.guarantor_fen, 2000);
	assert_int_equal(s.bank_fen, 4000);
	/* Outside any programme: bank 10,000. */
	assert_true(shares_claim_split(123457, 0, 0, &s));
	assert_int_equal(s.fund_fen, 0);
	assert_int_equal(s.guarantor_fen, 0);
	assert_int_equal(s.bank_fen, 123457);
	/* The fund takes everything: no remainder left for the bank. */
	assert_true(shares_claim_split(999, 10000, 0, &s));
	assert_int_equal(s.fund_fen, 999);
	assert_int_equal(s.bank_fen, 0);
	assert_true(shares_claim_split(0, 4000, 2000, &s));
	assert_int_equal(s.fund_fen + s.guarantor_fen + s.bank_fen, 0);
}

static void claim_split_largest_amount_does_not_overflow(void **state)
{
	(void)state;
	shares_split s;
	/* 10^15 * 9999 overflows 64 bits; the 128-bit product does not. */
	assert_true(shares_claim_split(SHARES_AMOUNT_MAX_FEN, 9999, 1, &s));
	assert_int_equal(s.fund_fen, 999900000000000LL);
	assert_int_equal(s.guarantor_fen, 100000000000LL);
	assert_int_equal(s.bank_fen, 0);
	assert_true(shares_claim_split(SHARES_AMOUNT_MAX_FEN - 1, 3333, 3333, &s));
	assert_int_equal(s.fund_fen + s.guarantor_fen + s.bank_fen, SHARES_AMOUNT_MAX_FEN - 1);
}

static void claim_split_refuses_bad_input(void **state)
{
	(void)state;
	shares_split s;
	assert_false(shares_claim_split(-1, 4000, 2000, &s));
	assert_false(shares_claim_split(SHARES_AMOUNT_MAX_FEN + 1, 4000, 2000, &s));
	assert_false(shares_claim_split(100, -1, 0, &s));
	assert_false(shares_claim_split(100, 0, -1, &s));
	assert_false(shares_claim_split(100, 6000, 4001, &s));
	assert_int_equal(s.fund_fen + s.guarantor_fen + s.bank_fen, 0);
}

/* Every loss 0..2000 against a spread of shares: parts sum to the loss,
 * each is the floor api.md names, none negative. */
static void claim_split_sums_to_loss_for_every_small_loss(void **state)
{
	(void)state;
	static const int pairs[][2] = {{4000, 2000}, {3333, 3333}, {1, 1},
				       {9999, 0},    {0, 9999},	   {5000, 5000},
				       {7, 13},	     {2500, 2500}, {6667, 3333}};
	for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; p++) {
		for (int64_t loss = 0; loss <= 2000; loss++) {
			shares_split s;
			assert_true(shares_claim_split(loss, pairs[p][0], pairs[p][1], &s));
			assert_int_equal(s.fund_fen, loss * pairs[p][0] / 10000);
			assert_int_equal(s.guarantor_fen, loss * pairs[p][1] / 10000);
			assert_true(s.bank_fen >= 0);
			assert_int_equal(s.fund_fen + s.guarantor_fen + s.bank_fen, loss);
		}
	}
}

static void recovery_split_is_proportional_with_floors(void **state)
{
	(void)state;
	shares_split claim = {40000, 20000, 40001}, r; /* loss 100001 */
	assert_true(shares_recovery_split(&claim, 0, 50000, &r));
	assert_int_equal(r.fund_fen, 19999);	 /* 50000*40000/100001 = 19999.8 */
	assert_int_equal(r.guarantor_fen, 9999); /* 9999.9 */
	assert_int_equal(r.bank_fen, 50000 - 19999 - 9999);
	/* The whole loss at once gives back exactly the claim's split. */
	assert_true(shares_recovery_split(&claim, 0, 100001, &r));
	assert_int_equal(r.fund_fen, 40000);
	assert_int_equal(r.guarantor_fen, 20000);
	assert_int_equal(r.bank_fen, 40001);
}

/* Recoveries of one fen each up to the whole loss: the bank never gets a
 * negative part (the trap of splitting running totals), and the fund and
 * guarantor never get back more than they paid. */
static void recovery_one_fen_at_a_time_never_negative_never_past_share(void **state)
{
	(void)state;
	shares_split claim = {1, 1, 1}, r;
	int64_t f = 0, g = 0, b = 0;
	for (int64_t before = 0; before < 3; before++) {
		assert_true(shares_recovery_split(&claim, before, 1, &r));
		assert_true(r.fund_fen >= 0 && r.guarantor_fen >= 0 && r.bank_fen >= 0);
		assert_int_equal(r.fund_fen + r.guarantor_fen + r.bank_fen, 1);
		f += r.fund_fen, g += r.guarantor_fen, b += r.bank_fen;
	}
	assert_true(f <= claim.fund_fen && g <= claim.guarantor_fen);
	assert_int_equal(f + g + b, 3);
}

/* Random claims and random recovery sequences: every recovery sums, the
 * running fund and guarantor parts stay within the claim's. */
static void recovery_random_sequences_stay_within_shares(void **state)
{
	(void)state;
	srand(20261128);
	for (int round = 0; round < 20000; round++) {
		int64_t loss = 1 + rand() % 5000000;
		int fb = rand() % 10001, gb = rand() % (10001 - fb);
		shares_split claim, r;
		assert_true(shares_claim_split(loss, fb, gb, &claim));
		int64_t done = 0, f = 0, g = 0;
		while (done < loss) {
			int64_t amount = 1 + rand() % (loss - done);
			assert_true(shares_recovery_split(&claim, done, amount, &r));
			assert_int_equal(r.fund_fen + r.guarantor_fen + r.bank_fen, amount);
			assert_true(r.fund_fen >= 0 && r.guarantor_fen >= 0 && r.bank_fen >= 0);
			done += amount, f += r.fund_fen, g += r.guarantor_fen;
			assert_true(f <= claim.fund_fen);
			assert_true(g <= claim.guarantor_fen);
		}
	}
}

static void recovery_refuses_past_the_loss_and_bad_input(void **state)
{
	(void)state;
	shares_split claim = {400, 200, 400}, r;
	assert_true(shares_recovery_split(&claim, 999, 1, &r));	   /* the last fen */
	assert_false(shares_recovery_split(&claim, 1000, 1, &r));  /* nothing left */
	assert_false(shares_recovery_split(&claim, 600, 401, &r)); /* one fen too many */
	assert_false(shares_recovery_split(&claim, 0, 0, &r));
	assert_false(shares_recovery_split(&claim, -1, 1, &r));
	shares_split zero = {0, 0, 0}, neg = {-1, 1, 5};
	assert_false(shares_recovery_split(&zero, 0, 1, &r));
	assert_false(shares_recovery_split(&neg, 0, 1, &r));
	assert_int_equal(r.fund_fen + r.guarantor_fen + r.bank_fen, 0);
}

static void monthly_subsidy_floors_once_over_the_year(void **state)
{
	(void)state;
	/* 1,000,000 yuan at 1% a year: 833.33.. yuan a month. */
	assert_int_equal(shares_monthly_subsidy(100000000, 100), 83333);
	/* 119,999 * 1 / 120,000 < 1: nothing. 120,000: exactly 1 fen. */
	assert_int_equal(shares_monthly_subsidy(119999, 1), 0);
	assert_int_equal(shares_monthly_subsidy(120000, 1), 1);
	/* Flooring after both divisions equals one floor of the whole. */
	for (int64_t out = 0; out < 300000; out += 997)
		for (int bps = 0; bps <= 3600; bps += 59)
			assert_int_equal(shares_monthly_subsidy(out, bps), out * bps / 10000 / 12);
	assert_int_equal(shares_monthly_subsidy(SHARES_AMOUNT_MAX_FEN, 3600),
			 SHARES_AMOUNT_MAX_FEN / 10000 * 3600 / 12);
	assert_int_equal(shares_monthly_subsidy(0, 500), 0);
	assert_int_equal(shares_monthly_subsidy(-1, 500), -1);
	assert_int_equal(shares_monthly_subsidy(100, 10001), -1);
	assert_int_equal(shares_monthly_subsidy(100, -1), -1);
}

static void add_fen_refuses_overflow_and_negatives(void **state)
{
	(void)state;
	int64_t s = 0;
	assert_true(shares_add_fen(SHARES_AMOUNT_MAX_FEN, SHARES_AMOUNT_MAX_FEN, &s));
	assert_int_equal(s, 2 * SHARES_AMOUNT_MAX_FEN);
	assert_true(shares_add_fen(INT64_MAX - 1, 1, &s));
	assert_int_equal(s, INT64_MAX);
	assert_false(shares_add_fen(INT64_MAX, 1, &s));
	assert_int_equal(s, INT64_MAX);
	assert_false(shares_add_fen(INT64_MAX / 2 + 1, INT64_MAX / 2 + 1, &s));
	assert_false(shares_add_fen(-1, 5, &s));
	assert_int_equal(s, INT64_MAX);
	assert_false(shares_add_fen(5, INT64_MIN, &s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(claim_split_floors_fund_and_guarantor_bank_takes_rest),
		cmocka_unit_test(claim_split_exact_multiples_and_edges),
		cmocka_unit_test(claim_split_largest_amount_does_not_overflow),
		cmocka_unit_test(claim_split_refuses_bad_input),
		cmocka_unit_test(claim_split_sums_to_loss_for_every_small_loss),
		cmocka_unit_test(recovery_split_is_proportional_with_floors),
		cmocka_unit_test(recovery_one_fen_at_a_time_never_negative_never_past_share),
		cmocka_unit_test(recovery_random_sequences_stay_within_shares),
		cmocka_unit_test(recovery_refuses_past_the_loss_and_bad_input),
		cmocka_unit_test(monthly_subsidy_floors_once_over_the_year),
		cmocka_unit_test(add_fen_refuses_overflow_and_negatives),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
