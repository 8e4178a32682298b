/*
 * The audit log's costs: one audit write (models_audit_write in its own
 * transaction, as a refused login writes it), chaining the rows older than
 * the chain (the 0011 startup task) and verifying the chain. Against the
 * database named by XYD_DB; prints medians.
 *
 *   XYD_DB=mariadb://... build/release/bench/audit_bench
 *   AUDIT_BENCH_WRITES (default 2000, in rounds of 200), AUDIT_BENCH_VERIFY
 *   (default 3 runs).
 */
#include <stdio.h>

#include "bench/bench_util.h"
#include "models/audit.h"
#include "models/db_internal.h" /* db_begin / db_commit: writes inside a caller's transaction */

#define ROUND 200

/* Median microseconds per audit write over rounds of ROUND writes: each in
 * a transaction of its own, or (in_tx) all of a round in one transaction,
 * as most callers write their audit row beside the change it records. */
static int bench_writes(models_db *db, size_t n, bool in_tx)
{
	size_t rounds = n / ROUND ? n / ROUND : 1;
	double *us = calloc(rounds, sizeof *us);
	models_audit a = {.role = "system",
			  .action = "bench.write",
			  .target_type = "bench",
			  .ip = "127.0.0.1",
			  .status = 200,
			  .request_id = "bench0000000000",
			  .detail = "audit_bench"};
	for (size_t r = 0; r < rounds; r++) {
		double t0 = now_s();
		if (in_tx && db_begin(db) != XYD_OK)
			break;
		for (size_t i = 0; i < ROUND; i++) {
			snprintf(a.target_id, sizeof a.target_id, "%zu", r * ROUND + i);
			if (models_audit_write(db, &a) != XYD_OK) {
				fprintf(stderr, "audit_bench: a write failed\n");
				free(us);
				return -1;
			}
		}
		if (in_tx && db_commit(db) != XYD_OK)
			break;
		us[r] = (now_s() - t0) * 1e6 / ROUND;
	}
	printf("audit write%s: median %.1f us per write (%zu rounds of %d)\n",
	       in_tx ? " inside a transaction" : " in its own transaction", median(us, rounds),
	       rounds, ROUND);
	free(us);
	return 0;
}

#ifndef AUDIT_BENCH_WRITES_ONLY
static int bench_chain(models_db *db, size_t runs)
{
	size_t chained = 0;
	double t0 = now_s();
	if (models_audit_chain_legacy(db, &chained) != XYD_OK)
		return -1;
	if (chained)
		printf("legacy chaining: %zu rows in %.2f s (%.0f rows/s)\n", chained, now_s() - t0,
		       chained / (now_s() - t0));
	double *rate = calloc(runs, sizeof *rate);
	models_audit_verdict v = {0};
	for (size_t i = 0; i < runs; i++) {
		t0 = now_s();
		if (models_audit_verify(db, &v) != XYD_OK) {
			free(rate);
			return -1;
		}
		rate[i] = (double)v.rows / (now_s() - t0);
	}
	printf("verify: ok=%d rows=%llu median %.0f rows/s (%zu runs)\n", v.ok,
	       (unsigned long long)v.rows, median(rate, runs), runs);
	free(rate);
	return 0;
}
#endif

int main(void)
{
	char err[256];
	models_db_url url;
	const char *u = getenv("XYD_DB");
	if (!u || models_db_url_parse(u, &url, err, sizeof err) != 0) {
		fprintf(stderr, "audit_bench: set XYD_DB to a mariadb:// URL\n");
		return 1;
	}
	models_library_init();
	models_thread_init();
	xyd_status st;
	models_db *db = models_db_new(&url, &st);
	int rc = st == XYD_OK ? 0 : 1;
#ifndef AUDIT_BENCH_WRITES_ONLY
	if (rc == 0)
		rc = bench_chain(db, env_size("AUDIT_BENCH_VERIFY", 3)) != 0;
#endif
	if (rc == 0)
		rc = bench_writes(db, env_size("AUDIT_BENCH_WRITES", 2000), false) != 0;
	if (rc == 0)
		rc = bench_writes(db, env_size("AUDIT_BENCH_WRITES", 2000), true) != 0;
	models_db_free(db);
	models_thread_end();
	models_library_end();
	models_db_url_release(&url);
	return rc;
}
