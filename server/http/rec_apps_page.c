/* A page of records as a list reply (rec_apps_page.h). */
#include "server/http/rec_apps_page.h"

#include <stdint.h>
#include <string.h>

#include "common/base.h"
#include "server/http/json_record.h"

xyd_status reply_rec_page(request_ctx *rc, xyd_status st, const void *rows, size_t n,
			  const rec_type *t, rec_page_item_fn item, bool more)
{
	if (st != XYD_OK)
		return request_fail(rc, st);
	XYD_ASSERT(t->nfields > 0 && t->fields[0].type == REC_T_I64 &&
		   strcmp(t->fields[0].name, "id") == 0);
	cJSON *items = cJSON_CreateArray();
	int64_t last = 0;
	for (size_t i = 0; i < n; i++) {
		const char *row = (const char *)rows + i * t->size;
		cJSON_AddItemToArray(items, item ? item(row) : json_record(row, t));
		memcpy(&last, row + t->fields[0].offset, sizeof last);
	}
	return reply_list(rc, items, more, last);
}
