/* Audit log rows and their hash chain: see audit.h and migrations/0011. */
#include "models/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

#define CHAIN_HEX_LEN 64
#define CHAIN_TAG "xyd.audit_log.v1"
#define CHAIN_NULL_LEN UINT64_MAX /* the length prefix of a SQL NULL */
#define CHAIN_PAGE_ROWS 2000	  /* rows per statement when walking the log */
#define CHAIN_INSERT_ROWS 500	  /* rows per INSERT when chaining old rows */

/* The hashed columns, in hashing order, exactly as the chain reads them back
 * (at with its microseconds). Every reader of the chain selects these first;
 * unqualified, so that INSERT ... RETURNING reads them the same way (no
 * column of audit_chain shares a name with one of audit_log). */
#define CHAIN_COLS                                                                                 \
	"id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), actor_id, role, action, target_type,"        \
	" target_id, ip, status, request_id, detail"
#define CHAIN_NCOLS 11

typedef struct {
	char hex[CHAIN_HEX_LEN + 1];
} chain_hash;

static const chain_hash CHAIN_GENESIS = {
	"0000000000000000000000000000000000000000000000000000000000000000"};

/* One length-prefixed field: 8 bytes big-endian length (all ones for NULL),
 * then the bytes. No two different field lists encode alike. */
static void hash_field(crypto_hash_sha256_state *h, const char *s, size_t len)
{
	uint64_t n = s ? (uint64_t)len : CHAIN_NULL_LEN;
	unsigned char be[8];
	for (int i = 0; i < 8; i++)
		be[i] = (unsigned char)(n >> (56 - 8 * i));
	crypto_hash_sha256_update(h, be, sizeof be);
	if (s)
		crypto_hash_sha256_update(h, (const unsigned char *)s, len);
}

/* SHA-256 over the tag, the previous row's hash and the CHAIN_COLS of row. */
static void hash_row(const chain_hash *prev, const db_row *row, chain_hash *out)
{
	crypto_hash_sha256_state h;
	unsigned char bin[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&h);
	hash_field(&h, CHAIN_TAG, sizeof CHAIN_TAG - 1);
	hash_field(&h, prev->hex, CHAIN_HEX_LEN);
	for (size_t c = 0; c < CHAIN_NCOLS; c++) {
		size_t len;
		const char *s = db_row_str(row, c, &len);
		hash_field(&h, s, len);
	}
	crypto_hash_sha256_final(&h, bin);
	sodium_bin2hex(out->hex, sizeof out->hex, bin, sizeof bin);
}

/* ---- appending ---- */

typedef struct {
	int64_t last_id;
	chain_hash last;
	int64_t legacy_to_id; /* 0: nothing left to chain from before 0011 */
} chain_head;

static xyd_status head_read(models_db *db, bool lock, chain_head *h)
{
	db_result r;
	xyd_status st = lock ? DB_QUERY(db,
					"SELECT last_id, last_hash, COALESCE(legacy_to_id, 0)"
					" FROM audit_chain_head WHERE id = ? FOR UPDATE",
					&r, DB_INT(1))
			     : DB_QUERY(db,
					"SELECT last_id, last_hash, COALESCE(legacy_to_id, 0)"
					" FROM audit_chain_head WHERE id = ?",
					&r, DB_INT(1));
	if (st != XYD_OK)
		return st;
	if (r.nrows == 1) {
		h->last_id = db_cell_int(&r, 0, 0);
		db_cell_copy(h->last.hex, sizeof h->last.hex, &r, 0, 1);
		h->legacy_to_id = db_cell_int(&r, 0, 2);
	} else {
		st = XYD_INTERNAL;
		log_msg(LOG_ERROR, "audit_chain_head has no row: the audit chain cannot go on");
	}
	db_result_release(&r);
	return st;
}

/* The rows from before 0011 are chained; the head's own columns follow
 * each chain row by trigger. */
