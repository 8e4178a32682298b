/* Loan products: see products.h. */
#include "models/products.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/base.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/enum_names.h"
#include "models/programs.h"

static const char *const status_names[PRODUCT_STATUS_COUNT] = {[PRODUCT_DRAFT] = "draft",
							       [PRODUCT_ACTIVE] = "active",
							       [PRODUCT_PAUSED] = "paused",
							       [PRODUCT_RETIRED] = "retired"};

MODELS_ENUM_NAMES(models_product_status, models_product_status, status_names, PRODUCT_STATUS_COUNT)

bool models_product_transition_legal(models_product_status from, models_product_status to)
{
	if (from == PRODUCT_RETIRED)
		return false;
	if (from == to || to == PRODUCT_RETIRED)
		return true;
	return (from == PRODUCT_DRAFT && to == PRODUCT_ACTIVE) ||
	       (from == PRODUCT_ACTIVE && to == PRODUCT_PAUSED) ||
	       (from == PRODUCT_PAUSED && to == PRODUCT_ACTIVE);
}

REC_TYPE_DEFINE(models_product, MODELS_PRODUCT_FIELDS)
REC_TYPE_DEFINE(models_product_head, MODELS_PRODUCT_HEAD_FIELDS)
REC_TYPE_DEFINE(models_product_tail, MODELS_PRODUCT_TAIL_FIELDS)
REC_TYPE_DEFINE(models_product_brief, MODELS_PRODUCT_BRIEF_FIELDS)

#define PRODUCT_SELECT                                                                                   \
	"SELECT " REC_COLUMNS(                                                                           \
		MODELS_PRODUCT_FIELDS) " FROM products p JOIN institutions i ON i.id = p.institution_id" \
				       " LEFT JOIN programs g ON g.id = p.program_id "

/* Parses the status text of rows[0..n) into their status. */
static xyd_status parse_statuses(models_product *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!models_product_status_parse(rows[i].status_name, &rows[i].status)) {
			log_msg(LOG_ERROR, "product %lld has an unknown status",
				(long long)rows[i].id);
			return XYD_INTERNAL;
		}
	return XYD_OK;
}

xyd_status models_product_get(models_db *db, int64_t id, models_product *out)
{
	xyd_status st = DB_GET_ONE(db, PRODUCT_SELECT "WHERE p.id = ?", models_product_rec(), out,
				   DB_INT(id));
	return st == XYD_OK ? parse_statuses(out, 1) : st;
}

xyd_status models_product_list(models_db *db, const models_product_filter *f, models_product **rows,
			       size_t *count, bool *more)
{
	const char *status = f->has_status ? models_product_status_name(f->status) : NULL;
	xyd_status st = db_get_page(
		db,
		PRODUCT_SELECT
		"WHERE p.id > ? AND (? IS NULL OR p.status = ?)"
		" AND (? = 0 OR p.institution_id = ?) AND (? = 0 OR p.program_id = ?)"
		" AND (? IS NULL OR p.kind = ?) ORDER BY p.id LIMIT ?",
		DB_PARAMS(DB_INT(f->after_id), db_str(status), db_str(status),
			  DB_INT(f->institution_id), DB_INT(f->institution_id),
			  DB_INT(f->program_id), DB_INT(f->program_id), db_str(f->kind),
			  db_str(f->kind)),
		models_product_rec(), f->limit, (void **)rows, count, more);
	if (st == XYD_OK)
		st = parse_statuses(*rows, *count);
	if (st != XYD_OK) {
		free(*rows);
		*rows = NULL;
		*count = 0;
		*more = false;
	}
	return st;
}

/* ---- write ---- */

/* The writable columns of p, in the order of the INSERT and UPDATE below. */
#define PRODUCT_WRITE_PARAMS(p)                                                                    \
	db_opt_int((p)->program_id != 0, (p)->program_id), db_str((p)->name), db_str((p)->kind),   \
		DB_INT((p)->amount_min_fen), DB_INT((p)->amount_max_fen),                          \
		DB_INT((p)->rate_min_bps), DB_INT((p)->rate_max_bps),                              \
		DB_INT((p)->term_min_months), DB_INT((p)->term_max_months),                        \
		db_str((p)->collateral), db_str((p)->min_grade[0] ? (p)->min_grade : NULL),        \
		db_opt_int((p)->min_score >= 0, (p)->min_score), db_str((p)->industries),          \
		db_str((p)->towns), db_str((p)->park_ids),                                         \
		db_opt_int((p)->min_years >= 0, (p)->min_years),                                   \
		db_opt_int((p)->min_revenue_fen >= 0, (p)->min_revenue_fen),                       \
		db_str((p)->required_tags), DB_INT((p)->whitelist_only),                           \
		DB_INT((p)->monthly_capacity), db_str(models_product_status_name((p)->status)),    \
		db_str((p)->description)
#define PRODUCT_WRITE_NPARAMS 22

/* A product in a programme only while its institution is a partner: the
 * partner row share-locked until the caller commits, so removing the
 * partner waits for this write and then takes the product out with it. */
static xyd_status partner_check(models_db *db, const models_product *p)
{
	if (p->program_id == 0)
		return XYD_OK;
	return models_program_partner_lock(db, p->program_id, p->institution_id);
}

