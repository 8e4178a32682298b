/* Credit records, import batches, scorecard versions and scores: see credit.h. */
#include "models/credit.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/base.h"
#include "common/log.h"
#include "common/base.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

/* Rows per multi-row INSERT: 10 parameters a record, 7 a score. */
#define IMPORT_ROWS_PER_STATEMENT 500
#define SCORE_ROWS_PER_STATEMENT 1000


static db_param str_param(const char *s)
{
	return db_str(s);
}

/* ---- enterprise lookup ---- */

struct uscc_id {
	const char *uscc;
	int64_t id;
};

static int compare_uscc(const void *a, const void *b)
{
	return strcmp(((const struct uscc_id *)a)->uscc, ((const struct uscc_id *)b)->uscc);
}

/* One page of the lookup: n <= MODELS_CREDIT_PAGE codes. */
static xyd_status lookup_page(models_db *db, const char *const *usccs, size_t n, int64_t *ids)
{
	db_result r;
	db_param *params = xcalloc(n, sizeof *params);
	for (size_t i = 0; i < n; i++)
		params[i] = str_param(usccs[i]);
	/* The column is ASCII: converting each code (not the column) keeps the
	 * lookup on the unique index. */
	char *sql = db_repeat_sql("SELECT uscc, id FROM enterprises WHERE uscc IN (",
				  "CONVERT(? USING ascii)", n, ")");
	xyd_status st = db_run_dynamic(db, sql, params, n, &r, NULL, NULL);
	free(sql);
	free(params);
	if (st != XYD_OK)
		return st;
	/* The column's collation ignores case; the match here does not. */
	struct uscc_id *found = xcalloc(r.nrows ? r.nrows : 1, sizeof *found);
	for (size_t i = 0; i < r.nrows; i++)
		found[i] = (struct uscc_id){db_cell(&r, i, 0), db_cell_int(&r, i, 1)};
	qsort(found, r.nrows, sizeof *found, compare_uscc);
	for (size_t i = 0; i < n; i++) {
		struct uscc_id key = {usccs[i], 0};
		const struct uscc_id *hit = r.nrows ? bsearch(&key, found, r.nrows, sizeof *found,
							      compare_uscc)
						    : NULL;
		ids[i] = hit ? hit->id : 0;
	}
	free(found);
	db_result_release(&r);
	return XYD_OK;
}

xyd_status models_credit_enterprise_ids(models_db *db, const char *const *usccs, size_t n,
					int64_t *ids)
{
	for (size_t at = 0; at < n; at += MODELS_CREDIT_PAGE) {
		size_t k = n - at < MODELS_CREDIT_PAGE ? n - at : MODELS_CREDIT_PAGE;
		xyd_status st = lookup_page(db, usccs + at, k, ids + at);
		if (st != XYD_OK)
			return st;
	}
	return XYD_OK;
}

/* ---- import ---- */

struct import_tx {
	const models_credit_new_record *records;
	size_t n;
	const models_credit_batch *batch;
	models_audit *audit;
	int64_t batch_id;
	size_t accepted;
};

