/*
 * The matching engine: which loan products fit an enterprise's demand, which
 * whitelisted enterprises fit a bank's product, and how to pair open
 * applications with products so that the total fit is the largest possible.
 * Every answer explains itself criterion by criterion and carries the engine
 * version and a hash of its inputs, so the bureau can reproduce it.
 *
 * Pure C11, libc only, no I/O, no threads, no global state. The caller (the
 * server) turns database rows into these plain structs and the answers back
 * into JSON. docs/matching.md has the fit formula and the design.
 *
 * Two immutable inputs:
 *   - matching_snapshot: every enterprise as columns (struct of arrays),
 *     versioned. A new version is made with matching_snapshot_edit_new(),
 *     changed row by row and published; unchanged storage is shared with the
 *     old version (copy-on-write in 2,048-row chunks), so a change costs
 *     O(rows changed × chunk) + O(enterprises / 2,048), never a reload.
 *   - matching_catalog: every product and programme, compiled; small, so it is
 *     rebuilt whole when a product or programme changes.
 *
 * Threads. Queries only read; any number may run at once on published
 * versions. Making, editing, publishing and freeing versions that share
 * storage (one lineage) must be serialised by the caller — one writer at a
 * time, e.g. under the writer's mutex — because those calls move the plain
 * (non-atomic) reference counts of shared chunks. The caller decides when no
 * reader still holds an old version (e.g. its own atomic count per published
 * pointer) and frees it then, under the same serialisation.
 *
 * Dates are whole days since 1970-01-01 (proleptic Gregorian), money is
 * integer fen, rates are basis points of an annual rate. No floating point
 * reaches an answer.
 */
#ifndef XYD_MATCHING_MATCHING_H
#define XYD_MATCHING_MATCHING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Engine version: changes whenever a criterion or the fit formula changes. */
#define MATCHING_ENGINE_VERSION "matching-1"

/* ---------------------------------------------------------------- limits */

enum {
	MATCHING_LIST_MAX = 16,	 /* industries, towns or parks in one product's criteria */
	MATCHING_TOWNS_MAX = 63, /* town indexes 0..62; 63 is MATCHING_TOWN_NONE */
	MATCHING_TOWN_NONE = 63,
	MATCHING_SCORE_MAX = 1000,
	MATCHING_SCORE_NONE = -1, /* not scored yet */
	MATCHING_PRODUCTS_MAX = 100000,
	MATCHING_PROGRAMS_MAX = 4096,
	MATCHING_BALANCES_MAX = 64, /* programme balances in one demand */
	MATCHING_TOPK_MAX = 10000,
	MATCHING_APPLICATIONS_MAX = 1000000,
	MATCHING_DETAIL_MAX = 160, /* bytes of one reason's detail, NUL included */
	MATCHING_DETAIL_ZH_MAX =
		320, /* bytes of its Chinese detail (3 bytes a character), NUL included */
	MATCHING_PLACE_NAME_MAX =
		97, /* bytes of a town's or park's Chinese name in the catalogue, NUL included */
	MATCHING_FIT_MAX = 1650 /* the largest fit the formula gives */
};
#define MATCHING_ENTERPRISES_MAX 100000000u
#define MATCHING_AMOUNT_MAX_FEN INT64_C(1000000000000000) /* 10^13 yuan */
#define MATCHING_PAIRING_EDGES_MAX 32000000u		  /* eligible pairs one pairing may hold */

/* Every way a call can refuse its input. The server maps these to HTTP. */
typedef enum {
	MATCHING_OK = 0,
	MATCHING_INVALID,   /* a field outside its documented range; err says which */
	MATCHING_DUPLICATE, /* two products, programmes or applications share an id */
	MATCHING_NOT_FOUND, /* no product or enterprise with that id */
	MATCHING_LIMIT	    /* more items than a MATCHING_*_MAX above allows */
} matching_status;

/* Messages of failed calls go here when the caller passes one (or NULL). */
typedef struct {
	char message[160];
} matching_error;

/* ------------------------------------------------------- enums and codes */

