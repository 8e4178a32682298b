/*
 * Programmes over HTTP: the bureau creates and changes them (and the
 * funds they name) and decides which banks are their partners; anyone
 * reads them with their active products and partners; the
 * park that owns one recommends it to its enterprises and, with the
 * bureau, watches the funnel that follows. Another park's programme
 * answers 404 to a park, as if it did not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/products.h"
#include "models/programs.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"
#include "services/matching_service.h"

#define NOTIFY_TITLE_PREFIX "园区推荐："

static xyd_status no_program(request_ctx *rc, int64_t id)
{
	return api_error_set(&rc->err, XYD_NOT_FOUND, NULL, "no programme %lld", (long long)id);
}

/* ---- JSON out ---- */

static cJSON *json_partner(const models_program_partner *p, bool full)
{
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "id", p->institution_id);
	cJSON_AddStringToObject(o, "name", p->name);
	if (full) {
		json_add_int(o, "program_id", p->program_id);
		cJSON_AddStringToObject(o, "added_at", p->added_at);
	}
	return o;
}

/* What a page of programmes shows with them: their active products and
 * their partners, each ordered by programme id, with a cursor into each. */
typedef struct {
	models_product_brief *b;
	size_t nb, next_b;
	models_program_partner *p;
	size_t np, next_p;
} program_extras;

/* The products and partners of the programmes with ids first..last. */
static xyd_status extras_load(request_ctx *rc, int64_t first, int64_t last, program_extras *x)
{
	memset(x, 0, sizeof *x);
	xyd_status st = models_product_briefs_of_programs(rc->db, first, last, &x->b, &x->nb);
	if (st == XYD_OK)
		st = models_program_partners_of_programs(rc->db, first, last, &x->p, &x->np);
	return st;
}

static void extras_release(program_extras *x)
{
	free(x->b);
	free(x->p);
}

/* The partners of programme id found in x->p[x->next_p..), the cursor
 * advanced past them. */
static void add_partners(cJSON *o, int64_t id, program_extras *x)
{
	cJSON *items = cJSON_AddArrayToObject(o, "partners");
	size_t i = x->next_p;
	while (i < x->np && x->p[i].program_id < id)
		i++;
	for (; i < x->np && x->p[i].program_id == id; i++)
		cJSON_AddItemToArray(items, json_partner(&x->p[i], false));
	x->next_p = i;
}

/* The programme; its products are the briefs of this programme found in
 * b[*next..nb) (ordered by programme id), *next advanced past them. */
static cJSON *json_program_products(const models_program *g, const models_product_brief *b,
				    size_t nb, size_t *next)
{
	cJSON *o = json_record(g, models_program_rec());
	cJSON *items = cJSON_AddArrayToObject(o, "products");
	size_t i = *next;
	while (i < nb && b[i].program_id < g->id)
		i++;
	for (; i < nb && b[i].program_id == g->id; i++)
		cJSON_AddItemToArray(items, json_record(&b[i], models_product_brief_rec()));
	*next = i;
	return o;
}

/* The programme with its products and partners from x. */
static cJSON *json_program(const models_program *g, program_extras *x)
{
	cJSON *o = json_program_products(g, x->b, x->nb, &x->next_b);
	add_partners(o, g->id, x);
	return o;
}

/* One programme with its products and partners, answered with status. */
static xyd_status reply_program(request_ctx *rc, int status, const models_program *g)
{
	program_extras x;
	xyd_status st = extras_load(rc, g->id, g->id, &x);
	if (st != XYD_OK) {
		extras_release(&x);
		return request_fail(rc, st);
	}
	cJSON *o = json_program(g, &x);
	extras_release(&x);
	return reply_json(rc, status, o);
}

/* ---- funds ---- */

static const json_field fund_fields[] = {
	{"name", JSON_T_TEXT, true, false, 1, FUND_NAME_MAX_CHARS},
};
const route_body funds_create_body = {fund_fields, ARRAY_SIZE(fund_fields), false};

