/*
 * One MariaDB connection, its prepared-statement cache and reconnection.
 * Statements are cached by the address of their SQL literal, so a hot path
 * prepares once per connection; a reconnect drops the cache and the next
 * call prepares again.
 */
#include "models/db_internal.h"

#include <ctype.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/base.h"
#include "common/log.h"
#include "common/xmalloc.h"

#define DB_STMT_CACHE_MAX 256
#define DB_RECONNECT_MS 500
#define DB_CONNECT_TIMEOUT_S 3
/* A failed call that took at least its timeout less this was a timeout. */
#define DB_TIMEOUT_SLACK_MS 250
#define DB_TX_RETRIES 3
#define DB_CELL_MIN 64

struct db_stmt_slot {
	const char *sql;
	MYSQL_STMT *stmt;
};

struct models_db {
	models_db_url url;
	MYSQL *mysql; /* NULL while down */
	struct db_stmt_slot stmts[DB_STMT_CACHE_MAX];
	size_t nstmts;
	int64_t last_attempt_ms;
	int64_t op_start_ms; /* when the current call began */
	unsigned last_errno;
	bool in_tx; /* between db_begin and commit/rollback */
	bool lost;  /* the last failure was a lost connection */
	models_db_stats stats;
};

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- URL ---------------------------------------------------------------- */

