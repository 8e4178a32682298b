/*
 * The matching service: the published version (snapshot + catalogue), its
 * readers and its one writer. See matching_service.h for the design.
 */
#include "services/matching_service.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/base.h"
#include "common/district.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "models/matching_data.h"

/* The catalogue and what the answers show of each product. Shared by the
 * versions built on it; holders moves under the writer mutex only. */
typedef struct {
	matching_catalog *cat;
	matching_service_product *info; /* by id */
	char *names;			/* every name, NUL-separated, info points in */
	size_t ninfo;
	matching_product *products; /* the engine's rows, by id, for one-product checks */
	matching_program *programs;
	size_t nprograms;
	int month_key; /* year * 12 + month (UTC) it was counted in */
	int holders;
} catalog_holder;

struct matching_view {
	matching_snapshot *snap; /* owned */
	catalog_holder *ch;	 /* shared */
	long readers;		 /* atomic */
	struct matching_view *next_retired;
};

static struct {
	pthread_mutex_t writer; /* one writer: builds, publishes, frees */
	pthread_mutex_t pub;	/* held for a pointer read and an increment */
	matching_view *current;
	matching_view *retired;
	models_match_places places; /* immutable after start */
	matching_place_names names; /* points into places */
	bool started;
} svc = {.writer = PTHREAD_MUTEX_INITIALIZER, .pub = PTHREAD_MUTEX_INITIALIZER};

/* ---------------------------------------------------------- conversions */

int32_t matching_service_today(void)
{
	return district_today();
}

static int month_key_now(void)
{
	struct tm tm;
	if (!district_tm(time(NULL), &tm))
		return 0;
	return (tm.tm_year + 1900) * 12 + tm.tm_mon;
}

static bool parse_name(const char *s, const char *(*name)(int), int count, uint8_t *out)
{
	for (int i = 0; s && i < count; i++)
		if (strcmp(s, name(i)) == 0) {
			*out = (uint8_t)i;
			return true;
		}
	return false;
}

bool matching_service_collateral_parse(const char *s, uint8_t *out)
{
	return parse_name(s, matching_collateral_name, MATCHING_COLLATERAL_COUNT, out);
}

static uint8_t grade_of(char g)
{
	switch (g) {
	case 'A':
		return MATCHING_GRADE_A;
	case 'B':
		return MATCHING_GRADE_B;
	case 'C':
		return MATCHING_GRADE_C;
	case 'D':
		return MATCHING_GRADE_D;
	default:
		return MATCHING_GRADE_NONE;
	}
}

static uint8_t town_index(const char *code)
{
	for (size_t i = 0; code && i < svc.places.ntowns && i < MATCHING_TOWNS_MAX; i++)
		if (strcmp(svc.places.town_codes[i], code) == 0)
			return (uint8_t)i;
	return MATCHING_TOWN_NONE;
}

static uint8_t whitelist_of(int w)
{
	switch (w) {
	case MODELS_MATCH_WL_NOMINATED:
		return MATCHING_WL_NOMINATED;
	case MODELS_MATCH_WL_APPROVED:
		return MATCHING_WL_APPROVED;
	case MODELS_MATCH_WL_REJECTED:
		return MATCHING_WL_REJECTED;
	case MODELS_MATCH_WL_REVOKED:
		return MATCHING_WL_REVOKED;
	default:
		return MATCHING_WL_NONE;
	}
}

static matching_enterprise enterprise_of(const models_match_enterprise *m)
{
	return (matching_enterprise){
		.id = m->id,
		.score = (int16_t)(m->score < 0 ? MATCHING_SCORE_NONE : m->score),
		.grade = m->score < 0 ? MATCHING_GRADE_NONE : grade_of(m->grade),
		.town = town_index(m->town),
		.industry = matching_industry_pack(m->industry),
		.park_id = (uint16_t)(m->park_id > 0 && m->park_id <= UINT16_MAX ? m->park_id : 0),
		.tags = (uint8_t)(m->tags & MATCHING_TAG_ALL),
		.whitelist = whitelist_of(m->whitelist),
		.whitelist_until = m->whitelist_until_day,
		.founded_on = m->founded_on_day,
		.revenue_fen = m->revenue_fen < 0 ? 0 : m->revenue_fen,
	};
}

