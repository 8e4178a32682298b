/*
 * The statistics' SQL: see stats.h. Every windowed figure is read from the
 * rollups of migration 0007 (a few thousand rows for any window) or from
 * an indexed range of a small table (defaults, overdue pending answers,
 * claims, recoveries); nothing scans the applications or loans.
 */
#include "models/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/enum_names.h"

static const char *const by_names[STATS_BY_COUNT] = {
	"month", "institution", "product", "program", "town", "park", "industry", "size_class",
};

MODELS_ENUM_NAMES(models_stats_by, models_stats_by, by_names, STATS_BY_COUNT)

bool models_stats_by_is_id(models_stats_by by)
{
	return by == STATS_BY_INSTITUTION || by == STATS_BY_PRODUCT || by == STATS_BY_PROGRAM ||
	       by == STATS_BY_PARK;
}

/* The rollups' scope letter ('d', 'p', 'i'). */
static const char *scope_letter(const models_stats_query *q)
{
	switch (q->kind) {
	case STATS_SCOPE_PARK:
		return "p";
	case STATS_SCOPE_INSTITUTION:
		return "i";
	case STATS_SCOPE_DISTRICT:
		break;
	}
	return "d";
}

static int64_t scope_id(const models_stats_query *q)
{
	return q->kind == STATS_SCOPE_DISTRICT ? 0 : q->id;
}

/* The five parameters of SCOPE(inst) below: letter, letter, park, letter,
 * institution. */
#define SCOPE(inst) " (? = 'd' OR (? = 'p' AND e.park_id = ?) OR (? = 'i' AND " inst " = ?))"
#define SCOPE_PARAMS(q)                                                                            \
	db_str(scope_letter(q)), db_str(scope_letter(q)), DB_INT(scope_id(q)),                     \
		db_str(scope_letter(q)), DB_INT(scope_id(q))
/* A window of district days [from, to] as UTC instants: from 00:00 +08 to
 * the next day after to, 00:00 +08 excluded. */
#define SINCE(col)                                                                                 \
	" " col                                                                                    \
	" >= " DB_DISTRICT_DAY_START("?") " AND " col                                              \
					  " < " DB_DISTRICT_DAY_START("? + INTERVAL 1 DAY")
#define WINDOW(q) db_str((q)->from), db_str((q)->to)

/*
 * The rollup rows of a window: the months it covers whole, [full, excl),
 * from grain 1, and its ragged ends, [from, full) and [excl, to], from
 * grain 0. With no whole month, full >= excl and the two ends cover the
 * window once between them (the LEAST and GREATEST see to that).
 */
typedef struct {
	char full[16]; /* the first day of the first whole month */
	char excl[16]; /* the first day after the last whole month */
} window_months;

static void next_month(int *y, int *m)
{
	if (++*m > 12) {
		*m = 1;
		++*y;
	}
}

/* from and to are checked dates "YYYY-MM-DD" (the caller's contract). */
static void window_months_of(const models_stats_query *q, window_months *w)
{
	int y = 0, m = 1, d = 1;
	sscanf(q->from, "%4d-%2d-%2d", &y, &m, &d);
	if (d != 1)
		next_month(&y, &m);
	snprintf(w->full, sizeof w->full, "%04d-%02d-01", y, m);
	sscanf(q->to, "%4d-%2d-%2d", &y, &m, &d);
	if (d == validate_days_in_month(y, m))
		next_month(&y, &m);
	snprintf(w->excl, sizeof w->excl, "%04d-%02d-01", y, m);
}

#define DAYS_IN_WINDOW                                                                             \
	" ((grain = 1 AND day >= ? AND day < ?)"                                                   \
	" OR (grain = 0 AND day >= ? AND day < LEAST(?, ? + INTERVAL 1 DAY))"                      \
	" OR (grain = 0 AND day >= GREATEST(?, ?) AND day <= ?))"
#define DAYS(q, w)                                                                                 \
	db_str((w).full), db_str((w).excl), db_str((q)->from), db_str((w).full), db_str((q)->to),  \
		db_str((w).excl), db_str((w).full), db_str((q)->to)
