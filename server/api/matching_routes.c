/*
 * The matching routes: products for an application or a hypothetical
 * demand, enterprises for a bank's product, and the bureau's batch pairing
 * of open applications. Answers come from the matching service's published
 * version; every criterion of every product shown is explained, in English
 * ("detail", "hint") and in Chinese ("detail_zh", "hint_zh").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/xmalloc.h"
#include "models/matching_data.h"
#include "server/api/handlers.h"
#include "server/http/json_strict.h"
#include "server/api/applications.h"
#include "services/matching_service.h"

#define LIST_MAX 500 /* products in each list, candidates in one page */
#define CANDIDATES_DEFAULT 50

static void add_hash(cJSON *o, uint64_t h)
{
	char buf[17];
	snprintf(buf, sizeof buf, "%016" PRIx64, h);
	cJSON_AddStringToObject(o, "engine_version", MATCHING_ENGINE_VERSION);
	cJSON_AddStringToObject(o, "input_hash", buf);
}

/* Every criterion with its verdict and detail (English, then Chinese), in
 * the engine's order. */
static cJSON *json_reasons(const matching_explanation *x)
{
	cJSON *a = cJSON_CreateArray();
	for (int c = 0; c < MATCH_CRIT_COUNT; c++) {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "criterion", matching_criterion_name(c));
		cJSON_AddBoolToObject(r, "passed", x->reasons[c].passed);
		cJSON_AddBoolToObject(r, "checked", x->reasons[c].checked);
		cJSON_AddStringToObject(r, "detail", x->reasons[c].detail);
		cJSON_AddStringToObject(r, "detail_zh", x->reasons[c].detail_zh);
		cJSON_AddItemToArray(a, r);
	}
	return a;
}

static cJSON *json_product_match(const matching_service_product *p, const matching_explanation *x)
{
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "product_id", p->id);
	cJSON_AddStringToObject(o, "product_name", p->name);
	json_add_int(o, "institution_id", p->institution_id);
	cJSON_AddStringToObject(o, "institution_name", p->institution_name);
	if (p->program_id)
		json_add_int(o, "program_id", p->program_id);
	else
		cJSON_AddNullToObject(o, "program_id");
	json_add_int(o, "rate_min_bps", p->rate_min_bps);
	json_add_int(o, "fit", x->fit);
	cJSON_AddBoolToObject(o, "eligible", x->eligible);
	cJSON_AddItemToObject(o, "reasons", json_reasons(x));
	if (!x->eligible && x->hint_text[0]) {
		cJSON_AddStringToObject(o, "hint", x->hint_text);
		cJSON_AddStringToObject(o, "hint_zh", x->hint_text_zh);
	}
	return o;
}

/* Ranks the active products for d and answers {"items","ineligible",…}. */
static xyd_status answer_products(request_ctx *rc, const matching_demand *d)
{
	matching_view *v = matching_service_acquire(rc->db);
	if (!v)
		return request_fail(rc, XYD_UNAVAILABLE);
	matching_product_ranking r;
	matching_error err;
	int32_t today = matching_service_today();
	if (matching_rank_products(matching_view_catalog(v), d, today, &r, &err) != MATCHING_OK) {
		matching_service_release(v);
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL, "%s", err.message);
	}
	cJSON *body = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(body, "items"),
	      *inel = cJSON_AddArrayToObject(body, "ineligible");
	matching_explanation *x = xmalloc(sizeof *x);
	size_t shown[2] = {0, 0};
	for (size_t i = 0; i < r.count; i++) {
		const matching_service_product *p = matching_view_product(v, r.items[i].product_id);
		bool ok = r.items[i].eligible;
		/* Only published products are shown, to anyone. */
		if (!p || p->status != MATCHING_PRODUCT_ACTIVE || shown[ok] >= LIST_MAX)
			continue;
		if (matching_explain(matching_view_catalog(v), p->id, d, today, x, NULL) !=
		    MATCHING_OK)
			continue;
		cJSON_AddItemToArray(ok ? items : inel, json_product_match(p, x));
		shown[ok]++;
	}
	add_hash(body, r.input_hash);
	free(x);
	matching_product_ranking_release(&r);
	matching_service_release(v);
	return reply_json(rc, 200, body);
}

static xyd_status no_application(request_ctx *rc, int64_t id)
{
	return api_error_set(&rc->err, XYD_NOT_FOUND, NULL, "no application %lld", (long long)id);
}

static xyd_status no_enterprise(request_ctx *rc, int64_t id)
{
	return api_error_set(&rc->err, XYD_NOT_FOUND, NULL, "no enterprise %lld", (long long)id);
}

