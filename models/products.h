/*
 * Loan products: what an institution offers (amount, rate and term
 * ranges, kind, collateral), to whom (the eligibility criteria matching
 * checks) and how many a month, inside a programme or not.
 *
 *   draft --> active <--> paused
 *   draft, active, paused --> retired   (final: no change at all after)
 *
 * Only active products are public. Checking the fields is the caller's
 * job (server/api/products.c); the table's CHECKs hold the ranges again, so a
 * product that slips past its caller fails to store (XYD_INTERNAL) rather
 * than store wrong. The transition rule is checked here, under the row's
 * lock, and so is the programme: a product names one only while its
 * institution is a partner of it (programs.h). Every change writes its
 * audit row in the same transaction; the caller fills the models_audit and
 * the model sets target_id.
 */
#ifndef XYD_MODELS_PRODUCTS_H
#define XYD_MODELS_PRODUCTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/audit.h"
#include "models/db.h"
#include "models/enum_names.h"
#include "models/record.h"

/* Bounds the API and the table keep. Amounts stop at the matching
 * engine's MATCHING_AMOUNT_MAX_FEN (10^15 fen), below JSON's 2^53, so any
 * stored product compiles into the matching catalogue. */
#define PRODUCT_AMOUNT_MAX_FEN INT64_C(1000000000000000)
#define PRODUCT_RATE_MIN_BPS 1
#define PRODUCT_RATE_MAX_BPS 3600
#define PRODUCT_TERM_MIN_MONTHS 1
#define PRODUCT_TERM_MAX_MONTHS 360
#define PRODUCT_CAPACITY_MAX 100000
#define PRODUCT_MIN_YEARS_MAX 200
#define PRODUCT_LIST_MAX 16 /* industries, towns or parks: matching's MATCHING_LIST_MAX */
#define PRODUCT_NAME_MAX_CHARS 200
#define PRODUCT_DESCRIPTION_MAX_CHARS 2000

typedef enum {
	PRODUCT_DRAFT,
	PRODUCT_ACTIVE,
	PRODUCT_PAUSED,
	PRODUCT_RETIRED,
	PRODUCT_STATUS_COUNT
} models_product_status;

/* "draft" … "retired"; the status named s (false for anything else). */
MODELS_ENUM_NAMES_DECLARE(models_product_status, models_product_status);
/* True when a product may go from one status to the other; staying put is
 * legal except for retired, which takes no change at all. */
bool models_product_transition_legal(models_product_status from, models_product_status to);

/* A product's ranges of amount (fen), rate (bps) and term (months). */
#define MODELS_PRODUCT_TERMS_FIELDS(X)                                                             \
	X(I64, amount_min_fen, 0, "p.amount_min_fen")                                              \
	X(I64, amount_max_fen, 0, "p.amount_max_fen")                                              \
	X(INT, rate_min_bps, 0, "p.rate_min_bps")                                                  \
	X(INT, rate_max_bps, 0, "p.rate_max_bps")                                                  \
	X(INT, term_min_months, 0, "p.term_min_months")                                            \
	X(INT, term_max_months, 0, "p.term_max_months")

/*
 * A product: three field lists, so that its JSON keeps the order clients
 * have always seen (the head, then the criteria object, then the tail).
 * Names: 200 characters of up to 4 bytes; times RFC 3339 UTC.
 * program_id 0 / program_name "": none.
 */
#define MODELS_PRODUCT_HEAD_FIELDS(X)                                                              \
	X(I64, id, 0, "p.id")                                                                      \
	X(I64, institution_id, 0, "p.institution_id")                                              \
	X(TEXT, institution_name, 801, "i.name")                                                   \
	X(ID, program_id, 0, "p.program_id")                                                       \
	X(OPT_TEXT, program_name, 801, "g.name")                                                   \
	X(TEXT, name, 801, "p.name")                                                               \
	X(TEXT, kind, 12, "p.kind") /* credit guarantee mortgage ip_pledge receivables */          \
	MODELS_PRODUCT_TERMS_FIELDS(X)                                                             \
	X(TEXT, collateral, 12, "p.collateral") /* none property ip equipment receivables */
/* The eligibility criteria: "" / -1 / false mean no condition. Written as
 * the nested "criteria" object by hand (lists as arrays, -1 as null). The
 * bounds are shared with matching's product (models/matching_data.h),
 * which reads the required tags as bits. */
#define MODELS_PRODUCT_BOUNDS_FIELDS(X)                                                            \
	X(TEXT_INTERNAL, min_grade, 2, "COALESCE(p.min_grade, '')") /* "A" … "D" or "" */        \
	X(INT_INTERNAL, min_score, 0, "COALESCE(p.min_score, -1)")  /* 0..1000 or -1 */            \
	X(TEXT_INTERNAL, industries, 201, "p.industries")	    /* GB/T 4754 prefixes, a,b */  \
	X(TEXT_INTERNAL, towns, 601, "p.towns")			    /* town codes, a,b */          \
	X(TEXT_INTERNAL, park_ids, 101, "p.park_ids")		    /* park ids, 1,2 */            \
	X(INT_INTERNAL, min_years, 0, "COALESCE(p.min_years, -1)")                                 \
	X(I64_INTERNAL, min_revenue_fen, 0, "COALESCE(p.min_revenue_fen, -1)")
