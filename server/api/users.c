/* Administration (users, institutions) and the auditor's view of the audit log. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/log.h"
#include "common/validate.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_strict.h"
#include "services/password.h"
#include "server/http/router.h"


static const json_field user_fields[] = {
	{"username", JSON_T_STRING, true, false, 3, 64},
	{"password", JSON_T_STRING, true, false, 1, 256},
	{"role", JSON_T_STRING, true, false, 1, 16},
	{"org_id", JSON_T_INT, false, true, 1, INT64_C(1) << 53},
};
const route_body users_create_body = {user_fields, ARRAY_SIZE(user_fields), false};

/* Checks that org_id names what the role acts for, filling the new user. */
static xyd_status read_user_org(request_ctx *rc, const cJSON *body, models_new_user *u)
{
	int64_t org = 0;
	bool has_org = json_get_int(body, "org_id", &org);
	const char *role = u->role;
	unsigned bit = router_role_bit(role);
	if (bit == ROLE_BANK) {
		models_institution inst;
		xyd_status st = has_org ? models_institution_get(rc->db, org, &inst)
					: XYD_NOT_FOUND;
		if (st == XYD_NOT_FOUND)
			return api_error_set(
				&rc->err, XYD_VALIDATION_FAILED, "org_id",
				"a bank user needs org_id naming an existing institution");
		if (st != XYD_OK)
			return request_fail(rc, st);
		u->institution_id = org;
	} else if (bit == ROLE_PARK) {
		if (!has_org || !models_reference_park(&rc->app->reference, org))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "org_id",
					     "a park user needs org_id naming an existing park");
		u->park_id = org;
	} else if (bit & (ROLE_BUREAU | ROLE_ADMIN | ROLE_AUDITOR)) {
		if (has_org)
			return api_error_set(
				&rc->err, XYD_VALIDATION_FAILED, "org_id",
				"a %s user belongs to no organisation: leave org_id out", role);
	} else {
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "role",
			"role must be bank, park, bureau, admin or auditor (enterprises register themselves)");
	}
	return XYD_OK;
}

xyd_status handle_users_create(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	models_new_user u = {.username = json_get_string(body, "username"),
			     .role = json_get_string(body, "role")};
	const char *pw = json_get_string(body, "password");
	if (!validate_username(u.username))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "username",
			"username must be 3-64 letters, digits or _ . @ -, starting with a letter or digit");
	validate_password_result pr = validate_password(pw);
	if (pr != VALIDATE_PASSWORD_OK)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "password", "%s",
				     validate_password_message(pr));
	if ((st = read_user_org(rc, body, &u)) != XYD_OK)
		return st;
	char *hash = password_hash(pw);
	if (!hash)
		return request_fail(rc, XYD_INTERNAL);
	u.password_hash = hash;
	models_audit audit;
	request_audit(rc, &audit, "user.create", "user", 201);
	int64_t id = 0;
	st = models_user_create(rc->db, &u, &audit, &id);
	free(hash);
	if (st == XYD_CONFLICT)
		return api_error_set(&rc->err, st, "username", "this username is taken");
	models_user out;
	if (st != XYD_OK || (st = models_user_get(rc->db, id, &out)) != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, 201, json_user(&out));
}

#define USER_Q_MAX_CHARS 64

/* ?q= ?role= ?locked=true|false and the page, into f; answers on bad input. */
static xyd_status read_user_filter(request_ctx *rc, models_user_filter *f)
{
	const char *locked = request_query(rc, "locked");
	*f = (models_user_filter){.role = request_query(rc, "role"), .locked = -1};
	xyd_status st = request_query_text(rc, "q", USER_Q_MAX_CHARS, &f->q);
	if (st != XYD_OK)
		return st;
	if (f->role && !router_role_bit(f->role))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "role",
				     "role must be sme, bank, park, bureau, admin or auditor");
	if (locked && strcmp(locked, "true") != 0 && strcmp(locked, "false") != 0)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "locked",
				     "locked must be true or false");
	if (locked)
		f->locked = strcmp(locked, "true") == 0;
	return request_page(rc, &f->limit, &f->after_id);
}

xyd_status handle_users_list(request_ctx *rc)
{
	models_user_filter f;
	xyd_status st;
	if ((st = read_user_filter(rc, &f)) != XYD_OK)
		return st;
	models_user *rows;
	size_t n;
	bool more;
	st = models_user_list(rc->db, &f, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_user_rec(), NULL, NULL);
}

