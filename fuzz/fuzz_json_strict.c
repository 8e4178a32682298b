/*
 * Fuzz target: the strict JSON reader (server/http/json_strict.c), which every
 * request body goes through before a handler sees it. Besides memory errors
 * it checks the reader's promises: a refusal names XYD_INVALID_JSON or
 * XYD_VALIDATION_FAILED with a message; an accepted tree prints to text that
 * the reader accepts again and that prints the same (no value it accepts is
 * one it cannot read back); every refusal's message and field are UTF-8, as
 * they go to the client in JSON; json_check_object and the exact-integer reader
 * run on every object and number; and plain cJSON, which is laxer, reads the
 * same text to an equal tree.
 */
#include <stdbool.h>

#include "common/validate.h"
#include "fuzz/fuzz.h"
#include "server/http/json_strict.h"

static const json_field fields[] = {
	{"name", JSON_T_STRING, true, false, 1, 64},
	{"amount_fen", JSON_T_INT, false, true, 1, 1000000000000},
	{"active", JSON_T_BOOL, false, false, 0, 0},
	{"items", JSON_T_ARRAY, false, false, 0, 3},
	{"enterprise", JSON_T_OBJECT, false, true, 0, 0},
};

/* A refusal's text goes to the client inside a JSON reply. */
static void check_refusal(const api_error *err)
{
	FUZZ_CHECK(err->message[0] != '\0');
	FUZZ_CHECK(validate_utf8(err->message, strlen(err->message)));
	FUZZ_CHECK(validate_utf8(err->field, strlen(err->field)));
}

static void walk(const cJSON *node, int depth)
{
	FUZZ_CHECK(depth <= JSON_MAX_DEPTH + 1);
	for (; node; node = node->next) {
		int64_t v;
		if (cJSON_IsNumber(node) && json_number_exact_int(node, &v))
			FUZZ_CHECK(v >= -JSON_MAX_EXACT_INT && v <= JSON_MAX_EXACT_INT);
		if (cJSON_IsObject(node)) {
			api_error err = {0};
			xyd_status st = json_check_object(
				node, fields, sizeof fields / sizeof fields[0], "body", &err);
			FUZZ_CHECK(st == XYD_OK || st == XYD_VALIDATION_FAILED);
			if (st != XYD_OK)
				check_refusal(&err);
			(void)json_get_string(node, "name");
			(void)json_get_bool(node, "active", &(bool){false});
		}
		walk(node->child, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	api_error err = {0};
	cJSON *tree = json_parse_strict((const char *)data, size, &err);
	if (!tree) {
		FUZZ_CHECK(err.status == XYD_INVALID_JSON || err.status == XYD_VALIDATION_FAILED);
		check_refusal(&err);
		return 0;
	}
	walk(tree, 0);
	cJSON *lax = cJSON_ParseWithLength((const char *)data, size);
	FUZZ_CHECK(lax != NULL);
	FUZZ_CHECK(cJSON_Compare(tree, lax, true));
	cJSON_Delete(lax);
	char *text = json_print(tree);
	api_error err2 = {0};
	cJSON *again = json_parse_strict(text, strlen(text), &err2);
	if (!again)
		fprintf(stderr, "printed text refused: %s\n", err2.message);
	FUZZ_CHECK(again != NULL);
	char *text2 = json_print(again);
	FUZZ_CHECK(strcmp(text, text2) == 0);
	free(text2);
	free(text);
	cJSON_Delete(again);
	cJSON_Delete(tree);
	return 0;
}
