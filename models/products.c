/* Loan products: see products.h. */
#include "models/products.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/base.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/programs.h"

static const char *const status_names[PRODUCT_STATUS_COUNT] = {
	[PRODUCT_DRAFT] = "draft", [PRODUCT_ACTIVE] = "active", [PRODUCT_PAUSED] = "paused",
	[PRODUCT_RETIRED] = "retired"};

const char *models_product_status_name(models_product_status s)
{
	XYD_ASSERT(s >= 0 && s < PRODUCT_STATUS_COUNT);
	return status_names[s];
}

bool models_product_status_parse(const char *s, models_product_status *out)
{
	int i = validate_name_index(s, status_names, PRODUCT_STATUS_COUNT);
	if (i < 0)
		return false;
	*out = (models_product_status)i;
	return true;
}

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

#define PRODUCT_COLUMNS                                                                     \
	"SELECT p.id, p.institution_id, i.name, COALESCE(p.program_id, 0), COALESCE(g.name, ''),"\
	" p.name, p.kind, p.amount_min_fen, p.amount_max_fen, p.rate_min_bps, p.rate_max_bps,"  \
	" p.term_min_months, p.term_max_months, p.collateral, COALESCE(p.min_grade, ''),"      \
	" COALESCE(p.min_score, -1), p.industries, p.towns, p.park_ids,"                        \
	" COALESCE(p.min_years, -1), COALESCE(p.min_revenue_fen, -1), p.required_tags,"        \
	" p.whitelist_only, p.monthly_capacity, p.status, p.description,"                      \
	" DATE_FORMAT(p.created_at, '%Y-%m-%dT%H:%i:%sZ'),"                                     \
	" DATE_FORMAT(p.updated_at, '%Y-%m-%dT%H:%i:%sZ')"                                      \
	" FROM products p JOIN institutions i ON i.id = p.institution_id"                       \
	" LEFT JOIN programs g ON g.id = p.program_id "

static bool product_from_row(models_product *o, const db_result *r, size_t i)
{
	memset(o, 0, sizeof *o);
	o->id = db_cell_int(r, i, 0);
	o->institution_id = db_cell_int(r, i, 1);
	db_cell_copy(o->institution_name, sizeof o->institution_name, r, i, 2);
	o->program_id = db_cell_int(r, i, 3);
	db_cell_copy(o->program_name, sizeof o->program_name, r, i, 4);
	db_cell_copy(o->name, sizeof o->name, r, i, 5);
	db_cell_copy(o->kind, sizeof o->kind, r, i, 6);
	o->amount_min_fen = db_cell_int(r, i, 7);
	o->amount_max_fen = db_cell_int(r, i, 8);
	o->rate_min_bps = (int)db_cell_int(r, i, 9);
	o->rate_max_bps = (int)db_cell_int(r, i, 10);
	o->term_min_months = (int)db_cell_int(r, i, 11);
	o->term_max_months = (int)db_cell_int(r, i, 12);
	db_cell_copy(o->collateral, sizeof o->collateral, r, i, 13);
	db_cell_copy(o->min_grade, sizeof o->min_grade, r, i, 14);
	o->min_score = (int)db_cell_int(r, i, 15);
	db_cell_copy(o->industries, sizeof o->industries, r, i, 16);
	db_cell_copy(o->towns, sizeof o->towns, r, i, 17);
	db_cell_copy(o->park_ids, sizeof o->park_ids, r, i, 18);
	o->min_years = (int)db_cell_int(r, i, 19);
	o->min_revenue_fen = db_cell_int(r, i, 20);
	db_cell_copy(o->required_tags, sizeof o->required_tags, r, i, 21);
	o->whitelist_only = db_cell_int(r, i, 22) != 0;
	o->monthly_capacity = (int)db_cell_int(r, i, 23);
	db_cell_copy(o->description, sizeof o->description, r, i, 25);
	db_cell_copy(o->created_at, sizeof o->created_at, r, i, 26);
	db_cell_copy(o->updated_at, sizeof o->updated_at, r, i, 27);
	if (!models_product_status_parse(db_cell(r, i, 24), &o->status)) {
		log_msg(LOG_ERROR, "product %lld has an unknown status", (long long)o->id);
		return false;
	}
	return true;
}

xyd_status models_product_get(models_db *db, int64_t id, models_product *out)
{
	db_result r;
	xyd_status st = DB_QUERY(db, PRODUCT_COLUMNS "WHERE p.id = ?", &r, DB_INT(id));
	if (st != XYD_OK)
		return st;
	if (r.nrows != 1)
		st = XYD_NOT_FOUND;
	else if (!product_from_row(out, &r, 0))
		st = XYD_INTERNAL;
	db_result_release(&r);
	return st;
}

