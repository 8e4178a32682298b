/*
 * POST /api/v1/credit-records/batch: the bureau's import of credit records
 * from the departments, as JSON {"records":[...]} or as RFC 4180 CSV (read
 * with libcsv in credit_csv.c) with a header row naming api.md's columns in
 * any order.
 *
 * Every row is checked on its own and a bad one is reported by index
 * (0-based, data rows only for CSV) with a code and a message:
 *   invalid_field       a missing, mistyped, unknown or out-of-range field
 *   unknown_category    category is not one of api.md's
 *   invalid_value       value does not have its category's shape
 *   unknown_enterprise  no enterprise has the USCC (matched exactly)
 *   duplicate_in_batch  an earlier row of the batch has the same
 *                       (source_dept, source_record_id) but other content
 * A row repeating an earlier row of the batch exactly, or a (source_dept,
 * source_record_id) already stored, is a duplicate: counted, never stored
 * twice. Good rows are stored in one transaction; then every enterprise a
 * good row names (duplicates included, so a re-sent batch also repairs
 * scores a failed rescoring left behind) is rescored before the answer.
 * Over IMPORT_ROWS_MAX rows is 413 and a broken CSV or header 400, with
 * nothing stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base.h"
#include "common/district.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/credit.h"
#include "scoring/scorecard.h"
#include "services/credit_service.h"
#include "server/api/credit_weights.h"
#include "server/api/credit_import_internal.h"
#include "server/api/handlers.h"
#include "server/http/json_strict.h"

#define SOURCE_ID_MAX 64 /* characters, and bytes (scoring keeps 64) */
#define USCC_MAX 64

/* ---- JSON rows ---- */

static const json_field row_fields[] = {
	{"uscc", JSON_T_STRING, true, false, 0, 0},
	{"category", JSON_T_STRING, true, false, 0, 0},
	{"value", JSON_T_OBJECT, true, false, 0, 0},
	{"source_dept", JSON_T_STRING, true, false, 0, 0},
	{"source_record_id", JSON_T_STRING, true, false, 0, 0},
	{"observed_on", JSON_T_STRING, true, false, 0, 0},
	{"expires_on", JSON_T_STRING, false, true, 0, 0},
	{"minor_party", JSON_T_BOOL, false, false, 0, 0},
	{"force_majeure", JSON_T_BOOL, false, false, 0, 0},
};

static void row_from_json(const cJSON *item, import_row *r)
{
	api_error err = {0};
	if (!cJSON_IsObject(item)) {
		credit_import_reject(r, "invalid_field", "a record must be a JSON object");
		return;
	}
	if (json_check_object(item, row_fields, ARRAY_SIZE(row_fields), NULL, &err) != XYD_OK) {
		credit_import_reject(
			r, strcmp(err.field, "value") == 0 ? "invalid_value" : "invalid_field",
			"%s", err.message);
		return;
	}
	r->uscc = json_get_string(item, "uscc");
	r->category = json_get_string(item, "category");
	r->value = json_get(item, "value");
	r->source_dept = json_get_string(item, "source_dept");
	r->source_record_id = json_get_string(item, "source_record_id");
	r->observed_on = json_get_string(item, "observed_on");
	r->expires_on = json_get_string(item, "expires_on"); /* NULL for null */
	json_get_bool(item, "minor_party", &r->minor_party);
	json_get_bool(item, "force_majeure", &r->force_majeure);
}

static xyd_status read_json(request_ctx *rc, import_batch *b)
{
	const cJSON *body, *records = NULL;
	xyd_status st = request_body_object(rc, &body);
	if (st != XYD_OK)
		return st;
	for (const cJSON *m = body->child; m; m = m->next) {
		if (strcmp(m->string, "records") != 0)
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, m->string,
					     "unknown field '%s'", m->string);
		records = m;
	}
	if (!records)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "records",
				     "field 'records' is required");
	if (!cJSON_IsArray(records))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "records",
				     "field 'records' must be an array");
	size_t count = 0;
	for (const cJSON *it = records->child; it; it = it->next)
		count++;
	if (count > IMPORT_ROWS_MAX)
		return api_error_set(&rc->err, XYD_PAYLOAD_TOO_LARGE, "records",
				     "a batch holds at most %d records; this one has %zu",
				     IMPORT_ROWS_MAX, count);
	b->format = "json";
	for (const cJSON *it = records->child; it; it = it->next)
		row_from_json(it, credit_import_batch_add(b));
	return XYD_OK;
}

/* ---- CSV rows (credit_csv.c) ---- */

static xyd_status read_csv(request_ctx *rc, const char *data, size_t len, import_batch *b)
{
	xyd_status st = credit_import_read_csv(data, len, b, &rc->err);
	return st == XYD_INTERNAL ? request_fail(rc, st) : st;
}

/* ---- checks ---- */