/* ------------------------------------------------------------- versions */

static matching_view *view_new(matching_snapshot *snap, catalog_holder *ch)
{
	matching_view *v = xcalloc(1, sizeof *v);
	v->snap = snap;
	v->ch = ch;
	ch->holders++;
	return v;
}

static void holder_free(catalog_holder *ch)
{
	matching_catalog_free(ch->cat);
	free(ch->info);
	free(ch->names);
	free(ch->products);
	free(ch->programs);
	free(ch);
}

/* Under the writer mutex. */
static void view_free(matching_view *v)
{
	matching_snapshot_free(v->snap);
	if (--v->ch->holders == 0)
		holder_free(v->ch);
	free(v);
}

/* Under the writer mutex: makes v current, retires the old one and frees
 * every retired version no reader holds. */
static void publish(matching_view *v)
{
	pthread_mutex_lock(&svc.pub);
	matching_view *old = svc.current;
	svc.current = v;
	pthread_mutex_unlock(&svc.pub);
	if (old) {
		old->next_retired = svc.retired;
		svc.retired = old;
	}
	matching_view **p = &svc.retired;
	while (*p) {
		matching_view *r = *p;
		/* Retired versions take no new readers, so 0 stays 0. */
		if (__atomic_load_n(&r->readers, __ATOMIC_ACQUIRE) == 0) {
			*p = r->next_retired;
			view_free(r);
		} else {
			p = &r->next_retired;
		}
	}
}

static matching_view *acquire_current(void)
{
	pthread_mutex_lock(&svc.pub);
	matching_view *v = svc.current;
	if (v)
		__atomic_fetch_add(&v->readers, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_unlock(&svc.pub);
	return v;
}

void matching_service_release(matching_view *v)
{
	if (v)
		__atomic_fetch_sub(&v->readers, 1, __ATOMIC_ACQ_REL);
}

const matching_snapshot *matching_view_snapshot(const matching_view *v)
{
	return v->snap;
}

const matching_catalog *matching_view_catalog(const matching_view *v)
{
	return v->ch->cat;
}

static int cmp_info(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key, other = ((const matching_service_product *)elem)->id;
	return id < other ? -1 : id > other;
}

const matching_service_product *matching_view_product(const matching_view *v, int64_t id)
{
	return bsearch(&id, v->ch->info, v->ch->ninfo, sizeof *v->ch->info, cmp_info);
}

/* ------------------------------------------------------------ snapshot */

typedef struct {
	matching_snapshot_edit *ed;
	size_t put, bad;
} put_ctx;

static void on_enterprise(void *vctx, const models_match_enterprise *m)
{
	put_ctx *c = vctx;
	matching_enterprise e = enterprise_of(m);
	matching_error err;
	if (matching_snapshot_edit_put(c->ed, &e, &err) == MATCHING_OK) {
		c->put++;
	} else {
		if (c->bad++ == 0)
			log_msg(LOG_WARN, "matching: enterprise %lld left out: %s",
				(long long)m->id, err.message);
	}
}

/* Under the writer mutex: a snapshot from base (NULL: empty) with the
 * enterprises ids (NULL: all) re-read. NULL on a database failure. */
static matching_snapshot *snapshot_build(models_db *db, const matching_snapshot *base,
					 const int64_t *ids, size_t n)
{
	put_ctx c = {.ed = matching_snapshot_edit_new(base)};
	xyd_status st = ids ? models_match_enterprises_by_id(db, ids, n, on_enterprise, &c)
			    : models_match_enterprises_all(db, on_enterprise, &c);
	if (st != XYD_OK) {
		matching_snapshot_edit_free(c.ed);
		log_msg(LOG_ERROR, "matching: cannot read enterprises for the snapshot");
		return NULL;
	}
	/* each enterprise put is indexed once: a new id adds a row, a known
	 * one (from base, or put twice) replaces its row */
	size_t before = base ? matching_snapshot_count(base) : 0;
	matching_snapshot *snap = matching_snapshot_edit_publish(c.ed);
	XYD_ASSERT(matching_snapshot_count(snap) >= before);
	XYD_ASSERT(matching_snapshot_count(snap) - before <= c.put);
	XYD_ASSERT(!ids || c.put + c.bad <= n); /* at most one row per id asked */
	XYD_ASSERT(ids || base ||
		   matching_snapshot_count(snap) == c.put); /* all: one row per enterprise */
	return snap;
}

/* ------------------------------------------------------------ catalogue */

static void split_industries(const char *s, matching_product *p)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save);
	     t && p->nindustries < MATCHING_LIST_MAX; t = strtok_r(NULL, ",", &save)) {
		uint32_t packed = matching_industry_pack(t);
		if (packed)
			p->industries[p->nindustries++] = packed;
	}
}

