/*
 * Unit tests for server/json_strict: the parser accepts exactly RFC 8259
 * within the api.md limits and builds the same cJSON tree cJSON would; the
 * accessors are case-sensitive and read integers exactly; json_check_object
 * refuses unknown, missing, null, mistyped and out-of-range fields, naming
 * the field. Every input is copied into an exact-size buffer with no NUL so
 * the sanitizers catch any read past len.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "server/http/json_strict.h"

/* ------------------------------------------------------------ helpers */

static cJSON *parse_len(const char *text, size_t len, api_error *err)
{
	char *copy = xmalloc(len);
	cJSON *root;

	memcpy(copy, text, len);
	memset(err, 0, sizeof *err);
	root = json_parse_strict(copy, len, err);
	free(copy);
	return root;
}

static cJSON *parse(const char *text, api_error *err)
{
	return parse_len(text, strlen(text), err);
}

static cJSON *parse_ok(const char *text)
{
	api_error err;
	cJSON *root = parse(text, &err);

	if (!root)
		fail_msg("refused %s: %s", text, err.message);
	return root;
}

static void assert_accepted(const char *text)
{
	cJSON_Delete(parse_ok(text));
}

/* Refused with status; returns the error for further checks. */
static api_error assert_refused(const char *text, xyd_status status)
{
	api_error err;
	cJSON *root = parse(text, &err);

	if (root) {
		cJSON_Delete(root);
		fail_msg("accepted %s", text);
	}
	if (err.status != status)
		fail_msg("%s: status %d, want %d (%s)", text, err.status, status, err.message);
	return err;
}

