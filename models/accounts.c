/* Users, sessions, institutions and SME registration: see accounts.h. */
#include "models/accounts.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/park_changes.h"

/* Runs the statements of a change and its audit row as one transaction. */
/* clang-format off */
#define TX_BEGIN(db)                                                                        \
	xyd_status st = db_begin(db);                                                       \
	if (st != XYD_OK)                                                                   \
		return st
#define TX_END(db)                                                                          \
	st = db_commit(db);                                                                 \
out:                                                                                        \
	if (st != XYD_OK)                                                                   \
		db_rollback(db);                                                            \
	return st
/* clang-format on */

/* ---- login and sessions ---- */

REC_TYPE_DEFINE(models_user, MODELS_USER_FIELDS)
REC_TYPE_DEFINE(models_principal, MODELS_PRINCIPAL_FIELDS)
REC_TYPE_DEFINE(models_login_user, MODELS_LOGIN_USER_FIELDS)
REC_TYPE_DEFINE(models_institution, MODELS_INSTITUTION_FIELDS)

/* A user's organisation, whichever kind it is: the FROM of users u. */
#define USER_ORG_JOINS                                                                             \
	" LEFT JOIN enterprises e ON e.id = u.enterprise_id"                                       \
	" LEFT JOIN institutions i ON i.id = u.institution_id"                                     \
	" LEFT JOIN parks p ON p.id = u.park_id "
/* The caller in session s.id = ?. */
#define PRINCIPAL_SELECT                                                                                         \
	"SELECT " REC_COLUMNS(                                                                                   \
		MODELS_PRINCIPAL_FIELDS) " FROM users u JOIN auth_sessions s ON s.user_id = u.id" USER_ORG_JOINS \
					 "WHERE s.id = ? "
#define LOGIN_SELECT "SELECT " REC_COLUMNS(MODELS_LOGIN_USER_FIELDS) " FROM users u "
#define USER_SELECT "SELECT " REC_COLUMNS(MODELS_USER_FIELDS) " FROM users u" USER_ORG_JOINS
#define INSTITUTION_SELECT "SELECT " REC_COLUMNS(MODELS_INSTITUTION_FIELDS) " FROM institutions "

xyd_status models_user_for_login(models_db *db, const char *username, models_login_user *out)
{
	return DB_GET_ONE(db, LOGIN_SELECT "WHERE u.username = ?", models_login_user_rec(), out,
			  db_str(username));
}

xyd_status models_user_login_by_id(models_db *db, int64_t id, models_login_user *out)
{
	return DB_GET_ONE(db, LOGIN_SELECT "WHERE u.id = ?", models_login_user_rec(), out,
			  DB_INT(id));
}

xyd_status models_login_reserve(models_db *db, int64_t user_id, int max_failures, int lock_s,
				bool *allowed)
{
	uint64_t affected = 0;
	*allowed = false;
	/* One statement, hence one transaction holding the row: the guess is
	 * counted before the password is checked, so parallel attempts each
	 * take a distinct count and the max_failures-th locks the account for
	 * all that follow. MariaDB assigns left to right: locked_until reads
	 * the old count. */
	xyd_status st = db_run(db,
			       "UPDATE users SET locked_until = IF(failed_logins + 1 >= ?,"
			       " UTC_TIMESTAMP(6) + INTERVAL ? SECOND, locked_until),"
			       " failed_logins = IF(failed_logins + 1 >= ?, 0, failed_logins + 1)"
			       " WHERE id = ? AND locked_by_admin = 0"
			       " AND (locked_until IS NULL OR locked_until <= UTC_TIMESTAMP(6))",
			       DB_PARAMS(DB_INT(max_failures), DB_INT(lock_s), DB_INT(max_failures),
					 DB_INT(user_id)),
			       NULL, &affected, NULL);
	if (st == XYD_OK)
		*allowed = affected == 1;
	return st;
}

