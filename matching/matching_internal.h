/*
 * What the matching engine's files share and do not export: the snapshot's
 * column chunks and id map, compiled products, the block scan kernel, the
 * criteria evaluator and the assignment solver. Tests include this header to
 * reach them; nothing outside matching/ and tests/matching/ should.
 */
#ifndef XYD_MATCHING_INTERNAL_H
#define XYD_MATCHING_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/base.h"
#include "matching.h"

/* Rows per column chunk, the unit of copy-on-write and of the block scan. */
#define MATCHING_CHUNK_ROWS 2048u
/* The id map's fixed number of segments, each copied on write on its own. */
#define MATCHING_MAP_SEGMENTS 1024u

/* Aborting allocation: running out of memory is not recoverable. */
void *matching_xmalloc(size_t size);
void *matching_xcalloc(size_t count, size_t size);
void *matching_xrealloc(void *ptr, size_t size);

/* FNV-1a 64. Integers are fed as fixed-width little-endian bytes. */
#define MATCHING_FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define MATCHING_FNV_PRIME UINT64_C(0x100000001b3)
uint64_t matching_fnv_bytes(uint64_t h, const void *p, size_t n);
uint64_t matching_fnv_int(uint64_t h, uint64_t v, unsigned width);
uint64_t matching_fnv_str(uint64_t h, const char *s); /* with its NUL */
uint64_t matching_fnv_enterprise(uint64_t h, const matching_enterprise *e);

/* Revenue in units of 10,000 fen, saturated at UINT32_MAX: a 4-byte column
 * the scan compares first; only rows in the minimum's own bucket need the
 * exact 8-byte value. */
static inline uint32_t matching_revenue_bucket(int64_t fen)
{
	int64_t b = fen / 10000;

	return b > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)b;
}

/* Writes fen as yuan with thousands separators and two decimals
 * ("1,234.50"), as the pages show money; returns buf. */
char *matching_format_yuan(int64_t fen, char *buf, size_t size);
/* Writes a day as YYYY-MM-DD; returns buf. */
char *matching_format_day(int32_t day, char *buf, size_t size);
/* Writes a day as "2025年3月1日"; returns buf. */
char *matching_format_day_zh(int32_t day, char *buf, size_t size);
/* The longest prefix of s[0..len) that ends at a UTF-8 character boundary:
 * len less a trailing lead byte and its continuation bytes when that
 * character is incomplete. Bytes before it are not checked. */
size_t matching_utf8_boundary(const char *s, size_t len);
/* Copies src into dst[size], cut at a character boundary when it does not
 * fit. */
void matching_copy_utf8(char *dst, size_t size, const char *src);
/* The last day on which an enterprise founded then is not yet min_years old:
 * founded_on <= matching_years_cutoff(today, n) iff years_between >= n. */
int32_t matching_years_cutoff(int32_t today, int32_t years);

/* ------------------------------------------------------------- snapshot */

struct matching_chunk {
	int refs;	/* versions holding this chunk */
	int64_t id_min; /* the least id in the chunk (ids of rows never change) */
	int64_t id[MATCHING_CHUNK_ROWS];
	int64_t revenue_fen[MATCHING_CHUNK_ROWS];
	uint32_t revenue_bucket[MATCHING_CHUNK_ROWS]; /* matching_revenue_bucket() */
	int32_t founded_on[MATCHING_CHUNK_ROWS];
	int32_t whitelist_until[MATCHING_CHUNK_ROWS];
	uint32_t industry[MATCHING_CHUNK_ROWS];
	int16_t score[MATCHING_CHUNK_ROWS];
	uint16_t park_id[MATCHING_CHUNK_ROWS];
	uint8_t grade[MATCHING_CHUNK_ROWS];
	uint8_t town[MATCHING_CHUNK_ROWS];
	uint8_t tags[MATCHING_CHUNK_ROWS];
	uint8_t whitelist[MATCHING_CHUNK_ROWS];
};

/* One segment of the id → row map: open addressing, key 0 empty. */
struct matching_map_segment {
	int refs;
	uint32_t cap; /* power of two */
	uint32_t used;
	int64_t *keys; /* point into this allocation */
	uint32_t *rows;
};