xyd_status models_product_list(models_db *db, const models_product_filter *f,
			       models_product **rows, size_t *count, bool *more)
{
	db_result r;
	const char *status = f->has_status ? models_product_status_name(f->status) : NULL;
	*rows = NULL;
	*count = 0;
	*more = false;
	xyd_status st = DB_QUERY(
		db,
		PRODUCT_COLUMNS "WHERE p.id > ? AND (? IS NULL OR p.status = ?)"
		" AND (? = 0 OR p.institution_id = ?) AND (? = 0 OR p.program_id = ?)"
		" AND (? IS NULL OR p.kind = ?) ORDER BY p.id LIMIT ?",
		&r, DB_INT(f->after_id), db_str(status), db_str(status), DB_INT(f->institution_id),
		DB_INT(f->institution_id), DB_INT(f->program_id), DB_INT(f->program_id),
		db_str(f->kind), db_str(f->kind), DB_INT(f->limit + 1));
	if (st != XYD_OK)
		return st;
	size_t n = r.nrows > (size_t)f->limit ? (size_t)f->limit : r.nrows;
	models_product *out = xcalloc(n ? n : 1, sizeof *out);
	for (size_t i = 0; i < n && st == XYD_OK; i++)
		if (!product_from_row(&out[i], &r, i))
			st = XYD_INTERNAL;
	if (st == XYD_OK) {
		*rows = out;
		*count = n;
		*more = r.nrows > (size_t)f->limit;
	} else {
		free(out);
	}
	db_result_release(&r);
	return st;
}

/* ---- write ---- */

/* The writable columns of p, in the order of the INSERT and UPDATE below. */
#define PRODUCT_WRITE_PARAMS(p)                                                             \
	db_opt_int((p)->program_id != 0, (p)->program_id), db_str((p)->name),              \
	db_str((p)->kind), DB_INT((p)->amount_min_fen), DB_INT((p)->amount_max_fen),        \
	DB_INT((p)->rate_min_bps), DB_INT((p)->rate_max_bps), DB_INT((p)->term_min_months), \
	DB_INT((p)->term_max_months), db_str((p)->collateral),                              \
	db_str((p)->min_grade[0] ? (p)->min_grade : NULL),                                  \
	db_opt_int((p)->min_score >= 0, (p)->min_score), db_str((p)->industries),           \
	db_str((p)->towns), db_str((p)->park_ids),                                          \
	db_opt_int((p)->min_years >= 0, (p)->min_years),                                    \
	db_opt_int((p)->min_revenue_fen >= 0, (p)->min_revenue_fen),                        \
	db_str((p)->required_tags), DB_INT((p)->whitelist_only),                            \
	DB_INT((p)->monthly_capacity), db_str(models_product_status_name((p)->status)),     \
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
	snprintf(c->audit->target_id, sizeof c->audit->target_id, "%llu", (unsigned long long)id);
	if ((st = models_audit_write(db, c->audit)) != XYD_OK)
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
	db_result r;
	xyd_status st = DB_QUERY(db, "SELECT institution_id FROM products WHERE id = ? FOR UPDATE",
				 &r, DB_INT(id));
	if (st != XYD_OK)
		return st;
	bool own = r.nrows == 1 && db_cell_int(&r, 0, 0) == institution_id;
	db_result_release(&r);
	return own ? XYD_OK : XYD_NOT_FOUND;
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
	snprintf(c->audit->target_id, sizeof c->audit->target_id, "%lld", (long long)c->id);
	if ((st = models_audit_write(db, c->audit)) != XYD_OK)
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
					     int64_t last_program_id,
					     models_product_brief **rows, size_t *count)
{
	db_result r;
	*rows = NULL;
	*count = 0;
	xyd_status st = DB_QUERY(
		db,
		"SELECT id, program_id, name, institution_id, institution_name, kind, amount_min_fen,"
		" amount_max_fen, rate_min_bps, rate_max_bps, term_min_months, term_max_months,"
		" collateral FROM (SELECT p.id, p.program_id, p.name, p.institution_id,"
		" i.name AS institution_name, p.kind, p.amount_min_fen, p.amount_max_fen,"
		" p.rate_min_bps, p.rate_max_bps, p.term_min_months, p.term_max_months, p.collateral,"
		" ROW_NUMBER() OVER (PARTITION BY p.program_id ORDER BY p.id) AS nth"
		" FROM products p JOIN institutions i ON i.id = p.institution_id"
		" WHERE p.status = 'active' AND p.program_id BETWEEN ? AND ?) x"
		" WHERE nth <= ? ORDER BY program_id, id",
		&r, DB_INT(first_program_id), DB_INT(last_program_id), DB_INT(PROGRAM_PRODUCTS_MAX));
	if (st != XYD_OK)
		return st;
	models_product_brief *out = xcalloc(r.nrows ? r.nrows : 1, sizeof *out);
	for (size_t i = 0; i < r.nrows; i++) {
		models_product_brief *b = &out[i];
		b->id = db_cell_int(&r, i, 0);
		b->program_id = db_cell_int(&r, i, 1);
		db_cell_copy(b->name, sizeof b->name, &r, i, 2);
		b->institution_id = db_cell_int(&r, i, 3);
		db_cell_copy(b->institution_name, sizeof b->institution_name, &r, i, 4);
		db_cell_copy(b->kind, sizeof b->kind, &r, i, 5);
		b->amount_min_fen = db_cell_int(&r, i, 6);
		b->amount_max_fen = db_cell_int(&r, i, 7);
		b->rate_min_bps = (int)db_cell_int(&r, i, 8);
		b->rate_max_bps = (int)db_cell_int(&r, i, 9);
		b->term_min_months = (int)db_cell_int(&r, i, 10);
		b->term_max_months = (int)db_cell_int(&r, i, 11);
		db_cell_copy(b->collateral, sizeof b->collateral, &r, i, 12);
	}
	*rows = out;
	*count = r.nrows;
	db_result_release(&r);
	return XYD_OK;
}
