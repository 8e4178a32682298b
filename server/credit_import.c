/*
 * POST /api/v1/credit-records/batch: the bureau's import of credit records
 * from the departments, as JSON {"records":[...]} or as RFC 4180 CSV (read
 * with libcsv) with a header row naming api.md's columns in any order.
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
#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/district.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/credit.h"
#include "scoring/scorecard.h"
#include "server/credit_service.h"
#include "server/credit_weights.h"
#include "server/handlers.h"
#include "server/json_strict.h"

#define IMPORT_ROWS_MAX 10000
#define SOURCE_ID_MAX 64	/* characters, and bytes (scoring keeps 64) */
#define USCC_MAX 64
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The columns of a row, in api.md's order. */
enum {
	C_USCC, C_CATEGORY, C_VALUE, C_SOURCE_DEPT, C_SOURCE_RECORD_ID, C_OBSERVED_ON,
	C_EXPIRES_ON, C_MINOR_PARTY, C_FORCE_MAJEURE, C_COUNT
};
static const char *const column_names[C_COUNT] = {
	"uscc", "category", "value", "source_dept", "source_record_id", "observed_on",
	"expires_on", "minor_party", "force_majeure",
};
#define C_REQUIRED_COUNT 6	/* the first six */

typedef struct {
	/* as read; strings borrowed from the JSON tree or from cells */
	const char *uscc, *category, *source_dept, *source_record_id, *observed_on, *expires_on;
	const cJSON *value;
	bool minor_party, force_majeure;
	char *cells[C_COUNT];		/* CSV: owned text of each column, else NULL */
	cJSON *csv_value;		/* CSV: owned parse of the value column */
	/* derived */
	char *value_json;		/* owned canonical text of value */
	int64_t enterprise_id;
	/* verdict */
	const char *code;		/* NULL while the row is good */
	char message[200];
	bool repeat;			/* an exact repeat of an earlier row */
} import_row;

typedef struct {
	const char *format;		/* "json", "csv" */
	import_row *rows;
	size_t n, cap;
	char today[11];
} import_batch;

static import_row *batch_add(import_batch *b)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->rows = xrealloc(b->rows, b->cap * sizeof *b->rows);
	}
	import_row *r = &b->rows[b->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static void batch_release(import_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		import_row *r = &b->rows[i];
		for (int c = 0; c < C_COUNT; c++)
			free(r->cells[c]);
		cJSON_Delete(r->csv_value);
		free(r->value_json);
	}
	free(b->rows);
}

/* Drops a UTF-8 sequence that a bounded print cut short at the end of s. */
static void utf8_cut(char *s)
{
	size_t len = strlen(s);
	for (int i = 0; i < 3 && len > 0 && !validate_utf8(s, len); i++)
		s[--len] = '\0';
}

/* Marks the row bad (the first verdict stands) and returns false. */
static bool reject(import_row *r, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool reject(import_row *r, const char *code, const char *fmt, ...)
{
	if (r->code)
		return false;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	va_end(ap);
	utf8_cut(r->message);
	r->code = code;
	return false;
}

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
		reject(r, "invalid_field", "a record must be a JSON object");
		return;
	}
	if (json_check_object(item, row_fields, N(row_fields), NULL, &err) != XYD_OK) {
		reject(r, strcmp(err.field, "value") == 0 ? "invalid_value" : "invalid_field", "%s",
		       err.message);
		return;
	}
	r->uscc = json_get_string(item, "uscc");
	r->category = json_get_string(item, "category");
	r->value = json_get(item, "value");
	r->source_dept = json_get_string(item, "source_dept");
	r->source_record_id = json_get_string(item, "source_record_id");
	r->observed_on = json_get_string(item, "observed_on");
	r->expires_on = json_get_string(item, "expires_on");	/* NULL for null */
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
		row_from_json(it, batch_add(b));
	return XYD_OK;
}

/* ---- CSV rows ---- */

typedef struct {
	import_batch *batch;
	char **cells;			/* the row being read */
	size_t ncells, cap;
	bool cell_bad;			/* a cell held NUL or invalid UTF-8 */
	bool have_header;
	int column_of[C_COUNT + 8];	/* header position → C_* */
	size_t ncolumns;
	char header_error[200];		/* "" while the header is good */
	size_t rows_seen;		/* data rows, including those over the limit */
} csv_reader;

static int csv_no_space(unsigned char c)
{
	(void)c;
	return 0;	/* RFC 4180: spaces belong to the field */
}