typedef enum {
	MATCHING_GRADE_NONE = 0, /* not scored; fails any minimum grade */
	MATCHING_GRADE_D = 1,
	MATCHING_GRADE_C = 2,
	MATCHING_GRADE_B = 3,
	MATCHING_GRADE_A = 4
} matching_grade;

/* Tags as bits of matching_enterprise.tags and matching_product.required_tags. */
enum {
	MATCHING_TAG_HI_TECH = 1 << 0,
	MATCHING_TAG_SPECIALIZED = 1 << 1,
	MATCHING_TAG_TECH_SME = 1 << 2,
	MATCHING_TAG_AGRI_ENTITY = 1 << 3,
	MATCHING_TAG_INTEGRITY_MODEL = 1 << 4,
	MATCHING_TAG_ALL = (1 << 5) - 1
};

typedef enum {
	MATCHING_WL_NONE = 0,
	MATCHING_WL_NOMINATED,
	MATCHING_WL_APPROVED, /* counts only while whitelist_until >= today */
	MATCHING_WL_REJECTED,
	MATCHING_WL_REVOKED,
	MATCHING_WL_EXPIRED /* never stored: reasons report an approved entry past its date so */
} matching_whitelist;

typedef enum {
	MATCHING_COLLATERAL_NONE = 0,
	MATCHING_COLLATERAL_PROPERTY,
	MATCHING_COLLATERAL_IP,
	MATCHING_COLLATERAL_EQUIPMENT,
	MATCHING_COLLATERAL_RECEIVABLES,
	MATCHING_COLLATERAL_COUNT
} matching_collateral;

typedef enum {
	MATCHING_KIND_CREDIT = 0,
	MATCHING_KIND_GUARANTEE,
	MATCHING_KIND_MORTGAGE,
	MATCHING_KIND_IP_PLEDGE,
	MATCHING_KIND_RECEIVABLES,
	MATCHING_KIND_COUNT
} matching_kind;

typedef enum {
	MATCHING_PRODUCT_DRAFT = 0,
	MATCHING_PRODUCT_ACTIVE,
	MATCHING_PRODUCT_PAUSED,
	MATCHING_PRODUCT_RETIRED,
	MATCHING_PRODUCT_STATUS_COUNT
} matching_product_status;

/* api.md names ("property", "hi_tech", "paused" …); NULL/"" when out of range. */
const char *matching_collateral_name(int collateral);
const char *matching_kind_name(int kind);
const char *matching_product_status_name(int status);
const char *matching_whitelist_name(int state);
/* Name of one tag bit ("hi_tech"), or NULL when tag is not exactly one known bit. */
const char *matching_tag_name(unsigned tag);
/* "A" … "D", or "-" for MATCHING_GRADE_NONE. */
const char *matching_grade_name(int grade);

/*
 * Industry codes (GB/T 4754-2017: a section letter and up to six digits,
 * "C", "C26", "C2664") packed into 32 bits so that a product's industry
 * criterion is a prefix test on integers: bits 31..24 hold the letter
 * (A = 1 … Z = 26), then one 4-bit nibble per digit (digit + 1), high first.
 * Returns 0 (no industry, matches no prefix) for anything else.
 */
uint32_t matching_industry_pack(const char *code);
/* Writes the code back ("C26") into buf[8]; "" for 0. Returns buf. */
char *matching_industry_unpack(uint32_t packed, char buf[8]);
/* True when code starts with prefix (both packed, prefix non-zero). */
bool matching_industry_has_prefix(uint32_t code, uint32_t prefix);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int32_t matching_days_from_civil(int year, int month, int day);
void matching_civil_from_days(int32_t days, int *year, int *month, int *day);
/* Whole years from founded_on to today: the anniversaries passed (an
 * enterprise founded on 29 February has its anniversary on 1 March in other
 * years). 0 when today is before founded_on. */
int32_t matching_years_between(int32_t founded_on, int32_t today);

/* ------------------------------------------------------------ enterprises */

