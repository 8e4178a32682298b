/*
 * Loan products over HTTP. A bank publishes and maintains the products of
 * its own institution; anyone, logged in or not, reads the active ones; a
 * bank also reads its own in every status (GET /products/{id}, and
 * GET /products?mine=1). Every field is checked here against api.md and
 * the reference data; the lifecycle rule lives in models/products.c.
 *
 * The two GET routes are public, so the dispatcher authenticates nobody
 * there: request_authenticate_optional reads a bearer token when one is sent, so that a
 * bank can see its own unpublished products.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/base.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/enterprises.h"
#include "models/products.h"
#include "models/programs.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"
#include "services/matching_service.h"


static const char *const kind_names[] = {"credit", "guarantee", "mortgage", "ip_pledge",
					 "receivables"};
static const char *const collateral_names[] = {"none", "property", "ip", "equipment",
					       "receivables"};

static bool one_of(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return true;
	return false;
}

static xyd_status no_product(request_ctx *rc, int64_t id)
{
	return api_error_set(&rc->err, XYD_NOT_FOUND, NULL, "no product %lld", (long long)id);
}

/* The refusal of a programme the caller's institution is not a partner of. */
static xyd_status not_partner(request_ctx *rc, int64_t program_id)
{
	return api_error_set(&rc->err, XYD_FORBIDDEN, "program_id",
			     "institution %lld is not a partner of programme %lld; only the "
			     "bureau adds partners (POST /api/v1/programs/%lld/partners)",
			     (long long)rc->who.org_id, (long long)program_id,
			     (long long)program_id);
}

/* ---- the caller of a public route ---- */

/* True when the caller is a bank user of institution_id. */
static bool is_owner(const request_ctx *rc, int64_t institution_id)
{
	return (rc->role & ROLE_BANK) && rc->who.org_id == institution_id;
}

/* ---- JSON out ---- */

/* "a,b,c" as ["a","b","c"] (numbers when as_int). */
static void add_list(cJSON *o, const char *key, const char *csv, bool as_int)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);
	for (const char *p = csv; *p;) {
		size_t len = strcspn(p, ",");
		char item[64];
		snprintf(item, sizeof item, "%.*s", (int)len, p);
		/* park ids are small: a double holds them exactly */
		cJSON_AddItemToArray(a, as_int ? cJSON_CreateNumber((double)strtoll(item, NULL, 10))
					       : cJSON_CreateString(item));
		p += len + (p[len] == ',');
	}
}

static cJSON *json_criteria(const models_product *p)
{
	cJSON *c = cJSON_CreateObject();
	json_add_string_or_null(c, "min_grade", p->min_grade);
	if (p->min_score >= 0)
		json_add_int(c, "min_score", p->min_score);
	else
		cJSON_AddNullToObject(c, "min_score");
	add_list(c, "industries", p->industries, false);
	add_list(c, "towns", p->towns, false);
	add_list(c, "park_ids", p->park_ids, true);
	if (p->min_years >= 0)
		json_add_int(c, "min_years", p->min_years);
	else
		cJSON_AddNullToObject(c, "min_years");
	if (p->min_revenue_fen >= 0)
		json_add_int(c, "min_revenue_fen", p->min_revenue_fen);
	else
		cJSON_AddNullToObject(c, "min_revenue_fen");
	add_list(c, "required_tags", p->required_tags, false);
	cJSON_AddBoolToObject(c, "whitelist_only", p->whitelist_only);
	return c;
}

/* Key order as it has always been (the Node peer's bodies are the same
 * bytes): the head, "criteria", then the tail with the status. */
static cJSON *json_product(const void *row, const void *ctx)
{
	const models_product *p = row;
	(void)ctx;
	cJSON *o = cJSON_CreateObject();
	json_add_record(o, p, models_product_head_rec());
	cJSON_AddItemToObject(o, "criteria", json_criteria(p));
	json_add_int(o, "monthly_capacity", p->monthly_capacity);
	cJSON_AddStringToObject(o, "status", models_product_status_name(p->status));
	json_add_record(o, p, models_product_tail_rec());
	return o;
}

