/*
 * An enterprise's requests to move into a park. An enterprise cannot put
 * itself into a park (and so into its programme and park-only products):
 * its change of park is a pending request until the operator of the park
 * it asks for confirms it; the enterprise keeps its old park meanwhile (a
 * park named at registration is such a request too, from no park).
 *
 *   pending --> confirmed   (the park's operator; the enterprise moves)
 *   pending --> rejected    (the park's operator, with a reason)
 *   pending --> cancelled   (a newer request, or the park set directly)
 *
 * One pending request per enterprise (a unique key holds it): a new one
 * cancels the old. Every decision writes its audit row and notifies in the
 * same transaction; the caller fills the models_audit.
 */
#ifndef XYD_MODELS_PARK_CHANGES_H
#define XYD_MODELS_PARK_CHANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/audit.h"
#include "models/db.h"
#include "models/record.h"

#define PARK_CHANGE_REASON_MAX_CHARS 500

/* Notification kinds this module writes. */
#define MODELS_NOTIFY_PARK_CHANGE_REQUESTED "park_change.requested"
#define MODELS_NOTIFY_PARK_CHANGE_CONFIRMED "park_change.confirmed"
#define MODELS_NOTIFY_PARK_CHANGE_REJECTED "park_change.rejected"

/* from_park_id 0 / from_park_name "": from no park; status pending
 * confirmed rejected cancelled; times RFC 3339 UTC, decided_at "" while
 * pending; reason a rejection's, "" otherwise. */
#define MODELS_PARK_CHANGE_FIELDS(X)                                                               \
	X(I64, id, 0, "c.id")                                                                      \
	X(I64, enterprise_id, 0, "c.enterprise_id")                                                \
	X(TEXT, enterprise_name, 801, "e.name")                                                    \
	X(TEXT, uscc, 19, "e.uscc")                                                                \
	X(ID, from_park_id, 0, "c.from_park_id")                                                   \
	X(OPT_TEXT, from_park_name, 513, "f.name")                                                 \
	X(I64, park_id, 0, "c.park_id")                                                            \
	X(TEXT, park_name, 513, "k.name")                                                          \
	X(TEXT, status, 12, "c.status")                                                            \
	X(TEXT, requested_at, 32, REC_RFC3339("c.requested_at"))                                   \
	X(OPT_TEXT, decided_at, 32, REC_RFC3339("c.decided_at"))                                   \
	X(OPT_TEXT, reason, 2001, "c.reason")
typedef struct {
	MODELS_PARK_CHANGE_FIELDS(REC_MEMBER)
} models_park_change;
REC_TYPE_DECLARE(models_park_change);

/*
 * Inside the caller's transaction, with enterprise_id's row locked (or
 * just inserted): a new pending request by user_id to move from
 * from_park_id (0: none) into park_id, cancelling a pending one, a
 * notification to park_id's operators, and its audit row
 * "park_change.request" (detail "enterprise=E park=P") made from the
 * caller's audit (actor, role, address). *id receives the request's id.
 * Filed by an enterprise's PATCH of its park and by a registration that
 * names a park.
 */
xyd_status models_park_change_request(models_db *db, int64_t enterprise_id, int64_t from_park_id,
				      int64_t park_id, int64_t user_id, const models_audit *audit,
				      int64_t *id);

/* Inside the caller's transaction: cancels enterprise_id's pending request
 * (if any) by user_id, because its park was set otherwise. */
xyd_status models_park_change_cancel_pending(models_db *db, int64_t enterprise_id, int64_t user_id);

/* enterprise_id's pending request; XYD_NOT_FOUND when it has none. */
xyd_status models_park_change_pending(models_db *db, int64_t enterprise_id,
				      models_park_change *out);

typedef struct {
	int64_t park_id;    /* > 0: requests into this park only */
	const char *status; /* NULL: any; else one of the four */
	int64_t after_id;   /* cursor: ids above this; 0 for the first page */
	int limit;	    /* 1..500 */
} models_park_change_filter;

/* Requests by id. *rows malloc'd (free(), also on failure); *more when
 * another page follows. */
xyd_status models_park_change_list(models_db *db, const models_park_change_filter *f,
				   models_park_change **rows, size_t *count, bool *more);

/*
 * The operator user_id of park_id decides request id: confirm moves the
 * enterprise into park_id; otherwise it is rejected for reason (1..500
 * characters). Re-checks under the request's lock that it is still
 * pending; writes the audit row and notifies the enterprise's users.
 * XYD_NOT_FOUND: no request id into park_id. XYD_INVALID_STATE: it is not
 * pending any more (*out holds it as it is). XYD_OK: *out holds it decided.
 */
xyd_status models_park_change_decide(models_db *db, int64_t id, int64_t park_id, bool confirm,
				     const char *reason, int64_t user_id, models_audit *audit,
				     models_park_change *out);

#endif
