/* Enterprises, consent, credit detail and access log: see enterprises.h. */
#include "models/enterprises.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/xmalloc.h"
#include "models/db_internal.h"
#include "models/park_changes.h"

const char *const models_enterprise_tag_names[MODELS_ENTERPRISE_TAG_COUNT] = {
	"hi_tech", "specialized", "tech_sme", "agri_entity", "integrity_model"};

/* Keeps the first limit of r's rows: *more says whether there were others. */
static size_t page_rows(const db_result *r, int limit, bool *more)
{
	*more = r->nrows > (size_t)limit;
	return *more ? (size_t)limit : r->nrows;
}

/* ---- enterprises ---- */

/* The status a whitelist entry shows: an approved one past valid_until is
 * expired. */
#define WL_STATUS "IF(w.status = 'approved' AND w.valid_until < " DB_DISTRICT_TODAY ", 'expired', w.status)"

/* The entry that speaks for the enterprise: a live approval first, else
 * the newest. */
#define VIEW_FROM                                                                           \
	" FROM enterprises e LEFT JOIN credit_scores s ON s.enterprise_id = e.id"            \
	" LEFT JOIN whitelist_entries w ON w.id = (SELECT w2.id FROM whitelist_entries w2"   \
	" WHERE w2.enterprise_id = e.id ORDER BY (w2.status = 'approved'"                    \
	" AND w2.valid_until >= " DB_DISTRICT_TODAY ") DESC, w2.id DESC LIMIT 1)"

#define VIEW_SELECT                                                                         \
	"SELECT e.id, e.uscc, e.name, e.legal_rep_name, e.legal_rep_id_no, e.phone,"         \
	" e.industry, e.town, COALESCE(e.park_id, 0), e.registered_capital_fen,"             \
	" DATE_FORMAT(e.founded_on, '%Y-%m-%d'), e.employees, e.annual_revenue_fen,"         \
	" e.size_class, DATE_FORMAT(e.created_at, '%Y-%m-%dT%H:%i:%sZ'), e.tags,"             \
	" COALESCE(e.total_assets_fen, -1), DATE_FORMAT(e.updated_at, '%Y-%m-%dT%H:%i:%sZ'),"\
	" s.score, s.grade, s.dishonest_debtor, s.broken_commitments, s.model_version,"      \
	" w.id, " WL_STATUS ", DATE_FORMAT(w.valid_until, '%Y-%m-%d')" VIEW_FROM

static void view_from_row(models_enterprise_view *v, const db_result *r, size_t i)
{
	models_enterprise *e = &v->e;
	memset(v, 0, sizeof *v);
	e->id = db_cell_int(r, i, 0);
	db_cell_copy(e->uscc, sizeof e->uscc, r, i, 1);
	db_cell_copy(e->name, sizeof e->name, r, i, 2);
	db_cell_copy(e->legal_rep_name, sizeof e->legal_rep_name, r, i, 3);
	db_cell_copy(e->legal_rep_id_no, sizeof e->legal_rep_id_no, r, i, 4);
	db_cell_copy(e->phone, sizeof e->phone, r, i, 5);
	db_cell_copy(e->industry, sizeof e->industry, r, i, 6);
	db_cell_copy(e->town, sizeof e->town, r, i, 7);
	e->park_id = db_cell_int(r, i, 8);
	e->registered_capital_fen = db_cell_int(r, i, 9);
	db_cell_copy(e->founded_on, sizeof e->founded_on, r, i, 10);
	e->employees = db_cell_int(r, i, 11);
	e->annual_revenue_fen = db_cell_int(r, i, 12);
	db_cell_copy(e->size_class, sizeof e->size_class, r, i, 13);
	db_cell_copy(e->created_at, sizeof e->created_at, r, i, 14);
	db_cell_copy(v->tags, sizeof v->tags, r, i, 15);
	v->total_assets_fen = db_cell_int(r, i, 16);
	db_cell_copy(v->updated_at, sizeof v->updated_at, r, i, 17);
	v->scored = !db_cell_is_null(r, i, 18);
	v->score = (int)db_cell_int(r, i, 18);
	db_cell_copy(v->grade, sizeof v->grade, r, i, 19);
	v->dishonest_debtor = db_cell_int(r, i, 20) != 0;
	v->broken_commitments = (int)db_cell_int(r, i, 21);
	db_cell_copy(v->model_version, sizeof v->model_version, r, i, 22);
	v->whitelist_id = db_cell_int(r, i, 23);
	db_cell_copy(v->whitelist_status, sizeof v->whitelist_status, r, i, 24);
	db_cell_copy(v->whitelist_valid_until, sizeof v->whitelist_valid_until, r, i, 25);
}

