/* A page of records as a list reply: see record_reply.h. */
#include "server/http/record_reply.h"

#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "server/http/json_record.h"

xyd_status reply_record_page(request_ctx *rc, xyd_status st, void *rows, size_t n, bool more,
			     const rec_type *t, json_row_fn row_json, const void *ctx)
{
	const rec_field *id = NULL;
	if (st != XYD_OK) {
		free(rows);
		return request_fail(rc, st);
	}
	for (size_t i = 0; i < t->nfields && !id; i++)
		if (strcmp(t->fields[i].name, "id") == 0)
			id = &t->fields[i];
	XYD_ASSERT(id && id->type == REC_T_I64);
	cJSON *items = cJSON_CreateArray();
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		const char *row = (const char *)rows + i * t->size;
		cJSON_AddItemToArray(items, row_json ? row_json(row, ctx) : json_record(row, t));
	}
	if (n)
		memcpy(&last, (const char *)rows + (n - 1) * t->size + id->offset, sizeof last);
	free(rows);
	return reply_list(rc, items, more, last);
}
