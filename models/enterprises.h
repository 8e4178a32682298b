/*
 * Enterprises as the API shows them: the profile with its tags, latest
 * credit score and whitelist summary (one query); the list with its
 * visibility scope, filters and id cursor; the profile update; an
 * enterprise's consent that an institution may read its credit detail
 * (credit_authorizations); the credit detail and the records behind it;
 * and the access log, drawn from the audit rows of credit reads.
 *
 * Who may see what is decided in server/; this module answers the scoped
 * questions it is asked. Every change writes its audit row in the same
 * transaction, from a models_audit the caller fills.
 */
#ifndef XYD_MODELS_ENTERPRISES_H
#define XYD_MODELS_ENTERPRISES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/accounts.h"
#include "models/audit.h"
#include "models/db.h"
#include "models/reference.h"

/* ---- enterprises ---- */

/* Tag names in the order the enterprises.tags SET declares them. */
extern const char *const models_enterprise_tag_names[];
#define MODELS_ENTERPRISE_TAG_COUNT 5

typedef struct {
	models_enterprise e;		/* the profile (accounts.h) */
	char tags[96];			/* the SET as stored: "hi_tech,tech_sme"; "" for none */
	int64_t total_assets_fen;	/* -1: unknown */
	char updated_at[32];
	/* the latest score; scored false when the enterprise has none yet */
	bool scored;
	int score;
	char grade[2];
	bool dishonest_debtor;
	int broken_commitments;
	char model_version[33];
	/* the whitelist entry that speaks for the enterprise: an approved,
	 * unexpired one if any, else the newest; whitelist_id 0 when none */
	int64_t whitelist_id;
	char whitelist_status[12];	/* nominated approved rejected revoked expired */
	char whitelist_valid_until[11];	/* "" when none */
} models_enterprise_view;

/* One enterprise with its score and whitelist summary; XYD_NOT_FOUND when
 * there is none. */
xyd_status models_enterprise_view_get(models_db *db, int64_t id, models_enterprise_view *out);

typedef struct {
	/* scope: what the caller may see at all */
	int64_t scope_park_id;		/* > 0: only this park's enterprises */
	bool scope_whitelisted;		/* only those with an approved, unexpired entry */
	/* filters, all optional (NULL / 0) and already checked by the caller */
	const char *town;		/* a town code */
	int64_t park_id;
	const char *industry_prefix;	/* [A-Z][0-9]* */
	const char *grade;		/* "A" … "D" */
	const char *whitelist;		/* a whitelist_status above, or "none" */
	const char *q;			/* name contains q, or the USCC starts with it */
	/* page */
	int64_t after_id;		/* ids above this; 0 for the first page */
	int limit;			/* 1 … 500 */
} models_enterprise_filter;

/* The enterprises matching f, by id. *rows is malloc'd (free()); *more is
 * true when another page follows. */
xyd_status models_enterprise_list(models_db *db, const models_enterprise_filter *f,
				  models_enterprise_view **rows, size_t *count, bool *more);

/* The fields a PATCH may change; has_* says which are present. */
typedef struct {
	bool has_phone, has_employees, has_revenue, has_industry, has_town, has_park, has_tags;
	const char *phone;
	int64_t employees;
	int64_t annual_revenue_fen;
	const char *industry;
	const char *town;
	int64_t park_id;		/* 0: no park */
	const char *tags;		/* SET text: comma-separated tag names, "" for none */
	/* true when the enterprise itself asks: a move into another park then
	 * becomes a pending request (park_changes.h) instead of a change */
	bool park_by_request;
	int64_t user_id;		/* who asks (requests and cancellations) */
} models_enterprise_patch;

/* Applies p to enterprise id, recomputes its size class from ref (2011
 * classification) and stamps updated_at, with the audit row, in one
 * transaction; then fills *out. A park set directly (by the bureau, or the
 * enterprise leaving every park) cancels a pending park request; with
 * park_by_request, a move into another park files a request and the park
 * stays. XYD_NOT_FOUND when there is no such enterprise. */
xyd_status models_enterprise_update(models_db *db, const models_reference *ref, int64_t id,
				    const models_enterprise_patch *p, const models_audit *audit,
				    models_enterprise_view *out);

/* ---- consent to read credit detail ---- */

typedef struct {
	int64_t id;
	int64_t enterprise_id;
	int64_t institution_id;
	char institution_name[201];
	char source[12];		/* explicit, application */
	int64_t application_id;		/* 0: none */
	char granted_at[32];
	char expires_at[32];
	char revoked_at[32];		/* "" while not revoked */
	char status[8];			/* active, expired, revoked (as of now) */
} models_authorization;