typedef struct {
	const models_product *p;
	int64_t user_id;
	models_audit *audit;
	models_product *out;
} create_ctx;

static xyd_status create_body(models_db *db, void *arg, bool *commit_anyway)
{
	create_ctx *c = arg;
	uint64_t id = 0;
	(void)commit_anyway;
	xyd_status st = partner_check(db, c->p);
	if (st != XYD_OK)
		return st;
	st = db_run(
		db,
		"INSERT INTO products (program_id, name, kind, amount_min_fen, amount_max_fen,"
		" rate_min_bps, rate_max_bps, term_min_months, term_max_months, collateral,"
		" min_grade, min_score, industries, towns, park_ids, min_years, min_revenue_fen,"
		" required_tags, whitelist_only, monthly_capacity, status, description,"
		" institution_id, created_by)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		(const db_param[]){PRODUCT_WRITE_PARAMS(c->p), DB_INT(c->p->institution_id),
				   DB_INT(c->user_id)},
		PRODUCT_WRITE_NPARAMS + 2, NULL, NULL, &id);
	if (st != XYD_OK)
		return st;
	if ((st = models_audit_write_id(db, c->audit, (int64_t)id)) != XYD_OK)
		return st;
	return models_product_get(db, (int64_t)id, c->out);
}

xyd_status models_product_create(models_db *db, const models_product *p, int64_t user_id,
				 models_audit *audit, models_product *out)
{
	XYD_ASSERT(p->status == PRODUCT_DRAFT || p->status == PRODUCT_ACTIVE);
	create_ctx c = {p, user_id, audit, out};
	return db_transaction(db, create_body, &c);
}

typedef struct {
	int64_t id, institution_id;
	models_product_merge_fn merge;
	void *merge_ctx;
	models_audit *audit;
	models_product *out;
} update_ctx;

/* Locks product id; XYD_NOT_FOUND unless it is institution_id's. */
static xyd_status lock_own_product(models_db *db, int64_t id, int64_t institution_id)
{
	int64_t owner = 0;
	xyd_status st = DB_QUERY_INT(db,
				     "SELECT institution_id FROM products WHERE id = ? FOR UPDATE",
				     &owner, DB_INT(id));
	return st == XYD_OK && owner != institution_id ? XYD_NOT_FOUND : st;
}

static xyd_status update_body(models_db *db, void *arg, bool *commit_anyway)
{
	update_ctx *c = arg;
	models_product cur;
	(void)commit_anyway;
	xyd_status st = lock_own_product(db, c->id, c->institution_id);
	if (st != XYD_OK || (st = models_product_get(db, c->id, &cur)) != XYD_OK)
		return st;
	*c->out = cur;
	models_product *m = xmalloc(sizeof *m);
	*m = cur;
	/* A malformed request is refused as such, even for a retired product. */
	if ((st = c->merge(c->merge_ctx, &cur, m)) != XYD_OK)
		goto out;
	if (!models_product_transition_legal(cur.status, m->status)) {
		st = XYD_INVALID_STATE;
		goto out;
	}
	if ((st = partner_check(db, m)) != XYD_OK)
		goto out;
	st = db_run(db,
		    "UPDATE products SET program_id = ?, name = ?, kind = ?, amount_min_fen = ?,"
		    " amount_max_fen = ?, rate_min_bps = ?, rate_max_bps = ?, term_min_months = ?,"
		    " term_max_months = ?, collateral = ?, min_grade = ?, min_score = ?,"
		    " industries = ?, towns = ?, park_ids = ?, min_years = ?, min_revenue_fen = ?,"
		    " required_tags = ?, whitelist_only = ?, monthly_capacity = ?, status = ?,"
		    " description = ?, updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
		    (const db_param[]){PRODUCT_WRITE_PARAMS(m), DB_INT(c->id)},
		    PRODUCT_WRITE_NPARAMS + 1, NULL, NULL, NULL);
	if (st != XYD_OK)
		goto out;
	if ((st = models_audit_write_id(db, c->audit, c->id)) != XYD_OK)
		goto out;
	st = models_product_get(db, c->id, c->out);
out:
	free(m);
	return st;
}

xyd_status models_product_update(models_db *db, int64_t id, int64_t institution_id,
				 models_product_merge_fn merge, void *merge_ctx,
				 models_audit *audit, models_product *out)
{
	update_ctx c = {id, institution_id, merge, merge_ctx, audit, out};
	return db_transaction(db, update_body, &c);
}

/* ---- a programme's products ---- */

xyd_status models_product_briefs_of_programs(models_db *db, int64_t first_program_id,
					     int64_t last_program_id, models_product_brief **rows,
					     size_t *count)
{
	return db_get_all(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_PRODUCT_BRIEF_FIELDS) " FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY program_id ORDER BY id) AS nth"
						     " FROM products WHERE status = 'active' AND program_id BETWEEN ? AND ?) x"
						     " JOIN products p ON p.id = x.id JOIN institutions i ON i.id = p.institution_id"
						     " WHERE x.nth <= ? ORDER BY p.program_id, p.id",
		DB_PARAMS(DB_INT(first_program_id), DB_INT(last_program_id),
			  DB_INT(PROGRAM_PRODUCTS_MAX)),
		models_product_brief_rec(), SIZE_MAX, (void **)rows, count);
}
