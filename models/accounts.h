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

typedef struct {
	int64_t id;
	char username[65];
	char role[16];
	int64_t org_id;		/* 0: none */
	char org_name[801];	/* 200 characters of up to 4 bytes */
	bool locked;		/* by an admin or after failed logins */
	char created_at[32];
	char last_login_at[32];	/* "" when never */
} models_user;

/* The authenticated caller of a request, as the database knows it now. */
typedef struct {
	int64_t user_id;
	int64_t session_id;
	char username[65];
	char role[16];
	int64_t org_id;		/* 0: none */
	char org_name[801];	/* "" when none; 200 characters of up to 4 bytes */
} models_principal;

/* ---- login and sessions ---- */

typedef struct {
	int64_t id;
	char *password_hash;	/* malloc'd; released by models_login_user_release */
	bool locked;
	models_principal who;
} models_login_user;

/* The login record of username; XYD_NOT_FOUND when there is none. */
xyd_status models_user_for_login(models_db *db, const char *username, models_login_user *out);
void models_login_user_release(models_login_user *u);

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
 * absolute lifetime is absolute_s and stores the first refresh token hash. */
xyd_status models_session_open(models_db *db, int64_t user_id, const char *refresh_hash,
			       const char *ip, int64_t absolute_s, const models_audit *audit,
			       int64_t *session_id);

/* Rotates a refresh token: old_hash must be live and unused, its session not
 * revoked, not past its absolute end and used within idle_s. On reuse of a
 * used token the whole session is revoked (and stays so). Returns XYD_OK
 * with *out filled, or XYD_UNAUTHENTICATED. */
xyd_status models_session_refresh(models_db *db, const char *old_hash, const char *new_hash,
				  int64_t idle_s, models_audit *audit, models_principal *out);

/* Checks an access token's subject, session and jti: XYD_OK with *out
 * filled, XYD_UNAUTHENTICATED when the session is revoked or over, the jti
 * revoked or the user locked. */
xyd_status models_session_check(models_db *db, int64_t user_id, int64_t session_id,
				const char *jti, models_principal *out);

/* Ends a session: its refresh tokens and access tokens stop working now. */
xyd_status models_session_logout(models_db *db, int64_t session_id, const char *jti,
				 int64_t jti_expires_unix, const models_audit *audit);

/* ---- users ---- */

xyd_status models_user_get(models_db *db, int64_t id, models_user *out);
/* Which users a list shows; NULL / -1 fields do not filter. */
typedef struct {
	const char *q;		/* part of the username or of the organisation's name */
	const char *role;
	int locked;		/* 1 locked, 0 not locked, -1 either */
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
	int64_t institution_id;	/* bank */
	int64_t park_id;	/* park */
} models_new_user;

/* XYD_CONFLICT when the username is taken. */
xyd_status models_user_create(models_db *db, const models_new_user *u, models_audit *audit,
			      int64_t *id);
/* True when any user exists with this role (start-up bootstrap). */
xyd_status models_user_role_exists(models_db *db, const char *role, bool *exists);
/* Locks (revoking every session) or unlocks (clearing failed-login locks). */
xyd_status models_user_set_locked(models_db *db, int64_t id, bool locked, const models_audit *audit);
/* The stored hash (malloc'd, free()) of a user. */
xyd_status models_user_password_hash(models_db *db, int64_t id, char **hash);
/* Stores a new hash and revokes every other session of the user. */
xyd_status models_user_set_password(models_db *db, int64_t id, const char *hash,
				    int64_t keep_session_id, const models_audit *audit);

/* ---- institutions ---- */

typedef struct {
	int64_t id;
	char name[801];
	char kind[16];
	char created_at[32];
} models_institution;

/* XYD_CONFLICT when the name is taken. */
xyd_status models_institution_create(models_db *db, const char *name, const char *kind,
				     models_audit *audit, models_institution *out);
xyd_status models_institution_get(models_db *db, int64_t id, models_institution *out);
xyd_status models_institution_list(models_db *db, int64_t after_id, int limit,
				   models_institution **rows, size_t *count, bool *more);

/* ---- enterprises ---- */

typedef struct {
	int64_t id;
	char uscc[19];
	char name[801];
	char legal_rep_name[401];
	char legal_rep_id_no[19];
	char phone[21];
	char industry[9];
	char town[33];
	int64_t park_id;	/* 0: none */
	int64_t registered_capital_fen;
	char founded_on[11];
	int64_t employees;
	int64_t annual_revenue_fen;
	char size_class[8];
	char created_at[32];
} models_enterprise;

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
