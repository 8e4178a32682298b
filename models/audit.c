/* Audit log rows: see audit.h. */
#include "models/audit.h"

#include <stdio.h>
#include <stdlib.h>

#include "common/xmalloc.h"
#include "models/db_internal.h"

xyd_status models_audit_write(models_db *db, const models_audit *e)
{
	return DB_QUERY(db,
			"INSERT INTO audit_log (actor_id, role, action, target_type, target_id, ip,"
			" status, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			NULL, db_opt_int(e->actor_id > 0, e->actor_id), db_str(e->role),
			db_str(e->action), db_str(e->target_type),
			db_str(e->target_id[0] ? e->target_id : NULL), db_str(e->ip ? e->ip : "-"),
			DB_INT(e->status), db_str(e->request_id ? e->request_id : "-"),
			db_str(e->detail));
}

xyd_status models_audit_list(models_db *db, const models_audit_filter *f,
			     models_audit_row **rows, size_t *count, bool *more)
{
	db_result r;
	*rows = NULL;
	*count = 0;
	*more = false;
	/* Each optional filter is "? IS NULL OR column = ?", so one prepared
	 * statement serves every combination. */
	xyd_status st = DB_QUERY(
		db,
		"SELECT id, DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%sZ'), actor_id, role, action,"
		" target_type, target_id, ip, status FROM audit_log"
		" WHERE (? = 0 OR id < ?) AND (? IS NULL OR actor_id = ?)"
		" AND (? IS NULL OR action = ?) AND (? IS NULL OR target_type = ?)"
		" AND (? IS NULL OR target_id = ?) AND (? IS NULL OR at >= ?)"
		" AND (? IS NULL OR at < ?) ORDER BY id DESC LIMIT ?",
		&r, DB_INT(f->before_id), DB_INT(f->before_id),
		db_opt_int(f->actor_id > 0, f->actor_id), db_opt_int(f->actor_id > 0, f->actor_id),
		db_str(f->action), db_str(f->action), db_str(f->target_type),
		db_str(f->target_type), db_str(f->target_id), db_str(f->target_id),
		db_str(f->from), db_str(f->from), db_str(f->to), db_str(f->to),
		DB_INT(f->limit + 1));
	if (st != XYD_OK)
		return st;
	size_t n = r.nrows > (size_t)f->limit ? (size_t)f->limit : r.nrows;
	*more = r.nrows > (size_t)f->limit;
	*rows = xcalloc(n, sizeof **rows);
	for (size_t i = 0; i < n; i++) {
		models_audit_row *a = &(*rows)[i];
		a->id = db_cell_int(&r, i, 0);
		db_cell_copy(a->at, sizeof a->at, &r, i, 1);
		a->actor_id = db_cell_int(&r, i, 2);
		db_cell_copy(a->role, sizeof a->role, &r, i, 3);
		db_cell_copy(a->action, sizeof a->action, &r, i, 4);
		db_cell_copy(a->target_type, sizeof a->target_type, &r, i, 5);
		db_cell_copy(a->target_id, sizeof a->target_id, &r, i, 6);
		db_cell_copy(a->ip, sizeof a->ip, &r, i, 7);
		a->status = (int)db_cell_int(&r, i, 8);
	}
	*count = n;
	db_result_release(&r);
	return XYD_OK;
}
