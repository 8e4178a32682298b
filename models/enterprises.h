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
#include "models/record.h"
#include "models/reference.h"
#include "models/whitelist.h"
#include "scoring/scorecard.h"

/* ---- enterprises ---- */

/* Tag names in the order the enterprises.tags SET declares them. */
extern const char *const models_enterprise_tag_names[];
#define MODELS_ENTERPRISE_TAG_COUNT 5

/*
 * The profile as every audience sees it, then what is masked or nested by
 * hand (json_out.c): the ID number and phone (masked but for the
 * enterprise itself and the bureau), tags, the latest score (scored 0 when
 * the enterprise has none yet) and the whitelist entry that speaks for the
 * enterprise: an approved, unexpired one if any, else the newest
 * (whitelist_id 0 when none; whitelist_status nominated approved rejected
 * revoked expired; whitelist_valid_until "" when none). Texts: 200
 * characters of up to 4 bytes; times RFC 3339 UTC; park_id 0: none.
 */
#define MODELS_ENTERPRISE_VIEW_FIELDS(X)                                                           \
	X(I64, id, 0, "e.id")                                                                      \
	X(TEXT, uscc, 19, "e.uscc")                                                                \
	X(TEXT, name, 801, "e.name")                                                               \
	X(TEXT, legal_rep_name, 401, "e.legal_rep_name")                                           \
	X(TEXT_INTERNAL, legal_rep_id_no, 19, "e.legal_rep_id_no")                                 \
	X(TEXT_INTERNAL, phone, 21, "e.phone")                                                     \
	X(TEXT, industry, 9, "e.industry")                                                         \
	X(TEXT, town, 33, "e.town")                                                                \
	X(ID, park_id, 0, "e.park_id")                                                             \
	X(I64, registered_capital_fen, 0, "e.registered_capital_fen")                              \
	X(TEXT, founded_on, 11, "DATE_FORMAT(e.founded_on, '%Y-%m-%d')")                           \
	X(I64, employees, 0, "e.employees")                                                        \
	X(I64, annual_revenue_fen, 0, "e.annual_revenue_fen")                                      \
	X(TEXT, size_class, 8, "e.size_class")                                                     \
	X(TEXT, created_at, 32, REC_RFC3339("e.created_at"))                                       \
	X(TEXT_INTERNAL, tags, 96, "e.tags")                                                       \
	X(TEXT_INTERNAL, updated_at, 32, REC_RFC3339("e.updated_at"))                              \
	X(INT_INTERNAL, scored, 0, "s.score IS NOT NULL")                                          \
	X(INT_INTERNAL, score, 0, "s.score")                                                       \
	X(TEXT_INTERNAL, grade, 2, "s.grade")                                                      \
	X(INT_INTERNAL, dishonest_debtor, 0, "s.dishonest_debtor")                                 \
	X(INT_INTERNAL, broken_commitments, 0, "s.broken_commitments")                             \
	X(TEXT_INTERNAL, model_version, 33, "s.model_version")                                     \
	X(I64_INTERNAL, whitelist_id, 0, "w.id")                                                   \
	X(TEXT_INTERNAL, whitelist_status, 12, MODELS_WL_STATUS_AS_READ_SQL("w"))                  \
	X(TEXT_INTERNAL, whitelist_valid_until, 11, "DATE_FORMAT(w.valid_until, '%Y-%m-%d')")
typedef struct {
	MODELS_ENTERPRISE_VIEW_FIELDS(REC_MEMBER)
} models_enterprise_view;
REC_TYPE_DECLARE(models_enterprise_view);

/* One enterprise with its score and whitelist summary; XYD_NOT_FOUND when
 * there is none. */
xyd_status models_enterprise_view_get(models_db *db, int64_t id, models_enterprise_view *out);

typedef struct {
	/* scope: what the caller may see at all */
	int64_t scope_park_id;	/* > 0: only this park's enterprises */
	bool scope_whitelisted; /* only those with an approved, unexpired entry */
	/* filters, all optional (NULL / 0) and already checked by the caller */
	const char *town; /* a town code */
	int64_t park_id;
	const char *industry_prefix; /* [A-Z][0-9]* */
	const char *grade;	     /* "A" … "D" */
	const char *whitelist;	     /* a whitelist_status above, or "none" */
	const char *q;		     /* name contains q, or the USCC starts with it */
	/* page */
	int64_t after_id; /* ids above this; 0 for the first page */
	int limit;	  /* 1 … 500 */
} models_enterprise_filter;