xyd_status models_enterprise_view_get(models_db *db, int64_t id, models_enterprise_view *out)
{
	db_result r;
	xyd_status st = DB_QUERY(db, VIEW_SELECT " WHERE e.id = ?", &r, DB_INT(id));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 1)
		view_from_row(out, &r, 0);
	else
		st = XYD_NOT_FOUND;
	db_result_release(&r);
	return st;
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
	db_result r;
	char *name_like = f->q ? db_like_contains(f->q) : NULL;
	char *uscc_like = f->q ? uscc_prefix_pattern(f->q) : NULL;
	char *industry_like = f->industry_prefix ? xasprintf("%s%%", f->industry_prefix) : NULL;
	*rows = NULL;
	*count = 0;
	*more = false;
	/* Each optional filter is "? IS NULL OR …" (or "? = 0 OR …"), so one
	 * prepared statement serves every combination. */
	xyd_status st = DB_QUERY(
		db,
		VIEW_SELECT
		" WHERE e.id > ? AND (? = 0 OR e.park_id = ?)"
		" AND (? = 0 OR EXISTS (SELECT 1 FROM whitelist_entries wa WHERE wa.enterprise_id = e.id"
		" AND wa.status = 'approved' AND wa.valid_until >= " DB_DISTRICT_TODAY "))"
		" AND (? IS NULL OR e.town = ?) AND (? = 0 OR e.park_id = ?)"
		" AND (? IS NULL OR e.industry LIKE ?) AND (? IS NULL OR s.grade = ?)"
		" AND (? IS NULL OR (? = 'none' AND w.id IS NULL) OR " WL_STATUS " = ?)"
		" AND (? IS NULL OR e.name LIKE ? OR (? IS NOT NULL AND e.uscc LIKE ?))"
		" ORDER BY e.id LIMIT ?",
		&r, DB_INT(f->after_id), DB_INT(f->scope_park_id), DB_INT(f->scope_park_id),
		DB_INT(f->scope_whitelisted), db_str(f->town), db_str(f->town), DB_INT(f->park_id),
		DB_INT(f->park_id), db_str(industry_like), db_str(industry_like), db_str(f->grade),
		db_str(f->grade), db_str(f->whitelist), db_str(f->whitelist), db_str(f->whitelist),
		db_str(name_like), db_str(name_like), db_str(uscc_like), db_str(uscc_like),
		DB_INT(f->limit + 1));
	free(name_like);
	free(uscc_like);
	free(industry_like);
	if (st != XYD_OK)
		return st;
	size_t n = page_rows(&r, f->limit, more);
	*rows = xcalloc(n ? n : 1, sizeof **rows);
	for (size_t i = 0; i < n; i++)
		view_from_row(&(*rows)[i], &r, i);
	*count = n;
	db_result_release(&r);
	return XYD_OK;
}

/* The stored values a patch merges with, locked for the update. */
static xyd_status lock_for_update(models_db *db, int64_t id, models_enterprise *cur,
				  int64_t *assets_fen)
{
	db_result r;
	xyd_status st = DB_QUERY(db,
				 "SELECT industry, employees, annual_revenue_fen,"
				 " COALESCE(total_assets_fen, -1), COALESCE(park_id, 0) FROM enterprises"
				 " WHERE id = ? FOR UPDATE",
				 &r, DB_INT(id));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 1) {
		db_cell_copy(cur->industry, sizeof cur->industry, &r, 0, 0);
		cur->employees = db_cell_int(&r, 0, 1);
		cur->annual_revenue_fen = db_cell_int(&r, 0, 2);
		*assets_fen = db_cell_int(&r, 0, 3);
		cur->park_id = db_cell_int(&r, 0, 4);
	} else {
		st = XYD_NOT_FOUND;
	}
	db_result_release(&r);
	return st;
}