/* ---- checking a body ---- */

/* The fields of a product body; a POST requires some (req true), a PATCH none. */
/* clang-format off */
#define PRODUCT_FIELDS(req)                                                                 \
	{"name", JSON_T_TEXT, req, false, 1, PRODUCT_NAME_MAX_CHARS},                       \
	{"kind", JSON_T_STRING, req, false, 1, 16},                                         \
	{"amount_min_fen", JSON_T_INT, req, false, 1, PRODUCT_AMOUNT_MAX_FEN},              \
	{"amount_max_fen", JSON_T_INT, req, false, 1, PRODUCT_AMOUNT_MAX_FEN},              \
	{"rate_min_bps", JSON_T_INT, req, false, PRODUCT_RATE_MIN_BPS, PRODUCT_RATE_MAX_BPS}, \
	{"rate_max_bps", JSON_T_INT, req, false, PRODUCT_RATE_MIN_BPS, PRODUCT_RATE_MAX_BPS}, \
	{"term_min_months", JSON_T_INT, req, false, PRODUCT_TERM_MIN_MONTHS,                \
	 PRODUCT_TERM_MAX_MONTHS},                                                          \
	{"term_max_months", JSON_T_INT, req, false, PRODUCT_TERM_MIN_MONTHS,                \
	 PRODUCT_TERM_MAX_MONTHS},                                                          \
	{"collateral", JSON_T_STRING, req, false, 1, 16},                                   \
	{"criteria", JSON_T_OBJECT, false, false, 0, 0},                                    \
	{"program_id", JSON_T_INT, false, true, 1, JSON_MAX_EXACT_INT},                                 \
	{"monthly_capacity", JSON_T_INT, req, false, 0, PRODUCT_CAPACITY_MAX},              \
	{"status", JSON_T_STRING, false, false, 1, 16},                                     \
	{"description", JSON_T_TEXT_LINES, false, false, 0, PRODUCT_DESCRIPTION_MAX_CHARS}
/* clang-format on */

static const json_field create_fields[] = {PRODUCT_FIELDS(true)};
const route_body products_create_body = {create_fields, ARRAY_SIZE(create_fields), false};
static const json_field patch_fields[] = {PRODUCT_FIELDS(false)};
const route_body products_patch_body = {patch_fields, ARRAY_SIZE(patch_fields), false};

static const json_field criteria_fields[] = {
	{"min_grade", JSON_T_STRING, false, true, 1, 1},
	{"min_score", JSON_T_INT, false, true, 0, 1000},
	{"industries", JSON_T_ARRAY, false, false, 0, PRODUCT_LIST_MAX},
	{"towns", JSON_T_ARRAY, false, false, 0, PRODUCT_LIST_MAX},
	{"park_ids", JSON_T_ARRAY, false, false, 0, PRODUCT_LIST_MAX},
	{"min_years", JSON_T_INT, false, true, 0, PRODUCT_MIN_YEARS_MAX},
	{"min_revenue_fen", JSON_T_INT, false, true, 0, JSON_MAX_EXACT_INT},
	{"required_tags", JSON_T_ARRAY, false, false, 0, MODELS_ENTERPRISE_TAG_COUNT},
	{"whitelist_only", JSON_T_BOOL, false, false, 0, 0},
};

typedef enum { LIST_INDUSTRIES, LIST_TOWNS, LIST_PARKS } list_kind;