/* The enterprises matching f, by id. *rows is malloc'd (free(), also on
 * failure); *more is true when another page follows. */
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
	int64_t park_id;  /* 0: no park */
	const char *tags; /* SET text: comma-separated tag names, "" for none */
	/* true when the enterprise itself asks: a move into another park then
	 * becomes a pending request (park_changes.h) instead of a change */
	bool park_by_request;
	int64_t user_id; /* who asks (requests and cancellations) */
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

/* source: explicit, application; application_id 0: none; revoked_at ""
 * while not revoked; status as of now: active, expired, revoked. */
#define MODELS_AUTHORIZATION_FIELDS(X)                                                             \
	X(I64, id, 0, "a.id")                                                                      \
	X(I64, enterprise_id, 0, "a.enterprise_id")                                                \
	X(I64, institution_id, 0, "a.institution_id")                                              \
	X(TEXT, institution_name, 201, "i.name")                                                   \
	X(TEXT, source, 12, "a.source")                                                            \
	X(ID, application_id, 0, "a.application_id")                                               \
	X(TEXT, granted_at, 32, REC_RFC3339("a.granted_at"))                                       \
	X(TEXT, expires_at, 32, REC_RFC3339("a.expires_at"))                                       \
	X(OPT_TEXT, revoked_at, 32, REC_RFC3339("a.revoked_at"))                                   \
	X(TEXT, status, 8,                                                                         \
	  "IF(a.revoked_at IS NOT NULL, 'revoked',"                                                \
	  " IF(a.expires_at <= UTC_TIMESTAMP(6), 'expired', 'active'))")
typedef struct {
	MODELS_AUTHORIZATION_FIELDS(REC_MEMBER)
} models_authorization;
REC_TYPE_DECLARE(models_authorization);

/* An explicit grant by the enterprise (user granted_by) to institution_id
 * until expires_at ("YYYY-MM-DD HH:MM:SS[.ffffff]", UTC, in the future),
 * with its audit row (target_id set here) in one transaction. The caller
 * has checked that the institution exists. */
xyd_status models_authorization_grant(models_db *db, int64_t enterprise_id, int64_t institution_id,
				      int64_t granted_by, const char *expires_at,
				      models_audit *audit, models_authorization *out);

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
						      int64_t institution_id,
						      int64_t application_id, int64_t granted_by,
						      const char *expires_at, int64_t *id);

/* The live authorisation (not revoked, not expired, of either source)
 * institution_id holds for enterprise_id, the one lasting longest:
 * XYD_OK with *id, or XYD_NOT_FOUND. */
xyd_status models_authorization_find_live(models_db *db, int64_t enterprise_id,
					  int64_t institution_id, int64_t *id);

xyd_status models_authorization_get(models_db *db, int64_t id, models_authorization *out);

/* The enterprise's authorisations, newest first, ids below before_id (0:
 * from the newest). *rows malloc'd (free(), also on failure). */
xyd_status models_authorization_list(models_db *db, int64_t enterprise_id, int64_t before_id,
				     int limit, models_authorization **rows, size_t *count,
				     bool *more);

/* Revokes authorisation id of enterprise_id now, with its audit row.
 * XYD_NOT_FOUND when the enterprise has no such authorisation. Revoking a
 * revoked one changes nothing and writes no row (*changed false). */
xyd_status models_authorization_revoke(models_db *db, int64_t enterprise_id, int64_t id,
				       const models_audit *audit, bool *changed);

/* ---- credit detail ---- */

/* The most bytes of the factors array the scorer writes
 * (services/credit_service.c): each factor's texts at their longest with
 * every byte escaped as \u00XX, its evidence ids at 20 digits, and 160
 * for its keys, name and numbers. */
#define MODELS_CREDIT_FACTORS_MAX_BYTES                                                            \
	(SCORING_FACTOR_COUNT * (6 * (SCORING_DETAIL_MAX + SCORING_DETAIL_ZH_MAX) +                \
				 21 * SCORING_EVIDENCE_MAX + 160) +                                \
	 3)

/* factors_json as the credit service stored it (a JSON array); the flags
 * are shown nested. About 100 KiB: keep one on the heap. */