/* One enterprise as the engine sees it: one row of the snapshot. */
typedef struct {
	int64_t id;		 /* >= 1 */
	int16_t score;		 /* 0..1000, or MATCHING_SCORE_NONE */
	uint8_t grade;		 /* matching_grade */
	uint8_t town;		 /* the caller's town index 0..62, or MATCHING_TOWN_NONE */
	uint32_t industry;	 /* matching_industry_pack(), 0 when unknown */
	uint16_t park_id;	 /* 1..65535, 0 when in no park */
	uint8_t tags;		 /* MATCHING_TAG_* bits */
	uint8_t whitelist;	 /* matching_whitelist (not EXPIRED) */
	int32_t whitelist_until; /* last valid day of an approved entry; else ignored */
	int32_t founded_on;	 /* day */
	int64_t revenue_fen;	 /* annual revenue, >= 0 */
} matching_enterprise;

/* Checks every field's range; MATCHING_OK or MATCHING_INVALID naming it. */
matching_status matching_enterprise_check(const matching_enterprise *e, matching_error *err);

typedef struct matching_snapshot matching_snapshot;	      /* immutable once published */
typedef struct matching_snapshot_edit matching_snapshot_edit; /* a version being made */

/*
 * Starts a new version from base (NULL: an empty one). The edit shares all
 * of base's storage until a row in it changes. base stays valid and
 * unchanged. Free the edit with _publish (which turns it into a snapshot)
 * or _edit_free. O(enterprises / 2,048 + 1,024 map segments).
 */
matching_snapshot_edit *matching_snapshot_edit_new(const matching_snapshot *base);

/* Inserts e, or replaces the row with e's id. Rows keep their position, so
 * an update never moves a row. MATCHING_INVALID (nothing changed) when a
 * field is out of range, MATCHING_LIMIT at MATCHING_ENTERPRISES_MAX. */
matching_status matching_snapshot_edit_put(matching_snapshot_edit *ed, const matching_enterprise *e,
					   matching_error *err);

/* Reads the row with this id as the edit now holds it. False when absent. */
bool matching_snapshot_edit_get(const matching_snapshot_edit *ed, int64_t id,
				matching_enterprise *out);

/* Finishes the edit: returns the new immutable version (version number one
 * above base's) and frees ed. Free the snapshot with matching_snapshot_free. */
matching_snapshot *matching_snapshot_edit_publish(matching_snapshot_edit *ed);

/* Abandons an edit; its base is unaffected. NULL is allowed. */
void matching_snapshot_edit_free(matching_snapshot_edit *ed);

/* Frees one version; storage another version still shares stays. NULL is
 * allowed. Serialise with the other calls of the lineage (see the top). */
void matching_snapshot_free(matching_snapshot *s);

/* Reads one row by enterprise id. False when absent. */
bool matching_snapshot_get(const matching_snapshot *s, int64_t id, matching_enterprise *out);

size_t matching_snapshot_count(const matching_snapshot *s);
/* 1 for the first version, then base's + 1. */
uint64_t matching_snapshot_version(const matching_snapshot *s);
/* Order-independent hash of every row (wrapping sum of each row's FNV-1a 64),
 * kept current row by row; equal contents give equal hashes. */
uint64_t matching_snapshot_content_hash(const matching_snapshot *s);
/* Bytes of storage this version references (shared chunks counted whole). */
size_t matching_snapshot_bytes(const matching_snapshot *s);

/* -------------------------------------------------- products, programmes */

typedef struct {
	int64_t id;		      /* >= 1 */
	uint16_t park_id;	      /* the owning park; its enterprises get the park bonus */
	int32_t interest_subsidy_bps; /* 0..3600, lowers the net cost in the fit */
	int64_t max_amount_per_enterprise_fen; /* 0: no cap */
} matching_program;