static char *url_decode(const char *s, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned v;
		if (s[i] == '%' && i + 2 < len && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2]) && sscanf(s + i + 1, "%2x", &v) == 1) {
			out[o++] = (char)v;
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

int models_db_url_parse(const char *url, models_db_url *out, char *err, size_t err_size)
{
	static const char scheme[] = "mariadb://";
	memset(out, 0, sizeof *out);
	if (strncmp(url, scheme, sizeof scheme - 1) != 0 && strncmp(url, "mysql://", 8) != 0) {
		snprintf(err, err_size, "database URL must start with mariadb://");
		return -1;
	}
	const char *p = strstr(url, "://") + 3;
	const char *at = strrchr(p, '@');
	const char *slash = strchr(at ? at : p, '/');
	if (!at || !slash) {
		snprintf(err, err_size,
			 "database URL must look like mariadb://user:password@host/dbname");
		return -1;
	}
	const char *colon = memchr(p, ':', (size_t)(at - p));
	out->user = url_decode(p, (size_t)((colon ? colon : at) - p));
	out->password = colon ? url_decode(colon + 1, (size_t)(at - colon - 1)) : xstrdup("");
	const char *host = at + 1;
	const char *port = memchr(host, ':', (size_t)(slash - host));
	out->host = xstrndup(host, (size_t)((port ? port : slash) - host));
	out->port = 3306;
	if (port) {
		char *end;
		long v = strtol(port + 1, &end, 10);
		if (end != slash || v < 1 || v > 65535) {
			snprintf(err, err_size, "database URL has a bad port");
			goto fail;
		}
		out->port = (unsigned)v;
	}
	const char *q = strchr(slash, '?');
	out->database = url_decode(slash + 1,
				   (size_t)((q ? q : slash + strlen(slash)) - slash - 1));
	if (q && strncmp(q, "?socket=", 8) == 0)
		out->socket = url_decode(q + 8, strlen(q + 8));
	else if (q) {
		snprintf(err, err_size, "database URL knows only the ?socket= option");
		goto fail;
	}
	if (!out->database[0] || !out->user[0]) {
		snprintf(err, err_size, "database URL needs a user and a database name");
		goto fail;
	}
	return 0;
fail:
	models_db_url_release(out);
	return -1;
}

void models_db_url_release(models_db_url *url)
{
	free(url->host);
	free(url->user);
	free(url->password);
	free(url->database);
	free(url->socket);
	memset(url, 0, sizeof *url);
}

static void url_copy(models_db_url *dst, const models_db_url *src)
{
	dst->host = src->host ? xstrdup(src->host) : NULL;
	dst->user = xstrdup(src->user);
	dst->password = xstrdup(src->password);
	dst->database = xstrdup(src->database);
	dst->socket = src->socket ? xstrdup(src->socket) : NULL;
	dst->port = src->port;
	dst->timeout_s = src->timeout_s;
}

/* ---- connection --------------------------------------------------------- */

int models_library_init(void)
{
	return mysql_library_init(0, NULL, NULL);
}

void models_library_end(void)
{
	mysql_library_end();
}

void models_thread_init(void)
{
	mysql_thread_init();
}

void models_thread_end(void)
{
	mysql_thread_end();
}

/* The watchdog's verdict (models_db_reachable). */
static bool db_reachable_flag = true;

bool models_db_reachable(void)
{
	return __atomic_load_n(&db_reachable_flag, __ATOMIC_ACQUIRE);
}

void models_db_set_reachable(bool up)
{
	__atomic_store_n(&db_reachable_flag, up, __ATOMIC_RELEASE);
}

static unsigned db_timeout_s(const models_db *db)
{
	return db->url.timeout_s ? db->url.timeout_s : MODELS_DB_TIMEOUT_DEFAULT_S;
}

static void db_drop_connection(models_db *db)
{
	for (size_t i = 0; i < db->nstmts; i++)
		mysql_stmt_close(db->stmts[i].stmt);
	db->nstmts = 0;
	if (db->mysql)
		mysql_close(db->mysql);
	db->mysql = NULL;
	db->stats.up = false;
}

static xyd_status db_connect(models_db *db)
{
	unsigned io = db_timeout_s(db),
		 timeout = io < DB_CONNECT_TIMEOUT_S ? io : DB_CONNECT_TIMEOUT_S;
	my_bool no = 0;
	char lock_wait[64];
	/* A row lock waited for longer than the I/O timeout would look like a
	 * hung database: give up on it first, as a retryable lock timeout. */
	snprintf(lock_wait, sizeof lock_wait, "SET SESSION innodb_lock_wait_timeout = %u",
		 io > 1 ? io - 1 : 1);
	db->last_attempt_ms = monotonic_ms();
	MYSQL *m = mysql_init(NULL);
	if (!m)
		return XYD_INTERNAL;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &io);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &io);
	mysql_options(m, MYSQL_OPT_RECONNECT, &no);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	/* UTC everywhere, and refuse silent truncation. */
	mysql_options(m, MYSQL_INIT_COMMAND,
		      "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,"
		      "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
	mysql_options(m, MYSQL_INIT_COMMAND,
		      "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
	/* Literals compare in the tables' collation, not the client default. */
	mysql_options(m, MYSQL_INIT_COMMAND, "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci");
	mysql_options(m, MYSQL_INIT_COMMAND, lock_wait);
	if (!mysql_real_connect(m, db->url.socket ? NULL : db->url.host, db->url.user,
				db->url.password, db->url.database, db->url.port, db->url.socket,
				0)) {
		log_msg(LOG_WARN, "cannot connect to the database: error %u", mysql_errno(m));
		db->last_errno = mysql_errno(m);
		mysql_close(m);
		return XYD_UNAVAILABLE;
	}
	db->mysql = m;
	db->stats.up = true;
	return XYD_OK;
}

models_db *models_db_new(const models_db_url *url, xyd_status *connect_status)
{
	models_db *db = xcalloc(1, sizeof *db);
	url_copy(&db->url, url);
	xyd_status s = db_connect(db);
	if (connect_status)
		*connect_status = s;
	return db;
}

models_db *models_db_clone(const models_db *db, xyd_status *connect_status)
{
	return models_db_new(&db->url, connect_status);
}

void models_db_free(models_db *db)
{
	if (!db)
		return;
	db_drop_connection(db);
	models_db_url_release(&db->url);
	free(db);
}

bool models_db_available(models_db *db)
{
	db->op_start_ms = monotonic_ms();
	if (!models_db_reachable()) {
		/* Fail fast, but never leave a transaction open on the connection:
		 * closing it makes the server roll the transaction back. */
		if (db->in_tx && db->mysql)
			db_drop_connection(db);
		return false;
	}
	if (db->mysql)
		return true;
	/* A transaction whose connection was lost cannot go on on a new one. */
	if (db->in_tx)
		return false;
	if (monotonic_ms() - db->last_attempt_ms < DB_RECONNECT_MS)
		return false;
	if (db_connect(db) != XYD_OK)
		return false;
	db->stats.reconnects++;
	log_msg(LOG_INFO, "database connection restored");
	return true;
}

bool models_db_probe(models_db *db)
{
	if (!db->mysql && db_connect(db) != XYD_OK)
		return false;
	if (mysql_ping(db->mysql) == 0)
		return true;
	db->last_errno = mysql_errno(db->mysql);
	db_drop_connection(db);
	return false;
}

void models_db_get_stats(const models_db *db, models_db_stats *out)
{
	*out = db->stats;
}

unsigned db_last_errno(const models_db *db)
{
	return db->last_errno;
}

static bool errno_is_connection_loss(unsigned e)
{
	return e == CR_SERVER_GONE_ERROR || e == CR_SERVER_LOST || e == CR_CONNECTION_ERROR ||
	       e == CR_CONN_HOST_ERROR || e == CR_SERVER_LOST_EXTENDED ||
	       e == ER_CONNECTION_KILLED || e == ER_SERVER_SHUTDOWN ||
	       e == 4031 /* ER_CLIENT_INTERACTION_TIMEOUT */ || e == CR_COMMANDS_OUT_OF_SYNC;
}

/* Classifies a failure; a lost connection is dropped so the next call reconnects. */
static xyd_status db_fail(models_db *db, unsigned e, const char *sql)
{
	db->last_errno = e;
	db->stats.errors++;
	if (e == ER_DUP_ENTRY || e == ER_DUP_ENTRY_WITH_KEY_NAME)
		return XYD_CONFLICT;
	if (e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT) {
		log_msg(LOG_WARN, "database lock conflict %u on: %.80s", e, sql);
		return XYD_UNAVAILABLE;
	}
	if (errno_is_connection_loss(e)) {
		int64_t waited = monotonic_ms() - db->op_start_ms;
		log_msg(LOG_WARN, "database connection lost (error %u) after %lld ms", e,
			(long long)waited);
		/* The database did not answer within the whole timeout: hung, not
		 * restarted. Every handle fails fast until the watchdog's next probe
		 * gets an answer. */
		if (e == CR_SERVER_LOST &&
		    waited + DB_TIMEOUT_SLACK_MS >= (int64_t)db_timeout_s(db) * 1000)
			models_db_set_reachable(false);
		db_drop_connection(db);
		db->lost = true;
		return XYD_UNAVAILABLE;
	}
	/* Only the statement text with its placeholders: never values. */
	log_msg(LOG_ERROR, "database error %u on: %.120s", e, sql);
	return XYD_INTERNAL;
}

/* ---- statements ---------------------------------------------------------- */

static MYSQL_STMT *db_prepare(models_db *db, const char *sql, xyd_status *st)
{
	for (size_t i = 0; i < db->nstmts; i++)
		if (db->stmts[i].sql == sql)
			return db->stmts[i].stmt;
	MYSQL_STMT *stmt = mysql_stmt_init(db->mysql);
	if (!stmt) {
		*st = XYD_INTERNAL;
		return NULL;
	}
	if (mysql_stmt_prepare(stmt, sql, strlen(sql)) != 0) {
		unsigned e = mysql_stmt_errno(stmt);
		mysql_stmt_close(stmt);
		*st = db_fail(db, e, sql);
		return NULL;
	}
	if (db->nstmts == DB_STMT_CACHE_MAX) {
		/* Evict the oldest; the cache only ever holds literals, so this is rare. */
		mysql_stmt_close(db->stmts[0].stmt);
		memmove(db->stmts, db->stmts + 1, sizeof db->stmts[0] * (DB_STMT_CACHE_MAX - 1));
		db->nstmts--;
	}
	db->stmts[db->nstmts++] = (struct db_stmt_slot){sql, stmt};
	return stmt;
}

static void bind_params(MYSQL_BIND *b, const db_param *p, size_t n, my_bool *nulls)
{
	for (size_t i = 0; i < n; i++) {
		memset(&b[i], 0, sizeof b[i]);
		nulls[i] = p[i].type == DB_P_NULL;
		b[i].is_null = &nulls[i];
		switch (p[i].type) {
		case DB_P_INT:
			b[i].buffer_type = MYSQL_TYPE_LONGLONG;
			b[i].buffer = (void *)&p[i].i;
			break;
		case DB_P_STR:
			b[i].buffer_type = MYSQL_TYPE_STRING;
			b[i].buffer = (void *)p[i].s;
			b[i].buffer_length = p[i].len;
			break;
		case DB_P_NULL:
			b[i].buffer_type = MYSQL_TYPE_NULL;
			break;
		}
	}
}

/* ---- rows one at a time ---- */

struct db_row {
	size_t ncols;
	MYSQL_BIND *b;
	unsigned long *lens;
	my_bool *nulls;
	my_bool *errs;
	bool *is_int;
	bool *is_date;
	int64_t *ints;
	MYSQL_TIME *dates;
	char **bufs;
	size_t *caps;
};

#define DB_ROW_CELL_MAX 65536 /* a longer cell is fetched whole, separately */

static bool field_is_int(const MYSQL_FIELD *f)
{
	switch (f->type) {
	case MYSQL_TYPE_TINY:
	case MYSQL_TYPE_SHORT:
	case MYSQL_TYPE_INT24:
	case MYSQL_TYPE_LONG:
	case MYSQL_TYPE_LONGLONG:
	case MYSQL_TYPE_YEAR:
		return true;
	default:
		return false;
	}
}

static void row_alloc(struct db_row *r, const MYSQL_FIELD *f, size_t nc)
{
	r->ncols = nc;
	r->b = xcalloc(nc, sizeof *r->b);
	r->lens = xcalloc(nc, sizeof *r->lens);
	r->nulls = xcalloc(nc, sizeof *r->nulls);
	r->errs = xcalloc(nc, sizeof *r->errs);
	r->is_int = xcalloc(nc, sizeof *r->is_int);
	r->is_date = xcalloc(nc, sizeof *r->is_date);
	r->ints = xcalloc(nc, sizeof *r->ints);
	r->dates = xcalloc(nc, sizeof *r->dates);
	r->bufs = xcalloc(nc, sizeof *r->bufs);
	r->caps = xcalloc(nc, sizeof *r->caps);
	for (size_t c = 0; c < nc; c++) {
		MYSQL_BIND *b = &r->b[c];
		b->length = &r->lens[c];
		b->is_null = &r->nulls[c];
		b->error = &r->errs[c];
		r->is_int[c] = field_is_int(&f[c]);
		r->is_date[c] = f[c].type == MYSQL_TYPE_DATE;
		/* Integers and dates arrive as such; bufs[c] still holds their text
		 * on demand. */
		size_t want = f[c].length < DB_CELL_MIN ? DB_CELL_MIN : f[c].length;
		bool binary = r->is_int[c] || r->is_date[c];
		r->caps[c] = (binary ? 24 : want < DB_ROW_CELL_MAX ? want : DB_ROW_CELL_MAX) + 1;
		r->bufs[c] = xmalloc(r->caps[c]);
		if (r->is_int[c]) {
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &r->ints[c];
			b->is_unsigned = (f[c].flags & UNSIGNED_FLAG) != 0;
		} else if (r->is_date[c]) {
			b->buffer_type = MYSQL_TYPE_DATE;
			b->buffer = &r->dates[c];
		} else {
			b->buffer_type = MYSQL_TYPE_STRING;
			b->buffer = r->bufs[c];
			b->buffer_length = r->caps[c];
		}
	}
}

static void row_release(struct db_row *r)
{
	for (size_t c = 0; r->bufs && c < r->ncols; c++)
		free(r->bufs[c]);
	free(r->bufs);
	free(r->caps);
	free(r->dates);
	free(r->ints);
	free(r->is_date);
	free(r->is_int);
	free(r->errs);
	free(r->nulls);
	free(r->lens);
	free(r->b);
}

/* After a fetch: fetches whole the text cells their buffers cut short and
 * terminates every text cell. Returns false when rebinding fails. */
static bool row_complete(MYSQL_STMT *stmt, struct db_row *r)
{
	bool rebind = false;
	for (size_t c = 0; c < r->ncols; c++) {
		if (r->is_int[c] || r->is_date[c] || r->nulls[c])
			continue;
		if (r->lens[c] >= r->caps[c]) {
			r->caps[c] = r->lens[c] + 1;
			r->bufs[c] = xrealloc(r->bufs[c], r->caps[c]);
			MYSQL_BIND one = r->b[c];
			one.buffer = r->bufs[c];
			one.buffer_length = r->caps[c];
			mysql_stmt_fetch_column(stmt, &one, (unsigned)c, 0);
			r->b[c].buffer = r->bufs[c];
			r->b[c].buffer_length = r->caps[c];
			rebind = true;
		}
		r->bufs[c][r->lens[c]] = '\0';
	}
	return !rebind || mysql_stmt_bind_result(stmt, r->b) == 0;
}

/* Fetches the next row of an executed statement: 1 when there is one (0
 * or MYSQL_DATA_TRUNCATED: the caller completes or cuts long text), 0 at
 * the end, -1 on failure with *st set. */
static int fetch_next(models_db *db, MYSQL_STMT *stmt, const char *sql, xyd_status *st)
{
	int rc = mysql_stmt_fetch(stmt);
	if (rc == MYSQL_NO_DATA)
		return 0;
	if (rc == 1) {
		*st = db_fail(db, mysql_stmt_errno(stmt), sql);
		return -1;
	}
	return 1;
}

/* Ends a statement's result (what is left of it is read and dropped) and
 * frees its metadata; returns st. */
static xyd_status fetch_done(models_db *db, MYSQL_STMT *stmt, MYSQL_RES *meta, xyd_status st)
{
	if (db->mysql)
		mysql_stmt_free_result(stmt);
	mysql_free_result(meta);
	return st;
}

/* Streams the rows of an executed statement to fn without buffering them. */
static xyd_status fetch_each(models_db *db, MYSQL_STMT *stmt, const char *sql, db_row_fn fn,
			     void *ctx)
{
	xyd_status st = XYD_OK;
	struct db_row row = {0};
	MYSQL_RES *meta = mysql_stmt_result_metadata(stmt);
	if (!meta)
		return XYD_OK;
	row_alloc(&row, mysql_fetch_fields(meta), mysql_num_fields(meta));
	if (mysql_stmt_bind_result(stmt, row.b) != 0) {
		st = db_fail(db, mysql_stmt_errno(stmt), sql);
		goto out;
	}
	for (int more; (more = fetch_next(db, stmt, sql, &st)) != 0;) {
		if (more < 0)
			goto out;
		/* A long text cell is completed here. */
		if (!row_complete(stmt, &row)) {
			st = db_fail(db, mysql_stmt_errno(stmt), sql);
			goto out;
		}
		fn(ctx, &row);
	}
out:
	row_release(&row);
	return fetch_done(db, stmt, meta, st);
}

/* db_run's rows, each cell copied out as text into a db_result. */
typedef struct {
	db_result *out; /* NULL: the rows are read and dropped */
	size_t cap;	/* rows out->cells has room for */
} text_sink;

static void copy_row_as_text(void *ctx, const db_row *row)
{
	text_sink *ts = ctx;
	db_result *out = ts->out;
	size_t nc = db_row_columns(row);
	if (!out)
		return;
	XYD_ASSERT(out->nrows == 0 || out->ncols == nc);
	out->ncols = nc;
	if (out->nrows == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 8;
		out->cells = xrealloc(out->cells, ts->cap * (nc ? nc : 1) * sizeof *out->cells);
	}
	for (size_t c = 0; c < nc; c++) {
		size_t len;
		const char *cell = db_row_str(row, c, &len);
		out->cells[out->nrows * nc + c] = cell ? xstrndup(cell, len) : NULL;
	}
	out->nrows++;
}

size_t db_row_columns(const db_row *r)
{
	return r->ncols;
}

bool db_row_is_null(const db_row *r, size_t col)
{
	return r->nulls[col] != 0;
}

int64_t db_row_int(const db_row *r, size_t col)
{
	if (r->nulls[col])
		return 0;
	return r->is_int[col] ? r->ints[col] : strtoll(r->bufs[col], NULL, 10);
}

const char *db_row_str(const db_row *r, size_t col, size_t *len)
{
	if (r->nulls[col]) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (r->is_int[col] || r->is_date[col]) {
		const MYSQL_TIME *t = &r->dates[col];
		int n = r->is_int[col] ? snprintf(r->bufs[col], r->caps[col], "%lld",
						  (long long)r->ints[col])
				       : snprintf(r->bufs[col], r->caps[col], "%04u-%02u-%02u",
						  t->year % 10000, t->month % 100, t->day % 100);
		if (len)
			*len = (size_t)n;
		return r->bufs[col];
	}
	if (len)
		*len = r->lens[col];
	return r->bufs[col];
}

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

bool db_row_days(const db_row *r, size_t col, int64_t *days)
{
	const MYSQL_TIME *t = &r->dates[col];
	if (r->nulls[col] || !r->is_date[col] || t->month < 1 || t->month > 12 || t->day < 1)
		return false;
	*days = days_from_civil(t->year, t->month, t->day);
	return true;
}

/* ---- whole records (models/record.h) ---- */

/* Where fetch_records puts rows: the first `keep` in rows (grown as they
 * come unless fixed: then rows is the caller's one struct), the rest only
 * counted. */
typedef struct rec_sink {
	const rec_type *t;
	char *rows;
	size_t count, cap, keep, seen;
	bool fixed;
} rec_sink;

/* Points column c's bind at field f of the struct at dest. */
static void rec_bind_field(MYSQL_BIND *b, const rec_field *f, char *dest)
{
	static const enum enum_field_types types[] = {
		[REC_T_I64] = MYSQL_TYPE_LONGLONG, [REC_T_INT] = MYSQL_TYPE_LONG,
		[REC_T_BOOL] = MYSQL_TYPE_TINY,	   [REC_T_ID] = MYSQL_TYPE_LONGLONG,
		[REC_T_TEXT] = MYSQL_TYPE_STRING,  [REC_T_OPT_TEXT] = MYSQL_TYPE_STRING,
	};
	b->buffer_type = types[f->type];
	b->buffer = dest + f->offset;
	b->buffer_length = f->size;
	b->is_unsigned = 0;
}

/* After a fetch into dest: text terminated (cut to its member), NULL as ""
 * or 0, a BOOL's byte made a bool. */
static void rec_finish_row(const rec_type *t, char *dest, const unsigned long *lens,
			   const my_bool *nulls)
{
	for (size_t c = 0; c < t->nfields; c++) {
		const rec_field *f = &t->fields[c];
		char *p = dest + f->offset;
		if (f->type == REC_T_TEXT || f->type == REC_T_OPT_TEXT) {
			size_t len = nulls[c] ? 0 : lens[c] < f->size ? lens[c] : f->size - 1;
			p[len] = '\0';
		} else if (f->type == REC_T_BOOL) {
			unsigned char v = 0;
			if (!nulls[c])
				memcpy(&v, p, 1);
			bool b = v != 0;
			memcpy(p, &b, sizeof b);
		} else if (nulls[c]) {
			memset(p, 0, f->size);
		}
	}
}

/* The struct the next row goes into: a new (zeroed) one of rows while
 * fewer than keep were kept, else scratch. */
static char *rec_next_dest(rec_sink *rs, char *scratch)
{
	size_t size = rs->t->size;
	if (rs->count >= rs->keep)
		return scratch;
	if (!rs->fixed && rs->count == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;
		if (cap > rs->keep)
			cap = rs->keep;
		rs->rows = xrealloc(rs->rows, cap * size);
		rs->cap = cap;
	}
	char *dest = rs->rows + rs->count * size;
	memset(dest, 0, size);
	return dest;
}

/* Streams an executed statement's rows into records: column c into field c
 * (c < t->nfields), further columns ignored. Each row is bound straight
 * into its struct, so nothing is copied twice or turned into text. */
static xyd_status fetch_records(models_db *db, MYSQL_STMT *stmt, const char *sql, rec_sink *rs)
{
	const rec_type *t = rs->t;
	MYSQL_RES *meta = mysql_stmt_result_metadata(stmt);
	if (!meta)
		return XYD_OK;
	size_t nc = mysql_num_fields(meta);
	xyd_status st = XYD_OK;
	MYSQL_BIND *b = xcalloc(nc, sizeof *b);
	unsigned long *lens = xcalloc(nc, sizeof *lens);
	my_bool *nulls = xcalloc(nc, sizeof *nulls);
	char *scratch = xcalloc(1, t->size), ignored[1];
	if (nc < t->nfields) {
		log_msg(LOG_ERROR, "%s: a statement gives %zu columns for %zu fields", t->name, nc,
			t->nfields);
		st = XYD_INTERNAL;
		goto out;
	}
	for (size_t c = 0; c < nc; c++) {
		b[c].length = &lens[c];
		b[c].is_null = &nulls[c];
		b[c].buffer_type = MYSQL_TYPE_STRING; /* an ignored column: cut to nothing */
		b[c].buffer = ignored;
	}
	for (;;) {
		char *dest = rec_next_dest(rs, scratch);
		for (size_t c = 0; c < t->nfields; c++)
			rec_bind_field(&b[c], &t->fields[c], dest);
		if (mysql_stmt_bind_result(stmt, b) != 0) {
			st = db_fail(db, mysql_stmt_errno(stmt), sql);
			goto out;
		}
		int more = fetch_next(db, stmt, sql, &st);
		if (more <= 0)
			break;
		/* An ignored column, or text longer than its member, was cut. */
		rec_finish_row(t, dest, lens, nulls);
		rs->seen++;
		if (dest != scratch)
			rs->count++;
	}
out:
	free(scratch);
	free(nulls);
	free(lens);
	free(b);
	return fetch_done(db, stmt, meta, st);
}

/* Where the rows of a statement go: out (may be NULL: discarded), fn, or
 * records. */
typedef struct {
	db_result *out;
	db_row_fn fn;
	void *ctx;
	struct rec_sink *rec;
} db_sink;

/* Binds, executes and fetches a prepared statement. Up to 64 parameters
 * are bound from the stack, more (dynamic statements) from the heap. */
static xyd_status stmt_execute(models_db *db, MYSQL_STMT *stmt, const char *sql,
			       const db_param *params, size_t nparams, const db_sink *sink,
			       uint64_t *affected, uint64_t *insert_id)
{
	enum { STACK_PARAMS = 64 };
	MYSQL_BIND stack_b[STACK_PARAMS];
	my_bool stack_nulls[STACK_PARAMS];
	MYSQL_BIND *b = stack_b;
	my_bool *nulls = stack_nulls;
	xyd_status st = XYD_OK;
	if (nparams > STACK_PARAMS) {
		b = xcalloc(nparams, sizeof *b);
		nulls = xcalloc(nparams, sizeof *nulls);
	}
	db->stats.queries++;
	bind_params(b, params, nparams, nulls);
	if (nparams && mysql_stmt_bind_param(stmt, b) != 0)
		st = db_fail(db, mysql_stmt_errno(stmt), sql);
	else if (mysql_stmt_execute(stmt) != 0)
		st = db_fail(db, mysql_stmt_errno(stmt), sql);
	if (b != stack_b) {
		free(b);
		free(nulls);
	}
	if (st != XYD_OK)
		return st;
	if (affected)
		*affected = mysql_stmt_affected_rows(stmt);
	if (insert_id)
		*insert_id = mysql_stmt_insert_id(stmt);
	if (sink->fn)
		return fetch_each(db, stmt, sql, sink->fn, sink->ctx);
	if (sink->rec)
		return fetch_records(db, stmt, sql, sink->rec);
	text_sink ts = {.out = sink->out};
	st = fetch_each(db, stmt, sql, copy_row_as_text, &ts);
	if (st != XYD_OK && sink->out)
		db_result_release(sink->out);
	return st;
}

static xyd_status db_run_once(models_db *db, const char *sql, const db_param *params,
			      size_t nparams, const db_sink *sink, uint64_t *affected,
			      uint64_t *insert_id)
{
	xyd_status st = XYD_INTERNAL;
	if (sink->out)
		memset(sink->out, 0, sizeof *sink->out);
	if (!models_db_available(db))
		return XYD_UNAVAILABLE;
	if (nparams > DB_CACHED_PARAMS_MAX)
		return XYD_INTERNAL;
	MYSQL_STMT *stmt = db_prepare(db, sql, &st);
	if (!stmt)
		return st;
	return stmt_execute(db, stmt, sql, params, nparams, sink, affected, insert_id);
}

/* Like db_run_once, for a statement prepared for this one call. */
static xyd_status db_run_dynamic_once(models_db *db, const char *sql, const db_param *params,
				      size_t nparams, const db_sink *sink, uint64_t *affected,
				      uint64_t *insert_id)
{
	if (sink->out)
		memset(sink->out, 0, sizeof *sink->out);
	if (!models_db_available(db))
		return XYD_UNAVAILABLE;
	if (nparams > DB_DYNAMIC_PARAMS_MAX)
		return XYD_INTERNAL;
	MYSQL_STMT *stmt = mysql_stmt_init(db->mysql);
	if (!stmt)
		return XYD_INTERNAL;
	xyd_status st;
	if (mysql_stmt_prepare(stmt, sql, strlen(sql)) != 0)
		st = db_fail(db, mysql_stmt_errno(stmt), sql);
	else
		st = stmt_execute(db, stmt, sql, params, nparams, sink, affected, insert_id);
	mysql_stmt_close(stmt);
	return st;
}

/* A connection found dead outside a transaction (MariaDB restarted since
 * its last use) is replaced at once and the statement run again: nothing
 * of it had happened. Inside a transaction the caller must start over. */
static bool retry_after_loss(models_db *db, xyd_status st)
{
	if (st != XYD_UNAVAILABLE || !db->lost || db->in_tx)
		return false;
	db->lost = false;
	db->last_attempt_ms = 0;
	return models_db_available(db);
}

xyd_status db_run(models_db *db, const char *sql, const db_param *params, size_t nparams,
		  db_result *out, uint64_t *affected, uint64_t *insert_id)
{
	db_sink sink = {.out = out};
	db->lost = false;
	xyd_status st = db_run_once(db, sql, params, nparams, &sink, affected, insert_id);
	if (retry_after_loss(db, st))
		st = db_run_once(db, sql, params, nparams, &sink, affected, insert_id);
	return st;
}

xyd_status db_first_int(models_db *db, const char *sql, const db_param *params, size_t nparams,
			int64_t *out)
{
	db_result r;
	xyd_status st = db_run(db, sql, params, nparams, &r, NULL, NULL);
	if (st != XYD_OK)
		return st;
	if (r.nrows == 0)
		st = XYD_NOT_FOUND;
	else if (out)
		*out = db_cell_int(&r, 0, 0);
	db_result_release(&r);
	return st;
}

xyd_status db_run_dynamic(models_db *db, const char *sql, const db_param *params, size_t nparams,
			  db_result *out, uint64_t *affected, uint64_t *insert_id)
{
	db_sink sink = {.out = out};
	db->lost = false;
	xyd_status st = db_run_dynamic_once(db, sql, params, nparams, &sink, affected, insert_id);
	if (retry_after_loss(db, st))
		st = db_run_dynamic_once(db, sql, params, nparams, &sink, affected, insert_id);
	return st;
}

/* A lost connection is found at execute, before any row reached fn, so
 * running the statement again after it cannot show fn a row twice. */
xyd_status db_run_each(models_db *db, const char *sql, bool dynamic, const db_param *params,
		       size_t nparams, db_row_fn fn, void *ctx)
{
	db_sink sink = {.fn = fn, .ctx = ctx};
	xyd_status (*run)(models_db *, const char *, const db_param *, size_t, const db_sink *,
			  uint64_t *, uint64_t *) = dynamic ? db_run_dynamic_once : db_run_once;
	db->lost = false;
	xyd_status st = run(db, sql, params, nparams, &sink, NULL, NULL);
	if (retry_after_loss(db, st))
		st = run(db, sql, params, nparams, &sink, NULL, NULL);
	return st;
}

/* Runs a cached statement into rs, once more after a lost connection
 * (nothing of it had happened: the loss is found at execute). */
static xyd_status db_run_records(models_db *db, const char *sql, const db_param *params,
				 size_t nparams, rec_sink *rs)
{
	db_sink sink = {.rec = rs};
	db->lost = false;
	xyd_status st = db_run_once(db, sql, params, nparams, &sink, NULL, NULL);
	if (retry_after_loss(db, st)) {
		rs->count = rs->seen = 0;
		st = db_run_once(db, sql, params, nparams, &sink, NULL, NULL);
	}
	return st;
}

/* Gives rs's rows to the caller after a read that ended with st: on
 * success never NULL (an empty array for no row), on failure NULL. */
static xyd_status rec_sink_hand_over(rec_sink *rs, xyd_status st, void **rows, size_t *count)
{
	if (st != XYD_OK) {
		free(rs->rows);
		rs->rows = NULL;
		rs->count = 0;
	} else if (!rs->rows) {
		rs->rows = xcalloc(1, rs->t->size);
	}
	*rows = rs->rows;
	*count = rs->count;
	return st;
}

xyd_status db_get_one(models_db *db, const char *sql, const db_param *params, size_t nparams,
		      const rec_type *t, void *out)
{
	rec_sink rs = {.t = t, .rows = out, .cap = 1, .keep = 1, .fixed = true};
	memset(out, 0, t->size);
	xyd_status st = db_run_records(db, sql, params, nparams, &rs);
	if (st == XYD_OK && rs.count == 0)
		st = XYD_NOT_FOUND;
	return st;
}

xyd_status db_get_all(models_db *db, const char *sql, const db_param *params, size_t nparams,
		      const rec_type *t, size_t max, void **rows, size_t *count)
{
	rec_sink rs = {.t = t, .keep = max};
	xyd_status st = db_run_records(db, sql, params, nparams, &rs);
	XYD_ASSERT(rs.count <= max);
	return rec_sink_hand_over(&rs, st, rows, count);
}

xyd_status db_get_page(models_db *db, const char *sql, const db_param *params, size_t nparams,
		       const rec_type *t, int limit, void **rows, size_t *count, bool *more)
{
	db_param p[DB_CACHED_PARAMS_MAX];
	XYD_ASSERT(limit >= 1 && nparams < DB_CACHED_PARAMS_MAX);
	if (nparams)
		memcpy(p, params, nparams * sizeof *p);
	p[nparams] = DB_INT((int64_t)limit + 1);
	rec_sink rs = {.t = t, .keep = (size_t)limit};
	xyd_status st = db_run_records(db, sql, p, nparams + 1, &rs);
	*more = st == XYD_OK && rs.seen > (size_t)limit;
	return rec_sink_hand_over(&rs, st, rows, count);
}

char *db_repeat_sql(const char *head, const char *tuple, size_t count, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tuple), taill = strlen(tail);
	XYD_ASSERT(count > 0);
	char *sql = xmalloc(hl + count * (tl + 1) + taill + 1), *p = sql;
	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < count; i++) {
		if (i)
			*p++ = ',';
		memcpy(p, tuple, tl);
		p += tl;
	}
	memcpy(p, tail, taill + 1);
	return sql;
}