/* The park part of a patch, the enterprise locked: the enterprise moving
 * itself into another park files a request (*set false: the park stays),
 * audited as "park_change.request" beside the update's own row; any other
 * park change applies (*set true) and ends a pending request. */
static xyd_status park_change(models_db *db, int64_t id, int64_t current_park,
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

xyd_status models_enterprise_update(models_db *db, const models_reference *ref, int64_t id,
				    const models_enterprise_patch *p, const models_audit *audit,
				    models_enterprise_view *out)
{
	models_enterprise cur;
	int64_t assets = -1;
	bool set_park = p->has_park;
	xyd_status st = db_begin(db);
	if (st != XYD_OK)
		return st;
	if ((st = lock_for_update(db, id, &cur, &assets)) != XYD_OK ||
	    (st = park_change(db, id, cur.park_id, p, audit, &set_park)) != XYD_OK)
		goto out;
	const char *industry = p->has_industry ? p->industry : cur.industry;
	int64_t staff = p->has_employees ? p->employees : cur.employees;
	int64_t revenue = p->has_revenue ? p->annual_revenue_fen : cur.annual_revenue_fen;
	const char *size = models_reference_size_class(ref, industry, staff, revenue, assets);
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
		      db_str(p->has_tags ? p->tags : ""), db_str(size), DB_INT(id));
	if (st != XYD_OK)
		goto out;
	if ((st = models_audit_write(db, audit)) != XYD_OK)
		goto out;
	if ((st = models_enterprise_view_get(db, id, out)) != XYD_OK)
		goto out;
	st = db_commit(db);
out:
	if (st != XYD_OK)
		db_rollback(db);
	return st;
}

/* ---- consent ---- */

#define AUTH_SELECT                                                                         \
	"SELECT a.id, a.enterprise_id, a.institution_id, i.name, a.source,"                  \
	" COALESCE(a.application_id, 0), DATE_FORMAT(a.granted_at, '%Y-%m-%dT%H:%i:%sZ'),"    \
	" DATE_FORMAT(a.expires_at, '%Y-%m-%dT%H:%i:%sZ'),"                                   \
	" DATE_FORMAT(a.revoked_at, '%Y-%m-%dT%H:%i:%sZ'),"                                   \
	" IF(a.revoked_at IS NOT NULL, 'revoked',"                                           \
	" IF(a.expires_at <= UTC_TIMESTAMP(6), 'expired', 'active'))"                          \
	" FROM credit_authorizations a JOIN institutions i ON i.id = a.institution_id"

static void authorization_from_row(models_authorization *a, const db_result *r, size_t i)
{
	memset(a, 0, sizeof *a);
	a->id = db_cell_int(r, i, 0);
	a->enterprise_id = db_cell_int(r, i, 1);
	a->institution_id = db_cell_int(r, i, 2);
	db_cell_copy(a->institution_name, sizeof a->institution_name, r, i, 3);
	db_cell_copy(a->source, sizeof a->source, r, i, 4);
	a->application_id = db_cell_int(r, i, 5);
	db_cell_copy(a->granted_at, sizeof a->granted_at, r, i, 6);
	db_cell_copy(a->expires_at, sizeof a->expires_at, r, i, 7);
	db_cell_copy(a->revoked_at, sizeof a->revoked_at, r, i, 8);
	db_cell_copy(a->status, sizeof a->status, r, i, 9);
}

