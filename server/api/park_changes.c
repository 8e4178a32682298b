/*
 * Requests to move into a park over HTTP. An enterprise files one by
 * PATCHing its own park_id (enterprises.c) or by naming a park when it
 * registers (auth.c); the operator of the park it
 * asks for lists the requests into its park and confirms or rejects each;
 * the bureau lists them all (it sets a park directly instead). Another
 * park's request answers 404 to a park, as if it did not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/park_changes.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"
#include "services/matching_service.h"

static const char *const status_names[] = {"pending", "confirmed", "rejected", "cancelled"};

xyd_status handle_park_changes_list(request_ctx *rc)
{
	models_park_change_filter f = {0};
	xyd_status st;
	f.status = request_query(rc, "status");
	if (!f.status)
		f.status = "pending";
	else if (strcmp(f.status, "all") == 0)
		f.status = NULL;
	else if (validate_name_index(f.status, status_names, (int)ARRAY_SIZE(status_names)) < 0)
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "status",
			"status must be pending, confirmed, rejected, cancelled or all");
	if ((st = request_page(rc, &f.limit, &f.after_id)) != XYD_OK)
		return st;
	f.park_id = (rc->role & ROLE_PARK) ? rc->who.org_id : 0;
	models_park_change *rows;
	size_t n;
	bool more;
	st = models_park_change_list(rc->db, &f, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_park_change_rec(), NULL, NULL);
}

static const json_field reject_fields[] = {
	{"reason", JSON_T_TEXT_LINES, true, false, 1, PARK_CHANGE_REASON_MAX_CHARS},
};
const route_body park_change_reject_body = {reject_fields, ARRAY_SIZE(reject_fields), false};

/* Confirms (reason NULL) or rejects request id into the caller's park. */
static xyd_status decide(request_ctx *rc, const char *reason)
{
	int64_t id = request_id_param(rc);
	bool confirm = reason == NULL;
	models_audit audit;
	request_audit(rc, &audit, confirm ? "park_change.confirm" : "park_change.reject",
		      "park_change", 200);
	models_park_change *c = xmalloc(sizeof *c);
	xyd_status st = models_park_change_decide(rc->db, id, rc->who.org_id, confirm, reason,
						  rc->who.user_id, &audit, c);
	if (st == XYD_OK && confirm)
		matching_service_enterprises_changed(rc->db, &c->enterprise_id, 1);
	if (st == XYD_OK)
		reply_json(rc, 200, json_record(c, models_park_change_rec()));
	else if (st == XYD_NOT_FOUND)
		api_error_set(&rc->err, st, NULL, "no park change request %lld into park %lld",
			      (long long)id, (long long)rc->who.org_id);
	else if (st == XYD_INVALID_STATE)
		api_error_set(&rc->err, st, NULL, "park change request %lld is %s, not pending",
			      (long long)id, c->status);
	else
		request_fail(rc, st);
	free(c);
	return st;
}

xyd_status handle_park_change_confirm(request_ctx *rc)
{
	return decide(rc, NULL);
}

xyd_status handle_park_change_reject(request_ctx *rc)
{
	const char *reason = json_get_string(rc->body, "reason");
	if (validate_blank(reason))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "reason",
				     "reason must not be blank");
	return decide(rc, reason);
}
