/*
 * Users, login sessions (refresh-token families), institutions and SME
 * registration. Every change writes its audit row in the same transaction;
 * the caller fills the models_audit (status = the success status it will
 * answer) and the model sets target_id where it creates the target.
 *
 * Password hashes are made and checked by the caller (server/), never here:
 * this module stores and returns them as opaque strings.
 */
#ifndef XYD_MODELS_ACCOUNTS_H
#define XYD_MODELS_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/audit.h"
#include "models/db.h"
#include "models/record.h"

/* org_id 0 / org_name "": no organisation (200 characters of up to 4
 * bytes); status "active" or "locked" (by an admin or after failed logins);
 * last_login_at "" when never. */
#define MODELS_USER_FIELDS(X)                                                                      \
	X(I64, id, 0, "u.id")                                                                      \
	X(TEXT, username, 65, "u.username")                                                        \
	X(TEXT, role, 16, "u.role")                                                                \
	X(ID, org_id, 0, "COALESCE(u.enterprise_id, u.institution_id, u.park_id, 0)")              \
	X(OPT_TEXT, org_name, 801, "COALESCE(e.name, i.name, p.name, '')")                         \
	X(TEXT, status, 8, "IF(" USER_LOCKED_SQL ", 'locked', 'active')")                          \
	X(TEXT, created_at, 32, REC_RFC3339("u.created_at"))                                       \
	X(OPT_TEXT, last_login_at, 32, REC_RFC3339("u.last_login_at"))
/* Locked by an admin or, until locked_until, after failed logins. */
#define USER_LOCKED_SQL                                                                            \
	"(u.locked_by_admin OR (u.locked_until IS NOT NULL AND u.locked_until > UTC_TIMESTAMP(6)))"
typedef struct {
	MODELS_USER_FIELDS(REC_MEMBER)
} models_user;
REC_TYPE_DECLARE(models_user);

/* The authenticated caller of a request, as the database knows it now:
 * org_id 0 / org_name "" when none. */
#define MODELS_PRINCIPAL_FIELDS(X)                                                                 \
	X(I64, user_id, 0, "u.id")                                                                 \
	X(I64, session_id, 0, "s.id")                                                              \
	X(TEXT, username, 65, "u.username")                                                        \
	X(TEXT, role, 16, "u.role")                                                                \
	X(ID, org_id, 0, "COALESCE(u.enterprise_id, u.institution_id, u.park_id, 0)")              \
	X(OPT_TEXT, org_name, 801, "COALESCE(e.name, i.name, p.name, '')")
typedef struct {
	MODELS_PRINCIPAL_FIELDS(REC_MEMBER)
} models_principal;
REC_TYPE_DECLARE(models_principal);

/* ---- login and sessions ---- */

/* What a login checks; the hash never leaves the server (TEXT_INTERNAL). */
#define MODELS_LOGIN_USER_FIELDS(X)                                                                \
	X(I64, id, 0, "u.id")                                                                      \
	X(TEXT, role, 16, "u.role")                                                                \
	X(TEXT_INTERNAL, password_hash, MODELS_PASSWORD_HASH_SIZE, "u.password_hash")              \
	X(BOOL, locked, 0, USER_LOCKED_SQL)
#define MODELS_PASSWORD_HASH_SIZE 256
typedef struct {
	MODELS_LOGIN_USER_FIELDS(REC_MEMBER)
} models_login_user;
REC_TYPE_DECLARE(models_login_user);

/* The login record of username; XYD_NOT_FOUND when there is none. */
xyd_status models_user_for_login(models_db *db, const char *username, models_login_user *out);

/* Reserves one password guess for user_id, before the password is checked:
 * the guess counts as a failure at once (models_session_open resets the
 * count on success), and the max_failures-th guess in a row locks the
 * account for lock_s seconds and starts the count again. *allowed is false
 * when the account is locked (by an admin or by failures): then no guess
 * may be checked. Atomic, so N parallel attempts evaluate at most
 * max_failures guesses. */
xyd_status models_login_reserve(models_db *db, int64_t user_id, int max_failures, int lock_s,
				bool *allowed);

/* A successful login: resets the failure count, opens a session whose
 * absolute lifetime is absolute_s, stores the first refresh token hash and
 * fills *out with the caller in that session. */
xyd_status models_session_open(models_db *db, int64_t user_id, const char *refresh_hash,
			       const char *ip, int64_t absolute_s, models_audit *audit,
			       models_principal *out);

/* Rotates a refresh token: old_hash must be live and unused, its session not
 * revoked, not past its absolute end and used within idle_s. On reuse of a
 * used token the whole session is revoked (and stays so). Returns XYD_OK
 * with *out filled, or XYD_UNAUTHENTICATED. */
xyd_status models_session_refresh(models_db *db, const char *old_hash, const char *new_hash,
				  int64_t idle_s, models_audit *audit, models_principal *out);

/* Checks an access token's subject, session and jti: XYD_OK with *out
 * filled, XYD_UNAUTHENTICATED when the session is revoked or over, the jti
 * revoked or the user locked. */
xyd_status models_session_check(models_db *db, int64_t user_id, int64_t session_id, const char *jti,
				models_principal *out);