static xyd_status set_locked(request_ctx *rc, bool locked)
{
	int64_t id = request_id_param(rc);
	if (locked && id == rc->who.user_id)
		return api_error_set(&rc->err, XYD_CONFLICT, NULL,
				     "you cannot lock your own account");
	models_audit audit;
	request_audit(rc, &audit, locked ? "user.lock" : "user.unlock", "user", 200);
	xyd_status st = models_user_set_locked(rc->db, id, locked, &audit);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&rc->err, st, NULL, "no user %lld", (long long)id);
	models_user u;
	if (st != XYD_OK || (st = models_user_get(rc->db, id, &u)) != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, 200, json_user(&u));
}

xyd_status handle_users_lock(request_ctx *rc)
{
	return set_locked(rc, true);
}

xyd_status handle_users_unlock(request_ctx *rc)
{
	return set_locked(rc, false);
}

static const json_field institution_fields[] = {
	{"name", JSON_T_TEXT, true, false, 1, 200},
	{"kind", JSON_T_STRING, true, false, 1, 16},
};
const route_body institutions_create_body = {institution_fields, ARRAY_SIZE(institution_fields),
					     false};

xyd_status handle_institutions_create(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	const char *name = json_get_string(body, "name"), *kind = json_get_string(body, "kind");
	if (strcmp(kind, "bank") != 0 && strcmp(kind, "guarantor") != 0 &&
	    strcmp(kind, "microloan") != 0)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "kind",
				     "kind must be bank, guarantor or microloan");
	models_audit audit;
	request_audit(rc, &audit, "institution.create", "institution", 201);
	models_institution inst;
	st = models_institution_create(rc->db, name, kind, &audit, &inst);
	if (st == XYD_CONFLICT)
		return api_error_set(&rc->err, st, "name", "an institution with this name exists");
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, 201, json_institution(&inst));
}

static xyd_status institution_page(models_db *db, int64_t after, int limit, void **rows, size_t *n,
				   bool *more)
{
	return models_institution_list(db, after, limit, (models_institution **)rows, n, more);
}

xyd_status handle_institutions_list(request_ctx *rc)
{
	return reply_page_of(rc, institution_page, models_institution_rec(), NULL);
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" into "YYYY-MM-DD HH:MM:SS". */
static bool parse_instant(const char *s, char out[20])
{
	char day[11];
	size_t len = strlen(s);
	snprintf(day, sizeof day, "%s", s);
	if (!validate_date(day, NULL, NULL, NULL) || (len != 10 && len != 20))
		return false;
	if (len == 10) {
		snprintf(out, 20, "%s 00:00:00", day);
		return true;
	}
	static const char shape[] = "T00:00:00Z";
	for (size_t i = 0; i < 10; i++)
		if (shape[i] == '0' ? !isdigit((unsigned char)s[10 + i]) : s[10 + i] != shape[i])
			return false;
	if (strncmp(s + 11, "24", 2) >= 0 || s[14] > '5' || s[17] > '5')
		return false;
	snprintf(out, 20, "%s %.8s", day, s + 11);
	return true;
}

static xyd_status read_audit_filter(request_ctx *rc, models_audit_filter *f, char from[20],
				    char to[20])
{
	const char *actor = request_query(rc, "actor_id");
	const char *v;
	memset(f, 0, sizeof *f);
	if (actor && (f->actor_id = strtoll(actor, NULL, 10)) <= 0)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "actor_id",
				     "actor_id must be a user id");
	f->action = request_query(rc, "action");
	f->target_type = request_query(rc, "target_type");
	f->target_id = request_query(rc, "target_id");
	if ((v = request_query(rc, "from"))) {
		if (!parse_instant(v, from))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "from",
					     "from must be YYYY-MM-DD or an RFC 3339 UTC instant");
		f->from = from;
	}
	if ((v = request_query(rc, "to"))) {
		if (!parse_instant(v, to))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "to",
					     "to must be YYYY-MM-DD or an RFC 3339 UTC instant");
		f->to = to;
	}
	return request_page(rc, &f->limit, &f->before_id);
}

xyd_status handle_audit_list(request_ctx *rc)
{
	models_audit_filter f;
	char from[20], to[20];
	xyd_status st;
	if ((st = read_audit_filter(rc, &f, from, to)) != XYD_OK)
		return st;
	models_audit_row *rows;
	size_t n;
	bool more;
	st = models_audit_list(rc->db, &f, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_audit_row_rec(), NULL, NULL);
}

/* GET /api/v1/audit/verify: the hash chain checked from the first row. */
xyd_status handle_audit_verify(request_ctx *rc)
{
	models_audit_verdict v;
	xyd_status st = models_audit_verify(rc->db, &v);
	if (st != XYD_OK)
		return request_fail(rc, st);
	if (!v.ok)
		log_msg(LOG_WARN, "audit chain broken at row %lld", (long long)v.first_bad_id);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "ok", v.ok);
	json_add_int(o, "rows", (int64_t)v.rows);
	json_add_id_or_null(o, "first_bad_id", v.first_bad_id);
	return reply_json(rc, 200, o);
}