typedef struct {
	int64_t id; /* >= 1 */
	int64_t institution_id;
	int64_t program_id;			  /* 0: none; else a programme of the catalogue */
	uint8_t kind;				  /* matching_kind */
	uint8_t status;				  /* matching_product_status */
	uint8_t collateral;			  /* matching_collateral the product needs */
	int64_t amount_min_fen, amount_max_fen;	  /* 1 <= min <= max <= MATCHING_AMOUNT_MAX_FEN */
	int32_t rate_min_bps, rate_max_bps;	  /* 1 <= min <= max <= 3600 */
	int32_t term_min_months, term_max_months; /* 1 <= min <= max <= 600 */
	/* criteria; a zero / empty value means "no condition" */
	uint8_t min_grade; /* matching_grade */
	int16_t min_score; /* MATCHING_SCORE_NONE, or 0..1000 */
	uint8_t nindustries, ntowns, nparks;
	uint32_t industries[MATCHING_LIST_MAX]; /* packed prefixes */
	uint8_t towns[MATCHING_LIST_MAX];	/* town indexes */
	uint16_t park_ids[MATCHING_LIST_MAX];
	int32_t min_years; /* 0..200 */
	int64_t min_revenue_fen;
	uint8_t required_tags;	  /* all of these */
	bool whitelist_only;	  /* an approved, unexpired whitelist entry */
	int32_t monthly_capacity; /* new applications a month, >= 0 */
	int32_t used_this_month;  /* >= 0; remaining = capacity - used */
} matching_product;

/* The score a grade starts at, for hints ("grade B needed: score 620, 30
 * points short"): min_score[MATCHING_GRADE_B] = 650 under scorecard v1. */
typedef struct {
	int16_t min_score[5]; /* by matching_grade; [NONE] unused */
} matching_grade_scale;

/* Scorecard v1's scale: A 800, B 650, C 500, D 0. */
matching_grade_scale matching_grade_scale_v1(void);

typedef struct matching_catalog matching_catalog;

/*
 * Names the reason details print for places. English prints town codes
 * ("nanqiao") and park ids ("park 3"); Chinese prints town_names_zh[i]
 * ("南桥镇") and the park's name ("东方美谷"), falling back to the code
 * ("nanqiao", then "5 号街镇") and "3 号园区" when a name is missing. All
 * caller-owned and copied; any pointer may be NULL with its count 0. Longer
 * names are cut at a character boundary to MATCHING_PLACE_NAME_MAX - 1 bytes.
 */
typedef struct {
	const char *const *town_codes;	  /* by town index */
	const char *const *town_names_zh; /* by town index; NULL entries allowed */
	size_t ntowns;			  /* entries of each array above */
	const uint16_t *park_ids;	  /* park_ids[i] is named park_names_zh[i] */
	const char *const *park_names_zh;
	size_t nparks;
} matching_place_names;

/*
 * Checks and compiles products and programmes (copied; any order) into a new
 * immutable catalogue, products sorted by id, with the place names its
 * reason details print (names NULL: none). Names are text only: they do not
 * enter the catalogue hash.
 * MATCHING_INVALID / _DUPLICATE / _NOT_FOUND (a product's programme) /
 * _LIMIT with err naming the product; *out is then NULL.
 * Free with matching_catalog_free.
 */
matching_status matching_catalog_new(const matching_product *products, size_t nproducts,
				     const matching_program *programs, size_t nprograms,
				     const matching_grade_scale *scale,
				     const matching_place_names *names, matching_catalog **out,
				     matching_error *err);
void matching_catalog_free(matching_catalog *c);
size_t matching_catalog_count(const matching_catalog *c);
/* The catalogue's copy of a product (owned by it), or NULL. */
const matching_product *matching_catalog_product(const matching_catalog *c, int64_t id);
/* FNV-1a 64 over every product, programme and the grade scale, in id order. */
uint64_t matching_catalog_hash(const matching_catalog *c);

/* ------------------------------------------------------- demand, criteria */

typedef struct {
	int64_t amount_fen;  /* 1..MATCHING_AMOUNT_MAX_FEN */
	int32_t term_months; /* 1..600 */
	uint8_t collateral;  /* matching_collateral offered */
} matching_request;

/* What the enterprise already owes inside one programme (its cap counts it). */
typedef struct {
	int64_t program_id;
	int64_t outstanding_fen;
} matching_balance;

typedef struct {
	matching_enterprise enterprise;
	/* false: no amount, term or collateral asked for (a bank browsing): the
	 * amount, term, collateral and programme-cap criteria are not checked
	 * and add nothing to the fit. */
	bool has_request;
	matching_request request;
	const matching_balance *balances; /* caller-owned; a programme absent owes 0 */
	size_t nbalances;		  /* <= MATCHING_BALANCES_MAX */
} matching_demand;

