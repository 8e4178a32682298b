/* Table-level rights of the server's account: see grants.h. */
#include "models/grants.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xmalloc.h"
#include "models/db_internal.h"

#define GRANTS_DEFAULT "SELECT, INSERT, UPDATE, DELETE"
#define GRANTS_PRIVS_MAX 16
#define GRANTS_SQL_MAX 1024

/* The one list of exceptions to GRANTS_DEFAULT. A table not named here,
 * including one a later migration adds, gets the default. */
static const struct {
	const char *table;
	const char *privileges;
} grants_exceptions[] = {
	/* Append-only history: rows are added, never edited or removed. */
	{"audit_log", "SELECT, INSERT"},
	{"ledger_journals", "SELECT, INSERT"},
	{"ledger_postings", "SELECT, INSERT"},
	{"audit_chain", "SELECT, INSERT"},
	/* The chain's head: one row, moved on (never removed) with each append. */
	{"audit_chain_head", "SELECT, UPDATE"},
	/* Reference data and the migration record: only migrations write them. */
	{"towns", "SELECT"},
	{"parks", "SELECT"},
	{"industries", "SELECT"},
	{"size_class_rules", "SELECT"},
	{"size_class_rule_prefixes", "SELECT"},
	{"schema_migrations", "SELECT"},
};

const char *models_grants_for_table(const char *table)
{
	for (size_t i = 0; i < sizeof grants_exceptions / sizeof grants_exceptions[0]; i++)
		if (strcmp(grants_exceptions[i].table, table) == 0)
			return grants_exceptions[i].privileges;
	return GRANTS_DEFAULT;
}