static bool check_id(import_row *r, const char *name, const char *s)
{
	size_t chars = validate_utf8_length(s);
	if (chars < 1 || chars > SOURCE_ID_MAX || strlen(s) > SOURCE_ID_MAX)
		return credit_import_reject(r, "invalid_field",
					    "%s must be 1 to %d characters (at most %d bytes)",
					    name, SOURCE_ID_MAX, SOURCE_ID_MAX);
	return true;
}

/* Everything a row can be checked for alone. */
static void check_row(import_row *r, const char *today)
{
	scoring_record rec;
	char msg[200];
	if (r->code)
		return;
	size_t uscc_chars = validate_utf8_length(r->uscc);
	if (uscc_chars < 1 || uscc_chars > USCC_MAX) {
		credit_import_reject(r, "invalid_field", "uscc must be 1 to %d characters",
				     USCC_MAX);
		return;
	}
	int cat = scoring_category_parse(r->category);
	if (cat < 0) {
		credit_import_reject(r, "unknown_category", "unknown category '%.40s'",
				     r->category);
		return;
	}
	if (!credit_value_decode((scoring_category)cat, r->value, &rec, msg, sizeof msg)) {
		credit_import_reject(r, "invalid_value", "%s", msg);
		return;
	}
	if (!check_id(r, "source_dept", r->source_dept) ||
	    !check_id(r, "source_record_id", r->source_record_id))
		return;
	if (!validate_date(r->observed_on, NULL, NULL, NULL) || strcmp(r->observed_on, today) > 0) {
		credit_import_reject(
			r, "invalid_field",
			"observed_on must be a real date (YYYY-MM-DD), not in the future");
		return;
	}
	if (r->expires_on && (!validate_date(r->expires_on, NULL, NULL, NULL) ||
			      strcmp(r->expires_on, r->observed_on) < 0)) {
		credit_import_reject(
			r, "invalid_field",
			"expires_on must be a real date (YYYY-MM-DD), not before observed_on");
		return;
	}
	r->value_json = credit_value_print(r->value);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Looks up every USCC of the good rows with one query per page. */
static xyd_status find_enterprises(request_ctx *rc, import_batch *b)
{
	const char **codes = xcalloc(b->n ? b->n : 1, sizeof *codes);
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		if (!b->rows[i].code)
			codes[n++] = b->rows[i].uscc;
	qsort(codes, n, sizeof *codes, compare_strings);
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++)
		if (distinct == 0 || strcmp(codes[distinct - 1], codes[i]) != 0)
			codes[distinct++] = codes[i];
	int64_t *ids = xcalloc(distinct ? distinct : 1, sizeof *ids);
	xyd_status st = models_credit_enterprise_ids(rc->db, codes, distinct, ids);
	for (size_t i = 0; st == XYD_OK && i < b->n; i++) {
		import_row *r = &b->rows[i];
		if (r->code)
			continue;
		const char **hit = bsearch(&r->uscc, codes, distinct, sizeof *codes,
					   compare_strings);
		r->enterprise_id = ids[hit - codes];
		if (!r->enterprise_id)
			credit_import_reject(r, "unknown_enterprise",
					     "no enterprise has the USCC '%.64s'", r->uscc);
	}
	free(ids);
	free(codes);
	return st == XYD_OK ? XYD_OK : request_fail(rc, st);
}

/* qsort has no context argument in C11; each worker thread has its own. */
static _Thread_local const import_row *sort_rows_base;

static int compare_source(const void *a, const void *b)
{
	const import_row *x = &sort_rows_base[*(const size_t *)a];
	const import_row *y = &sort_rows_base[*(const size_t *)b];
	int c = strcmp(x->source_dept, y->source_dept);
	if (!c)
		c = strcmp(x->source_record_id, y->source_record_id);
	if (!c)
		c = x < y ? -1 : x > y;
	return c;
}