/* Checks one item of a criteria list and writes it as text into item. */
static xyd_status list_item(request_ctx *rc, list_kind kind, const cJSON *v, const char *field,
			    char *item, size_t size)
{
	const models_reference *ref = &rc->app->reference;
	int64_t park;
	switch (kind) {
	case LIST_INDUSTRIES:
		if (!cJSON_IsString(v) || !models_reference_industry_valid(ref, v->valuestring))
			return api_error_set(
				&rc->err, XYD_VALIDATION_FAILED, field,
				"%s must be a GB/T 4754-2017 section letter, optionally "
				"with one of its divisions (C or C26)",
				field);
		snprintf(item, size, "%s", v->valuestring);
		return XYD_OK;
	case LIST_TOWNS:
		if (!cJSON_IsString(v) || !models_reference_town(ref, v->valuestring))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, field,
					     "%s must be a town code (GET /api/v1/towns)", field);
		snprintf(item, size, "%s", v->valuestring);
		return XYD_OK;
	case LIST_PARKS:
		if (!json_number_exact_int(v, &park) || park < 1 || park > INT32_MAX ||
		    !models_reference_park(ref, park))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, field,
					     "%s must be a park id (GET /api/v1/parks)", field);
		snprintf(item, size, "%lld", (long long)park);
		return XYD_OK;
	}
	return XYD_INTERNAL;
}

/* A criteria list as comma-separated text, each item checked, no repeats. */
static xyd_status read_list(request_ctx *rc, const cJSON *arr, const char *key, list_kind kind,
			    char *out, size_t size)
{
	char items[PRODUCT_LIST_MAX][64];
	size_t n = 0, used = 0;
	const cJSON *v;
	out[0] = '\0';
	cJSON_ArrayForEach(v, arr) {
		char field[64];
		snprintf(field, sizeof field, "criteria.%s[%zu]", key, n);
		xyd_status st = list_item(rc, kind, v, field, items[n], sizeof items[n]);
		if (st != XYD_OK)
			return st;
		for (size_t j = 0; j < n; j++)
			if (strcmp(items[j], items[n]) == 0)
				return api_error_set(&rc->err, XYD_VALIDATION_FAILED, field,
						     "%s repeats criteria.%s[%zu]", field, key, j);
		used += (size_t)snprintf(out + used, size - used, "%s%s", n ? "," : "", items[n]);
		n++;
	}
	return used < size ? XYD_OK
			   : api_error_set(&rc->err, XYD_VALIDATION_FAILED, key,
					   "criteria.%s is too long", key);
}

/* The optional minimums: null clears one, an integer sets it. */
static void read_min(const cJSON *c, const char *key, int64_t *out)
{
	const cJSON *v = json_get(c, key);
	if (v && cJSON_IsNull(v))
		*out = -1;
	else if (v)
		json_get_int(c, key, out);
}

/* Applies the members criteria holds to m. */
static xyd_status read_criteria(request_ctx *rc, const cJSON *c, models_product *m)
{
	xyd_status st;
	const cJSON *v;
	if ((st = json_check_object(c, criteria_fields, ARRAY_SIZE(criteria_fields), "criteria",
				    &rc->err)) != XYD_OK)
		return st;
	if ((v = json_get(c, "min_grade"))) {
		const char *g = cJSON_IsNull(v) ? "" : v->valuestring;
		if (*g && !one_of(g, (const char *const[]){"A", "B", "C", "D"}, 4))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "criteria.min_grade",
					     "criteria.min_grade must be A, B, C, D or null");
		snprintf(m->min_grade, sizeof m->min_grade, "%s", g);
	}
	int64_t score = m->min_score, years = m->min_years, revenue = m->min_revenue_fen;
	read_min(c, "min_score", &score);
	read_min(c, "min_years", &years);
	read_min(c, "min_revenue_fen", &revenue);
	m->min_score = (int)score;
	m->min_years = (int)years;
	m->min_revenue_fen = revenue;
	if ((v = json_get(c, "industries")) &&
	    (st = read_list(rc, v, "industries", LIST_INDUSTRIES, m->industries,
			    sizeof m->industries)) != XYD_OK)
		return st;
	if ((v = json_get(c, "towns")) &&
	    (st = read_list(rc, v, "towns", LIST_TOWNS, m->towns, sizeof m->towns)) != XYD_OK)
		return st;
	if ((v = json_get(c, "park_ids")) &&
	    (st = read_list(rc, v, "park_ids", LIST_PARKS, m->park_ids, sizeof m->park_ids)) !=
		    XYD_OK)
		return st;
	if ((v = json_get(c, "required_tags")) &&
	    (st = json_read_tags(rc, v, "criteria.required_tags", true, m->required_tags,
				 sizeof m->required_tags)) != XYD_OK)
		return st;
	bool b;
	if (json_get_bool(c, "whitelist_only", &b))
		m->whitelist_only = b;
	return XYD_OK;
}

