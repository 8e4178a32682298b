/*
 * The audit log: who (actor, role), did what (action), to which target,
 * from where, with what outcome (the HTTP status). Written in the same
 * transaction as the change it records; never updated or deleted (the
 * table's triggers refuse both). Tamper-evident: each row is chained to the
 * one before by SHA-256 (migrations/0011), so an edit or a deletion made
 * around the triggers shows in models_audit_verify.
 */
#ifndef XYD_MODELS_AUDIT_H
#define XYD_MODELS_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/db.h"
#include "models/record.h"

typedef struct {
	int64_t actor_id;	 /* 0: anonymous */
	const char *role;	 /* "anonymous" when nobody is logged in */
	const char *action;	 /* "auth.login", "user.create" … */
	const char *target_type; /* may be NULL */
	char target_id[64];	 /* "" for none; filled by the model that creates the target */
	const char *ip;
	int status; /* the HTTP status the request answers */
	const char *request_id;
	const char *detail; /* short, never personal data or secrets; may be NULL */
} models_audit;

/* Appends one row, chained: inside the caller's transaction if one is open
 * (the chain's head stays locked until it ends, so keep audit writes late in
 * a transaction), else in a transaction of its own. */
xyd_status models_audit_write(models_db *db, const models_audit *entry);
/* models_audit_write of entry with its target_id set to the number id:
 * the row of a change to the target a model just created or changed. */
xyd_status models_audit_write_id(models_db *db, models_audit *entry, int64_t id);

/* Chains the rows written before migration 0011 (its startup task
 * "audit_chain"); a no-op once done. *count receives the rows chained. */
xyd_status models_audit_chain_legacy(models_db *db, size_t *count);

/* The outcome of walking the chain: ok when every row up to the chain's
 * head hashes to what is stored and links to the row before, and no row
 * after the head was written around the chain. */
typedef struct {
	bool ok;
	uint64_t rows;	      /* rows checked (through the first bad one) */
	int64_t first_bad_id; /* 0 when ok; else the first row that does not
				 * hold: edited, or the row after a deleted one,
				 * or the head's row when the last was deleted */
} models_audit_verdict;

/* Walks the whole log in id order, a page at a time (bounded memory). */
xyd_status models_audit_verify(models_db *db, models_audit_verdict *out);

typedef struct {
	int64_t actor_id;			      /* 0: any */
	const char *action, *target_type, *target_id; /* NULL: any */
	const char *from, *to;			      /* "YYYY-MM-DD HH:MM:SS" bounds, NULL: open */
	int64_t before_id; /* cursor: rows with smaller ids; 0 for the first page */
	int limit;
} models_audit_filter;

/* A row as the auditor reads it: actor_id 0 (null) when anonymous,
 * target_type / target_id "" (null) for none. */
#define MODELS_AUDIT_ROW_FIELDS(X)                                                                 \
	X(I64, id, 0, "id")                                                                        \
	X(TEXT, at, 32, REC_RFC3339("at"))                                                         \
	X(ID, actor_id, 0, "actor_id")                                                             \
	X(TEXT, role, 17, "role")                                                                  \
	X(TEXT, action, 65, "action")                                                              \
	X(OPT_TEXT, target_type, 33, "target_type")                                                \
	X(OPT_TEXT, target_id, 65, "target_id")                                                    \
	X(TEXT, ip, 46, "ip")                                                                      \
	X(INT, status, 0, "status")
typedef struct {
	MODELS_AUDIT_ROW_FIELDS(REC_MEMBER)
} models_audit_row;
REC_TYPE_DECLARE(models_audit_row);

/* Newest first. *rows is malloc'd (free()); *more is true when another page exists. */
xyd_status models_audit_list(models_db *db, const models_audit_filter *filter,
			     models_audit_row **rows, size_t *count, bool *more);

#endif
