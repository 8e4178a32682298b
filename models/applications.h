/*
 * Applications (融资需求), their timeline, and the public-holiday calendar
 * that times a bank's answer (the loans disbursement creates: models/loans.h).
 *
 *   submitted --> pending_bank --> accepted --> approved --> disbursed
 *   submitted, pending_bank, accepted --> withdrawn   (the enterprise)
 *   pending_bank, accepted --> rejected                (the bank)
 *   submitted, pending_bank --> expired                (by the calendar: models_application_expire_due)
 *
 * Each change locks the application row, checks the move against the one
 * table of legal transitions, and writes in one transaction: the row, an
 * application_events row (the timeline), the audit row and a notification
 * to the enterprise. The *_tx functions run inside the caller's open
 * transaction (models_idempotent_transaction in models/idempotency.h opens
 * one, with or without an Idempotency-Key) and commit nothing themselves.
 *
 * Who may see or change an application is a models_app_scope the caller
 * builds from the role; anything outside it is XYD_NOT_FOUND, exactly as
 * an application that does not exist.
 */
#ifndef XYD_MODELS_APPLICATIONS_H
#define XYD_MODELS_APPLICATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/audit.h"
#include "models/db.h"
#include "models/enum_names.h"
#include "models/record.h"
#include "models/scope.h"

#define APP_PURPOSE_MAX_CHARS 500
#define APP_REASON_MAX_CHARS 500
#define APP_AUTHORIZED_MAX 20	    /* authorized_institution_ids per application */
#define APP_TIMELINE_MAX 8	    /* a path through the states has at most 5 */
#define APP_RESPONSE_WORKING_DAYS 3 /* a bank's answer is due this many working days after submit */
#define APP_CONSENT_DAYS 180	    /* an application's consent lasts this long */
#define APP_DISTRICT_UTC_OFFSET_S (8 * 3600) /* the district's calendar is UTC+8 */
/* A demand never sent to a product expires this many days after it was made;
 * one a bank never answered, this many days after its response deadline (it
 * still counts as an overdue response in the statistics). */
#define APP_SUBMITTED_EXPIRY_DAYS 30
#define APP_PENDING_EXPIRY_DAYS 30
#define APP_EXPIRY_BATCH_MAX 500 /* applications expired per call, at most */

typedef enum {
	APP_SUBMITTED,
	APP_PENDING_BANK,
	APP_ACCEPTED,
	APP_APPROVED,
	APP_DISBURSED,
	APP_REJECTED,
	APP_WITHDRAWN,
	APP_EXPIRED,
	APP_STATUS_COUNT
} models_app_status;

/* "submitted" … "expired"; the status named s (false for anything else). */
MODELS_ENUM_NAMES_DECLARE(models_app_status, models_app_status);
/* The one table of legal moves (see the diagram above). */
bool models_app_transition_legal(models_app_status from, models_app_status to);

typedef struct {
	models_app_status status;
	char at[32]; /* RFC 3339 UTC, microseconds */
	char by_role[17];
} models_app_event;

/*
 * An application. Ids 0 and texts "" are null in JSON: product_id,
 * product_name, institution_id, institution_name, pending_since and
 * response_due_at until submitted to a product; approved_amount_fen until
 * approved; reject_reason unless rejected; loan_id until disbursed.
 * Times RFC 3339 UTC with microseconds; overdue: pending_bank past
 * response_due_at; approved_on: the district date of approval ("" until
 * approved); purpose 500 characters of up to 4 bytes; collateral none
 * property ip equipment receivables. The status (read as status_name), the
 * approved rate and term (null until approved), the authorised
 * institutions and the timeline are shown by hand.
 */
#define MODELS_APPLICATION_FIELDS(X)                                                               \
	X(I64, id, 0, "a.id")                                                                      \
	X(I64, enterprise_id, 0, "a.enterprise_id")                                                \
	X(TEXT, enterprise_name, 801, "e.name")                                                    \
	X(I64_INTERNAL, enterprise_park_id, 0, "e.park_id")                                        \
	X(ID, product_id, 0, "a.product_id")                                                       \
	X(OPT_TEXT, product_name, 801, "p.name")                                                   \
	X(ID, institution_id, 0, "a.institution_id")                                               \
	X(OPT_TEXT, institution_name, 801, "i.name")                                               \
	X(TEXT_INTERNAL, status_name, 16, "a.status")                                              \
	X(I64, amount_fen, 0, "a.amount_fen")                                                      \
	X(INT, term_months, 0, "a.term_months")                                                    \
	X(TEXT, purpose, 2001, "a.purpose")                                                        \
	X(TEXT, collateral, 12, "a.collateral")                                                    \
	X(BOOL, first_bank_loan, 0, "a.first_bank_loan")                                           \
	X(OPT_TEXT, pending_since, 32, "DATE_FORMAT(a.pending_since, '%Y-%m-%dT%H:%i:%s.%fZ')")    \
	X(OPT_TEXT, response_due_at, 32,                                                           \
	  "DATE_FORMAT(a.response_due_at, '%Y-%m-%dT%H:%i:%s.%fZ')")                               \
	X(BOOL, overdue, 0,                                                                        \
	  "(a.status = 'pending_bank' AND a.response_due_at < UTC_TIMESTAMP(6))")                  \
	X(ID, approved_amount_fen, 0, "a.approved_amount_fen")                                     \
	X(INT_INTERNAL, approved_rate_bps, 0, "a.approved_rate_bps")                               \
	X(INT_INTERNAL, approved_term_months, 0, "a.approved_term_months")                         \
	X(TEXT_INTERNAL, approved_on, 11, APP_APPROVED_ON_SQL)                                     \
	X(OPT_TEXT, reject_reason, 2001, "a.reject_reason")                                        \
	X(ID, loan_id, 0, "(SELECT l.id FROM loans l WHERE l.application_id = a.id)")              \
	X(I64_INTERNAL, created_by, 0, "a.created_by")                                             \
	X(TEXT, created_at, 32, "DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%s.%fZ')")              \
	X(TEXT, updated_at, 32, "DATE_FORMAT(a.updated_at, '%Y-%m-%dT%H:%i:%s.%fZ')")
