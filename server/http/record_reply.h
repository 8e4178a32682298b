/*
 * A page of records (models/record.h) as a list reply: the shape every list
 * handler answers once it has its rows.
 */
#ifndef XYD_RECORD_REPLY_H
#define XYD_RECORD_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "models/record.h"
#include "server/http/http.h"

/* Answers 200 {"items": [rows[0..n) as json_record writes them],
 * "next_cursor": after the last row's id, or null unless more}. The
 * record's first field is its id (I64). rows is malloc'd and freed here. */
xyd_status reply_record_page(request_ctx *rc, void *rows, size_t n, const rec_type *t, bool more);

#endif
