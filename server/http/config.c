/* Environment configuration: every entry has a default, a minimum and a maximum. */
#include "server/http/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"

static int config_int(const char *name, int def, int min, int max, int *out)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < min || n > max) {
		fprintf(stderr, "xinyidai: %s must be a whole number from %d to %d (got '%s')\n",
			name, min, max, v);
		return -1;
	}
	*out = (int)n;
	return 0;
}

static int config_str(const char *name, const char *def, char *out, size_t size)
{
	const char *v = getenv(name);
	if (!v || !*v)
		v = def;
	if (strlen(v) >= size) {
		fprintf(stderr, "xinyidai: %s is longer than %zu characters\n", name, size - 1);
		return -1;
	}
	snprintf(out, size, "%s", v);
	return 0;
}

static int config_listen(xyd_config *cfg)
{
	char listen[128];
	if (config_str("XYD_LISTEN", "127.0.0.1:8080", listen, sizeof listen) != 0)
		return -1;
	char *colon = strrchr(listen, ':');
	char *end = NULL;
	long port = colon ? strtol(colon + 1, &end, 10) : 0;
	if (!colon || colon == listen || *end || port < 1 || port > 65535 ||
	    (size_t)(colon - listen) >= sizeof cfg->listen_host) {
		fprintf(stderr,
			"xinyidai: XYD_LISTEN must be host:port with a port from 1 to 65535 "
			"(got '%s')\n",
			listen);
		return -1;
	}
	*colon = '\0';
	memcpy(cfg->listen_host, listen, (size_t)(colon - listen) + 1);
	cfg->listen_port = (int)port;
	return 0;
}

static int config_bool(const char *name, bool def, bool *out)
{
	const char *v = getenv(name);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	if (strcmp(v, "1") == 0 || strcmp(v, "0") == 0) {
		*out = v[0] == '1';
		return 0;
	}
	fprintf(stderr, "xinyidai: %s must be 0 or 1 (got '%s')\n", name, v);
	return -1;
}

static int config_paths(xyd_config *cfg)
{
	char def[600];
	if (config_str("XYD_VAR", "./var", cfg->var_dir, sizeof cfg->var_dir) != 0)
		return -1;
	snprintf(def, sizeof def, "%s/jwt.key", cfg->var_dir);
	if (config_str("XYD_JWT_SECRET_FILE", def, cfg->jwt_secret_file,
		       sizeof cfg->jwt_secret_file) != 0)
		return -1;
	if (config_str("XYD_STATIC_DIR", "web-static", cfg->static_dir, sizeof cfg->static_dir) !=
	    0)
		return -1;
	return config_str("XYD_MIGRATIONS_DIR", "migrations", cfg->migrations_dir,
			  sizeof cfg->migrations_dir);
}

int config_load(xyd_config *cfg, int argc, char **argv)
{
	memset(cfg, 0, sizeof *cfg);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--migrate-only") == 0) {
			cfg->migrate_only = true;
		} else {
			fprintf(stderr, "xinyidai: unknown argument '%s' (only --migrate-only)\n",
				argv[i]);
			return -1;
		}
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	char level[16];
	if (config_listen(cfg) != 0 || config_paths(cfg) != 0 ||
	    config_str("XYD_DB", "", cfg->db_url, sizeof cfg->db_url) != 0 ||
	    config_str("XYD_DB_MIGRATE", "", cfg->db_migrate_url, sizeof cfg->db_migrate_url) !=
		    0 ||
	    config_int("XYD_DB_TIMEOUT_S", 2, 1, 600, &cfg->db_timeout_s) != 0 ||
	    config_bool("XYD_DEMO", true, &cfg->demo) != 0 ||
	    config_str("XYD_ADMIN_PASSWORD", "", cfg->admin_password, sizeof cfg->admin_password) !=
		    0 ||
	    config_int("XYD_THREADS", cores > 0 && cores < 64 ? (int)cores : 2, 1, 64,
		       &cfg->threads) != 0 ||
	    config_int("XYD_REQUEST_TIMEOUT_S", 30, 1, 600, &cfg->request_timeout_s) != 0 ||
	    config_int("XYD_HOUSEKEEPING_S", 300, 1, 86400, &cfg->housekeeping_s) != 0 ||
	    config_str("XYD_LOG_LEVEL", "info", level, sizeof level) != 0)
		return -1;
	cfg->log_level = log_level_parse(level);
	if (cfg->log_level < 0) {
		fprintf(stderr,
			"xinyidai: XYD_LOG_LEVEL must be debug, info, warn or error (got '%s')\n",
			level);
		return -1;
	}
	if (!cfg->db_url[0]) {
		fprintf(stderr, "xinyidai: XYD_DB is not set: give mariadb://user:password@host/db "
				"(make run starts a private database and sets it)\n");
		return -1;
	}
	return 0;
}
