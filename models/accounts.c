/* Users, sessions, institutions and SME registration: see accounts.h. */
#include "models/accounts.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/park_changes.h"

/* Runs the statements of a change and its audit row as one transaction. */
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

/* ---- login and sessions ---- */

xyd_status models_user_for_login(models_db *db, const char *username, models_login_user *out)
{
	db_result r;
	memset(out, 0, sizeof *out);
	xyd_status st = DB_QUERY(
		db,
		"SELECT id, password_hash, role, COALESCE(enterprise_id, institution_id, park_id, 0),"
		" locked_by_admin OR (locked_until IS NOT NULL AND locked_until > UTC_TIMESTAMP(6)),"
		" username FROM users WHERE username = ?",
		&r, db_str(username));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 0) {
		db_result_release(&r);
		return XYD_NOT_FOUND;
	}
	out->id = db_cell_int(&r, 0, 0);
	out->password_hash = xstrdup(db_cell(&r, 0, 1));
	out->who.user_id = out->id;
	db_cell_copy(out->who.role, sizeof out->who.role, &r, 0, 2);
	out->who.org_id = db_cell_int(&r, 0, 3);
	out->locked = db_cell_int(&r, 0, 4) != 0;
	db_cell_copy(out->who.username, sizeof out->who.username, &r, 0, 5);
	db_result_release(&r);
	return XYD_OK;
}

void models_login_user_release(models_login_user *u)
{
	free(u->password_hash);
	u->password_hash = NULL;
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
	xyd_status st = db_run(
		db,
		"UPDATE users SET locked_until = IF(failed_logins + 1 >= ?,"
		" UTC_TIMESTAMP(6) + INTERVAL ? SECOND, locked_until),"
		" failed_logins = IF(failed_logins + 1 >= ?, 0, failed_logins + 1)"
		" WHERE id = ? AND locked_by_admin = 0"
		" AND (locked_until IS NULL OR locked_until <= UTC_TIMESTAMP(6))",
		(const db_param[]){DB_INT(max_failures), DB_INT(lock_s), DB_INT(max_failures),
				   DB_INT(user_id)},
		4, NULL, &affected, NULL);
	if (st == XYD_OK)
		*allowed = affected == 1;
	return st;
}

xyd_status models_session_open(models_db *db, int64_t user_id, const char *refresh_hash,
			       const char *ip, int64_t absolute_s, const models_audit *audit,
			       int64_t *session_id)
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
		    (const db_param[]){DB_INT(user_id), DB_INT(absolute_s), db_str(ip)}, 3, NULL,
		    NULL, &sid);
	if (st != XYD_OK)
		goto out;
	st = DB_QUERY(db,
		      "INSERT INTO refresh_tokens (token_hash, session_id, created_at)"
		      " VALUES (?, ?, UTC_TIMESTAMP(6))",
		      NULL, db_str(refresh_hash), DB_INT(sid));
	if (st != XYD_OK)
		goto out;
	if ((st = models_audit_write(db, audit)) != XYD_OK)
		goto out;
	*session_id = (int64_t)sid;
	TX_END(db);
}

static xyd_status session_revoke(models_db *db, int64_t session_id, const char *reason)
{
	return DB_QUERY(db,
			"UPDATE auth_sessions SET revoked_at = UTC_TIMESTAMP(6), revoke_reason = ?"
			" WHERE id = ? AND revoked_at IS NULL",
			NULL, db_str(reason), DB_INT(session_id));
}

/* Inside the refresh transaction: the token's row, locked. */
static xyd_status refresh_lookup(models_db *db, const char *old_hash, int64_t idle_s,
				 db_result *r)
{
	return DB_QUERY(
		db,
		"SELECT t.session_id, t.used_at IS NOT NULL,"
		" s.revoked_at IS NULL AND s.expires_at > UTC_TIMESTAMP(6)"
		" AND s.last_used_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND,"
		" u.id, u.username, u.role, COALESCE(u.enterprise_id, u.institution_id, u.park_id, 0),"
		" u.locked_by_admin OR (u.locked_until IS NOT NULL AND u.locked_until > UTC_TIMESTAMP(6))"
		" FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id"
		" JOIN users u ON u.id = s.user_id WHERE t.token_hash = ? FOR UPDATE",
		r, DB_INT(idle_s), db_str(old_hash));
}

