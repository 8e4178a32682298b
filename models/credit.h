/*
 * Credit records, import batches, scorecard versions and stored scores:
 * every statement on credit_records, credit_import_batches, credit_models
 * and credit_scores that the import, the models API and the credit service
 * need. Values arrive already checked by server/; this module stores them,
 * loads them in bulk, and runs each rescoring transaction around a scorer
 * function the caller supplies (services/credit_service.c), so scoring stays
 * out of models/ and SQL out of server/.
 *
 * Rescoring is serialised per enterprise: a rescoring transaction locks the
 * enterprises' rows (FOR UPDATE) before it reads their records, and the
 * active model's row in share mode, so a later scorer always sees the
 * records and the model an earlier one committed, and an activation waits
 * for the scorers in flight.
 */
#ifndef XYD_MODELS_CREDIT_H
#define XYD_MODELS_CREDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/audit.h"
#include "models/db.h"
#include "models/record.h"

/* ---- import ---- */

/* Enterprises looked up, enterprises rescored, in one statement / one
 * transaction at most. */
#define MODELS_CREDIT_PAGE 5000

/*
 * The ids of the enterprises whose USCC is usccs[i], matched exactly (case
 * included): ids[i] receives the id or 0 when there is none. One query per
 * MODELS_CREDIT_PAGE codes.
 */
xyd_status models_credit_enterprise_ids(models_db *db, const char *const *usccs, size_t n,
					int64_t *ids);

/* One checked record to store. Every string is borrowed. */
typedef struct {
	int64_t enterprise_id;
	const char *category;	      /* an api.md category name */
	const char *value_json;	      /* a JSON object */
	const char *source_dept;      /* 1-64 characters */
	const char *source_record_id; /* 1-64 characters */
	const char *observed_on;      /* YYYY-MM-DD */
	const char *expires_on;	      /* YYYY-MM-DD, or NULL when it never lapses */
	bool minor_party;
	bool force_majeure;
} models_credit_new_record;

typedef struct {
	int64_t imported_by;  /* the bureau user */
	const char *format;   /* "json" or "csv" */
	size_t rows_total;    /* rows in the request */
	size_t rows_rejected; /* reported back as bad */
	size_t rows_repeated; /* duplicates dropped before the database */
} models_credit_batch;

/*
 * Stores the n records of one import in one transaction with its
 * credit_import_batches row and the audit row (audit->target_id is set here
 * to the batch id; the row's detail carries the counts). A record whose
 * (source_dept, source_record_id) is already stored is skipped, not stored
 * twice, and counted a duplicate with batch->rows_repeated. *accepted
 * receives how many were stored, *batch_id the batch's id.
 */
xyd_status models_credit_import(models_db *db, const models_credit_new_record *records, size_t n,
				const models_credit_batch *batch, models_audit *audit,
				int64_t *batch_id, size_t *accepted);

/* ---- scorecard versions ---- */

/* id: listing order and cursor, not shown; weights_json as stored (the canonical
 * text of a scoring_weights, about 1,500 bytes); created_by 0: none (the
 * migration's v1); times RFC 3339 UTC, activated_at "" when never
 * activated. */
#define MODELS_CREDIT_WEIGHTS_MAX_BYTES 16384
#define MODELS_CREDIT_MODEL_FIELDS(X)                                                              \
	X(I64_INTERNAL, id, 0, "id")                                                               \
	X(TEXT, version, 33, "version")                                                            \
	X(TEXT_INTERNAL, weights_json, MODELS_CREDIT_WEIGHTS_MAX_BYTES, "weights_json")            \
	X(BOOL, active, 0, "is_active IS NOT NULL")                                                \
	X(ID, created_by, 0, "created_by")                                                         \
	X(TEXT, created_at, 32, REC_RFC3339("created_at"))                                         \
	X(OPT_TEXT, activated_at, 32, REC_RFC3339("activated_at"))
typedef struct {
	MODELS_CREDIT_MODEL_FIELDS(REC_MEMBER)
} models_credit_model;
REC_TYPE_DECLARE(models_credit_model);

/* The version named; XYD_NOT_FOUND when there is none. */
xyd_status models_credit_model_get(models_db *db, const char *version, models_credit_model *out);

