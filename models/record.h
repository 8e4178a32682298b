/*
 * One field list per record. A record (a programme, a fund, a loan …) is
 * described once, as an X-macro in its model's header:
 *
 *	#define MODELS_FUND_FIELDS(X)                                  \
 *		X(I64, id, 0, "f.id")                                  \
 *		X(TEXT, name, 801, "f.name")  200 characters of 4 bytes \
 *		X(TEXT, created_at, 32, DB_RFC3339("f.created_at"))
 *
 * and from that one list come
 *   - the struct:              typedef struct { MODELS_FUND_FIELDS(REC_MEMBER) } models_fund;
 *   - the SELECT column list:  "SELECT " REC_COLUMNS(MODELS_FUND_FIELDS) " FROM funds f …",
 *                              still a string literal, so the statement cache keys on it;
 *   - the row mapper:          db_get_one / db_get_all / db_get_page (models/db_internal.h)
 *                              bind each column straight into its member, integers
 *                              as integers;
 *   - the JSON writer:         json_add_record (server/http/json_record.h), keys = members.
 * Adding a column is one line here (and the migration). Hand-written code is
 * left only where a field is masked, nested or conditional.
 *
 * The kinds (C type; JSON):
 *   I64   int64_t; a number           ID    int64_t; a number, 0 (SQL NULL) is null
 *   INT   int; a number               BOOL  bool; true/false
 *   TEXT  char[n]; a string           OPT_TEXT  char[n]; "" (SQL NULL) is null
 *   I64_INTERNAL, INT_INTERNAL, TEXT_INTERNAL: read like the others, never
 *   written to JSON (a hash, a key only the server uses).
 * n is the member's size in bytes for the text kinds, 0 for the others; a
 * longer value is cut to n - 1 bytes.
 */
#ifndef XYD_MODELS_RECORD_H
#define XYD_MODELS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { REC_T_I64, REC_T_INT, REC_T_BOOL, REC_T_ID, REC_T_TEXT, REC_T_OPT_TEXT } rec_ctype;

typedef struct {
	const char *name; /* the member's name: the JSON key */
	rec_ctype type;
	bool json; /* false for the *_INTERNAL kinds */
	size_t offset;
	size_t size; /* of the member, in bytes */
} rec_field;

typedef struct {
	const char *name; /* the struct's type name, for logs */
	const rec_field *fields;
	size_t nfields;
	size_t size; /* sizeof the struct */
} rec_type;

/* ---- the X-macro expanders ---- */

#define REC_MEMBER(kind, m, n, sql) REC_MEMBER_##kind(m, n)
#define REC_MEMBER_I64(m, n) int64_t m;
#define REC_MEMBER_INT(m, n) int m;
#define REC_MEMBER_BOOL(m, n) bool m;
#define REC_MEMBER_ID(m, n) int64_t m;
#define REC_MEMBER_TEXT(m, n) char m[n];
#define REC_MEMBER_OPT_TEXT(m, n) char m[n];
#define REC_MEMBER_I64_INTERNAL(m, n) int64_t m;
#define REC_MEMBER_INT_INTERNAL(m, n) int m;
#define REC_MEMBER_TEXT_INTERNAL(m, n) char m[n];

#define REC_CTYPE_I64 REC_T_I64, true
#define REC_CTYPE_INT REC_T_INT, true
#define REC_CTYPE_BOOL REC_T_BOOL, true
#define REC_CTYPE_ID REC_T_ID, true
#define REC_CTYPE_TEXT REC_T_TEXT, true
#define REC_CTYPE_OPT_TEXT REC_T_OPT_TEXT, true
#define REC_CTYPE_I64_INTERNAL REC_T_I64, false
#define REC_CTYPE_INT_INTERNAL REC_T_INT, false
#define REC_CTYPE_TEXT_INTERNAL REC_T_TEXT, false

/* The column list: each field's SQL, comma-separated, and a closing NULL
 * column (a macro cannot drop the last comma) that the readers ignore. */
#define REC_SQL(kind, m, n, sql) sql ", "
#define REC_COLUMNS(FIELDS) FIELDS(REC_SQL) "NULL"

#define REC_DESCRIBE(kind, m, n, sql)                                                              \
	{#m, REC_CTYPE_##kind, offsetof(rec_this_, m), sizeof(((rec_this_ *)0)->m)},

/* Declares / defines `const rec_type *T_rec(void)`, the descriptor of
 * struct type T with field list FIELDS (static storage: never freed). */
#define REC_TYPE_DECLARE(T) const rec_type *T##_rec(void)
#define REC_TYPE_DEFINE(T, FIELDS)                                                                 \
	const rec_type *T##_rec(void)                                                              \
	{                                                                                          \
		typedef T rec_this_;                                                               \
		static const rec_field fields[] = {FIELDS(REC_DESCRIBE)};                          \
		static const rec_type type = {#T, fields, sizeof fields / sizeof fields[0],        \
					      sizeof(T)};                                          \
		return &type;                                                                      \
	}

/* The RFC 3339 UTC text of a DATETIME column, as every record shows times. */
#define REC_RFC3339(col) "DATE_FORMAT(" col ", '%Y-%m-%dT%H:%i:%sZ')"

#endif