const char *db_cell(const db_result *r, size_t row, size_t col)
{
	return r->cells[row * r->ncols + col];
}

int64_t db_cell_int(const db_result *r, size_t row, size_t col)
{
	const char *s = db_cell(r, row, col);
	return s ? strtoll(s, NULL, 10) : 0;
}

void db_cell_copy(char *dst, size_t size, const db_result *r, size_t row, size_t col)
{
	const char *s = db_cell(r, row, col);
	snprintf(dst, size, "%s", s ? s : "");
}

char *db_like_contains(const char *q)
{
	size_t n = strlen(q), o = 0;
	char *p = xmalloc(2 * n + 3);
	p[o++] = '%';
	for (size_t i = 0; i < n; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			p[o++] = '\\';
		p[o++] = q[i];
	}
	p[o++] = '%';
	p[o] = '\0';
	return p;
}

void db_result_release(db_result *r)
{
	if (r->cells)
		for (size_t i = 0; i < r->nrows * r->ncols; i++)
			free(r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof *r);
}

/* ---- transactions --------------------------------------------------------- */

static xyd_status db_simple(models_db *db, const char *sql)
{
	if (!models_db_available(db))
		return XYD_UNAVAILABLE;
	db->stats.queries++;
	if (mysql_real_query(db->mysql, sql, strlen(sql)) != 0)
		return db_fail(db, mysql_errno(db->mysql), sql);
	return XYD_OK;
}

