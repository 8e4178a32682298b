/*
 * Shared JSON shapes of answers (users, enterprises, institutions) so each
 * object looks the same on every route that returns it.
 */
#ifndef XYD_JSON_OUT_H
#define XYD_JSON_OUT_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "models/accounts.h"
#include "models/enterprises.h"
#include "models/record.h"
#include "server/http/http.h"

/* Adds key: s, or key: null when s is NULL or "". */
void json_add_string_or_null(cJSON *o, const char *key, const char *s);
/* Adds key: v, or key: null when v is 0. */
void json_add_id_or_null(cJSON *o, const char *key, int64_t v);

cJSON *json_user(const models_user *u);
cJSON *json_institution(const models_institution *i);
/* ---- enterprises (api.md "Enterprises and credit") ---- */

/* Who is looking at an enterprise: it decides masking and how much of the
 * credit summary shows. */
typedef enum {
	JSON_ENTERPRISE_FULL, /* the enterprise itself, the bureau: unmasked, credit flags */
	JSON_ENTERPRISE_PARK, /* masked ID number and phone; credit flags (item 18's check) */
	JSON_ENTERPRISE_BANK  /* masked; credit score and grade only */
} json_enterprise_audience;

/* The enterprise object: profile, size_class, tags, credit (null when not
 * yet scored), whitelist (null when never nominated), created_at,
 * updated_at. */
cJSON *json_enterprise_view(const models_enterprise_view *v, json_enterprise_audience who);
/* The same shape for a profile without score or whitelist (a registration
 * just made): tags [], credit null, whitelist null, updated_at = created_at.
 * unmasked: the caller is the enterprise itself or the bureau. */
cJSON *json_enterprise(const models_enterprise *e, bool unmasked);
/*
 * The JSON array arr of tag names (models_enterprise_tag_names) as SET
 * text in their declared order, "" for none, into out (size bytes). An
 * unknown name or a repeat answers 422 (in rc->err), the message naming
 * "<path>[i]", the field path itself, or with per_item "<path>[i]".
 */
xyd_status json_read_tags(request_ctx *rc, const cJSON *arr, const char *path, bool per_item,
			  char *out, size_t size);
/* A consent record {"id","enterprise_id","institution_id","institution_name",
 * "source","application_id","granted_at","expires_at","revoked_at","status"}. */
cJSON *json_authorization(const models_authorization *a);

/* ---- pages of records ---- */

/* A row of a page as JSON; ctx is the caller's. */
typedef cJSON *(*json_row_fn)(const void *row, const void *ctx);

/* Replies the page a model's list function read with status st: on
 * XYD_OK rows[0..n) (each t->size bytes) as one page of a list, each row
 * as row_json(row, ctx), or as json_record when row_json is NULL, the
 * cursor the last row's "id" field (an I64 of t); otherwise the failure.
 * Frees rows (may be NULL) either way. */
xyd_status reply_record_page(request_ctx *rc, xyd_status st, void *rows, size_t n, bool more,
			     const rec_type *t, json_row_fn row_json, const void *ctx);

/* A model's pager of records filtered by the page alone (ids above after
 * or below it, as the model orders them), its rows as void ** so that one
 * list handler serves every such table. */
typedef xyd_status (*json_page_fn)(models_db *db, int64_t after, int limit, void **rows,
				   size_t *count, bool *more);

/* The whole answer of such a list: the request's page (request_page) read
 * with list and replied by reply_record_page(…, t, row_json, NULL). */
xyd_status reply_page_of(request_ctx *rc, json_page_fn list, const rec_type *t,
			 json_row_fn row_json);

#endif