#define ROWS_IN_WINDOW " scope = ? AND scope_id = ? AND" DAYS_IN_WINDOW
#define ROLLUP(q, w) db_str(scope_letter(q)), DB_INT(scope_id(q)), DAYS(q, w)
#define ROWS_IN_WINDOW_OF_DIM " scope = ? AND scope_id = ? AND dim = ? AND" DAYS_IN_WINDOW
#define ROLLUP_DIM(q, w, dim) db_str(scope_letter(q)), DB_INT(scope_id(q)), DB_INT(dim), DAYS(q, w)

REC_TYPE_DEFINE(models_stats_overview, MODELS_STATS_OVERVIEW_FIELDS)
REC_TYPE_DEFINE(models_stats_row, MODELS_STATS_ROW_FIELDS)
REC_TYPE_DEFINE(models_stats_response_row, MODELS_STATS_RESPONSE_FIELDS)

/* The figures kept in the application and loan rollups (a, l) and exposure
 * (x), and those read from their own tables (t): answers still pending past
 * a deadline in the window, defaults, paid claims, recoveries, fund cash. */
static xyd_status overview_read(models_db *db, const models_stats_query *q, const window_months *wm,
				models_stats_overview *o)
{
	xyd_status st = DB_GET_ONE(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_STATS_OVERVIEW_FIELDS) " FROM (SELECT COALESCE(SUM(applications), 0) AS n, COALESCE(SUM(submitted), 0) AS s,"
						      "  COALESCE(SUM(approved), 0) AS ap, COALESCE(SUM(rejected), 0) AS rj FROM stats_app_day"
						      "  WHERE dim = 0 AND" ROWS_IN_WINDOW ") a"
						      " JOIN (SELECT COALESCE(SUM(loans), 0) AS n, COALESCE(SUM(principal_fen), 0) AS fen,"
						      "  SUM(rate_weight) DIV NULLIF(SUM(principal_fen), 0) AS avg_rate,"
						      "  CAST(SUM(credit_fen) AS DECIMAL(38,0)) * 10000 DIV NULLIF(SUM(principal_fen), 0)"
						      "  AS credit_share, COALESCE(SUM(first_time), 0) AS first FROM stats_loan_day"
						      "  WHERE dim = 0 AND" ROWS_IN_WINDOW ") l"
						      " JOIN (SELECT COALESCE(SUM(exposure_fen), 0) AS fen FROM stats_exposure"
						      "  WHERE scope = ? AND scope_id = ?) x"
						      " JOIN (SELECT (SELECT COUNT(*) FROM applications a"
						      "  JOIN enterprises e ON e.id = a.enterprise_id"
						      "  WHERE a.status = 'pending_bank' AND a.response_due_at < UTC_TIMESTAMP(6) AND" SINCE("a.response_due_at") " AND" SCOPE(
							      "a.institution_id") ") AS overdue,"
										  " (SELECT COUNT(*) FROM loans l JOIN enterprises e ON e.id = l.enterprise_id"
										  "  WHERE l.defaulted_on BETWEEN ? AND ? AND" SCOPE(
											  "l.institution_id") ") AS defaults,"
													      " (SELECT COALESCE(SUM(c.fund_share_fen), 0) FROM claims c"
													      "  JOIN loans l ON l.id = c.loan_id JOIN enterprises e ON e.id = l.enterprise_id"
													      "  WHERE c.status = 'paid' AND" SINCE("c.decided_at") " AND" SCOPE(
														      "c.institution_id") ") AS claims,"
																	  " (SELECT COALESCE(SUM(v.fund_fen), 0) FROM recoveries v JOIN claims c ON c.id = v.claim_id"
																	  "  JOIN loans l ON l.id = c.loan_id JOIN enterprises e ON e.id = l.enterprise_id"
																	  "  WHERE" SINCE("v.created_at") " AND" SCOPE(
																		  "c.institution_id") ") AS recovered,"
																				      " (SELECT COALESCE(SUM(b.balance_fen), 0) FROM ledger_accounts b WHERE b.kind = 'fund_cash'"
																				      "  AND (? = 'd' OR b.fund_id IN (SELECT g.fund_id FROM programs g WHERE ? = 'p'"
																				      "  AND g.park_id = ?) OR b.fund_id IN (SELECT g.fund_id FROM programs g"
																				      "  JOIN products p ON p.program_id = g.id WHERE ? = 'i' AND p.institution_id = ?)))"
																				      " AS balance) t",
		models_stats_overview_rec(), o, ROLLUP(q, *wm), ROLLUP(q, *wm),
		db_str(scope_letter(q)), DB_INT(scope_id(q)), WINDOW(q), SCOPE_PARAMS(q), WINDOW(q),
		SCOPE_PARAMS(q), WINDOW(q), SCOPE_PARAMS(q), WINDOW(q), SCOPE_PARAMS(q),
		SCOPE_PARAMS(q));
	/* aggregates without GROUP BY: always one row */
	return st == XYD_NOT_FOUND ? XYD_INTERNAL : st;
}

