/* Migration runner: see migrate.h. */
#include "models/migrate.h"

#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

#define MIGRATION_NAME_MAX 128
#define MIGRATIONS_MAX 1000
#define MIGRATION_FILE_MAX (8 * 1024 * 1024)

static bool is_migration_name(const char *n)
{
	size_t len = strlen(n);
	if (len < 10 || len >= MIGRATION_NAME_MAX || strcmp(n + len - 4, ".sql") != 0)
		return false;
	for (int i = 0; i < 4; i++)
		if (n[i] < '0' || n[i] > '9')
			return false;
	if (n[4] != '_')
		return false;
	for (size_t i = 5; i < len - 4; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') || (n[i] >= '0' && n[i] <= '9') || n[i] == '_'))
			return false;
	return true;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted file names; the caller frees each and the array. */
static int list_migrations(const char *dir, char ***names_out, size_t *count_out)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	char **names = xcalloc(MIGRATIONS_MAX, sizeof *names);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < MIGRATIONS_MAX)
		if (is_migration_name(e->d_name))
			names[n++] = xstrdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, compare_names);
	*names_out = names;
	*count_out = n;
	return 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = xmalloc(MIGRATION_FILE_MAX + 1);
	*len = fread(buf, 1, MIGRATION_FILE_MAX + 1, f);
	bool bad = ferror(f) || *len > MIGRATION_FILE_MAX;
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

static void sha256_hex(const char *buf, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)buf, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* Creates schema_migrations unless it exists: an account without CREATE
 * (the server's own, when XYD_DB_MIGRATE is not given) can still start on
 * an up-to-date database. */
/* *exists tells whether schema_migrations exists. */
static xyd_status table_exists(models_db *db, bool *exists)
{
	int64_t n = 0;
	xyd_status st = db_first_int(
		db,
		"SELECT COUNT(*) FROM information_schema.tables"
		" WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'",
		NULL, 0, &n);
	*exists = n > 0;
	return st;
}

static xyd_status ensure_table(models_db *db)
{
	bool exists = false;
	xyd_status st = table_exists(db, &exists);
	if (st != XYD_OK || exists)
		return st;
	return db_run(db,
		      "CREATE TABLE IF NOT EXISTS schema_migrations ("
		      " version INT NOT NULL PRIMARY KEY,"
		      " name VARCHAR(128) NOT NULL,"
		      " checksum CHAR(64) NOT NULL,"
		      " applied_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6)"
		      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
		      NULL, 0, NULL, NULL, NULL);
}

/* 1 applied now, 0 already applied unchanged, -1 error. */
static int apply_one(models_db *db, const char *dir, const char *name, char *err, size_t err_size)
{
	int rc = -1;
	db_result r = {0};
	char *path = xasprintf("%s/%s", dir, name), *sql = NULL, sum[65];
	size_t len;
	if (!(sql = read_file(path, &len))) {
		snprintf(err, err_size, "cannot read migration '%s'", path);
		goto out;
	}
	sha256_hex(sql, len, sum);
	int version = atoi(name);
	if (DB_QUERY(db, "SELECT checksum FROM schema_migrations WHERE version = ?", &r,
		     DB_INT(version)) != XYD_OK) {
		snprintf(err, err_size, "cannot read schema_migrations");
		goto out;
	}
	if (r.nrows) {
		rc = 0;
		if (strcmp(db_cell(&r, 0, 0), sum) != 0) {
			snprintf(
				err, err_size,
				"migration '%s' changed after it was applied (recorded sha256 %.12s…, "
				"file %.12s…); restore it and add a new migration instead",
				name, db_cell(&r, 0, 0), sum);
			rc = -1;
		}
		goto out;
	}
	char script_err[512];
	if (db_run_script(db, sql, len, script_err, sizeof script_err) != XYD_OK) {
		snprintf(err, err_size, "migration '%s' failed: %s", name, script_err);
		goto out;
	}
	if (DB_QUERY(db, "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
		     NULL, DB_INT(version), db_str(name), db_str(sum)) != XYD_OK) {
		snprintf(err, err_size, "cannot record migration '%s'", name);
		goto out;
	}
	log_msg(LOG_INFO, "applied migration %s", name);
	rc = 1;
out:
	db_result_release(&r);
	free(sql);
	free(path);
	return rc;
}

static xyd_status take_lock(models_db *db, bool take)
{
	int64_t got = 0;
	xyd_status st = take ? db_first_int(db, "SELECT GET_LOCK('xinyidai_migrate', 60)", NULL, 0,
					    &got)
			     : db_first_int(db, "SELECT RELEASE_LOCK('xinyidai_migrate')", NULL, 0,
					    NULL);
	return st == XYD_OK && take && got != 1 ? XYD_UNAVAILABLE : st;
}

int models_migrate(models_db *db, const char *dir, char *err, size_t err_size)
{
	char **names = NULL;
	size_t n = 0;
	int applied = -1;
	if (list_migrations(dir, &names, &n) != 0) {
		snprintf(err, err_size, "cannot read the migrations folder '%s'", dir);
		return -1;
	}
	if (take_lock(db, true) != XYD_OK) {
		snprintf(err, err_size, "cannot take the migration lock");
		goto out;
	}
	if (ensure_table(db) != XYD_OK) {
		snprintf(err, err_size, "cannot create schema_migrations");
		goto unlock;
	}
	applied = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = apply_one(db, dir, names[i], err, err_size);
		if (rc < 0) {
			applied = -1;
			break;
		}
		applied += rc;
	}
unlock:
	take_lock(db, false);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return applied;
}

int models_migrate_is_fresh(models_db *db, const char *dir, char *err, size_t err_size)
{
	(void)dir;
	bool exists = false;
	if (table_exists(db, &exists) != XYD_OK) {
		snprintf(err, err_size, "cannot inspect the database");
		return -1;
	}
	return !exists;
}

xyd_status models_startup_task_pending(models_db *db, const char *name, bool *pending)
{
	xyd_status st = DB_QUERY_INT(db, "SELECT 1 FROM startup_tasks WHERE name = ?", NULL,
				     db_str(name));
	*pending = st == XYD_OK;
	return st == XYD_NOT_FOUND ? XYD_OK : st;
}

xyd_status models_startup_task_done(models_db *db, const char *name)
{
	return DB_QUERY(db, "DELETE FROM startup_tasks WHERE name = ?", NULL, db_str(name));
}
