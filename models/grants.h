/*
 * Least privilege for the server's database account. The migration account
 * (XYD_DB_MIGRATE: DDL, triggers, GRANT OPTION on the database) gives the
 * server's account (XYD_DB) table-level rights only, after every migration
 * run so that new tables get theirs: SELECT, INSERT, UPDATE, DELETE on every
 * table, except the tables declared in models/grants.c (append-only history:
 * SELECT, INSERT; read-only reference data: SELECT). Never DROP, ALTER,
 * CREATE, TRIGGER, TRUNCATE (DROP), INDEX or EXECUTE, and rights held at the
 * database level are revoked, since a table-level grant cannot take them
 * away. Only the difference is granted or revoked, so a run with nothing new
 * changes nothing and servers already running keep their rights throughout.
 */
#ifndef XYD_MODELS_GRANTS_H
#define XYD_MODELS_GRANTS_H

#include <stddef.h>

#include "models/db.h"

/* Brings the rights of server_url's account on migrator's database in line
 * with the rule above. Returns the number of GRANT/REVOKE statements run
 * (0: already in line), or -1 with a message in err. Refuses (-1) when both
 * URLs name the same account. */
int models_grants_apply(models_db *migrator, const models_db_url *server_url, char *err,
			size_t err_size);

/* The rights the rule gives the server's account on table, as a GRANT
 * lists them ("SELECT, INSERT"). Static storage. */
const char *models_grants_for_table(const char *table);

#endif