xyd_status handle_funds_create(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	const char *name = json_get_string(body, "name");
	if (validate_blank(name))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "name",
				     "name must not be blank");
	models_audit audit;
	request_audit(rc, &audit, "fund.create", "fund", 201);
	models_fund f;
	st = models_fund_create(rc->db, name, rc->who.user_id, &audit, &f);
	if (st == XYD_CONFLICT)
		return api_error_set(&rc->err, st, "name", "a fund with this name exists");
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, 201, json_record(&f, models_fund_rec()));
}

/* ---- create and change ---- */

/* clang-format off */
#define PROGRAM_TERMS_FIELDS(req)                                                           \
	{"description", JSON_T_TEXT_LINES, false, false, 0, PROGRAM_DESCRIPTION_MAX_CHARS}, \
	{"fund_id", JSON_T_INT, false, true, 1, JSON_MAX_EXACT_INT},                                    \
	{"fund_share_bps", JSON_T_INT, req, false, 0, PROGRAM_SHARES_TOTAL_BPS},            \
	{"bank_share_bps", JSON_T_INT, req, false, 0, PROGRAM_SHARES_TOTAL_BPS},            \
	{"guarantor_share_bps", JSON_T_INT, req, false, 0, PROGRAM_SHARES_TOTAL_BPS},       \
	{"interest_subsidy_bps", JSON_T_INT, false, false, 0, PROGRAM_SUBSIDY_MAX_BPS},     \
	{"max_amount_per_enterprise_fen", JSON_T_INT, false, true, 1, PRODUCT_AMOUNT_MAX_FEN}
/* clang-format on */

static const json_field create_fields[] = {
	{"name", JSON_T_TEXT, true, false, 1, PROGRAM_NAME_MAX_CHARS},
	{"park_id", JSON_T_INT, true, false, 1, INT32_MAX},
	PROGRAM_TERMS_FIELDS(true),
};
const route_body programs_create_body = {create_fields, ARRAY_SIZE(create_fields), false};

static const json_field patch_fields[] = {PROGRAM_TERMS_FIELDS(false)};
const route_body programs_patch_body = {patch_fields, ARRAY_SIZE(patch_fields), false};

/* The fund a body names: null for none, else one that exists. */
static xyd_status read_fund(request_ctx *rc, const cJSON *body, models_program *g)
{
	const cJSON *v = json_get(body, "fund_id");
	int64_t id = 0;
	bool exists = false;
	if (!v || cJSON_IsNull(v)) {
		if (v)
			g->fund_id = 0;
		return XYD_OK;
	}
	json_get_int(body, "fund_id", &id);
	xyd_status st = models_fund_exists(rc->db, id, &exists);
	if (st != XYD_OK)
		return request_fail(rc, st);
	if (!exists)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "fund_id", "no fund %lld",
				     (long long)id);
	g->fund_id = id;
	return XYD_OK;
}

/* Applies the terms a body holds (description, fund, shares, subsidy, cap)
 * to g and checks that the shares sum to 10,000. */
static xyd_status read_terms(request_ctx *rc, const cJSON *body, models_program *g)
{
	const char *s = json_get_string(body, "description");
	const cJSON *cap = json_get(body, "max_amount_per_enterprise_fen");
	xyd_status st;
	if (s)
		snprintf(g->description, sizeof g->description, "%s", s);
	json_get_int_to(body, "fund_share_bps", &g->fund_share_bps);
	json_get_int_to(body, "bank_share_bps", &g->bank_share_bps);
	json_get_int_to(body, "guarantor_share_bps", &g->guarantor_share_bps);
	json_get_int_to(body, "interest_subsidy_bps", &g->interest_subsidy_bps);
	if (cap && cJSON_IsNull(cap))
		g->max_amount_per_enterprise_fen = 0;
	else if (cap)
		json_get_int(body, "max_amount_per_enterprise_fen",
			     &g->max_amount_per_enterprise_fen);
	int sum = g->fund_share_bps + g->bank_share_bps + g->guarantor_share_bps;
	if (sum != PROGRAM_SHARES_TOTAL_BPS)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "fund_share_bps",
				     "fund_share_bps + bank_share_bps + guarantor_share_bps must "
				     "sum to 10000; they sum to %d",
				     sum);
	if ((st = read_fund(rc, body, g)) != XYD_OK)
		return st;
	return XYD_OK;
}

