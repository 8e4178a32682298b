/*
 * The financing whitelist (融资需求企业白名单): an enterprise is nominated
 * (by itself, its park or the bureau), then approved or rejected by the
 * bureau; an approved entry is valid through valid_until and may be revoked.
 *
 *   nominated --approve--> approved --revoke--> revoked
 *   nominated --reject---> rejected
 *
 * "expired" is never stored: an approved entry whose valid_until is before
 * today (the district's calendar, UTC+8) reads expired, computed in SQL at
 * every read, so expiry is exact to the day with no job at midnight. An expired entry takes no
 * transition. At most one entry of an enterprise is live (nominated, or
 * approved and unexpired); nominations of one enterprise are serialized
 * on its enterprises row.
 *
 * Every transition writes its audit row in the same transaction; the
 * caller fills the models_audit (status = the success status it will
 * answer) and the model sets target_id.
 */
#ifndef XYD_MODELS_WHITELIST_H
#define XYD_MODELS_WHITELIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/audit.h"
#include "models/db.h"
#include "models/enum_names.h"
#include "models/record.h"

/* Status as read: the four stored ones plus expired. */
typedef enum {
	WL_NOMINATED,
	WL_APPROVED,
	WL_REJECTED,
	WL_REVOKED,
	WL_EXPIRED,
	WL_STATUS_COUNT
} models_wl_status;

/* "nominated" … "expired"; the status named s (false for anything else). */
MODELS_ENUM_NAMES_DECLARE(models_wl_status, models_wl_status);

/* Default and bounds of an approval's validity, in days. */
#define WL_VALID_DAYS_DEFAULT 365
#define WL_VALID_DAYS_MIN 1
#define WL_VALID_DAYS_MAX 1095
/* Longest reason or decision reason, in characters. */
#define WL_REASON_MAX_CHARS 500

/* What a caller may see of the whitelist. */
typedef enum {
	WL_SEE_ALL,	   /* bureau */
	WL_SEE_PARK,	   /* park: entries of enterprises in park org_id */
	WL_SEE_ENTERPRISE, /* sme: entries of enterprise org_id */
	WL_SEE_APPROVED	   /* bank: approved and unexpired entries */
} models_wl_view;

typedef struct {
	models_wl_view view;
	int64_t org_id; /* park id or enterprise id; 0 otherwise */
} models_wl_scope;

/* enterprise_park_id 0: none; status as read (models_wl_status_name of
 * state); reasons 500 characters of up to 4 bytes; valid_until
 * "YYYY-MM-DD", "" when none; times RFC 3339 UTC, decided_at "" when
 * undecided; decision_reason "" when none. */
#define MODELS_WL_ENTRY_FIELDS(X)                                                                  \
	X(I64, id, 0, "w.id")                                                                      \
	X(I64, enterprise_id, 0, "w.enterprise_id")                                                \
	X(TEXT, enterprise_name, 201, "e.name")                                                    \
	X(I64_INTERNAL, enterprise_park_id, 0, "e.park_id")                                        \
	X(TEXT, status, 12, MODELS_WL_STATUS_AS_READ_SQL("w"))                                     \
	X(TEXT, nominated_by_role, 8, "w.nominated_by_role")                                       \
	X(TEXT, reason, 2001, "w.reason")                                                          \
	X(OPT_TEXT, valid_until, 11, "DATE_FORMAT(w.valid_until, '%Y-%m-%d')")                     \
	X(TEXT, created_at, 32, REC_RFC3339("w.created_at"))                                       \
	X(OPT_TEXT, decided_at, 32, REC_RFC3339("w.decided_at"))                                   \
	X(OPT_TEXT, decision_reason, 2001, "w.decision_reason")
typedef struct {
	MODELS_WL_ENTRY_FIELDS(REC_MEMBER)
	models_wl_status state; /* status, parsed */
} models_wl_entry;
REC_TYPE_DECLARE(models_wl_entry);

/* ---- nominate ---- */

