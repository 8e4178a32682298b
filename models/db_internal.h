/*
 * What the files of models/ use to speak SQL: prepared statements only, parameters
 * bound by type, results copied out as text. Not for use outside models/.
 */
#ifndef XYD_MODELS_DB_INTERNAL_H
#define XYD_MODELS_DB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/district.h"
#include "models/db.h"
#include "models/record.h"

typedef enum { DB_P_NULL, DB_P_INT, DB_P_STR } db_param_type;

typedef struct {
	db_param_type type;
	int64_t i;
	const char *s;
	size_t len;
} db_param;

#define DB_INT(v) ((db_param){.type = DB_P_INT, .i = (int64_t)(v)})
#define DB_NULL ((db_param){.type = DB_P_NULL})
/* A NULL string binds SQL NULL. */
static inline db_param db_str(const char *s)
{
	return s ? (db_param){.type = DB_P_STR, .s = s, .len = strlen(s)} : DB_NULL;
}
/* An optional integer: SQL NULL unless present. */
static inline db_param db_opt_int(int present, int64_t v)
{
	return present ? DB_INT(v) : DB_NULL;
}

/* Rows of text cells; a SQL NULL is a NULL cell. Owned by the caller,
 * released with db_result_release. */
typedef struct {
	size_t nrows;
	size_t ncols;
	char **cells; /* nrows * ncols */
} db_result;

/* Runs one prepared statement (sql must be a string literal: its address is
 * the cache key). out may be NULL for statements without rows. affected and
 * insert_id may be NULL. Maps duplicate keys to XYD_CONFLICT, a lost
 * connection to XYD_UNAVAILABLE, a deadlock to XYD_UNAVAILABLE with
 * db_last_errno() == 1213, and anything else to XYD_INTERNAL (logged without
 * values). */
xyd_status db_run(models_db *db, const char *sql, const db_param *params, size_t nparams,
		  db_result *out, uint64_t *affected, uint64_t *insert_id);
/* The most parameters db_run binds; db_run_dynamic takes up to MariaDB's
 * own limit of placeholders in one statement. */
#define DB_CACHED_PARAMS_MAX 64
#define DB_DYNAMIC_PARAMS_MAX 65535

/* A statement from a fixed template, for db_run_dynamic: head, then tuple
 * count (>= 1) times separated by commas, then tail ("... IN (?,?,?)").
 * Only the caller's literals go in; values are bound. The caller frees it. */
char *db_repeat_sql(const char *head, const char *tuple, size_t count, const char *tail);

/* db_run for a statement whose text is built at run time (a multi-row
 * INSERT, an IN list with one placeholder per item): prepared, run and
 * closed in this one call, never cached. sql must come from a fixed
 * template of the caller's with only placeholders repeated, never values;
 * the caller owns it. Errors are mapped as for db_run. */
xyd_status db_run_dynamic(models_db *db, const char *sql, const db_param *params, size_t nparams,
			  db_result *out, uint64_t *affected, uint64_t *insert_id);

/* One row of db_run_each, valid only during the callback: integer and DATE
 * columns arrive as such, the others as NUL-terminated text. */
typedef struct db_row db_row;
typedef void (*db_row_fn)(void *ctx, const db_row *row);
size_t db_row_columns(const db_row *r);
bool db_row_is_null(const db_row *r, size_t col);
int64_t db_row_int(const db_row *r, size_t col); /* 0 for NULL */
/* The cell as text (an integer or a date printed); NULL for NULL. *len (may
 * be NULL) receives its length. Lives until the next row. */
const char *db_row_str(const db_row *r, size_t col, size_t *len);
/* A DATE cell as days since 1970-01-01: true with *days, false for NULL (or
 * a column that is not a DATE). */
bool db_row_days(const db_row *r, size_t col, int64_t *days);

/* Runs a statement (a cached literal as db_run, or built at run time as
 * db_run_dynamic when dynamic) and hands its rows to fn one at a time as
 * they arrive, without copying them: for results too big to hold as text.
 * fn must not use db (the rows are still arriving on its connection). A
 * failure after some rows reached fn returns that failure. */
xyd_status db_run_each(models_db *db, const char *sql, bool dynamic, const db_param *params,
		       size_t nparams, db_row_fn fn, void *ctx);

#define DB_QUERY(db, sql, out, ...)                                                                \
	db_run((db), (sql), (const db_param[]){__VA_ARGS__},                                       \
	       sizeof((const db_param[]){__VA_ARGS__}) / sizeof(db_param), (out), NULL, NULL)

/* db_run for a statement that reads (or locks) at most one row: *out gets
 * the first column of its first row (0 for NULL); XYD_NOT_FOUND when there
 * is no row. out may be NULL when only the row's existence matters. */
xyd_status db_first_int(models_db *db, const char *sql, const db_param *params, size_t nparams,
			int64_t *out);