xyd_status handle_programs_create(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	models_program *g = xcalloc(1, sizeof *g), *out = xmalloc(sizeof *out);
	const char *name = json_get_string(body, "name");
	json_get_int(body, "park_id", &g->park_id);
	if (validate_blank(name)) {
		st = api_error_set(&rc->err, XYD_VALIDATION_FAILED, "name",
				   "name must not be blank");
		goto out;
	}
	snprintf(g->name, sizeof g->name, "%s", name);
	if (!models_reference_park(&rc->app->reference, g->park_id)) {
		st = api_error_set(&rc->err, XYD_VALIDATION_FAILED, "park_id",
				   "park_id must be a park id (GET /api/v1/parks)");
		goto out;
	}
	if ((st = read_terms(rc, body, g)) != XYD_OK)
		goto out;
	models_audit audit;
	request_audit(rc, &audit, "program.create", "program", 201);
	st = models_program_create(rc->db, g, rc->who.user_id, &audit, out);
	if (st == XYD_OK)
		matching_service_catalog_changed(rc->db);
	if (st == XYD_OK)
		st = reply_program(rc, 201, out);
	else if (st == XYD_CONFLICT)
		api_error_set(&rc->err, st, "name", "a programme with this name exists");
	else
		request_fail(rc, st);
out:
	free(out);
	free(g);
	return st;
}

typedef struct {
	request_ctx *rc;
	const cJSON *body;
} merge_ctx;

/* Inside the update's transaction: the request applied to the locked row.
 * A programme's fund, once set, stays: loans and claims book against it. */
static xyd_status merge_patch(void *arg, const models_program *current, models_program *m)
{
	merge_ctx *c = arg;
	xyd_status st = read_terms(c->rc, c->body, m);
	if (st != XYD_OK)
		return st;
	if (current->fund_id && m->fund_id != current->fund_id)
		return api_error_set(
			&c->rc->err, XYD_INVALID_STATE, "fund_id",
			"programme %lld already draws on fund %lld; its fund does not change",
			(long long)current->id, (long long)current->fund_id);
	return XYD_OK;
}

xyd_status handle_programs_patch(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	int64_t id = request_id_param(rc);
	if (!body->child)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL,
				     "name at least one field to change");
	models_audit audit;
	request_audit(rc, &audit, "program.update", "program", 200);
	merge_ctx mc = {rc, body};
	models_program *out = xmalloc(sizeof *out);
	st = models_program_update(rc->db, id, merge_patch, &mc, &audit, out);
	if (st == XYD_OK)
		matching_service_catalog_changed(rc->db);
	if (st == XYD_OK)
		st = reply_program(rc, 200, out);
	else if (st == XYD_NOT_FOUND)
		no_program(rc, id);
	else if (rc->err.status != st) /* not a refusal merge_patch already worded */
		request_fail(rc, st);
	free(out);
	return st;
}

/* ---- read ---- */

xyd_status handle_programs_list(request_ctx *rc)
{
	const char *park = request_query(rc, "park_id");
	int64_t park_id = 0, after;
	int limit;
	xyd_status st;
	if (park) {
		char *end;
		park_id = strtoll(park, &end, 10);
		if (!*park || *end || park_id < 1 ||
		    !models_reference_park(&rc->app->reference, park_id))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "park_id",
					     "park_id must be a park id (GET /api/v1/parks)");
	}
	if ((st = request_page(rc, &limit, &after)) != XYD_OK)
		return st;
	models_program *rows;
	program_extras x;
	size_t n;
	bool more;
	if ((st = models_program_list(rc->db, park_id, after, limit, &rows, &n, &more)) != XYD_OK)
		return request_fail(rc, st);
	memset(&x, 0, sizeof x);
	if (n && (st = extras_load(rc, rows[0].id, rows[n - 1].id, &x)) != XYD_OK) {
		extras_release(&x);
		free(rows);
		return request_fail(rc, st);
	}
	cJSON *items = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(items, json_program(&rows[i], &x));
	int64_t last = n ? rows[n - 1].id : 0;
	extras_release(&x);
	free(rows);
	return reply_list(rc, items, more, last);
}

