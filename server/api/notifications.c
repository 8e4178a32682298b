/*
 * A user's own notifications: list them (newest first, optionally unread
 * only) and mark one read. Someone else's notification answers 404, as if
 * it did not exist. Reading a programme recommendation's notification
 * counts the recommendation as viewed in the programme's funnel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "models/notifications.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"

xyd_status handle_notifications_list(request_ctx *rc)
{
	models_notification_filter f = {.user_id = rc->who.user_id};
	const char *unread = request_query(rc, "unread");
	xyd_status st;
	if (unread) {
		if (strcmp(unread, "1") == 0 || strcmp(unread, "true") == 0)
			f.unread_only = true;
		else if (strcmp(unread, "0") != 0 && strcmp(unread, "false") != 0)
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "unread",
					     "unread must be 1 or 0");
	}
	if ((st = request_page(rc, &f.limit, &f.before_id)) != XYD_OK)
		return st;
	models_notification *rows;
	size_t n;
	bool more;
	st = models_notification_list(rc->db, &f, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_notification_rec(), NULL, NULL);
}

/* No body, or an empty object (the route's route_body_empty): there is nothing to say. */
xyd_status handle_notification_read(request_ctx *rc)
{
	int64_t id = request_id_param(rc);
	xyd_status st;
	models_audit audit;
	request_audit(rc, &audit, "notification.read", "notification", 200);
	models_notification *n = xmalloc(sizeof *n);
	st = models_notification_read(rc->db, rc->who.user_id, id, &audit, n);
	if (st == XYD_OK)
		reply_json(rc, 200, json_record(n, models_notification_rec()));
	else if (st == XYD_NOT_FOUND)
		api_error_set(&rc->err, st, NULL, "no notification %lld", (long long)id);
	else
		request_fail(rc, st);
	free(n);
	return st;
}
