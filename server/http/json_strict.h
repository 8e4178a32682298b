/*
 * Strict JSON for request bodies. cJSON alone accepts trailing bytes,
 * duplicate keys and inexact integers, and cJSON_GetObjectItem ignores case,
 * all of which api.md refuses. This module parses RFC 8259 exactly, with the
 * api.md limits (nesting 32, strings 4096 bytes), into an ordinary cJSON tree
 * so the rest of server/ keeps using cJSON; offers case-sensitive accessors;
 * and checks one object against a table of fields.
 */
#ifndef XYD_JSON_STRICT_H
#define XYD_JSON_STRICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "common/status.h"
#include "server/http/api_error.h"

#define JSON_MAX_DEPTH 32		      /* containers nested inside each other */
#define JSON_MAX_STRING_BYTES 4096	      /* one string or key, after unescaping */
#define JSON_MAX_NUMBER_BYTES 4096	      /* one number literal */
#define JSON_MAX_ARRAY_ITEMS 500	      /* json_field ARRAY default maximum */
#define JSON_MAX_EXACT_INT 9007199254740992LL /* 2^53 */

/*
 * Parses the len bytes at buf (need not be NUL-terminated; buf may be NULL
 * when len is 0) as one JSON value followed only by whitespace.
 * Refused, with err set and NULL returned:
 *   XYD_INVALID_JSON: empty or all-whitespace body, any syntax error
 *     (message names the 0-based byte offset), trailing bytes, invalid
 *     UTF-8, lone surrogates, nesting deeper than JSON_MAX_DEPTH, and a
 *     duplicate key (field = path of the key, e.g. "enterprise.name");
 *   XYD_VALIDATION_FAILED: a string or key longer than JSON_MAX_STRING_BYTES,
 *     a string or key holding U+0000, a number literal longer than
 *     JSON_MAX_NUMBER_BYTES or beyond the range of a double (field = path of
 *     the value, e.g. "items[3]"; "" for the top-level value).
 * Every number node keeps its literal text in valuestring, alongside the
 * valuedouble/valueint cJSON would set, so json_number_exact_int can read
 * integers exactly. cJSON_Delete frees that text (it frees valuestring for
 * every node type); this relies on cJSON's default malloc/free hooks.
 * Returns a tree the caller frees with cJSON_Delete.
 */
cJSON *json_parse_strict(const char *buf, size_t len, api_error *err);

/* The member of obj named exactly key (case-sensitive), or NULL when obj is
 * not an object or has no such member. Borrowed: lives as long as obj. */
const cJSON *json_get(const cJSON *obj, const char *key);

/* The string value of member key, or NULL when absent or not a string.
 * Borrowed: lives as long as obj. */
const char *json_get_string(const cJSON *obj, const char *key);

/*
 * True, with *out set, only when item is a number written as an exact
 * integer: no fraction, no exponent, |value| <= 2^53. Read from the literal
 * text json_parse_strict keeps, never from the double. A number node with no
 * literal (built by cJSON_CreateNumber) counts when its double is integral
 * and within 2^53. *out is untouched on false.
 */
bool json_number_exact_int(const cJSON *item, int64_t *out);

/* json_number_exact_int of member key; false when absent. */
bool json_get_int(const cJSON *obj, const char *key, int64_t *out);
/* Sets *out to key's integer when key holds one (a value the route's field
 * table has range-checked to fit an int); else leaves it. */
void json_get_int_to(const cJSON *obj, const char *key, int *out);

/* True, with *out set, when member key is true or false. */
bool json_get_bool(const cJSON *obj, const char *key, bool *out);

typedef enum {
	JSON_T_STRING,
	JSON_T_TEXT,	   /* a STRING of free text on one line: validate_text */
	JSON_T_TEXT_LINES, /* free text that may hold LF: validate_text(lines) */
	JSON_T_INT,
	JSON_T_BOOL,
	JSON_T_OBJECT,
	JSON_T_ARRAY
} json_type;

/*
 * One allowed member of an object. min/max mean, by type:
 *   STRING, TEXT, TEXT_LINES: length in Unicode code points; max 0 means
 *           only the JSON_MAX_STRING_BYTES limit (min still applies); TEXT
 *           and TEXT_LINES also refuse control characters (names, purposes,
 *           memos, reasons: common/validate.h validate_text), naming the field;
 *   INT:    value range; min 0 and max 0 mean any exact integer, otherwise
 *           min <= value <= max;
 *   ARRAY:  item count; max 0 means JSON_MAX_ARRAY_ITEMS;
 *   BOOL, OBJECT: ignored (check a nested object with its own table).
 * required: the key must be present. nullable: null is accepted in place of
 * the value (otherwise null is refused even for an optional field).
 */
typedef struct json_field {
	const char *key;
	json_type type;
	bool required;
	bool nullable;
	int64_t min;
	int64_t max;
} json_field;

/*
 * Checks that obj is an object whose every key is one of fields, with each
 * field present when required and of the right type and range.
 * path_prefix (NULL or "" at the top level) is put before each key in
 * err->field and the message: "enterprise" gives "enterprise.name".
 * Returns XYD_OK, or XYD_VALIDATION_FAILED with err filled; unknown keys are
 * reported first, in document order, then fields in table order.
 */
xyd_status json_check_object(const cJSON *obj, const json_field *fields, size_t n_fields,
			     const char *path_prefix, api_error *err);

/* cJSON_PrintUnformatted that aborts instead of returning NULL (out of
 * memory, or an invalid node: a programming error). The caller frees the
 * result with free(). */
char *json_print(const cJSON *item);

/* Adds key: v to obj as an exact integer literal. cJSON prints numbers
 * through a double with 15 significant digits, which loses fen from 10^15
 * up; this writes the digits themselves. Returns the new member, owned by
 * obj (cJSON_Delete of the tree frees it). */
cJSON *json_add_int(cJSON *obj, const char *key, int64_t v);
/* Adds key: v when present, else key: null. */
void json_add_int_or_null(cJSON *obj, const char *key, bool present, int64_t v);

#endif
