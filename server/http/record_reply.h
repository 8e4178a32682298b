/*
 * A page of records (models/record.h) as a list reply. The same function,
 * with the same signature, is in server/api/json_out.h on branch rec-ent:
 * at the merge this file goes and users.c includes json_out.h only.
 */
#ifndef XYD_RECORD_REPLY_H
#define XYD_RECORD_REPLY_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "models/record.h"
#include "server/http/http.h"

/* A row of a page as JSON; ctx is the caller's. */
typedef cJSON *(*json_row_fn)(const void *row, const void *ctx);

/* Replies the page a model's list function read with status st: on
 * XYD_OK rows[0..n) (each t->size bytes) as one page of a list, each row
 * as row_json(row, ctx), or as json_record when row_json is NULL, the
 * cursor the last row's "id" field (an I64 of t); otherwise the failure.
 * Frees rows (may be NULL) either way. */
xyd_status reply_record_page(request_ctx *rc, xyd_status st, void *rows, size_t n, bool more,
			     const rec_type *t, json_row_fn row_json, const void *ctx);

#endif
