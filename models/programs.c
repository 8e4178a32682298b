/* Programmes, funds, recommendations and the funnel: see programs.h. */
#include "models/programs.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/base.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/notifications.h"

/* ---- funds ---- */

REC_TYPE_DEFINE(models_fund, MODELS_FUND_FIELDS)
REC_TYPE_DEFINE(models_program_funnel, MODELS_PROGRAM_FUNNEL_FIELDS)
REC_TYPE_DEFINE(models_program_funnel_seen, MODELS_PROGRAM_FUNNEL_SEEN_FIELDS)
REC_TYPE_DEFINE(models_program_funnel_applied, MODELS_PROGRAM_FUNNEL_APPLIED_FIELDS)
#define FUND_SELECT "SELECT " REC_COLUMNS(MODELS_FUND_FIELDS) " FROM funds f "

typedef struct {
	const char *name;
	int64_t user_id;
	models_audit *audit;
	models_fund *out;
} fund_ctx;

static xyd_status fund_create_body(models_db *db, void *arg, bool *commit_anyway)
{
	fund_ctx *c = arg;
	uint64_t id = 0;
	(void)commit_anyway;
	xyd_status st = db_run(db, "INSERT INTO funds (name, created_by) VALUES (?, ?)",
			       (const db_param[]){db_str(c->name), DB_INT(c->user_id)}, 2, NULL,
			       NULL, &id);
	if (st != XYD_OK)
		return st;
	if ((st = models_audit_write_id(db, c->audit, (int64_t)id)) != XYD_OK)
		return st;
	st = DB_GET_ONE(db, FUND_SELECT "WHERE f.id = ?", models_fund_rec(), c->out, DB_INT(id));
	return st == XYD_NOT_FOUND ? XYD_INTERNAL : st;
}

xyd_status models_fund_create(models_db *db, const char *name, int64_t user_id, models_audit *audit,
			      models_fund *out)
{
	fund_ctx c = {name, user_id, audit, out};
	memset(out, 0, sizeof *out);
	return db_transaction(db, fund_create_body, &c);
}

xyd_status models_fund_exists(models_db *db, int64_t id, bool *exists)
{
	xyd_status st = DB_QUERY_INT(db, "SELECT 1 FROM funds WHERE id = ?", NULL, DB_INT(id));
	*exists = st == XYD_OK;
	return st == XYD_NOT_FOUND ? XYD_OK : st;
}

/* ---- programmes ---- */

REC_TYPE_DEFINE(models_program, MODELS_PROGRAM_FIELDS)
#define PROGRAM_SELECT                                                                             \
	"SELECT " REC_COLUMNS(                                                                     \
		MODELS_PROGRAM_FIELDS) " FROM programs g"                                          \
				       " JOIN parks k ON k.id = g.park_id LEFT JOIN funds f ON f.id = g.fund_id "

xyd_status models_program_get(models_db *db, int64_t id, models_program *out)
{
	return DB_GET_ONE(db, PROGRAM_SELECT "WHERE g.id = ?", models_program_rec(), out,
			  DB_INT(id));
}

xyd_status models_program_list(models_db *db, int64_t park_id, int64_t after_id, int limit,
			       models_program **rows, size_t *count, bool *more)
{
	return db_get_page(db,
			   PROGRAM_SELECT "WHERE g.id > ? AND (? = 0 OR g.park_id = ?)"
					  " ORDER BY g.id LIMIT ?",
			   DB_PARAMS(DB_INT(after_id), DB_INT(park_id), DB_INT(park_id)),
			   models_program_rec(), limit, (void **)rows, count, more);
}

static bool shares_sum(const models_program *p)
{
	return p->fund_share_bps + p->bank_share_bps + p->guarantor_share_bps ==
	       PROGRAM_SHARES_TOTAL_BPS;
}

typedef struct {
	const models_program *p;
	int64_t user_id;
	models_audit *audit;
	models_program *out;
} program_create_ctx;