xyd_status db_begin(models_db *db)
{
	db->lost = false;
	db->in_tx = false;
	xyd_status st = db_simple(db, "START TRANSACTION");
	if (retry_after_loss(db, st))
		st = db_simple(db, "START TRANSACTION");
	db->in_tx = st == XYD_OK;
	return st;
}

xyd_status db_commit(models_db *db)
{
	xyd_status st = db_simple(db, "COMMIT");
	db->in_tx = false;
	return st;
}

void db_rollback(models_db *db)
{
	if (db->mysql)
		(void)db_simple(db, "ROLLBACK");
	db->in_tx = false;
}

bool db_in_transaction(const models_db *db)
{
	return db->in_tx;
}

static bool errno_is_retryable(unsigned e)
{
	return e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT;
}

xyd_status db_transaction(models_db *db, db_tx_body body, void *ctx)
{
	xyd_status st = XYD_UNAVAILABLE;
	for (int attempt = 0; attempt < DB_TX_RETRIES; attempt++) {
		bool commit_anyway = false;
		db->last_errno = 0;
		st = db_begin(db);
		if (st != XYD_OK)
			return st;
		st = body(db, ctx, &commit_anyway);
		if (st == XYD_OK || commit_anyway) {
			xyd_status c = db_commit(db);
			if (c != XYD_OK)
				st = c;
		} else {
			db_rollback(db);
		}
		if (st != XYD_UNAVAILABLE || !errno_is_retryable(db->last_errno))
			return st;
		log_msg(LOG_INFO, "transaction retried after lock conflict (attempt %d)",
			attempt + 1);
	}
	return st;
}

/* ---- scripts ---------------------------------------------------------------- */

xyd_status db_run_script(models_db *db, const char *sql, size_t len, char *err, size_t err_size)
{
	if (!models_db_available(db)) {
		snprintf(err, err_size, "database is not reachable");
		return XYD_UNAVAILABLE;
	}
	MYSQL *m = db->mysql;
	xyd_status st = XYD_OK;
	mysql_set_server_option(m, MYSQL_OPTION_MULTI_STATEMENTS_ON);
	int rc = mysql_real_query(m, sql, len);
	while (rc == 0) {
		MYSQL_RES *res = mysql_store_result(m);
		if (res)
			mysql_free_result(res);
		rc = mysql_next_result(m);
	}
	if (rc > 0) {
		snprintf(err, err_size, "error %u: %s", mysql_errno(m), mysql_error(m));
		st = XYD_INTERNAL;
	}
	mysql_set_server_option(m, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
	return st;
}
