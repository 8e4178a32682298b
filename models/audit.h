/*
 * The audit log: who (actor, role), did what (action), to which target,
 * from where, with what outcome (the HTTP status). Written in the same
 * transaction as the change it records; never updated or deleted (the
 * table's triggers refuse both).
 */
#ifndef XYD_MODELS_AUDIT_H
#define XYD_MODELS_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/db.h"

typedef struct {
	int64_t actor_id;	/* 0: anonymous */
	const char *role;	/* "anonymous" when nobody is logged in */
	const char *action;	/* "auth.login", "user.create" … */
	const char *target_type;	/* may be NULL */
	char target_id[64];	/* "" for none; filled by the model that creates the target */
	const char *ip;
	int status;		/* the HTTP status the request answers */
	const char *request_id;
	const char *detail;	/* short, never personal data or secrets; may be NULL */
} models_audit;

/* Appends one row (inside the caller's transaction, if any). */
xyd_status models_audit_write(models_db *db, const models_audit *entry);

typedef struct {
	int64_t actor_id;	/* 0: any */
	const char *action, *target_type, *target_id;	/* NULL: any */
	const char *from, *to;	/* "YYYY-MM-DD HH:MM:SS" bounds, NULL: open */
	int64_t before_id;	/* cursor: rows with smaller ids; 0 for the first page */
	int limit;
} models_audit_filter;

typedef struct {
	int64_t id;
	char at[32];
	int64_t actor_id;	/* 0: anonymous */
	char role[17];
	char action[65];
	char target_type[33];
	char target_id[65];
	char ip[46];
	int status;
} models_audit_row;

/* Newest first. *rows is malloc'd (free()); *more is true when another page exists. */
xyd_status models_audit_list(models_db *db, const models_audit_filter *filter,
			     models_audit_row **rows, size_t *count, bool *more);

#endif