xyd_status models_session_refresh(models_db *db, const char *old_hash, const char *new_hash,
				  int64_t idle_s, models_audit *audit, models_principal *out)
{
	db_result r;
	TX_BEGIN(db);
	if ((st = refresh_lookup(db, old_hash, idle_s, &r)) != XYD_OK)
		goto out;
	bool found = r.nrows == 1, reused = found && db_cell_int(&r, 0, 1),
	     live = found && db_cell_int(&r, 0, 2) && !db_cell_int(&r, 0, 7);
	if (found) {
		out->session_id = db_cell_int(&r, 0, 0);
		out->user_id = db_cell_int(&r, 0, 3);
		db_cell_copy(out->username, sizeof out->username, &r, 0, 4);
		db_cell_copy(out->role, sizeof out->role, &r, 0, 5);
		out->org_id = db_cell_int(&r, 0, 6);
	}
	db_result_release(&r);
	if (reused) {
		/* A used token came back: someone holds a copy. Kill the family
		 * and keep that decision although the request fails. */
		if ((st = session_revoke(db, out->session_id, "reuse")) == XYD_OK &&
		    (st = db_commit(db)) == XYD_OK)
			st = XYD_UNAUTHENTICATED;
		goto out;
	}
	if (!live) {
		st = XYD_UNAUTHENTICATED;
		goto out;
	}
	int64_t sid = out->session_id;
	st = DB_QUERY(db, "UPDATE refresh_tokens SET used_at = UTC_TIMESTAMP(6) WHERE token_hash = ?",
		      NULL, db_str(old_hash));
	if (st == XYD_OK)
		st = DB_QUERY(db,
			      "INSERT INTO refresh_tokens (token_hash, session_id, created_at)"
			      " VALUES (?, ?, UTC_TIMESTAMP(6))",
			      NULL, db_str(new_hash), DB_INT(sid));
	if (st == XYD_OK)
		st = DB_QUERY(db, "UPDATE auth_sessions SET last_used_at = UTC_TIMESTAMP(6) WHERE id = ?",
			      NULL, DB_INT(sid));
	audit->actor_id = out->user_id;
	audit->role = out->role;
	snprintf(audit->target_id, sizeof audit->target_id, "%lld", (long long)sid);
	if (st == XYD_OK)
		st = models_audit_write(db, audit);
	if (st != XYD_OK)
		goto out;
	TX_END(db);
}

xyd_status models_session_check(models_db *db, int64_t user_id, int64_t session_id,
				const char *jti, models_principal *out)
{
	db_result r;
	xyd_status st = DB_QUERY(
		db,
		"SELECT u.username, u.role, COALESCE(u.enterprise_id, u.institution_id, u.park_id, 0),"
		" COALESCE(e.name, i.name, p.name, '')"
		" FROM users u JOIN auth_sessions s ON s.user_id = u.id"
		" LEFT JOIN enterprises e ON e.id = u.enterprise_id"
		" LEFT JOIN institutions i ON i.id = u.institution_id"
		" LEFT JOIN parks p ON p.id = u.park_id"
		" WHERE u.id = ? AND s.id = ? AND s.revoked_at IS NULL"
		" AND s.expires_at > UTC_TIMESTAMP(6) AND u.locked_by_admin = 0"
		" AND NOT EXISTS (SELECT 1 FROM revoked_access_tokens j WHERE j.jti = ?)",
		&r, DB_INT(user_id), DB_INT(session_id), db_str(jti));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 1) {
		out->user_id = user_id;
		out->session_id = session_id;
		db_cell_copy(out->username, sizeof out->username, &r, 0, 0);
		db_cell_copy(out->role, sizeof out->role, &r, 0, 1);
		out->org_id = db_cell_int(&r, 0, 2);
		db_cell_copy(out->org_name, sizeof out->org_name, &r, 0, 3);
	} else {
		st = XYD_UNAUTHENTICATED;
	}
	db_result_release(&r);
	return st;
}

xyd_status models_session_logout(models_db *db, int64_t session_id, const char *jti,
				 int64_t jti_expires_unix, const models_audit *audit)
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
	st = DB_QUERY(db, "DELETE FROM revoked_access_tokens WHERE expires_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND LIMIT 100",
		      NULL, DB_INT(60));
	if (st != XYD_OK)
		goto out;
	if ((st = models_audit_write(db, audit)) != XYD_OK)
		goto out;
	TX_END(db);
}

/* ---- users ---- */