/* Inside a transaction: the session's next refresh token. */
static xyd_status refresh_insert(models_db *db, const char *hash, int64_t session_id)
{
	return DB_QUERY(db,
			"INSERT INTO refresh_tokens (token_hash, session_id, created_at)"
			" VALUES (?, ?, UTC_TIMESTAMP(6))",
			NULL, db_str(hash), DB_INT(session_id));
}

xyd_status models_session_open(models_db *db, int64_t user_id, const char *refresh_hash,
			       const char *ip, int64_t absolute_s, models_audit *audit,
			       models_principal *out)
{
	uint64_t sid = 0;
	TX_BEGIN(db);
	st = DB_QUERY(db,
		      "UPDATE users SET failed_logins = 0, locked_until = NULL,"
		      " last_login_at = UTC_TIMESTAMP(6) WHERE id = ?",
		      NULL, DB_INT(user_id));
	if (st != XYD_OK)
		goto out;
	st = db_run(db,
		    "INSERT INTO auth_sessions (user_id, created_at, last_used_at, expires_at, ip)"
		    " VALUES (?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6),"
		    " UTC_TIMESTAMP(6) + INTERVAL ? SECOND, ?)",
		    DB_PARAMS(DB_INT(user_id), DB_INT(absolute_s), db_str(ip)), NULL, NULL, &sid);
	if (st != XYD_OK || (st = refresh_insert(db, refresh_hash, (int64_t)sid)) != XYD_OK ||
	    (st = models_audit_write_id(db, audit, user_id)) != XYD_OK ||
	    (st = DB_GET_ONE(db, PRINCIPAL_SELECT, models_principal_rec(), out, DB_INT(sid))) !=
		    XYD_OK)
		goto out;
	TX_END(db);
}

static xyd_status session_revoke(models_db *db, int64_t session_id, const char *reason)
{
	return DB_QUERY(db,
			"UPDATE auth_sessions SET revoked_at = UTC_TIMESTAMP(6), revoke_reason = ?"
			" WHERE id = ? AND revoked_at IS NULL",
			NULL, db_str(reason), DB_INT(session_id));
}

/* A refresh token as the refresh transaction finds it, locked. */
#define REFRESH_ROW_FIELDS(X)                                                                      \
	X(I64, session_id, 0, "t.session_id")                                                      \
	X(BOOL, reused, 0, "t.used_at IS NOT NULL")                                                \
	X(BOOL, live, 0,                                                                           \
	  "s.revoked_at IS NULL AND s.expires_at > UTC_TIMESTAMP(6)"                               \
	  " AND s.last_used_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND AND NOT " USER_LOCKED_SQL)
typedef struct {
	REFRESH_ROW_FIELDS(REC_MEMBER)
} refresh_row;
static REC_TYPE_DEFINE(refresh_row, REFRESH_ROW_FIELDS)

	/* Inside the refresh transaction, once the old token is known good: marks
 * it used, stores the next, touches the session. */
	static xyd_status
	refresh_rotate(models_db *db, const char *old_hash, const char *new_hash, int64_t sid)
{
	xyd_status st = DB_QUERY(
		db, "UPDATE refresh_tokens SET used_at = UTC_TIMESTAMP(6) WHERE token_hash = ?",
		NULL, db_str(old_hash));
	if (st == XYD_OK)
		st = refresh_insert(db, new_hash, sid);
	if (st == XYD_OK)
		st = DB_QUERY(
			db, "UPDATE auth_sessions SET last_used_at = UTC_TIMESTAMP(6) WHERE id = ?",
			NULL, DB_INT(sid));
	return st;
}