typedef struct {
	int64_t enterprise_id;
	const char *reason;
	const char *role;      /* sme, park or bureau */
	int64_t user_id;       /* the nominator */
	models_wl_scope scope; /* what the nominator may see */
} models_wl_nomination;

/*
 * Creates a nominated entry. Locks the enterprise row, so of concurrent
 * nominations of one enterprise exactly one can succeed.
 * XYD_NOT_FOUND: no such enterprise, or the scope does not show it.
 * XYD_CONFLICT: a live entry exists; *live_id names it.
 * XYD_OK: *out holds the new entry.
 */
xyd_status models_whitelist_nominate(models_db *db, const models_wl_nomination *n,
				     models_audit *audit, models_wl_entry *out, int64_t *live_id);

/* ---- decide ---- */

typedef enum { WL_DO_APPROVE, WL_DO_REJECT, WL_DO_REVOKE } models_wl_action;

/* Why an approval was refused with XYD_NOT_ELIGIBLE. */
typedef enum {
	WL_ELIGIBLE,
	WL_INELIGIBLE_NO_SCORE,
	WL_INELIGIBLE_DISHONEST_DEBTOR,
	WL_INELIGIBLE_GRADE_D
} models_wl_eligibility;

typedef struct {
	models_wl_action action;
	int64_t user_id;    /* the bureau user deciding */
	int valid_days;	    /* approve: WL_VALID_DAYS_MIN..MAX */
	const char *reason; /* reject, revoke: the decision reason */
} models_wl_decision;

/*
 * Applies d to entry id (locked FOR UPDATE for the whole transaction). An
 * approval checks, in the same transaction, that the enterprise has a
 * score, no dishonest-debtor record and a grade better than D, and sets
 * valid_until to today (the district's calendar) + valid_days.
 * XYD_NOT_FOUND: no such entry.
 * XYD_INVALID_STATE: the action is not legal from the entry's status;
 *   *out holds the entry as it is.
 * XYD_NOT_ELIGIBLE: *why says which rule failed; *out holds the entry.
 * XYD_OK: *out holds the entry after the change.
 * why may be NULL.
 */
xyd_status models_whitelist_decide(models_db *db, int64_t id, const models_wl_decision *d,
				   models_audit *audit, models_wl_entry *out,
				   models_wl_eligibility *why);

/* ---- read ---- */

/* Entry id if scope shows it, else XYD_NOT_FOUND. */
xyd_status models_whitelist_get(models_db *db, int64_t id, const models_wl_scope *scope,
				models_wl_entry *out);

typedef struct {
	models_wl_scope scope;
	bool has_status;
	models_wl_status status; /* as read: expired selects expired only */
	int64_t enterprise_id;	 /* 0: any */
	int64_t before_id;	 /* cursor: entries with smaller ids; 0 first page */
	int limit;
} models_wl_filter;

/* Newest first. *rows is malloc'd (free(), also on failure); *more when
 * another page exists. */
xyd_status models_whitelist_list(models_db *db, const models_wl_filter *f, models_wl_entry **rows,
				 size_t *count, bool *more);

/*
 * For the files of models/ only: the SQL text of the status of entry w (a
 * table alias, as a string literal) as read: an approved entry past its
 * valid_until (district calendar) is 'expired'.
 */
#define MODELS_WL_STATUS_AS_READ_SQL(w)                                                            \
	"IF(" w ".status = 'approved' AND " w ".valid_until < " DB_DISTRICT_TODAY                  \
	", 'expired', " w ".status)"

/*
 * For other files of models/ only: an SQL condition true when the
 * enterprise whose id is the SQL expression `ent` is on the whitelist now
 * (an approved entry with valid_until today or later, district calendar). Use as
 * MODELS_WL_APPROVED_NOW_SQL("e.id") inside a string literal.
 */
#define MODELS_WL_APPROVED_NOW_SQL(ent)                                                            \
	"EXISTS (SELECT 1 FROM whitelist_entries wl_now WHERE wl_now.enterprise_id = " ent         \
	" AND wl_now.status = 'approved' AND wl_now.valid_until >= " DB_DISTRICT_TODAY ")"

#endif
