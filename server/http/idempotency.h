/*
 * The Idempotency-Key header (api.md Conventions) over HTTP: a handler
 * whose POST creates an application, a loan or moves money hands its
 * transaction's work to idempotency_run, which reads the header, claims
 * the key inside that same transaction (models/idempotency.h), and answers
 * either the work's fresh answer or the one stored for an earlier request
 * with the same key, method, path and body. Without the header the work
 * runs in a plain transaction.
 */
#ifndef XYD_SERVER_IDEMPOTENCY_H
#define XYD_SERVER_IDEMPOTENCY_H

#include "models/idempotency.h"
#include "server/http/http.h"

#define IDEMPOTENCY_HEADER "Idempotency-Key"

/*
 * Reads the header into *key (borrowing rc: valid while the request is):
 * XYD_OK with *present false when it was not sent; XYD_OK with *present
 * true and key filled (user, key, method, path, SHA-256 of the raw body)
 * when it is 1..64 printable ASCII characters; XYD_VALIDATION_FAILED in
 * rc->err (field "Idempotency-Key") otherwise.
 */
xyd_status idempotency_key_read(request_ctx *rc, models_idem_key *key, bool *present);

/*
 * Runs work (ctx passed through) in one transaction under the request's
 * key and answers the request: the answer work filled (status and JSON
 * text), or the stored one of an earlier identical request (with the
 * header "Idempotent-Replayed: true"). A refusal work worded in rc->err is
 * returned as it is; the same key with another body or path is 409
 * conflict naming Idempotency-Key; any other failure is request_fail.
 */
xyd_status idempotency_run(request_ctx *rc, models_idem_work work, void *ctx);

#endif
