/* Enterprises, consent, credit detail and access log: see enterprises.h. */
#include "models/enterprises.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/park_changes.h"

const char *const models_enterprise_tag_names[MODELS_ENTERPRISE_TAG_COUNT] = {
	"hi_tech", "specialized", "tech_sme", "agri_entity", "integrity_model"};

/* ---- enterprises ---- */

REC_TYPE_DEFINE(models_enterprise_view, MODELS_ENTERPRISE_VIEW_FIELDS)

/* The entry that speaks for the enterprise: a live approval first, else
 * the newest. */
#define VIEW_SELECT                                                                                                               \
	"SELECT " REC_COLUMNS(                                                                                                    \
		MODELS_ENTERPRISE_VIEW_FIELDS) " FROM enterprises e LEFT JOIN credit_scores s ON s.enterprise_id = e.id"          \
					       " LEFT JOIN whitelist_entries w ON w.id = (SELECT w2.id FROM whitelist_entries w2" \
					       " WHERE w2.enterprise_id = e.id ORDER BY (w2.status = 'approved'"                  \
					       " AND w2.valid_until >= " DB_DISTRICT_TODAY                                        \
					       ") DESC, w2.id DESC LIMIT 1)"

xyd_status models_enterprise_view_get(models_db *db, int64_t id, models_enterprise_view *out)
{
	return DB_GET_ONE(db, VIEW_SELECT " WHERE e.id = ?", models_enterprise_view_rec(), out,
			  DB_INT(id));
}

/* A USCC prefix "q%" when q could start one (1-18 of [0-9A-Z]), else NULL:
 * the ascii_bin column is compared only with ASCII text. */
static char *uscc_prefix_pattern(const char *q)
{
	size_t n = strlen(q);
	if (n == 0 || n > 18)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!((q[i] >= '0' && q[i] <= '9') || (q[i] >= 'A' && q[i] <= 'Z')))
			return NULL;
	return xasprintf("%s%%", q);
}

xyd_status models_enterprise_list(models_db *db, const models_enterprise_filter *f,
				  models_enterprise_view **rows, size_t *count, bool *more)
{
	char *name_like = f->q ? db_like_contains(f->q) : NULL;
	char *uscc_like = f->q ? uscc_prefix_pattern(f->q) : NULL;
	char *industry_like = f->industry_prefix ? xasprintf("%s%%", f->industry_prefix) : NULL;
	/* Each optional filter is "? IS NULL OR …" (or "? = 0 OR …"), so one
	 * prepared statement serves every combination. */
	xyd_status st = db_get_page(
		db,
		VIEW_SELECT
		" WHERE e.id > ? AND (? = 0 OR e.park_id = ?)"
		" AND (? = 0 OR EXISTS (SELECT 1 FROM whitelist_entries wa WHERE wa.enterprise_id = e.id"
		" AND wa.status = 'approved' AND wa.valid_until >= " DB_DISTRICT_TODAY "))"
		" AND (? IS NULL OR e.town = ?) AND (? = 0 OR e.park_id = ?)"
		" AND (? IS NULL OR e.industry LIKE ?) AND (? IS NULL OR s.grade = ?)"
		" AND (? IS NULL OR (? = 'none' AND w.id IS NULL) OR " MODELS_WL_STATUS_AS_READ_SQL(
			"w") " = ?)"
			     " AND (? IS NULL OR e.name LIKE ? OR (? IS NOT NULL AND e.uscc LIKE ?))"
			     " ORDER BY e.id LIMIT ?",
		DB_PARAMS(DB_INT(f->after_id), DB_INT(f->scope_park_id), DB_INT(f->scope_park_id),
			  DB_INT(f->scope_whitelisted), db_str(f->town), db_str(f->town),
			  DB_INT(f->park_id), DB_INT(f->park_id), db_str(industry_like),
			  db_str(industry_like), db_str(f->grade), db_str(f->grade),
			  db_str(f->whitelist), db_str(f->whitelist), db_str(f->whitelist),
			  db_str(name_like), db_str(name_like), db_str(uscc_like),
			  db_str(uscc_like)),
		models_enterprise_view_rec(), f->limit, (void **)rows, count, more);
	free(name_like);
	free(uscc_like);
	free(industry_like);
	return st;
}