static bool same_string(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_content(const import_row *a, const import_row *b)
{
	return a->enterprise_id == b->enterprise_id && strcmp(a->category, b->category) == 0 &&
	       strcmp(a->value_json, b->value_json) == 0 &&
	       strcmp(a->observed_on, b->observed_on) == 0 &&
	       same_string(a->expires_on, b->expires_on) && a->minor_party == b->minor_party &&
	       a->force_majeure == b->force_majeure;
}

/* Later rows with an earlier good row's (source_dept, source_record_id):
 * an exact repeat is counted as a duplicate, another is refused. */
static void find_repeats(import_batch *b)
{
	size_t *order = xcalloc(b->n ? b->n : 1, sizeof *order), n = 0;
	for (size_t i = 0; i < b->n; i++)
		if (!b->rows[i].code)
			order[n++] = i;
	sort_rows_base = b->rows;
	qsort(order, n, sizeof *order, compare_source);
	for (size_t i = 1, first = 0; i < n; i++) {
		const import_row *f = &b->rows[order[first]];
		import_row *r = &b->rows[order[i]];
		if (strcmp(f->source_dept, r->source_dept) ||
		    strcmp(f->source_record_id, r->source_record_id)) {
			first = i;
			continue;
		}
		if (same_content(f, r))
			r->repeat = true;
		else
			credit_import_reject(
				r, "duplicate_in_batch",
				"row %zu has the same source_dept and source_record_id "
				"with other content",
				order[first]);
	}
	free(order);
}

/* ---- storing and answering ---- */

static int compare_ids(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The enterprises of the good rows, repeats included, each once. */
static int64_t *affected_enterprises(const import_batch *b, size_t *count)
{
	int64_t *ids = xcalloc(b->n ? b->n : 1, sizeof *ids);
	size_t n = 0, distinct = 0;
	for (size_t i = 0; i < b->n; i++)
		if (!b->rows[i].code)
			ids[n++] = b->rows[i].enterprise_id;
	qsort(ids, n, sizeof *ids, compare_ids);
	for (size_t i = 0; i < n; i++)
		if (distinct == 0 || ids[distinct - 1] != ids[i])
			ids[distinct++] = ids[i];
	*count = distinct;
	return ids;
}

typedef struct {
	size_t accepted, duplicates, rejected;
} import_counts;

static xyd_status store(request_ctx *rc, const import_batch *b, import_counts *counts)
{
	models_credit_new_record *recs = xcalloc(b->n ? b->n : 1, sizeof *recs);
	size_t n = 0, repeats = 0, rejected = 0;
	for (size_t i = 0; i < b->n; i++) {
		const import_row *r = &b->rows[i];
		if (r->code)
			rejected++;
		else if (r->repeat)
			repeats++;
		else
			recs[n++] = (models_credit_new_record){
				.enterprise_id = r->enterprise_id,
				.category = r->category,
				.value_json = r->value_json,
				.source_dept = r->source_dept,
				.source_record_id = r->source_record_id,
				.observed_on = r->observed_on,
				.expires_on = r->expires_on,
				.minor_party = r->minor_party,
				.force_majeure = r->force_majeure};
	}
	models_credit_batch batch = {.imported_by = rc->who.user_id,
				     .format = b->format,
				     .rows_total = b->n,
				     .rows_rejected = rejected,
				     .rows_repeated = repeats};
	models_audit audit;
	request_audit(rc, &audit, "credit.import", "credit_import_batch", 200);
	int64_t batch_id = 0;
	size_t accepted = 0;
	xyd_status st = models_credit_import(rc->db, recs, n, &batch, &audit, &batch_id, &accepted);
	free(recs);
	if (st != XYD_OK)
		return request_fail(rc, st);
	*counts = (import_counts){accepted, n - accepted + repeats, rejected};
	return XYD_OK;
}

static xyd_status rescore(request_ctx *rc, const import_batch *b)
{
	size_t n;
	int64_t *ids = affected_enterprises(b, &n);
	xyd_status st = credit_rescore_enterprises(rc->db, ids, n);
	free(ids);
	if (st != XYD_OK) {
		/* The records are stored; sending the batch again rescores. */
		log_msg(LOG_ERROR, "imported records stored but %zu enterprises not rescored", n);
		return request_fail(rc, st);
	}
	return XYD_OK;
}

static cJSON *answer(const import_batch *b, const import_counts *counts)
{
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "accepted", (int64_t)counts->accepted);
	json_add_int(o, "duplicates", (int64_t)counts->duplicates);
	cJSON *rejected = cJSON_AddArrayToObject(o, "rejected");
	for (size_t i = 0; i < b->n; i++) {
		const import_row *r = &b->rows[i];
		if (!r->code)
			continue;
		cJSON *e = cJSON_CreateObject();
		json_add_int(e, "index", (int64_t)i);
		cJSON_AddStringToObject(e, "code", r->code);
		cJSON_AddStringToObject(e, "message", r->message);
		cJSON_AddItemToArray(rejected, e);
	}
	return o;
}

xyd_status handle_credit_import(request_ctx *rc)
{
	import_batch b = {0};
	import_counts counts = {0};
	const char *data;
	size_t len;
	district_date(time(NULL), b.today);
	xyd_status st = request_raw_body(rc, &data, &len) ? read_csv(rc, data, len, &b)
							  : read_json(rc, &b);
	for (size_t i = 0; st == XYD_OK && i < b.n; i++)
		check_row(&b.rows[i], b.today);
	if (st == XYD_OK && (st = find_enterprises(rc, &b)) == XYD_OK) {
		find_repeats(&b);
		if ((st = store(rc, &b, &counts)) == XYD_OK && (st = rescore(rc, &b)) == XYD_OK)
			st = reply_json(rc, 200, answer(&b, &counts));
	}
	credit_import_batch_release(&b);
	return st;
}
