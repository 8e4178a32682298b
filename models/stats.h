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
#include "models/enum_names.h"
#include "models/record.h"

/* Who the figures are about. */
typedef enum {
	STATS_SCOPE_DISTRICT,	 /* the bureau: everything */
	STATS_SCOPE_PARK,	 /* enterprises of park id (and its programmes' funds) */
	STATS_SCOPE_INSTITUTION, /* what institution id handled */
} models_stats_scope_kind;

typedef struct {
	models_stats_scope_kind kind;
	int64_t id;	  /* the park or institution; 0 for the district */
	const char *from; /* "YYYY-MM-DD", a real date; the caller checks */
	const char *to;	  /* "YYYY-MM-DD", not before from */
} models_stats_query;

/*
 * The overview's figures, read in one statement. Each ratio is -1 when
 * there is nothing to divide by; has_* say which are present.
 *   approval_rate_bps      floor(approved * 10000 / (approved + rejected))
 *   avg_rate_bps           floor(sum(principal * rate) / sum(principal))
 *   credit_loan_share_bps  floor(credit principal * 10000 / principal)
 *   median_response_hours  lower median of whole hours (from the histogram)
 */
#define MODELS_STATS_OVERVIEW_FIELDS(X)                                                            \
	X(I64, applications, 0, "a.n")	  /* created in the window */                              \
	X(I64, submitted, 0, "a.s")	  /* of those, submitted to a bank product */              \
	X(I64, approved, 0, "a.ap")	  /* of those, approved or disbursed now */                \
	X(I64, rejected, 0, "a.rj")	  /* of those, rejected now */                             \
	X(I64, disbursed_count, 0, "l.n") /* loans disbursed in the window */                      \
	X(I64, disbursed_fen, 0, "l.fen")                                                          \
	X(I64_INTERNAL, avg_rate_bps, 0, "COALESCE(l.avg_rate, -1)")                               \
	X(I64_INTERNAL, credit_loan_share_bps, 0, "COALESCE(l.credit_share, -1)")                  \
	X(I64, first_time_borrowers, 0, "l.first")                                                 \
	X(I64, overdue_responses, 0, "t.overdue") /* pending past the deadline, + the late */      \
	X(I64, defaults, 0, "t.defaults")                                                          \
	X(I64, claims_paid_fen, 0, "t.claims")                                                     \
	X(I64, recovered_fen, 0, "t.recovered")                                                    \
	X(I64, fund_balance_fen, 0, "t.balance") /* now, not windowed */                           \
	X(I64, fund_exposure_fen, 0, "x.fen")	 /* now, not windowed */
typedef struct {
	MODELS_STATS_OVERVIEW_FIELDS(REC_MEMBER)
	bool has_approval_rate; /* false: nothing approved or rejected */
	int64_t approval_rate_bps;
	bool has_loans;	 /* false: no loan disbursed (no average, no share) */
	bool has_median; /* false: no bank answered in the window */
	int64_t median_response_hours;
} models_stats_overview;
REC_TYPE_DECLARE(models_stats_overview);

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

/* The API's name of by ("month", …); the value a name names (false for
 * any other). */
MODELS_ENUM_NAMES_DECLARE(models_stats_by, models_stats_by);
/* true when by's keys are ids (institution, product, programme, park). */
bool models_stats_by_is_id(models_stats_by by);

/* A breakdown holds at most this many rows (products are the most: a few
 * hundred in a district). */
#define STATS_BREAKDOWN_ROWS_MAX 10000

/* key: "" when the fact has none (no product yet, no park), written by
 * hand (a number for the id dimensions); label: the key's name, "" when key
 * is ""; avg_rate_bps as the overview's, -1 (and has_avg_rate false) when
 * no loan is in the row. */
#define MODELS_STATS_ROW_FIELDS(X)                                                                 \
	X(TEXT_INTERNAL, key, 33, "COALESCE(g.k, '')")                                             \
	X(OPT_TEXT, label, 801, STATS_LABEL_SQL) /* models/stats.c: the name of g.k */             \
	X(I64, applications, 0, "g.a")                                                             \
	X(I64, approved, 0, "g.ap")                                                                \
	X(I64, disbursed_count, 0, "g.n")                                                          \
	X(I64, disbursed_fen, 0, "g.fen")                                                          \
	X(I64_INTERNAL, avg_rate_bps, 0, "COALESCE(g.avg_rate, -1)")
typedef struct {
	MODELS_STATS_ROW_FIELDS(REC_MEMBER)
	bool has_avg_rate;
} models_stats_row;
REC_TYPE_DECLARE(models_stats_row);

/*
 * The breakdown of q by by: one row per key with any application or loan
 * in the window; months in calendar order, the others by disbursed_fen
 * then applications (both descending), then key. *rows is malloc'd (free()).
 */
xyd_status models_stats_breakdown(models_db *db, const models_stats_query *q, models_stats_by by,
				  models_stats_row **rows, size_t *count);

/* One institution's answers to applications in a window. */
/* One institution's answers to applications in a window, summed here from
 * two statements (the list's SQL names what each field is). */
#define MODELS_STATS_RESPONSE_FIELDS(X)                                                            \
	X(I64, institution_id, 0, "institution_id")                                                \
	X(TEXT, institution_name, 801, "institution_name")                                         \
	X(I64, responses, 0, "responses")	/* accepts and rejects dated in the window */      \
	X(I64, overdue_responses, 0, "overdue") /* as the overview's, for this institution */
typedef struct {
	MODELS_STATS_RESPONSE_FIELDS(REC_MEMBER)
	bool has_median;	       /* false: it answered nothing in the window */
	int64_t median_response_hours; /* as the overview's, for this institution */
} models_stats_response_row;
REC_TYPE_DECLARE(models_stats_response_row);

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
