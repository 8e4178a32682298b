/*
 * scoring_bench — scoring_compute alone, per enterprise, on generated credit
 * files: 30 records an enterprise across every category, some repaired,
 * expired, minor-party or force-majeure, as a rescore of every enterprise
 * computes them. Each result carries both details (English and Chinese).
 *
 * Built with -DSCORING_BENCH_BASELINE it also times baseline_scoring_compute
 * (another scorecard.c, its public names prefixed with baseline_, see
 * `make bench-scoring SCORING_BASELINE=...`) on the same files in the same
 * run, the two alternating run by run, and prints both medians and their
 * ratio; the scores of the two must agree.
 *
 * Environment: BENCH_ENTERPRISES (10000), BENCH_RUNS (15), BENCH_SEED (42).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench_util.h"
#include "scoring/scorecard.h"

enum { RECORDS_PER_ENTERPRISE = 30 };

#ifdef SCORING_BENCH_BASELINE
/* The baseline's result type may differ; out points at room enough for it
 * (a scoring_result, which only grows). Its score is the first int. */
void baseline_scoring_compute(const scoring_weights *w, const scoring_record *records, size_t n,
			      int32_t founded_on, int32_t today, void *out);
#endif

/* ------------------------------------------------------------ generators */

/* The categories of one enterprise's 30 records (the last slots vary). */
static const scoring_category mix[RECORDS_PER_ENTERPRISE] = {SCORING_TAX_RATING,
							     SCORING_TAX_RATING,
							     SCORING_TAX_RATING,
							     SCORING_SOCIAL_SECURITY,
							     SCORING_SOCIAL_SECURITY,
							     SCORING_HOUSING_FUND,
							     SCORING_HOUSING_FUND,
							     SCORING_UTILITY_ARREARS,
							     SCORING_PATENT,
							     SCORING_PATENT,
							     SCORING_PATENT,
							     SCORING_PATENT,
							     SCORING_TRADEMARK,
							     SCORING_TRADEMARK,
							     SCORING_RND_EXPENSE,
							     SCORING_RND_EXPENSE,
							     SCORING_ENV_RATING,
							     SCORING_ENV_RATING,
							     SCORING_ADMIN_PENALTY,
							     SCORING_ADMIN_PENALTY,
							     SCORING_ADMIN_PENALTY,
							     SCORING_COMMITMENT,
							     SCORING_COMMITMENT,
							     SCORING_COMMITMENT,
							     SCORING_AWARD,
							     SCORING_AWARD,
							     SCORING_AWARD,
							     SCORING_COMMITMENT_BREACH,
							     SCORING_DISHONEST_DEBTOR,
							     SCORING_REPAIR};

/* One record of enterprise e, observed within the last five years; about
 * one in ten expired, one in thirty minor-party, one in thirty force majeure. */
static void gen_record(scoring_record *r, int64_t id, scoring_category c, int32_t today)
{
	uint32_t flags = below(30);

	memset(r, 0, sizeof *r);
	r->id = id;
	r->category = c;
	r->observed_on = today - (int32_t)below(5 * 365);
	r->expires_on = below(10) == 0 ? today - 1 - (int32_t)below(400) : 0;
	r->minor_party = flags == 0;
	r->force_majeure = flags == 1;
	snprintf(r->source_dept, sizeof r->source_dept, "dept-%02u", (unsigned)c);
	snprintf(r->source_record_id, sizeof r->source_record_id, "R%012" PRId64, id);
	r->kind = (int)below((uint32_t)scoring_kind_count(c));
	r->year = 2019 + (int)below(6);
	r->count = 1 + below(12);
	r->amount_fen = (int64_t)below(2000000000);
}