static void csv_on_field(void *data, size_t len, void *vr)
{
	csv_reader *cr = vr;
	const char *s = data ? data : "";
	if (memchr(s, '\0', len) || !validate_utf8(s, len))
		cr->cell_bad = true;
	if (cr->ncells == cr->cap) {
		cr->cap = cr->cap ? cr->cap * 2 : 16;
		cr->cells = xrealloc(cr->cells, cr->cap * sizeof *cr->cells);
	}
	cr->cells[cr->ncells++] = xstrndup(s, len);
}

static void read_header(csv_reader *cr)
{
	bool seen[C_COUNT] = {false};
	const char *bad = NULL;
	cr->have_header = true;
	cr->ncolumns = cr->ncells;
	if (cr->cell_bad || cr->ncells > N(cr->column_of)) {
		snprintf(cr->header_error, sizeof cr->header_error,
			 "the CSV header must name the columns %s, %s, %s, %s, %s, %s and optionally "
			 "%s, %s, %s", column_names[0], column_names[1], column_names[2],
			 column_names[3], column_names[4], column_names[5], column_names[6],
			 column_names[7], column_names[8]);
		return;
	}
	for (size_t i = 0; i < cr->ncells && !bad; i++) {
		int c = 0;
		while (c < C_COUNT && strcmp(cr->cells[i], column_names[c]) != 0)
			c++;
		if (c == C_COUNT || seen[c])
			bad = cr->cells[i];
		else {
			seen[c] = true;
			cr->column_of[i] = c;
		}
	}
	if (bad) {
		snprintf(cr->header_error, sizeof cr->header_error,
			 "the CSV header names an unknown or repeated column '%.64s'", bad);
		utf8_cut(cr->header_error);
		return;
	}
	for (int c = 0; c < C_REQUIRED_COUNT; c++)
		if (!seen[c]) {
			snprintf(cr->header_error, sizeof cr->header_error,
				 "the CSV header lacks the column '%s'", column_names[c]);
			return;
		}
}

/* "true"/"1" or "false"/"0"/"" (or an absent column) into *out. */
static bool csv_bool(const char *s, bool *out)
{
	bool yes = s && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);
	bool no = !s || !*s || strcmp(s, "false") == 0 || strcmp(s, "0") == 0;
	if (yes || no)
		*out = yes;
	return yes || no;
}

static void row_from_cells(csv_reader *cr, import_row *r)
{
	api_error err = {0};
	for (size_t i = 0; i < cr->ncells && i < cr->ncolumns; i++) {
		r->cells[cr->column_of[i]] = cr->cells[i];
		cr->cells[i] = NULL;
	}
	if (cr->ncells != cr->ncolumns) {
		reject(r, "invalid_field", "the row has %zu fields; the header has %zu", cr->ncells,
		       cr->ncolumns);
		return;
	}
	if (cr->cell_bad) {
		reject(r, "invalid_field", "a field is not valid UTF-8 text");
		return;
	}
	for (int c = 0; c < C_REQUIRED_COUNT; c++)
		if (!r->cells[c][0]) {
			reject(r, "invalid_field", "field '%s' is required", column_names[c]);
			return;
		}
	r->uscc = r->cells[C_USCC];
	r->category = r->cells[C_CATEGORY];
	r->source_dept = r->cells[C_SOURCE_DEPT];
	r->source_record_id = r->cells[C_SOURCE_RECORD_ID];
	r->observed_on = r->cells[C_OBSERVED_ON];
	r->expires_on = r->cells[C_EXPIRES_ON] && r->cells[C_EXPIRES_ON][0] ? r->cells[C_EXPIRES_ON]
									     : NULL;
	if (!csv_bool(r->cells[C_MINOR_PARTY], &r->minor_party) ||
	    !csv_bool(r->cells[C_FORCE_MAJEURE], &r->force_majeure)) {
		reject(r, "invalid_field", "%s must be true, false, 1, 0 or empty",
		       csv_bool(r->cells[C_MINOR_PARTY], &r->minor_party) ? "force_majeure"
									  : "minor_party");
		return;
	}
	const char *v = r->cells[C_VALUE];
	r->csv_value = json_parse_strict(v, strlen(v), &err);
	if (!r->csv_value)
		reject(r, "invalid_value", "value is not valid JSON: %s", err.message);
	else if (!cJSON_IsObject(r->csv_value))
		reject(r, "invalid_value", "value must be a JSON object");
	r->value = r->csv_value;
}