struct matching_snapshot {
	uint64_t version;
	size_t count;
	uint64_t content_hash;
	size_t nchunks, chunks_cap;
	struct matching_chunk **chunks;
	struct matching_map_segment *segments[MATCHING_MAP_SEGMENTS];
};

/* The row of an id, or UINT32_MAX. */
uint32_t matching_snapshot_find(const struct matching_snapshot *s, int64_t id);
void matching_snapshot_row(const struct matching_snapshot *s, uint32_t row,
			   matching_enterprise *out);

/* ------------------------------------------------------------- catalogue */

/* A product compiled for evaluation: ranges, criteria as masks, constants. */
struct matching_cprod {
	int64_t id;
	int64_t amount_min, amount_max;
	int64_t min_revenue;
	int64_t program_id;
	int64_t cap_fen;    /* programme cap per enterprise, 0: none */
	uint64_t town_mask; /* bit t set: town index t passes */
	int32_t term_min, term_max;
	int32_t rate_min;
	int32_t min_years;
	int32_t remaining;	 /* places left this month */
	int32_t cost_points;	 /* fit part C */
	int32_t capacity_points; /* fit part K */
	int32_t net_rate_bps;
	int16_t min_score;
	int16_t floor_score;   /* the margin is measured from here */
	uint16_t program_park; /* 0: no park bonus */
	uint8_t status, collateral, min_grade, required_tags, whitelist_only;
	uint8_t nindustries, nparks;
	uint32_t industry_val[MATCHING_LIST_MAX];
	uint32_t industry_mask[MATCHING_LIST_MAX];
	uint16_t parks[MATCHING_LIST_MAX];
};

/* A park's Chinese name, for the details. */
struct matching_park_name {
	uint16_t id;
	char name[MATCHING_PLACE_NAME_MAX];
};

struct matching_catalog {
	size_t n;
	matching_product *products; /* sorted by id */
	struct matching_cprod *cp;  /* same order */
	int64_t *ids;		    /* same order */
	size_t nprograms;
	matching_program *programs; /* sorted by id */
	matching_grade_scale scale;
	size_t ntown_codes;
	char town_codes[MATCHING_TOWNS_MAX][33];
	char town_names_zh[MATCHING_TOWNS_MAX][MATCHING_PLACE_NAME_MAX];
	size_t npark_names;
	struct matching_park_name *park_names; /* sorted by id, ids unique */
	uint64_t hash;
};

/* The Chinese name of a park, or NULL when the catalogue has none. */
const char *matching_catalog_park_name(const matching_catalog *c, uint16_t park_id);
/* Index of a product id in the catalogue, or -1. */
long matching_catalog_find(const matching_catalog *c, int64_t id);
/* The prefix mask of a packed industry code (letter and its digits). */
uint32_t matching_industry_mask(uint32_t packed);

/* ------------------------------------------------------------- criteria */

/* A demand prepared once for checking many products. */
struct matching_ectx {
	matching_enterprise e;
	int32_t today;
	int32_t years;	  /* whole years in business as of today */
	bool whitelisted; /* approved and whitelist_until >= today */
	bool has_request;
	matching_request r;
	const matching_balance *balances;
	size_t nbalances;
};

matching_status matching_demand_check(const matching_demand *d, matching_error *err);
void matching_ectx_init(struct matching_ectx *x, const matching_demand *d, int32_t today);
int64_t matching_outstanding(const struct matching_ectx *x, int64_t program_id);
/* Bit (1u << criterion) per failed criterion. */
uint32_t matching_eval(const struct matching_cprod *p, const struct matching_ectx *x);
int32_t matching_fit_compute(const struct matching_cprod *p, const struct matching_ectx *x,
			     matching_fit_parts *parts);
/* Both of the above for every product of c, into failed[] and fit[]. */
void matching_eval_all(const matching_catalog *c, const struct matching_ectx *x, uint32_t *failed,
		       int32_t *fit);
/* The one change that fixes every failed criterion, or lever NONE. */
matching_hint matching_hint_compute(const matching_catalog *c, const struct matching_cprod *p,
				    const struct matching_ectx *x, uint32_t failed);