#define DB_QUERY_INT(db, sql, out, ...)                                                            \
	db_first_int((db), (sql), (const db_param[]){__VA_ARGS__},                                 \
		     sizeof((const db_param[]){__VA_ARGS__}) / sizeof(db_param), (out))

/*
 * Whole records (models/record.h) from a cached statement whose first
 * t->nfields columns are the record's, in its field list's order (the
 * statement's text starts "SELECT " REC_COLUMNS(FIELDS)); further columns
 * are ignored. Integers arrive as integers and text is copied once, into
 * its member.
 *   db_get_one:  the first row into *out (zeroed first); XYD_NOT_FOUND when
 *                there is none.
 *   db_get_all:  up to max rows into *rows, malloc'd (free(); never NULL
 *                after XYD_OK, also when *count is 0; NULL after a failure).
 *   db_get_page: the cursor pager: binds limit + 1 as the statement's last
 *                parameter (its "LIMIT ?"), keeps up to limit rows in *rows
 *                (as db_get_all) and sets *more when one more row came.
 */
xyd_status db_get_one(models_db *db, const char *sql, const db_param *params, size_t nparams,
		      const rec_type *t, void *out);
xyd_status db_get_all(models_db *db, const char *sql, const db_param *params, size_t nparams,
		      const rec_type *t, size_t max, void **rows, size_t *count);
xyd_status db_get_page(models_db *db, const char *sql, const db_param *params, size_t nparams,
		       const rec_type *t, int limit, void **rows, size_t *count, bool *more);
#define DB_PARAMS(...)                                                                             \
	(const db_param[]){__VA_ARGS__}, sizeof((const db_param[]){__VA_ARGS__}) / sizeof(db_param)
#define DB_GET_ONE(db, sql, t, out, ...) db_get_one((db), (sql), DB_PARAMS(__VA_ARGS__), (t), (out))

/* A page db_get_page read that a later step (st, not XYD_OK) failed on:
 * frees *rows and leaves an empty page (rows NULL). Returns st. */
static inline xyd_status db_page_drop(xyd_status st, void **rows, size_t *count, bool *more)
{
	free(*rows);
	*rows = NULL;
	*count = 0;
	*more = false;
	return st;
}

unsigned db_last_errno(const models_db *db);

const char *db_cell(const db_result *r, size_t row, size_t col);
int64_t db_cell_int(const db_result *r, size_t row, size_t col); /* 0 for NULL */
/* Copies a cell into dst (size bytes, always terminated); NULL copies "". */
void db_cell_copy(char *dst, size_t size, const db_result *r, size_t row, size_t col);
void db_result_release(db_result *r);

/* "%q%" for a LIKE, with q's own %, _ and \ escaped so they match only
 * themselves; the caller frees it. */
char *db_like_contains(const char *q);

/* The district's calendar in SQL (common/district.h: UTC+8, no daylight
 * saving). Every SQL "today" is DB_DISTRICT_TODAY; a stored UTC DATETIME's
 * day is DB_DISTRICT_DATE(col); a district day (a DATE or 'YYYY-MM-DD')
 * begins at the UTC instant DB_DISTRICT_DAY_START(day); the month a limit
 * counts in at DB_DISTRICT_MONTH_START(utc). All are SQL text to splice
 * into a statement's literal: "... >= " DB_DISTRICT_TODAY. */
#define DB_DISTRICT_DATE(utc) "DATE(" utc " + INTERVAL 8 HOUR)"
#define DB_DISTRICT_TODAY DB_DISTRICT_DATE("UTC_TIMESTAMP()")
#define DB_DISTRICT_DAY_START(day) "(" day " - INTERVAL 8 HOUR)"
#define DB_DISTRICT_MONTH_START(utc)                                                               \
	DB_DISTRICT_DAY_START("DATE_FORMAT(" utc " + INTERVAL 8 HOUR, '%Y-%m-01')")
_Static_assert(DISTRICT_UTC_OFFSET_H == 8, "DB_DISTRICT_* spell the district's offset as 8 HOUR");

/* Transactions. db_begin starts one; db_commit / db_rollback end it. */
xyd_status db_begin(models_db *db);
xyd_status db_commit(models_db *db);
void db_rollback(models_db *db);
/* True between db_begin and db_commit / db_rollback. */
bool db_in_transaction(const models_db *db);

/* Runs body(db, ctx) inside a transaction, retrying the whole of it up to
 * three times on deadlock or lock-wait timeout; commits on XYD_OK, rolls back
 * otherwise. A body that wants its writes kept although it reports a refusal
 * sets *commit_anyway (may be ignored by bodies that never do). */
typedef xyd_status (*db_tx_body)(models_db *db, void *ctx, bool *commit_anyway);
xyd_status db_transaction(models_db *db, db_tx_body body, void *ctx);

/* Multi-statement text (migrations only). */
xyd_status db_run_script(models_db *db, const char *sql, size_t len, char *err, size_t err_size);

#endif
