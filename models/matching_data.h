/*
 * What the matching service reads from MariaDB: every enterprise as the
 * engine sees it (score, grade, whitelist state, tags, town, park,
 * industry, founding day, revenue), or only the ones that changed; the
 * towns' and parks' names; every product and programme with this month's
 * used places; an enterprise's programme balances; open applications;
 * enterprise names for a page of candidates. Rows are plain values;
 * services/matching_service.c turns them into the engine's structs. No SQL
 * anywhere else for matching.
 */
#ifndef XYD_MODELS_MATCHING_DATA_H
#define XYD_MODELS_MATCHING_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/db.h"
#include "models/products.h"
#include "models/record.h"

/* Whitelist state of the entry that speaks for an enterprise: a live
 * approval if any, else the newest entry. The numbers are the ENUM's. */
enum {
	MODELS_MATCH_WL_NONE = 0,
	MODELS_MATCH_WL_NOMINATED = 1,
	MODELS_MATCH_WL_APPROVED = 2,
	MODELS_MATCH_WL_REJECTED = 3,
	MODELS_MATCH_WL_REVOKED = 4
};

/* One enterprise row; the strings are borrowed for the callback only. */
typedef struct {
	int64_t id;
	int score;		     /* -1: not scored */
	char grade;		     /* 'A' … 'D'; 0 when not scored */
	const char *town;	     /* town code */
	const char *industry;	     /* GB/T 4754 code */
	int64_t park_id;	     /* 0: none */
	unsigned tags;		     /* SET bits in models_enterprise_tag_names order */
	int whitelist;		     /* MODELS_MATCH_WL_* */
	int32_t whitelist_until_day; /* days since 1970-01-01; 0 when none */
	int32_t founded_on_day;	     /* days since 1970-01-01 */
	int64_t revenue_fen;
} models_match_enterprise;

typedef void (*models_match_enterprise_fn)(void *ctx, const models_match_enterprise *e);

/* Hands every enterprise to fn, by id, as rows arrive (fn must not use db). */
xyd_status models_match_enterprises_all(models_db *db, models_match_enterprise_fn fn, void *ctx);
/* The same for the enterprises with these ids (any count; asked in batches
 * of MODELS_MATCH_IDS_BATCH); an id with no enterprise is skipped. */
#define MODELS_MATCH_IDS_BATCH 1000
xyd_status models_match_enterprises_by_id(models_db *db, const int64_t *ids, size_t n,
					  models_match_enterprise_fn fn, void *ctx);

/* The places the reason details name: towns in the reference order
 * (towns.sort_order; index i is the engine's town index i) with their codes
 * and Chinese names, and the parks (ids 1..65535) with their Chinese names,
 * by id. Every array and string malloc'd; free with models_match_places_release. */
typedef struct {
	char **town_codes;
	char **town_names;
	size_t ntowns;
	uint16_t *park_ids;
	char **park_names;
	size_t nparks;
} models_match_places;

/* Fills *out (zeroed on failure). */
xyd_status models_match_places_load(models_db *db, models_match_places *out);
/* Frees what _load gave and zeroes *p; a zeroed *p is allowed. */
void models_match_places_release(models_match_places *p);

/* Every product as matching reads it: names 200 characters of up to 4
 * bytes; criteria "" / -1 / false when none; required_tags as SET bits in
 * models_enterprise_tag_names order. */
#define MODELS_MATCH_PRODUCT_FIELDS(X)                                                             \
	X(I64, id, 0, "p.id")                                                                      \
	X(I64, institution_id, 0, "p.institution_id")                                              \
	X(ID, program_id, 0, "p.program_id")                                                       \
	X(TEXT, name, 801, "p.name")                                                               \
	X(TEXT, institution_name, 801, "i.name")                                                   \
	X(TEXT, kind, 12, "p.kind")                                                                \
	X(TEXT, status, 10, "p.status")                                                            \
	X(TEXT, collateral, 12, "p.collateral")                                                    \
	MODELS_PRODUCT_TERMS_FIELDS(X)                                                             \
	MODELS_PRODUCT_BOUNDS_FIELDS(X)                                                            \
	X(INT, required_tags, 0, "p.required_tags + 0")                                            \
	X(BOOL, whitelist_only, 0, "p.whitelist_only")                                             \
	X(INT, monthly_capacity, 0, "p.monthly_capacity")
