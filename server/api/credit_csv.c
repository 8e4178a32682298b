/*
 * Reading the credit import's CSV (RFC 4180, with libcsv) into rows: the
 * header maps columns, each data row becomes an import_row with its cells
 * and, when it cannot be read, a verdict. No HTTP, no database: see
 * credit_import_internal.h, and fuzz/fuzz_csv_import.c which fuzzes it.
 */
#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "server/api/credit_import_internal.h"
#include "server/http/json_strict.h"


static const char *const column_names[C_COUNT] = {
	"uscc",	       "category",   "value",	    "source_dept",   "source_record_id",
	"observed_on", "expires_on", "minor_party", "force_majeure",
};

import_row *credit_import_batch_add(import_batch *b)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->rows = xrealloc(b->rows, b->cap * sizeof *b->rows);
	}
	import_row *r = &b->rows[b->n++];
	memset(r, 0, sizeof *r);
	return r;
}

void credit_import_batch_release(import_batch *b)
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

bool credit_import_reject(import_row *r, const char *code, const char *fmt, ...)
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

/* ---- CSV rows ---- */

typedef struct {
	import_batch *batch;
	char **cells; /* the row being read */
	size_t ncells, cap;
	bool cell_bad; /* a cell held NUL or invalid UTF-8 */
	bool have_header;
	int column_of[C_COUNT + 8]; /* header position → C_* */
	size_t ncolumns;
	char header_error[200]; /* "" while the header is good */
	size_t rows_seen;	/* data rows, including those over the limit */
} csv_reader;

static int csv_no_space(unsigned char c)
{
	(void)c;
	return 0; /* RFC 4180: spaces belong to the field */
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
	if (cr->cell_bad || cr->ncells > ARRAY_SIZE(cr->column_of)) {
		snprintf(
			cr->header_error, sizeof cr->header_error,
			"the CSV header must name the columns %s, %s, %s, %s, %s, %s and optionally "
			"%s, %s, %s",
			column_names[0], column_names[1], column_names[2], column_names[3],
			column_names[4], column_names[5], column_names[6], column_names[7],
			column_names[8]);
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
		credit_import_reject(r, "invalid_field",
				     "the row has %zu fields; the header has %zu", cr->ncells,
				     cr->ncolumns);
		return;
	}
	if (cr->cell_bad) {
		credit_import_reject(r, "invalid_field", "a field is not valid UTF-8 text");
		return;
	}
	for (int c = 0; c < C_REQUIRED_COUNT; c++)
		if (!r->cells[c][0]) {
			credit_import_reject(r, "invalid_field", "field '%s' is required",
					     column_names[c]);
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
		credit_import_reject(r, "invalid_field", "%s must be true, false, 1, 0 or empty",
				     csv_bool(r->cells[C_MINOR_PARTY], &r->minor_party)
					     ? "force_majeure"
					     : "minor_party");
		return;
	}
	const char *v = r->cells[C_VALUE];
	r->csv_value = json_parse_strict(v, strlen(v), &err);
	if (!r->csv_value)
		credit_import_reject(r, "invalid_value", "value is not valid JSON: %s",
				     err.message);
	else if (!cJSON_IsObject(r->csv_value))
		credit_import_reject(r, "invalid_value", "value must be a JSON object");
	r->value = r->csv_value;
}

static void csv_on_row(int terminator, void *vr)
{
	csv_reader *cr = vr;
	(void)terminator;
	if (!cr->have_header)
		read_header(cr);
	else if (!cr->header_error[0] && ++cr->rows_seen <= IMPORT_ROWS_MAX)
		row_from_cells(cr, credit_import_batch_add(cr->batch));
	for (size_t i = 0; i < cr->ncells; i++)
		free(cr->cells[i]);
	cr->ncells = 0;
	cr->cell_bad = false;
}

xyd_status credit_import_read_csv(const char *data, size_t len, import_batch *b, api_error *err)
{
	struct csv_parser p;
	csv_reader cr = {.batch = b};
	xyd_status st = XYD_OK;
	b->format = "csv";
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3; /* a UTF-8 byte order mark */
		len -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return api_error_set(err, XYD_INTERNAL, NULL, "cannot start the CSV parser");
	csv_set_space_func(&p, csv_no_space);
	size_t used = csv_parse(&p, data, len, csv_on_field, csv_on_row, &cr);
	if (used != len)
		st = api_error_set(err, XYD_VALIDATION_FAILED, NULL,
				   "the CSV is malformed near byte %zu: a quote inside an unquoted "
				   "field, or text after a closing quote",
				   used);
	else if (csv_fini(&p, csv_on_field, csv_on_row, &cr) != 0)
		st = api_error_set(err, XYD_VALIDATION_FAILED, NULL,
				   "the CSV ends inside a quoted field (a quote is not closed)");
	else if (!cr.have_header)
		st = api_error_set(err, XYD_VALIDATION_FAILED, NULL,
				   "the CSV is empty; a header row naming the columns is required");
	else if (cr.header_error[0])
		st = api_error_set(err, XYD_VALIDATION_FAILED, NULL, "%s", cr.header_error);
	else if (cr.rows_seen > IMPORT_ROWS_MAX)
		st = api_error_set(err, XYD_PAYLOAD_TOO_LARGE, NULL,
				   "a batch holds at most %d records; this one has %zu",
				   IMPORT_ROWS_MAX, cr.rows_seen);
	for (size_t i = 0; i < cr.ncells; i++)
		free(cr.cells[i]);
	free(cr.cells);
	csv_free(&p);
	return st;
}