/*
 * The lower median (the ceil(total / 2)-th smallest) of a histogram whose
 * rows are (hours, count) in ascending hours: false when it counts nothing.
 */
static bool histogram_lower_median(const int64_t *hours, const int64_t *count, size_t n,
				   int64_t *median)
{
	int64_t total = 0, seen = 0;
	for (size_t i = 0; i < n; i++)
		total += count[i];
	for (size_t i = 0; i < n && total > 0; i++) {
		seen += count[i];
		if (2 * seen >= total) {
			*median = hours[i];
			return true;
		}
	}
	return false;
}

/* From the answers' histogram: the lower median of their whole hours, and
 * the late ones (added to overdue_responses). */
static xyd_status overview_responses(models_db *db, const models_stats_query *q,
				     const window_months *wm, models_stats_overview *o)
{
	db_result r;
	xyd_status st = DB_QUERY(
		db,
		"SELECT hours, SUM(responses), SUM(late) FROM stats_response_day WHERE" ROWS_IN_WINDOW
		" GROUP BY hours ORDER BY hours",
		&r, ROLLUP(q, *wm));
	if (st != XYD_OK)
		return st;
	int64_t *hours = xcalloc(r.nrows + 1, sizeof *hours),
		*count = xcalloc(r.nrows + 1, sizeof *count);
	for (size_t i = 0; i < r.nrows; i++) {
		hours[i] = db_cell_int(&r, i, 0);
		count[i] = db_cell_int(&r, i, 1);
		o->overdue_responses += db_cell_int(&r, i, 2);
	}
	o->has_median = histogram_lower_median(hours, count, r.nrows, &o->median_response_hours);
	free(hours);
	free(count);
	db_result_release(&r);
	return XYD_OK;
}

xyd_status models_stats_overview_get(models_db *db, const models_stats_query *q,
				     models_stats_overview *out)
{
	xyd_status st;
	window_months w;
	window_months_of(q, &w);
	if ((st = overview_read(db, q, &w, out)) != XYD_OK)
		return st;
	out->has_loans = out->disbursed_count > 0 && out->avg_rate_bps >= 0;
	if (!out->has_loans)
		out->avg_rate_bps = out->credit_loan_share_bps = 0;
	out->has_approval_rate = out->approved + out->rejected > 0;
	if (out->has_approval_rate)
		out->approval_rate_bps = out->approved * 10000 / (out->approved + out->rejected);
	return overview_responses(db, q, &w, out);
}

/* ---- breakdown ---- */

/* The rollups' dimension of by (the month sums dimension 0). */
static int by_dim(models_stats_by by)
{
	return by == STATS_BY_MONTH ? 0 : (int)by;
}

static int compare_rows_month(const void *a, const void *b)
{
	return strcmp(((const models_stats_row *)a)->key, ((const models_stats_row *)b)->key);
}

