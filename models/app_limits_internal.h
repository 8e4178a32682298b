/*
 * The limits an application's move must keep, decided inside the move's
 * transaction (models/applications.c only): the programme's cap per
 * enterprise and the product's monthly capacity. Each check first takes
 * its row of limit_locks (migrations/0010_limit_locks.sql) FOR UPDATE, so
 * competitors take turns, then counts with plain reads: under READ
 * COMMITTED these see everything every earlier holder committed.
 *
 * Lock order, on every path: the application row, the product (shared),
 * product_month, program_enterprise.
 */
#ifndef XYD_MODELS_APP_LIMITS_INTERNAL_H
#define XYD_MODELS_APP_LIMITS_INTERNAL_H

#include <stdint.h>

#include "models/applications.h"
#include "models/db.h"

/* What one move counts against its programme's cap. */
typedef struct {
	int64_t program_id; /* 0: the product is in no programme, so no cap */
	int64_t enterprise_id;
	int64_t application_id; /* the application moved: counted as amount_fen, not as stored */
	int64_t amount_fen;	/* what it counts for after the move */
	int64_t cap_fen;	/* set by app_limits_cap_check: 0 when there is no cap */
	int64_t total_fen;	/* set by app_limits_cap_check: the sum after the move */
} app_cap_use;

/* Takes the (programme, enterprise) lock; nothing when program_id is 0.
 * For the moves that only release room (withdraw, reject, expire). */
xyd_status app_limits_cap_lock(models_db *db, int64_t program_id, int64_t enterprise_id);

/*
 * Takes the (programme, enterprise) lock and checks that the enterprise's
 * outstanding loans in the programme plus its pending_bank, accepted and
 * approved applications there (approved ones at their approved amount),
 * with u->application_id counted as u->amount_fen, stay within the
 * programme's cap. XYD_NOT_ELIGIBLE with why (APP_BAD_PROGRAM_CAP and the
 * figures) when they would not. Sets u->cap_fen and u->total_fen.
 */
xyd_status app_limits_cap_check(models_db *db, app_cap_use *u, models_app_refusal *why);

/* After the move's writes: aborts (a money invariant, on in release)
 * unless the application is now counted exactly once, at u->amount_fen. */
xyd_status app_limits_cap_verify(models_db *db, const app_cap_use *u);

/* What a submission counts against its product's monthly capacity. */
typedef struct {
	int64_t product_id;
	int64_t application_id;
	int capacity;	 /* the product's monthly_capacity, read under its shared lock */
	const char *now; /* the move's "YYYY-MM-DD HH:MM:SS.ffffff" UTC: decides the month */
	int64_t used;	 /* set by app_limits_capacity_check: submitted this month before */
} app_capacity_use;

/* Takes the (product, month) lock and checks one more submission this
 * month fits u->capacity: XYD_NOT_ELIGIBLE with why
 * (APP_BAD_MONTHLY_CAPACITY and the figures) when it does not. */
xyd_status app_limits_capacity_check(models_db *db, app_capacity_use *u, models_app_refusal *why);

/* After the submission's write: aborts unless the month now counts
 * exactly one more, within the capacity. */
xyd_status app_limits_capacity_verify(models_db *db, const app_capacity_use *u);

#endif