/* The demand of enterprise_id with the request given; answers on failure. */
static xyd_status load_demand(request_ctx *rc, int64_t enterprise_id, const matching_request *rq,
			      matching_demand *d, matching_balance *balances)
{
	xyd_status st = matching_service_demand(rc->db, enterprise_id, d, balances);
	if (st == XYD_NOT_FOUND)
		return no_enterprise(rc, enterprise_id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	d->has_request = true;
	d->request = *rq;
	return XYD_OK;
}

xyd_status handle_application_matches(request_ctx *rc)
{
	int64_t id = request_id_param(rc);
	models_match_application a;
	matching_balance balances[MATCHING_BALANCES_MAX];
	matching_demand d;
	xyd_status st = models_match_application_get(rc->db, id, &a);
	if (st == XYD_NOT_FOUND ||
	    (st == XYD_OK && (rc->role & ROLE_SME) && a.enterprise_id != rc->who.org_id))
		return no_application(rc, id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	matching_request rq = {.amount_fen = a.amount_fen, .term_months = a.term_months};
	if (!matching_service_collateral_parse(a.collateral, &rq.collateral))
		return request_fail(rc, XYD_INTERNAL);
	if ((st = load_demand(rc, a.enterprise_id, &rq, &d, balances)) != XYD_OK)
		return st;
	return answer_products(rc, &d);
}

/* A query integer of digits only in min..max; answers 400 naming it. */
static xyd_status query_int(request_ctx *rc, const char *name, bool required, int64_t min,
			    int64_t max, int64_t *out)
{
	const char *s = request_query(rc, name);
	if (!s) {
		if (!required)
			return XYD_OK;
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, name, "%s is required", name);
	}
	size_t len = strlen(s);
	bool digits = len > 0 && len <= 16 && strspn(s, "0123456789") == len;
	int64_t v = digits ? strtoll(s, NULL, 10) : -1;
	if (!digits || v < min || v > max)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, name,
				     "%s must be an integer from %lld to %lld", name,
				     (long long)min, (long long)max);
	*out = v;
	return XYD_OK;
}

xyd_status handle_enterprise_matches(request_ctx *rc)
{
	int64_t id = request_id_param(rc), amount = 0, term = 0;
	matching_balance balances[MATCHING_BALANCES_MAX];
	matching_demand d;
	matching_request rq = {.collateral = MATCHING_COLLATERAL_NONE};
	xyd_status st;
	if ((rc->role & ROLE_SME) && rc->who.org_id != id)
		return no_enterprise(rc, id);
	if ((st = query_int(rc, "amount_fen", true, 1, MATCHING_AMOUNT_MAX_FEN, &amount)) !=
		    XYD_OK ||
	    (st = query_int(rc, "term_months", true, 1, 360, &term)) != XYD_OK)
		return st;
	const char *coll = request_query(rc, "collateral");
	if (coll && !matching_service_collateral_parse(coll, &rq.collateral))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "collateral",
			"collateral must be none, property, ip, equipment or receivables");
	rq.amount_fen = amount;
	rq.term_months = (int32_t)term;
	if ((st = load_demand(rc, id, &rq, &d, balances)) != XYD_OK)
		return st;
	return answer_products(rc, &d);
}

/* ---- candidates ---- */

static cJSON *json_candidate(const matching_candidate *c, const char *name,
			     const matching_explanation *x)
{
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "enterprise_id", c->enterprise_id);
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddStringToObject(o, "grade", matching_grade_name(c->grade));
	if (c->score >= 0)
		json_add_int(o, "score", c->score);
	else
		cJSON_AddNullToObject(o, "score");
	json_add_int(o, "fit", c->fit);
	cJSON_AddItemToObject(o, "reasons", json_reasons(x));
	return o;
}

static cJSON *candidates_body(request_ctx *rc, matching_view *v, int64_t product_id,
			      const matching_candidate_ranking *r, char (*names)[801])
{
	cJSON *body = cJSON_CreateObject(), *items = cJSON_AddArrayToObject(body, "items");
	matching_explanation *x = xmalloc(sizeof *x);
	int32_t today = matching_service_today();
	for (size_t i = 0; i < r->count; i++) {
		matching_demand d = {0};
		if (!matching_snapshot_get(matching_view_snapshot(v), r->items[i].enterprise_id,
					   &d.enterprise) ||
		    matching_explain(matching_view_catalog(v), product_id, &d, today, x, NULL) !=
			    MATCHING_OK)
			continue;
		cJSON_AddItemToArray(items, json_candidate(&r->items[i], names[i], x));
	}
	free(x);
	(void)rc;
	json_add_int(body, "eligible_total", (int64_t)r->eligible);
	json_add_int(body, "snapshot_version", (int64_t)r->snapshot_version);
	add_hash(body, r->input_hash);
	return body;
}

