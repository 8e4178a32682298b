/*
 * The district's statistics: the overview figures and the breakdowns by
 * month, institution, product, programme, town, park, industry and size,
 * for one scope (the district, one park's enterprises, one institution)
 * over a window of district days (UTC+8), both ends included.
 *
 * Application, loan and response figures come from the daily rollups that
 * migration 0007's triggers keep in the same transaction as each change;
 * defaults, overdue pending answers, claims, recoveries and fund balances
 * from their own tables. docs/api.md (Statistics) defines every figure;
 * the rounding of each ratio is said beside its field below.
 */
#ifndef XYD_MODELS_STATS_H
#define XYD_MODELS_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/db.h"

/* Who the figures are about. */
typedef enum {
	STATS_SCOPE_DISTRICT,		/* the bureau: everything */
	STATS_SCOPE_PARK,		/* enterprises of park id (and its programmes' funds) */
	STATS_SCOPE_INSTITUTION,	/* what institution id handled */
} models_stats_scope_kind;

typedef struct {
	models_stats_scope_kind kind;
	int64_t id;			/* the park or institution; 0 for the district */
	const char *from;		/* "YYYY-MM-DD", a real date; the caller checks */
	const char *to;			/* "YYYY-MM-DD", not before from */
} models_stats_query;

typedef struct {
	int64_t applications;		/* created in the window */
	int64_t submitted;		/* of those, submitted to a bank product */
	int64_t approved;		/* of those, approved or disbursed now */
	int64_t rejected;		/* of those, rejected now */
	int64_t disbursed_count;	/* loans disbursed in the window */
	int64_t disbursed_fen;
	bool has_approval_rate;		/* false: nothing approved or rejected */
	int64_t approval_rate_bps;	/* floor(approved * 10000 / (approved + rejected)) */
	bool has_loans;			/* false: no loan disbursed (the next two are absent) */
	int64_t avg_rate_bps;		/* floor(sum(principal * rate) / sum(principal)) */
	int64_t credit_loan_share_bps;	/* floor(credit principal * 10000 / principal) */
	int64_t first_time_borrowers;
	bool has_median;		/* false: no bank answered in the window */
	int64_t median_response_hours;	/* lower median of whole hours */
	int64_t overdue_responses;
	int64_t defaults;
	int64_t claims_paid_fen;
	int64_t recovered_fen;
	int64_t fund_balance_fen;	/* now, not windowed */
	int64_t fund_exposure_fen;	/* now, not windowed */
} models_stats_overview;

/* Fills *out for q. XYD_OK, or the database's failure. */
xyd_status models_stats_overview_get(models_db *db, const models_stats_query *q,
				     models_stats_overview *out);

typedef enum {
	STATS_BY_MONTH,
	STATS_BY_INSTITUTION,
	STATS_BY_PRODUCT,
	STATS_BY_PROGRAM,
	STATS_BY_TOWN,
	STATS_BY_PARK,
	STATS_BY_INDUSTRY,
	STATS_BY_SIZE_CLASS,
	STATS_BY_COUNT
} models_stats_by;

/* The API's name of by ("month", …). */
const char *models_stats_by_name(models_stats_by by);
/* true with *by when name is one of the names above. */
bool models_stats_by_parse(const char *name, models_stats_by *by);
/* true when by's keys are ids (institution, product, programme, park). */
bool models_stats_by_is_id(models_stats_by by);

/* A breakdown holds at most this many rows (products are the most: a few
 * hundred in a district). */
#define STATS_BREAKDOWN_ROWS_MAX 10000

typedef struct {
	char key[33];			/* "" when the fact has none (no product yet, no park) */
	char label[801];		/* the key's name; "" when key is "" */
	int64_t applications;
	int64_t approved;
	int64_t disbursed_count;
	int64_t disbursed_fen;
	bool has_avg_rate;		/* false: no loan in this row */
	int64_t avg_rate_bps;		/* as the overview's */
} models_stats_row;

/*
 * The breakdown of q by by: one row per key with any application or loan
 * in the window; months in calendar order, the others by disbursed_fen
 * then applications (both descending), then key. *rows is malloc'd (free()).
 */
xyd_status models_stats_breakdown(models_db *db, const models_stats_query *q, models_stats_by by,
				  models_stats_row **rows, size_t *count);

/* One institution's answers to applications in a window. */
typedef struct {
	int64_t institution_id;
	char institution_name[801];
	int64_t responses;		/* accepts and rejects dated in the window */
	bool has_median;		/* false: it answered nothing in the window */
	int64_t median_response_hours;	/* as the overview's, for this institution */
	int64_t overdue_responses;	/* as the overview's, for this institution */
} models_stats_response_row;

/*
 * The bank response league of the district over q's window (q's scope is
 * ignored: the caller is the bureau): every institution that answered, or
 * owes an answer past its deadline, in the window; each row equals that
 * institution's own overview. Fastest first: median ascending (none last),
 * then fewer overdue, then more responses, then id. *rows malloc'd (free()).
 */
xyd_status models_stats_responses(models_db *db, const models_stats_query *q,
				  models_stats_response_row **rows, size_t *count);

#endif