#define MODELS_PRODUCT_CRITERIA_FIELDS(X)                                                          \
	MODELS_PRODUCT_BOUNDS_FIELDS(X)                                                            \
	X(TEXT_INTERNAL, required_tags, 96, "p.required_tags") /* the SET: "hi_tech,tech_sme" */   \
	X(BOOL, whitelist_only, 0, "p.whitelist_only")
/* Written by hand between criteria and the tail; status_name is the stored
 * text, which the readers parse into status. */
#define MODELS_PRODUCT_STATE_FIELDS(X)                                                             \
	X(INT_INTERNAL, monthly_capacity, 0, "p.monthly_capacity")                                 \
	X(TEXT_INTERNAL, status_name, 12, "p.status")
#define MODELS_PRODUCT_TAIL_FIELDS(X)                                                              \
	X(TEXT, description, 8001, "p.description") /* 2000 characters of up to 4 bytes */         \
	X(TEXT, created_at, 32, REC_RFC3339("p.created_at"))                                       \
	X(TEXT, updated_at, 32, REC_RFC3339("p.updated_at"))
/* clang-format off */
#define MODELS_PRODUCT_FIELDS(X)                                                                   \
	MODELS_PRODUCT_HEAD_FIELDS(X)                                                              \
	MODELS_PRODUCT_CRITERIA_FIELDS(X)                                                          \
	MODELS_PRODUCT_STATE_FIELDS(X)                                                             \
	MODELS_PRODUCT_TAIL_FIELDS(X)
/* clang-format on */
typedef struct {
	MODELS_PRODUCT_FIELDS(REC_MEMBER)
	models_product_status status;
} models_product;
/* The whole record (what the readers fill), and its head and tail alone
 * (what the JSON writer puts before "criteria" and after the state). */
REC_TYPE_DECLARE(models_product);
typedef models_product models_product_head, models_product_tail;
REC_TYPE_DECLARE(models_product_head);
REC_TYPE_DECLARE(models_product_tail);

/* Stores p (id, names and times ignored; institution_id and the
 * programme's existence already checked by the caller) by user_id and
 * fills *out. XYD_FORBIDDEN when p names a programme its institution is
 * not a partner of (checked under the partner row's lock). */
xyd_status models_product_create(models_db *db, const models_product *p, int64_t user_id,
				 models_audit *audit, models_product *out);

/* Product id whatever its status; XYD_NOT_FOUND when there is none. Who
 * may see it is the caller's decision. */
xyd_status models_product_get(models_db *db, int64_t id, models_product *out);

typedef struct {
	bool has_status;
	models_product_status status;
	int64_t institution_id; /* 0: any */
	int64_t program_id;	/* 0: any */
	const char *kind;	/* NULL: any */
	int64_t after_id;	/* cursor: ids above this; 0 for the first page */
	int limit;		/* 1..500 */
} models_product_filter;

/* Products by id. *rows malloc'd (free()); *more when another page follows. */
xyd_status models_product_list(models_db *db, const models_product_filter *f, models_product **rows,
			       size_t *count, bool *more);

/*
 * The change of a PATCH, decided on the row as it is under its lock:
 * merged starts as a copy of current; the function applies the request and
 * checks every field of the result. Any status but XYD_OK aborts the
 * update (nothing is written) and is returned as it is.
 */
typedef xyd_status (*models_product_merge_fn)(void *ctx, const models_product *current,
					      models_product *merged);

/*
 * Locks product id of institution_id and applies merge. XYD_NOT_FOUND when
 * the institution has no product id; merge's refusal as it is (a malformed
 * request is refused as such even for a retired product); then
 * XYD_INVALID_STATE when the product is retired or the status change is
 * not legal; then XYD_FORBIDDEN when the result names a programme the
 * institution is not a partner of. *out holds the product as it is on
 * every refusal after the lock, and the stored result on XYD_OK (written
 * with the audit row).
 */
xyd_status models_product_update(models_db *db, int64_t id, int64_t institution_id,
				 models_product_merge_fn merge, void *merge_ctx,
				 models_audit *audit, models_product *out);

/* ---- a programme's products ---- */

#define MODELS_PRODUCT_BRIEF_FIELDS(X)                                                             \
	X(I64, id, 0, "p.id")                                                                      \
	X(I64_INTERNAL, program_id, 0, "p.program_id")                                             \
	X(TEXT, name, 801, "p.name")                                                               \
	X(I64, institution_id, 0, "p.institution_id")                                              \
	X(TEXT, institution_name, 801, "i.name")                                                   \
	X(TEXT, kind, 12, "p.kind")                                                                \
	MODELS_PRODUCT_TERMS_FIELDS(X)                                                             \
	X(TEXT, collateral, 12, "p.collateral")
/* program_id is the programme the product is shown with (not in its JSON). */
typedef struct {
	MODELS_PRODUCT_BRIEF_FIELDS(REC_MEMBER)
} models_product_brief;
REC_TYPE_DECLARE(models_product_brief);

/* At most this many products are shown with one programme. */
#define PROGRAM_PRODUCTS_MAX 100

/* The active products of every programme with an id in first..last,
 * ordered by programme then product id, at most PROGRAM_PRODUCTS_MAX of
 * each (the lowest ids). *rows malloc'd (free()). */
xyd_status models_product_briefs_of_programs(models_db *db, int64_t first_program_id,
					     int64_t last_program_id, models_product_brief **rows,
					     size_t *count);

#endif