static xyd_status head_legacy_done(models_db *db)
{
	return DB_QUERY(db, "UPDATE audit_chain_head SET legacy_to_id = NULL WHERE id = ?", NULL,
			DB_INT(1));
}

/* Rows read back for chaining, hashed in order from prev; the arrays (cap
 * entries each) belong to the caller. */
typedef struct {
	chain_hash prev;
	size_t n, cap;
	int64_t *ids;
	chain_hash *prevs, *hashes;
} chain_batch;

static void batch_row(void *ctx, const db_row *row)
{
	chain_batch *b = ctx;
	if (b->n == b->cap)
		return; /* never: the statements ask for at most cap rows */
	b->ids[b->n] = db_row_int(row, 0);
	b->prevs[b->n] = b->prev;
	hash_row(&b->prev, row, &b->hashes[b->n]);
	b->prev = b->hashes[b->n];
	b->n++;
}

/* Inserts the batch's chain rows in one statement. */
static xyd_status batch_insert(models_db *db, const chain_batch *b)
{
	static const char head[] =
		"INSERT INTO audit_chain (audit_id, prev_hash, row_hash) VALUES ",
			  one[] = "(?, ?, ?),";
	char *sql = xmalloc(sizeof head + b->n * (sizeof one - 1));
	db_param *p = xcalloc(b->n * 3, sizeof *p);
	size_t o = sizeof head - 1;
	memcpy(sql, head, o);
	for (size_t i = 0; i < b->n; i++) {
		memcpy(sql + o, one, sizeof one - 1);
		o += sizeof one - 1;
		p[3 * i] = DB_INT(b->ids[i]);
		p[3 * i + 1] = db_str(b->prevs[i].hex);
		p[3 * i + 2] = db_str(b->hashes[i].hex);
	}
	sql[o - 1] = '\0'; /* the last comma */
	xyd_status st = db_run_dynamic(db, sql, p, b->n * 3, NULL, NULL, NULL);
	free(p);
	free(sql);
	return st;
}

/* Chains the rows older than migration 0011 (id <= h->legacy_to_id), in id
 * order from the genesis; the caller holds the head locked. */
static xyd_status chain_legacy(models_db *db, chain_head *h, size_t *count)
{
	xyd_status st = XYD_OK;
	chain_batch *b = &(chain_batch){.prev = h->last, .cap = CHAIN_INSERT_ROWS};
	b->ids = xcalloc(b->cap, sizeof *b->ids);
	b->prevs = xcalloc(b->cap, sizeof *b->prevs);
	b->hashes = xcalloc(b->cap, sizeof *b->hashes);
	do {
		b->n = 0;
		st = db_run_each(db,
				 "SELECT " CHAIN_COLS " FROM audit_log WHERE id > ? AND id <= ?"
				 " ORDER BY id LIMIT 500",
				 false,
				 (const db_param[]){DB_INT(h->last_id), DB_INT(h->legacy_to_id)}, 2,
				 batch_row, b);
		if (st == XYD_OK && b->n > 0 && (st = batch_insert(db, b)) == XYD_OK) {
			h->last_id = b->ids[b->n - 1];
			h->last = b->prev;
			*count += b->n;
		}
	} while (st == XYD_OK && b->n == CHAIN_INSERT_ROWS);
	free(b->hashes);
	free(b->prevs);
	free(b->ids);
	if (st == XYD_OK)
		h->legacy_to_id = 0;
	return st;
}

_Static_assert(CHAIN_INSERT_ROWS == 500, "chain_legacy's LIMIT literal");

/* The append itself; the caller's transaction holds what it writes. Three
 * statements: the head locked, the row inserted and read back as stored
 * (RETURNING, so the hash covers exactly what verify will read), its chain
 * row inserted (whose trigger moves the head, migrations/0011). */
