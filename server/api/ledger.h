/*
 * The ledger over HTTP: the bureau's and auditor's reads of accounts,
 * journal entries and the balance check (server/api/ledger.c), the one
 * rendering of a journal entry the fund routes answer a deposit with, and
 * the plumbing every money POST (server/api/loans.c, funds.c) shares.
 */
#ifndef XYD_SERVER_LEDGER_H
#define XYD_SERVER_LEDGER_H

#include <cjson/cJSON.h>

#include "models/idempotency.h"
#include "models/ledger.h"
#include "models/loans.h"
#include "server/http/http.h"
#include "server/http/json_strict.h"

/* {"id","kind","memo","ref_type","ref_id","created_by","created_at",
 * "reverses_journal_id","postings":[{"account_id","account_kind","amount_fen"}]}; the caller
 * owns the result. */
cJSON *ledger_json_journal(const ledger_journal *j);

/* Fills an idempotent work's answer: status and body printed; body freed. */
void ledger_answer(models_idem_answer *answer, int status, cJSON *body);

/* Shared per-request state of every money POST: the actor with its audit
 * row, and the input the handler read for its work. */
typedef struct {
	request_ctx *rc;
	models_audit audit;
	loans_actor who;	    /* who.audit points at audit: never copy the struct */
	int64_t id;		    /* the path's loan, claim, programme, fund or journal entry */
	union {			    /* the body's one integer, by the route's name for it */
		int64_t amount_fen; /* amount_fen or loss_fen */
		int64_t institution_id;
		int64_t days; /* overdue_days */
	};
	const char *text; /* paid_on, as_of, reason, period or memo (may be NULL) */
} ledger_money_ctx;

/* Zeroes m and fills rc, the actor (scope_for: a bank its own
 * institution's records, the bureau all; audited as answering status) and
 * id from the path. */
void ledger_money_init(ledger_money_ctx *m, request_ctx *rc, int status);

/* ledger_money_init, then the body's text field text_key into m->text and
 * its integer field int_key into m->amount_fen (= institution_id, days);
 * a NULL key reads nothing. The route's body schema checked both. */
void ledger_money_read(ledger_money_ctx *m, request_ctx *rc, int status, const char *text_key,
		       const char *int_key);

/* ledger_money_read into a context of its own, then work under the
 * request's Idempotency-Key (idempotency_run): a money POST whose body
 * needs no check beyond its route's. */
xyd_status ledger_money_run(request_ctx *rc, int status, const char *text_key, const char *int_key,
			    models_idem_work work);

#endif
