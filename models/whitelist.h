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

/* Status as read: the four stored ones plus expired. */
typedef enum {
	WL_NOMINATED,
	WL_APPROVED,
	WL_REJECTED,
	WL_REVOKED,
	WL_EXPIRED,
	WL_STATUS_COUNT
} models_wl_status;

/* "nominated" … "expired"; never NULL for a valid value. */
const char *models_wl_status_name(models_wl_status s);
/* The status named s; false for anything else (including NULL). */
bool models_wl_status_parse(const char *s, models_wl_status *out);

/* Default and bounds of an approval's validity, in days. */
#define WL_VALID_DAYS_DEFAULT 365
#define WL_VALID_DAYS_MIN 1
#define WL_VALID_DAYS_MAX 1095
/* Longest reason or decision reason, in characters. */
#define WL_REASON_MAX_CHARS 500

/* What a caller may see of the whitelist. */
typedef enum {
	WL_SEE_ALL,		/* bureau */
	WL_SEE_PARK,		/* park: entries of enterprises in park org_id */
	WL_SEE_ENTERPRISE,	/* sme: entries of enterprise org_id */
	WL_SEE_APPROVED		/* bank: approved and unexpired entries */
} models_wl_view;

typedef struct {
	models_wl_view view;
	int64_t org_id;		/* park id or enterprise id; 0 otherwise */
} models_wl_scope;

typedef struct {
	int64_t id;
	int64_t enterprise_id;
	char enterprise_name[201];
	int64_t enterprise_park_id;	/* 0: none */
	models_wl_status status;
	char nominated_by_role[8];
	char reason[2001];		/* 500 characters of up to 4 bytes */
	char valid_until[11];		/* "YYYY-MM-DD"; "" when none */
	char created_at[32];		/* RFC 3339 UTC */
	char decided_at[32];		/* "" when undecided */
	char decision_reason[2001];	/* "" when none */
} models_wl_entry;

/* ---- nominate ---- */

typedef struct {
	int64_t enterprise_id;
	const char *reason;
	const char *role;	/* sme, park or bureau */
	int64_t user_id;	/* the nominator */
	models_wl_scope scope;	/* what the nominator may see */
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
	int64_t user_id;	/* the bureau user deciding */
	int valid_days;		/* approve: WL_VALID_DAYS_MIN..MAX */
	const char *reason;	/* reject, revoke: the decision reason */
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
	models_wl_status status;	/* as read: expired selects expired only */
	int64_t enterprise_id;		/* 0: any */
	int64_t before_id;		/* cursor: entries with smaller ids; 0 first page */
	int limit;
} models_wl_filter;

/* Newest first. *rows is malloc'd (free()); *more when another page exists. */
xyd_status models_whitelist_list(models_db *db, const models_wl_filter *f,
				 models_wl_entry **rows, size_t *count, bool *more);

/*
 * For other files of models/ only: an SQL condition true when the
 * enterprise whose id is the SQL expression `ent` is on the whitelist now
 * (an approved entry with valid_until today or later, district calendar). Use as
 * MODELS_WL_APPROVED_NOW_SQL("e.id") inside a string literal.
 */
#define MODELS_WL_APPROVED_NOW_SQL(ent)                                                     \
	"EXISTS (SELECT 1 FROM whitelist_entries wl_now WHERE wl_now.enterprise_id = " ent   \
	" AND wl_now.status = 'approved' AND wl_now.valid_until >= " DB_DISTRICT_TODAY ")"

#endif