static xyd_status program_create_body(models_db *db, void *arg, bool *commit_anyway)
{
	program_create_ctx *c = arg;
	const models_program *p = c->p;
	uint64_t id = 0;
	(void)commit_anyway;
	xyd_status st = db_run(
		db,
		"INSERT INTO programs (name, park_id, description, fund_id, fund_share_bps,"
		" bank_share_bps, guarantor_share_bps, interest_subsidy_bps,"
		" max_amount_per_enterprise_fen, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		(const db_param[]){db_str(p->name), DB_INT(p->park_id), db_str(p->description),
				   db_opt_int(p->fund_id != 0, p->fund_id),
				   DB_INT(p->fund_share_bps), DB_INT(p->bank_share_bps),
				   DB_INT(p->guarantor_share_bps), DB_INT(p->interest_subsidy_bps),
				   db_opt_int(p->max_amount_per_enterprise_fen != 0,
					      p->max_amount_per_enterprise_fen),
				   DB_INT(c->user_id)},
		10, NULL, NULL, &id);
	if (st != XYD_OK)
		return st;
	if ((st = models_audit_write_id(db, c->audit, (int64_t)id)) != XYD_OK)
		return st;
	return models_program_get(db, (int64_t)id, c->out);
}

xyd_status models_program_create(models_db *db, const models_program *p, int64_t user_id,
				 models_audit *audit, models_program *out)
{
	XYD_ASSERT(shares_sum(p));
	program_create_ctx c = {p, user_id, audit, out};
	return db_transaction(db, program_create_body, &c);
}

typedef struct {
	int64_t id;
	models_program_merge_fn merge;
	void *merge_ctx;
	models_audit *audit;
	models_program *out;
} program_update_ctx;

static xyd_status program_update_body(models_db *db, void *arg, bool *commit_anyway)
{
	program_update_ctx *c = arg;
	models_program cur, *m = c->out;
	(void)commit_anyway;
	xyd_status st = DB_QUERY_INT(db, "SELECT id FROM programs WHERE id = ? FOR UPDATE", NULL,
				     DB_INT(c->id));
	if (st != XYD_OK || (st = models_program_get(db, c->id, &cur)) != XYD_OK)
		return st;
	*m = cur;
	if ((st = c->merge(c->merge_ctx, &cur, m)) != XYD_OK)
		return st;
	XYD_ASSERT(shares_sum(m));
	st = DB_QUERY(
		db,
		"UPDATE programs SET description = ?, fund_id = ?, fund_share_bps = ?,"
		" bank_share_bps = ?, guarantor_share_bps = ?, interest_subsidy_bps = ?,"
		" max_amount_per_enterprise_fen = ?, updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
		NULL, db_str(m->description), db_opt_int(m->fund_id != 0, m->fund_id),
		DB_INT(m->fund_share_bps), DB_INT(m->bank_share_bps),
		DB_INT(m->guarantor_share_bps), DB_INT(m->interest_subsidy_bps),
		db_opt_int(m->max_amount_per_enterprise_fen != 0, m->max_amount_per_enterprise_fen),
		DB_INT(c->id));
	if (st != XYD_OK)
		return st;
	if ((st = models_audit_write_id(db, c->audit, c->id)) != XYD_OK)
		return st;
	return models_program_get(db, c->id, c->out);
}

xyd_status models_program_update(models_db *db, int64_t id, models_program_merge_fn merge,
				 void *merge_ctx, models_audit *audit, models_program *out)
{
	program_update_ctx c = {id, merge, merge_ctx, audit, out};
	return db_transaction(db, program_update_body, &c);
}

/* ---- partners ---- */

REC_TYPE_DEFINE(models_program_partner, MODELS_PROGRAM_PARTNER_FIELDS)
#define PARTNER_SELECT                                                                             \
	"SELECT " REC_COLUMNS(                                                                     \
		MODELS_PROGRAM_PARTNER_FIELDS) " FROM program_partners pp"                         \
					       " JOIN institutions i ON i.id = pp.institution_id "

typedef struct {
	int64_t program_id, institution_id, user_id;
	models_audit *audit;
	models_program_partner *out;
	bool *added, *not_bank;
} partner_add_ctx;

/* Share-locks programme id (programmes are never deleted; the lock orders
 * partner changes after a concurrent programme update). */
static xyd_status program_exists_locked(models_db *db, int64_t id)
{
	return DB_QUERY_INT(db, "SELECT id FROM programs WHERE id = ? LOCK IN SHARE MODE", NULL,
			    DB_INT(id));
}

/* XYD_OK when institution id is a bank; else XYD_VALIDATION_FAILED with
 * *not_bank true when it exists but is not a bank. */
