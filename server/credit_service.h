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

/* Rescores one enterprise with the active model. */
xyd_status credit_rescore_enterprise(models_db *db, int64_t enterprise_id);
/* Rescores the given enterprises (e.g. those an import touched). */
xyd_status credit_rescore_enterprises(models_db *db, const int64_t *ids, size_t n);
/* Rescores every enterprise (model activation, start-up after the demo
 * load). *count receives how many were scored. */
xyd_status credit_rescore_all(models_db *db, size_t *count);

#endif
