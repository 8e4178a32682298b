/*
 * Programmes (东方美谷贷 …), the risk compensation funds they name, the
 * banks taking part in each (partners: only they may put a product into
 * it), and a park's recommendations of its programme to enterprises with
 * the funnel that follows them.
 *
 * A programme belongs to one park and splits a defaulted loan's loss
 * between fund, bank and guarantor in basis points summing to 10,000 (the
 * table's CHECK holds it too). Programmes are never deleted, and neither
 * are funds, so a caller may check that one exists and rely on it for the
 * rest of its request.
 *
 * Every change writes its audit row in the same transaction; the caller
 * fills the models_audit (status = the success status it will answer) and
 * the model sets target_id.
 */
#ifndef XYD_MODELS_PROGRAMS_H
#define XYD_MODELS_PROGRAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/audit.h"
#include "models/db.h"
#include "models/record.h"

#define PROGRAM_SHARES_TOTAL_BPS 10000
#define PROGRAM_SUBSIDY_MAX_BPS 3600
#define PROGRAM_NAME_MAX_CHARS 200
#define PROGRAM_DESCRIPTION_MAX_CHARS 2000
#define FUND_NAME_MAX_CHARS 200
#define RECOMMEND_MESSAGE_MAX_CHARS 500
#define RECOMMEND_ENTERPRISES_MAX 500

/* ---- funds (the ledger adds balances and journals) ---- */

/* Names: 200 characters of up to 4 bytes; times RFC 3339 UTC. */
#define MODELS_FUND_FIELDS(X)                                                                      \
	X(I64, id, 0, "f.id")                                                                      \
	X(TEXT, name, 801, "f.name")                                                               \
	X(TEXT, created_at, 32, REC_RFC3339("f.created_at"))
typedef struct {
	MODELS_FUND_FIELDS(REC_MEMBER)
} models_fund;
REC_TYPE_DECLARE(models_fund);

/* A new fund named name, by user_id. XYD_CONFLICT when the name is taken. */
xyd_status models_fund_create(models_db *db, const char *name, int64_t user_id, models_audit *audit,
			      models_fund *out);
/* *exists tells whether fund id exists. */
xyd_status models_fund_exists(models_db *db, int64_t id, bool *exists);

/* ---- programmes ---- */

/* fund_id 0 / fund_name "": no fund; max_amount_per_enterprise_fen 0: no
 * cap; the description is 2000 characters of up to 4 bytes. */
#define MODELS_PROGRAM_FIELDS(X)                                                                   \
	X(I64, id, 0, "g.id")                                                                      \
	X(TEXT, name, 801, "g.name")                                                               \
	X(I64, park_id, 0, "g.park_id")                                                            \
	X(TEXT, park_name, 513, "k.name")                                                          \
	X(TEXT, description, 8001, "g.description")                                                \
	X(ID, fund_id, 0, "g.fund_id")                                                             \
	X(OPT_TEXT, fund_name, 801, "f.name")                                                      \
	X(INT, fund_share_bps, 0, "g.fund_share_bps")                                              \
	X(INT, bank_share_bps, 0, "g.bank_share_bps")                                              \
	X(INT, guarantor_share_bps, 0, "g.guarantor_share_bps")                                    \
	X(INT, interest_subsidy_bps, 0, "g.interest_subsidy_bps")                                  \
	X(ID, max_amount_per_enterprise_fen, 0, "g.max_amount_per_enterprise_fen")                 \
	X(TEXT, created_at, 32, REC_RFC3339("g.created_at"))                                       \
	X(TEXT, updated_at, 32, REC_RFC3339("g.updated_at"))
typedef struct {
	MODELS_PROGRAM_FIELDS(REC_MEMBER)
} models_program;
REC_TYPE_DECLARE(models_program);

/* Creates p (id, names and times ignored) by user_id; *out holds the
 * stored programme. The caller has checked every field, the park and the
 * fund. XYD_CONFLICT when the name is taken. */
xyd_status models_program_create(models_db *db, const models_program *p, int64_t user_id,
				 models_audit *audit, models_program *out);

/* XYD_NOT_FOUND when there is no programme id. */
xyd_status models_program_get(models_db *db, int64_t id, models_program *out);

/* Programmes by id, ids above after_id, of park_id only unless 0. *rows
 * malloc'd (free()); *more when another page follows. */
xyd_status models_program_list(models_db *db, int64_t park_id, int64_t after_id, int limit,
			       models_program **rows, size_t *count, bool *more);

/*
 * The change of a PATCH, decided on the row as it is under its lock:
 * merged starts as a copy of current; the function changes what the
 * request asks and checks the result. Any status but XYD_OK aborts the
 * update (nothing is written) and is returned as it is.
 */
typedef xyd_status (*models_program_merge_fn)(void *ctx, const models_program *current,
					      models_program *merged);

/* Locks programme id, lets merge decide the new description, fund, shares,
 * subsidy and cap, stores them with the audit row, and fills *out.
 * XYD_NOT_FOUND when there is no programme id. */
xyd_status models_program_update(models_db *db, int64_t id, models_program_merge_fn merge,
				 void *merge_ctx, models_audit *audit, models_program *out);

/* ---- partners: the institutions taking part in a programme ---- */

