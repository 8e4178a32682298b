/*
 * Enterprises (read, list, update), an enterprise's consent that an
 * institution may read its credit detail, the credit detail and the
 * records behind it, and the access log of those reads.
 *
 * Visibility: the bureau sees every enterprise, a park its park's, a bank
 * those with an approved, unexpired whitelist entry, an sme itself; any
 * other enterprise answers 404 as if it did not exist. Credit detail is
 * narrower for banks: only while the enterprise's consent is live. Every
 * read of credit detail by anyone but the enterprise itself is written to
 * the audit log, naming what it relied on, before the answer is sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base.h"
#include "common/district.h"
#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/enterprises.h"
#include "models/park_changes.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"
#include "services/matching_service.h"

#define MAX_FEN (INT64_C(1) << 53)
#define Q_MAX_CHARS 100
#define CONSENT_DEFAULT_DAYS 90
#define CONSENT_MAX_DAYS 365
#define SECONDS_PER_DAY 86400

static xyd_status no_enterprise(request_ctx *rc, int64_t id)
{
	return api_error_set(&rc->err, XYD_NOT_FOUND, NULL, "no enterprise %lld", (long long)id);
}

/* How the caller sees v; false when it may not see v at all. */
static bool audience_for(const request_ctx *rc, const models_enterprise_view *v,
			 json_enterprise_audience *who)
{
	if ((rc->role & ROLE_BUREAU) || ((rc->role & ROLE_SME) && rc->who.org_id == v->id)) {
		*who = JSON_ENTERPRISE_FULL;
		return true;
	}
	if ((rc->role & ROLE_PARK) && rc->who.org_id > 0 && v->park_id == rc->who.org_id) {
		*who = JSON_ENTERPRISE_PARK;
		return true;
	}
	/* The summary shows a live approval first; a lapsed one reads "expired". */
	if ((rc->role & ROLE_BANK) && strcmp(v->whitelist_status, "approved") == 0) {
		*who = JSON_ENTERPRISE_BANK;
		return true;
	}
	return false;
}

/* For routes only the enterprise itself and the bureau use: XYD_OK when the
 * caller is one of them and the enterprise exists, else 404 (answered). */
static xyd_status self_or_bureau(request_ctx *rc, int64_t id)
{
	if (rc->role & ROLE_SME)
		return rc->who.org_id == id ? XYD_OK : no_enterprise(rc, id);
	models_enterprise e;
	xyd_status st = models_enterprise_get(rc->db, id, &e);
	if (st == XYD_NOT_FOUND)
		return no_enterprise(rc, id);
	return st == XYD_OK ? XYD_OK : request_fail(rc, st);
}

/* ---- list and read ---- */

/* A section letter, optionally with one or two division digits. */
static bool industry_prefix_valid(const models_reference *ref, const char *s)
{
	size_t len = strlen(s);
	char section[2] = {s[0], '\0'};
	if (len < 1 || len > 3 || !models_reference_industry_valid(ref, section))
		return false;
	for (size_t i = 1; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return len < 3 || models_reference_industry_valid(ref, s);
}

static xyd_status read_list_filter(request_ctx *rc, models_enterprise_filter *f)
{
	static const char *const grades[] = {"A", "B", "C", "D"};
	static const char *const statuses[] = {"approved", "nominated", "rejected",
					       "revoked",  "expired",	"none"};
	const models_reference *ref = &rc->app->reference;
	const char *park = request_query(rc, "park_id");
	memset(f, 0, sizeof *f);
	f->town = request_query(rc, "town");
	f->industry_prefix = request_query(rc, "industry");
	f->grade = request_query(rc, "grade");
	f->whitelist = request_query(rc, "whitelist");
	if (f->town && !models_reference_town(ref, f->town))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "town", "unknown town");
	if (park) {
		char *end;
		f->park_id = strtoll(park, &end, 10);
		if (!*park || *end || f->park_id <= 0 || !models_reference_park(ref, f->park_id))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "park_id",
					     "park_id must name a park");
	}
	if (f->industry_prefix && !industry_prefix_valid(ref, f->industry_prefix))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "industry",
				     "industry must be a GB/T 4754 section letter, optionally "
				     "followed by division digits (C, C2, C26)");
	if (f->grade && validate_name_index(f->grade, grades, (int)ARRAY_SIZE(grades)) < 0)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "grade",
				     "grade must be A, B, C or D");
	if (f->whitelist &&
	    validate_name_index(f->whitelist, statuses, (int)ARRAY_SIZE(statuses)) < 0)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "whitelist",
				     "whitelist must be approved, nominated, rejected, revoked, "
				     "expired or none");
	xyd_status st = request_query_text(rc, "q", Q_MAX_CHARS, &f->q);
	if (st != XYD_OK)
		return st;
	return request_page(rc, &f->limit, &f->after_id);
}