/* The hard criteria, in the order reasons list them. */
typedef enum {
	MATCH_CRIT_STATUS = 0,	/* product active */
	MATCH_CRIT_CAPACITY,	/* places left this month */
	MATCH_CRIT_AMOUNT,	/* amount in the product's range */
	MATCH_CRIT_TERM,	/* term in range */
	MATCH_CRIT_COLLATERAL,	/* collateral the product needs is offered */
	MATCH_CRIT_PROGRAM_CAP, /* outstanding + amount within the programme's cap */
	MATCH_CRIT_MIN_GRADE,
	MATCH_CRIT_MIN_SCORE,
	MATCH_CRIT_INDUSTRY, /* industry code starts with a listed prefix */
	MATCH_CRIT_TOWN,
	MATCH_CRIT_PARK,
	MATCH_CRIT_YEARS, /* whole years in business */
	MATCH_CRIT_REVENUE,
	MATCH_CRIT_TAGS,      /* every required tag */
	MATCH_CRIT_WHITELIST, /* approved and unexpired, when the product asks */
	MATCH_CRIT_COUNT
} matching_criterion;

/* "status", "capacity", "amount", "term", "collateral", "program_cap",
 * "min_grade", "min_score", "industry", "town", "park", "years_in_business",
 * "revenue", "tags", "whitelist"; NULL out of range. */
const char *matching_criterion_name(int criterion);

/*
 * The one change that would make an ineligible product eligible, when one
 * exists (a single lever fixes every failed criterion). needed and actual are
 * the structured numbers for translation:
 *   SCORE       score needed (the larger of min_score and the grade's start), score now
 *   AMOUNT      the nearest amount that qualifies (fen), amount asked
 *   TERM        the nearest term that qualifies (months), term asked
 *   COLLATERAL  the matching_collateral needed, the one offered
 *   YEARS       the day the enterprise becomes old enough, whole years now
 *   REVENUE     revenue needed (fen), revenue now
 *   TAGS        the MATCHING_TAG_* bits missing, the tags held
 *   WHITELIST   MATCHING_WL_APPROVED, the state now (EXPIRED when lapsed)
 */
typedef enum {
	MATCHING_LEVER_NONE = 0,
	MATCHING_LEVER_SCORE,
	MATCHING_LEVER_AMOUNT,
	MATCHING_LEVER_TERM,
	MATCHING_LEVER_COLLATERAL,
	MATCHING_LEVER_YEARS,
	MATCHING_LEVER_REVENUE,
	MATCHING_LEVER_TAGS,
	MATCHING_LEVER_WHITELIST
} matching_lever;

typedef struct {
	uint8_t lever; /* matching_lever */
	uint8_t grade; /* SCORE: the minimum grade that failed, else 0 */
	int64_t needed;
	int64_t actual;
} matching_hint;

/*
 * One criterion's verdict, with its numbers for translation (detail is
 * English for people, detail_zh the same facts in Simplified Chinese, both
 * UTF-8 never cut inside a character). needed .. needed_max is what the product asks,
 * actual what the demand has:
 *   STATUS       ACTIVE                      product status
 *   CAPACITY     1                           places left
 *   AMOUNT       amount_min .. amount_max    amount asked (fen)
 *   TERM         term_min .. term_max        term asked (months)
 *   COLLATERAL   collateral needed           collateral offered
 *   PROGRAM_CAP  cap per enterprise (0 none) outstanding + amount (fen)
 *   MIN_GRADE    min grade (0 none)          grade
 *   MIN_SCORE    min score (-1 none)         score (-1 none)
 *   INDUSTRY     the prefix matched, else 0  packed industry code
 *   TOWN         the product's town mask     town index
 *   PARK         park id matched, else 0     park id
 *   YEARS        min years                   whole years in business
 *   REVENUE      min revenue (fen)           revenue (fen)
 *   TAGS         required tag bits           tag bits held
 *   WHITELIST    1 if required, else 0       matching_whitelist (EXPIRED when lapsed)
 * needed_max equals needed except for AMOUNT and TERM.
 */
