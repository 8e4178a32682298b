/*
 * Registration, login, refresh, logout, password change and /me.
 * Lockout: LOGIN_MAX_FAILURES wrong passwords in a row lock the account for
 * LOGIN_LOCK_S; sessions end LOGIN_IDLE_S after the last refresh or
 * LOGIN_ABSOLUTE_S after login, whichever comes first (api.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base.h"
#include "common/district.h"
#include "common/validate.h"
#include "models/enterprises.h"
#include "services/credit_service.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_strict.h"
#include "services/password.h"

#define ACCESS_TTL_S 900
#define LOGIN_MAX_FAILURES 5
#define LOGIN_LOCK_S (15 * 60)
#define LOGIN_IDLE_S (30 * 60)
#define LOGIN_ABSOLUTE_S (12 * 3600)
#define MAX_FEN (INT64_C(1) << 53)

/* ---- registration ---- */

static const json_field register_fields[] = {
	{"username", JSON_T_STRING, true, false, 3, 64},
	{"password", JSON_T_STRING, true, false, 1, 256},
	{"enterprise", JSON_T_OBJECT, true, false, 0, 0},
};
const route_body register_body = {register_fields, ARRAY_SIZE(register_fields), false};

static const json_field enterprise_fields[] = {
	{"uscc", JSON_T_STRING, true, false, 1, 18},
	{"name", JSON_T_TEXT, true, false, 1, 200},
	{"legal_rep_name", JSON_T_TEXT, true, false, 1, 100},
	{"legal_rep_id_no", JSON_T_STRING, true, false, 1, 18},
	{"phone", JSON_T_STRING, true, false, 1, 20},
	{"industry", JSON_T_STRING, true, false, 1, 3},
	{"town", JSON_T_STRING, true, false, 1, 32},
	{"park_id", JSON_T_INT, false, true, 1, 1000000000},
	{"registered_capital_fen", JSON_T_INT, true, false, 0, MAX_FEN},
	{"founded_on", JSON_T_STRING, true, false, 10, 10},
	{"employees", JSON_T_INT, true, false, 0, 10000000},
	{"annual_revenue_fen", JSON_T_INT, true, false, 0, MAX_FEN},
};


static xyd_status check_password_policy(request_ctx *rc, const char *field, const char *pw)
{
	validate_password_result r = validate_password(pw);
	if (r != VALIDATE_PASSWORD_OK)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, field, "%s",
				     validate_password_message(r));
	return XYD_OK;
}

static xyd_status check_founded_on(request_ctx *rc, const char *d)
{
	char today[11];
	district_date(time(NULL), today);
	if (!validate_date(d, NULL, NULL, NULL) || strcmp(d, today) > 0)
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "enterprise.founded_on",
			"founded_on must be a real date (YYYY-MM-DD), not in the future");
	return XYD_OK;
}

/* Checks the enterprise object's contents and copies them into *e. */
static xyd_status read_enterprise(request_ctx *rc, const cJSON *j, models_enterprise *e)
{
	const models_reference *ref = &rc->app->reference;
	memset(e, 0, sizeof *e);
	snprintf(e->uscc, sizeof e->uscc, "%s", json_get_string(j, "uscc"));
	snprintf(e->name, sizeof e->name, "%s", json_get_string(j, "name"));
	snprintf(e->legal_rep_name, sizeof e->legal_rep_name, "%s",
		 json_get_string(j, "legal_rep_name"));
	snprintf(e->legal_rep_id_no, sizeof e->legal_rep_id_no, "%s",
		 json_get_string(j, "legal_rep_id_no"));
	snprintf(e->phone, sizeof e->phone, "%s", json_get_string(j, "phone"));
	snprintf(e->industry, sizeof e->industry, "%s", json_get_string(j, "industry"));
	snprintf(e->town, sizeof e->town, "%s", json_get_string(j, "town"));
	snprintf(e->founded_on, sizeof e->founded_on, "%s", json_get_string(j, "founded_on"));
	json_get_int(j, "park_id", &e->park_id);
	json_get_int(j, "registered_capital_fen", &e->registered_capital_fen);
	json_get_int(j, "employees", &e->employees);
	json_get_int(j, "annual_revenue_fen", &e->annual_revenue_fen);
	if (!validate_uscc(e->uscc))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "enterprise.uscc",
			"uscc is not a valid Unified Social Credit Code (GB 32100-2015)");
	if (!validate_id_no(e->legal_rep_id_no))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "enterprise.legal_rep_id_no",
			"legal_rep_id_no is not a valid resident ID number (GB 11643)");
	if (!validate_phone(e->phone))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "enterprise.phone",
				     "phone must be a mainland mobile or landline number");
	if (!models_reference_industry_valid(ref, e->industry))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "enterprise.industry",
			"industry must be a GB/T 4754-2017 section letter, optionally with "
			"one of its divisions (C or C26)");
	if (!models_reference_town(ref, e->town))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "enterprise.town",
				     "unknown town '%s'", e->town);
	if (e->park_id && !models_reference_park(ref, e->park_id))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "enterprise.park_id",
				     "unknown park %lld", (long long)e->park_id);
	snprintf(e->size_class, sizeof e->size_class, "%s",
		 models_reference_size_class(ref, e->industry, e->employees, e->annual_revenue_fen,
					     -1));
	return check_founded_on(rc, e->founded_on);
}

