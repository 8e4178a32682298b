/*
 * The credit import's rows, shared by credit_import.c (JSON rows, checks,
 * storing) and credit_csv.c (reading CSV rows). Reading needs neither HTTP
 * nor the database, so the fuzz target fuzz/fuzz_csv_import.c calls it alone.
 * Not a door: nothing outside the credit import includes this.
 */
#ifndef XYD_CREDIT_IMPORT_INTERNAL_H
#define XYD_CREDIT_IMPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "common/status.h"
#include "server/http/api_error.h"

#define IMPORT_ROWS_MAX 10000

/* The columns of a row, in api.md's order. */
enum {
	C_USCC,
	C_CATEGORY,
	C_VALUE,
	C_SOURCE_DEPT,
	C_SOURCE_RECORD_ID,
	C_OBSERVED_ON,
	C_EXPIRES_ON,
	C_MINOR_PARTY,
	C_FORCE_MAJEURE,
	C_COUNT
};
#define C_REQUIRED_COUNT 6 /* the first six */

typedef struct {
	/* as read; strings borrowed from the JSON tree or from cells */
	const char *uscc, *category, *source_dept, *source_record_id, *observed_on, *expires_on;
	const cJSON *value;
	bool minor_party, force_majeure;
	char *cells[C_COUNT]; /* CSV: owned text of each column, else NULL */
	cJSON *csv_value;     /* CSV: owned parse of the value column */
	/* derived */
	char *value_json; /* owned canonical text of value */
	int64_t enterprise_id;
	/* verdict */
	const char *code; /* NULL while the row is good */
	char message[200];
	bool repeat; /* an exact repeat of an earlier row */
} import_row;

typedef struct {
	const char *format; /* "json", "csv" */
	import_row *rows;
	size_t n, cap;
	char today[11];
} import_batch;

/* A new zeroed row at the end of b; the pointer lives until the next add. */
import_row *credit_import_batch_add(import_batch *b);

/* Frees every row's owned text and the rows; b itself is the caller's. */
void credit_import_batch_release(import_batch *b);

/* Marks the row bad with code and a message (the first verdict stands) and
 * returns false. code must be a static string. */
bool credit_import_reject(import_row *r, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Reads the len bytes at data as the RFC 4180 CSV of an import (a UTF-8 BOM
 * is skipped): a header row naming the columns in any order, then one row per
 * record, each added to b (format "csv") with its cells and, when the row
 * cannot be read, its verdict. Returns XYD_OK; XYD_VALIDATION_FAILED for a
 * malformed CSV, an empty one or a bad header; XYD_PAYLOAD_TOO_LARGE over
 * IMPORT_ROWS_MAX rows; XYD_INTERNAL when libcsv cannot start. err is set
 * on every refusal. The caller releases b with credit_import_batch_release
 * whatever the answer.
 */
xyd_status credit_import_read_csv(const char *data, size_t len, import_batch *b, api_error *err);

#endif