xyd_status models_session_refresh(models_db *db, const char *old_hash, const char *new_hash,
				  int64_t idle_s, models_audit *audit, models_principal *out)
{
	refresh_row t;
	TX_BEGIN(db);
	st = DB_GET_ONE(
		db,
		"SELECT " REC_COLUMNS(
			REFRESH_ROW_FIELDS) " FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id"
					    " JOIN users u ON u.id = s.user_id WHERE t.token_hash = ? FOR UPDATE",
		refresh_row_rec(), &t, DB_INT(idle_s), db_str(old_hash));
	if (st == XYD_NOT_FOUND || (st == XYD_OK && !t.reused && !t.live))
		st = XYD_UNAUTHENTICATED;
	if (st == XYD_OK && t.reused) {
		/* A used token came back: someone holds a copy. Kill the family
		 * and keep that decision although the request fails. */
		if ((st = session_revoke(db, t.session_id, "reuse")) == XYD_OK &&
		    (st = db_commit(db)) == XYD_OK)
			st = XYD_UNAUTHENTICATED;
	}
	if (st != XYD_OK || (st = refresh_rotate(db, old_hash, new_hash, t.session_id)) != XYD_OK ||
	    (st = DB_GET_ONE(db, PRINCIPAL_SELECT, models_principal_rec(), out,
			     DB_INT(t.session_id))) != XYD_OK)
		goto out;
	audit->actor_id = out->user_id;
	audit->role = out->role;
	if ((st = models_audit_write_id(db, audit, t.session_id)) != XYD_OK)
		goto out;
	TX_END(db);
}

xyd_status models_session_check(models_db *db, int64_t user_id, int64_t session_id, const char *jti,
				models_principal *out)
{
	xyd_status st = DB_GET_ONE(
		db,
		PRINCIPAL_SELECT
		"AND u.id = ? AND s.revoked_at IS NULL"
		" AND s.expires_at > UTC_TIMESTAMP(6) AND u.locked_by_admin = 0"
		" AND NOT EXISTS (SELECT 1 FROM revoked_access_tokens j WHERE j.jti = ?)",
		models_principal_rec(), out, DB_INT(session_id), DB_INT(user_id), db_str(jti));
	return st == XYD_NOT_FOUND ? XYD_UNAUTHENTICATED : st;
}

xyd_status models_session_logout(models_db *db, int64_t session_id, const char *jti,
				 int64_t jti_expires_unix, models_audit *audit)
{
	TX_BEGIN(db);
	if ((st = session_revoke(db, session_id, "logout")) != XYD_OK)
		goto out;
	st = DB_QUERY(db,
		      "INSERT IGNORE INTO revoked_access_tokens (jti, expires_at)"
		      " VALUES (?, FROM_UNIXTIME(?))",
		      NULL, db_str(jti), DB_INT(jti_expires_unix));
	if (st != XYD_OK)
		goto out;
	/* Old denials are useless once their token has expired anyway. */
	st = DB_QUERY(
		db,
		"DELETE FROM revoked_access_tokens WHERE expires_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND LIMIT 100",
		NULL, DB_INT(60));
	if (st != XYD_OK)
		goto out;
	if ((st = models_audit_write_id(db, audit, session_id)) != XYD_OK)
		goto out;
	TX_END(db);
}

/* ---- users ---- */

xyd_status models_user_get(models_db *db, int64_t id, models_user *out)
{
	return DB_GET_ONE(db, USER_SELECT "WHERE u.id = ?", models_user_rec(), out, DB_INT(id));
}

xyd_status models_user_list(models_db *db, const models_user_filter *f, models_user **rows,
			    size_t *count, bool *more)
{
	char *like = f->q ? db_like_contains(f->q) : NULL;
	/* One prepared statement for every combination: "? IS NULL OR …". The
	 * username column is ASCII: converted, it compares with any text. */
	xyd_status st = db_get_page(
		db,
		USER_SELECT
		"WHERE u.id > ?"
		" AND (? IS NULL OR CONVERT(u.username USING utf8mb4) LIKE ? OR COALESCE(e.name, i.name, p.name) LIKE ?)"
		" AND (? IS NULL OR u.role = ?) AND (? < 0 OR " USER_LOCKED_SQL " = ?)"
		" ORDER BY u.id LIMIT ?",
		DB_PARAMS(DB_INT(f->after_id), db_str(like), db_str(like), db_str(like),
			  db_str(f->role), db_str(f->role), DB_INT(f->locked), DB_INT(f->locked)),
		models_user_rec(), f->limit, (void **)rows, count, more);
	free(like);
	return st;
}

