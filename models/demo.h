/*
 * The demo district: the accounts (and, as the product grows, the data) a
 * newcomer finds after `make run` on a new database. Deterministic, so two
 * runs give the same district.
 */
#ifndef XYD_MODELS_DEMO_H
#define XYD_MODELS_DEMO_H

#include "models/db.h"
#include "models/reference.h"

#define DEMO_PASSWORD "Xinyidai-Demo-2026"

typedef struct {
	const char *username;
	const char *role;
	const char *acts_for;
} demo_account;

/* The demo accounts, in the order they are printed; *count receives their number. */
const demo_account *models_demo_accounts(size_t *count);

/* Loads the demo district (institutions, accounts, enterprises and their
 * credit records) in one transaction; password_hash is the hash of
 * DEMO_PASSWORD (made by the caller), used for every demo account. */
xyd_status models_demo_load(models_db *db, const models_reference *ref, const char *password_hash);

/* The whitelist of the demo district; run after the enterprises are
 * scored, since only eligible ones are approved. */
xyd_status models_demo_load_whitelist(models_db *db);

/* Applications in every state (with their timelines, consents and, for
 * the disbursed ones, loans); run after the whitelist. */
xyd_status models_demo_load_applications(models_db *db);

#endif