static void split_towns(const char *s, matching_product *p)
{
	char buf[640];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && p->ntowns < MATCHING_LIST_MAX;
	     t = strtok_r(NULL, ",", &save)) {
		uint8_t i = town_index(t);
		if (i != MATCHING_TOWN_NONE)
			p->towns[p->ntowns++] = i;
	}
}

static void split_parks(const char *s, matching_product *p)
{
	char buf[128];
	snprintf(buf, sizeof buf, "%s", s);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && p->nparks < MATCHING_LIST_MAX;
	     t = strtok_r(NULL, ",", &save)) {
		long v = strtol(t, NULL, 10);
		if (v > 0 && v <= UINT16_MAX)
			p->park_ids[p->nparks++] = (uint16_t)v;
	}
}

static matching_product product_of(const models_match_product *m, int used)
{
	matching_product p = {
		.id = m->id,
		.institution_id = m->institution_id,
		.program_id = m->program_id,
		.amount_min_fen = m->amount_min_fen,
		.amount_max_fen = m->amount_max_fen,
		.rate_min_bps = m->rate_min_bps,
		.rate_max_bps = m->rate_max_bps,
		.term_min_months = m->term_min_months,
		.term_max_months = m->term_max_months,
		.min_grade = m->min_grade[0] ? grade_of(m->min_grade[0]) : MATCHING_GRADE_NONE,
		.min_score = (int16_t)(m->min_score < 0 ? MATCHING_SCORE_NONE : m->min_score),
		.min_years = m->min_years < 0 ? 0 : m->min_years,
		.min_revenue_fen = m->min_revenue_fen < 0 ? 0 : m->min_revenue_fen,
		.required_tags = (uint8_t)(m->required_tags & MATCHING_TAG_ALL),
		.whitelist_only = m->whitelist_only,
		.monthly_capacity = m->monthly_capacity,
		.used_this_month = used,
	};
	parse_name(m->kind, matching_kind_name, MATCHING_KIND_COUNT, &p.kind);
	parse_name(m->status, matching_product_status_name, MATCHING_PRODUCT_STATUS_COUNT,
		   &p.status);
	parse_name(m->collateral, matching_collateral_name, MATCHING_COLLATERAL_COUNT,
		   &p.collateral);
	split_industries(m->industries, &p);
	split_towns(m->towns, &p);
	split_parks(m->park_ids, &p);
	return p;
}

static int used_of(const models_match_used *u, size_t n, int64_t product_id)
{
	for (size_t i = 0; i < n; i++) /* both by id; n is the products with places used */
		if (u[i].product_id == product_id)
			return u[i].used;
	return 0;
}

/* Copies names into one block and points info at them. */
static void holder_names(catalog_holder *ch, const models_match_product *m, size_t n)
{
	size_t total = 1;
	for (size_t i = 0; i < n; i++)
		total += strlen(m[i].name) + strlen(m[i].institution_name) + 2;
	char *p = ch->names = xmalloc(total);
	for (size_t i = 0; i < n; i++) {
		ch->info[i].name = p;
		p = stpcpy(p, m[i].name) + 1;
		ch->info[i].institution_name = p;
		p = stpcpy(p, m[i].institution_name) + 1;
	}
}