/* The programme a body names: 0 for null; 400 unless it exists. Whether
 * the institution is a partner of it is checked by the model, in the
 * transaction that writes the product (403). */
static xyd_status read_program(request_ctx *rc, const cJSON *body, models_product *m)
{
	const cJSON *v = json_get(body, "program_id");
	int64_t id = 0;
	if (!v)
		return XYD_OK;
	if (!cJSON_IsNull(v)) {
		models_program g;
		json_get_int(body, "program_id", &id);
		xyd_status st = models_program_get(rc->db, id, &g);
		if (st == XYD_NOT_FOUND)
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "program_id",
					     "no programme %lld", (long long)id);
		if (st != XYD_OK)
			return request_fail(rc, st);
	}
	m->program_id = id;
	return XYD_OK;
}

/* Applies every member body holds to m (already checked by the field table). */
static xyd_status read_fields(request_ctx *rc, const cJSON *body, models_product *m)
{
	const char *s;
	xyd_status st;
	if ((s = json_get_string(body, "name"))) {
		if (validate_blank(s))
			return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "name",
					     "name must not be blank");
		snprintf(m->name, sizeof m->name, "%s", s);
	}
	if ((s = json_get_string(body, "kind")) && !one_of(s, kind_names, ARRAY_SIZE(kind_names)))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "kind",
			"kind must be credit, guarantee, mortgage, ip_pledge or receivables");
	if (s)
		snprintf(m->kind, sizeof m->kind, "%s", s);
	if ((s = json_get_string(body, "collateral")) &&
	    !one_of(s, collateral_names, ARRAY_SIZE(collateral_names)))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "collateral",
			"collateral must be none, property, ip, equipment or receivables");
	if (s)
		snprintf(m->collateral, sizeof m->collateral, "%s", s);
	if ((s = json_get_string(body, "status")) && !models_product_status_parse(s, &m->status))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "status",
				     "status must be draft, active, paused or retired");
	if ((s = json_get_string(body, "description")))
		snprintf(m->description, sizeof m->description, "%s", s);
	json_get_int(body, "amount_min_fen", &m->amount_min_fen);
	json_get_int(body, "amount_max_fen", &m->amount_max_fen);
	json_get_int_to(body, "rate_min_bps", &m->rate_min_bps);
	json_get_int_to(body, "rate_max_bps", &m->rate_max_bps);
	json_get_int_to(body, "term_min_months", &m->term_min_months);
	json_get_int_to(body, "term_max_months", &m->term_max_months);
	json_get_int_to(body, "monthly_capacity", &m->monthly_capacity);
	const cJSON *c = json_get(body, "criteria");
	if (c && (st = read_criteria(rc, c, m)) != XYD_OK)
		return st;
	return read_program(rc, body, m);
}

/* min <= max of one range; the field named is the one the body changed
 * (the maximum when only it was sent). */
static xyd_status check_range(request_ctx *rc, const cJSON *body, const char *min_key,
			      const char *max_key, int64_t min, int64_t max)
{
	if (min <= max)
		return XYD_OK;
	const char *field = json_get(body, max_key) && !json_get(body, min_key) ? max_key : min_key;
	return api_error_set(&rc->err, XYD_VALIDATION_FAILED, field,
			     "%s (%lld) must not be above %s (%lld)", min_key, (long long)min,
			     max_key, (long long)max);
}