xyd_status handle_register(request_ctx *rc)
{
	const cJSON *body = rc->body;
	models_enterprise e;
	xyd_status st;
	if ((st = json_check_object(json_get(body, "enterprise"), enterprise_fields,
				    ARRAY_SIZE(enterprise_fields), "enterprise", &rc->err)) !=
	    XYD_OK)
		return st;
	const char *username = json_get_string(body, "username");
	const char *pw = json_get_string(body, "password");
	if (!validate_username(username))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "username",
			"username must be 3-64 letters, digits or _ . @ -, starting with a letter or digit");
	if ((st = check_password_policy(rc, "password", pw)) != XYD_OK ||
	    (st = read_enterprise(rc, json_get(body, "enterprise"), &e)) != XYD_OK)
		return st;
	char *hash = password_hash(pw);
	if (!hash)
		return api_error_set(&rc->err, XYD_INTERNAL, NULL, "cannot hash the password");
	models_audit audit;
	request_audit(rc, &audit, "auth.register", "enterprise", 201);
	audit.role = "sme";
	int64_t user_id = 0;
	const char *conflict = NULL;
	st = models_register_sme(rc->db, &e, username, hash, &audit, &user_id, &conflict);
	free(hash);
	if (st == XYD_OK) /* a first score; a failure is logged, not fatal */
		(void)credit_rescore_enterprise(rc->db, e.id);
	if (st == XYD_CONFLICT && conflict)
		return api_error_set(&rc->err, st, conflict, "%s is already registered",
				     strcmp(conflict, "username") == 0 ? "this username"
								       : "this USCC");
	models_user u;
	models_enterprise_view v;
	if (st != XYD_OK || (st = models_user_get(rc->db, user_id, &u)) != XYD_OK ||
	    (st = models_enterprise_view_get(rc->db, e.id, &v)) != XYD_OK)
		return request_fail(rc, st);
	cJSON *o = cJSON_CreateObject();
	cJSON *ent = json_enterprise_view(&v, JSON_ENTERPRISE_FULL);
	cJSON_AddItemToObject(o, "user", json_user(&u));
	cJSON_AddItemToObject(o, "enterprise", ent);
	if ((st = enterprise_add_park_change(rc, ent, e.id)) != XYD_OK) {
		cJSON_Delete(o);
		return request_fail(rc, st);
	}
	return reply_json(rc, 201, o);
}

/* ---- tokens ---- */

/* The caller as {"id","username","role","org_id"}, and "org_name" when
 * org_name. Hand-written: the principal's user_id is shown as "id". */
static cJSON *json_who(const models_principal *who, bool org_name)
{
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "id", who->user_id);
	cJSON_AddStringToObject(o, "username", who->username);
	cJSON_AddStringToObject(o, "role", who->role);
	json_add_id_or_null(o, "org_id", who->org_id);
	if (org_name)
		json_add_string_or_null(o, "org_name", who->org_name);
	return o;
}

/* Answers 200 with a fresh access token for who and the refresh token. */
static xyd_status reply_tokens(request_ctx *rc, const models_principal *who, const char *refresh)
{
	token_claims c = {.sub = who->user_id,
			  .org = who->org_id,
			  .has_org = who->org_id > 0,
			  .sid = who->session_id};
	snprintf(c.role, sizeof c.role, "%s", who->role);
	char *access = token_access_sign(&rc->app->jwt_key, &c, (int64_t)time(NULL), ACCESS_TTL_S);
	if (!access)
		return api_error_set(&rc->err, XYD_INTERNAL, NULL, "cannot sign a token");
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "access_token", access);
	cJSON_AddStringToObject(o, "token_type", "Bearer");
	json_add_int(o, "expires_in", ACCESS_TTL_S);
	cJSON_AddStringToObject(o, "refresh_token", refresh);
	cJSON_AddItemToObject(o, "user", json_who(who, false));
	free(access);
	return reply_json(rc, 200, o);
}

static const json_field login_fields[] = {
	{"username", JSON_T_STRING, true, false, 1, 64},
	{"password", JSON_T_STRING, true, false, 1, 256},
};
const route_body login_body = {login_fields, ARRAY_SIZE(login_fields), false};

static xyd_status login_wrong(request_ctx *rc)
{
	return api_error_set(&rc->err, XYD_INVALID_CREDENTIALS, NULL, "wrong username or password");
}