static xyd_status institution_is_bank(models_db *db, int64_t id, bool *not_bank)
{
	int64_t bank = 0;
	xyd_status st = DB_QUERY_INT(db, "SELECT kind = 'bank' FROM institutions WHERE id = ?",
				     &bank, DB_INT(id));
	*not_bank = st == XYD_OK && !bank;
	if (st == XYD_NOT_FOUND || *not_bank)
		return XYD_VALIDATION_FAILED;
	return st;
}

static xyd_status partner_add_body(models_db *db, void *arg, bool *commit_anyway)
{
	partner_add_ctx *c = arg;
	uint64_t affected = 0;
	(void)commit_anyway;
	xyd_status st = program_exists_locked(db, c->program_id);
	if (st != XYD_OK ||
	    (st = institution_is_bank(db, c->institution_id, c->not_bank)) != XYD_OK)
		return st;
	st = db_run(db,
		    "INSERT IGNORE INTO program_partners (program_id, institution_id, added_by)"
		    " VALUES (?, ?, ?)",
		    (const db_param[]){DB_INT(c->program_id), DB_INT(c->institution_id),
				       DB_INT(c->user_id)},
		    3, NULL, &affected, NULL);
	if (st != XYD_OK)
		return st;
	*c->added = affected == 1;
	if (*c->added && (st = models_audit_write_id(db, c->audit, c->program_id)) != XYD_OK)
		return st;
	st = DB_GET_ONE(db, PARTNER_SELECT "WHERE pp.program_id = ? AND pp.institution_id = ?",
			models_program_partner_rec(), c->out, DB_INT(c->program_id),
			DB_INT(c->institution_id));
	return st == XYD_NOT_FOUND ? XYD_INTERNAL : st;
}

xyd_status models_program_partner_add(models_db *db, int64_t program_id, int64_t institution_id,
				      int64_t user_id, models_audit *audit,
				      models_program_partner *out, bool *added, bool *not_bank)
{
	partner_add_ctx c = {program_id, institution_id, user_id, audit, out, added, not_bank};
	*added = *not_bank = false;
	return db_transaction(db, partner_add_body, &c);
}

typedef struct {
	int64_t program_id, institution_id;
	models_audit *audit;
	size_t *products;
} partner_remove_ctx;

static xyd_status partner_remove_body(models_db *db, void *arg, bool *commit_anyway)
{
	partner_remove_ctx *c = arg;
	uint64_t moved = 0;
	char detail[64];
	(void)commit_anyway;
	/* The exclusive lock waits for every product write that share-locked
	 * the row (models_program_partner_lock) and keeps new ones out;
	 * XYD_NOT_FOUND when the institution is no partner. */
	xyd_status st = DB_QUERY_INT(db,
				     "SELECT 1 FROM program_partners WHERE program_id = ?"
				     " AND institution_id = ? FOR UPDATE",
				     NULL, DB_INT(c->program_id), DB_INT(c->institution_id));
	if (st != XYD_OK)
		return st;
	st = db_run(db,
		    "UPDATE products SET program_id = NULL, updated_at = UTC_TIMESTAMP(6)"
		    " WHERE program_id = ? AND institution_id = ?",
		    (const db_param[]){DB_INT(c->program_id), DB_INT(c->institution_id)}, 2, NULL,
		    &moved, NULL);
	if (st != XYD_OK ||
	    (st = DB_QUERY(db,
			   "DELETE FROM program_partners WHERE program_id = ?"
			   " AND institution_id = ?",
			   NULL, DB_INT(c->program_id), DB_INT(c->institution_id))) != XYD_OK)
		return st;
	*c->products = (size_t)moved;
	snprintf(detail, sizeof detail, "institution=%lld products=%llu",
		 (long long)c->institution_id, (unsigned long long)moved);
	c->audit->detail = detail;
	st = models_audit_write_id(db, c->audit, c->program_id);
	c->audit->detail = NULL;
	return st;
}

xyd_status models_program_partner_remove(models_db *db, int64_t program_id, int64_t institution_id,
					 models_audit *audit, size_t *products)
{
	partner_remove_ctx c = {program_id, institution_id, audit, products};
	*products = 0;
	return db_transaction(db, partner_remove_body, &c);
}

