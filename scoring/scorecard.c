/*
 * The credit scorecard of api.md ("Scorecard v1"), generalised by a model's
 * weights. One call scores one enterprise in three steps: every record is
 * classified (counting, or why not) and folded into its factor's small
 * accumulator; each factor is rendered into points, detail and evidence; the
 * points are summed, clamped and capped into a score and a grade.
 *
 * Everything is bounded and independent of the records' order: where a record
 * is picked or named, the choice rests on its observed_on and id, never on its
 * position. Nothing allocates; the only table (for repairs) lives on the stack.
 */
#include "scorecard.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/base.h"

enum {
	NOTE_MAX = 4,		/* records named per list in one detail */
	REPAIR_SLOTS_MAX = 512, /* repair lookup table, a power of two */
	REPAIRS_PER_PASS = REPAIR_SLOTS_MAX / 4,
	MONTHS_PER_YEAR = 12,
	SCORE_MAX = 1000,
	YEAR_LIMIT = 5000000 /* scoring_days_from_civil fits int32 within ± this */
};

#define FEN_PER_100K_YUAN INT64_C(10000000)

/* Any factor's points are held within ± this, so that products of a weight
 * and a count, and sums of such products, never overflow an int64 or an int. */
#define POINTS_LIMIT INT64_C(1000000000)

enum {
	F_TAX,
	F_SOCIAL,
	F_HOUSING,
	F_UTILITY,
	F_PATENTS,
	F_TRADEMARKS,
	F_RND,
	F_ENV,
	F_YEARS,
	F_AWARDS,
	F_COMMITMENTS,
	F_PENALTIES,
	F_DISHONEST,
	F_NONE
};
_Static_assert((int)F_NONE == (int)SCORING_FACTOR_COUNT, "one factor per api.md row");

static const char *const factor_names[SCORING_FACTOR_COUNT] = {
	"tax_rating",  "social_security", "housing_fund",    "utility_arrears",	  "patents",
	"trademarks",  "rnd_expense",	  "env_rating",	     "years_in_business", "awards",
	"commitments", "penalties",	  "dishonest_debtor"};

static const char *const category_names[SCORING_CATEGORY_COUNT] = {
	"tax_rating", "social_security",   "housing_fund", "utility_arrears", "patent",
	"trademark",  "rnd_expense",	   "env_rating",   "admin_penalty",   "dishonest_debtor",
	"commitment", "commitment_breach", "award",	   "repair"};

static const unsigned char factor_of[SCORING_CATEGORY_COUNT] = {
	F_TAX, F_SOCIAL,    F_HOUSING,	 F_UTILITY,	F_PATENTS,     F_TRADEMARKS, F_RND,
	F_ENV, F_PENALTIES, F_DISHONEST, F_COMMITMENTS, F_COMMITMENTS, F_AWARDS,     F_NONE};

/* How many kinds each category's `kind` ranges over (1: kind unused, and
 * then not read). */
static const unsigned char kinds_of[SCORING_CATEGORY_COUNT] = {
	SCORING_TAX_NONE, 1, 1, 1, 3, 1, 1, 5, 3, 1, 1, 1, 1, 1};

static const char *const tax_names[] = {"A", "B", "M", "C", "D"};
static const char *const patent_names[] = {"invention", "utility", "design"};
static const char *const env_names[] = {"green", "blue", "yellow", "red", "black"};
static const char *const penalty_names[] = {"minor", "general", "serious"};
static const char *const *const kind_names[SCORING_CATEGORY_COUNT] = {
	[SCORING_TAX_RATING] = tax_names,
	[SCORING_PATENT] = patent_names,
	[SCORING_ENV_RATING] = env_names,
	[SCORING_ADMIN_PENALTY] = penalty_names,
};
/* The pages' words (web-static/js/pages/sme_credit.js) for the same kinds. */
static const char *const patent_names_zh[] = {"发明专利", "实用新型专利", "外观设计专利"};
static const char *const env_names_zh[] = {"绿色", "蓝色", "黄色", "红色", "黑色"};
static const char *const penalty_names_zh[] = {"轻微", "一般", "严重"};

/* Why a record counts 0, first reason first. */
enum {
	WHY_COUNTS,
	WHY_REPAIRED,
	WHY_EXPIRED,
	WHY_MINOR_PARTY,
	WHY_FORCE_MAJEURE,
	WHY_OUTSIDE_WINDOW
};

typedef struct {
	const scoring_record *rec;
	int why;
} note;

/* The NOTE_MAX records with the smallest ids, ascending, and how many in all. */
typedef struct {
	note item[NOTE_MAX];
	int n;
	int64_t total;
} note_list;

typedef struct {
	note_list counted;	      /* "each" factors' counting records */
	note_list broken;	      /* commitments: counting breaches */
	note_list skipped;	      /* records that count 0 */
	const scoring_record *newest; /* the deciding record of the others */
	int64_t ncounting;
	int64_t sum;	    /* "each" points before any cap */
	int64_t sum_broken; /* commitments: the breaches' points */
	int64_t nevidence;  /* evidence ids seen, kept or not */
} factor_acc;

typedef struct {
	const scoring_weights *w;
	int32_t today;
	int32_t window_start; /* penalties observed before this count 0 */
	scoring_result *out;
	factor_acc acc[SCORING_FACTOR_COUNT];
} scorer;