static cJSON *enterprise_row(const void *row, const void *who)
{
	return json_enterprise_view(row, *(const json_enterprise_audience *)who);
}

xyd_status handle_enterprises_list(request_ctx *rc)
{
	models_enterprise_filter f;
	json_enterprise_audience who = JSON_ENTERPRISE_FULL;
	xyd_status st;
	if ((st = read_list_filter(rc, &f)) != XYD_OK)
		return st;
	models_app_scope scope = scope_for(rc);
	if (scope.view == APP_SEE_PARK) {
		f.scope_park_id = scope.org_id;
		who = JSON_ENTERPRISE_PARK;
	} else if (scope.view == APP_SEE_INSTITUTION) {
		f.scope_whitelisted = true;
		who = JSON_ENTERPRISE_BANK;
	}
	models_enterprise_view *rows;
	size_t n;
	bool more;
	st = models_enterprise_list(rc->db, &f, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_enterprise_view_rec(),
				 enterprise_row, &who);
}

xyd_status enterprise_add_park_change(request_ctx *rc, cJSON *o, int64_t enterprise_id)
{
	models_park_change *c = xmalloc(sizeof *c);
	xyd_status st = models_park_change_pending(rc->db, enterprise_id, c);
	if (st == XYD_OK) {
		cJSON *pc = cJSON_AddObjectToObject(o, "park_change");
		json_add_int(pc, "id", c->id);
		json_add_int(pc, "park_id", c->park_id);
		cJSON_AddStringToObject(pc, "park_name", c->park_name);
		cJSON_AddStringToObject(pc, "status", c->status);
		cJSON_AddStringToObject(pc, "requested_at", c->requested_at);
	} else if (st == XYD_NOT_FOUND) {
		cJSON_AddNullToObject(o, "park_change");
		st = XYD_OK;
	}
	free(c);
	return st;
}

/* The enterprise as the caller sees it; the enterprise itself and the
 * bureau also see its pending park request ("park_change", or null). */
static xyd_status reply_enterprise(request_ctx *rc, const models_enterprise_view *v,
				   json_enterprise_audience who)
{
	cJSON *o = json_enterprise_view(v, who);
	xyd_status st;
	if (who == JSON_ENTERPRISE_FULL &&
	    (st = enterprise_add_park_change(rc, o, v->id)) != XYD_OK) {
		cJSON_Delete(o);
		return request_fail(rc, st);
	}
	return reply_json(rc, 200, o);
}

xyd_status handle_enterprise_get(request_ctx *rc)
{
	int64_t id = request_id_param(rc);
	models_enterprise_view v;
	json_enterprise_audience who;
	xyd_status st = models_enterprise_view_get(rc->db, id, &v);
	if (st == XYD_NOT_FOUND || (st == XYD_OK && !audience_for(rc, &v, &who)))
		return no_enterprise(rc, id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_enterprise(rc, &v, who);
}

/* ---- update ---- */

static const json_field patch_fields[] = {
	{"phone", JSON_T_STRING, false, false, 1, 20},
	{"employees", JSON_T_INT, false, false, 0, 10000000},
	{"annual_revenue_fen", JSON_T_INT, false, false, 0, MAX_FEN},
	{"industry", JSON_T_STRING, false, false, 1, 3},
	{"town", JSON_T_STRING, false, false, 1, 32},
	{"park_id", JSON_T_INT, false, true, 1, 1000000000},
	{"tags", JSON_T_ARRAY, false, false, 0, MODELS_ENTERPRISE_TAG_COUNT},
};

/* Checks each present field like registration does and fills *p; fields
 * receives the changed keys for the audit detail. */
static xyd_status read_patch(request_ctx *rc, const cJSON *body, models_enterprise_patch *p,
			     char *tags, size_t tags_size, char *fields, size_t fields_size)
{
	const models_reference *ref = &rc->app->reference;
	const cJSON *park = json_get(body, "park_id");
	size_t used = 0;
	memset(p, 0, sizeof *p);
	for (const cJSON *m = body->child; m; m = m->next)
		used += (size_t)snprintf(fields + used, fields_size - used, "%s%s", used ? "," : "",
					 m->string);
	if (!body->child)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL,
				     "name at least one field to change");
	if ((p->phone = json_get_string(body, "phone")) &&
	    !(p->has_phone = validate_phone(p->phone)))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "phone",
				     "phone must be a mainland mobile or landline number");
	p->has_employees = json_get_int(body, "employees", &p->employees);
	p->has_revenue = json_get_int(body, "annual_revenue_fen", &p->annual_revenue_fen);
	if ((p->industry = json_get_string(body, "industry")) &&
	    !(p->has_industry = models_reference_industry_valid(ref, p->industry)))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "industry",
			"industry must be a GB/T 4754-2017 section letter, optionally with "
			"one of its divisions (C or C26)");
	if ((p->town = json_get_string(body, "town")) &&
	    !(p->has_town = models_reference_town(ref, p->town) != NULL))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "town", "unknown town");
	if (park) {
		p->has_park = true;
		if (!cJSON_IsNull(park) && (!json_get_int(body, "park_id", &p->park_id) ||
					    !models_reference_park(ref, p->park_id)))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "park_id",
					     "unknown park %lld", (long long)p->park_id);
	}
	const cJSON *t = json_get(body, "tags");
	if (t && !(rc->role & ROLE_BUREAU))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "tags",
				     "only the bureau sets an enterprise's tags");
	if (t) {
		xyd_status st = json_read_tags(rc, t, "tags", false, tags, tags_size);
		if (st != XYD_OK)
			return st;
		p->has_tags = true;
		p->tags = tags;
	}
	return XYD_OK;
}

