/*
 * The financing whitelist over HTTP: nominate, approve, reject, revoke,
 * read and list. Who sees what follows the caller's role (see
 * whitelist_scope); the rules of the states live in models/whitelist.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/validate.h"
#include "models/whitelist.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"
#include "services/matching_service.h"


/* What the caller may see (scope_for): bureau all, park its park's
 * enterprises, sme itself, bank approved (unexpired) entries. The route
 * table admits no other role. */
static models_wl_scope whitelist_scope(const request_ctx *rc)
{
	models_app_scope s = scope_for(rc);
	switch (s.view) {
	case APP_SEE_PARK:
		return (models_wl_scope){WL_SEE_PARK, s.org_id};
	case APP_SEE_ENTERPRISE:
		return (models_wl_scope){WL_SEE_ENTERPRISE, s.org_id};
	case APP_SEE_INSTITUTION:
		return (models_wl_scope){WL_SEE_APPROVED, 0};
	case APP_SEE_ALL:
		break;
	}
	XYD_ASSERT(rc->role == ROLE_BUREAU);
	return (models_wl_scope){WL_SEE_ALL, 0};
}

static cJSON *json_whitelist_entry(const models_wl_entry *w)
{
	return json_record(w, models_wl_entry_rec());
}

/* A reason must say something: not only spaces, tabs or line breaks. */
static xyd_status check_reason(request_ctx *rc, const cJSON *body)
{
	if (validate_blank(json_get_string(body, "reason")))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "reason",
				     "reason must not be blank");
	return XYD_OK;
}

/* ---- nominate ---- */

static const json_field nominate_fields[] = {
	{"enterprise_id", JSON_T_INT, true, false, 1, JSON_MAX_EXACT_INT},
	{"reason", JSON_T_TEXT_LINES, true, false, 1, WL_REASON_MAX_CHARS},
};
const route_body whitelist_nominate_body = {nominate_fields, ARRAY_SIZE(nominate_fields), false};

xyd_status handle_whitelist_nominate(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	if ((st = check_reason(rc, body)) != XYD_OK)
		return st;
	models_wl_nomination n = {.reason = json_get_string(body, "reason"),
				  .role = rc->who.role,
				  .user_id = rc->who.user_id,
				  .scope = whitelist_scope(rc)};
	json_get_int(body, "enterprise_id", &n.enterprise_id);
	models_audit audit;
	request_audit(rc, &audit, "whitelist.nominate", "whitelist_entry", 201);
	models_wl_entry out;
	int64_t live = 0;
	st = models_whitelist_nominate(rc->db, &n, &audit, &out, &live);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&rc->err, st, "enterprise_id", "no enterprise %lld",
				     (long long)n.enterprise_id);
	if (st == XYD_CONFLICT)
		return api_error_set(
			&rc->err, st, "enterprise_id",
			"enterprise %lld already has a nominated or approved whitelist entry (%lld)",
			(long long)n.enterprise_id, (long long)live);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, 201, json_whitelist_entry(&out));
}

/* ---- decide ---- */

static const char *const action_names[] = {
	[WL_DO_APPROVE] = "approve", [WL_DO_REJECT] = "reject", [WL_DO_REVOKE] = "revoke"};

/* Words the refusal of a decision on entry id. */
static xyd_status decide_refusal(request_ctx *rc, xyd_status st, int64_t id,
				 const models_wl_decision *d, const models_wl_entry *w,
				 models_wl_eligibility why)
{
	if (st == XYD_NOT_FOUND)
		return api_error_set(&rc->err, st, NULL, "no whitelist entry %lld", (long long)id);
	if (st == XYD_INVALID_STATE)
		return api_error_set(
			&rc->err, st, NULL,
			"cannot %s whitelist entry %lld: it is %s; only %s entry can be %s",
			action_names[d->action], (long long)id, w->status,
			d->action == WL_DO_REVOKE ? "an approved (unexpired)" : "a nominated",
			d->action == WL_DO_APPROVE  ? "approved"
			: d->action == WL_DO_REJECT ? "rejected"
						    : "revoked");
	if (st == XYD_NOT_ELIGIBLE) {
		long long e = (long long)w->enterprise_id;
		if (why == WL_INELIGIBLE_NO_SCORE)
			return api_error_set(
				&rc->err, st, NULL,
				"cannot approve: enterprise %lld has no credit score yet", e);
		if (why == WL_INELIGIBLE_DISHONEST_DEBTOR)
			return api_error_set(
				&rc->err, st, NULL,
				"cannot approve: enterprise %lld has a dishonest-debtor record", e);
		XYD_ASSERT(why == WL_INELIGIBLE_GRADE_D);
		return api_error_set(
			&rc->err, st, NULL,
			"cannot approve: enterprise %lld has credit grade D; grade C or better is required",
			e);
	}
	return request_fail(rc, st);
}

