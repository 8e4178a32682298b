/*
 * GET /ledger/accounts, /ledger/journals, /ledger/check (bureau, auditor):
 * the books as stored, and a recomputation of every balance from the
 * postings (models/ledger.h).
 */
#include "server/api/ledger.h"

#include <stdlib.h>
#include <string.h>

#include "common/validate.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/idempotency.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"

cJSON *ledger_json_journal(const ledger_journal *j)
{
	cJSON *o = json_record(j, ledger_journal_rec());
	cJSON_AddItemToObject(
		o, "postings",
		json_record_array(j->postings, j->n_postings, ledger_posting_row_rec()));
	return o;
}

void ledger_answer(models_idem_answer *answer, int status, cJSON *body)
{
	answer->status = status;
	answer->body = json_print(body);
	cJSON_Delete(body);
}

void ledger_money_init(ledger_money_ctx *m, request_ctx *rc, int status)
{
	memset(m, 0, sizeof *m);
	m->rc = rc;
	request_audit(rc, &m->audit, "", NULL, status);
	m->who = (loans_actor){scope_for(rc), rc->who.user_id, &m->audit};
	m->id = request_id_param(rc);
}

void ledger_money_read(ledger_money_ctx *m, request_ctx *rc, int status, const char *text_key,
		       const char *int_key)
{
	ledger_money_init(m, rc, status);
	if (text_key)
		m->text = json_get_string(rc->body, text_key);
	if (int_key)
		json_get_int(rc->body, int_key, &m->amount_fen);
}

xyd_status ledger_money_run(request_ctx *rc, int status, const char *text_key, const char *int_key,
			    models_idem_work work)
{
	ledger_money_ctx m;
	ledger_money_read(&m, rc, status, text_key, int_key);
	return idempotency_run(rc, work, &m);
}

static xyd_status account_page(models_db *db, int64_t after, int limit, void **rows, size_t *n,
			       bool *more)
{
	return ledger_account_list(db, after, limit, (ledger_account **)rows, n, more);
}

xyd_status handle_ledger_accounts(request_ctx *rc)
{
	return reply_page_of(rc, account_page, ledger_account_rec(), NULL);
}

static const char *const journal_kinds[] = {"fund.deposit", "claim.pay", "claim.recovery",
					    "program.subsidy", "reversal"};

xyd_status handle_ledger_journals(request_ctx *rc)
{
	const char *kind = request_query(rc, "kind");
	int limit;
	int64_t before;
	xyd_status st = request_page(rc, &limit, &before);
	if (st != XYD_OK)
		return st;
	int n_kinds = (int)(sizeof journal_kinds / sizeof *journal_kinds);
	if (kind && validate_name_index(kind, journal_kinds, n_kinds) < 0)
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "kind",
			"kind must be fund.deposit, claim.pay, claim.recovery, program.subsidy or reversal");
	ledger_journal *rows;
	size_t n;
	bool more;
	if ((st = ledger_journal_list(rc->db, kind, before, limit, &rows, &n, &more)) != XYD_OK)
		return request_fail(rc, st);
	/* Each journal owns its postings: the page is freed here, not by
	 * reply_record_page. */
	cJSON *items = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(items, ledger_json_journal(&rows[i]));
	int64_t last = n ? rows[n - 1].id : 0;
	ledger_journals_free(rows, n);
	return reply_list(rc, items, more, last);
}

xyd_status handle_ledger_check(request_ctx *rc)
{
	ledger_check_result c;
	xyd_status st = ledger_check(rc->db, &c);
	if (st != XYD_OK)
		return request_fail(rc, st);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "balanced", c.balanced);
	json_add_int(o, "journals", c.journals);
	json_add_int(o, "imbalance_fen", c.imbalance_fen);
	json_add_int(o, "postings", c.postings);
	json_add_int(o, "accounts", c.accounts);
	json_add_int(o, "unbalanced_journals", c.unbalanced_journals);
	json_add_int(o, "mismatched_accounts", c.mismatched_accounts);
	json_add_int(o, "negative_funds", c.negative_funds);
	return reply_json(rc, 200, o);
}