/* The stored values a patch merges with (total_assets_fen -1: unknown). */
#define LOCKED_FIELDS(X)                                                                           \
	X(TEXT, industry, 9, "industry")                                                           \
	X(I64, employees, 0, "employees")                                                          \
	X(I64, annual_revenue_fen, 0, "annual_revenue_fen")                                        \
	X(I64, total_assets_fen, 0, "COALESCE(total_assets_fen, -1)")                              \
	X(I64, park_id, 0, "park_id")
typedef struct {
	LOCKED_FIELDS(REC_MEMBER)
} locked_enterprise;
static REC_TYPE_DEFINE(locked_enterprise, LOCKED_FIELDS)

	/* The park part of a patch, the enterprise locked: the enterprise moving
 * itself into another park files a request (*set false: the park stays),
 * audited as "park_change.request" beside the update's own row; any other
 * park change applies (*set true) and ends a pending request. */
	static xyd_status
	park_change(models_db *db, int64_t id, int64_t current_park,
		    const models_enterprise_patch *p, const models_audit *audit, bool *set)
{
	int64_t request_id = 0;
	*set = p->has_park;
	if (!p->has_park)
		return XYD_OK;
	if (!p->park_by_request || p->park_id == 0 || p->park_id == current_park)
		return models_park_change_cancel_pending(db, id, p->user_id);
	*set = false;
	return models_park_change_request(db, id, current_park, p->park_id, p->user_id, audit,
					  &request_id);
}

typedef struct {
	const models_reference *ref;
	int64_t id;
	const models_enterprise_patch *p;
	const models_audit *audit;
	models_enterprise_view *out;
} update_ctx;

static xyd_status update_body(models_db *db, void *arg, bool *commit_anyway)
{
	update_ctx *c = arg;
	const models_enterprise_patch *p = c->p;
	locked_enterprise cur;
	bool set_park = p->has_park;
	(void)commit_anyway;
	xyd_status st = DB_GET_ONE(
		db,
		"SELECT " REC_COLUMNS(LOCKED_FIELDS) " FROM enterprises WHERE id = ? FOR UPDATE",
		locked_enterprise_rec(), &cur, DB_INT(c->id));
	if (st != XYD_OK ||
	    (st = park_change(db, c->id, cur.park_id, p, c->audit, &set_park)) != XYD_OK)
		return st;
	const char *industry = p->has_industry ? p->industry : cur.industry;
	int64_t staff = p->has_employees ? p->employees : cur.employees;
	int64_t revenue = p->has_revenue ? p->annual_revenue_fen : cur.annual_revenue_fen;
	const char *size = models_reference_size_class(c->ref, industry, staff, revenue,
						       cur.total_assets_fen);
	char section[2] = {industry[0], '\0'};
	/* Each column keeps its value unless its flag is set. */
	st = DB_QUERY(db,
		      "UPDATE enterprises SET phone = IF(?, ?, phone), employees = ?,"
		      " annual_revenue_fen = ?, industry = ?, industry_section = ?,"
		      " town = IF(?, ?, town), park_id = IF(?, ?, park_id), tags = IF(?, ?, tags),"
		      " size_class = ?, updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
		      NULL, DB_INT(p->has_phone), db_str(p->has_phone ? p->phone : ""),
		      DB_INT(staff), DB_INT(revenue), db_str(industry), db_str(section),
		      DB_INT(p->has_town), db_str(p->has_town ? p->town : ""), DB_INT(set_park),
		      db_opt_int(p->park_id > 0, p->park_id), DB_INT(p->has_tags),
		      db_str(p->has_tags ? p->tags : ""), db_str(size), DB_INT(c->id));
	if (st != XYD_OK || (st = models_audit_write(db, c->audit)) != XYD_OK)
		return st;
	return models_enterprise_view_get(db, c->id, c->out);
}

xyd_status models_enterprise_update(models_db *db, const models_reference *ref, int64_t id,
				    const models_enterprise_patch *p, const models_audit *audit,
				    models_enterprise_view *out)
{
	update_ctx c = {ref, id, p, audit, out};
	return db_transaction(db, update_body, &c);
}

/* ---- consent ---- */