static int compare_rows_ranked(const void *pa, const void *pb)
{
	const models_stats_row *a = pa, *b = pb;
	if (a->disbursed_fen != b->disbursed_fen)
		return a->disbursed_fen > b->disbursed_fen ? -1 : 1;
	if (a->applications != b->applications)
		return a->applications > b->applications ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* The label of a breakdown row: the name of its key g.k (NULL when there is
 * none); the parameter is the row's dimension. */
#define STATS_LABEL_SQL                                                                            \
	"IF(COALESCE(g.k, '') = '', NULL, COALESCE(CASE ?"                                         \
	"  WHEN 1 THEN (SELECT name FROM institutions WHERE id = CAST(g.k AS UNSIGNED))"           \
	"  WHEN 2 THEN (SELECT name FROM products WHERE id = CAST(g.k AS UNSIGNED))"               \
	"  WHEN 3 THEN (SELECT name FROM programs WHERE id = CAST(g.k AS UNSIGNED))"               \
	"  WHEN 4 THEN (SELECT name FROM towns WHERE code = g.k)"                                  \
	"  WHEN 5 THEN (SELECT name FROM parks WHERE id = CAST(g.k AS UNSIGNED))"                  \
	"  WHEN 6 THEN (SELECT name FROM industries WHERE code = g.k)"                             \
	"  WHEN 7 THEN ELT(FIELD(g.k, 'micro', 'small', 'medium', 'large'),"                       \
	"   '微型企业', '小型企业', '中型企业', '大型企业')"                       \
	"  ELSE g.k END, ''))"
#define BY_KEY " IF(? = 1, DATE_FORMAT(day, '%Y-%m'), k)"
_Static_assert(STATS_BREAKDOWN_ROWS_MAX == 10000, "the breakdown's LIMIT below says 10000");

xyd_status models_stats_breakdown(models_db *db, const models_stats_query *q, models_stats_by by,
				  models_stats_row **rows, size_t *count)
{
	window_months w;
	int month = by == STATS_BY_MONTH;
	window_months_of(q, &w);
	xyd_status st = db_get_all(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_STATS_ROW_FIELDS) " FROM (SELECT t.k, SUM(t.a) AS a, SUM(t.ap) AS ap, SUM(t.n) AS n, SUM(t.fen) AS fen,"
						 "  SUM(t.w) DIV NULLIF(SUM(t.fen), 0) AS avg_rate FROM ("
						 "  SELECT" BY_KEY
						 " AS k, applications AS a, approved AS ap, 0 AS n, 0 AS fen, 0 AS w"
						 "  FROM stats_app_day WHERE" ROWS_IN_WINDOW_OF_DIM
						 "  UNION ALL SELECT" BY_KEY
						 ", 0, 0, loans, principal_fen, rate_weight"
						 "  FROM stats_loan_day WHERE" ROWS_IN_WINDOW_OF_DIM
						 "  ) t GROUP BY t.k HAVING SUM(t.a) <> 0 OR SUM(t.n) <> 0 LIMIT 10000) g",
		DB_PARAMS(DB_INT(by_dim(by)), DB_INT(month), ROLLUP_DIM(q, w, by_dim(by)),
			  DB_INT(month), ROLLUP_DIM(q, w, by_dim(by))),
		models_stats_row_rec(), STATS_BREAKDOWN_ROWS_MAX, (void **)rows, count);
	if (st != XYD_OK) {
		free(*rows);
		*rows = NULL;
		return st;
	}
	for (size_t i = 0; i < *count; i++) {
		models_stats_row *o = &(*rows)[i];
		o->has_avg_rate = o->disbursed_count > 0 && o->avg_rate_bps >= 0;
		if (!o->has_avg_rate)
			o->avg_rate_bps = 0;
	}
	qsort(*rows, *count, sizeof **rows, month ? compare_rows_month : compare_rows_ranked);
	return XYD_OK;
}

/* ---- the bank response league ---- */

