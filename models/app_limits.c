/* The limits of an application's move, under their locks: see app_limits_internal.h. */
#include "models/app_limits_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/base.h"
#include "common/district.h"
#include "common/log.h"
#include "common/shares.h"
#include "models/db_internal.h"

/* Upserts the lock's row and holds it. The upsert takes the row's
 * exclusive lock itself (never a shared one first, which two competitors
 * could each hold and then deadlock upgrading). */
static xyd_status lock_row(models_db *db, const char *kind, int64_t owner_id, int64_t key_id)
{
	xyd_status st = DB_QUERY(db,
				 "INSERT INTO limit_locks (kind, owner_id, key_id) VALUES (?, ?, ?)"
				 " ON DUPLICATE KEY UPDATE key_id = key_id",
				 NULL, db_str(kind), DB_INT(owner_id), DB_INT(key_id));
	if (st != XYD_OK)
		return st;
	st = DB_QUERY_INT(
		db,
		"SELECT 1 FROM limit_locks WHERE kind = ? AND owner_id = ? AND key_id = ? FOR UPDATE",
		NULL, db_str(kind), DB_INT(owner_id), DB_INT(key_id));
	return st == XYD_NOT_FOUND ? XYD_INTERNAL : st; /* the row was just written */
}

xyd_status app_limits_cap_lock(models_db *db, int64_t program_id, int64_t enterprise_id)
{
	return program_id ? lock_row(db, "program_enterprise", program_id, enterprise_id) : XYD_OK;
}

/* What counts against the cap of (programme, enterprise): everything but
 * application except_id, or (only) just that application and its loan.
 * A sum past int64 reads as INT64_MAX (strtoll saturates): over any cap. */
static xyd_status cap_used(models_db *db, const app_cap_use *u, bool only, int64_t *used_fen)
{
	db_result r;
	xyd_status st = DB_QUERY(
		db,
		"SELECT (SELECT COALESCE(SUM(l.outstanding_fen), 0) FROM loans l"
		"  WHERE l.enterprise_id = ? AND l.program_id = ? AND l.outstanding_fen > 0"
		"  AND (? = 0 OR l.application_id = ?)),"
		" (SELECT COALESCE(SUM(IF(a.status = 'approved', a.approved_amount_fen, a.amount_fen)), 0)"
		"  FROM applications a JOIN products p ON p.id = a.product_id"
		"  WHERE a.enterprise_id = ? AND p.program_id = ?"
		"  AND a.status IN ('submitted', 'pending_bank', 'accepted', 'approved')"
		"  AND IF(? = 0, a.id <> ?, a.id = ?))",
		&r, DB_INT(u->enterprise_id), DB_INT(u->program_id), DB_INT(only),
		DB_INT(u->application_id), DB_INT(u->enterprise_id), DB_INT(u->program_id),
		DB_INT(only), DB_INT(u->application_id), DB_INT(u->application_id));
	if (st != XYD_OK)
		return st;
	(void)shares_add_fen(db_cell_int(&r, 0, 0), db_cell_int(&r, 0, 1), used_fen);
	db_result_release(&r);
	return XYD_OK;
}

xyd_status app_limits_cap_check(models_db *db, app_cap_use *u, models_app_refusal *why)
{
	int64_t used = 0;
	u->cap_fen = u->total_fen = 0;
	if (!u->program_id)
		return XYD_OK;
	xyd_status st = lock_row(db, "program_enterprise", u->program_id, u->enterprise_id);
	if (st == XYD_OK)
		st = DB_QUERY_INT(
			db,
			"SELECT COALESCE(max_amount_per_enterprise_fen, 0) FROM programs WHERE id = ?",
			&u->cap_fen, DB_INT(u->program_id));
	if (st == XYD_NOT_FOUND)
		st = XYD_OK; /* no programme, no cap: cap_fen stays 0 */
	if (st != XYD_OK)
		return st;
	if (!u->cap_fen || (st = cap_used(db, u, false, &used)) != XYD_OK)
		return st;
	if (!shares_add_fen(used, u->amount_fen, &u->total_fen) || u->total_fen > u->cap_fen) {
		*why = (models_app_refusal){APP_BAD_PROGRAM_CAP, u->program_id, u->cap_fen, used,
					    u->amount_fen};
		return XYD_NOT_ELIGIBLE;
	}
	/* 0 <= used, 0 < amount, used + amount <= cap */
	XYD_ASSERT(used >= 0 && u->amount_fen >= 1);
	XYD_ASSERT(u->total_fen == used + u->amount_fen);
	XYD_ASSERT(u->total_fen <= u->cap_fen);
	XYD_ASSERT(u->total_fen >= u->amount_fen);
	return XYD_OK;
}

