/*
 * Idempotency keys: the answer a POST gave, kept by (user, key), so that a
 * retry of the same request gets the same answer and changes nothing.
 *
 * The key row is written in the same transaction as the change it answers,
 * and first in it: a crash never leaves a change without its key or a key
 * without its change, and of two requests with one key running at once the
 * second waits on the first's row lock, then finds the stored answer.
 * Only a request whose work succeeds is remembered: a refused one rolls
 * back its key too, so the client may fix the cause and retry with the
 * same key.
 *
 * A caller that has no key (the header was not sent) uses the same entry
 * point with key NULL and gets a plain transaction.
 */
#ifndef XYD_MODELS_IDEMPOTENCY_H
#define XYD_MODELS_IDEMPOTENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/db.h"

#define IDEM_KEY_MAX_CHARS 64
#define IDEM_PATH_MAX_CHARS 255
/* Keys are kept at least this long and purged after IDEM_PURGE_HOURS. */
#define IDEM_KEEP_HOURS 24
#define IDEM_PURGE_HOURS 48

typedef struct {
	int64_t user_id;
	const char *key;      /* 1..64 printable ASCII (the caller checked) */
	const char *method;   /* "POST" */
	const char *path;     /* the request path, without query */
	char body_sha256[65]; /* hex SHA-256 of the raw body bytes */
} models_idem_key;

/* The answer to remember: HTTP status and JSON text (malloc'd). */
typedef struct {
	int status;
	char *body;
} models_idem_answer;

/*
 * The work of one request, run inside the transaction after the key is
 * claimed. On XYD_OK it must fill answer (status and a malloc'd body);
 * any other status rolls everything back and is returned as it is. It may
 * run more than once (a deadlock retries the whole transaction): it must
 * start from ctx afresh each time; an answer body of an earlier run is
 * freed before the next.
 */
typedef xyd_status (*models_idem_work)(models_db *db, void *ctx, models_idem_answer *answer);

/*
 * Runs work in one transaction guarded by key (NULL: no key, a plain
 * transaction). Returns:
 *   XYD_OK, *replayed false: work ran and committed; *answer is its answer.
 *   XYD_OK, *replayed true: the key was used before for this same method,
 *     path and body; *answer is the stored answer; work did not run.
 *   XYD_CONFLICT: the key was used before for another method, path or body
 *     (work did not run).
 *   work's refusal, or a database failure.
 * answer->body is malloc'd on XYD_OK (free()), NULL otherwise.
 */
xyd_status models_idempotent_transaction(models_db *db, const models_idem_key *key,
					 models_idem_work work, void *ctx,
					 models_idem_answer *answer, bool *replayed);

#endif