xyd_status handle_product_candidates(request_ctx *rc)
{
	int64_t id = request_id_param(rc), limit = CANDIDATES_DEFAULT;
	xyd_status st = query_int(rc, "limit", false, 1, LIST_MAX, &limit);
	if (st != XYD_OK)
		return st;
	matching_view *v = matching_service_acquire(rc->db);
	if (!v)
		return request_fail(rc, XYD_UNAVAILABLE);
	const matching_service_product *p = matching_view_product(v, id);
	if (!p || p->institution_id != rc->who.org_id) {
		matching_service_release(v);
		return api_error_set(&rc->err, XYD_NOT_FOUND, NULL, "no product %lld",
				     (long long)id);
	}
	matching_candidate_query q = {.limit = (size_t)limit, .approved_whitelist_only = true};
	matching_candidate_ranking r;
	matching_error err;
	if (matching_rank_enterprises(matching_view_snapshot(v), matching_view_catalog(v), id, &q,
				      matching_service_today(), &r, &err) != MATCHING_OK) {
		matching_service_release(v);
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL, "%s", err.message);
	}
	int64_t *ids = xcalloc(r.count ? r.count : 1, sizeof *ids);
	char(*names)[801] = xcalloc(r.count ? r.count : 1, sizeof *names);
	for (size_t i = 0; i < r.count; i++)
		ids[i] = r.items[i].enterprise_id;
	st = models_match_enterprise_names(rc->db, ids, r.count, names);
	cJSON *body = st == XYD_OK ? candidates_body(rc, v, id, &r, names) : NULL;
	free(names);
	free(ids);
	matching_candidate_ranking_release(&r);
	matching_service_release(v);
	return body ? reply_json(rc, 200, body) : request_fail(rc, st);
}

/* ---- pairing ---- */

static const json_field pairing_fields[] = {
	{"dry_run", JSON_T_BOOL, false, false, 0, 0},
};
/* No body means a dry run. */
const route_body matching_pairings_body = {pairing_fields, ARRAY_SIZE(pairing_fields), true};

/* Submits one assignment as the bureau; records the outcome on item. */
static bool submit_one(request_ctx *rc, const matching_assignment *a, cJSON *item)
{
	api_error err = {0};
	xyd_status st = applications_submit(rc, a->application_id, a->product_id, &err);
	cJSON_AddBoolToObject(item, "submitted", st == XYD_OK);
	if (st != XYD_OK) {
		cJSON *e = cJSON_AddObjectToObject(item, "error");
		cJSON_AddStringToObject(e, "code", api_error_code(st));
		cJSON_AddStringToObject(e, "message",
					err.message[0] ? err.message : api_error_code(st));
	}
	return st == XYD_OK;
}

static cJSON *pairing_body(request_ctx *rc, const matching_pairing *p, bool dry_run, size_t *failed)
{
	cJSON *body = cJSON_CreateObject(), *as = cJSON_AddArrayToObject(body, "assignments");
	for (size_t i = 0; i < p->nassignments; i++) {
		cJSON *o = cJSON_CreateObject();
		json_add_int(o, "application_id", p->assignments[i].application_id);
		json_add_int(o, "product_id", p->assignments[i].product_id);
		json_add_int(o, "fit", p->assignments[i].fit);
		if (!dry_run && !submit_one(rc, &p->assignments[i], o))
			(*failed)++;
		cJSON_AddItemToArray(as, o);
	}
	cJSON *un = cJSON_AddArrayToObject(body, "unassigned");
	for (size_t i = 0; i < p->nunassigned; i++)
		cJSON_AddItemToArray(un, cJSON_CreateNumber((double)p->unassigned[i]));
	json_add_int(body, "total_fit", p->total_fit);
	cJSON_AddBoolToObject(body, "dry_run", dry_run);
	add_hash(body, p->input_hash);
	return body;
}

xyd_status handle_matching_pairings(request_ctx *rc)
{
	bool dry_run = true;
	xyd_status st;
	json_get_bool(rc->body, "dry_run", &dry_run);
	matching_pairing p;
	if ((st = matching_service_pair(rc->db, &p)) != XYD_OK)
		return request_fail(rc, st);
	size_t failed = 0;
	cJSON *body = pairing_body(rc, &p, dry_run, &failed);
	if (!dry_run)
		matching_service_catalog_changed(rc->db); /* places were used */
	char detail[128];
	snprintf(detail, sizeof detail, "dry_run=%d assigned=%zu unassigned=%zu failed=%zu",
		 dry_run, p.nassignments, p.nunassigned, failed);
	matching_pairing_release(&p);
	models_audit audit;
	request_audit(rc, &audit, "matching.pairing", "matching", 200);
	audit.detail = detail;
	if ((st = models_audit_write(rc->db, &audit)) != XYD_OK) {
		cJSON_Delete(body);
		return request_fail(rc, st);
	}
	return reply_json(rc, 200, body);
}