typedef struct {
	uint8_t criterion; /* matching_criterion */
	bool checked;	   /* false: not applicable (no request); counts as passed */
	bool passed;
	int64_t needed;
	int64_t needed_max;
	int64_t actual;
	char detail[MATCHING_DETAIL_MAX];
	char detail_zh[MATCHING_DETAIL_ZH_MAX];
} matching_reason;

/* The fit's six parts (docs/matching.md); fit is their sum. */
typedef struct {
	int32_t amount;	      /* 0..100 */
	int32_t term;	      /* 0..50 */
	int32_t cost;	      /* 0..1000: 1000 - net rate after subsidy, in bps */
	int32_t margin;	      /* 0..300: score above the product's minimum */
	int32_t park;	      /* 0 or 100: the product's programme is the enterprise's park's */
	int32_t capacity;     /* 0..100: share of this month's places still free */
	int32_t net_rate_bps; /* rate_min_bps - subsidy, at least 0 */
} matching_fit_parts;

typedef struct {
	int64_t product_id;
	bool eligible;
	uint32_t failed; /* bit (1u << criterion) for each failed criterion */
	int32_t fit;
	matching_fit_parts parts;
	matching_reason reasons[MATCH_CRIT_COUNT]; /* indexed by matching_criterion */
	matching_hint hint;
	char hint_text[MATCHING_DETAIL_MAX];	   /* "" when no single change suffices */
	char hint_text_zh[MATCHING_DETAIL_ZH_MAX]; /* the same in Chinese */
} matching_explanation;

/*
 * Checks one product against one demand as of today, every criterion with
 * its verdict and details (English and Chinese), the fit and its parts,
 * and the hint in both languages. Fills *out (caller-owned, ~8 KB). MATCHING_NOT_FOUND for an unknown product,
 * MATCHING_INVALID for a demand out of range. Gives the same eligibility and
 * fit as the rankings below.
 */
matching_status matching_explain(const matching_catalog *c, int64_t product_id,
				 const matching_demand *d, int32_t today, matching_explanation *out,
				 matching_error *err);

/* The fit of product for d (its parts into *parts if non-NULL), whether or
 * not d is eligible. MATCHING_NOT_FOUND or MATCHING_INVALID leave *fit
 * untouched. */
matching_status matching_fit(const matching_catalog *c, int64_t product_id,
			     const matching_demand *d, int32_t today, int32_t *fit,
			     matching_fit_parts *parts);

/* Languages of the texts. */
typedef enum { MATCHING_LANG_EN = 0, MATCHING_LANG_ZH } matching_lang;

/* Writes a hint in lang: "grade B needed: score 620, 30 points short" in
 * English, "需要达到 B 级：目前 620 分，还差 30 分" in Chinese; "" for
 * MATCHING_LEVER_NONE. A full buf is cut at a UTF-8 character boundary.
 * Returns buf. */
char *matching_hint_format(const matching_hint *h, matching_lang lang, char *buf, size_t size);

/* ---------------------------------------------- 1. products for a demand */

typedef struct {
	int64_t product_id;
	int32_t fit;
	int32_t rate_min_bps;
	bool eligible;
	uint8_t nfailed;
	uint32_t failed;    /* bit (1u << criterion) for each failed criterion */
	matching_hint hint; /* for ineligible ones */
} matching_product_match;

typedef struct {
	const char *engine_version;    /* MATCHING_ENGINE_VERSION */
	uint64_t input_hash;	       /* FNV-1a 64 of version, today, demand, catalogue hash */
	matching_product_match *items; /* owned; eligible first, then ineligible */
	size_t count;		       /* every product of the catalogue */
	size_t eligible;	       /* items[0 .. eligible) */
} matching_product_ranking;

/*
 * Checks every product against the demand as of today and orders them:
 * eligible ones by fit descending, then rate_min_bps ascending, then product
 * id ascending; after them the ineligible ones by number of failed criteria
 * ascending, then the same keys. Details are not written here (that costs
 * more than the ranking); call matching_explain for the items shown.
 * Fills *out; release it with matching_product_ranking_release.
 * MATCHING_INVALID (out empty) for a demand out of range.
 */