/* Stores records[0..k) with one statement; adds the stored count. */
static xyd_status insert_records(models_db *db, const models_credit_new_record *records, size_t k,
				 int64_t batch_id, size_t *accepted)
{
	enum { NCOLS = 10 };
	db_param *p = xcalloc(k * NCOLS, sizeof *p);
	for (size_t i = 0; i < k; i++) {
		const models_credit_new_record *r = &records[i];
		db_param *row = p + i * NCOLS;
		row[0] = DB_INT(r->enterprise_id);
		row[1] = str_param(r->category);
		row[2] = str_param(r->value_json);
		row[3] = str_param(r->source_dept);
		row[4] = str_param(r->source_record_id);
		row[5] = str_param(r->observed_on);
		row[6] = str_param(r->expires_on);
		row[7] = DB_INT(r->minor_party);
		row[8] = DB_INT(r->force_majeure);
		row[9] = DB_INT(batch_id);
	}
	/* A stored (source_dept, source_record_id) makes the row a no-op:
	 * affected rows count only the new ones. Unlike INSERT IGNORE this
	 * still fails on anything else (a vanished enterprise, a bad value). */
	char *sql = db_repeat_sql(
		"INSERT INTO credit_records (enterprise_id, category, value_json,"
		" source_dept, source_record_id, observed_on, expires_on, minor_party,"
		" force_majeure, batch_id) VALUES ",
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", k, " ON DUPLICATE KEY UPDATE id = id");
	uint64_t affected = 0;
	xyd_status st = db_run_dynamic(db, sql, p, k * NCOLS, NULL, &affected, NULL);
	free(sql);
	free(p);
	if (st == XYD_OK)
		*accepted += (size_t)affected;
	return st;
}

static xyd_status import_body(models_db *db, void *vctx, bool *commit_anyway)
{
	struct import_tx *t = vctx;
	const models_credit_batch *b = t->batch;
	uint64_t id = 0;
	(void)commit_anyway;
	t->accepted = 0;
	xyd_status st = db_run(
		db,
		"INSERT INTO credit_import_batches (imported_by, format, rows_total,"
		" rows_accepted, rows_duplicate, rows_rejected) VALUES (?, ?, ?, 0, 0, ?)",
		(const db_param[]){DB_INT(b->imported_by), db_str(b->format), DB_INT(b->rows_total),
				   DB_INT(b->rows_rejected)},
		4, NULL, NULL, &id);
	if (st != XYD_OK)
		return st;
	t->batch_id = (int64_t)id;
	for (size_t at = 0; at < t->n && st == XYD_OK; at += IMPORT_ROWS_PER_STATEMENT) {
		size_t k = t->n - at < IMPORT_ROWS_PER_STATEMENT ? t->n - at
								 : IMPORT_ROWS_PER_STATEMENT;
		st = insert_records(db, t->records + at, k, t->batch_id, &t->accepted);
	}
	if (st != XYD_OK)
		return st;
	size_t duplicates = t->n - t->accepted + b->rows_repeated;
	st = DB_QUERY(db,
		      "UPDATE credit_import_batches SET rows_accepted = ?, rows_duplicate = ?"
		      " WHERE id = ?",
		      NULL, DB_INT(t->accepted), DB_INT(duplicates), DB_INT(t->batch_id));
	if (st != XYD_OK)
		return st;
	char detail[160];
	snprintf(detail, sizeof detail,
		 "format=%s rows=%zu accepted=%zu duplicates=%zu rejected=%zu", b->format,
		 b->rows_total, t->accepted, duplicates, b->rows_rejected);
	models_audit a = *t->audit;
	a.detail = detail;
	if ((st = models_audit_write_id(db, &a, t->batch_id)) != XYD_OK)
		return st;
	memcpy(t->audit->target_id, a.target_id, sizeof a.target_id);
	return XYD_OK;
}

xyd_status models_credit_import(models_db *db, const models_credit_new_record *records, size_t n,
				const models_credit_batch *batch, models_audit *audit,
				int64_t *batch_id, size_t *accepted)
{
	struct import_tx t = {.records = records, .n = n, .batch = batch, .audit = audit};
	xyd_status st = db_transaction(db, import_body, &t);
	if (st == XYD_OK) {
		*batch_id = t.batch_id;
		*accepted = t.accepted;
	}
	return st;
}

/* ---- scorecard versions ---- */

REC_TYPE_DEFINE(models_credit_model, MODELS_CREDIT_MODEL_FIELDS)
#define MODEL_SELECT "SELECT " REC_COLUMNS(MODELS_CREDIT_MODEL_FIELDS) " FROM credit_models "

xyd_status models_credit_model_get(models_db *db, const char *version, models_credit_model *out)
{
	return DB_GET_ONE(db, MODEL_SELECT "WHERE version = ?", models_credit_model_rec(), out,
			  db_str(version));
}

xyd_status models_credit_model_list(models_db *db, int64_t after_id, int limit,
				    models_credit_model **rows, size_t *count, bool *more)
{
	return db_get_page(db, MODEL_SELECT "WHERE id > ? ORDER BY id LIMIT ?",
			   DB_PARAMS(DB_INT(after_id)), models_credit_model_rec(), limit,
			   (void **)rows, count, more);
}

struct model_create_tx {
	const char *version, *weights_json;
	int64_t created_by;
	models_audit *audit;
};

static xyd_status model_create_body(models_db *db, void *vctx, bool *commit_anyway)
{
	struct model_create_tx *t = vctx;
	(void)commit_anyway;
	xyd_status st = DB_QUERY(db,
				 "INSERT INTO credit_models (version, weights_json, created_by)"
				 " VALUES (?, ?, ?)",
				 NULL, db_str(t->version), db_str(t->weights_json),
				 db_opt_int(t->created_by > 0, t->created_by));
	if (st != XYD_OK)
		return st;
	snprintf(t->audit->target_id, sizeof t->audit->target_id, "%s", t->version);
	return models_audit_write(db, t->audit);
}

xyd_status models_credit_model_create(models_db *db, const char *version, const char *weights_json,
				      int64_t created_by, models_audit *audit)
{
	struct model_create_tx t = {version, weights_json, created_by, audit};
	/* Canonical weights are about 1,500 bytes: far below what a read keeps. */
	XYD_ASSERT(strlen(weights_json) < MODELS_CREDIT_WEIGHTS_MAX_BYTES);
	return db_transaction(db, model_create_body, &t);
}

struct model_activate_tx {
	const char *version;
	const models_audit *audit;
	bool was_active;
};

static xyd_status model_activate_body(models_db *db, void *vctx, bool *commit_anyway)
{
	struct model_activate_tx *t = vctx;
	int64_t active = 0;
	(void)commit_anyway;
	xyd_status st = DB_QUERY_INT(
		db,
		"SELECT is_active IS NOT NULL FROM credit_models WHERE version = ?"
		" FOR UPDATE",
		&active, db_str(t->version));
	if (st != XYD_OK && st != XYD_NOT_FOUND)
		return st;
	t->was_active = active != 0;
	if (st != XYD_OK)
		return st;
	if (!t->was_active) {
		/* Scorers hold the active row in share mode: this waits for them. */
		st = DB_QUERY(db, "UPDATE credit_models SET is_active = NULL WHERE is_active = ?",
			      NULL, DB_INT(1));
		if (st == XYD_OK)
			st = DB_QUERY(db,
				      "UPDATE credit_models SET is_active = 1,"
				      " activated_at = UTC_TIMESTAMP(6) WHERE version = ?",
				      NULL, db_str(t->version));
		if (st != XYD_OK)
			return st;
	}
	return models_audit_write(db, t->audit);
}

xyd_status models_credit_model_activate(models_db *db, const char *version,
					const models_audit *audit, bool *was_active)
{
	struct model_activate_tx t = {.version = version, .audit = audit};
	xyd_status st = db_transaction(db, model_activate_body, &t);
	if (st == XYD_OK)
		*was_active = t.was_active;
	return st;
}

/* ---- rescoring ---- */

/* credit_records.category's ENUM in its declared order (category + 0). */
static const char *const category_names[] = {
	"",
	"tax_rating",
	"social_security",
	"housing_fund",
	"utility_arrears",
	"patent",
	"trademark",
	"rnd_expense",
	"env_rating",
	"admin_penalty",
	"dishonest_debtor",
	"commitment",
	"commitment_breach",
	"award",
	"repair",
};

struct rescore_tx {
	/* which enterprises: ids (n of them), or the page after after_id */
	const int64_t *ids;
	size_t n;
	int64_t after_id, up_to_id;
	size_t limit;
	models_credit_scorer scorer;
	void *ctx;
	/* results */
	size_t scored;
	int64_t last_id;
};

/* The records of a page as they stream in: the structs, and their strings
 * in one arena (offsets until the last row, then pointers). */
struct record_set {
	models_credit_record *recs;
	size_t n, cap;
	size_t (*offsets)[3];
	char *arena;
	size_t used, size;
};

static size_t arena_add(struct record_set *rs, const char *s, size_t len)
{
	if (rs->used + len + 1 > rs->size) {
		rs->size = (rs->size ? rs->size : 1 << 16);
		while (rs->used + len + 1 > rs->size)
			rs->size *= 2;
		rs->arena = xrealloc(rs->arena, rs->size);
	}
	size_t at = rs->used;
	memcpy(rs->arena + at, s ? s : "", len);
	rs->arena[at + len] = '\0';
	rs->used += len + 1;
	return at;
}

#define RECORD_COLUMNS                                                                             \
	"SELECT id, enterprise_id, category + 0, source_dept, source_record_id,"                   \
	" observed_on, expires_on,"                                                                \
	" minor_party, force_majeure, score_kind, score_year, score_count, score_amount_fen,"      \
	" score_repairs FROM credit_records "

static void on_record(void *vctx, const db_row *row)
{
	struct record_set *rs = vctx;
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 4096;
		rs->recs = xrealloc(rs->recs, rs->cap * sizeof *rs->recs);
		rs->offsets = xrealloc(rs->offsets, rs->cap * sizeof *rs->offsets);
	}
	models_credit_record *c = &rs->recs[rs->n];
	size_t len, cat = (size_t)db_row_int(row, 2);
	c->id = db_row_int(row, 0);
	c->enterprise_id = db_row_int(row, 1);
	c->category = cat < sizeof category_names / sizeof *category_names ? category_names[cat]
									   : "";
	const char *s = db_row_str(row, 3, &len);
	rs->offsets[rs->n][0] = arena_add(rs, s, len);
	s = db_row_str(row, 4, &len);
	rs->offsets[rs->n][1] = arena_add(rs, s, len);
	s = db_row_str(row, 13, &len);
	rs->offsets[rs->n][2] = arena_add(rs, s, len); /* "" unless a repair */
	int64_t days = 0;
	db_row_days(row, 5, &days);
	c->observed_on = (int32_t)days;
	c->expires_on = 0;
	if (db_row_days(row, 6, &days))
		c->expires_on = days ? (int32_t)days : -1; /* 0 means "never" to the scorer */
	c->minor_party = db_row_int(row, 7) != 0;
	c->force_majeure = db_row_int(row, 8) != 0;
	c->kind = (int)db_row_int(row, 9);
	c->year = (int)db_row_int(row, 10);
	c->count = db_row_int(row, 11);
	c->amount_fen = db_row_int(row, 12);
	rs->n++;
}