static xyd_status audit_append(models_db *db, const models_audit *e)
{
	chain_head h;
	size_t legacy = 0;
	/* The head, locked until the caller commits, serialises appends: each
	 * row's id and hash follow the last committed row's. */
	xyd_status st = head_read(db, true, &h);
	if (st == XYD_OK && h.legacy_to_id > 0 && (st = chain_legacy(db, &h, &legacy)) == XYD_OK)
		st = head_legacy_done(db);
	if (st != XYD_OK)
		return st;
	int64_t id = 0;
	chain_hash prev = h.last, hash;
	chain_batch *b = &(chain_batch){
		.prev = h.last, .cap = 1, .ids = &id, .prevs = &prev, .hashes = &hash};
	st = db_run_each(
		db,
		"INSERT INTO audit_log (actor_id, role, action, target_type, target_id, ip, status,"
		" request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " CHAIN_COLS,
		false,
		(const db_param[]){db_opt_int(e->actor_id > 0, e->actor_id), db_str(e->role),
				   db_str(e->action), db_str(e->target_type),
				   db_str(e->target_id[0] ? e->target_id : NULL),
				   db_str(e->ip ? e->ip : "-"), DB_INT(e->status),
				   db_str(e->request_id ? e->request_id : "-"), db_str(e->detail)},
		9, batch_row, b);
	if (st == XYD_OK && b->n != 1)
		st = XYD_INTERNAL;
	if (st == XYD_OK)
		st = DB_QUERY(
			db,
			"INSERT INTO audit_chain (audit_id, prev_hash, row_hash) VALUES (?, ?, ?)",
			NULL, DB_INT(id), db_str(prev.hex), db_str(hash.hex));
	return st;
}

static xyd_status append_tx(models_db *db, void *ctx, bool *commit_anyway)
{
	(void)commit_anyway;
	return audit_append(db, ctx);
}

xyd_status models_audit_write(models_db *db, const models_audit *e)
{
	if (db_in_transaction(db))
		return audit_append(db, e);
	return db_transaction(db, append_tx, (void *)e);
}

xyd_status models_audit_write_id(models_db *db, models_audit *e, int64_t id)
{
	snprintf(e->target_id, sizeof e->target_id, "%lld", (long long)id);
	return models_audit_write(db, e);
}

static xyd_status legacy_tx(models_db *db, void *ctx, bool *commit_anyway)
{
	(void)commit_anyway;
	chain_head h;
	size_t *count = ctx;
	*count = 0; /* again from zero if the transaction is retried */
	xyd_status st = head_read(db, true, &h);
	if (st != XYD_OK || h.legacy_to_id == 0)
		return st;
	if ((st = chain_legacy(db, &h, count)) != XYD_OK)
		return st;
	return head_legacy_done(db);
}

xyd_status models_audit_chain_legacy(models_db *db, size_t *count)
{
	*count = 0;
	return db_transaction(db, legacy_tx, count);
}

/* ---- verifying ---- */

typedef struct {
	chain_hash running; /* hash of the last good row */
	int64_t last_id;    /* id of the last row seen */
	int64_t bad_id;	    /* first bad row; 0 while all hold */
	uint64_t rows;	    /* rows checked */
	size_t page_rows;
} verify_walk;

static bool hex_equal(const char *stored, size_t len, const chain_hash *h)
{
	return stored && len == CHAIN_HEX_LEN && memcmp(stored, h->hex, CHAIN_HEX_LEN) == 0;
}

static void verify_row(void *ctx, const db_row *row)
{
	verify_walk *w = ctx;
	w->page_rows++;
	w->last_id = db_row_int(row, 0);
	if (w->bad_id)
		return;
	w->rows++;
	chain_hash h;
	size_t plen, hlen;
	const char *prev = db_row_str(row, CHAIN_NCOLS, &plen);
	const char *stored = db_row_str(row, CHAIN_NCOLS + 1, &hlen);
	hash_row(&w->running, row, &h);
	if (!hex_equal(prev, plen, &w->running) || !hex_equal(stored, hlen, &h))
		w->bad_id = w->last_id;
	else
		w->running = h;
}

