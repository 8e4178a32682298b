/*
 * Applications and loans over HTTP (api.md "Applications and matching",
 * "Loans" reads) and the holiday calendar behind a bank's response
 * deadline. The route handlers are declared in server/api/handlers.h; this
 * header is the door the matching routes use to submit an application
 * (batch pairing with dry_run false) by the same code path as
 * POST /applications/{id}/submit.
 */
#ifndef XYD_SERVER_APPLICATIONS_H
#define XYD_SERVER_APPLICATIONS_H

#include <stdint.h>

#include "common/status.h"
#include "server/http/api_error.h"
#include "server/http/http.h"

/*
 * Submits application_id to product_id as rc's caller: an sme may submit
 * only its own enterprise's application, the bureau any (pairing); other roles get
 * XYD_FORBIDDEN. Checks, in order: the application is visible (else
 * XYD_NOT_FOUND), it is submitted (XYD_INVALID_STATE), the product exists
 * and is active (XYD_NOT_FOUND, field product_id), the enterprise meets the
 * product's hard criteria (XYD_NOT_ELIGIBLE with them in err). Then, in one
 * transaction: pending_bank with the response deadline, the product's
 * institution authorised, timeline row, audit row (rc's ip and request id
 * recorded), notifications to the enterprise
 * and the institution. On failure err holds the refusal's words (a bare
 * status for database failures).
 */
xyd_status applications_submit(const request_ctx *rc, int64_t application_id, int64_t product_id,
			       api_error *err);

#endif