#define USER_COLUMNS                                                                        \
	"SELECT u.id, u.username, u.role,"                                                  \
	" COALESCE(u.enterprise_id, u.institution_id, u.park_id, 0),"                        \
	" COALESCE(e.name, i.name, p.name, ''),"                                             \
	" u.locked_by_admin OR (u.locked_until IS NOT NULL AND u.locked_until > UTC_TIMESTAMP(6)),"\
	" DATE_FORMAT(u.created_at, '%Y-%m-%dT%H:%i:%sZ'),"                                  \
	" DATE_FORMAT(u.last_login_at, '%Y-%m-%dT%H:%i:%sZ')"                                \
	" FROM users u LEFT JOIN enterprises e ON e.id = u.enterprise_id"                    \
	" LEFT JOIN institutions i ON i.id = u.institution_id"                               \
	" LEFT JOIN parks p ON p.id = u.park_id "

static void user_from_row(models_user *u, const db_result *r, size_t i)
{
	u->id = db_cell_int(r, i, 0);
	db_cell_copy(u->username, sizeof u->username, r, i, 1);
	db_cell_copy(u->role, sizeof u->role, r, i, 2);
	u->org_id = db_cell_int(r, i, 3);
	db_cell_copy(u->org_name, sizeof u->org_name, r, i, 4);
	u->locked = db_cell_int(r, i, 5) != 0;
	db_cell_copy(u->created_at, sizeof u->created_at, r, i, 6);
	db_cell_copy(u->last_login_at, sizeof u->last_login_at, r, i, 7);
}

xyd_status models_user_get(models_db *db, int64_t id, models_user *out)
{
	db_result r;
	xyd_status st = DB_QUERY(db, USER_COLUMNS "WHERE u.id = ?", &r, DB_INT(id));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 1)
		user_from_row(out, &r, 0);
	else
		st = XYD_NOT_FOUND;
	db_result_release(&r);
	return st;
}

xyd_status models_user_list(models_db *db, const models_user_filter *f, models_user **rows,
			    size_t *count, bool *more)
{
	db_result r;
	char *like = f->q ? db_like_contains(f->q) : NULL;
	/* One prepared statement for every combination: "? IS NULL OR …". The
	 * username column is ASCII: converted, it compares with any text. */
	xyd_status st = DB_QUERY(db, USER_COLUMNS "WHERE u.id > ?"
				 " AND (? IS NULL OR CONVERT(u.username USING utf8mb4) LIKE ? OR COALESCE(e.name, i.name, p.name) LIKE ?)"
				 " AND (? IS NULL OR u.role = ?)"
				 " AND (? < 0 OR (u.locked_by_admin OR (u.locked_until IS NOT NULL"
				 " AND u.locked_until > UTC_TIMESTAMP(6))) = ?)"
				 " ORDER BY u.id LIMIT ?",
				 &r, DB_INT(f->after_id), db_str(like), db_str(like), db_str(like),
				 db_str(f->role), db_str(f->role), DB_INT(f->locked), DB_INT(f->locked),
				 DB_INT(f->limit + 1));
	free(like);
	if (st != XYD_OK)
		return st;
	size_t n = r.nrows > (size_t)f->limit ? (size_t)f->limit : r.nrows;
	*more = r.nrows > (size_t)f->limit;
	*rows = xcalloc(n, sizeof **rows);
	for (size_t i = 0; i < n; i++)
		user_from_row(&(*rows)[i], &r, i);
	*count = n;
	db_result_release(&r);
	return XYD_OK;
}

xyd_status models_user_create(models_db *db, const models_new_user *u, models_audit *audit,
			      int64_t *id)
{
	uint64_t new_id = 0;
	TX_BEGIN(db);
	st = db_run(db,
		    "INSERT INTO users (username, password_hash, role, institution_id, park_id)"
		    " VALUES (?, ?, ?, ?, ?)",
		    (const db_param[]){db_str(u->username), db_str(u->password_hash),
				       db_str(u->role), db_opt_int(u->institution_id > 0, u->institution_id),
				       db_opt_int(u->park_id > 0, u->park_id)},
		    5, NULL, NULL, &new_id);
	if (st != XYD_OK)
		goto out;
	snprintf(audit->target_id, sizeof audit->target_id, "%llu", (unsigned long long)new_id);
	if ((st = models_audit_write(db, audit)) != XYD_OK)
		goto out;
	*id = (int64_t)new_id;
	TX_END(db);
}

xyd_status models_user_role_exists(models_db *db, const char *role, bool *exists)
{
	db_result r;
	xyd_status st = DB_QUERY(db, "SELECT COUNT(*) FROM users WHERE role = ?", &r, db_str(role));
	if (st == XYD_OK)
		*exists = db_cell_int(&r, 0, 0) > 0;
	db_result_release(&r);
	return st;
}

