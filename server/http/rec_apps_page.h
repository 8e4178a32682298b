/*
 * A page of records (models/record.h) as a list reply, for list handlers
 * whose items are records, whole or with a few members added by hand.
 */
#ifndef XYD_REC_APPS_PAGE_H
#define XYD_REC_APPS_PAGE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "models/record.h"
#include "server/http/http.h"

/* One list item from one row (a record of the page's type). */
typedef cJSON *(*rec_page_item_fn)(const void *row);

/*
 * The answer to a list read that returned st with rows[0..n) of record
 * type t and more: when st is XYD_OK, 200 {"items": each row as item
 * writes it (json_record when item is NULL), "next_cursor": the last
 * row's id while more, else null}; else the failure (request_fail). The
 * record's first field is its id (I64). rows stay the caller's to free.
 */
xyd_status reply_rec_page(request_ctx *rc, xyd_status st, const void *rows, size_t n,
			  const rec_type *t, rec_page_item_fn item, bool more);

#endif
