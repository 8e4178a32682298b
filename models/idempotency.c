/* Idempotency keys: see idempotency.h. */
#include "models/idempotency.h"

#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

typedef struct {
	const models_idem_key *key;
	models_idem_work work;
	void *ctx;
	models_idem_answer *answer;
	bool *replayed;
} idem_ctx;

static void answer_clear(models_idem_answer *a)
{
	free(a->body);
	a->body = NULL;
	a->status = 0;
}

/* Keys older than IDEM_PURGE_HOURS go, a bounded batch at a time, outside
 * any request's transaction. A failure only delays the purge. */
static void purge_old(models_db *db)
{
	xyd_status st = DB_QUERY(db,
				 "DELETE FROM idempotency_keys WHERE created_at < UTC_TIMESTAMP(6)"
				 " - INTERVAL ? HOUR LIMIT 100",
				 NULL, DB_INT(IDEM_PURGE_HOURS));
	if (st != XYD_OK)
		log_msg(LOG_WARN, "cannot purge old idempotency keys");
}

/* The key is taken: compares the stored request with this one and, when it
 * is the same, hands back the stored answer. The row is committed (the
 * insert that found it waited for its transaction to end). */
static xyd_status replay(models_db *db, idem_ctx *c)
{
	const models_idem_key *k = c->key;
	db_result r;
	xyd_status st = DB_QUERY(db,
				 "SELECT method, path, body_sha256, status_code, response_body"
				 " FROM idempotency_keys WHERE user_id = ? AND idem_key = ?"
				 " LOCK IN SHARE MODE",
				 &r, DB_INT(k->user_id), db_str(k->key));
	if (st != XYD_OK)
		return st;
	if (r.nrows != 1) {
		/* Purged between the insert and this read: ask the client to retry. */
		st = XYD_UNAVAILABLE;
	} else if (strcmp(db_cell(&r, 0, 0), k->method) != 0 ||
		   strcmp(db_cell(&r, 0, 1), k->path) != 0 ||
		   strcmp(db_cell(&r, 0, 2), k->body_sha256) != 0) {
		st = XYD_CONFLICT;
	} else {
		c->answer->status = (int)db_cell_int(&r, 0, 3);
		c->answer->body = xstrdup(db_cell(&r, 0, 4));
		*c->replayed = true;
	}
	db_result_release(&r);
	return st;
}

static xyd_status idem_body(models_db *db, void *arg, bool *commit_anyway)
{
	idem_ctx *c = arg;
	const models_idem_key *k = c->key;
	(void)commit_anyway;
	answer_clear(c->answer);
	*c->replayed = false;
	if (k) {
		/* First, so that a second request with this key waits here. */
		xyd_status st = DB_QUERY(
			db,
			"INSERT INTO idempotency_keys (user_id, idem_key, method, path,"
			" body_sha256, status_code, response_body) VALUES (?, ?, ?, ?, ?, 0, '')",
			NULL, DB_INT(k->user_id), db_str(k->key), db_str(k->method),
			db_str(k->path), db_str(k->body_sha256));
		if (st == XYD_CONFLICT)
			return replay(db, c);
		if (st != XYD_OK)
			return st;
	}
	xyd_status st = c->work(db, c->ctx, c->answer);
	if (st != XYD_OK || !k)
		return st;
	if (!c->answer->body) {
		log_msg(LOG_ERROR, "idempotent work answered no body");
		return XYD_INTERNAL;
	}
	return DB_QUERY(db,
			"UPDATE idempotency_keys SET status_code = ?, response_body = ?"
			" WHERE user_id = ? AND idem_key = ?",
			NULL, DB_INT(c->answer->status), db_str(c->answer->body),
			DB_INT(k->user_id), db_str(k->key));
}

xyd_status models_idempotent_transaction(models_db *db, const models_idem_key *key,
					 models_idem_work work, void *ctx,
					 models_idem_answer *answer, bool *replayed)
{
	idem_ctx c = {key, work, ctx, answer, replayed};
	answer->status = 0;
	answer->body = NULL;
	*replayed = false;
	if (key)
		purge_old(db);
	xyd_status st = db_transaction(db, idem_body, &c);
	if (st != XYD_OK)
		answer_clear(answer);
	return st;
}