static matching_status catalog_compile(catalog_holder *ch, size_t n)
{
	matching_grade_scale scale = matching_grade_scale_v1();
	matching_error err;
	matching_status ms = matching_catalog_new(ch->products, n, ch->programs, ch->nprograms,
						  &scale, &svc.names, &ch->cat, &err);
	if (ms != MATCHING_OK)
		log_msg(LOG_ERROR, "matching: cannot compile the catalogue: %s", err.message);
	return ms;
}

/* A catalogue from the database; NULL on failure (logged). */
static catalog_holder *catalog_build(models_db *db)
{
	models_match_product *mp = NULL;
	models_match_program *mg = NULL;
	models_match_used *used = NULL;
	size_t np = 0, ng = 0, nu = 0;
	catalog_holder *ch = NULL;
	if (models_match_products(db, &mp, &np) != XYD_OK ||
	    models_match_programs(db, &mg, &ng) != XYD_OK)
		goto out;
	if (models_match_used_this_month(db, 0, &used, &nu) != XYD_OK)
		log_msg(LOG_WARN, "matching: places used this month unknown; counting none");
	ch = xcalloc(1, sizeof *ch);
	ch->month_key = month_key_now();
	ch->ninfo = np;
	ch->info = xcalloc(np ? np : 1, sizeof *ch->info);
	ch->products = xcalloc(np ? np : 1, sizeof *ch->products);
	ch->programs = xcalloc(ng ? ng : 1, sizeof *ch->programs);
	ch->nprograms = ng;
	for (size_t i = 0; i < ng; i++)
		ch->programs[i] = (matching_program){
			.id = mg[i].id,
			.park_id = (uint16_t)mg[i].park_id,
			.interest_subsidy_bps = mg[i].interest_subsidy_bps,
			.max_amount_per_enterprise_fen = mg[i].max_amount_per_enterprise_fen};
	for (size_t i = 0; i < np; i++) {
		ch->products[i] = product_of(&mp[i], used_of(used, nu, mp[i].id));
		ch->info[i] = (matching_service_product){.id = mp[i].id,
							 .institution_id = mp[i].institution_id,
							 .program_id = mp[i].program_id,
							 .status = ch->products[i].status,
							 .rate_min_bps = mp[i].rate_min_bps};
	}
	holder_names(ch, mp, np);
	for (size_t i = 1; i < np; i++) /* by id, as matching_view_product bisects */
		XYD_ASSERT(ch->info[i - 1].id < ch->info[i].id);
	if (catalog_compile(ch, np) != MATCHING_OK) {
		holder_free(ch);
		ch = NULL;
	} else {
		XYD_ASSERT(matching_catalog_count(ch->cat) ==
			   ch->ninfo); /* every product loaded is indexed */
	}
out:
	if (!ch && !mp)
		log_msg(LOG_ERROR, "matching: cannot read products and programmes");
	free(mp);
	free(mg);
	free(used);
	return ch;
}

/* ------------------------------------------------------------ lifecycle */

xyd_status matching_service_start(models_db *db)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_mutex_lock(&svc.writer);
	xyd_status st = XYD_INTERNAL;
	if (svc.started)
		goto out;
	if ((st = models_match_places_load(db, &svc.places)) != XYD_OK)
		goto out;
	svc.names = (matching_place_names){
		.town_codes = (const char *const *)svc.places.town_codes,
		.town_names_zh = (const char *const *)svc.places.town_names,
		.ntowns = svc.places.ntowns,
		.park_ids = svc.places.park_ids,
		.park_names_zh = (const char *const *)svc.places.park_names,
		.nparks = svc.places.nparks,
	};
	st = XYD_INTERNAL;
	catalog_holder *ch = catalog_build(db);
	matching_snapshot *snap = ch ? snapshot_build(db, NULL, NULL, 0) : NULL;
	if (!snap) {
		if (ch)
			holder_free(ch);
		models_match_places_release(&svc.places);
		goto out;
	}
	publish(view_new(snap, ch));
	svc.started = true;
	st = XYD_OK;
