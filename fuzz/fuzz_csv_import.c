/*
 * Fuzz target: reading the credit import's CSV (server/api/credit_csv.c, with
 * libcsv and the strict JSON reader for the value column), the parser the
 * bureau's 16 MiB upload goes through. Besides memory errors and leaks it
 * checks the reader's promises: a refusal names one of the documented
 * statuses with a UTF-8 message (row verdicts too: they go to the client);
 * an accepted batch holds at most IMPORT_ROWS_MAX rows, and every row
 * without a verdict has its required cells non-empty and a JSON object as
 * its value.
 */
#include "common/validate.h"
#include "fuzz/fuzz.h"
#include "server/api/credit_import_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	import_batch b = {0};
	api_error err = {0};
	xyd_status st = credit_import_read_csv((const char *)data, size, &b, &err);
	FUZZ_CHECK(st == XYD_OK || st == XYD_VALIDATION_FAILED || st == XYD_PAYLOAD_TOO_LARGE);
	FUZZ_CHECK(st == XYD_OK || err.message[0] != '\0');
	FUZZ_CHECK(validate_utf8(err.message, strlen(err.message)));
	FUZZ_CHECK(b.n <= IMPORT_ROWS_MAX);
	for (size_t i = 0; st == XYD_OK && i < b.n; i++) {
		const import_row *r = &b.rows[i];
		if (r->code) {
			FUZZ_CHECK(r->message[0] != '\0');
			FUZZ_CHECK(validate_utf8(r->message, strlen(r->message)));
			continue;
		}
		for (int c = 0; c < C_REQUIRED_COUNT; c++)
			FUZZ_CHECK(r->cells[c] != NULL && r->cells[c][0] != '\0');
		FUZZ_CHECK(cJSON_IsObject(r->value));
		FUZZ_CHECK(r->uscc == r->cells[C_USCC] &&
			   r->observed_on == r->cells[C_OBSERVED_ON]);
	}
	credit_import_batch_release(&b);
	return 0;
}