static xyd_status check_ranges(request_ctx *rc, const cJSON *body, const models_product *m)
{
	xyd_status st;
	if ((st = check_range(rc, body, "amount_min_fen", "amount_max_fen", m->amount_min_fen,
			      m->amount_max_fen)) != XYD_OK ||
	    (st = check_range(rc, body, "rate_min_bps", "rate_max_bps", m->rate_min_bps,
			      m->rate_max_bps)) != XYD_OK)
		return st;
	return check_range(rc, body, "term_min_months", "term_max_months", m->term_min_months,
			   m->term_max_months);
}

/* ---- create ---- */

xyd_status handle_products_create(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	models_product *p = xcalloc(1, sizeof *p), *out = xmalloc(sizeof *out);
	p->institution_id = rc->who.org_id;
	p->min_score = p->min_years = -1;
	p->min_revenue_fen = -1;
	p->status = PRODUCT_DRAFT;
	if ((st = read_fields(rc, body, p)) != XYD_OK || (st = check_ranges(rc, body, p)) != XYD_OK)
		goto out;
	if (p->status != PRODUCT_DRAFT && p->status != PRODUCT_ACTIVE) {
		st = api_error_set(&rc->err, XYD_VALIDATION_FAILED, "status",
				   "a new product is draft or active");
		goto out;
	}
	models_audit audit;
	request_audit(rc, &audit, "product.create", "product", 201);
	if ((st = models_product_create(rc->db, p, rc->who.user_id, &audit, out)) != XYD_OK) {
		if (st == XYD_FORBIDDEN)
			not_partner(rc, p->program_id);
		else
			request_fail(rc, st);
		goto out;
	}
	matching_service_catalog_changed(rc->db);
	reply_json(rc, 201, json_product(out, NULL));
out:
	free(out);
	free(p);
	return st;
}

/* ---- update ---- */

typedef struct {
	request_ctx *rc;
	const cJSON *body;
	int64_t program_id; /* the merged product's, for a refusal */
} merge_ctx;

/* Inside the update's transaction: the request applied to the locked row. */
static xyd_status merge_patch(void *arg, const models_product *current, models_product *m)
{
	merge_ctx *c = arg;
	(void)current;
	xyd_status st = read_fields(c->rc, c->body, m);
	c->program_id = m->program_id;
	return st != XYD_OK ? st : check_ranges(c->rc, c->body, m);
}

xyd_status handle_products_patch(request_ctx *rc)
{
	const cJSON *body = rc->body;
	xyd_status st;
	int64_t id = request_id_param(rc);
	if (!body->child)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL,
				     "name at least one field to change");
	models_audit audit;
	request_audit(rc, &audit, "product.update", "product", 200);
	merge_ctx mc = {rc, body, 0};
	models_product *out = xmalloc(sizeof *out);
	models_product_status asked = PRODUCT_STATUS_COUNT;
	models_product_status_parse(json_get_string(body, "status"), &asked);
	st = models_product_update(rc->db, id, rc->who.org_id, merge_patch, &mc, &audit, out);
	if (st == XYD_OK)
		matching_service_catalog_changed(rc->db);
	if (st == XYD_OK)
		reply_json(rc, 200, json_product(out, NULL));
	else if (st == XYD_NOT_FOUND)
		no_product(rc, id);
	else if (st == XYD_INVALID_STATE && out->status == PRODUCT_RETIRED)
		api_error_set(&rc->err, st, NULL,
			      "product %lld is retired; a retired product "
			      "does not change",
			      (long long)id);
	else if (st == XYD_FORBIDDEN)
		not_partner(rc, mc.program_id);
	else if (st == XYD_INVALID_STATE)
		api_error_set(&rc->err, st, "status",
			      "product %lld cannot go from %s to %s (draft→active, active↔paused, "
			      "any→retired)",
			      (long long)id, models_product_status_name(out->status),
			      asked < PRODUCT_STATUS_COUNT ? models_product_status_name(asked)
							   : "?");
	else if (rc->err.status != st) /* not a refusal merge_patch already worded */
		request_fail(rc, st);
	free(out);
	return st;
}