xyd_status models_authorization_get(models_db *db, int64_t id, models_authorization *out)
{
	db_result r;
	xyd_status st = DB_QUERY(db, AUTH_SELECT " WHERE a.id = ?", &r, DB_INT(id));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 1)
		authorization_from_row(out, &r, 0);
	else
		st = XYD_NOT_FOUND;
	db_result_release(&r);
	return st;
}

xyd_status models_authorization_grant(models_db *db, int64_t enterprise_id, int64_t institution_id,
				      int64_t granted_by, const char *expires_at, models_audit *audit,
				      models_authorization *out)
{
	uint64_t id = 0;
	xyd_status st = db_begin(db);
	if (st != XYD_OK)
		return st;
	st = db_run(db,
		    "INSERT INTO credit_authorizations (enterprise_id, institution_id, source,"
		    " granted_by, granted_at, expires_at) VALUES (?, ?, 'explicit', ?,"
		    " UTC_TIMESTAMP(6), ?)",
		    (const db_param[]){DB_INT(enterprise_id), DB_INT(institution_id),
				       DB_INT(granted_by), db_str(expires_at)},
		    4, NULL, NULL, &id);
	if (st != XYD_OK)
		goto out;
	snprintf(audit->target_id, sizeof audit->target_id, "%llu", (unsigned long long)id);
	if ((st = models_audit_write(db, audit)) != XYD_OK)
		goto out;
	if ((st = models_authorization_get(db, (int64_t)id, out)) != XYD_OK)
		goto out;
	st = db_commit(db);
out:
	if (st != XYD_OK)
		db_rollback(db);
	return st;
}

xyd_status models_authorization_grant_for_application(models_db *db, int64_t enterprise_id,
						      int64_t institution_id, int64_t application_id,
						      int64_t granted_by, const char *expires_at,
						      int64_t *id)
{
	db_result r;
	uint64_t new_id = 0;
	xyd_status st = DB_QUERY(db,
				 "SELECT id FROM credit_authorizations WHERE enterprise_id = ?"
				 " AND institution_id = ? AND application_id = ? AND source = 'application'"
				 " AND revoked_at IS NULL AND expires_at > UTC_TIMESTAMP(6)"
				 " ORDER BY id DESC LIMIT 1 FOR UPDATE",
				 &r, DB_INT(enterprise_id), DB_INT(institution_id),
				 DB_INT(application_id));
	if (st != XYD_OK)
		return st;
	int64_t found = r.nrows ? db_cell_int(&r, 0, 0) : 0;
	db_result_release(&r);
	if (found) {
		st = DB_QUERY(db,
			      "UPDATE credit_authorizations SET expires_at = GREATEST(expires_at, ?)"
			      " WHERE id = ?",
			      NULL, db_str(expires_at), DB_INT(found));
	} else {
		st = db_run(db,
			    "INSERT INTO credit_authorizations (enterprise_id, institution_id, source,"
			    " application_id, granted_by, granted_at, expires_at)"
			    " VALUES (?, ?, 'application', ?, ?, UTC_TIMESTAMP(6), ?)",
			    (const db_param[]){DB_INT(enterprise_id), DB_INT(institution_id),
					       DB_INT(application_id), DB_INT(granted_by),
					       db_str(expires_at)},
			    5, NULL, NULL, &new_id);
		found = (int64_t)new_id;
	}
	if (st == XYD_OK && id)
		*id = found;
	return st;
}

xyd_status models_authorization_find_live(models_db *db, int64_t enterprise_id,
					  int64_t institution_id, int64_t *id)
{
	db_result r;
	xyd_status st = DB_QUERY(db,
				 "SELECT id FROM credit_authorizations WHERE enterprise_id = ?"
				 " AND institution_id = ? AND revoked_at IS NULL"
				 " AND expires_at > UTC_TIMESTAMP(6) ORDER BY expires_at DESC, id DESC LIMIT 1",
				 &r, DB_INT(enterprise_id), DB_INT(institution_id));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 1)
		*id = db_cell_int(&r, 0, 0);
	else
		st = XYD_NOT_FOUND;
	db_result_release(&r);
	return st;
}

