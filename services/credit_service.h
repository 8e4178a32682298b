/*
 * Scoring in the server: loads an enterprise's records and the active
 * model through models/, computes with scoring/, and stores the result.
 * Every path that changes what a score depends on (a new enterprise, an
 * import, a model activation) goes through here.
 */
#ifndef XYD_CREDIT_SERVICE_H
#define XYD_CREDIT_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "common/status.h"
#include "models/db.h"
#include "scoring/scorecard.h"

/* Turns a credit model's stored weights (JSON text) into scorecard weights;
 * false with a message in err when they cannot be read. JSON belongs to the
 * HTTP layer, so the server hands its reader in once at start
 * (credit_service_init), before the first rescoring. */
typedef bool (*credit_weights_reader)(const char *text, scoring_weights *w, char *err,
				      size_t err_size);
void credit_service_init(credit_weights_reader read_weights);

/* Rescores one enterprise with the active model. */
xyd_status credit_rescore_enterprise(models_db *db, int64_t enterprise_id);
/* Rescores the given enterprises (e.g. those an import touched). */
xyd_status credit_rescore_enterprises(models_db *db, const int64_t *ids, size_t n);
/* Rescores every enterprise (model activation, start-up after the demo
 * load). *count receives how many were scored. */
xyd_status credit_rescore_all(models_db *db, size_t *count);

#endif
