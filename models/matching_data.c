/*
 * The matching service's reads. The enterprise query is one statement for
 * all rows (streamed, never held as text) or for a batch of ids; the whitelist
 * state is the entry that speaks for the enterprise (a live approval first,
 * else the newest), as models/enterprises.c shows it.
 */
#include "models/matching_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

#define ENTERPRISE_SELECT                                                                          \
	"SELECT e.id, cs.score, cs.grade, e.town, e.industry, e.park_id, e.tags + 0,"              \
	" DATEDIFF(e.founded_on, '1970-01-01'), e.annual_revenue_fen, w.status + 0,"               \
	" DATEDIFF(w.valid_until, '1970-01-01')"                                                   \
	" FROM enterprises e LEFT JOIN credit_scores cs ON cs.enterprise_id = e.id"
/* The entry that speaks for each enterprise. For a few ids, one indexed
 * lookup each; for every enterprise, one pass numbering each enterprise's
 * entries, which reads 1,000,000 rows 2.6 times faster than a million
 * lookups (and gives the same rows). */
#define WHITELIST_ORDER                                                                            \
	" (status = 'approved' AND valid_until >= " DB_DISTRICT_TODAY ") DESC, id DESC"
#define ENTERPRISE_COLUMNS                                                                         \
	ENTERPRISE_SELECT                                                                          \
	" LEFT JOIN whitelist_entries w ON w.id = (SELECT w2.id FROM whitelist_entries w2"         \
	" WHERE w2.enterprise_id = e.id ORDER BY" WHITELIST_ORDER " LIMIT 1) "
#define ENTERPRISE_COLUMNS_ALL                                                                     \
	ENTERPRISE_SELECT                                                                          \
	" LEFT JOIN (SELECT enterprise_id, status, valid_until, ROW_NUMBER() OVER"                 \
	" (PARTITION BY enterprise_id ORDER BY" WHITELIST_ORDER ") AS n FROM whitelist_entries) w" \
	" ON w.enterprise_id = e.id AND w.n = 1 "

typedef struct {
	models_match_enterprise_fn fn;
	void *ctx;
} enterprise_each;

static void on_enterprise(void *vctx, const db_row *r)
{
	enterprise_each *c = vctx;
	const char *grade = db_row_str(r, 2, NULL);
	models_match_enterprise e = {
		.id = db_row_int(r, 0),
		.score = db_row_is_null(r, 1) ? -1 : (int)db_row_int(r, 1),
		.grade = grade ? grade[0] : 0,
		.town = db_row_str(r, 3, NULL),
		.industry = db_row_str(r, 4, NULL),
		.park_id = db_row_int(r, 5),
		.tags = (unsigned)db_row_int(r, 6),
		.founded_on_day = (int32_t)db_row_int(r, 7),
		.revenue_fen = db_row_int(r, 8),
		.whitelist = (int)db_row_int(r, 9),
		.whitelist_until_day = (int32_t)db_row_int(r, 10),
	};
	/* db_row_str reuses one buffer per column: town and industry differ. */
	c->fn(c->ctx, &e);
}

xyd_status models_match_enterprises_all(models_db *db, models_match_enterprise_fn fn, void *ctx)
{
	enterprise_each c = {fn, ctx};
	return db_run_each(db, ENTERPRISE_COLUMNS_ALL "ORDER BY e.id", false, NULL, 0,
			   on_enterprise, &c);
}

xyd_status models_match_enterprises_by_id(models_db *db, const int64_t *ids, size_t n,
					  models_match_enterprise_fn fn, void *ctx)
{
	enterprise_each c = {fn, ctx};
	xyd_status st = XYD_OK;
	for (size_t at = 0; at < n && st == XYD_OK; at += MODELS_MATCH_IDS_BATCH) {
		size_t k = n - at < MODELS_MATCH_IDS_BATCH ? n - at : MODELS_MATCH_IDS_BATCH;
		db_param *p = xcalloc(k, sizeof *p);
		for (size_t i = 0; i < k; i++)
			p[i] = DB_INT(ids[at + i]);
		char *sql = db_repeat_sql(ENTERPRISE_COLUMNS "WHERE e.id IN (", "?", k,
					  ") ORDER BY e.id");
		st = db_run_each(db, sql, true, p, k, on_enterprise, &c);
		free(sql);
		free(p);
	}
	return st;
}

static void strings_free(char **s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i]);
	free(s);
}

void models_match_places_release(models_match_places *p)
{
	strings_free(p->town_codes, p->ntowns);
	strings_free(p->town_names, p->ntowns);
	strings_free(p->park_names, p->nparks);
	free(p->park_ids);
	memset(p, 0, sizeof *p);
}