static void assert_roundtrip(const char *text, const char *printed)
{
	cJSON *root = parse_ok(text);
	char *out = json_print(root);

	assert_string_equal(out, printed);
	free(out);
	cJSON_Delete(root);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* open repeated n times, then close repeated n times. */
static char *nested(size_t n, const char *open, const char *close)
{
	size_t lo = strlen(open), lc = strlen(close), i;
	char *s = xmalloc(n * (lo + lc) + 1), *w = s;

	for (i = 0; i < n; i++, w += lo)
		memcpy(w, open, lo);
	for (i = 0; i < n; i++, w += lc)
		memcpy(w, close, lc);
	*w = '\0';
	return s;
}

/* before + fill repeated n times + after. */
static char *padded(const char *before, const char *fill, size_t n, const char *after)
{
	size_t lb = strlen(before), lf = strlen(fill), la = strlen(after), i;
	char *s = xmalloc(lb + n * lf + la + 1), *w = s;

	memcpy(w, before, lb);
	w += lb;
	for (i = 0; i < n; i++, w += lf)
		memcpy(w, fill, lf);
	memcpy(w, after, la + 1);
	return s;
}

/* ------------------------------------------------------------ parsing */

static void test_valid_documents_of_every_type_round_trip(void **state)
{
	(void)state;
	assert_roundtrip("{}", "{}");
	assert_roundtrip("[]", "[]");
	assert_roundtrip("null", "null");
	assert_roundtrip("true", "true");
	assert_roundtrip("false", "false");
	assert_roundtrip("0", "0");
	assert_roundtrip("-12", "-12");
	assert_roundtrip("1.5", "1.5");
	assert_roundtrip("\"\"", "\"\"");
	assert_roundtrip("\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\"", "\"a\\\"b\\\\c/d\\n\\t\\r\\b\\f\"");
	assert_roundtrip("\"\\u00e9\\u4FE1\"", "\"\xc3\xa9\xe4\xbf\xa1\"");
	assert_roundtrip("\"\xe4\xbf\xa1\xe6\x98\x93\xe8\xb4\xb7\"",
			 "\"\xe4\xbf\xa1\xe6\x98\x93\xe8\xb4\xb7\"");
	assert_roundtrip("{\"a\":1,\"b\":[true,false,null],\"c\":\"x\","
			 "\"d\":{\"e\":-1.5,\"f\":{}},\"g\":[[],[1,[2]]]}",
			 "{\"a\":1,\"b\":[true,false,null],\"c\":\"x\","
			 "\"d\":{\"e\":-1.5,\"f\":{}},\"g\":[[],[1,[2]]]}");
}

static void test_tree_has_the_types_and_member_order_of_the_document(void **state)
{
	cJSON *root = parse_ok("{\"z\":\"s\",\"a\":[1,2,3],\"m\":null}");
	const cJSON *item;

	(void)state;
	assert_true(cJSON_IsObject(root));
	item = root->child;
	assert_string_equal(item->string, "z");
	assert_true(cJSON_IsString(item));
	item = item->next;
	assert_string_equal(item->string, "a");
	assert_int_equal(cJSON_GetArraySize(item), 3);
	assert_int_equal(cJSON_GetArrayItem(item, 2)->valueint, 3);
	item = item->next;
	assert_string_equal(item->string, "m");
	assert_true(cJSON_IsNull(item));
	assert_null(item->next);
	cJSON_Delete(root);
}

static void test_numbers_keep_their_literal_and_cjson_values(void **state)
{
	cJSON *root = parse_ok("[1.50, -0, 1E+2, 1.5e-3, 3000000000]");

	(void)state;
	assert_string_equal(cJSON_GetArrayItem(root, 0)->valuestring, "1.50");
	assert_true(cJSON_GetArrayItem(root, 0)->valuedouble == 1.5);
	assert_int_equal(cJSON_GetArrayItem(root, 0)->valueint, 1);
	assert_string_equal(cJSON_GetArrayItem(root, 1)->valuestring, "-0");
	assert_true(cJSON_GetArrayItem(root, 2)->valuedouble == 100.0);
	assert_true(cJSON_GetArrayItem(root, 3)->valuedouble == 1.5e-3);
	/* cJSON saturates valueint; so do we, by letting it set it. */
	assert_int_equal(cJSON_GetArrayItem(root, 4)->valueint, 2147483647);
	cJSON_Delete(root);
}

static void test_empty_or_whitespace_body_is_refused_as_empty(void **state)
{
	api_error err;

	(void)state;
	assert_null(json_parse_strict(NULL, 0, &err));
	assert_int_equal(err.status, XYD_INVALID_JSON);
	assert_string_equal(err.message, "request body is empty");
	err = assert_refused(" \t\r\n", XYD_INVALID_JSON);
	assert_string_equal(err.message, "request body is empty");
}

static void test_trailing_bytes_are_refused(void **state)
{
	api_error err;

	(void)state;
	err = assert_refused("{} x", XYD_INVALID_JSON);
	assert_string_equal(err.message, "unexpected data after the JSON value at byte 3");
	assert_refused("{}{}", XYD_INVALID_JSON);
	assert_refused("[]]", XYD_INVALID_JSON);
	assert_refused("1 2", XYD_INVALID_JSON);
	assert_refused("nulls", XYD_INVALID_JSON);
	assert_refused("truex", XYD_INVALID_JSON);
	assert_refused("\"a\"\"b\"", XYD_INVALID_JSON);
}

static void test_embedded_nul_byte_after_value_is_refused(void **state)
{
	api_error err;

	(void)state;
	assert_null(parse_len("{}\0", 3, &err));
	assert_int_equal(err.status, XYD_INVALID_JSON);
}

static void test_whitespace_around_value_is_accepted(void **state)
{
	(void)state;
	assert_accepted(" \t\r\n{ \"a\" :\t[ 1 ,\n2 ] } \t\r\n");
	assert_accepted("1\n");
}

static void test_whitespace_outside_rfc_8259_is_refused(void **state)
{
	(void)state;
	assert_refused("\f{}", XYD_INVALID_JSON);
	assert_refused("{}\v", XYD_INVALID_JSON);
	assert_refused("\xef\xbb\xbf{}", XYD_INVALID_JSON); /* BOM */
	assert_refused("\xc2\xa0{}", XYD_INVALID_JSON);	    /* NBSP */
}

static void test_only_the_bytes_up_to_len_are_read(void **state)
{
	api_error err;
	cJSON *root;

	(void)state;
	root = parse_len("{\"a\":1}garbage", 7, &err);
	assert_non_null(root);
	cJSON_Delete(root);
	assert_null(parse_len("{\"a\":1}", 6, &err));
	assert_string_equal(err.message, "unexpected end of input at byte 6");
}

static void test_duplicate_keys_are_refused_naming_the_key(void **state)
{
	api_error err;

	(void)state;
	err = assert_refused("{\"a\":1,\"a\":2}", XYD_INVALID_JSON);
	assert_string_equal(err.field, "a");
	assert_string_equal(err.message, "duplicate key at byte 7");
	err = assert_refused("{\"a\":1,\"b\":2,\"a\":1}", XYD_INVALID_JSON);
	assert_string_equal(err.field, "a");
	err = assert_refused("{\"x\":{\"b\":1,\"c\":{},\"b\":null}}", XYD_INVALID_JSON);
	assert_string_equal(err.field, "x.b");
	err = assert_refused("{\"items\":[{\"k\":1},{\"k\":1,\"k\":2}]}", XYD_INVALID_JSON);
	assert_string_equal(err.field, "items[1].k");
	/* Escapes decode before comparing. */
	err = assert_refused("{\"a\":1,\"\\u0061\":2}", XYD_INVALID_JSON);
	assert_string_equal(err.field, "a");
}

static void test_keys_differing_only_in_case_are_distinct(void **state)
{
	(void)state;
	assert_accepted("{\"name\":1,\"Name\":2,\"NAME\":3}");
	assert_accepted("{\"a\":{\"k\":1},\"b\":{\"k\":1}}");
}

static void test_duplicate_found_among_many_keys(void **state)
{
	size_t n = 5000, i;
	char *doc = xmalloc(n * 16 + 32), *w = doc;
	api_error err;

	(void)state;
	*w++ = '{';
	for (i = 0; i < n; i++)
		w += sprintf(w, "%s\"k%zu\":%zu", i ? "," : "", i, i);
	strcpy(w, "}");
	assert_accepted(doc);
	strcpy(w, ",\"k4321\":0}");
	err = assert_refused(doc, XYD_INVALID_JSON);
	assert_string_equal(err.field, "k4321");
	free(doc);
}

static void test_nesting_of_32_is_accepted_and_33_refused(void **state)
{
	char *doc, *inner;
	api_error err;

	(void)state;
	doc = nested(32, "[", "]");
	assert_accepted(doc);
	free(doc);
	doc = nested(33, "[", "]");
	err = assert_refused(doc, XYD_INVALID_JSON);
	assert_true(starts_with(err.message, "JSON nesting deeper than 32"));
	free(doc);
	/* 31 objects around an empty array: 32 containers. */
	inner = padded("", "{\"a\":", 31, "[]");
	doc = padded(inner, "}", 31, "");
	assert_accepted(doc);
	free(doc);
	free(inner);
	inner = padded("", "{\"a\":", 32, "[]");
	doc = padded(inner, "}", 32, "");
	assert_refused(doc, XYD_INVALID_JSON);
	free(doc);
	free(inner);
}

static void test_adversarial_nesting_returns_an_error_without_overflow(void **state)
{
	char *doc;

	(void)state;
	doc = padded("", "[", 100000, "");
	assert_refused(doc, XYD_INVALID_JSON);
	free(doc);
	doc = padded("", "{\"a\":", 100000, "");
	assert_refused(doc, XYD_INVALID_JSON);
	free(doc);
	doc = nested(100000, "[", "]");
	assert_refused(doc, XYD_INVALID_JSON);
	free(doc);
}

static void test_string_of_4096_bytes_is_accepted_and_4097_refused(void **state)
{
	char *doc;
	api_error err;

	(void)state;
	doc = padded("{\"enterprise\":{\"name\":\"", "x", 4096, "\"}}");
	assert_accepted(doc);
	free(doc);
	doc = padded("{\"enterprise\":{\"name\":\"", "x", 4097, "\"}}");
	err = assert_refused(doc, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "enterprise.name");
	assert_true(starts_with(err.message, "string longer than 4096 bytes"));
	free(doc);
	doc = padded("{\"items\":[\"a\",\"b\",\"c\",\"", "x", 4097, "\"]}");
	err = assert_refused(doc, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "items[3]");
	free(doc);
	doc = padded("\"", "x", 4097, "\"");
	err = assert_refused(doc, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "");
	free(doc);
}

static void test_string_limit_counts_bytes_after_unescaping(void **state)
{
	char *doc;
	cJSON *root;

	(void)state;
	/* 2048 x "\u00e9" is 12288 bytes of text but 4096 bytes decoded. */
	doc = padded("\"", "\\u00e9", 2048, "\"");
	root = parse_ok(doc);
	assert_int_equal(strlen(root->valuestring), 4096);
	cJSON_Delete(root);
	free(doc);
	doc = padded("\"", "\\u00e9", 2048, "x\"");
	assert_refused(doc, XYD_VALIDATION_FAILED);
	free(doc);
	/* 1024 four-byte characters fill the limit exactly. */
	doc = padded("\"", "\xf0\x9f\x98\x80", 1024, "\"");
	assert_accepted(doc);
	free(doc);
	doc = padded("\"", "\xf0\x9f\x98\x80", 1024, "x\"");
	assert_refused(doc, XYD_VALIDATION_FAILED);
	free(doc);
}

static void test_key_longer_than_4096_bytes_is_refused(void **state)
{
	char *doc;
	api_error err;

	(void)state;
	doc = padded("{\"o\":{\"", "k", 4097, "\":1}}");
	err = assert_refused(doc, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "o");
	free(doc);
}

static void test_invalid_utf8_is_refused(void **state)
{
	api_error err;

	(void)state;
	err = assert_refused("\"ab\xff\"", XYD_INVALID_JSON);
	assert_string_equal(err.message, "invalid UTF-8 at byte 3");
	assert_refused("\"\x80\"", XYD_INVALID_JSON);	  /* lone continuation */
	assert_refused("\"\xc3\"", XYD_INVALID_JSON);	  /* truncated */
	assert_refused("\"\xe4\xbf\"", XYD_INVALID_JSON); /* truncated */
	assert_refused("\"\xc3x\"", XYD_INVALID_JSON);
	assert_refused("\"\xf8\x88\x80\x80\x80\"", XYD_INVALID_JSON);
	assert_refused("\"\xf4\x90\x80\x80\"", XYD_INVALID_JSON); /* > U+10FFFF */
	assert_refused("{\"\xfe\":1}", XYD_INVALID_JSON);	  /* in a key */
	assert_accepted("\"\x7f\"");
	assert_accepted("\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\"");
	assert_accepted("\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
}

static void test_overlong_utf8_is_refused(void **state)
{
	(void)state;
	assert_refused("\"\xc0\xaf\"", XYD_INVALID_JSON);
	assert_refused("\"\xc1\xbf\"", XYD_INVALID_JSON);
	assert_refused("\"\xe0\x80\xaf\"", XYD_INVALID_JSON);
	assert_refused("\"\xe0\x9f\xbf\"", XYD_INVALID_JSON);
	assert_refused("\"\xf0\x80\x80\xaf\"", XYD_INVALID_JSON);
	assert_refused("\"\xf0\x8f\xbf\xbf\"", XYD_INVALID_JSON);
}

static void test_surrogates_encoded_in_utf8_are_refused(void **state)
{
	(void)state;
	assert_refused("\"\xed\xa0\x80\"", XYD_INVALID_JSON);
	assert_refused("\"\xed\xbf\xbf\"", XYD_INVALID_JSON);
	assert_accepted("\"\xed\x9f\xbf\""); /* U+D7FF */
}

static void test_lone_surrogate_escapes_are_refused(void **state)
{
	api_error err;

	(void)state;
	err = assert_refused("\"x\\ud800\"", XYD_INVALID_JSON);
	assert_string_equal(err.message, "unpaired surrogate at byte 2");
	assert_refused("\"\\udc00\"", XYD_INVALID_JSON);
	assert_refused("\"\\udfff\\ud800\"", XYD_INVALID_JSON);
	assert_refused("\"\\ud800\\u0041\"", XYD_INVALID_JSON);
	assert_refused("\"\\ud800\\ud800\"", XYD_INVALID_JSON);
	assert_refused("\"\\ud800x\"", XYD_INVALID_JSON);
	assert_refused("\"\\ud800\\\"", XYD_INVALID_JSON);
	assert_refused("\"\\ud800\\udc0\"", XYD_INVALID_JSON);
}

static void test_surrogate_pair_decodes_to_utf8(void **state)
{
	cJSON *root;

	(void)state;
	root = parse_ok("[\"\\ud83d\\ude00\", \"\\uD834\\uDD1E\", "
			"\"\\udbff\\udfff\", \"\\ud800\\udc00\"]");
	assert_string_equal(cJSON_GetArrayItem(root, 0)->valuestring, "\xf0\x9f\x98\x80");
	assert_string_equal(cJSON_GetArrayItem(root, 1)->valuestring, "\xf0\x9d\x84\x9e");
	assert_string_equal(cJSON_GetArrayItem(root, 2)->valuestring, "\xf4\x8f\xbf\xbf");
	assert_string_equal(cJSON_GetArrayItem(root, 3)->valuestring, "\xf0\x90\x80\x80");
	cJSON_Delete(root);
}

static void test_escapes_decode_to_utf8_of_each_width(void **state)
{
	cJSON *root = parse_ok("\"\\u0041\\u007f\\u0080\\u07FF\\u0800\\uffff\"");

	(void)state;
	assert_string_equal(root->valuestring, "A\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf");
	cJSON_Delete(root);
}

static void test_invalid_escapes_are_refused(void **state)
{
	(void)state;
	assert_refused("\"\\x\"", XYD_INVALID_JSON);
	assert_refused("\"\\'\"", XYD_INVALID_JSON);
	assert_refused("\"\\U0041\"", XYD_INVALID_JSON);
	assert_refused("\"\\u12\"", XYD_INVALID_JSON);
	assert_refused("\"\\u12G4\"", XYD_INVALID_JSON);
	assert_refused("\"\\u\"", XYD_INVALID_JSON);
	assert_refused("\"\\", XYD_INVALID_JSON);
	assert_refused("\"\\\"", XYD_INVALID_JSON);
}

static void test_escaped_nul_is_refused_naming_the_field(void **state)
{
	api_error err;

	(void)state;
	err = assert_refused("{\"user\":{\"name\":\"a\\u0000b\"}}", XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "user.name");
	err = assert_refused("{\"a\\u0000\":1}", XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "");
}

static void test_control_characters_in_strings_are_refused(void **state)
{
	api_error err;

	(void)state;
	err = assert_refused("\"a\tb\"", XYD_INVALID_JSON);
	assert_string_equal(err.message, "control character in string at byte 2");
	assert_refused("\"a\nb\"", XYD_INVALID_JSON);
	assert_refused("\"\x01\"", XYD_INVALID_JSON);
	assert_refused("\"\x1f\"", XYD_INVALID_JSON);
	assert_null(parse_len("\"a\0b\"", 5, &err));
	assert_int_equal(err.status, XYD_INVALID_JSON);
}

static void test_loose_number_forms_are_refused(void **state)
{
	api_error err;

	(void)state;
	err = assert_refused("01", XYD_INVALID_JSON);
	assert_string_equal(err.message, "number with a leading zero at byte 0");
	assert_refused("[-01]", XYD_INVALID_JSON);
	assert_refused("00", XYD_INVALID_JSON);
	assert_refused("1.", XYD_INVALID_JSON);
	assert_refused("[1.]", XYD_INVALID_JSON);
	assert_refused(".5", XYD_INVALID_JSON);
	assert_refused("+1", XYD_INVALID_JSON);
	assert_refused("-", XYD_INVALID_JSON);
	assert_refused("- 1", XYD_INVALID_JSON);
	assert_refused("1e", XYD_INVALID_JSON);
	assert_refused("1e+", XYD_INVALID_JSON);
	assert_refused("1.e5", XYD_INVALID_JSON);
	assert_refused("0x10", XYD_INVALID_JSON);
	assert_refused("NaN", XYD_INVALID_JSON);
	assert_refused("-NaN", XYD_INVALID_JSON);
	assert_refused("Infinity", XYD_INVALID_JSON);
	assert_refused("-Infinity", XYD_INVALID_JSON);
	assert_refused("[1,nan]", XYD_INVALID_JSON);
	assert_accepted("[0, -0, 0.0, -0.5e-7, 10E5, 1e+0, 123456789]");
}

static void test_numbers_past_a_double_or_too_long_are_refused(void **state)
{
	api_error err;
	char *doc;

	(void)state;
	err = assert_refused("{\"n\":1e400}", XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "n");
	assert_refused("-1e400", XYD_VALIDATION_FAILED);
	assert_accepted("1e-400");	     /* underflows to 0: still a number */
	doc = padded("[0.", "1", 4094, "]"); /* a 4096-byte literal */
	assert_accepted(doc);
	free(doc);
	doc = padded("[0.", "1", 4095, "]");
	err = assert_refused(doc, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "[0]");
	free(doc);
}

static void test_comments_and_single_quotes_are_refused(void **state)
{
	(void)state;
	assert_refused("/* c */ {}", XYD_INVALID_JSON);
	assert_refused("{} // c", XYD_INVALID_JSON);
	assert_refused("{\"a\":1 /* c */}", XYD_INVALID_JSON);
	assert_refused("# c\n{}", XYD_INVALID_JSON);
	assert_refused("{'a':1}", XYD_INVALID_JSON);
	assert_refused("['a']", XYD_INVALID_JSON);
	assert_refused("{a:1}", XYD_INVALID_JSON);
}

static void test_malformed_structure_is_refused_with_byte_offset(void **state)
{
	api_error err;

	(void)state;
	err = assert_refused("{\"a\": x}", XYD_INVALID_JSON);
	assert_string_equal(err.message, "unexpected character at byte 6");
	err = assert_refused("[1,", XYD_INVALID_JSON);
	assert_string_equal(err.message, "unexpected end of input at byte 3");
	assert_refused("[1,]", XYD_INVALID_JSON);
	assert_refused("[,1]", XYD_INVALID_JSON);
	assert_refused("[1 2]", XYD_INVALID_JSON);
	assert_refused("{\"a\":1,}", XYD_INVALID_JSON);
	assert_refused("{,}", XYD_INVALID_JSON);
	assert_refused("{\"a\"}", XYD_INVALID_JSON);
	assert_refused("{\"a\":}", XYD_INVALID_JSON);
	assert_refused("{\"a\" 1}", XYD_INVALID_JSON);
	assert_refused("{1:1}", XYD_INVALID_JSON);
	assert_refused("{\"a\":1 \"b\":2}", XYD_INVALID_JSON);
	assert_refused("[}", XYD_INVALID_JSON);
	assert_refused("{]", XYD_INVALID_JSON);
	assert_refused("tru", XYD_INVALID_JSON);
	assert_refused("True", XYD_INVALID_JSON);
	assert_refused("nul", XYD_INVALID_JSON);
	err = assert_refused("\"abc", XYD_INVALID_JSON);
	assert_string_equal(err.message, "unterminated string starting at byte 0");
	assert_refused("[\"a\\\"]", XYD_INVALID_JSON);
}

static void test_error_inside_a_large_tree_frees_it(void **state)
{
	char *doc = padded("{\"a\":[", "{\"k\":\"v\",\"n\":[1,2]},", 1000, "{\"k\":x}]}");

	(void)state;
	assert_refused(doc, XYD_INVALID_JSON);
	free(doc);
}

/* ------------------------------------------------------------ accessors */

static void test_json_get_is_case_sensitive(void **state)
{
	cJSON *root = parse_ok("{\"Name\":\"upper\",\"nAme\":\"mixed\"}");

	(void)state;
	assert_null(json_get(root, "name"));
	assert_null(json_get_string(root, "name"));
	assert_null(json_get_string(root, "NAME"));
	assert_string_equal(json_get_string(root, "Name"), "upper");
	assert_string_equal(json_get_string(root, "nAme"), "mixed");
	cJSON_Delete(root);
}

static void test_json_get_on_non_objects_returns_null(void **state)
{
	cJSON *root = parse_ok("[{\"a\":1}]");

	(void)state;
	assert_null(json_get(root, "a"));
	assert_null(json_get(NULL, "a"));
	assert_null(json_get(root->child, NULL));
	assert_non_null(json_get(root->child, "a"));
	cJSON_Delete(root);
}

static void test_json_get_string_refuses_non_strings(void **state)
{
	cJSON *root = parse_ok("{\"n\":1,\"z\":null,\"s\":\"\"}");

	(void)state;
	assert_null(json_get_string(root, "n"));
	assert_null(json_get_string(root, "z"));
	assert_null(json_get_string(root, "absent"));
	assert_string_equal(json_get_string(root, "s"), "");
	cJSON_Delete(root);
}

static void test_json_get_int_accepts_exact_integers_up_to_2_pow_53(void **state)
{
	cJSON *root = parse_ok("{\"max\":9007199254740992,"
			       "\"min\":-9007199254740992,\"zero\":-0,"
			       "\"small\":42}");
	int64_t v = 0;

	(void)state;
	assert_true(json_get_int(root, "max", &v));
	assert_true(v == 9007199254740992LL);
	assert_true(json_get_int(root, "min", &v));
	assert_true(v == -9007199254740992LL);
	assert_true(json_get_int(root, "zero", &v));
	assert_int_equal(v, 0);
	assert_true(json_get_int(root, "small", &v));
	assert_int_equal(v, 42);
	cJSON_Delete(root);
}

static void test_json_get_int_refuses_inexact_and_out_of_range(void **state)
{
	cJSON *root = parse_ok("{\"over\":9007199254740993,"
			       "\"under\":-9007199254740993,"
			       "\"huge\":99999999999999999999999,"
			       "\"one_point_zero\":1.0,\"exp\":1e3,\"EXP\":1E3,"
			       "\"frac\":1.5,\"str\":\"1\",\"bool\":true,"
			       "\"null\":null}");
	const char *keys[] = {"over", "under", "huge", "one_point_zero", "exp",	  "EXP",
			      "frac", "str",   "bool", "null",		 "absent"};
	int64_t v = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (json_get_int(root, keys[i], &v))
			fail_msg("json_get_int accepted '%s'", keys[i]);
	}
	assert_int_equal(v, 7);
	cJSON_Delete(root);
}

static void test_json_number_exact_int_reads_array_items(void **state)
{
	cJSON *root = parse_ok("[3, 2.5, -7, \"4\"]");
	int64_t v = 0;

	(void)state;
	assert_true(json_number_exact_int(cJSON_GetArrayItem(root, 0), &v));
	assert_int_equal(v, 3);
	assert_false(json_number_exact_int(cJSON_GetArrayItem(root, 1), &v));
	assert_true(json_number_exact_int(cJSON_GetArrayItem(root, 2), &v));
	assert_int_equal(v, -7);
	assert_false(json_number_exact_int(cJSON_GetArrayItem(root, 3), &v));
	assert_false(json_number_exact_int(NULL, &v));
	cJSON_Delete(root);
}

static void test_json_number_exact_int_on_built_nodes_uses_the_double(void **state)
{
	cJSON *whole = cJSON_CreateNumber(1234567);
	cJSON *half = cJSON_CreateNumber(0.5);
	cJSON *big = cJSON_CreateNumber(1e300);
	int64_t v = 0;

	(void)state;
	assert_true(json_number_exact_int(whole, &v));
	assert_int_equal(v, 1234567);
	assert_false(json_number_exact_int(half, &v));
	assert_false(json_number_exact_int(big, &v));
	cJSON_Delete(whole);
	cJSON_Delete(half);
	cJSON_Delete(big);
}

static void test_json_get_bool_reads_only_booleans(void **state)
{
	cJSON *root = parse_ok("{\"t\":true,\"f\":false,\"n\":1,\"z\":null}");
	bool b = false;

	(void)state;
	assert_true(json_get_bool(root, "t", &b));
	assert_true(b);
	assert_true(json_get_bool(root, "f", &b));
	assert_false(b);
	assert_false(json_get_bool(root, "n", &b));
	assert_false(json_get_bool(root, "z", &b));
	assert_false(json_get_bool(root, "absent", &b));
	cJSON_Delete(root);
}

static void test_json_print_returns_freeable_compact_text(void **state)
{
	cJSON *obj = cJSON_CreateObject();
	char *text;

	(void)state;
	cJSON_AddNumberToObject(obj, "amount_fen", 123456789012345.0);
	cJSON_AddStringToObject(obj, "name", "\xe4\xbf\xa1");
	text = json_print(obj);
	assert_string_equal(text, "{\"amount_fen\":123456789012345,\"name\":\"\xe4\xbf\xa1\"}");
	free(text);
	cJSON_Delete(obj);
}

/* ------------------------------------------------------------ check_object */

static const json_field product_fields[] = {
	{"name", JSON_T_STRING, true, false, 1, 64},
	{"term_days", JSON_T_INT, true, false, 1, 3600},
	{"note", JSON_T_STRING, false, true, 0, 0},
	{"active", JSON_T_BOOL, false, false, 0, 0},
	{"criteria", JSON_T_OBJECT, false, false, 0, 0},
	{"tags", JSON_T_ARRAY, false, false, 0, 0},
	{"towns", JSON_T_ARRAY, false, false, 1, 3},
	{"code", JSON_T_STRING, false, false, 18, 18},
	{"memo", JSON_T_STRING, false, false, 2, 0},
	{"offset", JSON_T_INT, false, true, 0, 0},
};
#define N_PRODUCT_FIELDS (sizeof product_fields / sizeof product_fields[0])

/* Parses text and checks it against product_fields under prefix. */
static api_error check(const char *text, const char *prefix, xyd_status want)
{
	cJSON *root = parse_ok(text);
	api_error err;
	xyd_status got;

	memset(&err, 0, sizeof err);
	got = json_check_object(root, product_fields, N_PRODUCT_FIELDS, prefix, &err);
	cJSON_Delete(root);
	if (got != want)
		fail_msg("%s: status %d, want %d (%s)", text, got, want, err.message);
	if (got != XYD_OK)
		assert_int_equal(err.status, got);
	return err;
}

static void test_check_object_text_fields_refuse_control_characters(void **state)
{
	static const json_field fields[] = {
		{"name", JSON_T_TEXT, true, false, 1, 64},
		{"description", JSON_T_TEXT_LINES, false, false, 0, 0},
	};
	static const char *const bad_names[] = {
		"\"a\\rb\"",   "\"a\\nb\"",    "\"a\\tb\"",
		"\"\\u0007\"", "\"x\\u0085\"", "\"x\\u007f\"",
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		char text[64];
		api_error err;
		snprintf(text, sizeof text, "{\"name\":%s}", bad_names[i]);
		cJSON *root = parse_ok(text);
		memset(&err, 0, sizeof err);
		assert_int_equal(json_check_object(root, fields, 2, "product", &err),
				 XYD_VALIDATION_FAILED);
		assert_string_equal(err.field, "product.name");
		cJSON_Delete(root);
	}
	cJSON *ok = parse_ok("{\"name\":\"\u4e1c\u65b9 \u00a0x\",\"description\":\"one\\ntwo\"}");
	api_error err;
	memset(&err, 0, sizeof err);
	assert_int_equal(json_check_object(ok, fields, 2, NULL, &err), XYD_OK);
	cJSON_Delete(ok);
	cJSON *cr = parse_ok("{\"name\":\"n\",\"description\":\"one\\r\\ntwo\"}");
	assert_int_equal(json_check_object(cr, fields, 2, NULL, &err), XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "description");
	cJSON_Delete(cr);
}

static void test_check_object_accepts_a_valid_object(void **state)
{
	(void)state;
	check("{\"name\":\"n\",\"term_days\":30}", NULL, XYD_OK);
	check("{\"name\":\"n\",\"term_days\":3600,\"note\":null,\"active\":true,"
	      "\"criteria\":{\"x\":1},\"tags\":[],\"towns\":[1,2,3],"
	      "\"code\":\"913100001234567890\",\"memo\":\"ab\",\"offset\":-5}",
	      NULL, XYD_OK);
	check("{\"name\":\"n\",\"term_days\":1,\"offset\":null}", NULL, XYD_OK);
}

static void test_check_object_refuses_a_non_object(void **state)
{
	api_error err;

	(void)state;
	err = check("[]", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "request body must be a JSON object");
	err = check("\"x\"", "", XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "request body must be a JSON object");
	err = check("[]", "product", XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "product");
	assert_string_equal(err.message, "field 'product' must be an object");
}

static void test_check_object_refuses_unknown_key_naming_it(void **state)
{
	api_error err;

	(void)state;
	err = check("{\"name\":\"n\",\"term_days\":1,\"extra\":1}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "extra");
	assert_string_equal(err.message, "unknown field 'extra'");
	/* Case matters: "Name" is not "name". */
	err = check("{\"Name\":\"n\",\"term_days\":1}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "Name");
	/* Unknown keys are reported before missing ones. */
	err = check("{\"zzz\":1}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "zzz");
}

static void test_check_object_refuses_missing_required_field(void **state)
{
	api_error err;

	(void)state;
	err = check("{\"name\":\"n\"}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "term_days");
	assert_string_equal(err.message, "field 'term_days' is required");
	err = check("{}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "name");
}

static void test_check_object_accepts_null_only_when_nullable(void **state)
{
	api_error err;

	(void)state;
	check("{\"name\":\"n\",\"term_days\":1,\"note\":null}", NULL, XYD_OK);
	err = check("{\"name\":\"n\",\"term_days\":1,\"active\":null}", NULL,
		    XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "active");
	assert_string_equal(err.message, "field 'active' must not be null");
	err = check("{\"name\":null,\"term_days\":1}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "name");
}

static void test_check_object_refuses_wrong_types(void **state)
{
	api_error err;

	(void)state;
	err = check("{\"name\":5,\"term_days\":1}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'name' must be a string");
	err = check("{\"name\":\"n\",\"term_days\":\"1\"}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'term_days' must be an integer");
	err = check("{\"name\":\"n\",\"term_days\":1,\"active\":1}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'active' must be a boolean");
	err = check("{\"name\":\"n\",\"term_days\":1,\"criteria\":[]}", NULL,
		    XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'criteria' must be an object");
	err = check("{\"name\":\"n\",\"term_days\":1,\"tags\":{}}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'tags' must be an array");
}

static void test_check_object_refuses_inexact_integers(void **state)
{
	const char *docs[] = {
		"{\"name\":\"n\",\"term_days\":30.5}",
		"{\"name\":\"n\",\"term_days\":30.0}",
		"{\"name\":\"n\",\"term_days\":3e1}",
		"{\"name\":\"n\",\"term_days\":1,\"offset\":9007199254740993}",
	};
	api_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		err = check(docs[i], NULL, XYD_VALIDATION_FAILED);
		assert_non_null(strstr(err.message, "must be an integer"));
	}
	check("{\"name\":\"n\",\"term_days\":1,\"offset\":9007199254740992}", NULL, XYD_OK);
}

static void test_check_object_refuses_integers_out_of_range(void **state)
{
	api_error err;

	(void)state;
	err = check("{\"name\":\"n\",\"term_days\":0}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'term_days' must be between 1 and 3600");
	check("{\"name\":\"n\",\"term_days\":3601}", NULL, XYD_VALIDATION_FAILED);
	check("{\"name\":\"n\",\"term_days\":-1}", NULL, XYD_VALIDATION_FAILED);
}

static void test_check_object_counts_string_length_in_characters(void **state)
{
	api_error err;
	char *name, *doc;

	(void)state;
	/* 64 three-byte characters: 192 bytes, 64 characters. */
	name = padded("", "\xe4\xbf\xa1", 64, "");
	doc = padded("{\"term_days\":1,\"name\":\"", name, 1, "\"}");
	check(doc, NULL, XYD_OK);
	free(doc);
	doc = padded("{\"term_days\":1,\"name\":\"", name, 1, "x\"}");
	err = check(doc, NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'name' must be between 1 and 64 characters");
	free(doc);
	free(name);
	err = check("{\"term_days\":1,\"name\":\"\"}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "name");
	err = check("{\"term_days\":1,\"name\":\"n\",\"code\":\"123\"}", NULL,
		    XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'code' must be exactly 18 characters");
	err = check("{\"term_days\":1,\"name\":\"n\",\"memo\":\"a\"}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'memo' must be at least 2 characters");
}

static void test_check_object_string_without_max_allows_4096_bytes(void **state)
{
	char *doc;

	(void)state;
	doc = padded("{\"term_days\":1,\"name\":\"n\",\"note\":\"", "x", 4096, "\"}");
	check(doc, NULL, XYD_OK);
	free(doc);
}

static void test_check_object_refuses_array_counts_out_of_range(void **state)
{
	api_error err;
	char *doc;

	(void)state;
	err = check("{\"name\":\"n\",\"term_days\":1,\"towns\":[]}", NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'towns' must have between 1 and 3 items");
	check("{\"name\":\"n\",\"term_days\":1,\"towns\":[1,2,3,4]}", NULL, XYD_VALIDATION_FAILED);
	doc = padded("{\"name\":\"n\",\"term_days\":1,\"tags\":[0", ",0", 499, "]}");
	check(doc, NULL, XYD_OK);
	free(doc);
	doc = padded("{\"name\":\"n\",\"term_days\":1,\"tags\":[0", ",0", 500, "]}");
	err = check(doc, NULL, XYD_VALIDATION_FAILED);
	assert_string_equal(err.message, "field 'tags' must have at most 500 items");
	free(doc);
}

static void test_check_object_puts_path_prefix_in_field(void **state)
{
	api_error err;

	(void)state;
	err = check("{\"name\":\"n\",\"term_days\":1,\"bogus\":1}", "enterprise",
		    XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "enterprise.bogus");
	assert_string_equal(err.message, "unknown field 'enterprise.bogus'");
	err = check("{\"name\":\"n\"}", "items[3]", XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "items[3].term_days");
	err = check("{\"name\":\"n\",\"term_days\":0}", "a.b", XYD_VALIDATION_FAILED);
	assert_string_equal(err.field, "a.b.term_days");
}

static void test_check_object_cuts_long_field_at_a_utf8_boundary(void **state)
{
	char *prefix = padded("", "\xc3\xa9", 100, "");
	api_error err;

	(void)state;
	err = check("{\"name\":\"n\"}", prefix, XYD_VALIDATION_FAILED);
	/* 127 bytes would split an "é"; the cut leaves 63 whole ones. */
	assert_int_equal(strlen(err.field), 126);
	free(prefix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_documents_of_every_type_round_trip),
		cmocka_unit_test(test_tree_has_the_types_and_member_order_of_the_document),
		cmocka_unit_test(test_numbers_keep_their_literal_and_cjson_values),
		cmocka_unit_test(test_empty_or_whitespace_body_is_refused_as_empty),
		cmocka_unit_test(test_trailing_bytes_are_refused),
		cmocka_unit_test(test_embedded_nul_byte_after_value_is_refused),
		cmocka_unit_test(test_whitespace_around_value_is_accepted),
		cmocka_unit_test(test_whitespace_outside_rfc_8259_is_refused),
		cmocka_unit_test(test_only_the_bytes_up_to_len_are_read),
		cmocka_unit_test(test_duplicate_keys_are_refused_naming_the_key),
		cmocka_unit_test(test_keys_differing_only_in_case_are_distinct),
		cmocka_unit_test(test_duplicate_found_among_many_keys),
		cmocka_unit_test(test_nesting_of_32_is_accepted_and_33_refused),
		cmocka_unit_test(test_adversarial_nesting_returns_an_error_without_overflow),
		cmocka_unit_test(test_string_of_4096_bytes_is_accepted_and_4097_refused),
		cmocka_unit_test(test_string_limit_counts_bytes_after_unescaping),
		cmocka_unit_test(test_key_longer_than_4096_bytes_is_refused),
		cmocka_unit_test(test_invalid_utf8_is_refused),
		cmocka_unit_test(test_overlong_utf8_is_refused),
		cmocka_unit_test(test_surrogates_encoded_in_utf8_are_refused),
		cmocka_unit_test(test_lone_surrogate_escapes_are_refused),
		cmocka_unit_test(test_surrogate_pair_decodes_to_utf8),
		cmocka_unit_test(test_escapes_decode_to_utf8_of_each_width),
		cmocka_unit_test(test_invalid_escapes_are_refused),
		cmocka_unit_test(test_escaped_nul_is_refused_naming_the_field),
		cmocka_unit_test(test_control_characters_in_strings_are_refused),
		cmocka_unit_test(test_loose_number_forms_are_refused),
		cmocka_unit_test(test_numbers_past_a_double_or_too_long_are_refused),
		cmocka_unit_test(test_comments_and_single_quotes_are_refused),
		cmocka_unit_test(test_malformed_structure_is_refused_with_byte_offset),
		cmocka_unit_test(test_error_inside_a_large_tree_frees_it),
		cmocka_unit_test(test_json_get_is_case_sensitive),
		cmocka_unit_test(test_json_get_on_non_objects_returns_null),
		cmocka_unit_test(test_json_get_string_refuses_non_strings),
		cmocka_unit_test(test_json_get_int_accepts_exact_integers_up_to_2_pow_53),
		cmocka_unit_test(test_json_get_int_refuses_inexact_and_out_of_range),
		cmocka_unit_test(test_json_number_exact_int_reads_array_items),
		cmocka_unit_test(test_json_number_exact_int_on_built_nodes_uses_the_double),
		cmocka_unit_test(test_json_get_bool_reads_only_booleans),
		cmocka_unit_test(test_json_print_returns_freeable_compact_text),
		cmocka_unit_test(test_check_object_accepts_a_valid_object),
		cmocka_unit_test(test_check_object_text_fields_refuse_control_characters),
		cmocka_unit_test(test_check_object_refuses_a_non_object),
		cmocka_unit_test(test_check_object_refuses_unknown_key_naming_it),
		cmocka_unit_test(test_check_object_refuses_missing_required_field),
		cmocka_unit_test(test_check_object_accepts_null_only_when_nullable),
		cmocka_unit_test(test_check_object_refuses_wrong_types),
		cmocka_unit_test(test_check_object_refuses_inexact_integers),
		cmocka_unit_test(test_check_object_refuses_integers_out_of_range),
		cmocka_unit_test(test_check_object_counts_string_length_in_characters),
		cmocka_unit_test(test_check_object_string_without_max_allows_4096_bytes),
		cmocka_unit_test(test_check_object_refuses_array_counts_out_of_range),
		cmocka_unit_test(test_check_object_puts_path_prefix_in_field),
		cmocka_unit_test(test_check_object_cuts_long_field_at_a_utf8_boundary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