xyd_status models_user_create(models_db *db, const models_new_user *u, models_audit *audit,
			      int64_t *id)
{
	uint64_t new_id = 0;
	TX_BEGIN(db);
	st = db_run(db,
		    "INSERT INTO users (username, password_hash, role, institution_id, park_id)"
		    " VALUES (?, ?, ?, ?, ?)",
		    DB_PARAMS(db_str(u->username), db_str(u->password_hash), db_str(u->role),
			      db_opt_int(u->institution_id > 0, u->institution_id),
			      db_opt_int(u->park_id > 0, u->park_id)),
		    NULL, NULL, &new_id);
	if (st != XYD_OK || (st = models_audit_write_id(db, audit, (int64_t)new_id)) != XYD_OK)
		goto out;
	*id = (int64_t)new_id;
	TX_END(db);
}

xyd_status models_user_role_exists(models_db *db, const char *role, bool *exists)
{
	xyd_status st = DB_QUERY_INT(db, "SELECT 1 FROM users WHERE role = ? LIMIT 1", NULL,
				     db_str(role));
	*exists = st == XYD_OK;
	return st == XYD_NOT_FOUND ? XYD_OK : st;
}

xyd_status models_user_set_locked(models_db *db, int64_t id, bool locked, models_audit *audit)
{
	TX_BEGIN(db);
	st = DB_QUERY(db,
		      "UPDATE users SET locked_by_admin = ?, failed_logins = 0,"
		      " locked_until = IF(?, locked_until, NULL) WHERE id = ?",
		      NULL, DB_INT(locked), DB_INT(locked), DB_INT(id));
	if (st != XYD_OK ||
	    (st = DB_QUERY_INT(db, "SELECT 1 FROM users WHERE id = ?", NULL, DB_INT(id))) != XYD_OK)
		goto out;
	if (locked)
		st = DB_QUERY(
			db,
			"UPDATE auth_sessions SET revoked_at = UTC_TIMESTAMP(6),"
			" revoke_reason = 'admin_lock' WHERE user_id = ? AND revoked_at IS NULL",
			NULL, DB_INT(id));
	if (st != XYD_OK || (st = models_audit_write_id(db, audit, id)) != XYD_OK)
		goto out;
	TX_END(db);
}

xyd_status models_user_set_password(models_db *db, int64_t id, const char *hash,
				    int64_t keep_session_id, models_audit *audit)
{
	TX_BEGIN(db);
	st = DB_QUERY(db,
		      "UPDATE users SET password_hash = ?, password_changed_at = UTC_TIMESTAMP(6)"
		      " WHERE id = ?",
		      NULL, db_str(hash), DB_INT(id));
	if (st == XYD_OK)
		st = DB_QUERY(
			db,
			"UPDATE auth_sessions SET revoked_at = UTC_TIMESTAMP(6), revoke_reason = 'password'"
			" WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
			NULL, DB_INT(id), DB_INT(keep_session_id));
	if (st != XYD_OK || (st = models_audit_write_id(db, audit, id)) != XYD_OK)
		goto out;
	TX_END(db);
}

/* ---- institutions ---- */

xyd_status models_institution_get(models_db *db, int64_t id, models_institution *out)
{
	return DB_GET_ONE(db, INSTITUTION_SELECT "WHERE id = ?", models_institution_rec(), out,
			  DB_INT(id));
}