xyd_status models_program_partner_lock(models_db *db, int64_t program_id, int64_t institution_id)
{
	xyd_status st = DB_QUERY_INT(db,
				     "SELECT 1 FROM program_partners WHERE program_id = ?"
				     " AND institution_id = ? LOCK IN SHARE MODE",
				     NULL, DB_INT(program_id), DB_INT(institution_id));
	return st == XYD_NOT_FOUND ? XYD_FORBIDDEN : st;
}

xyd_status models_program_partners_of_programs(models_db *db, int64_t first_program_id,
					       int64_t last_program_id,
					       models_program_partner **rows, size_t *count)
{
	/* At most PROGRAM_PARTNERS_MAX of each programme: the window numbers
	 * each programme's partners, the outer query keeps the first ones. */
	return db_get_all(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_PROGRAM_PARTNER_FIELDS) " FROM ("
						       "SELECT program_id, institution_id, added_at, ROW_NUMBER() OVER"
						       " (PARTITION BY program_id ORDER BY institution_id) AS nth"
						       " FROM program_partners WHERE program_id BETWEEN ? AND ?) pp"
						       " JOIN institutions i ON i.id = pp.institution_id WHERE pp.nth <= ?"
						       " ORDER BY pp.program_id, pp.institution_id",
		DB_PARAMS(DB_INT(first_program_id), DB_INT(last_program_id),
			  DB_INT(PROGRAM_PARTNERS_MAX)),
		models_program_partner_rec(), SIZE_MAX, (void **)rows, count);
}

/* ---- recommendations ---- */

typedef struct {
	const models_recommendation *rq;
	models_audit *audit;
	size_t *bad_index;
	size_t *written;
} recommend_ctx;