xyd_status models_authorization_list(models_db *db, int64_t enterprise_id, int64_t before_id,
				     int limit, models_authorization **rows, size_t *count,
				     bool *more)
{
	db_result r;
	xyd_status st = DB_QUERY(db,
				 AUTH_SELECT " WHERE a.enterprise_id = ? AND (? = 0 OR a.id < ?)"
				 " ORDER BY a.id DESC LIMIT ?",
				 &r, DB_INT(enterprise_id), DB_INT(before_id), DB_INT(before_id),
				 DB_INT(limit + 1));
	if (st != XYD_OK)
		return st;
	size_t n = page_rows(&r, limit, more);
	*rows = xcalloc(n ? n : 1, sizeof **rows);
	for (size_t i = 0; i < n; i++)
		authorization_from_row(&(*rows)[i], &r, i);
	*count = n;
	db_result_release(&r);
	return XYD_OK;
}

xyd_status models_authorization_revoke(models_db *db, int64_t enterprise_id, int64_t id,
				       const models_audit *audit, bool *changed)
{
	db_result r;
	*changed = false;
	xyd_status st = db_begin(db);
	if (st != XYD_OK)
		return st;
	st = DB_QUERY(db,
		      "SELECT revoked_at IS NULL FROM credit_authorizations WHERE id = ?"
		      " AND enterprise_id = ? FOR UPDATE",
		      &r, DB_INT(id), DB_INT(enterprise_id));
	if (st != XYD_OK)
		goto out;
	bool found = r.nrows == 1, live = found && db_cell_int(&r, 0, 0);
	db_result_release(&r);
	if (!found) {
		st = XYD_NOT_FOUND;
		goto out;
	}
	if (live) {
		st = DB_QUERY(db,
			      "UPDATE credit_authorizations SET revoked_at = UTC_TIMESTAMP(6) WHERE id = ?",
			      NULL, DB_INT(id));
		if (st == XYD_OK)
			st = models_audit_write(db, audit);
		if (st != XYD_OK)
			goto out;
	}
	if ((st = db_commit(db)) == XYD_OK)
		*changed = live;
out:
	if (st != XYD_OK)
		db_rollback(db);
	return st;
}

/* ---- credit detail ---- */

xyd_status models_enterprise_credit_get(models_db *db, int64_t enterprise_id,
					models_enterprise_credit *out)
{
	db_result r;
	memset(out, 0, sizeof *out);
	xyd_status st = DB_QUERY(db,
				 "SELECT score, grade, model_version,"
				 " DATE_FORMAT(computed_at, '%Y-%m-%dT%H:%i:%sZ'), dishonest_debtor,"
				 " broken_commitments, factors_json FROM credit_scores WHERE enterprise_id = ?",
				 &r, DB_INT(enterprise_id));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 1) {
		out->enterprise_id = enterprise_id;
		out->score = (int)db_cell_int(&r, 0, 0);
		db_cell_copy(out->grade, sizeof out->grade, &r, 0, 1);
		db_cell_copy(out->model_version, sizeof out->model_version, &r, 0, 2);
		db_cell_copy(out->computed_at, sizeof out->computed_at, &r, 0, 3);
		out->dishonest_debtor = db_cell_int(&r, 0, 4) != 0;
		out->broken_commitments = (int)db_cell_int(&r, 0, 5);
		out->factors_json = xstrdup(db_cell(&r, 0, 6) ? db_cell(&r, 0, 6) : "[]");
	} else {
		st = XYD_NOT_FOUND;
	}
	db_result_release(&r);
	return st;
}

void models_enterprise_credit_release(models_enterprise_credit *c)
{
	free(c->factors_json);
	c->factors_json = NULL;
}