static int compare_league(const void *pa, const void *pb)
{
	const models_stats_response_row *a = pa, *b = pb;
	if (a->has_median != b->has_median)
		return a->has_median ? -1 : 1;
	if (a->median_response_hours != b->median_response_hours)
		return a->median_response_hours < b->median_response_hours ? -1 : 1;
	if (a->overdue_responses != b->overdue_responses)
		return a->overdue_responses < b->overdue_responses ? -1 : 1;
	if (a->responses != b->responses)
		return a->responses > b->responses ? -1 : 1;
	return a->institution_id < b->institution_id ? -1 : a->institution_id > b->institution_id;
}

/* The row of institution id in rows[0..*n), appended when new. */
static models_stats_response_row *league_row(models_stats_response_row *rows, size_t *n, int64_t id,
					     const db_result *r, size_t i, size_t name_col)
{
	for (size_t k = *n; k > 0; k--)
		if (rows[k - 1].institution_id == id)
			return &rows[k - 1];
	models_stats_response_row *o = &rows[(*n)++];
	o->institution_id = id;
	db_cell_copy(o->institution_name, sizeof o->institution_name, r, i, name_col);
	return o;
}

/* Each institution's histogram, institution by institution, into medians. */
static void league_medians(models_stats_response_row *rows, size_t n, const db_result *r)
{
	int64_t *hours = xcalloc(r->nrows + 1, sizeof *hours),
		*count = xcalloc(r->nrows + 1, sizeof *count);
	for (size_t k = 0, i = 0; k < n; k++) {
		size_t m = 0;
		for (; i < r->nrows && db_cell_int(r, i, 0) == rows[k].institution_id; i++, m++) {
			hours[m] = db_cell_int(r, i, 2);
			count[m] = db_cell_int(r, i, 3);
		}
		rows[k].has_median = histogram_lower_median(hours, count, m,
							    &rows[k].median_response_hours);
	}
	free(hours);
	free(count);
}

xyd_status models_stats_responses(models_db *db, const models_stats_query *q,
				  models_stats_response_row **rows, size_t *count)
{
	db_result h, p;
	window_months w;
	window_months_of(q, &w);
	*rows = NULL;
	*count = 0;
	xyd_status st = DB_QUERY(
		db,
		"SELECT v.scope_id, i.name, v.hours, SUM(v.responses), SUM(v.late) FROM stats_response_day v"
		" JOIN institutions i ON i.id = v.scope_id WHERE v.scope = 'i' AND" DAYS_IN_WINDOW
		" GROUP BY v.scope_id, i.name, v.hours ORDER BY v.scope_id, v.hours",
		&h, DAYS(q, w));
	if (st != XYD_OK)
		return st;
	st = DB_QUERY(
		db,
		"SELECT a.institution_id, i.name, COUNT(*) FROM applications a"
		" JOIN institutions i ON i.id = a.institution_id WHERE a.status = 'pending_bank'"
		" AND a.response_due_at < UTC_TIMESTAMP(6) AND" SINCE(
			"a.response_due_at") " GROUP BY a.institution_id, i.name ORDER BY a.institution_id",
		&p, WINDOW(q));
	if (st != XYD_OK) {
		db_result_release(&h);
		return st;
	}
	models_stats_response_row *out = xcalloc(h.nrows + p.nrows + 1, sizeof *out);
	size_t n = 0;
	for (size_t i = 0; i < h.nrows; i++) {
		models_stats_response_row *o = league_row(out, &n, db_cell_int(&h, i, 0), &h, i, 1);
		o->responses += db_cell_int(&h, i, 3);
		o->overdue_responses += db_cell_int(&h, i, 4);
	}
	league_medians(out, n, &h); /* before the pending rows: h is in institution order */
	for (size_t i = 0; i < p.nrows; i++)
		league_row(out, &n, db_cell_int(&p, i, 0), &p, i, 1)->overdue_responses +=
			db_cell_int(&p, i, 2);
	qsort(out, n, sizeof *out, compare_league);
	db_result_release(&h);
	db_result_release(&p);
	*rows = out;
	*count = n;
	return XYD_OK;
}