typedef struct {
	MODELS_APPLICATION_FIELDS(REC_MEMBER)
	models_app_status status; /* status_name parsed */
	int64_t authorized_institution_ids[APP_AUTHORIZED_MAX];
	size_t n_authorized;
	models_app_event timeline[APP_TIMELINE_MAX]; /* oldest first */
	size_t n_timeline;
} models_application;
REC_TYPE_DECLARE(models_application);

/* Application id, whoever may see it (for the matching service and
 * pairing). XYD_NOT_FOUND when there is none. */
xyd_status models_application_get(models_db *db, int64_t id, models_application *out);
/* The same within scope: XYD_NOT_FOUND outside it. */
xyd_status models_application_get_scoped(models_db *db, int64_t id, const models_app_scope *scope,
					 models_application *out);

typedef struct {
	models_app_scope scope;
	bool has_status;
	models_app_status status;
	bool overdue_only;
	int64_t before_id; /* cursor: ids below this; 0 for the first page */
	int limit;	   /* 1..500 */
} models_app_filter;

/* Newest first, each with its timeline and authorised institutions.
 * *rows malloc'd (free()); *more when another page follows. */
xyd_status models_application_list(models_db *db, const models_app_filter *f,
				   models_application **rows, size_t *count, bool *more);

/* ---- changes (inside the caller's transaction) ---- */

typedef struct {
	int64_t enterprise_id;
	int64_t user_id; /* the sme user filing it */
	int64_t amount_fen;
	int term_months;
	const char *purpose;
	const char *collateral;
	bool first_bank_loan;
	const int64_t *authorized_institution_ids; /* no repeats (the caller checked) */
	size_t n_authorized;			   /* 0..APP_AUTHORIZED_MAX */
} models_app_new;

/*
 * Files a new application (submitted) with its first timeline row, an
 * application consent (APP_CONSENT_DAYS) for each authorised institution,
 * the audit row (target_id set here) and a notification to the
 * enterprise. XYD_VALIDATION_FAILED with *bad_index when
 * authorized_institution_ids[*bad_index] names no institution.
 */
xyd_status models_application_create_tx(models_db *db, const models_app_new *n, models_audit *audit,
					models_application *out, size_t *bad_index);

typedef enum {
	APP_DO_SUBMIT,
	APP_DO_ACCEPT,
	APP_DO_APPROVE,
	APP_DO_REJECT,
	APP_DO_DISBURSE,
	APP_DO_WITHDRAW,
	APP_DO_EXPIRE, /* by the calendar, never by a caller */
	APP_ACTION_COUNT
} models_app_action;

/* Which field of a change is out of bounds (XYD_VALIDATION_FAILED), or
 * which limit refused it (XYD_NOT_ELIGIBLE). */
typedef enum {
	APP_BAD_NONE,
	APP_BAD_AMOUNT,	     /* approve: outside the product's amount range (not_eligible) */
	APP_BAD_RATE,	     /* approve: outside its rate range */
	APP_BAD_TERM,	     /* approve: outside its term range */
	APP_BAD_DATE_FUTURE, /* disburse: after today (district calendar) */
	APP_BAD_DATE_BEFORE_APPROVAL, /* disburse: before the approval's date */
	APP_BAD_OVER_ASKED, /* approve, disburse: more than the enterprise asked for (not_eligible) */
	APP_BAD_PROGRAM_CAP, /* submit, approve, disburse: past the programme's cap per enterprise */
	APP_BAD_MONTHLY_CAPACITY,    /* submit: the product's monthly capacity is taken */
	APP_BAD_NOT_APPROVED_AMOUNT, /* disburse: an amount other than the approved one */
	APP_BAD_SUSPENDED	     /* disburse: the bank is suspended in the programme */
} models_app_bad_field;