/* True when priv ("UPDATE") is an item of list ("SELECT, UPDATE"). */
static bool list_has(const char *list, const char *priv)
{
	size_t n = strlen(priv);
	for (const char *p = list; (p = strstr(p, priv)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

/* Appends ", priv" (or "priv") to buf. */
static void list_add(char *buf, size_t size, const char *priv)
{
	size_t len = strlen(buf);
	snprintf(buf + len, size - len, "%s%s", len ? ", " : "", priv);
}

/* 'user'@'host' from CURRENT_USER()'s user@host, quoted for SQL; NULL when
 * it holds a quote or a backslash (never from MariaDB). Caller frees. */
static char *account_sql(const char *current_user)
{
	const char *at = strrchr(current_user, '@');
	if (!at || strpbrk(current_user, "'\\"))
		return NULL;
	return xasprintf("'%.*s'@'%s'", (int)(at - current_user), current_user, at + 1);
}

typedef struct {
	char *account; /* 'user'@'host' */
	char *database;
	db_result table_privs; /* table_name, privilege_type */
	bool db_wide;	       /* holds rights on database.* */
	bool global;	       /* holds rights on *.* */
} server_rights;

static void server_rights_release(server_rights *r)
{
	free(r->account);
	free(r->database);
	db_result_release(&r->table_privs);
}

/* What the server's account holds now, asked as that account (every account
 * may read information_schema, which shows it its own grants). */
static int read_server_rights(const models_db_url *url, const char *database, server_rights *out,
			      char *err, size_t err_size)
{
	int rc = -1;
	db_result who = {0}, n = {0};
	char schema[] = "information_schema";
	models_db_url u = *url;
	u.database = schema;
	xyd_status st;
	models_db *db = models_db_new(&u, &st);
	out->database = xstrdup(database);
	if (st != XYD_OK) {
		snprintf(err, err_size,
			 "cannot connect as the server's account (XYD_DB) to read its rights");
		goto out;
	}
	if (db_run(db, "SELECT CURRENT_USER()", NULL, 0, &who, NULL, NULL) != XYD_OK ||
	    !who.nrows || !db_cell(&who, 0, 0) ||
	    !(out->account = account_sql(db_cell(&who, 0, 0))) ||
	    DB_QUERY(db,
		     "SELECT table_name, privilege_type FROM information_schema.table_privileges"
		     " WHERE table_schema = ?",
		     &out->table_privs, db_str(database)) != XYD_OK ||
	    DB_QUERY(db,
		     "SELECT (SELECT COUNT(*) FROM information_schema.schema_privileges"
		     " WHERE table_schema = ?),"
		     " (SELECT COUNT(*) FROM information_schema.user_privileges"
		     " WHERE privilege_type <> 'USAGE')",
		     &n, db_str(database)) != XYD_OK) {
		snprintf(err, err_size, "cannot read the rights of the server's account (XYD_DB)");
		goto out;
	}
	out->db_wide = db_cell_int(&n, 0, 0) > 0;
	out->global = db_cell_int(&n, 0, 1) > 0;
	rc = 0;
out:
	db_result_release(&who);
	db_result_release(&n);
	models_db_free(db);
	return rc;
}

/* One GRANT or REVOKE; identifiers come from information_schema and
 * CURRENT_USER(), quoted. */
static int run_grant(models_db *migrator, const char *sql, char *err, size_t err_size)
{
	char script_err[512];
	if (db_run_script(migrator, sql, strlen(sql), script_err, sizeof script_err) != XYD_OK) {
		snprintf(err, err_size, "cannot change the server's rights (%.200s): %s", sql,
			 script_err);
		return -1;
	}
	log_msg(LOG_INFO, "grants: %s", sql);
	return 0;
}

/* Runs "verb privs ON database.table to_from account" (GRANT … TO, REVOKE
 * … FROM) unless privs is empty. Returns the statements run, or -1. */
static int change_rights(models_db *migrator, const server_rights *r, const char *table,
			 const char *verb, const char *privs, const char *to_from, char *err,
			 size_t err_size)
{
	if (!privs[0])
		return 0;
	char *sql = xasprintf("%s %s ON `%s`.`%s` %s %s", verb, privs, r->database, table, to_from,
			      r->account);
	int ran = run_grant(migrator, sql, err, err_size) == 0 ? 1 : -1;
	free(sql);
	return ran;
}

/* Grants what table lacks and revokes what it should not have. Returns the
 * statements run, or -1. */
static int align_table(models_db *migrator, const server_rights *r, const char *table, char *err,
		       size_t err_size)
{
	static const char *const known[] = {"SELECT",	     "INSERT",	    "UPDATE",	  "DELETE",
					    "CREATE",	     "DROP",	    "REFERENCES", "INDEX",
					    "ALTER",	     "CREATE VIEW", "SHOW VIEW",  "TRIGGER",
					    "DELETE HISTORY"};
	const char *want = models_grants_for_table(table);
	char held[GRANTS_SQL_MAX] = "", add[GRANTS_SQL_MAX] = "", drop[GRANTS_SQL_MAX] = "";
	for (size_t i = 0; i < r->table_privs.nrows; i++)
		if (strcmp(db_cell(&r->table_privs, i, 0), table) == 0)
			list_add(held, sizeof held, db_cell(&r->table_privs, i, 1));
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (list_has(want, known[i]) && !list_has(held, known[i]))
			list_add(add, sizeof add, known[i]);
		if (!list_has(want, known[i]) && list_has(held, known[i]))
			list_add(drop, sizeof drop, known[i]);
	}
	int revoked = change_rights(migrator, r, table, "REVOKE", drop, "FROM", err, err_size);
	if (revoked < 0)
		return -1;
	int granted = change_rights(migrator, r, table, "GRANT", add, "TO", err, err_size);
	return granted < 0 ? -1 : revoked + granted;
}

/* The database's name and tables, as the migration account sees them. */
static int read_tables(models_db *migrator, db_result *name, db_result *tables, char *err,
		       size_t err_size)
{
	if (db_run(migrator, "SELECT DATABASE(), CURRENT_USER()", NULL, 0, name, NULL, NULL) !=
		    XYD_OK ||
	    !name->nrows || !db_cell(name, 0, 0) ||
	    db_run(migrator,
		   "SELECT table_name FROM information_schema.tables"
		   " WHERE table_schema = DATABASE() ORDER BY table_name",
		   NULL, 0, tables, NULL, NULL) != XYD_OK) {
		snprintf(err, err_size, "cannot list the tables (XYD_DB_MIGRATE)");
		return -1;
	}
	for (size_t i = 0; i < tables->nrows; i++)
		if (strchr(db_cell(tables, i, 0), '`')) {
			snprintf(err, err_size, "table name with a backquote: cannot grant on it");
			return -1;
		}
	if (strchr(db_cell(name, 0, 0), '`')) {
		snprintf(err, err_size, "database name with a backquote: cannot grant on it");
		return -1;
	}
	return 0;
}

int models_grants_apply(models_db *migrator, const models_db_url *server_url, char *err,
			size_t err_size)
{
	int ran = -1;
	db_result name = {0}, tables = {0};
	server_rights r = {0};
	if (read_tables(migrator, &name, &tables, err, err_size) != 0 ||
	    read_server_rights(server_url, db_cell(&name, 0, 0), &r, err, err_size) != 0)
		goto out;
	char *migrator_account = account_sql(db_cell(&name, 0, 1) ? db_cell(&name, 0, 1) : "");
	bool same = migrator_account && strcmp(migrator_account, r.account) == 0;
	free(migrator_account);
	if (same) {
		snprintf(err, err_size,
			 "XYD_DB and XYD_DB_MIGRATE name the same account %s: give the "
			 "server an account of its own (README.md)",
			 r.account);
		goto out;
	}
	ran = 0;
	if (r.db_wide) {
		char *sql = xasprintf("REVOKE ALL PRIVILEGES ON `%s`.* FROM %s", r.database,
				      r.account);
		int rc = run_grant(migrator, sql, err, err_size);
		free(sql);
		if (rc != 0)
			goto fail;
		ran++;
	}
	if (r.global)
		log_msg(LOG_WARN,
			"grants: the server's account %s holds global rights (GRANT ... ON *.*), "
			"which table grants cannot take away; revoke them as the database admin",
			r.account);
	for (size_t i = 0; i < tables.nrows; i++) {
		int rc = align_table(migrator, &r, db_cell(&tables, i, 0), err, err_size);
		if (rc < 0)
			goto fail;
		ran += rc;
	}
	goto out;
fail:
	ran = -1;
out:
	server_rights_release(&r);
	db_result_release(&name);
	db_result_release(&tables);
	return ran;
}