/* ---- read ---- */

/* mine=1: the caller's own products, which takes a logged-in bank. */
static xyd_status read_mine(request_ctx *rc, models_product_filter *f, bool *empty)
{
	const char *mine = request_query(rc, "mine"), *status = request_query(rc, "status");
	bool own = mine && strcmp(mine, "1") == 0;
	if (mine && !own && strcmp(mine, "0") != 0)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "mine",
				     "mine must be 1 or 0");
	if (status && !own)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "status",
				     "the public list holds active products only; status filters "
				     "a bank's own list (mine=1)");
	f->has_status = !own;
	f->status = PRODUCT_ACTIVE;
	if (!own)
		return XYD_OK;
	if (!rc->authenticated)
		return api_error_set(&rc->err, XYD_UNAUTHENTICATED, NULL,
				     "mine=1 lists the caller's own products: log in as a bank");
	if (!(rc->role & ROLE_BANK))
		return api_error_set(&rc->err, XYD_FORBIDDEN, NULL,
				     "only a bank has products of its own (mine=1)");
	if (status && !models_product_status_parse(status, &f->status))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "status",
				     "status must be draft, active, paused or retired");
	f->has_status = status != NULL;
	*empty = f->institution_id && f->institution_id != rc->who.org_id;
	f->institution_id = rc->who.org_id;
	return XYD_OK;
}

static xyd_status read_list_filter(request_ctx *rc, models_product_filter *f, bool *empty)
{
	xyd_status st;
	memset(f, 0, sizeof *f);
	*empty = false;
	f->kind = request_query(rc, "kind");
	if (f->kind && !one_of(f->kind, kind_names, ARRAY_SIZE(kind_names)))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "kind",
			"kind must be credit, guarantee, mortgage, ip_pledge or receivables");
	if ((st = request_query_id(rc, "institution_id", &f->institution_id)) != XYD_OK ||
	    (st = request_query_id(rc, "program_id", &f->program_id)) != XYD_OK ||
	    (st = request_page(rc, &f->limit, &f->after_id)) != XYD_OK)
		return st;
	return read_mine(rc, f, empty);
}

xyd_status handle_products_list(request_ctx *rc)
{
	models_product_filter f;
	bool empty;
	xyd_status st;
	if ((st = request_authenticate_optional(rc)) != XYD_OK ||
	    (st = read_list_filter(rc, &f, &empty)) != XYD_OK)
		return st;
	if (empty)
		return reply_list(rc, cJSON_CreateArray(), false, 0);
	models_product *rows;
	size_t n;
	bool more;
	st = models_product_list(rc->db, &f, &rows, &n, &more);
	return reply_record_page(rc, st, rows, n, more, models_product_rec(), json_product, NULL);
}

xyd_status handle_products_get(request_ctx *rc)
{
	int64_t id = request_id_param(rc);
	xyd_status st;
	if ((st = request_authenticate_optional(rc)) != XYD_OK)
		return st;
	models_product *p = xmalloc(sizeof *p);
	st = models_product_get(rc->db, id, p);
	if (st == XYD_OK && p->status != PRODUCT_ACTIVE && !is_owner(rc, p->institution_id))
		st = XYD_NOT_FOUND;
	if (st == XYD_OK)
		reply_json(rc, 200, json_product(p, NULL));
	else if (st == XYD_NOT_FOUND)
		no_product(rc, id);
	else
		request_fail(rc, st);
	free(p);
	return st;
}