/* A row after the head with no chain row: written around the chain. */
static xyd_status verify_after_head(models_db *db, int64_t head_id, int64_t *bad_id)
{
	xyd_status st = DB_QUERY_INT(
		db,
		"SELECT a.id FROM audit_log a LEFT JOIN audit_chain c ON c.audit_id = a.id"
		" WHERE a.id > ? AND c.audit_id IS NULL ORDER BY a.id LIMIT 1",
		bad_id, DB_INT(head_id));
	return st == XYD_NOT_FOUND ? XYD_OK : st;
}

xyd_status models_audit_verify(models_db *db, models_audit_verdict *out)
{
	chain_head h;
	verify_walk w = {.running = CHAIN_GENESIS};
	memset(out, 0, sizeof *out);
	/* The head first: every row up to it was committed before it was read. */
	xyd_status st = head_read(db, false, &h);
	int64_t after = 0;
	while (st == XYD_OK && !w.bad_id) {
		w.page_rows = 0;
		st = db_run_each(db,
				 "SELECT " CHAIN_COLS ", prev_hash, row_hash FROM audit_log"
				 " LEFT JOIN audit_chain ON audit_id = id"
				 " WHERE id > ? AND id <= ? ORDER BY id LIMIT 2000",
				 false, (const db_param[]){DB_INT(after), DB_INT(h.last_id)}, 2,
				 verify_row, &w);
		if (w.page_rows < CHAIN_PAGE_ROWS)
			break;
		after = w.last_id;
	}
	/* A deleted last row (or a head rewritten) leaves the walk short of it. */
	if (st == XYD_OK && !w.bad_id &&
	    (w.last_id != h.last_id || strcmp(w.running.hex, h.last.hex) != 0))
		w.bad_id = h.last_id > 0 ? h.last_id : w.last_id;
	if (st == XYD_OK && !w.bad_id)
		st = verify_after_head(db, h.last_id, &w.bad_id);
	if (st != XYD_OK)
		return st;
	out->ok = w.bad_id == 0;
	out->rows = w.rows;
	out->first_bad_id = w.bad_id;
	return XYD_OK;
}

_Static_assert(CHAIN_PAGE_ROWS == 2000, "models_audit_verify's LIMIT literal");

REC_TYPE_DEFINE(models_audit_row, MODELS_AUDIT_ROW_FIELDS)

xyd_status models_audit_list(models_db *db, const models_audit_filter *f, models_audit_row **rows,
			     size_t *count, bool *more)
{
	/* Each optional filter is "? IS NULL OR column = ?", so one prepared
	 * statement serves every combination. */
	return db_get_page(
		db,
		"SELECT " REC_COLUMNS(
			MODELS_AUDIT_ROW_FIELDS) " FROM audit_log"
						 " WHERE (? = 0 OR id < ?) AND (? IS NULL OR actor_id = ?)"
						 " AND (? IS NULL OR action = ?) AND (? IS NULL OR target_type = ?)"
						 " AND (? IS NULL OR target_id = ?) AND (? IS NULL OR at >= ?)"
						 " AND (? IS NULL OR at < ?) ORDER BY id DESC LIMIT ?",
		DB_PARAMS(DB_INT(f->before_id), DB_INT(f->before_id),
			  db_opt_int(f->actor_id > 0, f->actor_id),
			  db_opt_int(f->actor_id > 0, f->actor_id), db_str(f->action),
			  db_str(f->action), db_str(f->target_type), db_str(f->target_type),
			  db_str(f->target_id), db_str(f->target_id), db_str(f->from),
			  db_str(f->from), db_str(f->to), db_str(f->to)),
		models_audit_row_rec(), f->limit, (void **)rows, count, more);
}
