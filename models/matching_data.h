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
	int score;			/* -1: not scored */
	char grade;			/* 'A' … 'D'; 0 when not scored */
	const char *town;		/* town code */
	const char *industry;		/* GB/T 4754 code */
	int64_t park_id;		/* 0: none */
	unsigned tags;			/* SET bits in models_enterprise_tag_names order */
	int whitelist;			/* MODELS_MATCH_WL_* */
	int32_t whitelist_until_day;	/* days since 1970-01-01; 0 when none */
	int32_t founded_on_day;		/* days since 1970-01-01 */
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
 * by id. Every array and string malloc'd; free with models_match_places_free. */
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
void models_match_places_free(models_match_places *p);

typedef struct {
	int64_t id;
	int64_t institution_id;
	int64_t program_id;		/* 0: none */
	char name[801];
	char institution_name[801];
	char kind[12];
	char status[10];
	char collateral[12];
	int64_t amount_min_fen, amount_max_fen;
	int rate_min_bps, rate_max_bps;
	int term_min_months, term_max_months;
	char min_grade[2];		/* "" none */
	int min_score;			/* -1 none */
	char industries[201];		/* comma-separated prefixes */
	char towns[601];		/* comma-separated town codes */
	char park_ids[101];		/* comma-separated park ids */
	int min_years;			/* -1 none */
	int64_t min_revenue_fen;	/* -1 none */
	unsigned required_tags;		/* SET bits */
	bool whitelist_only;
	int monthly_capacity;
} models_match_product;

/* Every product (all statuses), by id. *rows malloc'd (free()). */
xyd_status models_match_products(models_db *db, models_match_product **rows, size_t *n);

typedef struct {
	int64_t id;
	int64_t park_id;
	int interest_subsidy_bps;
	int64_t max_amount_per_enterprise_fen;	/* 0: no cap */
} models_match_program;

/* Every programme, by id. *rows malloc'd (free()). */
xyd_status models_match_programs(models_db *db, models_match_program **rows, size_t *n);

typedef struct {
	int64_t product_id;
	int used;
} models_match_used;

/* Places used this month (UTC) per product: applications that went to the
 * product (pending_since) since the first of the month. One product only
 * when product_id > 0. *rows malloc'd (free()). */
xyd_status models_match_used_this_month(models_db *db, int64_t product_id, models_match_used **rows,
					size_t *n);

typedef struct {
	int64_t program_id;
	int64_t outstanding_fen;
} models_match_balance;

/* What enterprise_id owes per programme on its loans (at most max rows).
 * *rows malloc'd (free()). */
xyd_status models_match_balances(models_db *db, int64_t enterprise_id, size_t max,
				 models_match_balance **rows, size_t *n);

typedef struct {
	int64_t id;
	int64_t enterprise_id;
	int64_t product_id;		/* 0: none yet */
	char status[16];
	int64_t amount_fen;
	int term_months;
	char collateral[12];
} models_match_application;

/* One application; XYD_NOT_FOUND when there is none. */
xyd_status models_match_application_get(models_db *db, int64_t id, models_match_application *out);
/* Up to max applications in status submitted, by id. *rows malloc'd (free()). */
xyd_status models_match_applications_submitted(models_db *db, size_t max,
					       models_match_application **rows, size_t *n);

/* The names of enterprises ids[0..n) into names[i] (size each, "" when
 * absent), in one query. n <= MODELS_MATCH_IDS_BATCH. */
xyd_status models_match_enterprise_names(models_db *db, const int64_t *ids, size_t n, char (*names)[801]);

#endif