REC_TYPE_DEFINE(models_authorization, MODELS_AUTHORIZATION_FIELDS)
#define AUTH_SELECT                                                                                \
	"SELECT " REC_COLUMNS(                                                                     \
		MODELS_AUTHORIZATION_FIELDS) " FROM credit_authorizations a JOIN institutions i ON i.id = a.institution_id"

xyd_status models_authorization_get(models_db *db, int64_t id, models_authorization *out)
{
	return DB_GET_ONE(db, AUTH_SELECT " WHERE a.id = ?", models_authorization_rec(), out,
			  DB_INT(id));
}

/* A consent transaction's arguments: a grant's (institution_id,
 * granted_by, expires_at, out) or a revocation's (id, changed). */
typedef struct {
	int64_t enterprise_id, institution_id, granted_by, id;
	const char *expires_at;
	models_audit *audit;
	models_authorization *out;
	bool changed;
} consent_ctx;

/* A new authorisation of c's institution (by application_id unless 0);
 * *id receives its id. */
static xyd_status insert_grant(models_db *db, const consent_ctx *c, int64_t application_id,
			       int64_t *id)
{
	uint64_t new_id = 0;
	xyd_status st = db_run(
		db,
		"INSERT INTO credit_authorizations (enterprise_id, institution_id, source,"
		" application_id, granted_by, granted_at, expires_at)"
		" VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
		DB_PARAMS(DB_INT(c->enterprise_id), DB_INT(c->institution_id),
			  db_str(application_id ? "application" : "explicit"),
			  db_opt_int(application_id != 0, application_id), DB_INT(c->granted_by),
			  db_str(c->expires_at)),
		NULL, NULL, &new_id);
	*id = (int64_t)new_id;
	return st;
}

static xyd_status grant_body(models_db *db, void *arg, bool *commit_anyway)
{
	consent_ctx *c = arg;
	(void)commit_anyway;
	xyd_status st = insert_grant(db, c, 0, &c->id);
	if (st != XYD_OK || (st = models_audit_write_id(db, c->audit, c->id)) != XYD_OK)
		return st;
	return models_authorization_get(db, c->id, c->out);
}

xyd_status models_authorization_grant(models_db *db, int64_t enterprise_id, int64_t institution_id,
				      int64_t granted_by, const char *expires_at,
				      models_audit *audit, models_authorization *out)
{
	consent_ctx c = {.enterprise_id = enterprise_id,
			 .institution_id = institution_id,
			 .granted_by = granted_by,
			 .expires_at = expires_at,
			 .audit = audit,
			 .out = out};
	return db_transaction(db, grant_body, &c);
}

xyd_status models_authorization_grant_for_application(models_db *db, int64_t enterprise_id,
						      int64_t institution_id,
						      int64_t application_id, int64_t granted_by,
						      const char *expires_at, int64_t *id)
{
	consent_ctx c = {.enterprise_id = enterprise_id,
			 .institution_id = institution_id,
			 .granted_by = granted_by,
			 .expires_at = expires_at};
	xyd_status st = DB_QUERY_INT(
		db,
		"SELECT id FROM credit_authorizations WHERE enterprise_id = ?"
		" AND institution_id = ? AND application_id = ?"
		" AND source = 'application' AND revoked_at IS NULL"
		" AND expires_at > UTC_TIMESTAMP(6) ORDER BY id DESC LIMIT 1 FOR UPDATE",
		&c.id, DB_INT(enterprise_id), DB_INT(institution_id), DB_INT(application_id));
	if (st == XYD_OK)
		st = DB_QUERY(
			db,
			"UPDATE credit_authorizations SET expires_at = GREATEST(expires_at, ?)"
			" WHERE id = ?",
			NULL, db_str(expires_at), DB_INT(c.id));
	else if (st == XYD_NOT_FOUND)
		st = insert_grant(db, &c, application_id, &c.id);
	if (st == XYD_OK && id)
		*id = c.id;
	return st;
}

xyd_status models_authorization_find_live(models_db *db, int64_t enterprise_id,
					  int64_t institution_id, int64_t *id)
{
	return DB_QUERY_INT(
		db,
		"SELECT id FROM credit_authorizations WHERE enterprise_id = ?"
		" AND institution_id = ? AND revoked_at IS NULL"
		" AND expires_at > UTC_TIMESTAMP(6) ORDER BY expires_at DESC, id DESC LIMIT 1",
		id, DB_INT(enterprise_id), DB_INT(institution_id));
}

