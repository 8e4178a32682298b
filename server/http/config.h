/*
 * The server's configuration, read once from the environment at start,
 * every value bounds-checked. Nothing reads the environment afterwards.
 * README.md documents each variable; keep the two in step.
 */
#ifndef XYD_CONFIG_H
#define XYD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	char listen_host[64];
	int listen_port;
	char var_dir[512];
	char db_url[1024];	   /* "" until derived from XYD_DB */
	char db_migrate_url[1024]; /* XYD_DB_MIGRATE; "": migrate with db_url */
	int db_timeout_s;	   /* read/write timeout of request connections */
	bool demo;
	char admin_password[257]; /* "" when not given */
	char jwt_secret_file[512];
	int threads;
	char static_dir[512];
	char migrations_dir[512];
	int log_level;
	int request_timeout_s;
	int housekeeping_s; /* seconds between housekeeping rounds (expiry) */
	bool migrate_only;
} xyd_config;

/* Fills cfg from the environment and argv. Returns 0, or -1 having printed
 * a message that names the variable at fault. */
int config_load(xyd_config *cfg, int argc, char **argv);

#endif