static int compare_ids(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Share-locks the programme; XYD_NOT_FOUND unless it is park_id's. */
static xyd_status lock_own_program(models_db *db, int64_t program_id, int64_t park_id)
{
	int64_t owner = 0;
	xyd_status st = DB_QUERY_INT(db,
				     "SELECT park_id FROM programs WHERE id = ? LOCK IN SHARE MODE",
				     &owner, DB_INT(program_id));
	return st == XYD_OK && owner != park_id ? XYD_NOT_FOUND : st;
}

/* Share-locks the listed enterprises of park_id (so none leaves the park
 * before commit) and finds the first listed id that is not one of them. */
static xyd_status check_enterprises(models_db *db, const models_recommendation *rq,
				    size_t *bad_index)
{
	size_t n = rq->count;
	db_param *params = xcalloc(n + 1, sizeof *params);
	params[0] = DB_INT(rq->park_id);
	for (size_t i = 0; i < n; i++)
		params[i + 1] = DB_INT(rq->enterprise_ids[i]);
	char *sql = db_repeat_sql("SELECT id FROM enterprises WHERE park_id = ? AND id IN (", "?",
				  n, ") LOCK IN SHARE MODE");
	db_result r;
	xyd_status st = db_run_dynamic(db, sql, params, n + 1, &r, NULL, NULL);
	free(sql);
	free(params);
	if (st != XYD_OK)
		return st;
	int64_t *found = xcalloc(r.nrows ? r.nrows : 1, sizeof *found);
	for (size_t i = 0; i < r.nrows; i++)
		found[i] = db_cell_int(&r, i, 0);
	qsort(found, r.nrows, sizeof *found, compare_ids);
	for (size_t i = 0; i < n && st == XYD_OK; i++) {
		if (!bsearch(&rq->enterprise_ids[i], found, r.nrows, sizeof *found, compare_ids)) {
			*bad_index = i;
			st = XYD_VALIDATION_FAILED;
		}
	}
	free(found);
	db_result_release(&r);
	return st;
}

/* One row per enterprise: inserted, or its message replaced. */
static xyd_status upsert_recommendations(models_db *db, const models_recommendation *rq)
{
	size_t n = rq->count;
	db_param *params = xcalloc(n * 4, sizeof *params);
	for (size_t i = 0; i < n; i++) {
		params[i * 4] = DB_INT(rq->program_id);
		params[i * 4 + 1] = DB_INT(rq->enterprise_ids[i]);
		params[i * 4 + 2] = DB_INT(rq->user_id);
		params[i * 4 + 3] = db_str(rq->message);
	}
	char *sql = db_repeat_sql(
		"INSERT INTO program_recommendations (program_id, enterprise_id, recommended_by,"
		" message) VALUES ",
		"(?, ?, ?, ?)", n,
		" ON DUPLICATE KEY UPDATE recommended_by = VALUES(recommended_by),"
		" message = VALUES(message), updated_at = UTC_TIMESTAMP(6)");
	xyd_status st = db_run_dynamic(db, sql, params, n * 4, NULL, NULL, NULL);
	free(sql);
	free(params);
	return st;
}

static xyd_status recommend_body(models_db *db, void *arg, bool *commit_anyway)
{
	recommend_ctx *c = arg;
	const models_recommendation *rq = c->rq;
	(void)commit_anyway;
	xyd_status st = lock_own_program(db, rq->program_id, rq->park_id);
	if (st != XYD_OK || (st = check_enterprises(db, rq, c->bad_index)) != XYD_OK ||
	    (st = upsert_recommendations(db, rq)) != XYD_OK)
		return st;
	for (size_t i = 0; i < rq->count && st == XYD_OK; i++)
		st = models_notify_org(db, MODELS_ORG_ENTERPRISE, rq->enterprise_ids[i],
				       MODELS_NOTIFY_PROGRAM_RECOMMENDED, rq->title, rq->message,
				       "program", rq->program_id, NULL);
	if (st != XYD_OK)
		return st;
	if ((st = models_audit_write_id(db, c->audit, rq->program_id)) != XYD_OK)
		return st;
	*c->written = rq->count;
	return XYD_OK;
}

xyd_status models_program_recommend(models_db *db, const models_recommendation *rq,
				    models_audit *audit, size_t *bad_index, size_t *written)
{
	XYD_ASSERT(rq->count >= 1 && rq->count <= RECOMMEND_ENTERPRISES_MAX);
	recommend_ctx c = {rq, audit, bad_index, written};
	*written = 0;
	*bad_index = 0;
	return db_transaction(db, recommend_body, &c);
}

/* ---- funnel ---- */

/* True once the applications schema (migration 0005) is there. Until
 * then the stages after "viewed" are 0: their statement could not even be
 * prepared. */
static xyd_status applications_present(models_db *db, bool *present)
{
	int64_t n = 0;
	xyd_status st = DB_QUERY_INT(db,
				     "SELECT COUNT(*) FROM information_schema.tables"
				     " WHERE table_schema = DATABASE() AND table_name IN (?, ?)",
				     &n, db_str("applications"), db_str("loans"));
	*present = st == XYD_OK && n == 2;
	return st;
}

/* The stages after "viewed": recommended enterprises with an application
 * to one of the programme's products, with one approved (or disbursed),
 * with a loan; and the loans' principal. */
static xyd_status funnel_applications(models_db *db, int64_t id, models_program_funnel *out)
{
	models_program_funnel f;
	xyd_status st = DB_GET_ONE(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_PROGRAM_FUNNEL_APPLIED_FIELDS) " FROM (SELECT COUNT(DISTINCT a.enterprise_id) AS applied,"
							      " COUNT(DISTINCT IF(a.status IN ('approved', 'disbursed'), a.enterprise_id, NULL))"
							      " AS approved,"
							      " COUNT(DISTINCT IF(l.application_id IS NULL, NULL, a.enterprise_id)) AS disbursed,"
							      " COALESCE(SUM(l.principal_fen), 0) AS disbursed_fen"
							      " FROM program_recommendations r"
							      " JOIN applications a ON a.enterprise_id = r.enterprise_id"
							      " JOIN products p ON p.id = a.product_id AND p.program_id = r.program_id"
							      " LEFT JOIN loans l ON l.application_id = a.id"
							      " WHERE r.program_id = ?) x",
		models_program_funnel_applied_rec(), &f, DB_INT(id));
	if (st != XYD_OK)
		return st;
	f.recommended = out->recommended;
	f.viewed = out->viewed;
	*out = f;
	return XYD_OK;
}

xyd_status models_program_funnel_get(models_db *db, int64_t id, models_program_funnel *out)
{
	bool present = false;
	xyd_status st = DB_GET_ONE(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_PROGRAM_FUNNEL_SEEN_FIELDS) " FROM programs g WHERE g.id = ?",
		models_program_funnel_seen_rec(), out, DB_INT(id));
	if (st != XYD_OK || (st = applications_present(db, &present)) != XYD_OK || !present)
		return st;
	return funnel_applications(db, id, out);
}