/* ------------------------------------------------------------ categories */

const char *scoring_category_name(scoring_category c)
{
	XYD_ASSERT((unsigned)c < SCORING_CATEGORY_COUNT);
	return category_names[c];
}

int scoring_category_parse(const char *name)
{
	int c;

	if (!name)
		return -1;
	for (c = 0; c < SCORING_CATEGORY_COUNT; c++)
		if (strcmp(name, category_names[c]) == 0)
			return c;
	return -1;
}

int scoring_kind_count(scoring_category c)
{
	XYD_ASSERT((unsigned)c < SCORING_CATEGORY_COUNT);
	return kinds_of[c];
}

const char *const *scoring_kind_names(scoring_category c)
{
	XYD_ASSERT((unsigned)c < SCORING_CATEGORY_COUNT);
	return kind_names[c];
}

void scoring_weights_v1(scoring_weights *w)
{
	/* Kept in step with the v1 weights JSON in migrations/0003_credit.sql. */
	static const scoring_weights v1 = {
		.base = 400,
		.tax = {200, 150, 100, 20, -100, 60},
		.social_security_per_month = 10,
		.social_security_max = 120,
		.housing_fund_per_month = 5,
		.housing_fund_max = 60,
		.utility_arrears_per_month = -30,
		.utility_arrears_min = -90,
		.patent = {20, 8, 8},
		.patents_max = 100,
		.trademark_each = 5,
		.trademarks_max = 30,
		.rnd_per_100k_yuan = 1,
		.rnd_max = 60,
		.env = {40, 20, 0, -80, -200},
		.years_per_year = 10,
		.years_max = 50,
		.award_each = 20,
		.awards_max = 40,
		.commitment_kept_each = 5,
		.commitments_kept_max = 20,
		.commitment_broken_each = -60,
		.penalty = {0, -50, -150},
		.penalty_window_years = 3,
		.dishonest_debtor_score_cap = 499,
		.grade_a_min = 800,
		.grade_b_min = 650,
		.grade_c_min = 500,
	};

	XYD_ASSERT(w);
	*w = v1;
}