xyd_status models_match_places_load(models_db *db, models_match_places *out)
{
	db_result r;
	memset(out, 0, sizeof *out);
	xyd_status st = db_run(db, "SELECT code, name FROM towns ORDER BY sort_order", NULL, 0, &r,
			       NULL, NULL);
	if (st != XYD_OK)
		return st;
	out->town_codes = xcalloc(r.nrows ? r.nrows : 1, sizeof *out->town_codes);
	out->town_names = xcalloc(r.nrows ? r.nrows : 1, sizeof *out->town_names);
	for (size_t i = 0; i < r.nrows; i++) {
		out->town_codes[i] = xstrdup(db_cell(&r, i, 0));
		out->town_names[i] = xstrdup(db_cell(&r, i, 1));
	}
	out->ntowns = r.nrows;
	db_result_release(&r);
	/* the engine's park ids are 16-bit; a park outside that has no enterprise in the engine either */
	st = db_run(db, "SELECT id, name FROM parks WHERE id BETWEEN 1 AND 65535 ORDER BY id", NULL,
		    0, &r, NULL, NULL);
	if (st != XYD_OK) {
		models_match_places_release(out);
		return st;
	}
	out->park_ids = xcalloc(r.nrows ? r.nrows : 1, sizeof *out->park_ids);
	out->park_names = xcalloc(r.nrows ? r.nrows : 1, sizeof *out->park_names);
	for (size_t i = 0; i < r.nrows; i++) {
		out->park_ids[i] = (uint16_t)db_cell_int(&r, i, 0);
		out->park_names[i] = xstrdup(db_cell(&r, i, 1));
	}
	out->nparks = r.nrows;
	db_result_release(&r);
	return XYD_OK;
}

REC_TYPE_DEFINE(models_match_product, MODELS_MATCH_PRODUCT_FIELDS)
REC_TYPE_DEFINE(models_match_program, MODELS_MATCH_PROGRAM_FIELDS)
REC_TYPE_DEFINE(models_match_used, MODELS_MATCH_USED_FIELDS)
REC_TYPE_DEFINE(models_match_balance, MODELS_MATCH_BALANCE_FIELDS)
REC_TYPE_DEFINE(models_match_application, MODELS_MATCH_APPLICATION_FIELDS)

xyd_status models_match_products(models_db *db, models_match_product **rows, size_t *n)
{
	return db_get_all(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_MATCH_PRODUCT_FIELDS) " FROM products p JOIN institutions i ON i.id = p.institution_id ORDER BY p.id",
		NULL, 0, models_match_product_rec(), SIZE_MAX, (void **)rows, n);
}

xyd_status models_match_programs(models_db *db, models_match_program **rows, size_t *n)
{
	return db_get_all(
		db, "SELECT " REC_COLUMNS(MODELS_MATCH_PROGRAM_FIELDS) " FROM programs ORDER BY id",
		NULL, 0, models_match_program_rec(), SIZE_MAX, (void **)rows, n);
}

xyd_status models_match_used_this_month(models_db *db, int64_t product_id, models_match_used **rows,
					size_t *n)
{
	return db_get_all(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_MATCH_USED_FIELDS) " FROM applications"
						  " WHERE product_id IS NOT NULL AND (? = 0 OR product_id = ?)"
						  " AND pending_since >= " DB_DISTRICT_MONTH_START(
							  "UTC_TIMESTAMP()") " GROUP BY product_id ORDER BY product_id",
		DB_PARAMS(DB_INT(product_id), DB_INT(product_id)), models_match_used_rec(),
		SIZE_MAX, (void **)rows, n);
}

xyd_status models_match_balances(models_db *db, int64_t enterprise_id, size_t max,
				 models_match_balance **rows, size_t *n)
{
	return db_get_all(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_MATCH_BALANCE_FIELDS) " FROM loans WHERE enterprise_id = ?"
						     " AND program_id IS NOT NULL AND outstanding_fen > 0 GROUP BY program_id"
						     " ORDER BY program_id LIMIT ?",
		DB_PARAMS(DB_INT(enterprise_id), DB_INT(max)), models_match_balance_rec(), max,
		(void **)rows, n);
}

#define APPLICATION_SELECT                                                                         \
	"SELECT " REC_COLUMNS(MODELS_MATCH_APPLICATION_FIELDS) " FROM applications "

xyd_status models_match_application_get(models_db *db, int64_t id, models_match_application *out)
{
	return DB_GET_ONE(db, APPLICATION_SELECT "WHERE id = ?", models_match_application_rec(),
			  out, DB_INT(id));
}

xyd_status models_match_applications_submitted(models_db *db, size_t max,
					       models_match_application **rows, size_t *n)
{
	return db_get_all(db, APPLICATION_SELECT "WHERE status = 'submitted' ORDER BY id LIMIT ?",
			  DB_PARAMS(DB_INT(max)), models_match_application_rec(), max,
			  (void **)rows, n);
}

xyd_status models_match_enterprise_names(models_db *db, const int64_t *ids, size_t n,
					 char (*names)[801])
{
	db_result r;
	if (n == 0)
		return XYD_OK;
	XYD_ASSERT(n <= MODELS_MATCH_IDS_BATCH);
	for (size_t i = 0; i < n; i++)
		names[i][0] = '\0';
	db_param *p = xcalloc(n, sizeof *p);
	for (size_t i = 0; i < n; i++)
		p[i] = DB_INT(ids[i]);
	char *sql = db_repeat_sql("SELECT id, name FROM enterprises WHERE id IN (", "?", n, ")");
	xyd_status st = db_run_dynamic(db, sql, p, n, &r, NULL, NULL);
	free(sql);
	free(p);
	if (st != XYD_OK)
		return st;
	for (size_t row = 0; row < r.nrows; row++)
		for (size_t i = 0; i < n; i++)
			if (ids[i] == db_cell_int(&r, row, 0))
				db_cell_copy(names[i], 801, &r, row, 1);
	db_result_release(&r);
	return XYD_OK;
}