static void csv_on_row(int terminator, void *vr)
{
	csv_reader *cr = vr;
	(void)terminator;
	if (!cr->have_header)
		read_header(cr);
	else if (!cr->header_error[0] && ++cr->rows_seen <= IMPORT_ROWS_MAX)
		row_from_cells(cr, batch_add(cr->batch));
	for (size_t i = 0; i < cr->ncells; i++)
		free(cr->cells[i]);
	cr->ncells = 0;
	cr->cell_bad = false;
}

static xyd_status read_csv(request_ctx *rc, const char *data, size_t len, import_batch *b)
{
	struct csv_parser p;
	csv_reader cr = {.batch = b};
	xyd_status st = XYD_OK;
	b->format = "csv";
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;	/* a UTF-8 byte order mark */
		len -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return request_fail(rc, XYD_INTERNAL);
	csv_set_space_func(&p, csv_no_space);
	size_t used = csv_parse(&p, data, len, csv_on_field, csv_on_row, &cr);
	if (used != len)
		st = api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL,
				   "the CSV is malformed near byte %zu: a quote inside an unquoted "
				   "field, or text after a closing quote", used);
	else if (csv_fini(&p, csv_on_field, csv_on_row, &cr) != 0)
		st = api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL,
				   "the CSV ends inside a quoted field (a quote is not closed)");
	else if (!cr.have_header)
		st = api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL,
				   "the CSV is empty; a header row naming the columns is required");
	else if (cr.header_error[0])
		st = api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL, "%s", cr.header_error);
	else if (cr.rows_seen > IMPORT_ROWS_MAX)
		st = api_error_set(&rc->err, XYD_PAYLOAD_TOO_LARGE, NULL,
				   "a batch holds at most %d records; this one has %zu",
				   IMPORT_ROWS_MAX, cr.rows_seen);
	for (size_t i = 0; i < cr.ncells; i++)
		free(cr.cells[i]);
	free(cr.cells);
	csv_free(&p);
	return st;
}

/* ---- checks ---- */

static bool check_id(import_row *r, const char *name, const char *s)
{
	size_t chars = validate_utf8_length(s);
	if (chars < 1 || chars > SOURCE_ID_MAX || strlen(s) > SOURCE_ID_MAX)
		return reject(r, "invalid_field", "%s must be 1 to %d characters (at most %d bytes)",
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
		reject(r, "invalid_field", "uscc must be 1 to %d characters", USCC_MAX);
		return;
	}
	int cat = scoring_category_parse(r->category);
	if (cat < 0) {
		reject(r, "unknown_category", "unknown category '%.40s'", r->category);
		return;
	}
	if (!credit_value_decode((scoring_category)cat, r->value, &rec, msg, sizeof msg)) {
		reject(r, "invalid_value", "%s", msg);
		return;
	}
	if (!check_id(r, "source_dept", r->source_dept) ||
	    !check_id(r, "source_record_id", r->source_record_id))
		return;
	if (!validate_date(r->observed_on, NULL, NULL, NULL) || strcmp(r->observed_on, today) > 0) {
		reject(r, "invalid_field", "observed_on must be a real date (YYYY-MM-DD), not in the future");
		return;
	}
	if (r->expires_on && (!validate_date(r->expires_on, NULL, NULL, NULL) ||
			      strcmp(r->expires_on, r->observed_on) < 0)) {
		reject(r, "invalid_field", "expires_on must be a real date (YYYY-MM-DD), not before observed_on");
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
		const char **hit = bsearch(&r->uscc, codes, distinct, sizeof *codes, compare_strings);
		r->enterprise_id = ids[hit - codes];
		if (!r->enterprise_id)
			reject(r, "unknown_enterprise", "no enterprise has the USCC '%.64s'", r->uscc);
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
		if (strcmp(f->source_dept, r->source_dept) || strcmp(f->source_record_id, r->source_record_id)) {
			first = i;
			continue;
		}
		if (same_content(f, r))
			r->repeat = true;
		else
			reject(r, "duplicate_in_batch",
			       "row %zu has the same source_dept and source_record_id with other content",
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
				.enterprise_id = r->enterprise_id, .category = r->category,
				.value_json = r->value_json, .source_dept = r->source_dept,
				.source_record_id = r->source_record_id, .observed_on = r->observed_on,
				.expires_on = r->expires_on, .minor_party = r->minor_party,
				.force_majeure = r->force_majeure};
	}
	models_credit_batch batch = {.imported_by = rc->who.user_id, .format = b->format,
				     .rows_total = b->n, .rows_rejected = rejected,
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
	batch_release(&b);
	return st;
}
