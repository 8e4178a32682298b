/*
 * Xinyidai server: read the configuration, prepare the database (migrate,
 * first admin, demo district), start the workers and serve until SIGINT or
 * SIGTERM, then stop gracefully.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/accounts.h"
#include "models/demo.h"
#include "models/demo_ledger.h" /* ledger */
#include "models/grants.h"
#include "models/migrate.h"
#include "server/http/api_error.h"
#include "server/api/credit_weights.h"
#include "services/credit_service.h"
#include "server/api/handlers.h"
#include "services/password.h"
#include "services/housekeeping.h"
#include "services/db_watchdog.h"
#include "server/http/worker.h"
#include "services/matching_service.h"

#define DB_WAIT_S 30
/* Start-up work (migrations, demo load, rescoring) may run long statements;
 * request connections use XYD_DB_TIMEOUT_S. */
#define DB_MIGRATE_TIMEOUT_S 3600
#define DB_STARTUP_TIMEOUT_S 600

static int write_secret_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	bool ok = write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
	ok = fchmod(fd, 0600) == 0 && ok;
	return close(fd) == 0 && ok ? 0 : -1;
}

/* The first admin of a new database. */
static int bootstrap_admin(models_db *db, const xyd_config *cfg)
{
	bool exists;
	if (models_user_role_exists(db, "admin", &exists) != XYD_OK)
		return -1;
	if (exists)
		return 0;
	char generated[21], *path = NULL;
	const char *pw = cfg->admin_password;
	if (pw[0] && validate_password(pw) != VALIDATE_PASSWORD_OK) {
		fprintf(stderr, "xinyidai: XYD_ADMIN_PASSWORD is too weak: %s\n",
			validate_password_message(validate_password(pw)));
		return -1;
	}
	if (!pw[0]) {
		password_generate(generated);
		pw = generated;
		path = xasprintf("%s/admin-password", cfg->var_dir);
		if (write_secret_file(path, pw) != 0) {
			fprintf(stderr, "xinyidai: cannot write '%s'\n", path);
			free(path);
			return -1;
		}
	}
	char *hash = password_hash(pw);
	models_new_user u = {.username = "admin", .password_hash = hash, .role = "admin"};
	models_audit audit = {.role = "system",
			      .action = "user.create",
			      .target_type = "user",
			      .ip = "-",
			      .status = 201,
			      .request_id = "bootstrap"};
	int64_t id;
	xyd_status st = hash ? models_user_create(db, &u, &audit, &id) : XYD_INTERNAL;
	free(hash);
	if (st == XYD_OK && path)
		printf("Created user 'admin' with password %s (also in %s, mode 0600)\n", pw, path);
	else if (st == XYD_OK)
		printf("Created user 'admin' with the password from XYD_ADMIN_PASSWORD\n");
	free(path);
	return st == XYD_OK ? 0 : -1;
}

/* The demo district: data, then scores, then the whitelist (which only
 * eligible, hence scored, enterprises may join). */
static int load_demo(models_db *db, const models_reference *ref)
{
	size_t scored = 0;
	char *hash = password_hash(DEMO_PASSWORD);
	xyd_status st = hash ? models_demo_load(db, ref, hash) : XYD_INTERNAL;
	free(hash);
	if (st == XYD_OK)
		st = credit_rescore_all(db, &scored);
	if (st == XYD_OK)
		st = models_demo_load_whitelist(db);
	if (st == XYD_OK)
		st = models_demo_load_applications(db);
	/* ledger (models/demo_ledger.c) */
	if (st == XYD_OK)
		st = models_demo_load_ledger(db);
	/* end ledger */
	if (st != XYD_OK) {
		fprintf(stderr, "xinyidai: cannot load the demo district\n");
		return -1;
	}
	printf("Loaded the demo district: %zu enterprises scored.\n", scored);
	return 0;
}

static void print_demo_accounts(void)
{
	size_t n;
	const demo_account *a = models_demo_accounts(&n);
	printf("Demo accounts (password %s):\n", DEMO_PASSWORD);
	for (size_t i = 0; i < n; i++)
		printf("  %-10s %-8s %s\n", a[i].username, a[i].role, a[i].acts_for);
}

static models_db *connect_waiting(const models_db_url *url, const char *variable)
{
	xyd_status st;
	models_db *db = models_db_new(url, &st);
	for (int i = 0; st != XYD_OK && i < DB_WAIT_S * 2; i++) {
		usleep(500000);
		st = models_db_available(db) ? XYD_OK : XYD_UNAVAILABLE;
	}
	if (st != XYD_OK) {
		fprintf(stderr, "xinyidai: cannot connect to the database named by %s\n", variable);
		models_db_free(db);
		return NULL;
	}
	return db;
}