/* name: the institution's. */
#define MODELS_PROGRAM_PARTNER_FIELDS(X)                                                           \
	X(I64, program_id, 0, "pp.program_id")                                                     \
	X(I64, institution_id, 0, "pp.institution_id")                                             \
	X(TEXT, name, 801, "i.name")                                                               \
	X(TEXT, added_at, 32, REC_RFC3339("pp.added_at"))
typedef struct {
	MODELS_PROGRAM_PARTNER_FIELDS(REC_MEMBER)
} models_program_partner;
REC_TYPE_DECLARE(models_program_partner);

/* At most this many partners are shown with one programme. */
#define PROGRAM_PARTNERS_MAX 200

/*
 * Makes institution_id a partner of programme program_id, by user_id, with
 * the audit row; *out holds the partner and *added whether it is new. A
 * repeat changes nothing, writes no audit row and answers XYD_OK with
 * *added false. XYD_NOT_FOUND: no programme program_id.
 * XYD_VALIDATION_FAILED: no institution institution_id, or not a bank
 * (*not_bank tells which).
 */
xyd_status models_program_partner_add(models_db *db, int64_t program_id, int64_t institution_id,
				      int64_t user_id, models_audit *audit,
				      models_program_partner *out, bool *added, bool *not_bank);

/*
 * Ends institution_id's partnership of programme program_id and, in the
 * same transaction, takes the institution's products out of the programme
 * (program_id set to NULL: applications from then on are outside it; loans
 * already made keep their programme and shares). *products receives how
 * many products left. XYD_NOT_FOUND when it is not a partner (or there is
 * no such programme).
 */
xyd_status models_program_partner_remove(models_db *db, int64_t program_id, int64_t institution_id,
					 models_audit *audit, size_t *products);

/* The partners of every programme with an id in first..last, by programme
 * then institution id, at most PROGRAM_PARTNERS_MAX of each. *rows
 * malloc'd (free()). */
xyd_status models_program_partners_of_programs(models_db *db, int64_t first_program_id,
					       int64_t last_program_id,
					       models_program_partner **rows, size_t *count);

/*
 * Inside the caller's transaction: share-locks the partner row of
 * (program_id, institution_id), so the partnership cannot end before the
 * caller commits. XYD_FORBIDDEN when the institution is not a partner.
 */
xyd_status models_program_partner_lock(models_db *db, int64_t program_id, int64_t institution_id);

/* ---- recommendations and the funnel ---- */

typedef struct {
	int64_t program_id;
	int64_t park_id;	       /* the recommending park: must own the programme */
	const int64_t *enterprise_ids; /* 1..RECOMMEND_ENTERPRISES_MAX, no repeats */
	size_t count;
	const char *message; /* 1..RECOMMEND_MESSAGE_MAX_CHARS characters */
	const char *title;   /* the notification's title, <= 200 characters */
	int64_t user_id;     /* the park user recommending */
} models_recommendation;

/*
 * Recommends programme rq->program_id to each enterprise: one row per
 * (programme, enterprise), a repeat replacing the message and keeping when
 * it was first made and viewed; and a notification
 * (MODELS_NOTIFY_PROGRAM_RECOMMENDED, ref "program") to every sme user of
 * each enterprise; all with the audit row in one transaction.
 * XYD_NOT_FOUND: no such programme, or another park's.
 * XYD_VALIDATION_FAILED: enterprise_ids[*bad_index] names no enterprise of
 *   the programme's park (nothing is written).
 * XYD_OK: *written rows were written (= count).
 */
xyd_status models_program_recommend(models_db *db, const models_recommendation *rq,
				    models_audit *audit, size_t *bad_index, size_t *written);

/* The funnel, counted in enterprises: those recommended (g, the
 * programme), of those the ones that read the recommendation; then
 * (read in a second statement) those with an application to one of its
 * products, with one approved (or disbursed), with a loan from one, and
 * the principal of those loans. */
#define MODELS_PROGRAM_FUNNEL_SEEN_FIELDS(X)                                                       \
	X(I64, recommended, 0,                                                                     \
	  "(SELECT COUNT(*) FROM program_recommendations WHERE program_id = g.id)")                \
	X(I64, viewed, 0,                                                                          \
	  "(SELECT COUNT(viewed_at) FROM program_recommendations WHERE program_id = g.id)")
#define MODELS_PROGRAM_FUNNEL_APPLIED_FIELDS(X)                                                    \
	X(I64, applied, 0, "x.applied")                                                            \
	X(I64, approved, 0, "x.approved")                                                          \
	X(I64, disbursed, 0, "x.disbursed")                                                        \
	X(I64, disbursed_fen, 0, "x.disbursed_fen")
#define MODELS_PROGRAM_FUNNEL_FIELDS(X)                                                            \
	MODELS_PROGRAM_FUNNEL_SEEN_FIELDS(X) MODELS_PROGRAM_FUNNEL_APPLIED_FIELDS(X)
typedef struct {
	MODELS_PROGRAM_FUNNEL_FIELDS(REC_MEMBER)
} models_program_funnel;
/* The whole funnel (its JSON), and the part each statement reads. */
REC_TYPE_DECLARE(models_program_funnel);
typedef models_program_funnel models_program_funnel_seen, models_program_funnel_applied;
REC_TYPE_DECLARE(models_program_funnel_seen);
REC_TYPE_DECLARE(models_program_funnel_applied);

/* The funnel of programme id, counted in enterprises. XYD_NOT_FOUND when
 * there is no programme id. */
xyd_status models_program_funnel_get(models_db *db, int64_t id, models_program_funnel *out);

#endif