xyd_status models_user_set_locked(models_db *db, int64_t id, bool locked, const models_audit *audit)
{
	uint64_t matched = 0;
	TX_BEGIN(db);
	st = db_run(db,
		    "UPDATE users SET locked_by_admin = ?, failed_logins = 0,"
		    " locked_until = IF(?, locked_until, NULL) WHERE id = ?",
		    (const db_param[]){DB_INT(locked), DB_INT(locked), DB_INT(id)}, 3, NULL,
		    &matched, NULL);
	if (st != XYD_OK)
		goto out;
	db_result r;
	if ((st = DB_QUERY(db, "SELECT 1 FROM users WHERE id = ?", &r, DB_INT(id))) != XYD_OK)
		goto out;
	bool found = r.nrows == 1;
	db_result_release(&r);
	if (!found) {
		st = XYD_NOT_FOUND;
		goto out;
	}
	if (locked)
		st = DB_QUERY(db,
			      "UPDATE auth_sessions SET revoked_at = UTC_TIMESTAMP(6),"
			      " revoke_reason = 'admin_lock' WHERE user_id = ? AND revoked_at IS NULL",
			      NULL, DB_INT(id));
	if (st != XYD_OK)
		goto out;
	if ((st = models_audit_write(db, audit)) != XYD_OK)
		goto out;
	TX_END(db);
}

xyd_status models_user_password_hash(models_db *db, int64_t id, char **hash)
{
	db_result r;
	xyd_status st = DB_QUERY(db, "SELECT password_hash FROM users WHERE id = ?", &r, DB_INT(id));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 1)
		*hash = xstrdup(db_cell(&r, 0, 0));
	else
		st = XYD_NOT_FOUND;
	db_result_release(&r);
	return st;
}

xyd_status models_user_set_password(models_db *db, int64_t id, const char *hash,
				    int64_t keep_session_id, const models_audit *audit)
{
	TX_BEGIN(db);
	st = DB_QUERY(db,
		      "UPDATE users SET password_hash = ?, password_changed_at = UTC_TIMESTAMP(6)"
		      " WHERE id = ?",
		      NULL, db_str(hash), DB_INT(id));
	if (st != XYD_OK)
		goto out;
	st = DB_QUERY(db,
		      "UPDATE auth_sessions SET revoked_at = UTC_TIMESTAMP(6), revoke_reason = 'password'"
		      " WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
		      NULL, DB_INT(id), DB_INT(keep_session_id));
	if (st != XYD_OK)
		goto out;
	if ((st = models_audit_write(db, audit)) != XYD_OK)
		goto out;
	TX_END(db);
}

/* ---- institutions ---- */

#define INSTITUTION_COLUMNS                                                                 \
	"SELECT id, name, kind, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ') FROM institutions "

static void institution_from_row(models_institution *o, const db_result *r, size_t i)
{
	o->id = db_cell_int(r, i, 0);
	db_cell_copy(o->name, sizeof o->name, r, i, 1);
	db_cell_copy(o->kind, sizeof o->kind, r, i, 2);
	db_cell_copy(o->created_at, sizeof o->created_at, r, i, 3);
}

xyd_status models_institution_get(models_db *db, int64_t id, models_institution *out)
{
	db_result r;
	xyd_status st = DB_QUERY(db, INSTITUTION_COLUMNS "WHERE id = ?", &r, DB_INT(id));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 1)
		institution_from_row(out, &r, 0);
	else
		st = XYD_NOT_FOUND;
	db_result_release(&r);
	return st;
}

xyd_status models_institution_create(models_db *db, const char *name, const char *kind,
				     models_audit *audit, models_institution *out)
{
	uint64_t id = 0;
	TX_BEGIN(db);
	st = db_run(db, "INSERT INTO institutions (name, kind) VALUES (?, ?)",
		    (const db_param[]){db_str(name), db_str(kind)}, 2, NULL, NULL, &id);
	if (st != XYD_OK)
		goto out;
	snprintf(audit->target_id, sizeof audit->target_id, "%llu", (unsigned long long)id);
	if ((st = models_audit_write(db, audit)) != XYD_OK)
		goto out;
	if ((st = models_institution_get(db, (int64_t)id, out)) != XYD_OK)
		goto out;
	TX_END(db);
}