xyd_status handle_enterprise_patch(request_ctx *rc)
{
	int64_t id = request_id_param(rc);
	const cJSON *body;
	models_enterprise_patch p;
	char tags[96], fields[160], detail[200];
	xyd_status st;
	if ((rc->role & ROLE_SME) && rc->who.org_id != id)
		return no_enterprise(rc, id);
	if ((st = request_body_object(rc, &body)) != XYD_OK ||
	    (st = json_check_object(body, patch_fields, ARRAY_SIZE(patch_fields), NULL,
				    &rc->err)) != XYD_OK ||
	    (st = read_patch(rc, body, &p, tags, sizeof tags, fields, sizeof fields)) != XYD_OK)
		return st;
	/* The enterprise's own move into a park waits for that park's consent. */
	p.park_by_request = (rc->role & ROLE_SME) != 0;
	p.user_id = rc->who.user_id;
	models_audit audit;
	request_audit(rc, &audit, "enterprise.update", "enterprise", 200);
	snprintf(audit.target_id, sizeof audit.target_id, "%lld", (long long)id);
	snprintf(detail, sizeof detail, "fields=%s", fields);
	audit.detail = detail;
	models_enterprise_view v;
	st = models_enterprise_update(rc->db, &rc->app->reference, id, &p, &audit, &v);
	if (st == XYD_OK)
		matching_service_enterprises_changed(rc->db, &id, 1);
	if (st == XYD_NOT_FOUND)
		return no_enterprise(rc, id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_enterprise(rc, &v, JSON_ENTERPRISE_FULL);
}

/* ---- credit detail ---- */

/*
 * Whether the caller may read enterprise id's credit detail. basis
 * receives what the read relies on, for the audit row: "" for the
 * enterprise itself (not audited), "role=bureau", "role=park", or
 * "authorization=<id>" for a bank's live consent. Otherwise 404 (answered).
 */
static xyd_status credit_access(request_ctx *rc, int64_t id, char *basis, size_t size)
{
	xyd_status st;
	basis[0] = '\0';
	if (rc->role & ROLE_SME)
		return rc->who.org_id == id ? XYD_OK : no_enterprise(rc, id);
	if (rc->role & ROLE_BANK) {
		int64_t auth = 0;
		st = models_authorization_find_live(rc->db, id, rc->who.org_id, &auth);
		if (st == XYD_NOT_FOUND)
			return no_enterprise(rc, id);
		if (st != XYD_OK)
			return request_fail(rc, st);
		snprintf(basis, size, MODELS_AUDIT_AUTHORIZATION_PREFIX "%lld", (long long)auth);
		return XYD_OK;
	}
	models_enterprise e;
	st = models_enterprise_get(rc->db, id, &e);
	if (st == XYD_NOT_FOUND ||
	    (st == XYD_OK && (rc->role & ROLE_PARK) && e.park_id != rc->who.org_id))
		return no_enterprise(rc, id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	snprintf(basis, size, "role=%s", rc->who.role);
	return XYD_OK;
}

/* The audit row of a credit read, written before the answer goes out. */
static xyd_status audit_credit_read(request_ctx *rc, const char *action, int64_t id,
				    const char *basis)
{
	if (!basis[0])
		return XYD_OK;
	models_audit audit;
	request_audit(rc, &audit, action, "enterprise", 200);
	audit.detail = basis;
	xyd_status st = models_audit_write_id(rc->db, &audit, id);
	return st == XYD_OK ? XYD_OK : request_fail(rc, st);
}

/* Stored JSON text as a node printed verbatim (exact integers), when it is
 * one complete value of the expected kind; else NULL. */
static cJSON *stored_json(const char *text, bool want_array)
{
	cJSON *parsed = cJSON_ParseWithOpts(text, NULL, true);
	bool ok = want_array ? cJSON_IsArray(parsed) : cJSON_IsObject(parsed);
	cJSON_Delete(parsed);
	return ok ? cJSON_CreateRaw(text) : NULL;
}

/* The score, its factors (verbatim as stored) and the flags. */
static cJSON *json_enterprise_credit(const models_enterprise_credit *c)
{
	cJSON *o = json_record(c, models_enterprise_credit_rec());
	cJSON *factors = stored_json(c->factors_json, true);
	if (!factors) {
		log_msg(LOG_WARN, "stored factors of enterprise %lld are not a JSON array",
			(long long)c->enterprise_id);
		factors = cJSON_CreateArray();
	}
	cJSON_AddItemToObject(o, "factors", factors);
	cJSON *flags = cJSON_AddObjectToObject(o, "flags");
	cJSON_AddBoolToObject(flags, "dishonest_debtor", c->dishonest_debtor);
	json_add_int(flags, "broken_commitments", c->broken_commitments);
	return o;
}

xyd_status handle_enterprise_credit(request_ctx *rc)
{
	int64_t id = request_id_param(rc);
	char basis[64];
	xyd_status st;
	if ((st = credit_access(rc, id, basis, sizeof basis)) != XYD_OK)
		return st;
	models_enterprise_credit *c = xmalloc(sizeof *c);
	st = models_enterprise_credit_get(rc->db, id, c);
	if (st == XYD_NOT_FOUND)
		st = api_error_set(&rc->err, st, NULL, "enterprise %lld has no credit score yet",
				   (long long)id);
	else if (st != XYD_OK)
		st = request_fail(rc, st);
	else if ((st = audit_credit_read(rc, "enterprise.credit_read", id, basis)) == XYD_OK)
		st = reply_json(rc, 200, json_enterprise_credit(c));
	free(c);
	return st;
}

static cJSON *json_credit_record(const void *row, const void *ctx)
{
	const models_credit_record_row *r = row;
	cJSON *o = json_record(r, models_credit_record_row_rec()),
	      *value = stored_json(r->value_json, false);
	(void)ctx;
	cJSON_AddItemToObject(o, "value", value ? value : cJSON_CreateObject());
	return o;
}

xyd_status handle_enterprise_credit_records(request_ctx *rc)
{
	int64_t id = request_id_param(rc), after;
	char basis[64];
	int limit;
	xyd_status st;
	if ((st = credit_access(rc, id, basis, sizeof basis)) != XYD_OK ||
	    (st = request_page(rc, &limit, &after)) != XYD_OK)
		return st;
	models_credit_record_row *rows;
	size_t n;
	bool more;
	if ((st = models_enterprise_credit_records(rc->db, id, after, limit, &rows, &n, &more)) !=
	    XYD_OK)
		return request_fail(rc, st);
	if ((st = audit_credit_read(rc, "enterprise.credit_records_read", id, basis)) != XYD_OK) {
		free(rows);
		return st;
	}
	return reply_record_page(rc, st, rows, n, more, models_credit_record_row_rec(),
				 json_credit_record, NULL);
}

/* ---- consent ---- */

static const json_field grant_fields[] = {
	{"institution_id", JSON_T_INT, true, false, 1, JSON_MAX_EXACT_INT},
	{"expires_on", JSON_T_STRING, false, true, 10, 10},
};

/* The last instant of the day expires_on (default CONSENT_DEFAULT_DAYS
 * ahead), from today to CONSENT_MAX_DAYS ahead, all on the district's
 * calendar, as UTC "YYYY-MM-DD HH:MM:SS.ffffff". */
static xyd_status read_consent_expiry(request_ctx *rc, const char *expires_on, char *out,
				      size_t size)
{
	int64_t today = district_today(), day = today + CONSENT_DEFAULT_DAYS;
	int y, m, d;
	if (expires_on) {
		if (!validate_date(expires_on, &y, &m, &d))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "expires_on",
					     "expires_on must be a real date, YYYY-MM-DD");
		struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
		day = (int64_t)timegm(&tm) / SECONDS_PER_DAY;
		if (day < today || day > today + CONSENT_MAX_DAYS)
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "expires_on",
					     "expires_on must be from today to %d days ahead",
					     CONSENT_MAX_DAYS);
	}
	time_t t = district_day_last_second(day);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%d %H:%M:%S.999999", &tm);
	return XYD_OK;
}