matching_status matching_rank_products(const matching_catalog *c, const matching_demand *d,
				       int32_t today, matching_product_ranking *out,
				       matching_error *err);
void matching_product_ranking_release(matching_product_ranking *r);

/* ---------------------------------------- 2. enterprises for a product */

typedef struct {
	size_t limit; /* k: 1..MATCHING_TOPK_MAX */
	/* Also require an approved, unexpired whitelist entry whatever the
	 * product says (banks see approved entries only). */
	bool approved_whitelist_only;
	bool has_request; /* a hypothetical demand for every enterprise */
	matching_request request;
} matching_candidate_query;

typedef struct {
	int64_t enterprise_id;
	int32_t fit;
	int16_t score;
	uint8_t grade;
} matching_candidate;

typedef struct {
	const char *engine_version;
	uint64_t
		input_hash; /* FNV-1a 64 of version, today, product, query, snapshot and catalogue hashes */
	uint64_t snapshot_version;
	size_t scanned;		   /* enterprises looked at */
	size_t eligible;	   /* of which met every criterion */
	matching_candidate *items; /* owned; fit descending, then enterprise id ascending */
	size_t count;		   /* min(limit, eligible) */
} matching_candidate_ranking;

/*
 * The limit best enterprises for a product as of today, over every row of
 * the snapshot, by the same criteria and fit as matching_rank_products (the
 * programme cap is not checked: balances are per demand). A product that is
 * not active or is full gives no candidates. Explain one with
 * matching_explain on a demand made from matching_snapshot_get.
 * Fills *out; release with matching_candidate_ranking_release.
 */
matching_status matching_rank_enterprises(const matching_snapshot *s, const matching_catalog *c,
					  int64_t product_id, const matching_candidate_query *q,
					  int32_t today, matching_candidate_ranking *out,
					  matching_error *err);
void matching_candidate_ranking_release(matching_candidate_ranking *r);

/* ------------------------------------------------------------ 3. pairing */

typedef struct {
	int64_t application_id; /* unique */
	matching_demand demand; /* has_request must be true */
} matching_application;

typedef struct {
	int64_t application_id;
	int64_t product_id;
	int32_t fit;
} matching_assignment;

typedef struct {
	const char *engine_version;
	uint64_t input_hash; /* FNV-1a 64 of version, today, applications, catalogue hash */
	matching_assignment *assignments; /* owned; by application id */
	size_t nassignments;
	int64_t *unassigned; /* owned; application ids, ascending */
	size_t nunassigned;
	int64_t total_fit;
	size_t edges; /* eligible (application, product) pairs found */
} matching_pairing;

/*
 * Assigns each application to at most one product it is eligible for and
 * each product at most its remaining places this month (capacity − used),
 * maximising the total fit; among assignments of equal total fit, the one
 * with the most applications assigned. Optimal, not greedy: an auction with
 * ε-scaling that is exact for integer fits (matching/assign.c), held to
 * exhaustive search and to a min-cost flow in the tests. A function of the
 * set of applications: their order does not matter. Programme caps hold
 * for each enterprise's assigned applications together (with what it
 * already owes): where the optimum gives one enterprise more than a cap
 * allows, the best-fitting of its applications that fit are kept, the
 * others lose that programme's products and the rest is solved again (at
 * most 8 rounds; then they stay unassigned). The result is then optimal
 * over the pairs left, not over every cap-feasible choice (that problem is
 * a knapsack). Submitting re-checks the cap against fresh balances.
 * Fills *out; release with matching_pairing_release. MATCHING_INVALID /
 * _DUPLICATE / _LIMIT (out empty) for bad input or more than
 * MATCHING_PAIRING_EDGES_MAX eligible pairs.
 */
matching_status matching_pair(const matching_catalog *c, const matching_application *apps,
			      size_t napps, int32_t today, matching_pairing *out,
			      matching_error *err);
void matching_pairing_release(matching_pairing *p);

#endif