/* What migrations left for C code (models_startup_task_*): rescore_all
 * recomputes every stored score, e.g. so that each factor gets the
 * explanation forms added since it was stored. */
static int run_startup_tasks(models_db *db)
{
	bool pending = false;
	size_t scored = 0;
	xyd_status st = models_startup_task_pending(db, "rescore_all", &pending);
	if (st == XYD_OK && pending && (st = credit_rescore_all(db, &scored)) == XYD_OK) {
		st = models_startup_task_done(db, "rescore_all");
		if (scored)
			printf("Rescored %zu enterprises (a migration asked for it).\n", scored);
	}
	/* audit_chain (0011): hash-chain the audit rows older than the chain. */
	size_t chained = 0;
	if (st == XYD_OK &&
	    (st = models_startup_task_pending(db, "audit_chain", &pending)) == XYD_OK && pending &&
	    (st = models_audit_chain_legacy(db, &chained)) == XYD_OK) {
		st = models_startup_task_done(db, "audit_chain");
		if (chained)
			printf("Chained %zu audit rows (a migration asked for it).\n", chained);
	}
	if (st != XYD_OK)
		fprintf(stderr, "xinyidai: a startup task failed (%s)\n", api_error_code(st));
	return st == XYD_OK ? 0 : -1;
}

/* Migrations as the migration account, then the server account's table
 * rights (models/grants.h); disconnects. *fresh: the database was new. */
static int migrate_database(const xyd_config *cfg, const models_db_url *url,
			    const models_db_url *migrate_url, int *fresh)
{
	char err[512];
	int rc = -1;
	bool separate = cfg->db_migrate_url[0] != '\0';
	models_db *db = connect_waiting(migrate_url, separate ? "XYD_DB_MIGRATE" : "XYD_DB");
	if (!db)
		return -1;
	*fresh = models_migrate_is_fresh(db, cfg->migrations_dir, err, sizeof err);
	if (*fresh < 0 || models_migrate(db, cfg->migrations_dir, err, sizeof err) < 0) {
		fprintf(stderr, "xinyidai: %s\n", err);
		goto out;
	}
	if (separate) {
		int changes = models_grants_apply(db, url, err, sizeof err);
		if (changes < 0) {
			fprintf(stderr, "xinyidai: %s\n", err);
			goto out;
		}
		log_msg(LOG_INFO,
			"the server's account has least-privilege table rights (%d changes)",
			changes);
	} else {
		log_msg(LOG_WARN,
			"XYD_DB_MIGRATE is not set: the account in XYD_DB migrates too and "
			"keeps every right it has (no least privilege; see README.md)");
	}
	rc = 0;
out:
	models_db_free(db);
	return rc;
}

/* Migrations, first admin, demo district, reference data: everything that
 * needs the database before the first request. url is the server's account
 * (with start-up timeouts), migrate_url the migration account. */
static int prepare_database(const xyd_config *cfg, const models_db_url *url,
			    const models_db_url *migrate_url, xyd_app *app)
{
	int rc = -1, fresh = 0;
	if (migrate_database(cfg, url, migrate_url, &fresh) != 0)
		return -1;
	if (cfg->migrate_only)
		return 0;
	models_db *db = connect_waiting(url, "XYD_DB");
	if (!db)
		return -1;
	if (models_reference_load(db, &app->reference) != XYD_OK) {
		fprintf(stderr,
			"xinyidai: cannot load the reference data (towns, parks, industries)\n");
		goto out;
	}
	/* Tasks before the demo: on a new database they find nothing to do, and
	 * the demo load scores its enterprises itself. */
	if (bootstrap_admin(db, cfg) != 0 || run_startup_tasks(db) != 0 ||
	    (fresh && cfg->demo && load_demo(db, &app->reference) != 0))
		goto out;
	rc = 0;
out:
	models_db_free(db);
	return rc;
}

/* Binding once without SO_REUSEPORT tells a port already taken by another
 * program apart from our own workers sharing it. */
static int check_port_free(const xyd_config *cfg)
{
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_port = htons((uint16_t)cfg->listen_port)};
	if (inet_pton(AF_INET, cfg->listen_host, &sin.sin_addr) != 1) {
		fprintf(stderr, "xinyidai: XYD_LISTEN host '%s' is not an IPv4 address\n",
			cfg->listen_host);
		return -1;
	}
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	int rc = bind(fd, (struct sockaddr *)&sin, sizeof sin);
	close(fd);
	if (rc != 0)
		fprintf(stderr, "xinyidai: cannot listen on %s:%d (XYD_LISTEN): %s\n",
			cfg->listen_host, cfg->listen_port, strerror(errno));
	return rc;
}

