/*
 * The credit scorecard: a pure function from an enterprise's credit records
 * and a model's weights to a score 0-1000, a grade, and every factor's
 * points, maximum, explanation and evidence. libc only, no I/O and no
 * allocation, so it is unit-tested and benchmarked alone; the server turns
 * JSON into these structs and back.
 *
 * Dates are whole days since 1970-01-01 (see scoring_days_from_civil).
 * Nothing here allocates or keeps a pointer; scoring_compute uses about 10 KiB
 * of stack. Each factor's explanation is written twice, in English and in
 * Simplified Chinese (the pages' language).
 */
#ifndef XYD_SCORING_SCORECARD_H
#define XYD_SCORING_SCORECARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	SCORING_TAX_RATING,
	SCORING_SOCIAL_SECURITY,
	SCORING_HOUSING_FUND,
	SCORING_UTILITY_ARREARS,
	SCORING_PATENT,
	SCORING_TRADEMARK,
	SCORING_RND_EXPENSE,
	SCORING_ENV_RATING,
	SCORING_ADMIN_PENALTY,
	SCORING_DISHONEST_DEBTOR,
	SCORING_COMMITMENT,
	SCORING_COMMITMENT_BREACH,
	SCORING_AWARD,
	SCORING_REPAIR,
	SCORING_CATEGORY_COUNT
} scoring_category;

/* api.md's category names ("tax_rating" …), static strings; c must be a
 * category. parse answers -1 for an unknown name or NULL. */
const char *scoring_category_name(scoring_category c);
int scoring_category_parse(const char *name);

/* Kinds within a category's value. */
enum {
	SCORING_TAX_A,
	SCORING_TAX_B,
	SCORING_TAX_M,
	SCORING_TAX_C,
	SCORING_TAX_D,
	SCORING_TAX_NONE
};
enum { SCORING_PATENT_INVENTION, SCORING_PATENT_UTILITY, SCORING_PATENT_DESIGN };
enum {
	SCORING_ENV_GREEN,
	SCORING_ENV_BLUE,
	SCORING_ENV_YELLOW,
	SCORING_ENV_RED,
	SCORING_ENV_BLACK
};
enum { SCORING_PENALTY_MINOR, SCORING_PENALTY_GENERAL, SCORING_PENALTY_SERIOUS };

/* How many kinds c's `kind` ranges over (0 .. count-1); 1 for a category
 * whose records have no kind. c must be a category. */
int scoring_kind_count(scoring_category c);
/* api.md's names of c's kinds ("A" … "D", "invention" …), scoring_kind_count
 * of them, static; NULL for a category whose records have no kind. */
const char *const *scoring_kind_names(scoring_category c);

#define SCORING_ID_MAX 64

/* One credit record with its value already checked and decoded. The decoder
 * guarantees (and scoring asserts) a valid category and a kind in range for
 * it; ids are unique within one call, which is what makes the result
 * independent of the records' order. Counts and amounts below 0 are taken as
 * 0, months paid above 12 as 12; year 0 means unknown. */
typedef struct {
	int64_t id; /* evidence */
	scoring_category category;
	int32_t observed_on; /* days */
	int32_t expires_on;  /* days; 0 when the record never lapses */
	bool minor_party;
	bool force_majeure;
	char source_dept[SCORING_ID_MAX + 1];
	char source_record_id[SCORING_ID_MAX + 1];
	int kind;	    /* tax grade, patent kind, env grade, penalty severity */
	int year;	    /* tax_rating, rnd_expense */
	int64_t count;	    /* months paid or overdue, patents, trademarks */
	int64_t amount_fen; /* rnd expense, arrears, penalty */
	char repairs_source_record_id[SCORING_ID_MAX + 1]; /* repair */
} scoring_record;

/* A model's weights (api.md scorecard v1 is scoring_weights_v1, kept in step
 * with the v1 weights JSON of migrations/0003_credit.sql). "max" fields are
 * caps on a factor's points, "min" floors. Bonus weights are expected >= 0
 * and arrears, breach and penalty weights <= 0 (server/api/credit_weights.c checks):
 * max_points assumes so. Any int is still safe: points saturate at ±10^9. */