out:
	pthread_mutex_unlock(&svc.writer);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (st == XYD_OK)
		log_msg(LOG_INFO, "matching: %zu enterprises, %zu products ready in %lld ms",
			matching_snapshot_count(svc.current->snap), svc.current->ch->ninfo,
			(long long)(t1.tv_sec - t0.tv_sec) * 1000 +
				(t1.tv_nsec - t0.tv_nsec) / 1000000);
	return st;
}

xyd_status matching_service_start_url(const models_db_url *url)
{
	xyd_status st;
	models_db *db = models_db_new(url, &st);
	if (st == XYD_OK)
		st = matching_service_start(db);
	models_db_free(db);
	if (st != XYD_OK)
		fprintf(stderr, "xinyidai: cannot build the matching snapshot\n");
	return st;
}

void matching_service_stop(void)
{
	pthread_mutex_lock(&svc.writer);
	if (svc.started) {
		pthread_mutex_lock(&svc.pub);
		matching_view *v = svc.current;
		svc.current = NULL;
		pthread_mutex_unlock(&svc.pub);
		v->next_retired = svc.retired;
		svc.retired = NULL;
		while (v) {
			matching_view *next = v->next_retired;
			XYD_ASSERT(__atomic_load_n(&v->readers, __ATOMIC_ACQUIRE) == 0);
			view_free(v);
			v = next;
		}
		models_match_places_release(&svc.places);
		svc.names = (matching_place_names){0};
		svc.started = false;
	}
	pthread_mutex_unlock(&svc.writer);
}

/* ------------------------------------------------------------- changes */

static void enterprises_changed(models_db *db, const int64_t *ids, size_t n)
{
	pthread_mutex_lock(&svc.writer);
	if (svc.started) {
		matching_snapshot *snap = snapshot_build(db, ids ? svc.current->snap : NULL, ids,
							 n);
		if (snap)
			publish(view_new(snap, svc.current->ch));
	}
	pthread_mutex_unlock(&svc.writer);
}

void matching_service_enterprises_changed(models_db *db, const int64_t *ids, size_t n)
{
	if (n > 0 && ids)
		enterprises_changed(db, ids, n);
}

void matching_service_all_changed(models_db *db)
{
	enterprises_changed(db, NULL, 0);
}

/* Under the writer mutex. */
static void catalog_replace(models_db *db)
{
	catalog_holder *ch = catalog_build(db);
	if (!ch)
		return;
	/* A new snapshot version sharing every chunk: each version owns its own. */
	matching_snapshot *snap = matching_snapshot_edit_publish(
		matching_snapshot_edit_new(svc.current->snap));
	publish(view_new(snap, ch));
}

void matching_service_catalog_changed(models_db *db)
{
	pthread_mutex_lock(&svc.writer);
	if (svc.started)
		catalog_replace(db);
	pthread_mutex_unlock(&svc.writer);
}

matching_view *matching_service_acquire(models_db *db)
{
	matching_view *v = acquire_current();
	if (v && v->ch->month_key != month_key_now()) {
		matching_service_release(v);
		pthread_mutex_lock(&svc.writer);
		if (svc.started && svc.current->ch->month_key != month_key_now())
			catalog_replace(db);
		pthread_mutex_unlock(&svc.writer);
		v = acquire_current();
	}
	return v;
}

/* ------------------------------------------------------------- demands */

typedef struct {
	bool found;
	matching_enterprise e;
} one_ctx;

static void on_one(void *vctx, const models_match_enterprise *m)
{
	one_ctx *c = vctx;
	c->found = true;
	c->e = enterprise_of(m);
}

static bool enterprise_equal(const matching_enterprise *a, const matching_enterprise *b)
{
	return a->id == b->id && a->score == b->score && a->grade == b->grade &&
	       a->town == b->town && a->industry == b->industry && a->park_id == b->park_id &&
	       a->tags == b->tags && a->whitelist == b->whitelist &&
	       a->whitelist_until == b->whitelist_until && a->founded_on == b->founded_on &&
	       a->revenue_fen == b->revenue_fen;
}