static int prepare_app(const xyd_config *cfg, xyd_app *app)
{
	char err[512];
	app->config = cfg;
	app->routes = routes_table;
	app->nroutes = routes_count;
	bool default_key = getenv("XYD_JWT_SECRET_FILE") == NULL;
	if (token_key_load(cfg->jwt_secret_file, default_key, &app->jwt_key, err, sizeof err) !=
	    0) {
		fprintf(stderr, "xinyidai: %s (XYD_JWT_SECRET_FILE)\n", err);
		return -1;
	}
	if (!realpath(cfg->static_dir, app->static_root)) {
		fprintf(stderr, "xinyidai: XYD_STATIC_DIR '%s' does not exist\n", cfg->static_dir);
		return -1;
	}
	return 0;
}

static void release_app(xyd_app *app)
{
	models_reference_release(&app->reference);
	free(app->towns_json);
	free(app->parks_json);
	free(app->industries_json);
}

static int serve(const xyd_config *cfg, const models_db_url *url, xyd_app *app)
{
	sigset_t set;
	int sig;
	if (check_port_free(cfg) != 0)
		return -1;
	if (db_watchdog_start(url) != 0)
		return -1;
	worker *ws = workers_start(app, url, cfg->threads);
	if (!ws) {
		db_watchdog_stop();
		return -1;
	}
	if (housekeeping_start(url, cfg->housekeeping_s) != 0) {
		workers_stop(ws, cfg->threads);
		db_watchdog_stop();
		return -1;
	}
	printf("Xinyidai %s serving on http://%s:%d/ with %d workers (Ctrl-C stops)\n", XYD_VERSION,
	       cfg->listen_host, cfg->listen_port, cfg->threads);
	fflush(stdout);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigwait(&set, &sig);
	log_msg(LOG_INFO, "stopping on signal %d", sig);
	housekeeping_stop();
	workers_stop(ws, cfg->threads);
	db_watchdog_stop();
	printf("Xinyidai stopped.\n");
	return 0;
}

int main(int argc, char **argv)
{
	static xyd_config cfg;
	static xyd_app app;
	models_db_url url, migrate_url = {0};
	char err[256];
	int rc = 1;
	sigset_t set;
	/* Workers inherit this mask: only the main thread takes the stop signals. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (config_load(&cfg, argc, argv) != 0)
		return 2;
	log_set_level((log_level)cfg.log_level);
	if (mkdir(cfg.var_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "xinyidai: cannot create XYD_VAR '%s'\n", cfg.var_dir);
		return 2;
	}
	if (models_db_url_parse(cfg.db_url, &url, err, sizeof err) != 0) {
		fprintf(stderr, "xinyidai: XYD_DB: %s\n", err);
		return 2;
	}
	if (cfg.db_migrate_url[0] &&
	    models_db_url_parse(cfg.db_migrate_url, &migrate_url, err, sizeof err) != 0) {
		fprintf(stderr, "xinyidai: XYD_DB_MIGRATE: %s\n", err);
		models_db_url_release(&url);
		return 2;
	}
	/* Shallow copies with other timeouts; url and migrate_url own the strings. */
	models_db_url startup = url, migrator = cfg.db_migrate_url[0] ? migrate_url : url;
	startup.timeout_s = DB_STARTUP_TIMEOUT_S;
	migrator.timeout_s = DB_MIGRATE_TIMEOUT_S;
	url.timeout_s = (unsigned)cfg.db_timeout_s;
	credit_service_init(credit_weights_read_text);
	if (password_init() != 0 || models_library_init() != 0)
		goto out;
	if (!cfg.migrate_only && prepare_app(&cfg, &app) != 0)
		goto out;
	if (prepare_database(&cfg, &startup, &migrator, &app) != 0)
		goto out;
	if (cfg.migrate_only) {
		rc = 0;
		goto out;
	}
	handlers_render_reference(&app);
	if (matching_service_start_url(&startup) != XYD_OK)
		goto out;
	if (cfg.demo)
		print_demo_accounts();
	rc = serve(&cfg, &url, &app) == 0 ? 0 : 1;
	matching_service_stop();
out:
	release_app(&app);
	models_library_end();
	models_db_url_release(&url);
	models_db_url_release(&migrate_url);
	return rc;
}