/* Versions by id, ids above after_id. *rows malloc'd (free(), also on
 * failure); *more is true when another page follows. */
xyd_status models_credit_model_list(models_db *db, int64_t after_id, int limit,
				    models_credit_model **rows, size_t *count, bool *more);

/* Adds an inactive version with its audit row (target_id set here).
 * XYD_CONFLICT when the version exists. */
xyd_status models_credit_model_create(models_db *db, const char *version, const char *weights_json,
				      int64_t created_by, models_audit *audit);

/* Makes version the one active model, with its audit row, in one
 * transaction. XYD_NOT_FOUND when there is no such version;
 * *was_active is true when it already was (nothing changes then but the
 * audit row). Scores are not touched: the caller rescores. */
xyd_status models_credit_model_activate(models_db *db, const char *version,
					const models_audit *audit, bool *was_active);

/* ---- rescoring ---- */

typedef struct {
	int64_t id;
	int32_t founded_on; /* days since 1970-01-01 */
} models_credit_enterprise;

/* A stored record as scoring needs it: its value as the score_* columns
 * decoded it when it was written. Strings are borrowed from the rescoring
 * call and live until the scorer returns. */
typedef struct {
	int64_t id;
	int64_t enterprise_id;
	const char *category; /* an api.md category name (static) */
	const char *source_dept;
	const char *source_record_id;
	int32_t observed_on; /* days since 1970-01-01 */
	int32_t expires_on;  /* days; 0 when it never lapses (a real 0 reads -1) */
	bool minor_party;
	bool force_majeure;
	int kind;	    /* grade, kind or severity: its 0-based place in api.md's
					 * list; -1 when the value named none of them */
	int year;	    /* tax_rating, rnd_expense; else 0 */
	int64_t count;	    /* months paid or overdue, patents, trademarks; else 0 */
	int64_t amount_fen; /* arrears, rnd expense, penalty; else 0 */
	const char *repairs_source_record_id; /* a repair's target; "" for other categories */
} models_credit_record;

typedef struct {
	const char *model_version; /* the active model, locked for the call */
	const char *weights_json;
	const models_credit_enterprise *enterprises; /* by id */
	size_t nenterprises;
	const models_credit_record *records; /* by enterprise_id, then id */
	size_t nrecords;
} models_credit_scoring_input;

/* One score to store. factors_json (malloc'd by the scorer, freed by the
 * rescoring call) is the api.md "factors" array. */
typedef struct {
	int64_t enterprise_id;
	int score;  /* 0-1000 */
	char grade; /* 'A' … 'D' */
	bool dishonest_debtor;
	int broken_commitments;
	char *factors_json;
} models_credit_score;

/* Fills out[i] for in->enterprises[i], every one of them, and returns
 * XYD_OK; any other status rolls the transaction back. May be called again
 * with the same input when the transaction is retried after a deadlock. */
typedef xyd_status (*models_credit_scorer)(void *ctx, const models_credit_scoring_input *in,
					   models_credit_score *out);

/*
 * Rescores the enterprises among ids (ids that name none are skipped) with
 * the active model: per MODELS_CREDIT_PAGE ids one transaction that locks,
 * loads, calls scorer and writes the scores (insert or replace).
 * *scored (may be NULL) receives how many were scored.
 */
xyd_status models_credit_rescore_ids(models_db *db, const int64_t *ids, size_t n,
				     models_credit_scorer scorer, void *ctx, size_t *scored);

/*
 * Rescores the next page of at most limit (1 … MODELS_CREDIT_PAGE)
 * enterprises with ids above after_id and at most up_to_id, in one
 * transaction as above. *last_id receives the page's last id and *scored
 * its size (0 at the end).
 */
xyd_status models_credit_rescore_page(models_db *db, int64_t after_id, int64_t up_to_id,
				      size_t limit, models_credit_scorer scorer, void *ctx,
				      int64_t *last_id, size_t *scored);

/* How many enterprises there are, and the id that splits them into two
 * halves: ids up to *middle_id and above it (0 when there are none). */
xyd_status models_credit_enterprise_halves(models_db *db, size_t *count, int64_t *middle_id);

#endif