static void record_set_release(struct record_set *rs)
{
	free(rs->recs);
	free(rs->offsets);
	free(rs->arena);
}

/* The enterprises of the call, locked, by id: (id, founded_on days). */
static xyd_status lock_enterprises(models_db *db, const struct rescore_tx *t, db_result *r)
{
	if (!t->ids)
		return DB_QUERY(db,
				"SELECT id, DATEDIFF(founded_on, '1970-01-01') FROM enterprises"
				" WHERE id > ? AND id <= ? ORDER BY id LIMIT ? FOR UPDATE",
				r, DB_INT(t->after_id), DB_INT(t->up_to_id), DB_INT(t->limit));
	db_param *p = xcalloc(t->n, sizeof *p);
	for (size_t i = 0; i < t->n; i++)
		p[i] = DB_INT(t->ids[i]);
	char *sql = db_repeat_sql("SELECT id, DATEDIFF(founded_on, '1970-01-01') FROM enterprises"
				  " WHERE id IN (",
				  "?", t->n, ") ORDER BY id FOR UPDATE");
	xyd_status st = db_run_dynamic(db, sql, p, t->n, r, NULL, NULL);
	free(sql);
	free(p);
	return st;
}

/* The records of the locked enterprises, by enterprise and id (the
 * primary key's order). */
