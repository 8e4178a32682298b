/*
 * Strict JSON: a small recursive-descent parser for RFC 8259 with the api.md
 * limits, building a cJSON tree; case-sensitive accessors; and table-driven
 * checking of one object. See json_strict.h for the contracts.
 *
 * Recursion is bounded by JSON_MAX_DEPTH before each descent, so adversarial
 * nesting returns an error instead of exhausting the stack.
 */
#include "server/http/json_strict.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/validate.h"
#include "common/xmalloc.h"

/* Where a value sits in the document, for err->field: a chain of frames on
 * the parser's own stack, rendered only when an error needs it. */
typedef struct json_path {
	const struct json_path *parent;
	const char *key; /* member name, or NULL for an array item */
	size_t index;	 /* array index when key is NULL */
} json_path;

typedef struct {
	const unsigned char *buf;
	size_t len;
	size_t pos; /* next byte to read */
	api_error *err;
} json_parser;

/* One member key of the object being parsed, for the duplicate check. */
typedef struct {
	const char *key; /* owned by the member's cJSON node */
	size_t at;	 /* byte offset of the key */
} member_key;

typedef struct {
	member_key *items;
	size_t count;
	size_t cap;
} key_list;

static cJSON *parse_value(json_parser *p, unsigned depth, const json_path *path);

/* cJSON reports out of memory as NULL; like xmalloc, treat it as fatal. */
static void out_of_memory(void)
{
	fprintf(stderr, "fatal: cJSON cannot allocate memory\n");
	abort();
}

static cJSON *must(cJSON *node)
{
	if (!node)
		out_of_memory();
	return node;
}

/* Cuts s before a UTF-8 sequence that snprintf truncation left incomplete,
 * so a truncated field or message is still valid UTF-8 in the reply. */
static void utf8_trim(char *s)
{
	size_t i = strlen(s), tail = 0, need;
	unsigned char lead;

	while (i > 0 && tail < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
		i--;
		tail++;
	}
	if (i == 0)
		return;
	lead = (unsigned char)s[i - 1];
	need = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
	if (need > tail)
		s[i - 1] = '\0';
}

/* Appends "a.b[3].c" for path to out (which holds a string already). */
static void path_render(const json_path *path, char *out, size_t size)
{
	size_t used;

	if (!path)
		return;
	path_render(path->parent, out, size);
	used = strlen(out);
	if (path->key)
		snprintf(out + used, size - used, "%s%s", used ? "." : "", path->key);
	else
		snprintf(out + used, size - used, "[%zu]", path->index);
}

static void parse_fail(json_parser *p, xyd_status status, const json_path *path, const char *fmt,
		       ...) __attribute__((format(printf, 4, 5)));

static void parse_fail(json_parser *p, xyd_status status, const json_path *path, const char *fmt,
		       ...)
{
	char field[sizeof p->err->field] = "";
	char message[sizeof p->err->message];
	va_list ap;

	path_render(path, field, sizeof field);
	utf8_trim(field);
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	api_error_set(p->err, status, field, "%s", message);
}

static void fail_unexpected(json_parser *p)
{
	if (p->pos >= p->len)
		parse_fail(p, XYD_INVALID_JSON, NULL, "unexpected end of input at byte %zu",
			   p->pos);
	else
		parse_fail(p, XYD_INVALID_JSON, NULL, "unexpected character at byte %zu", p->pos);
}