/* Fit part A (full 100) or T (full 50): full at the middle of [lo, hi],
 * full/2 at either end, 0 outside. */
int32_t matching_range_points(int64_t v, int64_t lo, int64_t hi, int32_t full);
int32_t matching_margin_points(int32_t score, int32_t floor_score);

/* ----------------------------------------------------------- block scan */

/* A product compiled for one scan over columns. */
struct matching_filter {
	int32_t today;
	int32_t founded_cutoff; /* INT32_MAX: no minimum years */
	int64_t min_revenue;
	uint32_t min_revenue_bucket;
	uint64_t town_mask;
	bool any_town;
	uint8_t ntowns;
	uint8_t towns[MATCHING_TOWNS_MAX]; /* the indexes town_mask holds */
	bool whitelist;
	int16_t min_score;
	uint8_t min_grade;
	uint8_t required_tags;
	uint8_t nindustries, nparks;
	uint32_t industry_val[MATCHING_LIST_MAX];
	uint32_t industry_mask[MATCHING_LIST_MAX];
	uint16_t parks[MATCHING_LIST_MAX];
	/* per-row requests (pairing); off for candidate scans */
	bool row_request;
	int64_t amount_min, amount_max;
	int32_t term_min, term_max;
	uint8_t collateral;
	int64_t cap_fen;
	/* fit: base + margin(score) + park bonus */
	int32_t fit_base;
	int16_t floor_score;
	uint16_t program_park;
};

/* MATCHING_CHUNK_ROWS rows of columns; every pointer readable that far. */
struct matching_cols {
	const int16_t *score;
	const uint8_t *grade;
	const uint32_t *industry;
	const uint8_t *town;
	const uint16_t *park_id;
	const int32_t *founded_on;
	const int64_t *revenue_fen;
	const uint32_t *revenue_bucket;
	const uint8_t *tags;
	const uint8_t *whitelist;
	const int32_t *whitelist_until;
	/* row_request only */
	const int64_t *amount_fen;
	const int32_t *term_months;
	const uint8_t *collateral;
	const int64_t *outstanding_fen; /* in the product's programme */
};

void matching_filter_init(struct matching_filter *f, const struct matching_cprod *p, int32_t today,
			  bool require_whitelist);
/* ok[i] = 1 when row i meets every criterion of f, else 0, for all
 * MATCHING_CHUNK_ROWS rows (the caller masks rows past its count). */
void matching_scan_block(const struct matching_filter *f, const struct matching_cols *c,
			 uint8_t *ok);
/* fit[i] = f->fit_base + margin + park bonus, for all rows. */
void matching_fit_block(const struct matching_filter *f, const struct matching_cols *c,
			int32_t *fit);

/* Sorts keys stably by their bits lo_bit .. hi_bit-1 (LSD radix; tmp as
 * long as keys). Bits below lo_bit ride along as payload. */
void matching_radix_sort(uint64_t *keys, uint64_t *tmp, size_t n, unsigned lo_bit, unsigned hi_bit);
static inline unsigned matching_popcount(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0fu;
	return (x * 0x01010101u) >> 24;
}

/* ------------------------------------------------------------ pairing */

/*
 * Max-weight b-matching: application a may take one product among
 * prod[start[a] .. start[a+1]) with weight fit[] (>= 0), product p at most
 * cap[p] applications. Maximises total fit, then the number assigned.
 * Writes asg[a] = product or -1. Deterministic for the same arrays.
 */
void matching_solve(uint32_t napps, uint32_t nprods, const uint32_t *start, const uint32_t *prod,
		    const int32_t *fit, const int32_t *cap, int32_t *asg);

/* The eligible pairs of a pairing, application indexes in application id
 * order (order[i] is the caller's index of the i-th), products as catalogue
 * indexes, in scan order. */
struct matching_pairs {
	uint32_t *order;
	uint32_t *app, *prod;
	int32_t *fit;
	size_t n, cap;
};

matching_status matching_pairs_find(const matching_catalog *c, const matching_application *apps,
				    size_t napps, int32_t today, struct matching_pairs *out,
				    matching_error *err);
void matching_pairs_release(struct matching_pairs *e);

#endif