static xyd_status load_records(models_db *db, const struct rescore_tx *t, const db_result *ents,
			       struct record_set *rs)
{
	size_t n = ents->nrows;
	xyd_status st;
	if (!t->ids) {
		st = db_run_each(db,
				 RECORD_COLUMNS "WHERE enterprise_id BETWEEN ? AND ?"
						" ORDER BY enterprise_id, id",
				 false,
				 (const db_param[]){DB_INT(db_cell_int(ents, 0, 0)),
						    DB_INT(db_cell_int(ents, n - 1, 0))},
				 2, on_record, rs);
	} else {
		db_param *p = xcalloc(n, sizeof *p);
		for (size_t i = 0; i < n; i++)
			p[i] = DB_INT(db_cell_int(ents, i, 0));
		char *sql = db_repeat_sql(RECORD_COLUMNS "WHERE enterprise_id IN (", "?", n,
					  ") ORDER BY enterprise_id, id");
		st = db_run_each(db, sql, true, p, n, on_record, rs);
		free(sql);
		free(p);
	}
	for (size_t i = 0; i < rs->n; i++) {
		rs->recs[i].source_dept = rs->arena + rs->offsets[i][0];
		rs->recs[i].source_record_id = rs->arena + rs->offsets[i][1];
		rs->recs[i].repairs_source_record_id = rs->arena + rs->offsets[i][2];
	}
	return st;
}