xyd_status models_authorization_list(models_db *db, int64_t enterprise_id, int64_t before_id,
				     int limit, models_authorization **rows, size_t *count,
				     bool *more)
{
	return db_get_page(db,
			   AUTH_SELECT " WHERE a.enterprise_id = ? AND (? = 0 OR a.id < ?)"
				       " ORDER BY a.id DESC LIMIT ?",
			   DB_PARAMS(DB_INT(enterprise_id), DB_INT(before_id), DB_INT(before_id)),
			   models_authorization_rec(), limit, (void **)rows, count, more);
}

static xyd_status revoke_body(models_db *db, void *arg, bool *commit_anyway)
{
	consent_ctx *c = arg;
	int64_t live = 0;
	(void)commit_anyway;
	c->changed = false;
	xyd_status st = DB_QUERY_INT(
		db,
		"SELECT revoked_at IS NULL FROM credit_authorizations WHERE id = ?"
		" AND enterprise_id = ? FOR UPDATE",
		&live, DB_INT(c->id), DB_INT(c->enterprise_id));
	if (st != XYD_OK || !live)
		return st;
	st = DB_QUERY(db,
		      "UPDATE credit_authorizations SET revoked_at = UTC_TIMESTAMP(6) WHERE id = ?",
		      NULL, DB_INT(c->id));
	if (st == XYD_OK && (st = models_audit_write(db, c->audit)) == XYD_OK)
		c->changed = true;
	return st;
}

xyd_status models_authorization_revoke(models_db *db, int64_t enterprise_id, int64_t id,
				       const models_audit *audit, bool *changed)
{
	models_audit a = *audit;
	consent_ctx c = {.enterprise_id = enterprise_id, .id = id, .audit = &a};
	xyd_status st = db_transaction(db, revoke_body, &c);
	*changed = st == XYD_OK && c.changed;
	return st;
}

/* ---- credit detail ---- */

REC_TYPE_DEFINE(models_enterprise_credit, MODELS_ENTERPRISE_CREDIT_FIELDS)

xyd_status models_enterprise_credit_get(models_db *db, int64_t enterprise_id,
					models_enterprise_credit *out)
{
	return DB_GET_ONE(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_ENTERPRISE_CREDIT_FIELDS) " FROM credit_scores WHERE enterprise_id = ?",
		models_enterprise_credit_rec(), out, DB_INT(enterprise_id));
}

REC_TYPE_DEFINE(models_credit_record_row, MODELS_CREDIT_RECORD_FIELDS)

xyd_status models_enterprise_credit_records(models_db *db, int64_t enterprise_id, int64_t after_id,
					    int limit, models_credit_record_row **rows,
					    size_t *count, bool *more)
{
	return db_get_page(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_CREDIT_RECORD_FIELDS) " FROM credit_records WHERE enterprise_id = ? AND id > ? ORDER BY id LIMIT ?",
		DB_PARAMS(DB_INT(enterprise_id), DB_INT(after_id)), models_credit_record_row_rec(),
		limit, (void **)rows, count, more);
}

/* ---- access log ---- */

REC_TYPE_DEFINE(models_access_log_row, MODELS_ACCESS_LOG_FIELDS)

xyd_status models_enterprise_access_log(models_db *db, int64_t enterprise_id, int64_t before_id,
					int limit, models_access_log_row **rows, size_t *count,
					bool *more)
{
	char target[24];
	snprintf(target, sizeof target, "%lld", (long long)enterprise_id);
	return db_get_page(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_ACCESS_LOG_FIELDS) " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
						  " LEFT JOIN institutions i ON i.id = u.institution_id"
						  " LEFT JOIN parks p ON p.id = u.park_id"
						  " WHERE a.target_type = 'enterprise' AND a.target_id = ?"
						  " AND a.action IN ('enterprise.credit_read', 'enterprise.credit_records_read')"
						  " AND a.status < 300 AND (? = 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
		DB_PARAMS(db_str(target), DB_INT(before_id), DB_INT(before_id)),
		models_access_log_row_rec(), limit, (void **)rows, count, more);
}