xyd_status handle_authorizations_create(request_ctx *rc)
{
	int64_t id = request_id_param(rc), institution_id = 0;
	const cJSON *body;
	char expires_at[40], detail[80];
	xyd_status st;
	if (rc->who.org_id != id)
		return no_enterprise(rc, id);
	if ((st = request_body_object(rc, &body)) != XYD_OK ||
	    (st = json_check_object(body, grant_fields, ARRAY_SIZE(grant_fields), NULL,
				    &rc->err)) != XYD_OK ||
	    (st = read_consent_expiry(rc, json_get_string(body, "expires_on"), expires_at,
				      sizeof expires_at)) != XYD_OK)
		return st;
	json_get_int(body, "institution_id", &institution_id);
	models_institution inst;
	st = models_institution_get(rc->db, institution_id, &inst);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "institution_id",
				     "no institution %lld", (long long)institution_id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	models_audit audit;
	request_audit(rc, &audit, "consent.grant", "credit_authorization", 201);
	snprintf(detail, sizeof detail, "enterprise=%lld institution=%lld", (long long)id,
		 (long long)institution_id);
	audit.detail = detail;
	models_authorization a;
	st = models_authorization_grant(rc->db, id, institution_id, rc->who.user_id, expires_at,
					&audit, &a);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, 201, json_authorization(&a));
}

