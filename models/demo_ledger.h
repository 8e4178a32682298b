/*
 * The demo district's money: a funded 东方美谷贷 risk compensation fund with
 * its guarantor, loans in every state (performing, overdue, defaulted,
 * repaid) with repayments, paid claims, a rejected claim and one waiting
 * for the bureau, recoveries, and a month of interest subsidies. Every
 * movement goes through models/loans.h, so the demo's books are as true as
 * any others: the ledger check finds them balanced.
 */
#ifndef XYD_MODELS_DEMO_LEDGER_H
#define XYD_MODELS_DEMO_LEDGER_H

#include "models/db.h"

/* Loads the demo's money in one transaction; run after
 * models_demo_load_applications (it works on the loans those made). A
 * district with too few loans gets what its loans allow. */
xyd_status models_demo_load_ledger(models_db *db);

#endif
