/*
 * The credit JSON codecs of server/: a scorecard's weights (the "weights"
 * object of /credit-models, stored as credit_models.weights_json) to and
 * from scoring_weights, and a credit record's "value" object checked
 * against its category's shape (api.md "Record categories") and decoded
 * into a scoring_record. The import checks values with the same function
 * the credit service decodes stored values with, so what is stored always
 * scores.
 */
#ifndef XYD_CREDIT_WEIGHTS_H
#define XYD_CREDIT_WEIGHTS_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "common/status.h"
#include "scoring/scorecard.h"
#include "server/http/api_error.h"

/*
 * Reads obj, a weights object, into *w. Every key of the v1 model is
 * required, each an exact integer within its bounds: base and caps
 * 0..1000; bonuses (per month, per patent, per trademark, per 100,000 yuan,
 * per year, per award, per kept commitment) 0..1000; arrears, breach and
 * penalty points and the arrears floor -1000..0; tax and environment grades
 * -1000..1000; penalty_window_years 1..100; and grade_c_min < grade_b_min <
 * grade_a_min, each 1..1000 (scoring/ assumes these signs). "tax_rating" and "env_rating"
 * objects with every grade; any other key is refused. prefix names obj in
 * err->field ("weights" gives "weights.tax_rating.A"). Returns XYD_OK, or
 * XYD_VALIDATION_FAILED with err filled.
 */
xyd_status credit_weights_from_json(const cJSON *obj, const char *prefix, scoring_weights *w,
				    api_error *err);

/* Parses text (a stored weights_json) and reads it as above. */
xyd_status credit_weights_from_text(const char *text, scoring_weights *w, api_error *err);
/* The same as a credit_weights_reader (services/credit_service.h). */
bool credit_weights_read_text(const char *text, scoring_weights *w, char *err, size_t err_size);

/* The weights as a JSON object, keys in the v1 order. The caller frees it
 * with cJSON_Delete. */
cJSON *credit_weights_to_json(const scoring_weights *w);

/*
 * Checks value, a record's "value" object, against category's shape:
 * exactly its keys, exact integers within range (months 0..12, counts and
 * amounts >= 0, years 1900..2199), grades and kinds from their sets,
 * strings of bounded length. On success fills r's kind, year, count,
 * amount_fen and repairs_source_record_id as the category uses them (the
 * rest of *r is untouched) and returns true; otherwise writes a sentence
 * naming the key at fault into msg and returns false.
 */
bool credit_value_decode(scoring_category category, const cJSON *value, scoring_record *r,
			 char *msg, size_t msg_size);

/* The text a checked value is stored as: its members in order, integers
 * as their exact digits (cJSON alone prints 2^53 as 9.00719925474099e+15).
 * The caller frees it. */
char *credit_value_print(const cJSON *value);

#endif