xyd_status models_institution_list(models_db *db, int64_t after_id, int limit,
				   models_institution **rows, size_t *count, bool *more)
{
	db_result r;
	xyd_status st = DB_QUERY(db, INSTITUTION_COLUMNS "WHERE id > ? ORDER BY id LIMIT ?", &r,
				 DB_INT(after_id), DB_INT(limit + 1));
	if (st != XYD_OK)
		return st;
	size_t n = r.nrows > (size_t)limit ? (size_t)limit : r.nrows;
	*more = r.nrows > (size_t)limit;
	*rows = xcalloc(n, sizeof **rows);
	for (size_t i = 0; i < n; i++)
		institution_from_row(&(*rows)[i], &r, i);
	*count = n;
	db_result_release(&r);
	return XYD_OK;
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
		(const db_param[]){db_str(e->uscc), db_str(e->name), db_str(e->legal_rep_name),
				   db_str(e->legal_rep_id_no), db_str(e->phone), db_str(e->industry),
				   db_str(section), db_str(e->town), db_opt_int(e->park_id > 0, e->park_id),
				   DB_INT(e->registered_capital_fen), db_str(e->founded_on),
				   DB_INT(e->employees), DB_INT(e->annual_revenue_fen),
				   db_str(e->size_class)},
		14, NULL, NULL, &id);
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
	e->park_id = 0;	/* a park named here waits for its operator (below) */
	TX_BEGIN(db);
	if ((st = enterprise_insert(db, e)) != XYD_OK) {
		*conflict_field = "enterprise.uscc";
		goto out;
	}
	st = db_run(db,
		    "INSERT INTO users (username, password_hash, role, enterprise_id) VALUES (?, ?, 'sme', ?)",
		    (const db_param[]){db_str(username), db_str(password_hash), DB_INT(e->id)}, 3,
		    NULL, NULL, &uid);
	if (st != XYD_OK) {
		*conflict_field = "username";
		goto out;
	}
	audit->actor_id = (int64_t)uid;
	snprintf(audit->target_id, sizeof audit->target_id, "%lld", (long long)e->id);
	if ((st = models_audit_write(db, audit)) != XYD_OK)
		goto out;
	if (park_id > 0 && (st = models_park_change_request(db, e->id, 0, park_id, (int64_t)uid,
							    audit, &request_id)) != XYD_OK)
		goto out;
	if ((st = models_enterprise_get(db, e->id, e)) != XYD_OK)
		goto out;
	*user_id = (int64_t)uid;
	TX_END(db);
}

xyd_status models_enterprise_get(models_db *db, int64_t id, models_enterprise *out)
{
	db_result r;
	xyd_status st = DB_QUERY(
		db,
		"SELECT id, uscc, name, legal_rep_name, legal_rep_id_no, phone, industry, town,"
		" COALESCE(park_id, 0), registered_capital_fen, DATE_FORMAT(founded_on, '%Y-%m-%d'),"
		" employees, annual_revenue_fen, size_class,"
		" DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ') FROM enterprises WHERE id = ?",
		&r, DB_INT(id));
	if (st != XYD_OK)
		return st;
	if (r.nrows != 1) {
		db_result_release(&r);
		return XYD_NOT_FOUND;
	}
	out->id = db_cell_int(&r, 0, 0);
	db_cell_copy(out->uscc, sizeof out->uscc, &r, 0, 1);
	db_cell_copy(out->name, sizeof out->name, &r, 0, 2);
	db_cell_copy(out->legal_rep_name, sizeof out->legal_rep_name, &r, 0, 3);
	db_cell_copy(out->legal_rep_id_no, sizeof out->legal_rep_id_no, &r, 0, 4);
	db_cell_copy(out->phone, sizeof out->phone, &r, 0, 5);
	db_cell_copy(out->industry, sizeof out->industry, &r, 0, 6);
	db_cell_copy(out->town, sizeof out->town, &r, 0, 7);
	out->park_id = db_cell_int(&r, 0, 8);
	out->registered_capital_fen = db_cell_int(&r, 0, 9);
	db_cell_copy(out->founded_on, sizeof out->founded_on, &r, 0, 10);
	out->employees = db_cell_int(&r, 0, 11);
	out->annual_revenue_fen = db_cell_int(&r, 0, 12);
	db_cell_copy(out->size_class, sizeof out->size_class, &r, 0, 13);
	db_cell_copy(out->created_at, sizeof out->created_at, &r, 0, 14);
	db_result_release(&r);
	return XYD_OK;
}