/* The enterprise's authorisations, or its access log: pages only the
 * enterprise itself and the bureau read, newest first. */
static xyd_status reply_consent_page(request_ctx *rc, bool access_log)
{
	int64_t id = request_id_param(rc), before;
	int limit;
	size_t n = 0;
	bool more = false;
	xyd_status st;
	if ((st = self_or_bureau(rc, id)) != XYD_OK ||
	    (st = request_page(rc, &limit, &before)) != XYD_OK)
		return st;
	if (access_log) {
		models_access_log_row *log = NULL;
		st = models_enterprise_access_log(rc->db, id, before, limit, &log, &n, &more);
		return reply_record_page(rc, st, log, n, more, models_access_log_row_rec(), NULL,
					 NULL);
	}
	models_authorization *auths = NULL;
	st = models_authorization_list(rc->db, id, before, limit, &auths, &n, &more);
	return reply_record_page(rc, st, auths, n, more, models_authorization_rec(), NULL, NULL);
}

xyd_status handle_authorizations_list(request_ctx *rc)
{
	return reply_consent_page(rc, false);
}

xyd_status handle_authorizations_revoke(request_ctx *rc)
{
	int64_t id = request_id_param(rc), auth_id = 0;
	const char *s = rc->match.strs[1];
	char detail[40], *end = NULL;
	if (rc->who.org_id != id)
		return no_enterprise(rc, id);
	/* The router checked the segment's characters, not that it is a number. */
	if (s[0] >= '1' && s[0] <= '9' && strlen(s) <= 16)
		auth_id = strtoll(s, &end, 10);
	if (auth_id <= 0 || !end || *end || auth_id > JSON_MAX_EXACT_INT)
		return api_error_set(&rc->err, XYD_NOT_FOUND, NULL, "no such authorization");
	models_audit audit;
	request_audit(rc, &audit, "consent.revoke", "credit_authorization", 204);
	snprintf(audit.target_id, sizeof audit.target_id, "%lld", (long long)auth_id);
	snprintf(detail, sizeof detail, "enterprise=%lld", (long long)id);
	audit.detail = detail;
	bool changed;
	xyd_status st = models_authorization_revoke(rc->db, id, auth_id, &audit, &changed);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&rc->err, st, NULL, "no authorization %lld of enterprise %lld",
				     (long long)auth_id, (long long)id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_no_content(rc);
}

/* ---- access log ---- */

xyd_status handle_enterprise_access_log(request_ctx *rc)
{
	return reply_consent_page(rc, true);
}
