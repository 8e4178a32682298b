/*
 * Schema migrations: migrations/NNNN_name.sql applied in order, each
 * recorded in schema_migrations with its SHA-256, so a file edited after it
 * was applied is caught instead of silently diverging.
 */
#ifndef XYD_MODELS_MIGRATE_H
#define XYD_MODELS_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

#include "models/db.h"

/* Applies every migration in dir not yet recorded, holding a database-wide
 * lock so several servers starting at once apply each file once. Returns
 * the number applied (0 when up to date), or -1 with a message in err that
 * names the file at fault. */
int models_migrate(models_db *db, const char *dir, char *err, size_t err_size);

/* True when the database had no migrations recorded before this start:
 * the demo district is loaded only into a new database. */
int models_migrate_is_fresh(models_db *db, const char *dir, char *err, size_t err_size);

/* Startup tasks (migrations/0008): work a migration leaves for the server's
 * C code. *pending tells whether the task name waits; once the server has
 * done it, models_startup_task_done removes it (a task cut short by a crash
 * is still there at the next start). */
xyd_status models_startup_task_pending(models_db *db, const char *name, bool *pending);
xyd_status models_startup_task_done(models_db *db, const char *name);

#endif