typedef struct {
	int base;
	int tax[6]; /* by SCORING_TAX_*, [SCORING_TAX_NONE] when none on record */
	int social_security_per_month, social_security_max;
	int housing_fund_per_month, housing_fund_max;
	int utility_arrears_per_month, utility_arrears_min;
	int patent[3], patents_max;
	int trademark_each, trademarks_max;
	int rnd_per_100k_yuan, rnd_max;
	int env[5];
	int years_per_year, years_max;
	int award_each, awards_max;
	int commitment_kept_each, commitments_kept_max, commitment_broken_each;
	int penalty[3], penalty_window_years;
	int dishonest_debtor_score_cap;
	int grade_a_min, grade_b_min, grade_c_min;
} scoring_weights;

void scoring_weights_v1(scoring_weights *w);

enum {
	SCORING_FACTOR_COUNT = 13, /* api.md's factor rows, in its order */
	SCORING_EVIDENCE_MAX = 32,
	SCORING_DETAIL_MAX = 480,
	/* The same content in Chinese: a CJK character is 3 bytes, and yuan
	 * amounts carry separators and decimals. In the unit tests the Chinese
	 * runs to 1.25x the English (308 bytes for 247), and where 19-digit ids
	 * cut the English at 479 it is 607; 80 commitments overflow both. */
	SCORING_DETAIL_ZH_MAX = 720
};

typedef struct {
	const char *factor; /* static: "tax_rating", "patents" … */
	int points;
	int max_points;			 /* the most this factor can add under these weights */
	char detail[SCORING_DETAIL_MAX]; /* what counted, what did not and why */
	char detail_zh[SCORING_DETAIL_ZH_MAX];	/* the same in Simplified Chinese, UTF-8 */
	int64_t evidence[SCORING_EVIDENCE_MAX]; /* record ids behind the points */
	int nevidence;
} scoring_factor;

typedef struct {
	int score;		/* 0..1000 */
	char grade;		/* 'A' 'B' 'C' 'D' */
	bool dishonest_debtor;	/* an unrepaired, counting record */
	int broken_commitments; /* counting commitment_breach records */
	scoring_factor factors[SCORING_FACTOR_COUNT];
} scoring_result;

/* Scores records (any order; all of one enterprise) of an enterprise founded
 * on founded_on, as of today, per api.md's scorecard and w. Fills *out
 * entirely (zeroing what it does not use). Every factor is always present,
 * in api.md's order. A record counts 0 when a `repair` record (itself
 * counting or not) of the same source_dept names its source_record_id, when
 * expires_on is set and before today, when minor_party or force_majeure, or,
 * for a penalty, when observed more than penalty_window_years before today;
 * its detail says which. Where a factor takes the newest record, that is the
 * newest counting one by observed_on, ties to the larger id. Years (in
 * business, of the penalty window) are calendar years; one from 29 February
 * ends on 28 February in a common year. Evidence lists the counting records
 * behind the points, smallest ids first (the detail says how many more when
 * cut). detail is ASCII, cut with "..." to fit; detail_zh says the same in
 * Simplified Chinese (UTF-8, amounts in yuan, dates as 2024年3月1日), cut
 * on a character boundary with "…".
 * O(n), plus one more O(n) pass per 128 repair records. */
void scoring_compute(const scoring_weights *w, const scoring_record *records, size_t n,
		     int32_t founded_on, int32_t today, scoring_result *out);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard
 * Hinnant's algorithms). year within ±5,000,000, month 1-12 and day 1-31
 * are asserted; a day past the month's end rolls into the next month, so
 * validate dates before. Every int32 day converts back. */
int32_t scoring_days_from_civil(int year, int month, int day);
void scoring_civil_from_days(int32_t days, int *year, int *month, int *day);

#endif