/* The programme balances of enterprise_id; none when they cannot be read. */
static size_t balances_of(models_db *db, int64_t enterprise_id, matching_balance *out)
{
	models_match_balance *rows = NULL;
	size_t n = 0;
	if (models_match_balances(db, enterprise_id, MATCHING_BALANCES_MAX, &rows, &n) != XYD_OK)
		n = 0;
	for (size_t i = 0; i < n; i++)
		out[i] = (matching_balance){rows[i].program_id, rows[i].outstanding_fen};
	free(rows);
	return n;
}

xyd_status matching_service_demand(models_db *db, int64_t enterprise_id, matching_demand *d,
				   matching_balance *balances)
{
	one_ctx c = {0};
	xyd_status st = models_match_enterprises_by_id(db, &enterprise_id, 1, on_one, &c);
	if (st != XYD_OK)
		return st;
	if (!c.found)
		return XYD_NOT_FOUND;
	/* Heal the snapshot when a change reached the database by a path that
	 * does not notify (a new registration, a direct write). */
	matching_view *v = acquire_current();
	matching_enterprise old;
	bool same = v && matching_snapshot_get(v->snap, enterprise_id, &old) &&
		    enterprise_equal(&old, &c.e);
	matching_service_release(v);
	if (v && !same)
		matching_service_enterprises_changed(db, &enterprise_id, 1);
	*d = (matching_demand){.enterprise = c.e, .balances = balances};
	d->nbalances = balances_of(db, enterprise_id, balances);
	return XYD_OK;
}

/* ------------------------------------------------------ one-product check */

/* The failed criteria of x, then its hint, as one line. */
static void why_text(const matching_explanation *x, char *why, size_t size)
{
	size_t len = 0;
	why[0] = '\0';
	for (int c = 0; c < MATCH_CRIT_COUNT && len < size; c++) {
		if (!(x->failed & (1u << c)))
			continue;
		int k = snprintf(why + len, size - len, "%s%s: %s", len ? "; " : "",
				 matching_criterion_name(c), x->reasons[c].detail);
		len += k > 0 ? (size_t)k : 0;
	}
	if (x->hint_text[0] && len < size)
		snprintf(why + len, size - len, " (hint: %s)", x->hint_text);
}

static int cmp_program(const void *key, const void *elem)
{
	int64_t id = *(const int64_t *)key, other = ((const matching_program *)elem)->id;
	return id < other ? -1 : id > other;
}

/* Explains product p (with used places) for d on a one-product catalogue. */
static xyd_status explain_one(const catalog_holder *ch, matching_product p,
			      const matching_demand *d, matching_explanation *x, char *why,
			      size_t why_size)
{
	const matching_program *g = p.program_id ? bsearch(&p.program_id, ch->programs,
							   ch->nprograms, sizeof *g, cmp_program)
						 : NULL;
	matching_grade_scale scale = matching_grade_scale_v1();
	matching_catalog *cat = NULL;
	matching_error err;
	if (matching_catalog_new(&p, 1, g, g ? 1 : 0, &scale, &svc.names, &cat, &err) !=
	    MATCHING_OK) {
		log_msg(LOG_ERROR, "matching: cannot compile product %lld: %s", (long long)p.id,
			err.message);
		return XYD_INTERNAL;
	}
	matching_status ms = matching_explain(cat, p.id, d, matching_service_today(), x, &err);
	matching_catalog_free(cat);
	if (ms != MATCHING_OK) {
		snprintf(why, why_size, "%s", err.message);
		return XYD_VALIDATION_FAILED;
	}
	return XYD_OK;
}