/* An explicit grant by the enterprise (user granted_by) to institution_id
 * until expires_at ("YYYY-MM-DD HH:MM:SS[.ffffff]", UTC, in the future),
 * with its audit row (target_id set here) in one transaction. The caller
 * has checked that the institution exists. */
xyd_status models_authorization_grant(models_db *db, int64_t enterprise_id, int64_t institution_id,
				      int64_t granted_by, const char *expires_at, models_audit *audit,
				      models_authorization *out);

/*
 * The consent an application carries: submitting application_id to a
 * product of institution_id authorises that institution until expires_at
 * ("YYYY-MM-DD HH:MM:SS", UTC, in the future). Runs inside the caller's transaction, if
 * one is open, and writes no audit row: the application's own transition
 * row records it. Idempotent per (application, institution): a live grant
 * for the pair is extended to the later expiry instead of doubled. *id
 * (may be NULL) receives the authorisation's id.
 */
xyd_status models_authorization_grant_for_application(models_db *db, int64_t enterprise_id,
						      int64_t institution_id, int64_t application_id,
						      int64_t granted_by, const char *expires_at,
						      int64_t *id);

/* The live authorisation (not revoked, not expired, of either source)
 * institution_id holds for enterprise_id, the one lasting longest:
 * XYD_OK with *id, or XYD_NOT_FOUND. */
xyd_status models_authorization_find_live(models_db *db, int64_t enterprise_id,
					  int64_t institution_id, int64_t *id);

xyd_status models_authorization_get(models_db *db, int64_t id, models_authorization *out);

/* The enterprise's authorisations, newest first, ids below before_id (0:
 * from the newest). *rows malloc'd (free()). */
xyd_status models_authorization_list(models_db *db, int64_t enterprise_id, int64_t before_id,
				     int limit, models_authorization **rows, size_t *count,
				     bool *more);

/* Revokes authorisation id of enterprise_id now, with its audit row.
 * XYD_NOT_FOUND when the enterprise has no such authorisation. Revoking a
 * revoked one changes nothing and writes no row (*changed false). */
xyd_status models_authorization_revoke(models_db *db, int64_t enterprise_id, int64_t id,
				       const models_audit *audit, bool *changed);

/* ---- credit detail ---- */

typedef struct {
	int64_t enterprise_id;
	int score;
	char grade[2];
	char model_version[33];
	char computed_at[32];
	bool dishonest_debtor;
	int broken_commitments;
	char *factors_json;		/* as the credit service stored it; malloc'd */
} models_enterprise_credit;

/* The stored score of enterprise_id; XYD_NOT_FOUND when it has none.
 * Release with models_enterprise_credit_release. */
xyd_status models_enterprise_credit_get(models_db *db, int64_t enterprise_id,
					models_enterprise_credit *out);
void models_enterprise_credit_release(models_enterprise_credit *c);

typedef struct {
	int64_t id;
	char category[24];
	char *value_json;		/* malloc'd */
	char source_dept[65];
	char source_record_id[65];
	char observed_on[11];
	char expires_on[11];		/* "" when it never lapses */
	bool minor_party;
	bool force_majeure;
	char created_at[32];
} models_credit_record_row;

/* The enterprise's credit records by id, ids above after_id. Release the
 * rows with models_credit_record_rows_free. */
xyd_status models_enterprise_credit_records(models_db *db, int64_t enterprise_id, int64_t after_id,
					    int limit, models_credit_record_row **rows,
					    size_t *count, bool *more);
void models_credit_record_rows_free(models_credit_record_row *rows, size_t count);

/* ---- access log ---- */

/* The audit detail of a credit read that relied on authorisation id is
 * "authorization=<id>"; one by role is "role=<role>". */
#define MODELS_AUDIT_AUTHORIZATION_PREFIX "authorization="

typedef struct {
	int64_t id;			/* the audit row */
	char at[32];
	char actor_role[17];
	int64_t org_id;			/* the reader's institution or park; 0: none */
	char org_name[201];
	char action[65];
	int64_t authorization_id;	/* 0: read by role, not by consent */
} models_access_log_row;

/* Who read enterprise_id's credit detail or records, newest first, audit
 * ids below before_id (0: from the newest). *rows malloc'd (free()). */
xyd_status models_enterprise_access_log(models_db *db, int64_t enterprise_id, int64_t before_id,
					int limit, models_access_log_row **rows, size_t *count,
					bool *more);

#endif
