/*
 * Shared JSON shapes of answers (users, enterprises, institutions) so each
 * object looks the same on every route that returns it.
 */
#ifndef XYD_JSON_OUT_H
#define XYD_JSON_OUT_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "models/accounts.h"

/* Adds key: s, or key: null when s is NULL or "". */
void json_add_string_or_null(cJSON *o, const char *key, const char *s);
/* Adds key: v, or key: null when v is 0. */
void json_add_id_or_null(cJSON *o, const char *key, int64_t v);

cJSON *json_user(const models_user *u);
cJSON *json_institution(const models_institution *i);
/* unmasked: the caller is the enterprise itself or the bureau. */
cJSON *json_enterprise(const models_enterprise *e, bool unmasked);

#endif