/* ------------------------------------------------------------ dates */

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int32_t scoring_days_from_civil(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;			/* [0, 399] */
	int64_t mp = month > 2 ? month - 3 : month + 9; /* March is 0 */
	int64_t doy = (153 * mp + 2) / 5 + day - 1;	/* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	XYD_ASSERT(year >= -YEAR_LIMIT && year <= YEAR_LIMIT);
	XYD_ASSERT(month >= 1 && month <= 12);
	XYD_ASSERT(day >= 1 && day <= 31);
	return (int32_t)(era * 146097 + doe - 719468);
}

void scoring_civil_from_days(int32_t days, int *year, int *month, int *day)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097; /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

static int days_in_month(int year, int month)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

	return month == 2 && leap ? 29 : dim[month - 1];
}

/* The same calendar day `years` years earlier; a 29 February with no match
 * becomes the 28th (the month's last day, as the Civil Code, art. 203,
 * counts periods). */
static int32_t years_before(int32_t day, int years)
{
	int y, m, d;

	scoring_civil_from_days(day, &y, &m, &d);
	if (years < 0)
		years = 0;
	if ((int64_t)y - years < -YEAR_LIMIT || (int64_t)y - years > YEAR_LIMIT)
		/* beyond the calendar's range: near enough, and within int32 */
		return (int32_t)clamp64((int64_t)day - (int64_t)years * 146097 / 400, INT32_MIN,
					INT32_MAX);
	y -= years;
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	return scoring_days_from_civil(y, m, d);
}

/* Whole years from `from` to `to`: a year is full on its anniversary, which
 * for a 29 February founding is the 28th in common years. */
static int64_t full_years(int32_t from, int32_t to)
{
	int fy, fm, fd, ty, tm, td, anniversary;
	int64_t years;

	if (to <= from)
		return 0;
	scoring_civil_from_days(from, &fy, &fm, &fd);
	scoring_civil_from_days(to, &ty, &tm, &td);
	years = (int64_t)ty - fy;
	anniversary = fd < days_in_month(ty, fm) ? fd : days_in_month(ty, fm);
	if (tm < fm || (tm == fm && td < anniversary))
		years--;
	XYD_ASSERT(years >= 0);
	return years;
}

/* ------------------------------------------------------------ arithmetic */

static int64_t clamp_points(int64_t v)
{
	return clamp64(v, -POINTS_LIMIT, POINTS_LIMIT);
}

/* weight × count, counts below 0 taken as 0. */
static int64_t points_times(int weight, int64_t count)
{
	return clamp_points((int64_t)weight * clamp64(count, 0, POINTS_LIMIT));
}

static int64_t points_add(int64_t a, int64_t b)
{
	XYD_ASSERT(a >= -POINTS_LIMIT && a <= POINTS_LIMIT);
	XYD_ASSERT(b >= -POINTS_LIMIT && b <= POINTS_LIMIT);
	return clamp_points(a + b);
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t record_points_raw(const scoring_weights *w, const scoring_record *r)
{
	switch (r->category) {
	case SCORING_TAX_RATING:
		return w->tax[r->kind];
	case SCORING_SOCIAL_SECURITY:
		return points_times(w->social_security_per_month, min64(r->count, MONTHS_PER_YEAR));
	case SCORING_HOUSING_FUND:
		return points_times(w->housing_fund_per_month, min64(r->count, MONTHS_PER_YEAR));
	case SCORING_UTILITY_ARREARS:
		return points_times(w->utility_arrears_per_month, r->count);
	case SCORING_PATENT:
		return points_times(w->patent[r->kind], r->count);
	case SCORING_TRADEMARK:
		return points_times(w->trademark_each, r->count);
	case SCORING_RND_EXPENSE:
		return points_times(w->rnd_per_100k_yuan, r->amount_fen / FEN_PER_100K_YUAN);
	case SCORING_ENV_RATING:
		return w->env[r->kind];
	case SCORING_ADMIN_PENALTY:
		return w->penalty[r->kind];
	case SCORING_COMMITMENT:
		return w->commitment_kept_each;
	case SCORING_COMMITMENT_BREACH:
		return w->commitment_broken_each;
	case SCORING_AWARD:
		return w->award_each;
	case SCORING_DISHONEST_DEBTOR:
	case SCORING_REPAIR:
	case SCORING_CATEGORY_COUNT:
		break;
	}
	return 0;
}

/* What one record adds before its factor's cap or floor. */
static int64_t record_points(const scoring_weights *w, const scoring_record *r)
{
	return clamp_points(record_points_raw(w, r));
}

/* The most each factor can add, taking arrears, breaches and penalties as
 * the penalties they are (their best case is having none). */
static int max_points(const scoring_weights *w, int f)
{
	int64_t m = 0;
	int i;

	switch (f) {
	case F_TAX:
		m = w->tax[0];
		for (i = 1; i <= SCORING_TAX_NONE; i++)
			m = max64(m, w->tax[i]);
		return (int)clamp_points(m);
	case F_SOCIAL:
		m = min64(points_times(w->social_security_per_month, MONTHS_PER_YEAR),
			  w->social_security_max);
		break;
	case F_HOUSING:
		m = min64(points_times(w->housing_fund_per_month, MONTHS_PER_YEAR),
			  w->housing_fund_max);
		break;
	case F_PATENTS:
		if (w->patent[0] > 0 || w->patent[1] > 0 || w->patent[2] > 0)
			m = w->patents_max;
		break;
	case F_TRADEMARKS:
		m = w->trademark_each > 0 ? w->trademarks_max : 0;
		break;
	case F_RND:
		m = w->rnd_per_100k_yuan > 0 ? w->rnd_max : 0;
		break;
	case F_ENV:
		for (i = 0; i < (int)(sizeof w->env / sizeof w->env[0]); i++)
			m = max64(m, w->env[i]);
		break;
	case F_YEARS:
		m = w->years_per_year > 0 ? w->years_max : 0;
		break;
	case F_AWARDS:
		m = w->award_each > 0 ? w->awards_max : 0;
		break;
	case F_COMMITMENTS:
		m = w->commitment_kept_each > 0 ? w->commitments_kept_max : 0;
		break;
	default:
		break;
	}
	return (int)clamp_points(max64(m, 0));
}

/* ------------------------------------------------------------ repairs */

/* Repairs are found by hashing (source_dept, source record id). Without
 * allocation the table is bounded, so records are folded in as many passes
 * as the repairs need, each pass taking one hash partition of records and
 * repairs: O(n) per pass, and one pass for up to REPAIRS_PER_PASS repairs. */
typedef struct {
	size_t slot[REPAIR_SLOTS_MAX];	/* record index + 1; 0 is empty */
	uint32_t tag[REPAIR_SLOTS_MAX]; /* low hash bits, to skip most compares */
	size_t mask;
	size_t used;
	bool overflow; /* some repairs of this pass are not in it */
} repair_table;

static uint64_t key_hash(const char *dept, const char *id)
{
	uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a, then mixed */
	size_t i;

	for (i = 0; i <= SCORING_ID_MAX && dept[i]; i++)
		h = (h ^ (unsigned char)dept[i]) * UINT64_C(1099511628211);
	h = (h ^ 0xff) * UINT64_C(1099511628211); /* no byte of a string */
	for (i = 0; i <= SCORING_ID_MAX && id[i]; i++)
		h = (h ^ (unsigned char)id[i]) * UINT64_C(1099511628211);
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	return h ^ (h >> 33);
}

static uint64_t repair_hash(const scoring_record *repair)
{
	return key_hash(repair->source_dept, repair->repairs_source_record_id);
}

static size_t partition_of(uint64_t h, size_t npasses)
{
	return (size_t)((h >> 32) % npasses);
}

static bool same_id(const char *a, const char *b)
{
	return strncmp(a, b, SCORING_ID_MAX + 1) == 0;
}

static bool repairs(const scoring_record *repair, const scoring_record *r)
{
	return repair->category == SCORING_REPAIR && same_id(repair->source_dept, r->source_dept) &&
	       same_id(repair->repairs_source_record_id, r->source_record_id);
}

/* The slot holding a repair of (r's source_dept, id), or the empty slot
 * where one would go; the table is never full, so the probe ends. */
static size_t repair_probe(const repair_table *t, const scoring_record *records,
			   const scoring_record *r, const char *id, uint64_t h)
{
	size_t j;

	for (j = h & t->mask; t->slot[j]; j = (j + 1) & t->mask) {
		const scoring_record *repair = &records[t->slot[j] - 1];

		if (t->tag[j] == (uint32_t)h && same_id(repair->source_dept, r->source_dept) &&
		    same_id(repair->repairs_source_record_id, id))
			return j;
	}
	return j;
}

static void repair_table_build(repair_table *t, const scoring_record *records, size_t n,
			       size_t pass, size_t npasses, size_t nrepairs)
{
	size_t per_pass = (nrepairs + npasses - 1) / npasses;
	size_t slots = 8, i, j;

	while (slots < 4 * per_pass && slots < REPAIR_SLOTS_MAX)
		slots *= 2;
	t->mask = slots - 1;
	t->used = 0;
	t->overflow = false;
	memset(t->slot, 0, slots * sizeof t->slot[0]);
	for (i = 0; i < n; i++) {
		const scoring_record *r = &records[i];
		uint64_t h;

		if (r->category != SCORING_REPAIR)
			continue;
		h = repair_hash(r);
		if (partition_of(h, npasses) != pass)
			continue;
		j = repair_probe(t, records, r, r->repairs_source_record_id, h);
		if (t->slot[j])
			continue; /* the same repair again */
		if (4 * (t->used + 1) > 3 * slots) {
			t->overflow = true; /* skewed hashes: scan for these */
			continue;
		}
		t->slot[j] = i + 1;
		t->tag[j] = (uint32_t)h;
		t->used++;
	}
	XYD_ASSERT(4 * t->used <= 3 * slots);
}

static bool repair_table_has(const repair_table *t, const scoring_record *records, size_t n,
			     const scoring_record *r, uint64_t h)
{
	size_t i;

	if (t->slot[repair_probe(t, records, r, r->source_record_id, h)])
		return true;
	if (!t->overflow)
		return false;
	for (i = 0; i < n; i++)
		if (repairs(&records[i], r))
			return true;
	return false;
}

/* ------------------------------------------------------------ folding */

static void note_add(note_list *l, const scoring_record *r, int why)
{
	int i;

	l->total++;
	if (l->n == NOTE_MAX) {
		if (r->id >= l->item[NOTE_MAX - 1].rec->id)
			return;
		l->n--;
	}
	for (i = l->n; i > 0 && l->item[i - 1].rec->id > r->id; i--)
		l->item[i] = l->item[i - 1];
	l->item[i].rec = r;
	l->item[i].why = why;
	l->n++;
	XYD_ASSERT(l->n <= NOTE_MAX);
}

/* Keeps the SCORING_EVIDENCE_MAX smallest ids, ascending. */
static void evidence_add(scoring_factor *f, int64_t *seen, int64_t id)
{
	int i;

	(*seen)++;
	if (f->nevidence == SCORING_EVIDENCE_MAX) {
		if (id >= f->evidence[SCORING_EVIDENCE_MAX - 1])
			return;
		f->nevidence--;
	}
	for (i = f->nevidence; i > 0 && f->evidence[i - 1] > id; i--)
		f->evidence[i] = f->evidence[i - 1];
	f->evidence[i] = id;
	f->nevidence++;
}

static bool newer(const scoring_record *a, const scoring_record *b)
{
	/* R&D counts "the newest year" (api.md): a late upload of an old
	 * year's figure must not replace a newer year's. */
	if (a->category == SCORING_RND_EXPENSE && a->year != b->year)
		return a->year > b->year;
	if (a->observed_on != b->observed_on)
		return a->observed_on > b->observed_on;
	return a->id > b->id;
}

static bool decided_by_newest(int f)
{
	return f == F_TAX || f == F_SOCIAL || f == F_HOUSING || f == F_UTILITY || f == F_RND ||
	       f == F_ENV;
}

static int classify(const scorer *s, const scoring_record *r, bool repaired)
{
	if (repaired)
		return WHY_REPAIRED;
	if (r->expires_on != 0 && r->expires_on < s->today)
		return WHY_EXPIRED;
	if (r->minor_party)
		return WHY_MINOR_PARTY;
	if (r->force_majeure)
		return WHY_FORCE_MAJEURE;
	if (r->category == SCORING_ADMIN_PENALTY && r->observed_on < s->window_start)
		return WHY_OUTSIDE_WINDOW;
	return WHY_COUNTS;
}

static void account(scorer *s, const scoring_record *r, bool repaired)
{
	int f = factor_of[r->category];
	factor_acc *a;
	int why;

	/* The decoder's contract (scorecard.h): a used kind is in range. */
	XYD_ASSERT(kinds_of[r->category] == 1 || r->kind >= 0);
	XYD_ASSERT(kinds_of[r->category] == 1 || r->kind < kinds_of[r->category]);
	XYD_ASSERT(f != F_NONE);
	a = &s->acc[f];
	why = classify(s, r, repaired);
	if (why != WHY_COUNTS) {
		note_add(&a->skipped, r, why);
		return;
	}
	a->ncounting++;
	if (decided_by_newest(f)) {
		if (!a->newest || newer(r, a->newest))
			a->newest = r;
		return;
	}
	evidence_add(&s->out->factors[f], &a->nevidence, r->id);
	if (r->category == SCORING_COMMITMENT_BREACH) {
		/* listed apart, so that kept ones never hide a breach */
		note_add(&a->broken, r, WHY_COUNTS);
		a->sum_broken = points_add(a->sum_broken, record_points(s->w, r));
	} else {
		note_add(&a->counted, r, WHY_COUNTS);
		a->sum = points_add(a->sum, record_points(s->w, r));
	}
}

static void fold_records(scorer *s, const scoring_record *records, size_t n)
{
	size_t nrepairs = 0, npasses, pass, i;
	repair_table t;

	for (i = 0; i < n; i++) {
		XYD_ASSERT((unsigned)records[i].category < SCORING_CATEGORY_COUNT);
		nrepairs += records[i].category == SCORING_REPAIR;
	}
	npasses = nrepairs ? (nrepairs + REPAIRS_PER_PASS - 1) / REPAIRS_PER_PASS : 1;
	for (pass = 0; pass < npasses; pass++) {
		if (nrepairs)
			repair_table_build(&t, records, n, pass, npasses, nrepairs);
		for (i = 0; i < n; i++) {
			const scoring_record *r = &records[i];
			bool repaired = false;

			if (r->category == SCORING_REPAIR)
				continue; /* scores nothing itself */
			if (nrepairs) {
				uint64_t h = key_hash(r->source_dept, r->source_record_id);

				if (partition_of(h, npasses) != pass)
					continue;
				repaired = repair_table_has(&t, records, n, r, h);
			}
			account(s, r, repaired);
		}
	}
}

/* ------------------------------------------------------------ text */

/* A detail being written, in English or in Simplified Chinese: always
 * terminated, never past cap. Both languages go through the same renderers;
 * put_say picks a phrase, and word order branches only where it differs. */
typedef struct {
	char *buf;
	size_t cap;
	size_t len;
	bool truncated;
	bool zh;
} text;

static void text_init(text *t, char *buf, size_t cap, bool zh)
{
	XYD_ASSERT(cap >= 4);
	t->buf = buf;
	t->cap = cap;
	t->len = 0;
	t->truncated = false;
	t->zh = zh;
	buf[0] = '\0';
}

static void put_mem(text *t, const char *s, size_t n)
{
	size_t room = t->cap - 1 - t->len;

	if (n > room) {
		n = room;
		t->truncated = true;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

/* Inline, so that the length of a literal is known where it is put: the
 * details are hundreds of short pieces, and strlen was a quarter of the time. */
static inline void put_str(text *t, const char *s)
{
	put_mem(t, s, strlen(s));
}

/* The phrase of the detail's language. */
static inline void put_say(text *t, const char *en, const char *zh)
{
	if (t->zh)
		put_str(t, zh);
	else
		put_str(t, en);
}

/* Ends a cut detail with "..." (English) or "…" (Chinese) so that a reader
 * knows there was more. The mark goes on a character boundary: a cut never
 * leaves half a UTF-8 sequence. */
static void text_finish(text *t)
{
	const char *mark = t->zh ? "\xe2\x80\xa6" : "...";
	size_t n = strlen(mark), at;

	if (t->truncated) {
		at = t->cap - 1 - n;
		while (at > 0 && ((unsigned char)t->buf[at] & 0xC0) == 0x80)
			at--; /* back to the start of a character */
		memcpy(t->buf + at, mark, n + 1);
		t->len = at + n;
	}
	XYD_ASSERT(t->len < t->cap);
}

static const char digit_pairs[201] = "0001020304050607080910111213141516171819"
				     "2021222324252627282930313233343536373839"
				     "4041424344454647484950515253545556575859"
				     "6061626364656667686970717273747576777879"
				     "8081828384858687888990919293949596979899";

/* Digits written by hand, two at a time: a rescore renders millions of
 * numbers, and snprintf costs more than all the arithmetic around it.
 * width (at most 20) pads with zeros. */
static void put_uint_padded(text *t, uint64_t u, int width)
{
	char digits[24];
	char *end = digits + sizeof digits, *p = end;
	unsigned i;

	XYD_ASSERT(width <= 20);
	while (u >= 100) {
		i = (unsigned)(u % 100) * 2;
		u /= 100;
		*--p = digit_pairs[i + 1];
		*--p = digit_pairs[i];
	}
	if (u >= 10) {
		i = (unsigned)u * 2;
		*--p = digit_pairs[i + 1];
		*--p = digit_pairs[i];
	} else {
		*--p = (char)('0' + u);
	}
	while (end - p < width)
		*--p = '0';
	put_mem(t, p, (size_t)(end - p));
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static void put_int(text *t, int64_t v)
{
	if (v < 0)
		put_str(t, "-");
	put_uint_padded(t, magnitude(v), 1);
}

static void put_points(text *t, int64_t v)
{
	if (v > 0)
		put_str(t, "+");
	put_int(t, v);
}

/* Yuan as the pages show money: "1,500.00 yuan", "1,500.00 元". */
static void put_amount(text *t, int64_t fen)
{
	char digits[40];
	char *p = digits + sizeof digits;
	uint64_t yuan = magnitude(fen) / 100;
	int n = 0;

	do {
		if (n++ && n % 3 == 1)
			*--p = ',';
		*--p = (char)('0' + yuan % 10);
		yuan /= 10;
	} while (yuan);
	if (fen < 0)
		*--p = '-';
	put_mem(t, p, (size_t)(digits + sizeof digits - p));
	put_str(t, ".");
	put_uint_padded(t, magnitude(fen) % 100, 2);
	put_say(t, " yuan", " 元");
}

/* English "2024-03-01"; Chinese "2024年3月1日", unpadded. */
static void put_date(text *t, int32_t days)
{
	int y, m, d;

	scoring_civil_from_days(days, &y, &m, &d);
	if (t->zh) {
		put_int(t, y);
		put_str(t, "年");
		put_int(t, m);
		put_str(t, "月");
		put_int(t, d);
		put_str(t, "日");
		return;
	}
	if (y < 0)
		put_str(t, "-");
	put_uint_padded(t, (uint64_t)(y < 0 ? -(int64_t)y : y), 4);
	put_str(t, "-");
	put_uint_padded(t, (uint64_t)m, 2);
	put_str(t, "-");
	put_uint_padded(t, (uint64_t)d, 2);
}

/* English " for 2023" (after the subject), Chinese "2023 年度" (before it),
 * or nothing when the year is unknown (0); callers place it. */
static void put_year(text *t, int year)
{
	if (!year)
		return;
	put_say(t, " for ", "");
	put_int(t, year);
	put_say(t, "", " 年度");
}

static void put_sep(text *t)
{
	if (t->len)
		put_say(t, "; ", "；");
}

static void put_colon(text *t)
{
	put_say(t, ": ", "：");
}

static void put_record(text *t, const scoring_record *r)
{
	put_say(t, " (record ", "（记录 ");
	put_int(t, r->id);
	put_say(t, ")", "）");
}

/* n and its noun: English picks one or many, Chinese has one form. */
static void put_count(text *t, int64_t n, const char *one, const char *many, const char *zh)
{
	put_int(t, n);
	put_say(t, n == 1 ? one : many, zh);
}

/* "+180, capped at 120"; answers the capped points. */
static int64_t put_capped(text *t, int64_t raw, int64_t cap)
{
	cap = clamp_points(cap);
	put_points(t, raw);
	if (raw <= cap)
		return raw;
	put_say(t, ", capped at ", "，上限 ");
	put_int(t, cap);
	return cap;
}

static int64_t put_floored(text *t, int64_t raw, int64_t floor)
{
	floor = clamp_points(floor);
	put_points(t, raw);
	if (raw >= floor)
		return raw;
	put_say(t, ", floored at ", "，下限 ");
	put_int(t, floor);
	return floor;
}

/* Why one record counts 0: "record 18 expired 2024-06-14",
 * "记录 18 已于 2024年6月14日过期". */
static void put_why(text *t, const scorer *s, const note *x)
{
	put_say(t, "record ", "记录 ");
	put_int(t, x->rec->id);
	switch (x->why) {
	case WHY_REPAIRED:
		put_say(t, " repaired", " 已修复");
		break;
	case WHY_EXPIRED:
		put_say(t, " expired ", " 已于 ");
		put_date(t, x->rec->expires_on);
		put_say(t, "", "过期");
		break;
	case WHY_MINOR_PARTY:
		put_say(t, ": minor party", "：当事人为未成年人，不计");
		break;
	case WHY_FORCE_MAJEURE:
		put_say(t, ": force majeure", "：不可抗力，不计");
		break;
	case WHY_OUTSIDE_WINDOW:
		put_say(t, " older than ", " 超过 ");
		put_count(t, s->w->penalty_window_years, " year", " years", " 年，不计");
		break;
	default:
		XYD_ASSERT(0 && "a counting record among the skipped");
	}
}

static void put_skipped(text *t, const scorer *s, const note_list *l)
{
	int i;

	for (i = 0; i < l->n; i++) {
		put_sep(t);
		put_why(t, s, &l->item[i]);
	}
	if (l->total > l->n) {
		put_sep(t);
		put_say(t, "", "另有 ");
		put_count(t, l->total - l->n, " more record not counted",
			  " more records not counted", " 条记录不计");
	}
}

/* ------------------------------------------------------------ factors */

/* Describes one counting record of an "each" factor and its points. */
static void put_item(text *t, const scorer *s, const scoring_record *r)
{
	switch (r->category) {
	case SCORING_PATENT: /* "3 invention patents", "3 项发明专利" */
		put_int(t, r->count);
		put_say(t, " ", " 项");
		put_say(t, patent_names[r->kind], patent_names_zh[r->kind]);
		put_say(t, r->count == 1 ? " patent" : " patents", "");
		break;
	case SCORING_TRADEMARK:
		put_count(t, r->count, " trademark", " trademarks", " 件商标");
		break;
	case SCORING_AWARD:
		put_say(t, "award", "荣誉");
		break;
	case SCORING_COMMITMENT:
		put_say(t, "commitment kept", "信用承诺已履行");
		break;
	case SCORING_COMMITMENT_BREACH:
		put_say(t, "commitment broken", "违背承诺");
		break;
	case SCORING_ADMIN_PENALTY:
		put_say(t, penalty_names[r->kind], penalty_names_zh[r->kind]);
		put_say(t, " penalty", "行政处罚");
		break;
	case SCORING_DISHONEST_DEBTOR:
		put_say(t, "unrepaired dishonest-debtor record", "未修复的失信被执行人记录");
		put_record(t, r);
		return; /* it caps; it adds nothing */
	default:
		XYD_ASSERT(0 && "not an \"each\" category");
	}
	put_record(t, r);
	put_colon(t);
	put_points(t, record_points(s->w, r));
}

static void put_counted(text *t, const scorer *s, const note_list *l)
{
	int i;

	for (i = 0; i < l->n; i++) {
		put_sep(t);
		put_item(t, s, l->item[i].rec);
	}
	if (l->total > l->n) {
		put_sep(t);
		put_say(t, "and ", "另有 ");
		put_int(t, l->total - l->n);
		put_say(t, " more", " 条");
	}
}

static void put_none(text *t)
{
	put_say(t, "none on record: ", "暂无记录：");
}

/* Patents, trademarks, awards, penalties: each record adds, then a cap. */
static int64_t render_each(const scorer *s, text *t, int f, int64_t cap)
{
	const factor_acc *a = &s->acc[f];

	if (!a->counted.total) {
		if (f != F_PENALTIES) {
			put_none(t);
		} else if (!t->zh) {
			put_str(t, "none in the window: ");
		} else {
			put_str(t, "近 ");
			put_int(t, s->w->penalty_window_years);
			put_str(t, " 年内无记录：");
		}
		put_str(t, "0");
		return 0;
	}
	put_counted(t, s, &a->counted);
	if (a->counted.total == 1 && a->sum <= cap)
		return a->sum;
	put_sep(t);
	put_say(t, "total ", "合计 ");
	return put_capped(t, a->sum, cap);
}

static int64_t render_commitments(const scorer *s, text *t)
{
	const factor_acc *a = &s->acc[F_COMMITMENTS];
	int64_t kept = min64(a->sum, clamp_points(s->w->commitments_kept_max));
	int64_t points = points_add(kept, a->sum_broken);

	if (!a->counted.total && !a->broken.total) {
		put_none(t);
		put_str(t, "0");
		return 0;
	}
	put_counted(t, s, &a->broken);
	put_counted(t, s, &a->counted);
	if (kept < a->sum) {
		put_sep(t);
		put_say(t, "kept ", "已履行 ");
		put_capped(t, a->sum, kept);
	}
	if (a->counted.total + a->broken.total > 1) {
		put_sep(t);
		put_say(t, "total ", "合计 ");
		put_points(t, points);
	}
	return points;
}

static int64_t render_dishonest(const scorer *s, text *t)
{
	const factor_acc *a = &s->acc[F_DISHONEST];

	if (!a->counted.total) {
		put_say(t, "no unrepaired dishonest-debtor record", "无未修复的失信被执行人记录");
		return 0;
	}
	put_counted(t, s, &a->counted);
	put_say(t, ": score at most ", "：信用分最高 ");
	put_int(t, clamp64(s->w->dishonest_debtor_score_cap, 0, SCORE_MAX));
	put_say(t, ", grade D", "，等级为 D");
	return 0;
}

static int64_t render_years(const scorer *s, text *t, int32_t founded_on)
{
	int64_t years = full_years(founded_on, s->today);

	put_say(t, "founded ", "成立于 ");
	put_date(t, founded_on);
	put_say(t, ", ", "，满 ");
	put_count(t, years, " full year: ", " full years: ", " 年：");
	return put_capped(t, points_times(s->w->years_per_year, years), s->w->years_max);
}

/* What the deciding record of a newest-decides factor says, before its
 * record id: "tax rating B for 2023" / "2023 年度纳税信用 B 级". */
static void put_newest(text *t, int f, const scoring_record *r)
{
	switch (f) {
	case F_TAX:
		if (t->zh)
			put_year(t, r->year);
		put_say(t, "tax rating ", "纳税信用 ");
		put_str(t, tax_names[r->kind]);
		put_say(t, "", " 级");
		if (!t->zh)
			put_year(t, r->year);
		break;
	case F_SOCIAL:
	case F_HOUSING:
		put_say(t, "", "近 12 个月缴纳 ");
		put_int(t, clamp64(r->count, 0, MONTHS_PER_YEAR));
		put_say(t, " of the last 12 months paid", " 个月");
		break;
	case F_UTILITY:
		put_say(t, "", "欠费 ");
		put_count(t, r->count, " month overdue, ", " months overdue, ", " 个月，");
		put_amount(t, r->amount_fen);
		break;
	case F_RND:
		if (t->zh)
			put_year(t, r->year);
		put_say(t, "R&D expense", "研发投入 ");
		if (!t->zh) {
			put_year(t, r->year);
			put_str(t, " of ");
		}
		put_amount(t, r->amount_fen);
		break;
	case F_ENV:
		put_say(t, "environmental rating ", "环境信用评价为");
		put_say(t, env_names[r->kind], env_names_zh[r->kind]);
		break;
	default:
		XYD_ASSERT(0 && "not a newest-decides factor");
	}
}

/* Tax, social security, housing fund, arrears, R&D, environment: the
 * newest counting record decides. */
static int64_t render_newest(const scorer *s, text *t, int f)
{
	const scoring_weights *w = s->w;
	const scoring_record *r = s->acc[f].newest;
	int64_t raw;

	if (!r) {
		raw = f == F_TAX ? clamp_points(w->tax[SCORING_TAX_NONE]) : 0;
		put_none(t);
		put_points(t, raw);
		return raw;
	}
	raw = record_points(w, r);
	put_newest(t, f, r);
	put_record(t, r);
	put_colon(t);
	if (f == F_UTILITY)
		return put_floored(t, raw, w->utility_arrears_min);
	if (f == F_SOCIAL)
		return put_capped(t, raw, w->social_security_max);
	if (f == F_HOUSING)
		return put_capped(t, raw, w->housing_fund_max);
	if (f == F_RND)
		return put_capped(t, raw, w->rnd_max);
	put_points(t, raw);
	return raw;
}

static int64_t render_points(const scorer *s, text *t, int f, int32_t founded_on)
{
	const scoring_weights *w = s->w;

	switch (f) {
	case F_PATENTS:
		return render_each(s, t, f, w->patents_max);
	case F_TRADEMARKS:
		return render_each(s, t, f, w->trademarks_max);
	case F_AWARDS:
		return render_each(s, t, f, w->awards_max);
	case F_PENALTIES:
		return render_each(s, t, f, POINTS_LIMIT);
	case F_COMMITMENTS:
		return render_commitments(s, t);
	case F_DISHONEST:
		return render_dishonest(s, t);
	case F_YEARS:
		return render_years(s, t, founded_on);
	default:
		return render_newest(s, t, f);
	}
}

/* One factor's detail in one language (its evidence already set); answers
 * its points, which do not depend on the language. */
static int64_t render_detail(const scorer *s, int f, int32_t founded_on, text *t)
{
	const scoring_factor *out = &s->out->factors[f];
	const factor_acc *a = &s->acc[f];
	int64_t points = render_points(s, t, f, founded_on);

	if (decided_by_newest(f) && a->newest && a->ncounting > 1) {
		put_sep(t);
		put_say(t, "", "另有 ");
		put_count(t, a->ncounting - 1, " older record not used", " older records not used",
			  " 条较早记录未采用");
	}
	put_skipped(t, s, &a->skipped);
	if (a->nevidence > out->nevidence) {
		put_sep(t);
		put_say(t, "evidence lists ", "证据列出 ");
		put_int(t, out->nevidence);
		put_say(t, ", and ", " 条，另有 ");
		put_int(t, a->nevidence - out->nevidence);
		put_say(t, " more", " 条未列出");
	}
	text_finish(t);
	return points;
}

static void render_factor(scorer *s, int f, int32_t founded_on)
{
	scoring_factor *out = &s->out->factors[f];
	const factor_acc *a = &s->acc[f];
	int64_t points;
	text t;

	out->factor = factor_names[f];
	out->max_points = max_points(s->w, f);
	if (decided_by_newest(f) && a->newest) {
		out->evidence[0] = a->newest->id;
		out->nevidence = 1;
	}
	text_init(&t, out->detail, sizeof out->detail, false);
	points = render_detail(s, f, founded_on, &t);
	text_init(&t, out->detail_zh, sizeof out->detail_zh, true);
	if (render_detail(s, f, founded_on, &t) != points)
		XYD_ASSERT(0 && "a detail's language changed its points");
	out->points = (int)clamp_points(points);
	XYD_ASSERT(out->points >= -POINTS_LIMIT && out->points <= POINTS_LIMIT);
	XYD_ASSERT(out->nevidence >= 0 && out->nevidence <= SCORING_EVIDENCE_MAX);
}

/* ------------------------------------------------------------ score */

static char grade_of(const scoring_weights *w, int score)
{
	if (score >= w->grade_a_min)
		return 'A';
	if (score >= w->grade_b_min)
		return 'B';
	if (score >= w->grade_c_min)
		return 'C';
	return 'D';
}

static int64_t points_total(const scoring_weights *w, const scoring_result *out)
{
	int64_t total = clamp_points(w->base);
	int f;

	for (f = 0; f < SCORING_FACTOR_COUNT; f++)
		total += out->factors[f].points;
	return total;
}

static void finish_score(const scoring_weights *w, scoring_result *out)
{
	int64_t clamped = clamp64(points_total(w, out), 0, SCORE_MAX);
	int64_t cap = clamp64(w->dishonest_debtor_score_cap, 0, SCORE_MAX);
	bool capped = out->dishonest_debtor && clamped > cap;

	out->score = (int)(capped ? cap : clamped);
	out->grade = out->dishonest_debtor ? 'D' : grade_of(w, out->score);

	XYD_ASSERT(out->score >= 0 && out->score <= SCORE_MAX);
	XYD_ASSERT(out->grade == (out->dishonest_debtor ? 'D' : grade_of(w, out->score)));
	XYD_ASSERT(capped || out->score == clamped);
	XYD_ASSERT(!capped || out->score < clamped);
}

void scoring_compute(const scoring_weights *w, const scoring_record *records, size_t n,
		     int32_t founded_on, int32_t today, scoring_result *out)
{
	scorer s;
	int f;

	XYD_ASSERT(w);
	XYD_ASSERT(out);
	XYD_ASSERT(records || n == 0);
	memset(out, 0, sizeof *out);
	memset(&s, 0, sizeof s);
	s.w = w;
	s.out = out;
	s.today = today;
	s.window_start = years_before(today, w->penalty_window_years);
	fold_records(&s, records, n);
	for (f = 0; f < SCORING_FACTOR_COUNT; f++)
		render_factor(&s, f, founded_on);
	out->dishonest_debtor = s.acc[F_DISHONEST].counted.total > 0;
	out->broken_commitments = (int)min64(s.acc[F_COMMITMENTS].broken.total, INT_MAX);
	finish_score(w, out);
}
