/*
 * Records (models/record.h) as JSON: every field of the list but the
 * *_INTERNAL ones, under its member's name, in the list's order. What a
 * view masks, nests or shows only to some callers its handler adds by hand
 * around these.
 */
#ifndef XYD_JSON_RECORD_H
#define XYD_JSON_RECORD_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "models/record.h"

/* Adds rec's fields to the object o. */
void json_add_record(cJSON *o, const void *rec, const rec_type *t);
/* A new object of rec's fields; the caller owns it. */
cJSON *json_record(const void *rec, const rec_type *t);
/* A new array of the objects of rows[0..n) (each t->size bytes); the
 * caller owns it. */
cJSON *json_record_array(const void *rows, size_t n, const rec_type *t);

#endif
