/*
 * The ledger over HTTP: the bureau's and auditor's reads of accounts,
 * journal entries and the balance check (server/ledger.c), and the one
 * rendering of a journal entry the fund routes answer a deposit with.
 */
#ifndef XYD_SERVER_LEDGER_H
#define XYD_SERVER_LEDGER_H

#include <cjson/cJSON.h>

#include "models/ledger.h"

/* {"id","kind","memo","ref_type","ref_id","created_by","created_at",
 * "reverses_journal_id","postings":[{"account_id","account_kind","amount_fen"}]}; the caller
 * owns the result. */
cJSON *ledger_json_journal(const ledger_journal *j);

#endif