/* Ends a session: its refresh tokens and access tokens stop working now. */
xyd_status models_session_logout(models_db *db, int64_t session_id, const char *jti,
				 int64_t jti_expires_unix, models_audit *audit);

/* ---- users ---- */

xyd_status models_user_get(models_db *db, int64_t id, models_user *out);
/* Which users a list shows; NULL / -1 fields do not filter. */
typedef struct {
	const char *q; /* part of the username or of the organisation's name */
	const char *role;
	int locked; /* 1 locked, 0 not locked, -1 either */
	int64_t after_id;
	int limit;
} models_user_filter;

/* Users matching f with id > f->after_id, by id; *rows malloc'd (free()). */
xyd_status models_user_list(models_db *db, const models_user_filter *f, models_user **rows,
			    size_t *count, bool *more);

typedef struct {
	const char *username;
	const char *password_hash;
	const char *role;	/* bank, park, bureau, admin, auditor */
	int64_t institution_id; /* bank */
	int64_t park_id;	/* park */
} models_new_user;

/* XYD_CONFLICT when the username is taken. */
xyd_status models_user_create(models_db *db, const models_new_user *u, models_audit *audit,
			      int64_t *id);
/* True when any user exists with this role (start-up bootstrap). */
xyd_status models_user_role_exists(models_db *db, const char *role, bool *exists);
/* Locks (revoking every session) or unlocks (clearing failed-login locks). */
xyd_status models_user_set_locked(models_db *db, int64_t id, bool locked, models_audit *audit);
/* The login record of user id (its stored hash); XYD_NOT_FOUND when none. */
xyd_status models_user_login_by_id(models_db *db, int64_t id, models_login_user *out);
/* Stores a new hash and revokes every other session of the user. */
xyd_status models_user_set_password(models_db *db, int64_t id, const char *hash,
				    int64_t keep_session_id, models_audit *audit);

/* ---- institutions ---- */

/* kind: bank, guarantor or microloan; the name 200 characters of up to 4 bytes. */
#define MODELS_INSTITUTION_FIELDS(X)                                                               \
	X(I64, id, 0, "id")                                                                        \
	X(TEXT, name, 801, "name")                                                                 \
	X(TEXT, kind, 16, "kind")                                                                  \
	X(TEXT, created_at, 32, REC_RFC3339("created_at"))
typedef struct {
	MODELS_INSTITUTION_FIELDS(REC_MEMBER)
} models_institution;
REC_TYPE_DECLARE(models_institution);

/* XYD_CONFLICT when the name is taken. */
xyd_status models_institution_create(models_db *db, const char *name, const char *kind,
				     models_audit *audit, models_institution *out);
xyd_status models_institution_get(models_db *db, int64_t id, models_institution *out);
xyd_status models_institution_list(models_db *db, int64_t after_id, int limit,
				   models_institution **rows, size_t *count, bool *more);

/* ---- enterprises ---- */

/* An enterprise's profile: park_id 0 when none; the names 200 / 100
 * characters of up to 4 bytes; founded_on YYYY-MM-DD. The ID number and
 * phone are shown masked to most callers, so only by hand (INTERNAL). */
#define MODELS_ENTERPRISE_FIELDS(X)                                                                \
	X(I64, id, 0, "id")                                                                        \
	X(TEXT, uscc, 19, "uscc")                                                                  \
	X(TEXT, name, 801, "name")                                                                 \
	X(TEXT, legal_rep_name, 401, "legal_rep_name")                                             \
	X(TEXT_INTERNAL, legal_rep_id_no, 19, "legal_rep_id_no")                                   \
	X(TEXT_INTERNAL, phone, 21, "phone")                                                       \
	X(TEXT, industry, 9, "industry")                                                           \
	X(TEXT, town, 33, "town")                                                                  \
	X(ID, park_id, 0, "park_id")                                                               \
	X(I64, registered_capital_fen, 0, "registered_capital_fen")                                \
	X(TEXT, founded_on, 11, "DATE_FORMAT(founded_on, '%Y-%m-%d')")                             \
	X(I64, employees, 0, "employees")                                                          \
	X(I64, annual_revenue_fen, 0, "annual_revenue_fen")                                        \
	X(TEXT, size_class, 8, "size_class")                                                       \
	X(TEXT, created_at, 32, REC_RFC3339("created_at"))
typedef struct {
	MODELS_ENTERPRISE_FIELDS(REC_MEMBER)
} models_enterprise;
REC_TYPE_DECLARE(models_enterprise);

/* Registers an enterprise and its first (sme) user in one transaction.
 * A park it names (e->park_id > 0) is not taken: the enterprise starts in
 * no park with a pending request into that park (park_changes.h), filed by
 * the new user, until the park's operator confirms it or the bureau sets
 * the park. On XYD_CONFLICT *conflict_field names what is taken
 * ("username" or "enterprise.uscc"). On success e holds the enterprise as
 * stored (park_id 0) and *user_id is set. */
xyd_status models_register_sme(models_db *db, models_enterprise *e, const char *username,
			       const char *password_hash, models_audit *audit, int64_t *user_id,
			       const char **conflict_field);
xyd_status models_enterprise_get(models_db *db, int64_t id, models_enterprise *out);

#endif