/* A locked account answers 429 even to the right password; recorded too. */
static xyd_status login_locked(request_ctx *rc, int64_t user_id)
{
	models_audit audit;
	request_audit(rc, &audit, "auth.login", "user", 429);
	xyd_status st = models_audit_write_id(rc->db, &audit, user_id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return api_error_set(&rc->err, XYD_ACCOUNT_LOCKED, NULL,
			     "the account is locked; try again later");
}

xyd_status handle_login(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	const char *username = json_get_string(body, "username");
	const char *pw = json_get_string(body, "password");
	models_login_user u;
	st = models_user_for_login(rc->db, username, &u);
	if (st == XYD_NOT_FOUND) {
		password_verify(NULL, pw); /* same cost as a known user */
		models_audit audit;
		request_audit(rc, &audit, "auth.login", "user", 401);
		st = models_audit_write(rc->db, &audit);
		return st == XYD_OK ? login_wrong(rc) : request_fail(rc, st);
	}
	if (st != XYD_OK)
		return request_fail(rc, st);
	/* The guess is reserved (counted) before it is checked: parallel
	 * attempts cannot all read "not locked" and each get a guess. */
	bool allowed = false;
	if (!u.locked)
		st = models_login_reserve(rc->db, u.id, LOGIN_MAX_FAILURES, LOGIN_LOCK_S, &allowed);
	if (st != XYD_OK || !allowed)
		return st != XYD_OK ? request_fail(rc, st) : login_locked(rc, u.id);
	bool ok = password_verify(u.password_hash, pw);
	models_audit audit;
	request_audit(rc, &audit, "auth.login", "user", ok ? 200 : 401);
	audit.actor_id = ok ? u.id : 0;
	if (!ok) {
		st = models_audit_write_id(rc->db, &audit, u.id);
		return st == XYD_OK ? login_wrong(rc) : request_fail(rc, st);
	}
	audit.role = u.role;
	char refresh[TOKEN_REFRESH_LEN], hash[TOKEN_HASH_HEX_LEN];
	token_refresh_generate(refresh, hash);
	models_principal who;
	st = models_session_open(rc->db, u.id, hash, rc->ip, LOGIN_ABSOLUTE_S, &audit, &who);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_tokens(rc, &who, refresh);
}

static const json_field refresh_fields[] = {
	{"refresh_token", JSON_T_STRING, true, false, 1, 128},
};
const route_body refresh_body = {refresh_fields, ARRAY_SIZE(refresh_fields), false};

xyd_status handle_refresh(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	char old_hash[TOKEN_HASH_HEX_LEN], refresh[TOKEN_REFRESH_LEN], hash[TOKEN_HASH_HEX_LEN];
	token_refresh_hash(json_get_string(body, "refresh_token"), old_hash);
	token_refresh_generate(refresh, hash);
	models_audit audit;
	request_audit(rc, &audit, "auth.refresh", "session", 200);
	models_principal who;
	st = models_session_refresh(rc->db, old_hash, hash, LOGIN_IDLE_S, &audit, &who);
	if (st == XYD_UNAUTHENTICATED) {
		request_audit(rc, &audit, "auth.refresh", "session", 401);
		models_audit_write(rc->db, &audit);
		return api_error_set(&rc->err, st, NULL,
				     "the refresh token is not valid or has expired; log in again");
	}
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_tokens(rc, &who, refresh);
}

xyd_status handle_logout(request_ctx *rc)
{
	models_audit audit;
	request_audit(rc, &audit, "auth.logout", "session", 204);
	xyd_status st = models_session_logout(rc->db, rc->who.session_id, rc->claims.jti,
					      rc->claims.exp, &audit);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_no_content(rc);
}

xyd_status handle_me(request_ctx *rc)
{
	return reply_json(rc, 200, json_who(&rc->who, true));
}

static const json_field password_fields[] = {
	{"old_password", JSON_T_STRING, true, false, 1, 256},
	{"new_password", JSON_T_STRING, true, false, 1, 256},
};
const route_body password_body = {password_fields, ARRAY_SIZE(password_fields), false};

xyd_status handle_password(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	const char *old_pw = json_get_string(body, "old_password");
	const char *new_pw = json_get_string(body, "new_password");
	models_login_user me;
	if ((st = models_user_login_by_id(rc->db, rc->who.user_id, &me)) != XYD_OK)
		return request_fail(rc, st);
	if (!password_verify(me.password_hash, old_pw))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "old_password",
				     "the current password is wrong");
	if ((st = check_password_policy(rc, "new_password", new_pw)) != XYD_OK)
		return st;
	char *hash = password_hash(new_pw);
	if (!hash)
		return api_error_set(&rc->err, XYD_INTERNAL, NULL, "cannot hash the password");
	models_audit audit;
	request_audit(rc, &audit, "auth.password", "user", 204);
	st = models_user_set_password(rc->db, rc->who.user_id, hash, rc->who.session_id, &audit);
	free(hash);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_no_content(rc);
}