xyd_status handle_programs_get(request_ctx *rc)
{
	int64_t id = request_id_param(rc);
	models_program *g = xmalloc(sizeof *g);
	xyd_status st = models_program_get(rc->db, id, g);
	if (st == XYD_OK)
		st = reply_program(rc, 200, g);
	else if (st == XYD_NOT_FOUND)
		no_program(rc, id);
	else
		request_fail(rc, st);
	free(g);
	return st;
}

/* ---- partners ---- */

static const json_field partner_fields[] = {
	{"institution_id", JSON_T_INT, true, false, 1, JSON_MAX_EXACT_INT},
};
const route_body program_partner_add_body = {partner_fields, ARRAY_SIZE(partner_fields), false};

xyd_status handle_program_partner_add(request_ctx *rc)
{
	const cJSON *body = rc->body;
	int64_t id = request_id_param(rc), institution_id = 0;
	char detail[48];
	xyd_status st;
	json_get_int(body, "institution_id", &institution_id);
	models_audit audit;
	request_audit(rc, &audit, "program.partner_add", "program", 201);
	snprintf(detail, sizeof detail, "institution=%lld", (long long)institution_id);
	audit.detail = detail;
	models_program_partner p;
	bool added = false, not_bank = false;
	st = models_program_partner_add(rc->db, id, institution_id, rc->who.user_id, &audit, &p,
					&added, &not_bank);
	if (st == XYD_NOT_FOUND)
		return no_program(rc, id);
	if (st == XYD_VALIDATION_FAILED && not_bank)
		return api_error_set(
			&rc->err, st, "institution_id",
			"institution %lld is not a bank; only a bank is a programme partner",
			(long long)institution_id);
	if (st == XYD_VALIDATION_FAILED)
		return api_error_set(&rc->err, st, "institution_id", "no institution %lld",
				     (long long)institution_id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	return reply_json(rc, added ? 201 : 200, json_partner(&p, true));
}

/* The {institution_id} segment as an id; 0 when it is not one. */
static int64_t institution_param(const request_ctx *rc)
{
	const char *s = rc->match.strs[1];
	char *end = NULL;
	int64_t v = 0;
	/* The router checked the segment's characters, not that it is a number. */
	if (s[0] >= '1' && s[0] <= '9' && strlen(s) <= 16)
		v = strtoll(s, &end, 10);
	return v > 0 && end && !*end && v <= JSON_MAX_EXACT_INT ? v : 0;
}

xyd_status handle_program_partner_remove(request_ctx *rc)
{
	int64_t id = request_id_param(rc), institution_id = institution_param(rc);
	size_t moved = 0;
	if (institution_id == 0)
		return api_error_set(&rc->err, XYD_NOT_FOUND, NULL,
				     "no such partner of programme %lld", (long long)id);
	models_audit audit;
	request_audit(rc, &audit, "program.partner_remove", "program", 204);
	xyd_status st = models_program_partner_remove(rc->db, id, institution_id, &audit, &moved);
	if (st == XYD_NOT_FOUND)
		return api_error_set(&rc->err, st, NULL,
				     "institution %lld is not a partner of programme %lld",
				     (long long)institution_id, (long long)id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	/* Its products left the programme: matching must stop showing them in it. */
	matching_service_catalog_changed(rc->db);
	return reply_no_content(rc);
}

/* ---- recommendations and the funnel ---- */

/* The programme id if the caller may act on it: a park only its own. */
static xyd_status own_program(request_ctx *rc, int64_t id, models_program *g)
{
	xyd_status st = models_program_get(rc->db, id, g);
	if (st == XYD_OK && (rc->role & ROLE_PARK) && g->park_id != rc->who.org_id)
		st = XYD_NOT_FOUND;
	if (st == XYD_NOT_FOUND)
		return no_program(rc, id);
	return st == XYD_OK ? XYD_OK : request_fail(rc, st);
}

static const json_field recommend_fields[] = {
	{"enterprise_ids", JSON_T_ARRAY, true, false, 1, RECOMMEND_ENTERPRISES_MAX},
	{"message", JSON_T_TEXT_LINES, true, false, 1, RECOMMEND_MESSAGE_MAX_CHARS},
};
const route_body program_recommend_body = {recommend_fields, ARRAY_SIZE(recommend_fields), false};

/* The ids of enterprise_ids: each an id, none twice. *ids malloc'd. */
static xyd_status read_enterprise_ids(request_ctx *rc, const cJSON *arr, int64_t **ids, size_t *n)
{
	size_t count = (size_t)cJSON_GetArraySize(arr), i = 0;
	int64_t *out = xcalloc(count, sizeof *out);
	const cJSON *v;
	cJSON_ArrayForEach(v, arr) {
		char field[48];
		snprintf(field, sizeof field, "enterprise_ids[%zu]", i);
		if (!json_number_exact_int(v, &out[i]) || out[i] < 1 ||
		    out[i] > JSON_MAX_EXACT_INT) {
			free(out);
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, field,
					     "%s must be an enterprise id", field);
		}
		for (size_t j = 0; j < i; j++) {
			if (out[j] == out[i]) {
				free(out);
				return api_error_set(&rc->err, XYD_VALIDATION_FAILED, field,
						     "%s repeats enterprise_ids[%zu]", field, j);
			}
		}
		i++;
	}
	*ids = out;
	*n = count;
	return XYD_OK;
}

/* prefix + name, cut to the title's limit on a character boundary. */
static void notification_title(const char *name, char *out, size_t size)
{
	size_t chars = 0, i = 0;
	snprintf(out, size, "%s%s", NOTIFY_TITLE_PREFIX, name);
	for (; out[i]; i++) {
		if (((unsigned char)out[i] & 0xC0) != 0x80 && ++chars > 200)
			break;
	}
	out[i] = '\0';
}

static xyd_status recommend(request_ctx *rc, const models_program *g, int64_t *ids, size_t n,
			    const char *message)
{
	char title[1024], detail[32];
	notification_title(g->name, title, sizeof title);
	snprintf(detail, sizeof detail, "enterprises=%zu", n);
	models_recommendation rq = {.program_id = g->id,
				    .park_id = g->park_id,
				    .enterprise_ids = ids,
				    .count = n,
				    .message = message,
				    .title = title,
				    .user_id = rc->who.user_id};
	models_audit audit;
	request_audit(rc, &audit, "program.recommend", "program", 201);
	audit.detail = detail;
	size_t bad = 0, written = 0;
	xyd_status st = models_program_recommend(rc->db, &rq, &audit, &bad, &written);
	if (st == XYD_VALIDATION_FAILED) {
		char field[48];
		snprintf(field, sizeof field, "enterprise_ids[%zu]", bad);
		return api_error_set(&rc->err, st, field,
				     "enterprise %lld is not an enterprise of park %lld",
				     (long long)ids[bad], (long long)g->park_id);
	}
	if (st == XYD_NOT_FOUND)
		return no_program(rc, g->id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	cJSON *o = cJSON_CreateObject();
	json_add_int(o, "recommended", (int64_t)written);
	return reply_json(rc, 201, o);
}

xyd_status handle_program_recommend(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	int64_t *ids = NULL;
	size_t n = 0;
	if ((st = read_enterprise_ids(rc, json_get(body, "enterprise_ids"), &ids, &n)) != XYD_OK)
		return st;
	const char *message = json_get_string(body, "message");
	models_program *g = xmalloc(sizeof *g);
	if (validate_blank(message))
		st = api_error_set(&rc->err, XYD_VALIDATION_FAILED, "message",
				   "message must not be blank");
	else if ((st = own_program(rc, request_id_param(rc), g)) == XYD_OK)
		st = recommend(rc, g, ids, n, message);
	free(g);
	free(ids);
	return st;
}

xyd_status handle_program_funnel(request_ctx *rc)
{
	models_program *g = xmalloc(sizeof *g);
	models_program_funnel f;
	int64_t id = request_id_param(rc);
	xyd_status st = own_program(rc, id, g);
	free(g);
	if (st != XYD_OK)
		return st;
	if ((st = models_program_funnel_get(rc->db, id, &f)) == XYD_NOT_FOUND)
		return no_program(rc, id);
	if (st != XYD_OK)
		return request_fail(rc, st);
	cJSON *o = json_record(&f, models_program_funnel_rec());
	return reply_json(rc, 200, o);
}