/* n enterprises' records, 30 each, ids rising as a database gives them. */
static scoring_record *gen_files(size_t n, int32_t today)
{
	scoring_record *all = calloc(n * RECORDS_PER_ENTERPRISE, sizeof *all);
	int64_t id = 1000000;
	size_t e, i;

	if (!all)
		return NULL;
	for (e = 0; e < n; e++) {
		scoring_record *f = all + e * RECORDS_PER_ENTERPRISE;

		for (i = 0; i < RECORDS_PER_ENTERPRISE; i++) {
			scoring_category c = mix[i];

			/* most files have no breach, debtor record or repair */
			if (i >= 27 && below(10) != 0)
				c = i == 27   ? SCORING_AWARD
				    : i == 28 ? SCORING_PATENT
					      : SCORING_TRADEMARK;
			gen_record(&f[i], id++, c, today);
		}
		/* the repair, where there is one, names an earlier record of the file */
		if (f[29].category == SCORING_REPAIR) {
			const scoring_record *target = &f[18 + below(10)];

			memcpy(f[29].source_dept, target->source_dept, sizeof target->source_dept);
			memcpy(f[29].repairs_source_record_id, target->source_record_id,
			       sizeof target->source_record_id);
		}
	}
	return all;
}

/* ------------------------------------------------------------ timing */

typedef void (*compute_fn)(const scoring_weights *, const scoring_record *, size_t, int32_t,
			   int32_t, scoring_result *);

static void current_compute(const scoring_weights *w, const scoring_record *r, size_t n,
			    int32_t founded_on, int32_t today, scoring_result *out)
{
	scoring_compute(w, r, n, founded_on, today, out);
}

#ifdef SCORING_BENCH_BASELINE
static void baseline_compute(const scoring_weights *w, const scoring_record *r, size_t n,
			     int32_t founded_on, int32_t today, scoring_result *out)
{
	baseline_scoring_compute(w, r, n, founded_on, today, out);
}
#endif

/* Seconds per enterprise of one pass over every file; adds the scores to
 * *sum so that the two scorers can be checked against each other. */
static double pass(compute_fn fn, const scoring_weights *w, const scoring_record *all, size_t n,
		   int32_t today, int64_t *sum)
{
	static scoring_result res;
	double t0 = now_s();
	size_t e;

	for (e = 0; e < n; e++) {
		fn(w, all + e * RECORDS_PER_ENTERPRISE, RECORDS_PER_ENTERPRISE,
		   today - 365 * (int32_t)(e % 12), today, &res);
		*sum += res.score;
	}
	return (now_s() - t0) / (double)n;
}

int main(void)
{
	size_t n = env_size("BENCH_ENTERPRISES", 10000), runs = env_size("BENCH_RUNS", 15), r;
	int32_t today = scoring_days_from_civil(2025, 6, 30);
	double *cur = calloc(runs ? runs : 1, sizeof *cur),
	       *base = calloc(runs ? runs : 1, sizeof *base);
	int64_t sum_cur = 0, sum_base = 0;
	scoring_record *all;
	scoring_weights w;

	rng_state = env_size("BENCH_SEED", 42);
	if (!n || !runs || !cur || !base || !(all = gen_files(n, today))) {
		fprintf(stderr, "scoring_bench: nothing to do or out of memory\n");
		return 1;
	}
	scoring_weights_v1(&w);
	printf("scoring_compute, one thread: %zu enterprises x %d records, median of %zu runs\n", n,
	       RECORDS_PER_ENTERPRISE, runs);
	for (r = 0; r < runs; r++) {
#ifdef SCORING_BENCH_BASELINE
		if (r % 2) { /* alternate which goes first */
			base[r] = pass(baseline_compute, &w, all, n, today, &sum_base);
			cur[r] = pass(current_compute, &w, all, n, today, &sum_cur);
			continue;
		}
		cur[r] = pass(current_compute, &w, all, n, today, &sum_cur);
		base[r] = pass(baseline_compute, &w, all, n, today, &sum_base);
#else
		cur[r] = pass(current_compute, &w, all, n, today, &sum_cur);
		(void)sum_base;
#endif
	}
	printf("  this scorecard (en + zh details)   median %7.2f us per enterprise   (mean score %.1f)\n",
	       median(cur, runs) * 1e6, (double)sum_cur / (double)(n * runs));
#ifdef SCORING_BENCH_BASELINE
	printf("  baseline scorecard                 median %7.2f us per enterprise   ratio %.2fx\n",
	       median(base, runs) * 1e6, median(cur, runs) / median(base, runs));
	if (sum_base != sum_cur) {
		fprintf(stderr, "scoring_bench: the two scorers disagree on the scores\n");
		return 1;
	}
#endif
	free(all);
	free(cur);
	free(base);
	return 0;
}
