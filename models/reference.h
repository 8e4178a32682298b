/*
 * The district's reference data (towns, parks, GB/T 4754 industry sections,
 * SME size-class rules), loaded once at start from the tables the first
 * migration fills. It never changes while the server runs, so every worker
 * reads the one copy without locks.
 */
#ifndef XYD_MODELS_REFERENCE_H
#define XYD_MODELS_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/db.h"
#include "models/record.h"

/* Sizes: the columns' characters of up to 4 bytes (migrations/0001); a
 * town's code is ASCII, as enterprises.town. */
#define REFERENCE_TOWN_FIELDS(X)                                                                   \
	X(TEXT, code, 33, "code")                                                                  \
	X(TEXT, name, 257, "name")                                                                 \
	X(TEXT, name_en, 513, "name_en")                                                           \
	X(TEXT, kind, 16, "kind")
typedef struct {
	REFERENCE_TOWN_FIELDS(REC_MEMBER)
} reference_town;
REC_TYPE_DECLARE(reference_town);

/* operator: the park's operating company. */
#define REFERENCE_PARK_FIELDS(X)                                                                   \
	X(I64, id, 0, "id")                                                                        \
	X(TEXT, code, 257, "code")                                                                 \
	X(TEXT, name, 513, "name")                                                                 \
	X(TEXT, name_en, 513, "name_en")                                                           \
	X(TEXT, operator, 513, "operator")                                                         \
	X(TEXT, focus, 2049, "focus")
typedef struct {
	REFERENCE_PARK_FIELDS(REC_MEMBER)
} reference_park;
REC_TYPE_DECLARE(reference_park);

/* A GB/T 4754 section (its letter) and the range of its two-digit divisions. */
#define REFERENCE_INDUSTRY_FIELDS(X)                                                               \
	X(TEXT, code, 2, "code")                                                                   \
	X(TEXT, name, 513, "name")                                                                 \
	X(TEXT, name_en, 1025, "name_en")                                                          \
	X(INT, division_min, 0, "division_min")                                                    \
	X(INT, division_max, 0, "division_max")
typedef struct {
	REFERENCE_INDUSTRY_FIELDS(REC_MEMBER)
} reference_industry;
REC_TYPE_DECLARE(reference_industry);

/* The 2011 SME size rule of a group of industries: the least staff,
 * revenue and assets (in 10,000 yuan) of a large, medium and small
 * enterprise; -1 where the rule does not use a measure (NULL). */
#define REFERENCE_SIZE_RULE_FIELDS(X)                                                              \
	X(TEXT, code, 129, "code")                                                                 \
	X(I64, large_staff, 0, "COALESCE(large_staff, -1)")                                        \
	X(I64, large_revenue_wan, 0, "COALESCE(large_revenue_wan, -1)")                            \
	X(I64, large_assets_wan, 0, "COALESCE(large_assets_wan, -1)")                              \
	X(I64, medium_staff, 0, "COALESCE(medium_staff, -1)")                                      \
	X(I64, medium_revenue_wan, 0, "COALESCE(medium_revenue_wan, -1)")                          \
	X(I64, medium_assets_wan, 0, "COALESCE(medium_assets_wan, -1)")                            \
	X(I64, small_staff, 0, "COALESCE(small_staff, -1)")                                        \
	X(I64, small_revenue_wan, 0, "COALESCE(small_revenue_wan, -1)")                            \
	X(I64, small_assets_wan, 0, "COALESCE(small_assets_wan, -1)")
typedef struct {
	REFERENCE_SIZE_RULE_FIELDS(REC_MEMBER)
} reference_size_rule;
REC_TYPE_DECLARE(reference_size_rule);

/* An industry code prefix ("C", "F51") and the rule it follows. */
#define REFERENCE_SIZE_PREFIX_FIELDS(X)                                                            \
	X(TEXT, prefix, 33, "prefix")                                                              \
	X(TEXT, rule_code, 129, "rule_code")
typedef struct {
	REFERENCE_SIZE_PREFIX_FIELDS(REC_MEMBER)
	size_t rule; /* index into rules, of rule_code */
} reference_size_prefix;
REC_TYPE_DECLARE(reference_size_prefix);

typedef struct {
	reference_town *towns;
	size_t ntowns;
	reference_park *parks;
	size_t nparks;
	reference_industry *industries;
	size_t nindustries;
	reference_size_rule *rules;
	size_t nrules;
	reference_size_prefix *prefixes;
	size_t nprefixes;
	size_t default_rule; /* the rule no prefix names ("other") */
} models_reference;

/* Fills ref from the database; release with models_reference_release. */
xyd_status models_reference_load(models_db *db, models_reference *ref);
void models_reference_release(models_reference *ref);

/* Lookups; NULL when unknown. */
const reference_town *models_reference_town(const models_reference *ref, const char *code);
const reference_park *models_reference_park(const models_reference *ref, int64_t id);
/* True for a section letter ("C") or a section letter and one of its
 * two-digit divisions ("C26"). */
bool models_reference_industry_valid(const models_reference *ref, const char *code);

/* "micro", "small", "medium" or "large" after the 2011 classification:
 * the rule of the longest prefix of industry, staff = employees, revenue
 * and assets in fen (assets < 0: unknown, revenue stands in). */
const char *models_reference_size_class(const models_reference *ref, const char *industry,
					int64_t employees, int64_t revenue_fen, int64_t assets_fen);

#endif