xyd_status matching_service_check_product(models_db *db, int64_t enterprise_id, int64_t product_id,
					  int64_t amount_fen, int32_t term_months,
					  const char *collateral, char *why, size_t why_size)
{
	matching_balance balances[MATCHING_BALANCES_MAX];
	matching_demand d;
	matching_explanation *x = NULL;
	models_match_used *used = NULL;
	size_t nused = 0;
	xyd_status st = XYD_VALIDATION_FAILED;
	snprintf(why, why_size, "%s", "");
	uint8_t coll;
	if (!matching_service_collateral_parse(collateral, &coll)) {
		snprintf(why, why_size, "collateral: unknown kind");
		return st;
	}
	if ((st = matching_service_demand(db, enterprise_id, &d, balances)) != XYD_OK)
		return st;
	d.has_request = true;
	d.request = (matching_request){
		.amount_fen = amount_fen, .term_months = term_months, .collateral = coll};
	matching_view *v = matching_service_acquire(db);
	const matching_service_product *info = v ? matching_view_product(v, product_id) : NULL;
	st = v ? XYD_NOT_FOUND : XYD_UNAVAILABLE;
	if (!info)
		goto out;
	if ((st = models_match_used_this_month(db, product_id, &used, &nused)) != XYD_OK)
		goto out;
	matching_product p = v->ch->products[info - v->ch->info];
	p.used_this_month = nused ? used[0].used : 0;
	x = xmalloc(sizeof *x);
	if ((st = explain_one(v->ch, p, &d, x, why, why_size)) != XYD_OK)
		goto out;
	if (!x->eligible) {
		why_text(x, why, why_size);
		st = XYD_NOT_ELIGIBLE;
	}
out:
	free(x);
	free(used);
	matching_service_release(v);
	return st;
}

/* --------------------------------------------------------------- pairing */

/* The snapshot rows of the open applications' enterprises; missing ones are
 * read in first. Returns the view holding them. */
static matching_view *view_with(models_db *db, const models_match_application *apps, size_t n)
{
	matching_view *v = matching_service_acquire(db);
	int64_t *missing = xcalloc(n ? n : 1, sizeof *missing);
	size_t nmissing = 0;
	matching_enterprise e;
	for (size_t i = 0; v && i < n; i++)
		if (!matching_snapshot_get(v->snap, apps[i].enterprise_id, &e))
			missing[nmissing++] = apps[i].enterprise_id;
	if (nmissing) {
		matching_service_release(v);
		matching_service_enterprises_changed(db, missing, nmissing);
		v = matching_service_acquire(db);
	}
	free(missing);
	return v;
}

xyd_status matching_service_pair(models_db *db, matching_pairing *out)
{
	models_match_application *apps = NULL;
	size_t n = 0, k = 0;
	memset(out, 0, sizeof *out);
	matching_service_catalog_changed(db); /* this month's places, now */
	xyd_status st = models_match_applications_submitted(db, MATCHING_SERVICE_PAIRING_MAX, &apps,
							    &n);
	if (st != XYD_OK)
		return st;
	matching_view *v = view_with(db, apps, n);
	matching_application *in = xcalloc(n ? n : 1, sizeof *in);
	matching_balance *bal = xcalloc(n ? n : 1, sizeof *bal * MATCHING_BALANCES_MAX);
	st = v ? XYD_OK : XYD_UNAVAILABLE;
	for (size_t i = 0; v && i < n; i++) {
		matching_demand *d = &in[k].demand;
		uint8_t coll;
		if (!matching_snapshot_get(v->snap, apps[i].enterprise_id, &d->enterprise) ||
		    !matching_service_collateral_parse(apps[i].collateral, &coll))
			continue; /* an application the engine cannot read is left out */
		in[k].application_id = apps[i].id;
		d->has_request = true;
		d->request = (matching_request){apps[i].amount_fen, apps[i].term_months, coll};
		d->balances = bal + k * MATCHING_BALANCES_MAX;
		d->nbalances = balances_of(db, apps[i].enterprise_id,
					   bal + k * MATCHING_BALANCES_MAX);
		k++;
	}
	matching_error err;
	if (st == XYD_OK &&
	    matching_pair(v->ch->cat, in, k, matching_service_today(), out, &err) != MATCHING_OK) {
		log_msg(LOG_ERROR, "matching: pairing refused: %s", err.message);
		st = XYD_INTERNAL;
	}
	matching_service_release(v);
	free(bal);
	free(in);
	free(apps);
	return st;
}