#define MODELS_ENTERPRISE_CREDIT_FIELDS(X)                                                         \
	X(I64, enterprise_id, 0, "enterprise_id")                                                  \
	X(INT, score, 0, "score")                                                                  \
	X(TEXT, grade, 2, "grade")                                                                 \
	X(TEXT, model_version, 33, "model_version")                                                \
	X(TEXT, computed_at, 32, REC_RFC3339("computed_at"))                                       \
	X(INT_INTERNAL, dishonest_debtor, 0, "dishonest_debtor")                                   \
	X(INT_INTERNAL, broken_commitments, 0, "broken_commitments")                               \
	X(TEXT_INTERNAL, factors_json, MODELS_CREDIT_FACTORS_MAX_BYTES, "factors_json")
typedef struct {
	MODELS_ENTERPRISE_CREDIT_FIELDS(REC_MEMBER)
} models_enterprise_credit;
REC_TYPE_DECLARE(models_enterprise_credit);

/* The stored score of enterprise_id; XYD_NOT_FOUND when it has none. */
xyd_status models_enterprise_credit_get(models_db *db, int64_t enterprise_id,
					models_enterprise_credit *out);

/* credit_records.value_json is a VARCHAR(4096) of utf8mb4: 4 bytes a character at most. */
#define MODELS_CREDIT_VALUE_MAX_BYTES (4096 * 4 + 1)

/* One stored credit record; value_json (a JSON object) is written nested,
 * by hand; expires_on is "" (null) when it never lapses. */
#define MODELS_CREDIT_RECORD_FIELDS(X)                                                             \
	X(I64, id, 0, "id")                                                                        \
	X(TEXT, category, 24, "category")                                                          \
	X(TEXT_INTERNAL, value_json, MODELS_CREDIT_VALUE_MAX_BYTES, "value_json")                  \
	X(TEXT, source_dept, 65, "source_dept")                                                    \
	X(TEXT, source_record_id, 65, "source_record_id")                                          \
	X(TEXT, observed_on, 11, "DATE_FORMAT(observed_on, '%Y-%m-%d')")                           \
	X(OPT_TEXT, expires_on, 11, "DATE_FORMAT(expires_on, '%Y-%m-%d')")                         \
	X(BOOL, minor_party, 0, "minor_party")                                                     \
	X(BOOL, force_majeure, 0, "force_majeure")                                                 \
	X(TEXT, created_at, 32, REC_RFC3339("created_at"))
typedef struct {
	MODELS_CREDIT_RECORD_FIELDS(REC_MEMBER)
} models_credit_record_row;
REC_TYPE_DECLARE(models_credit_record_row);

/* The enterprise's credit records by id, ids above after_id: the cursor
 * pager (db_get_page's *rows: free()). */
xyd_status models_enterprise_credit_records(models_db *db, int64_t enterprise_id, int64_t after_id,
					    int limit, models_credit_record_row **rows,
					    size_t *count, bool *more);

/* ---- access log ---- */

/* The audit detail of a credit read that relied on authorisation id is
 * "authorization=<id>"; one by role is "role=<role>". */
#define MODELS_AUDIT_AUTHORIZATION_PREFIX "authorization="

/* id: the audit row's; org_id / org_name: the reader's institution or park
 * (0 / "": none); authorization_id 0: read by role, not by consent. */
#define MODELS_ACCESS_LOG_FIELDS(X)                                                                \
	X(I64, id, 0, "a.id")                                                                      \
	X(TEXT, at, 32, REC_RFC3339("a.at"))                                                       \
	X(TEXT, actor_role, 17, "a.role")                                                          \
	X(ID, org_id, 0, "COALESCE(u.institution_id, u.park_id)")                                  \
	X(OPT_TEXT, org_name, 201, "COALESCE(i.name, p.name)")                                     \
	X(TEXT, action, 65, "a.action")                                                            \
	X(ID, authorization_id, 0,                                                                 \
	  "IF(a.detail LIKE '" MODELS_AUDIT_AUTHORIZATION_PREFIX "%',"                             \
	  " CAST(SUBSTRING(a.detail, 15) AS UNSIGNED), 0)")
typedef struct {
	MODELS_ACCESS_LOG_FIELDS(REC_MEMBER)
} models_access_log_row;
REC_TYPE_DECLARE(models_access_log_row);

/* Who read enterprise_id's credit detail or records, newest first, audit
 * ids below before_id (0: from the newest). *rows malloc'd (free(), also
 * on failure). */
xyd_status models_enterprise_access_log(models_db *db, int64_t enterprise_id, int64_t before_id,
					int limit, models_access_log_row **rows, size_t *count,
					bool *more);

#endif
