/*
 * The whole API in one table: method, path, who may call it, handler.
 * Reading it tells what exists and who may do what; docs/api.md explains
 * each row.
 */
#include "server/handlers.h"

#define ALL ROLE_ANY

const route routes_table[] = {
	/* public */
	{"GET", "/api/v1/health", ROUTE_PUBLIC, handle_health, 0},
	{"GET", "/metrics", ROUTE_PUBLIC, handle_metrics, 0},
	{"GET", "/api/v1/towns", ROUTE_PUBLIC, handle_towns, 0},
	{"GET", "/api/v1/parks", ROUTE_PUBLIC, handle_parks, 0},
	{"GET", "/api/v1/industries", ROUTE_PUBLIC, handle_industries, 0},

	/* accounts */
	{"POST", "/api/v1/auth/register", ROUTE_PUBLIC, handle_register, 0},
	{"POST", "/api/v1/auth/login", ROUTE_PUBLIC, handle_login, 0},
	{"POST", "/api/v1/auth/refresh", ROUTE_PUBLIC, handle_refresh, 0},
	{"POST", "/api/v1/auth/logout", ALL, handle_logout, 0},
	{"POST", "/api/v1/auth/password", ALL, handle_password, 0},
	{"GET", "/api/v1/me", ALL, handle_me, 0},
	{"POST", "/api/v1/users", ROLE_ADMIN, handle_users_create, 0},
	{"GET", "/api/v1/users", ROLE_ADMIN, handle_users_list, 0},
	{"POST", "/api/v1/users/{id}/lock", ROLE_ADMIN, handle_users_lock, 0},
	{"POST", "/api/v1/users/{id}/unlock", ROLE_ADMIN, handle_users_unlock, 0},
	{"POST", "/api/v1/institutions", ROLE_ADMIN, handle_institutions_create, 0},
	{"GET", "/api/v1/institutions", ALL, handle_institutions_list, 0},

	/* audit */
	{"GET", "/api/v1/audit", ROLE_AUDITOR, handle_audit_list, 0},

	/* credit records and models (credit_import.c, credit_models.c) */
	/* end credit */

	/* enterprises, consent, access log (enterprises.c) */
	/* end enterprises */

	/* whitelist (whitelist.c) */
	/* end whitelist */
};

const size_t routes_count = sizeof routes_table / sizeof routes_table[0];