/* Writes scores[0..k) with one statement, replacing older scores. */
static xyd_status upsert_scores(models_db *db, const char *version,
				const models_credit_score *scores, size_t k)
{
	enum { NCOLS = 7 };
	db_param *p = xcalloc(k * NCOLS, sizeof *p);
	char(*grades)[2] = xcalloc(k, sizeof *grades);
	for (size_t i = 0; i < k; i++) {
		const models_credit_score *s = &scores[i];
		db_param *row = p + i * NCOLS;
		grades[i][0] = s->grade;
		row[0] = DB_INT(s->enterprise_id);
		row[1] = str_param(version);
		row[2] = DB_INT(s->score);
		row[3] = str_param(grades[i]);
		row[4] = DB_INT(s->dishonest_debtor);
		row[5] = DB_INT(s->broken_commitments);
		row[6] = str_param(s->factors_json);
	}
	char *sql = db_repeat_sql(
		"INSERT INTO credit_scores (enterprise_id, model_version, score, grade,"
		" dishonest_debtor, broken_commitments, factors_json, computed_at) VALUES ",
		"(?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))", k,
		" ON DUPLICATE KEY UPDATE model_version = VALUES(model_version),"
		" score = VALUES(score), grade = VALUES(grade),"
		" dishonest_debtor = VALUES(dishonest_debtor),"
		" broken_commitments = VALUES(broken_commitments),"
		" factors_json = VALUES(factors_json), computed_at = VALUES(computed_at)");
	xyd_status st = db_run_dynamic(db, sql, p, k * NCOLS, NULL, NULL, NULL);
	free(sql);
	free(grades);
	free(p);
	return st;
}

/* Calls the scorer on the loaded page and stores what it computed. */
static xyd_status score_and_store(models_db *db, struct rescore_tx *t, const db_result *model,
				  const db_result *ents, const struct record_set *rs)
{
	size_t n = ents->nrows;
	models_credit_enterprise *e = xcalloc(n, sizeof *e);
	models_credit_score *out = xcalloc(n, sizeof *out);
	for (size_t i = 0; i < n; i++)
		e[i] = (models_credit_enterprise){db_cell_int(ents, i, 0),
						  (int32_t)db_cell_int(ents, i, 1)};
	models_credit_scoring_input in = {.model_version = db_cell(model, 0, 0),
					  .weights_json = db_cell(model, 0, 1),
					  .enterprises = e,
					  .nenterprises = n,
					  .records = rs->recs,
					  .nrecords = rs->n};
	xyd_status st = t->scorer(t->ctx, &in, out);
	for (size_t at = 0; st == XYD_OK && at < n; at += SCORE_ROWS_PER_STATEMENT) {
		size_t k = n - at < SCORE_ROWS_PER_STATEMENT ? n - at : SCORE_ROWS_PER_STATEMENT;
		st = upsert_scores(db, in.model_version, out + at, k);
	}
	for (size_t i = 0; i < n; i++)
		free(out[i].factors_json);
	free(out);
	free(e);
	return st;
}