/* The next byte, or -1 at the end of input. */
static int peek(const json_parser *p)
{
	return p->pos < p->len ? p->buf[p->pos] : -1;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* RFC 8259 whitespace only: no form feed, no vertical tab, no BOM. */
static void skip_ws(json_parser *p)
{
	int c;

	while ((c = peek(p)) == ' ' || c == '\t' || c == '\r' || c == '\n')
		p->pos++;
}

static cJSON *parse_literal(json_parser *p, const char *word, cJSON *(*create)(void))
{
	size_t i;

	for (i = 0; word[i]; i++, p->pos++) {
		if (peek(p) != (unsigned char)word[i]) {
			fail_unexpected(p);
			return NULL;
		}
	}
	return must(create());
}

/* One or more digits. */
static bool scan_digits(json_parser *p)
{
	if (!is_digit(peek(p))) {
		fail_unexpected(p);
		return false;
	}
	while (is_digit(peek(p)))
		p->pos++;
	return true;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and nothing looser. */
static bool scan_number(json_parser *p)
{
	if (peek(p) == '-')
		p->pos++;
	if (peek(p) == '0') {
		p->pos++;
		if (is_digit(peek(p))) {
			parse_fail(p, XYD_INVALID_JSON, NULL,
				   "number with a leading zero at byte %zu", p->pos - 1);
			return false;
		}
	} else if (!scan_digits(p)) {
		return false;
	}
	if (peek(p) == '.') {
		p->pos++;
		if (!scan_digits(p))
			return false;
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!scan_digits(p))
			return false;
	}
	return true;
}

/*
 * The literal text goes into valuestring so integers can be read exactly
 * later; the double is only what cJSON users expect to find. strtod reads
 * '.' as the decimal point because the server never calls setlocale.
 */
static cJSON *parse_number(json_parser *p, const json_path *path)
{
	size_t start = p->pos;
	char *text;
	double value;
	cJSON *node;

	if (!scan_number(p))
		return NULL;
	if (p->pos - start > JSON_MAX_NUMBER_BYTES) {
		parse_fail(p, XYD_VALIDATION_FAILED, path,
			   "number longer than %d bytes at byte %zu", JSON_MAX_NUMBER_BYTES, start);
		return NULL;
	}
	text = xstrndup((const char *)p->buf + start, p->pos - start);
	value = strtod(text, NULL);
	if (isinf(value)) {
		free(text);
		parse_fail(p, XYD_VALIDATION_FAILED, path, "number out of range at byte %zu",
			   start);
		return NULL;
	}
	node = must(cJSON_CreateNumber(value));
	node->valuestring = text;
	return node;
}

/* Index of the unescaped '"' closing a string whose body starts at from,
 * or len when there is none. */
static size_t string_end(const unsigned char *buf, size_t from, size_t len)
{
	size_t i = from;

	while (i < len && buf[i] != '"')
		i += buf[i] == '\\' ? 2 : 1;
	return i < len ? i : len;
}

/* Length of the well-formed UTF-8 sequence (RFC 3629: no overlongs, no
 * surrogates, nothing past U+10FFFF) starting with a non-ASCII byte at s,
 * or 0 when it is not one. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		if (s[0] == 0xE0)
			lo = 0xA0;
		else if (s[0] == 0xED)
			hi = 0x9F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		if (s[0] == 0xF0)
			lo = 0x90;
		else if (s[0] == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

static size_t utf8_encode(uint32_t cp, char dst[4])
{
	if (cp < 0x80) {
		dst[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		dst[0] = (char)(0xC0 | cp >> 6);
		dst[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		dst[0] = (char)(0xE0 | cp >> 12);
		dst[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		dst[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	dst[0] = (char)(0xF0 | cp >> 18);
	dst[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	dst[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	dst[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Reads the 4 hex digits of a \u escape at buf[from], all before end. */
static bool read_hex4(const unsigned char *buf, size_t from, size_t end, uint32_t *out)
{
	uint32_t value = 0;
	size_t i;

	if (end - from < 4)
		return false;
	for (i = from; i < from + 4; i++) {
		unsigned char c = buf[i];
		uint32_t digit;

		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			digit = c - 'A' + 10;
		else
			return false;
		value = value << 4 | digit;
	}
	*out = value;
	return true;
}

/* \uXXXX at p->pos, joining a surrogate pair; a lone surrogate has no
 * UTF-8 form, and U+0000 would silently cut the C string short. */
static size_t read_unicode_escape(json_parser *p, size_t end, const json_path *path, char dst[4])
{
	size_t at = p->pos;
	uint32_t cp, low;

	if (!read_hex4(p->buf, at + 2, end, &cp)) {
		parse_fail(p, XYD_INVALID_JSON, NULL, "invalid \\u escape at byte %zu", at);
		return 0;
	}
	p->pos = at + 6;
	if (cp >= 0xD800 && cp <= 0xDBFF && end - p->pos >= 6 && p->buf[p->pos] == '\\' &&
	    p->buf[p->pos + 1] == 'u' && read_hex4(p->buf, p->pos + 2, end, &low) &&
	    low >= 0xDC00 && low <= 0xDFFF) {
		cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
		p->pos += 6;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF) {
		parse_fail(p, XYD_INVALID_JSON, NULL, "unpaired surrogate at byte %zu", at);
		return 0;
	}
	if (cp == 0) {
		parse_fail(p, XYD_VALIDATION_FAILED, path, "string contains U+0000 at byte %zu",
			   at);
		return 0;
	}
	return utf8_encode(cp, dst);
}

static size_t read_escape(json_parser *p, size_t end, const json_path *path, char dst[4])
{
	/* string_end guarantees a byte after the backslash before end. */
	switch (p->buf[p->pos + 1]) {
	case '"':
		dst[0] = '"';
		break;
	case '\\':
		dst[0] = '\\';
		break;
	case '/':
		dst[0] = '/';
		break;
	case 'b':
		dst[0] = '\b';
		break;
	case 'f':
		dst[0] = '\f';
		break;
	case 'n':
		dst[0] = '\n';
		break;
	case 'r':
		dst[0] = '\r';
		break;
	case 't':
		dst[0] = '\t';
		break;
	case 'u':
		return read_unicode_escape(p, end, path, dst);
	default:
		parse_fail(p, XYD_INVALID_JSON, NULL, "invalid escape at byte %zu", p->pos);
		return 0;
	}
	p->pos += 2;
	return 1;
}

/* Decodes one character of a string body into dst; 0 on error. */
static size_t read_char(json_parser *p, size_t end, const json_path *path, char dst[4])
{
	const unsigned char *s = p->buf + p->pos;
	size_t n = 1;

	if (*s < 0x20) {
		parse_fail(p, XYD_INVALID_JSON, NULL, "control character in string at byte %zu",
			   p->pos);
		return 0;
	}
	if (*s == '\\')
		return read_escape(p, end, path, dst);
	if (*s >= 0x80 && !(n = utf8_seq_len(s, end - p->pos))) {
		parse_fail(p, XYD_INVALID_JSON, NULL, "invalid UTF-8 at byte %zu", p->pos);
		return 0;
	}
	memcpy(dst, s, n);
	p->pos += n;
	return n;
}

/*
 * Decodes the string whose opening quote is at p->pos into a new
 * NUL-terminated buffer (caller frees) and leaves p->pos after the closing
 * quote. Decoding never lengthens text, so the buffer is sized once.
 */
static char *parse_string(json_parser *p, const json_path *path)
{
	size_t open = p->pos, end, used = 0, n;
	char *text = NULL, *result = NULL, ch[4];

	end = string_end(p->buf, open + 1, p->len);
	if (end == p->len) {
		p->pos = p->len;
		parse_fail(p, XYD_INVALID_JSON, NULL, "unterminated string starting at byte %zu",
			   open);
		goto out;
	}
	n = end - open - 1;
	text = xmalloc((n < JSON_MAX_STRING_BYTES ? n : JSON_MAX_STRING_BYTES) + 1);
	p->pos = open + 1;
	while (p->pos < end) {
		if (!(n = read_char(p, end, path, ch)))
			goto out;
		if (used + n > JSON_MAX_STRING_BYTES) {
			parse_fail(p, XYD_VALIDATION_FAILED, path,
				   "string longer than %d bytes at byte %zu", JSON_MAX_STRING_BYTES,
				   open);
			goto out;
		}
		memcpy(text + used, ch, n);
		used += n;
	}
	text[used] = '\0';
	p->pos = end + 1;
	result = text;
	text = NULL;
out:
	free(text);
	return result;
}

static cJSON *parse_string_node(json_parser *p, const json_path *path)
{
	char *text = parse_string(p, path);
	cJSON *node;

	if (!text)
		return NULL;
	node = must(cJSON_CreateString(text));
	free(text);
	return node;
}

static int member_key_cmp(const void *a, const void *b)
{
	const member_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* Sorting, not a hash table: O(n log n) however the keys were chosen, so a
 * body full of colliding keys cannot make the check quadratic. */
static bool keys_unique(json_parser *p, key_list *keys, const json_path *path)
{
	json_path member = {.parent = path};
	size_t i;

	if (keys->count < 2)
		return true;
	qsort(keys->items, keys->count, sizeof *keys->items, member_key_cmp);
	for (i = 1; i < keys->count; i++) {
		if (strcmp(keys->items[i - 1].key, keys->items[i].key) == 0) {
			member.key = keys->items[i].key;
			parse_fail(p, XYD_INVALID_JSON, &member, "duplicate key at byte %zu",
				   keys->items[i].at);
			return false;
		}
	}
	return true;
}

static void key_list_add(key_list *keys, const char *key, size_t at)
{
	if (keys->count == keys->cap) {
		keys->cap = keys->cap ? 2 * keys->cap : 8;
		keys->items = xrealloc(keys->items, keys->cap * sizeof *keys->items);
	}
	keys->items[keys->count].key = key;
	keys->items[keys->count].at = at;
	keys->count++;
}

/* Parses `"key": value` at p->pos and adds it to obj. */
static bool parse_member(json_parser *p, cJSON *obj, key_list *keys, unsigned depth,
			 const json_path *path)
{
	json_path member = {.parent = path};
	size_t at = p->pos;
	char *key = NULL;
	cJSON *value;
	bool ok = false;

	if (peek(p) != '"') {
		fail_unexpected(p);
		goto out;
	}
	if (!(key = parse_string(p, path)))
		goto out;
	member.key = key;
	skip_ws(p);
	if (peek(p) != ':') {
		fail_unexpected(p);
		goto out;
	}
	p->pos++;
	skip_ws(p);
	if (!(value = parse_value(p, depth, &member)))
		goto out;
	if (!cJSON_AddItemToObject(obj, key, value))
		out_of_memory();
	key_list_add(keys, value->string, at);
	ok = true;
out:
	free(key);
	return ok;
}

static void fail_depth(json_parser *p)
{
	parse_fail(p, XYD_INVALID_JSON, NULL, "JSON nesting deeper than %d at byte %zu",
		   JSON_MAX_DEPTH, p->pos);
}

/* After an opening bracket at p->pos: "close", or elements separated by
 * commas up to close, each read by one(p, ctx). False (the error
 * reported) when an element or the punctuation is wrong. */
typedef bool (*element_fn)(json_parser *p, void *ctx);
static bool parse_elements(json_parser *p, char close, element_fn one, void *ctx)
{
	p->pos++;
	skip_ws(p);
	if (peek(p) != close) {
		for (;;) {
			if (!one(p, ctx))
				return false;
			skip_ws(p);
			if (peek(p) != ',')
				break;
			p->pos++;
			skip_ws(p);
		}
		if (peek(p) != close) {
			fail_unexpected(p);
			return false;
		}
	}
	p->pos++;
	return true;
}

typedef struct {
	cJSON *obj;
	key_list keys;
	unsigned depth;
	const json_path *path;
} object_reader;

static bool object_member(json_parser *p, void *ctx)
{
	object_reader *r = ctx;
	return parse_member(p, r->obj, &r->keys, r->depth, r->path);
}

static cJSON *parse_object(json_parser *p, unsigned depth, const json_path *path)
{
	object_reader r = {.depth = depth, .path = path};
	cJSON *result = NULL;

	if (depth > JSON_MAX_DEPTH) {
		fail_depth(p);
		return NULL;
	}
	r.obj = must(cJSON_CreateObject());
	if (parse_elements(p, '}', object_member, &r) && keys_unique(p, &r.keys, path)) {
		result = r.obj;
		r.obj = NULL;
	}
	free(r.keys.items);
	cJSON_Delete(r.obj);
	return result;
}

typedef struct {
	cJSON *array;
	unsigned depth;
	json_path item_path;
} array_reader;

static bool array_item(json_parser *p, void *ctx)
{
	array_reader *r = ctx;
	cJSON *item = parse_value(p, r->depth, &r->item_path);
	if (!item)
		return false;
	if (!cJSON_AddItemToArray(r->array, item))
		out_of_memory();
	r->item_path.index++;
	return true;
}

static cJSON *parse_array(json_parser *p, unsigned depth, const json_path *path)
{
	array_reader r = {.depth = depth, .item_path = {.parent = path, .key = NULL, .index = 0}};

	if (depth > JSON_MAX_DEPTH) {
		fail_depth(p);
		return NULL;
	}
	r.array = must(cJSON_CreateArray());
	if (parse_elements(p, ']', array_item, &r))
		return r.array;
	cJSON_Delete(r.array);
	return NULL;
}

/* depth counts the containers already open around this value. */
static cJSON *parse_value(json_parser *p, unsigned depth, const json_path *path)
{
	switch (peek(p)) {
	case '{':
		return parse_object(p, depth + 1, path);
	case '[':
		return parse_array(p, depth + 1, path);
	case '"':
		return parse_string_node(p, path);
	case 't':
		return parse_literal(p, "true", cJSON_CreateTrue);
	case 'f':
		return parse_literal(p, "false", cJSON_CreateFalse);
	case 'n':
		return parse_literal(p, "null", cJSON_CreateNull);
	case '-':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		return parse_number(p, path);
	default:
		fail_unexpected(p);
		return NULL;
	}
}

cJSON *json_parse_strict(const char *buf, size_t len, api_error *err)
{
	json_parser p = {
		.buf = (const unsigned char *)buf,
		.len = len,
		.pos = 0,
		.err = err,
	};
	cJSON *root;

	skip_ws(&p);
	if (p.pos == p.len) {
		api_error_set(err, XYD_INVALID_JSON, NULL, "request body is empty");
		return NULL;
	}
	if (!(root = parse_value(&p, 0, NULL)))
		return NULL;
	skip_ws(&p);
	if (p.pos != p.len) {
		parse_fail(&p, XYD_INVALID_JSON, NULL,
			   "unexpected data after the JSON value at byte %zu", p.pos);
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

const cJSON *json_get(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj) || !key)
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const char *json_get_string(const cJSON *obj, const char *key)
{
	const cJSON *item = json_get(obj, key);

	return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* For number nodes built in code, which carry no literal. */
static bool double_exact_int(double value, int64_t *out)
{
	if (!(value >= -(double)JSON_MAX_EXACT_INT && value <= (double)JSON_MAX_EXACT_INT))
		return false; /* also NaN */
	if ((double)(int64_t)value != value)
		return false;
	*out = (int64_t)value;
	return true;
}

bool json_number_exact_int(const cJSON *item, int64_t *out)
{
	const char *text;
	char *end;
	long long value;

	if (!cJSON_IsNumber(item))
		return false;
	text = item->valuestring;
	if (!text)
		return double_exact_int(item->valuedouble, out);
	if (!(*text == '-' || is_digit(*text)) || strpbrk(text, ".eE"))
		return false;
	errno = 0;
	value = strtoll(text, &end, 10);
	if (errno || *end != '\0')
		return false;
	if (value > JSON_MAX_EXACT_INT || value < -JSON_MAX_EXACT_INT)
		return false;
	*out = value;
	return true;
}

bool json_get_int(const cJSON *obj, const char *key, int64_t *out)
{
	return json_number_exact_int(json_get(obj, key), out);
}

bool json_get_bool(const cJSON *obj, const char *key, bool *out)
{
	const cJSON *item = json_get(obj, key);

	if (!cJSON_IsBool(item))
		return false;
	*out = cJSON_IsTrue(item);
	return true;
}

/* "prefix.key", or "key" without a prefix, cut to fit err->field. */
static void field_name(char *out, size_t size, const char *prefix, const char *key)
{
	if (prefix && *prefix)
		snprintf(out, size, "%s.%s", prefix, key);
	else
		snprintf(out, size, "%s", key);
	utf8_trim(out);
}

/* Code points, not bytes: api.md limits are in characters. */
static int64_t utf8_count(const char *s)
{
	int64_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* "must be at most 64 characters", "must have between 1 and 500 items" … */
static xyd_status count_error(api_error *err, const char *name, const char *verb, int64_t min,
			      int64_t max, const char *unit)
{
	if (min == max)
		return api_error_set(err, XYD_VALIDATION_FAILED, name,
				     "field '%s' must %s exactly %" PRId64 " %s%s", name, verb, min,
				     unit, min == 1 ? "" : "s");
	if (max == 0)
		return api_error_set(err, XYD_VALIDATION_FAILED, name,
				     "field '%s' must %s at least %" PRId64 " %s%s", name, verb,
				     min, unit, min == 1 ? "" : "s");
	if (min > 0)
		return api_error_set(err, XYD_VALIDATION_FAILED, name,
				     "field '%s' must %s between %" PRId64 " and %" PRId64 " %ss",
				     name, verb, min, max, unit);
	return api_error_set(err, XYD_VALIDATION_FAILED, name,
			     "field '%s' must %s at most %" PRId64 " %s%s", name, verb, max, unit,
			     max == 1 ? "" : "s");
}

static xyd_status type_error(api_error *err, const char *name, const char *what)
{
	return api_error_set(err, XYD_VALIDATION_FAILED, name, "field '%s' must be %s", name, what);
}

static xyd_status check_string(const cJSON *item, const json_field *f, const char *name,
			       api_error *err)
{
	int64_t chars;

	if (!cJSON_IsString(item) || !item->valuestring)
		return type_error(err, name, "a string");
	/* Trees not built by json_parse_strict have not met the limit yet. */
	if (strlen(item->valuestring) > JSON_MAX_STRING_BYTES)
		return api_error_set(err, XYD_VALIDATION_FAILED, name,
				     "field '%s' must be at most %d bytes", name,
				     JSON_MAX_STRING_BYTES);
	chars = utf8_count(item->valuestring);
	if (chars < f->min || (f->max > 0 && chars > f->max))
		return count_error(err, name, "be", f->min, f->max, "character");
	if (f->type != JSON_T_STRING &&
	    !validate_text(item->valuestring, f->type == JSON_T_TEXT_LINES))
		return api_error_set(err, XYD_VALIDATION_FAILED, name,
				     "field '%s' must not contain control characters%s", name,
				     f->type == JSON_T_TEXT_LINES ? " other than line feeds"
								  : " (line breaks, tabs)");
	return XYD_OK;
}

static xyd_status check_int(const cJSON *item, const json_field *f, const char *name,
			    api_error *err)
{
	int64_t value;

	if (!json_number_exact_int(item, &value))
		return type_error(err, name, "an integer");
	if (f->min == 0 && f->max == 0)
		return XYD_OK;
	XYD_ASSERT(f->min <= f->max);
	if (value < f->min || value > f->max)
		return api_error_set(err, XYD_VALIDATION_FAILED, name,
				     "field '%s' must be between %" PRId64 " and %" PRId64, name,
				     f->min, f->max);
	return XYD_OK;
}

static xyd_status check_array(const cJSON *item, const json_field *f, const char *name,
			      api_error *err)
{
	int64_t max = f->max ? f->max : JSON_MAX_ARRAY_ITEMS, count;

	if (!cJSON_IsArray(item))
		return type_error(err, name, "an array");
	XYD_ASSERT(f->min <= max);
	count = cJSON_GetArraySize(item);
	if (count < f->min || count > max)
		return count_error(err, name, "have", f->min, max, "item");
	return XYD_OK;
}

static xyd_status check_field(const cJSON *obj, const json_field *f, const char *prefix,
			      api_error *err)
{
	char name[sizeof err->field];
	const cJSON *item = json_get(obj, f->key);

	field_name(name, sizeof name, prefix, f->key);
	if (!item)
		return f->required ? api_error_set(err, XYD_VALIDATION_FAILED, name,
						   "field '%s' is required", name)
				   : XYD_OK;
	if (cJSON_IsNull(item))
		return f->nullable ? XYD_OK
				   : api_error_set(err, XYD_VALIDATION_FAILED, name,
						   "field '%s' must not be null", name);
	switch (f->type) {
	case JSON_T_STRING:
	case JSON_T_TEXT:
	case JSON_T_TEXT_LINES:
		return check_string(item, f, name, err);
	case JSON_T_INT:
		return check_int(item, f, name, err);
	case JSON_T_BOOL:
		return cJSON_IsBool(item) ? XYD_OK : type_error(err, name, "a boolean");
	case JSON_T_OBJECT:
		return cJSON_IsObject(item) ? XYD_OK : type_error(err, name, "an object");
	case JSON_T_ARRAY:
		return check_array(item, f, name, err);
	}
	XYD_ASSERT(!"json_field with an unknown type");
	return api_error_set(err, XYD_INTERNAL, NULL, "bad field table");
}

static bool field_known(const json_field *fields, size_t n_fields, const char *key)
{
	size_t i;

	for (i = 0; i < n_fields; i++)
		if (strcmp(fields[i].key, key) == 0)
			return true;
	return false;
}

xyd_status json_check_object(const cJSON *obj, const json_field *fields, size_t n_fields,
			     const char *path_prefix, api_error *err)
{
	char name[sizeof err->field];
	const cJSON *member;
	xyd_status status;
	size_t i;

	if (!cJSON_IsObject(obj)) {
		if (path_prefix && *path_prefix) {
			field_name(name, sizeof name, NULL, path_prefix);
			return type_error(err, name, "an object");
		}
		return api_error_set(err, XYD_VALIDATION_FAILED, NULL,
				     "request body must be a JSON object");
	}
	for (member = obj->child; member; member = member->next) {
		if (member->string && field_known(fields, n_fields, member->string))
			continue;
		field_name(name, sizeof name, path_prefix, member->string ? member->string : "");
		return api_error_set(err, XYD_VALIDATION_FAILED, name, "unknown field '%s'", name);
	}
	for (i = 0; i < n_fields; i++) {
		status = check_field(obj, &fields[i], path_prefix, err);
		if (status != XYD_OK)
			return status;
	}
	return XYD_OK;
}

char *json_print(const cJSON *item)
{
	char *text = cJSON_PrintUnformatted(item);

	if (!text) {
		fprintf(stderr, "fatal: cannot print JSON\n");
		abort();
	}
	return text;
}

cJSON *json_add_int(cJSON *obj, const char *key, int64_t v)
{
	char digits[24];
	snprintf(digits, sizeof digits, "%lld", (long long)v);
	cJSON *item = cJSON_CreateRaw(digits);
	if (!item)
		abort();
	cJSON_AddItemToObject(obj, key, item);
	return item;
}

void json_get_int_to(const cJSON *obj, const char *key, int *out)
{
	int64_t v;
	if (json_get_int(obj, key, &v)) {
		XYD_ASSERT(v >= INT_MIN && v <= INT_MAX);
		*out = (int)v;
	}
}

void json_add_int_or_null(cJSON *obj, const char *key, bool present, int64_t v)
{
	if (present)
		json_add_int(obj, key, v);
	else
		cJSON_AddNullToObject(obj, key);
}
