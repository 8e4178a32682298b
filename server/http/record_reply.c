/* A page of records as a list reply: see record_reply.h. */
#include "server/http/record_reply.h"

#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "server/http/json_record.h"

xyd_status reply_record_page(request_ctx *rc, void *rows, size_t n, const rec_type *t, bool more)
{
	XYD_ASSERT(t->nfields > 0 && t->fields[0].type == REC_T_I64 &&
		   strcmp(t->fields[0].name, "id") == 0);
	int64_t last = 0;
	if (n)
		memcpy(&last, (const char *)rows + (n - 1) * t->size + t->fields[0].offset,
		       sizeof last);
	cJSON *items = json_record_array(rows, n, t);
	free(rows);
	return reply_list(rc, items, more, last);
}