static xyd_status rescore_body(models_db *db, void *vctx, bool *commit_anyway)
{
	struct rescore_tx *t = vctx;
	db_result model = {0}, ents = {0};
	struct record_set rs = {0};
	(void)commit_anyway;
	t->scored = 0;
	t->last_id = t->after_id;
	xyd_status st = DB_QUERY(
		db,
		"SELECT version, weights_json FROM credit_models WHERE is_active = ?"
		" LOCK IN SHARE MODE",
		&model, DB_INT(1));
	if (st != XYD_OK)
		goto out;
	if (model.nrows != 1) {
		log_msg(LOG_ERROR, "cannot score: no credit model is active");
		st = XYD_INTERNAL;
		goto out;
	}
	if ((st = lock_enterprises(db, t, &ents)) != XYD_OK || ents.nrows == 0)
		goto out;
	if ((st = load_records(db, t, &ents, &rs)) != XYD_OK)
		goto out;
	if ((st = score_and_store(db, t, &model, &ents, &rs)) != XYD_OK)
		goto out;
	t->scored = ents.nrows;
	t->last_id = db_cell_int(&ents, ents.nrows - 1, 0);
out:
	record_set_release(&rs);
	db_result_release(&ents);
	db_result_release(&model);
	return st;
}

xyd_status models_credit_rescore_ids(models_db *db, const int64_t *ids, size_t n,
				     models_credit_scorer scorer, void *ctx, size_t *scored)
{
	size_t total = 0;
	xyd_status st = XYD_OK;
	for (size_t at = 0; at < n && st == XYD_OK; at += MODELS_CREDIT_PAGE) {
		struct rescore_tx t = {.ids = ids + at,
				       .scorer = scorer,
				       .ctx = ctx,
				       .n = n - at < MODELS_CREDIT_PAGE ? n - at
									: MODELS_CREDIT_PAGE};
		st = db_transaction(db, rescore_body, &t);
		total += t.scored;
	}
	if (scored)
		*scored = total;
	return st;
}

xyd_status models_credit_enterprise_halves(models_db *db, size_t *count, int64_t *middle_id)
{
	db_result r;
	*count = 0;
	*middle_id = 0;
	xyd_status st = DB_QUERY(db, "SELECT COUNT(*) FROM enterprises WHERE id > ?", &r,
				 DB_INT(0));
	if (st != XYD_OK)
		return st;
	*count = (size_t)db_cell_int(&r, 0, 0);
	db_result_release(&r);
	if (*count == 0)
		return XYD_OK;
	st = DB_QUERY(db, "SELECT id FROM enterprises ORDER BY id LIMIT 1 OFFSET ?", &r,
		      DB_INT((*count - 1) / 2));
	if (st == XYD_OK && r.nrows == 1)
		*middle_id = db_cell_int(&r, 0, 0);
	db_result_release(&r);
	return st;
}

xyd_status models_credit_rescore_page(models_db *db, int64_t after_id, int64_t up_to_id,
				      size_t limit, models_credit_scorer scorer, void *ctx,
				      int64_t *last_id, size_t *scored)
{
	XYD_ASSERT(limit >= 1 && limit <= MODELS_CREDIT_PAGE);
	struct rescore_tx t = {.after_id = after_id,
			       .up_to_id = up_to_id,
			       .limit = limit,
			       .scorer = scorer,
			       .ctx = ctx};
	xyd_status st = db_transaction(db, rescore_body, &t);
	*last_id = t.last_id;
	*scored = st == XYD_OK ? t.scored : 0;
	return st;
}