xyd_status models_institution_create(models_db *db, const char *name, const char *kind,
				     models_audit *audit, models_institution *out)
{
	uint64_t id = 0;
	TX_BEGIN(db);
	st = db_run(db, "INSERT INTO institutions (name, kind) VALUES (?, ?)",
		    DB_PARAMS(db_str(name), db_str(kind)), NULL, NULL, &id);
	if (st != XYD_OK || (st = models_audit_write_id(db, audit, (int64_t)id)) != XYD_OK ||
	    (st = models_institution_get(db, (int64_t)id, out)) != XYD_OK)
		goto out;
	TX_END(db);
}

xyd_status models_institution_list(models_db *db, int64_t after_id, int limit,
				   models_institution **rows, size_t *count, bool *more)
{
	return db_get_page(db, INSTITUTION_SELECT "WHERE id > ? ORDER BY id LIMIT ?",
			   DB_PARAMS(DB_INT(after_id)), models_institution_rec(), limit,
			   (void **)rows, count, more);
}

/* ---- enterprises ---- */

static xyd_status enterprise_insert(models_db *db, models_enterprise *e)
{
	char section[2] = {e->industry[0], '\0'};
	uint64_t id = 0;
	xyd_status st = db_run(
		db,
		"INSERT INTO enterprises (uscc, name, legal_rep_name, legal_rep_id_no, phone,"
		" industry, industry_section, town, park_id, registered_capital_fen, founded_on,"
		" employees, annual_revenue_fen, size_class) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		DB_PARAMS(db_str(e->uscc), db_str(e->name), db_str(e->legal_rep_name),
			  db_str(e->legal_rep_id_no), db_str(e->phone), db_str(e->industry),
			  db_str(section), db_str(e->town), db_opt_int(e->park_id > 0, e->park_id),
			  DB_INT(e->registered_capital_fen), db_str(e->founded_on),
			  DB_INT(e->employees), DB_INT(e->annual_revenue_fen),
			  db_str(e->size_class)),
		NULL, NULL, &id);
	e->id = (int64_t)id;
	return st;
}

xyd_status models_register_sme(models_db *db, models_enterprise *e, const char *username,
			       const char *password_hash, models_audit *audit, int64_t *user_id,
			       const char **conflict_field)
{
	uint64_t uid = 0;
	int64_t park_id = e->park_id, request_id = 0;
	*conflict_field = NULL;
	e->park_id = 0; /* a park named here waits for its operator (below) */
	TX_BEGIN(db);
	if ((st = enterprise_insert(db, e)) != XYD_OK) {
		*conflict_field = "enterprise.uscc";
		goto out;
	}
	st = db_run(
		db,
		"INSERT INTO users (username, password_hash, role, enterprise_id) VALUES (?, ?, 'sme', ?)",
		DB_PARAMS(db_str(username), db_str(password_hash), DB_INT(e->id)), NULL, NULL,
		&uid);
	if (st != XYD_OK) {
		*conflict_field = "username";
		goto out;
	}
	audit->actor_id = (int64_t)uid;
	if ((st = models_audit_write_id(db, audit, e->id)) != XYD_OK)
		goto out;
	if (park_id > 0 && (st = models_park_change_request(db, e->id, 0, park_id, (int64_t)uid,
							    audit, &request_id)) != XYD_OK)
		goto out;
	if ((st = models_enterprise_get(db, e->id, e)) != XYD_OK)
		goto out;
	*user_id = (int64_t)uid;
	TX_END(db);
}

REC_TYPE_DEFINE(models_enterprise, MODELS_ENTERPRISE_FIELDS)

xyd_status models_enterprise_get(models_db *db, int64_t id, models_enterprise *out)
{
	return DB_GET_ONE(
		db,
		"SELECT " REC_COLUMNS(MODELS_ENTERPRISE_FIELDS) " FROM enterprises WHERE id = ?",
		models_enterprise_rec(), out, DB_INT(id));
}