xyd_status app_limits_cap_verify(models_db *db, const app_cap_use *u)
{
	int64_t counted = 0;
	if (!u->cap_fen)
		return XYD_OK;
	xyd_status st = cap_used(db, u, true, &counted);
	if (st != XYD_OK)
		return st;
	XYD_ASSERT(counted == u->amount_fen); /* once: as an application or as its loan */
	return XYD_OK;
}

/* YYYYMM of the move's district month (UTC+8): the month matching counts
 * capacity in (DB_DISTRICT_MONTH_START), so the lock and the count agree. */
static int64_t month_key(const char *now)
{
	struct tm utc = {0}, district;
	if (sscanf(now, "%4d-%2d-%2d %2d:%2d:%2d", &utc.tm_year, &utc.tm_mon, &utc.tm_mday,
		   &utc.tm_hour, &utc.tm_min, &utc.tm_sec) != 6)
		return 0;
	utc.tm_year -= 1900;
	utc.tm_mon -= 1;
	if (!district_tm(timegm(&utc), &district))
		return 0;
	XYD_ASSERT(district.tm_mon >= 0 && district.tm_mon <= 11);
	return (int64_t)(district.tm_year + 1900) * 100 + district.tm_mon + 1;
}

static xyd_status submitted_this_month(models_db *db, const app_capacity_use *u, int64_t *n)
{
	db_result r;
	xyd_status st = DB_QUERY(db,
				 "SELECT COUNT(*) FROM applications WHERE product_id = ?"
				 " AND pending_since >= " DB_DISTRICT_MONTH_START(
					 "CAST(? AS DATETIME(6))") " AND id <> ?",
				 &r, DB_INT(u->product_id), db_str(u->now),
				 DB_INT(u->application_id));
	if (st != XYD_OK)
		return st;
	*n = db_cell_int(&r, 0, 0);
	db_result_release(&r);
	return XYD_OK;
}

xyd_status app_limits_capacity_check(models_db *db, app_capacity_use *u, models_app_refusal *why)
{
	int64_t key = month_key(u->now);
	if (key == 0)
		return XYD_INTERNAL;
	xyd_status st = lock_row(db, "product_month", u->product_id, key);
	if (st != XYD_OK || (st = submitted_this_month(db, u, &u->used)) != XYD_OK)
		return st;
	if (u->used >= u->capacity) {
		*why = (models_app_refusal){APP_BAD_MONTHLY_CAPACITY, u->product_id, u->capacity,
					    u->used, 0};
		return XYD_NOT_ELIGIBLE;
	}
	XYD_ASSERT(u->used >= 0); /* a count */
	XYD_ASSERT(u->used + 1 <= u->capacity);
	return XYD_OK;
}

xyd_status app_limits_capacity_verify(models_db *db, const app_capacity_use *u)
{
	db_result r;
	xyd_status st = DB_QUERY(
		db,
		"SELECT COUNT(*) FROM applications WHERE product_id = ?"
		" AND pending_since >= " DB_DISTRICT_MONTH_START("CAST(? AS DATETIME(6))"),
		&r, DB_INT(u->product_id), db_str(u->now));
	if (st != XYD_OK)
		return st;
	int64_t n = db_cell_int(&r, 0, 0);
	db_result_release(&r);
	XYD_ASSERT(n == u->used + 1);
	XYD_ASSERT(n <= u->capacity);
	return XYD_OK;
}