static xyd_status decide(request_ctx *rc, models_wl_decision *d, const char *action)
{
	int64_t id = request_id_param(rc);
	d->user_id = rc->who.user_id;
	models_audit audit;
	request_audit(rc, &audit, action, "whitelist_entry", 200);
	models_wl_entry out;
	models_wl_eligibility why = WL_ELIGIBLE;
	xyd_status st = models_whitelist_decide(rc->db, id, d, &audit, &out, &why);
	if (st == XYD_OK)
		matching_service_enterprises_changed(rc->db, &out.enterprise_id, 1);
	if (st != XYD_OK)
		return decide_refusal(rc, st, id, d, &out, why);
	return reply_json(rc, 200, json_whitelist_entry(&out));
}

static const json_field approve_fields[] = {
	{"valid_days", JSON_T_INT, false, false, WL_VALID_DAYS_MIN, WL_VALID_DAYS_MAX},
};
/* The body is optional: no body means the default validity. */
const route_body whitelist_approve_body = {approve_fields, ARRAY_SIZE(approve_fields), true};

xyd_status handle_whitelist_approve(request_ctx *rc)
{
	models_wl_decision d = {.action = WL_DO_APPROVE, .valid_days = WL_VALID_DAYS_DEFAULT};
	int64_t days;
	if (json_get_int(rc->body, "valid_days", &days))
		d.valid_days = (int)days;
	return decide(rc, &d, "whitelist.approve");
}

static const json_field reason_fields[] = {
	{"reason", JSON_T_TEXT_LINES, true, false, 1, WL_REASON_MAX_CHARS},
};
const route_body whitelist_reason_body = {reason_fields, ARRAY_SIZE(reason_fields), false};

static xyd_status decide_with_reason(request_ctx *rc, models_wl_action action,
				     const char *audit_action)
{
	const cJSON *body = rc->body;
	xyd_status st;
	if ((st = check_reason(rc, body)) != XYD_OK)
		return st;
	models_wl_decision d = {.action = action, .reason = json_get_string(body, "reason")};
	return decide(rc, &d, audit_action);
}

xyd_status handle_whitelist_reject(request_ctx *rc)
{
	return decide_with_reason(rc, WL_DO_REJECT, "whitelist.reject");
}

xyd_status handle_whitelist_revoke(request_ctx *rc)
{
	return decide_with_reason(rc, WL_DO_REVOKE, "whitelist.revoke");
}

/* ---- read ---- */

xyd_status handle_whitelist_get(request_ctx *rc)
{
	int64_t id = request_id_param(rc);
	models_wl_scope scope = whitelist_scope(rc);
	models_wl_entry w;
	xyd_status st = models_whitelist_get(rc->db, id, &scope, &w);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&rc->err, st, NULL, "no whitelist entry %lld", (long long)id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, 200, json_whitelist_entry(&w));
}

static xyd_status read_list_filter(request_ctx *rc, models_wl_filter *f)
{
	const char *status = request_query(rc, "status");
	memset(f, 0, sizeof *f);
	f->scope = whitelist_scope(rc);
	if (status) {
		if (!models_wl_status_parse(status, &f->status))
			return api_error_set(
				&rc->err, XYD_VALIDATION_FAILED, "status",
				"status must be nominated, approved, rejected, revoked or expired");
		f->has_status = true;
	}
	xyd_status st = request_query_id(rc, "enterprise_id", &f->enterprise_id);
	if (st != XYD_OK)
		return st;
	return request_page(rc, &f->limit, &f->before_id);
}

xyd_status handle_whitelist_list(request_ctx *rc)
{
	models_wl_filter f;
	xyd_status st;
	if ((st = read_list_filter(rc, &f)) != XYD_OK)
		return st;
	models_wl_entry *rows;
	size_t n;
	bool more;
	st = models_whitelist_list(rc->db, &f, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_wl_entry_rec(), NULL, NULL);
}