xyd_status models_enterprise_credit_records(models_db *db, int64_t enterprise_id, int64_t after_id,
					    int limit, models_credit_record_row **rows,
					    size_t *count, bool *more)
{
	db_result r;
	xyd_status st = DB_QUERY(
		db,
		"SELECT id, category, value_json, source_dept, source_record_id,"
		" DATE_FORMAT(observed_on, '%Y-%m-%d'), DATE_FORMAT(expires_on, '%Y-%m-%d'),"
		" minor_party, force_majeure, DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%sZ')"
		" FROM credit_records WHERE enterprise_id = ? AND id > ? ORDER BY id LIMIT ?",
		&r, DB_INT(enterprise_id), DB_INT(after_id), DB_INT(limit + 1));
	if (st != XYD_OK)
		return st;
	size_t n = page_rows(&r, limit, more);
	*rows = xcalloc(n ? n : 1, sizeof **rows);
	for (size_t i = 0; i < n; i++) {
		models_credit_record_row *c = &(*rows)[i];
		c->id = db_cell_int(&r, i, 0);
		db_cell_copy(c->category, sizeof c->category, &r, i, 1);
		c->value_json = xstrdup(db_cell(&r, i, 2) ? db_cell(&r, i, 2) : "{}");
		db_cell_copy(c->source_dept, sizeof c->source_dept, &r, i, 3);
		db_cell_copy(c->source_record_id, sizeof c->source_record_id, &r, i, 4);
		db_cell_copy(c->observed_on, sizeof c->observed_on, &r, i, 5);
		db_cell_copy(c->expires_on, sizeof c->expires_on, &r, i, 6);
		c->minor_party = db_cell_int(&r, i, 7) != 0;
		c->force_majeure = db_cell_int(&r, i, 8) != 0;
		db_cell_copy(c->created_at, sizeof c->created_at, &r, i, 9);
	}
	*count = n;
	db_result_release(&r);
	return XYD_OK;
}

void models_credit_record_rows_free(models_credit_record_row *rows, size_t count)
{
	for (size_t i = 0; rows && i < count; i++)
		free(rows[i].value_json);
	free(rows);
}

/* ---- access log ---- */

xyd_status models_enterprise_access_log(models_db *db, int64_t enterprise_id, int64_t before_id,
					int limit, models_access_log_row **rows, size_t *count,
					bool *more)
{
	db_result r;
	char target[24];
	snprintf(target, sizeof target, "%lld", (long long)enterprise_id);
	xyd_status st = DB_QUERY(
		db,
		"SELECT a.id, DATE_FORMAT(a.at, '%Y-%m-%dT%H:%i:%sZ'), a.role,"
		" COALESCE(u.institution_id, u.park_id, 0), COALESCE(i.name, p.name, ''), a.action,"
		" IF(a.detail LIKE '" MODELS_AUDIT_AUTHORIZATION_PREFIX "%',"
		" CAST(SUBSTRING(a.detail, 15) AS UNSIGNED), 0)"
		" FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id"
		" LEFT JOIN institutions i ON i.id = u.institution_id"
		" LEFT JOIN parks p ON p.id = u.park_id"
		" WHERE a.target_type = 'enterprise' AND a.target_id = ?"
		" AND a.action IN ('enterprise.credit_read', 'enterprise.credit_records_read')"
		" AND a.status < 300 AND (? = 0 OR a.id < ?) ORDER BY a.id DESC LIMIT ?",
		&r, db_str(target), DB_INT(before_id), DB_INT(before_id), DB_INT(limit + 1));
	if (st != XYD_OK)
		return st;
	size_t n = page_rows(&r, limit, more);
	*rows = xcalloc(n ? n : 1, sizeof **rows);
	for (size_t i = 0; i < n; i++) {
		models_access_log_row *a = &(*rows)[i];
		a->id = db_cell_int(&r, i, 0);
		db_cell_copy(a->at, sizeof a->at, &r, i, 1);
		db_cell_copy(a->actor_role, sizeof a->actor_role, &r, i, 2);
		a->org_id = db_cell_int(&r, i, 3);
		db_cell_copy(a->org_name, sizeof a->org_name, &r, i, 4);
		db_cell_copy(a->action, sizeof a->action, &r, i, 5);
		a->authorization_id = db_cell_int(&r, i, 6);
	}
	*count = n;
	db_result_release(&r);
	return XYD_OK;
}
