/*
 * The matching engine inside the server: one published, immutable version
 * (an enterprise snapshot and a product catalogue) that every worker reads
 * without waiting for writers, and one writer at a time that makes the
 * next version from the database when something the engine sees changes.
 *
 * Readers take a reference to the current version under a lock held for a
 * few instructions (never during a build) and drop it when done. A writer
 * builds a new version under its own mutex — only the enterprises that
 * changed are re-read and replaced (copy-on-write, matching.h), the
 * catalogue is rebuilt whole (it is small) — publishes it by swapping the
 * pointer, and frees retired versions no reader holds any more, still
 * under the writer mutex (the engine's lineage rule).
 *
 * Every notify function is synchronous: when it returns, the next answer
 * sees the change. Before matching_service_start (and after _stop) they do
 * nothing.
 */
#ifndef XYD_MATCHING_SERVICE_H
#define XYD_MATCHING_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "matching/matching.h"
#include "models/db.h"

/* Builds the first version from the database (every enterprise, product
 * and programme). XYD_OK, or the database's failure (logged). */
xyd_status matching_service_start(models_db *db);
/* The same on a connection of its own to url, closed after (start-up). */
xyd_status matching_service_start_url(const models_db_url *url);
/* Frees every version. Call after the workers have stopped. */
void matching_service_stop(void);

/* Re-reads enterprises ids[0..n) (score, grade, whitelist, profile) and
 * publishes a version with them. Logs a failure; the old version stays. */
void matching_service_enterprises_changed(models_db *db, const int64_t *ids, size_t n);
/* Every enterprise changed (a model activation rescored them all): a full
 * rebuild of the snapshot. */
void matching_service_all_changed(models_db *db);
/* Products or programmes changed, or places were used (an application
 * went to a product): rebuilds the catalogue with this month's counts. */
void matching_service_catalog_changed(models_db *db);

/*
 * Checks product_id's hard criteria for enterprise_id's demand (collateral
 * an api.md name: "none", "property" …), reading the enterprise, its
 * programme balances and the product's places used this month fresh from
 * the database. XYD_OK eligible; XYD_NOT_ELIGIBLE with the failed criteria
 * (and the hint) in why; XYD_NOT_FOUND unknown product or enterprise;
 * XYD_VALIDATION_FAILED a demand out of range (why says which field).
 * A pre-check that explains, outside any lock, and counts only loans
 * against a programme's cap: the submit's transaction decides the cap
 * (loans plus open applications) and the monthly capacity again under
 * their locks (models/applications.h), as ranking's snapshot never does.
 */
xyd_status matching_service_check_product(models_db *db, int64_t enterprise_id, int64_t product_id,
					  int64_t amount_fen, int32_t term_months,
					  const char *collateral, char *why, size_t why_size);

/* ---- for the handlers (matching_routes.c) ---- */

/* What the answers show of a product besides the engine's view. */
typedef struct {
	int64_t id;
	int64_t institution_id;
	int64_t program_id; /* 0: none */
	uint8_t status;	    /* matching_product_status */
	int32_t rate_min_bps;
	const char *name;
	const char *institution_name;
} matching_service_product;

/* A held version: valid until matching_service_release. */
typedef struct matching_view matching_view;

/* The current version, held (NULL before start). When the month turned
 * since the catalogue was built, rebuilds it first (places reset). The
 * service owns it; the caller gives its hold back with
 * matching_service_release (which takes NULL too) and never frees it. */
matching_view *matching_service_acquire(models_db *db);
void matching_service_release(matching_view *v);
/* The view's snapshot and catalogue: owned by the view, valid until
 * matching_service_release. */
const matching_snapshot *matching_view_snapshot(const matching_view *v);
const matching_catalog *matching_view_catalog(const matching_view *v);
/* The product with this id, or NULL; owned by the view. */
const matching_service_product *matching_view_product(const matching_view *v, int64_t id);

/* Today (UTC) as days since 1970-01-01. */
int32_t matching_service_today(void);
/* The matching_collateral named s; false for anything else. */
bool matching_service_collateral_parse(const char *s, uint8_t *out);

/*
 * The demand of enterprise_id read fresh from the database (and put into
 * the snapshot when it differs), with its programme balances in
 * balances[MATCHING_BALANCES_MAX] (d->balances points there). has_request
 * false; the caller sets the request. XYD_NOT_FOUND when there is none.
 */
xyd_status matching_service_demand(models_db *db, int64_t enterprise_id, matching_demand *d,
				   matching_balance *balances);

/*
 * Pairs every open submitted application (at most
 * MATCHING_SERVICE_PAIRING_MAX of them, oldest first) with the products, on a catalogue rebuilt with this month's
 * places. Fills *out (release with matching_pairing_release). XYD_OK or a
 * database failure; XYD_UNAVAILABLE before start.
 */
#define MATCHING_SERVICE_PAIRING_MAX 100000
xyd_status matching_service_pair(models_db *db, matching_pairing *out);

#endif