/* Why a change was refused, with the figures of the limit that refused it
 * (XYD_NOT_ELIGIBLE) so the caller can name them. */
typedef struct {
	models_app_bad_field bad;
	int64_t subject_id; /* the programme (cap) or the product (capacity, range) */
	int64_t limit;	    /* the cap or bound in fen, or the capacity in applications */
	int64_t used;	    /* what already counts against it (fen or applications) */
	int64_t amount_fen; /* what this change would add (or the amount compared) */
} models_app_refusal;

typedef struct {
	models_app_action action;
	models_app_scope scope; /* whose application the actor may change */
	int64_t user_id;
	const char *role;
	int64_t product_id;	     /* submit */
	int64_t amount_fen;	     /* approve */
	int rate_bps;		     /* approve */
	int term_months;	     /* approve */
	const char *reason;	     /* reject */
	const char *disbursed_on;    /* disburse: a valid YYYY-MM-DD (the caller checked) */
	int64_t disburse_amount_fen; /* disburse: the amount the bank says it pays out; 0: not said */
} models_app_change;

/*
 * Locks application id and applies change c: XYD_NOT_FOUND outside c->scope
 * (or, for submit, when the product does not exist or is not active);
 * XYD_INVALID_STATE when the move is not legal from the current status
 * (*out then holds the application as it is); XYD_VALIDATION_FAILED with
 * why->bad naming the field; XYD_NOT_ELIGIBLE with why naming the limit
 * and its figures. Writes the timeline row, audit row (target_id set
 * here) and the enterprise's notification; submit also sets the product,
 * institution, pending_since and response_due_at, authorises the
 * institution and notifies it; disburse also creates the loan (*loan_id).
 * *out holds the application after the change.
 *
 * The limits that protect money are decided here, inside the transaction,
 * under the locks of migrations/0010_limit_locks.sql (whatever matching's
 * snapshot said): the programme's cap per enterprise at submit, approve
 * and disburse (outstanding loans plus every pending_bank, accepted and
 * approved application of the enterprise in the programme, an approved one
 * at its approved amount); the product's monthly capacity at submit; an
 * approval no larger than the amount asked and within the product's range;
 * a disbursement of exactly the approved amount.
 */
xyd_status models_application_change_tx(models_db *db, int64_t id, const models_app_change *c,
					models_audit *audit, models_application *out,
					models_app_refusal *why, int64_t *loan_id);

/* models_application_change_tx in a transaction of its own (retried on
 * deadlock). */
xyd_status models_application_change(models_db *db, int64_t id, const models_app_change *c,
				     models_audit *audit, models_application *out,
				     models_app_refusal *why, int64_t *loan_id);

/*
 * Expires every application past its expiry (APP_SUBMITTED_EXPIRY_DAYS,
 * APP_PENDING_EXPIRY_DAYS), at most max (≤ APP_EXPIRY_BATCH_MAX) of them,
 * oldest first, each in a transaction of its own with its timeline row
 * (by_role "system"), audit row and the enterprise's notification. An
 * application that moved on meanwhile is skipped. *expired: how many.
 */
xyd_status models_application_expire_due(models_db *db, int max, int *expired);

/* ---- the working-day calendar ---- */

/* A day whose status differs from the Monday-to-Friday rule or names it. */
typedef struct {
	int32_t day; /* days since 1970-01-01 */
	bool is_workday;
} models_calendar_day;

/*
 * Pure: how many calendar days after start_day (days since 1970-01-01) the
 * n-th working day falls (n >= 1). A working day is Monday to Friday
 * unless days lists it otherwise (is_workday 0: a holiday; 1: a 调休
 * working weekend day); days need not be sorted. -1 when none is found
 * within 366 days.
 */
int models_working_days_span(int32_t start_day, int n, const models_calendar_day *days,
			     size_t ndays);

/* day YYYY-MM-DD; name 100 characters of up to 4 bytes. */
#define MODELS_HOLIDAY_FIELDS(X)                                                                   \
	X(TEXT, day, 11, "DATE_FORMAT(day, '%Y-%m-%d')")                                           \
	X(TEXT, name, 401, "name")                                                                 \
	X(BOOL, is_workday, 0, "is_workday")
typedef struct {
	MODELS_HOLIDAY_FIELDS(REC_MEMBER)
} models_holiday;
REC_TYPE_DECLARE(models_holiday);

#define HOLIDAY_NAME_MAX_CHARS 100

/* Adds or replaces the entry for h->day (a valid date the caller
 * checked), with its audit row. *created tells which. */
xyd_status models_holiday_put(models_db *db, const models_holiday *h, models_audit *audit,
			      bool *created);
/* The entries of one year, by day. *rows malloc'd (free()). */
xyd_status models_holiday_list(models_db *db, int year, models_holiday **rows, size_t *count);

#endif