typedef struct {
	MODELS_MATCH_PRODUCT_FIELDS(REC_MEMBER)
} models_match_product;
REC_TYPE_DECLARE(models_match_product);

/* Every product (all statuses), by id. *rows malloc'd (free()). */
xyd_status models_match_products(models_db *db, models_match_product **rows, size_t *n);

/* max_amount_per_enterprise_fen 0: no cap. */
#define MODELS_MATCH_PROGRAM_FIELDS(X)                                                             \
	X(I64, id, 0, "id")                                                                        \
	X(I64, park_id, 0, "park_id")                                                              \
	X(INT, interest_subsidy_bps, 0, "interest_subsidy_bps")                                    \
	X(ID, max_amount_per_enterprise_fen, 0, "max_amount_per_enterprise_fen")
typedef struct {
	MODELS_MATCH_PROGRAM_FIELDS(REC_MEMBER)
} models_match_program;
REC_TYPE_DECLARE(models_match_program);

/* Every programme, by id. *rows malloc'd (free()). */
xyd_status models_match_programs(models_db *db, models_match_program **rows, size_t *n);

#define MODELS_MATCH_USED_FIELDS(X)                                                                \
	X(I64, product_id, 0, "product_id")                                                        \
	X(INT, used, 0, "COUNT(*)")
typedef struct {
	MODELS_MATCH_USED_FIELDS(REC_MEMBER)
} models_match_used;
REC_TYPE_DECLARE(models_match_used);

/* Places used this month (UTC) per product: applications that went to the
 * product (pending_since) since the first of the month. One product only
 * when product_id > 0. *rows malloc'd (free()). */
xyd_status models_match_used_this_month(models_db *db, int64_t product_id, models_match_used **rows,
					size_t *n);

#define MODELS_MATCH_BALANCE_FIELDS(X)                                                             \
	X(I64, program_id, 0, "program_id")                                                        \
	X(I64, outstanding_fen, 0, "SUM(outstanding_fen)")
typedef struct {
	MODELS_MATCH_BALANCE_FIELDS(REC_MEMBER)
} models_match_balance;
REC_TYPE_DECLARE(models_match_balance);

/* What enterprise_id owes per programme on its loans (at most max rows).
 * *rows malloc'd (free()). */
xyd_status models_match_balances(models_db *db, int64_t enterprise_id, size_t max,
				 models_match_balance **rows, size_t *n);

/* product_id 0: none yet. */
#define MODELS_MATCH_APPLICATION_FIELDS(X)                                                         \
	X(I64, id, 0, "id")                                                                        \
	X(I64, enterprise_id, 0, "enterprise_id")                                                  \
	X(ID, product_id, 0, "product_id")                                                         \
	X(TEXT, status, 16, "status")                                                              \
	X(I64, amount_fen, 0, "amount_fen")                                                        \
	X(INT, term_months, 0, "term_months")                                                      \
	X(TEXT, collateral, 12, "collateral")
typedef struct {
	MODELS_MATCH_APPLICATION_FIELDS(REC_MEMBER)
} models_match_application;
REC_TYPE_DECLARE(models_match_application);

/* One application; XYD_NOT_FOUND when there is none. */
xyd_status models_match_application_get(models_db *db, int64_t id, models_match_application *out);
/* Up to max applications in status submitted, by id. *rows malloc'd (free()). */
xyd_status models_match_applications_submitted(models_db *db, size_t max,
					       models_match_application **rows, size_t *n);

/* The names of enterprises ids[0..n) into names[i] (size each, "" when
 * absent), in one query. n <= MODELS_MATCH_IDS_BATCH. */
xyd_status models_match_enterprise_names(models_db *db, const int64_t *ids, size_t n,
					 char (*names)[801]);

#endif
