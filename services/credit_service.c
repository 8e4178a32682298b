/*
 * Scoring in the server (see credit_service.h): models/credit.c runs each
 * rescoring transaction and hands this file's scorer a page of locked
 * enterprises with their records and the active model; the scorer decodes
 * the records, runs scoring_compute and renders each result's factors as
 * the api.md "factors" array, which is stored as it will be answered.
 */
#include "services/credit_service.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/district.h"
#include "common/log.h"
#include "common/strbuf.h"
#include "common/validate.h"
#include "common/xmalloc.h"
#include "models/credit.h"
#include "scoring/scorecard.h"
#include "services/matching_service.h"

/* ---- factors as JSON ---- */

/* Adds prefix and the decimal digits of v. */
static void tb_add_int(strbuf *b, const char *prefix, long long v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	strbuf_addstr(b, prefix);
	strbuf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* Adds s as a JSON string. Valid UTF-8 (detail_zh) passes through byte for
 * byte; should a string be cut inside a UTF-8 sequence, the broken tail
 * goes and any other invalid byte becomes '?'. */
static void tb_add_json_string(strbuf *b, const char *s)
{
	size_t len = strlen(s);
	bool ascii = true;
	for (size_t i = 0; i < len && ascii; i++)
		ascii = (unsigned char)s[i] < 0x80;
	bool valid = ascii;
	if (!ascii) {
		while (len > 0 && !validate_utf8(s, len) && len + 4 > strlen(s))
			len--;
		valid = validate_utf8(s, len);
	}
	strbuf_grow(b, len * 6 + 2);
	char *p = b->buf + b->len;
	*p++ = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else if (c < 0x20) {
			p += sprintf(p, "\\u%04x", c);
		} else {
			*p++ = valid || c < 0x80 ? (char)c : '?';
		}
	}
	*p++ = '"';
	b->len = (size_t)(p - b->buf);
	b->buf[b->len] = '\0';
}

/* The api.md "factors" array of a result; the caller frees it. */
static char *factors_json(const scoring_result *res)
{
	strbuf b = STRBUF_INIT;
	strbuf_addstr(&b, "[");
	for (int i = 0; i < SCORING_FACTOR_COUNT; i++) {
		const scoring_factor *f = &res->factors[i];
		strbuf_addstr(&b, i ? ",{\"factor\":" : "{\"factor\":");
		tb_add_json_string(&b, f->factor ? f->factor : "");
		tb_add_int(&b, ",\"points\":", f->points);
		tb_add_int(&b, ",\"max_points\":", f->max_points);
		strbuf_addstr(&b, ",\"detail\":");
		tb_add_json_string(&b, f->detail);
		strbuf_addstr(&b, ",\"detail_zh\":");
		tb_add_json_string(&b, f->detail_zh);
		strbuf_addstr(&b, ",\"evidence\":[");
		int n = f->nevidence < SCORING_EVIDENCE_MAX ? f->nevidence : SCORING_EVIDENCE_MAX;
		for (int k = 0; k < n; k++)
			tb_add_int(&b, k ? "," : "", f->evidence[k]);
		strbuf_addstr(&b, "]}");
	}
	strbuf_addstr(&b, "]");
	return strbuf_detach(&b, NULL);
}

/* ---- the scorer ---- */

typedef struct {
	int32_t today;		 /* days since 1970-01-01, district calendar */
	scoring_record *records; /* scratch, grown as needed */
	size_t cap;
} scorer_ctx;

/* Copies one stored record for scoring; false (logged) for one whose value
 * did not decode (written around the import, e.g. by hand). */
static bool decode_record(const models_credit_record *m, scoring_record *r)
{
	int cat = scoring_category_parse(m->category);
	if (cat < 0 || m->kind < 0 || m->kind >= scoring_kind_count((scoring_category)cat)) {
		log_msg(LOG_WARN,
			"credit record %lld is skipped: its category or value does not read",
			(long long)m->id);
		return false;
	}
	r->id = m->id;
	r->category = (scoring_category)cat;
	r->observed_on = m->observed_on;
	r->expires_on = m->expires_on;
	r->minor_party = m->minor_party;
	r->force_majeure = m->force_majeure;
	r->kind = m->kind;
	r->year = m->year;
	r->count = m->count;
	r->amount_fen = m->amount_fen;
	snprintf(r->source_dept, sizeof r->source_dept, "%s", m->source_dept);
	snprintf(r->source_record_id, sizeof r->source_record_id, "%s", m->source_record_id);
	snprintf(r->repairs_source_record_id, sizeof r->repairs_source_record_id, "%s",
		 m->repairs_source_record_id);
	return true;
}

static credit_weights_reader weights_reader;

void credit_service_init(credit_weights_reader read_weights)
{
	weights_reader = read_weights;
}

static xyd_status score_page(void *vctx, const models_credit_scoring_input *in,
			     models_credit_score *out)
{
	scorer_ctx *c = vctx;
	scoring_weights w;
	char err[256] = "no weights reader";
	if (!weights_reader || !weights_reader(in->weights_json, &w, err, sizeof err)) {
		log_msg(LOG_ERROR, "cannot score: credit model '%s' has unreadable weights (%s)",
			in->model_version, err);
		return XYD_INTERNAL;
	}
	if (c->cap < in->nrecords) {
		free(c->records);
		c->cap = in->nrecords;
		c->records = xcalloc(c->cap, sizeof *c->records);
	}
	size_t at = 0;
	for (size_t i = 0; i < in->nenterprises; i++) {
		const models_credit_enterprise *e = &in->enterprises[i];
		size_t n = 0;
		while (at < in->nrecords && in->records[at].enterprise_id < e->id)
			at++;
		for (; at < in->nrecords && in->records[at].enterprise_id == e->id; at++)
			if (decode_record(&in->records[at], &c->records[n]))
				n++;
		scoring_result res;
		scoring_compute(&w, c->records, n, e->founded_on, c->today, &res);
		out[i] = (models_credit_score){.enterprise_id = e->id,
					       .score = res.score,
					       .grade = res.grade,
					       .dishonest_debtor = res.dishonest_debtor,
					       .broken_commitments = res.broken_commitments,
					       .factors_json = factors_json(&res)};
	}
	return XYD_OK;
}

static void scorer_ctx_init(scorer_ctx *c)
{
	memset(c, 0, sizeof *c);
	c->today = district_today();
}

static void scorer_ctx_release(scorer_ctx *c)
{
	free(c->records);
	c->records = NULL;
}

/* ---- the interface ---- */

xyd_status credit_rescore_enterprise(models_db *db, int64_t enterprise_id)
{
	return credit_rescore_enterprises(db, &enterprise_id, 1);
}

xyd_status credit_rescore_enterprises(models_db *db, const int64_t *ids, size_t n)
{
	scorer_ctx c;
	if (n == 0)
		return XYD_OK;
	scorer_ctx_init(&c);
	xyd_status st = models_credit_rescore_ids(db, ids, n, score_page, &c, NULL);
	if (st == XYD_OK)
		matching_service_enterprises_changed(db, ids, n);
	scorer_ctx_release(&c);
	if (st != XYD_OK)
		log_msg(LOG_ERROR, "cannot rescore %zu enterprises (first %lld)", n,
			(long long)ids[0]);
	return st;
}

/* One range of enterprise ids, rescored page by page on one connection. */
typedef struct {
	models_db *db;		    /* the caller's, or a clone the helper thread owns */
	int64_t after_id, up_to_id; /* the ids (after_id, up_to_id] */
	size_t scored;
	xyd_status st;
} rescore_range;

static void rescore_range_run(rescore_range *r)
{
	scorer_ctx c;
	size_t n = 0;
	int64_t after = r->after_id;
	scorer_ctx_init(&c);
	do {
		r->st = models_credit_rescore_page(r->db, after, r->up_to_id, MODELS_CREDIT_PAGE,
						   score_page, &c, &after, &n);
		r->scored += n;
	} while (r->st == XYD_OK && n == MODELS_CREDIT_PAGE);
	scorer_ctx_release(&c);
}

static void *rescore_thread(void *arg)
{
	rescore_range *r = arg;
	xyd_status connected;
	models_thread_init();
	models_db *own = models_db_clone(r->db, &connected);
	r->db = own;
	if (connected == XYD_OK)
		rescore_range_run(r);
	else
		r->st = connected;
	models_db_free(own);
	models_thread_end();
	return NULL;
}

/*
 * The two halves of the ids are rescored at once, the upper one on a helper
 * thread with its own connection: each half waits on the database about as
 * long as it computes, so two keep both this server and the database busy
 * (a quarter faster on two cores). Should the helper not start or fail,
 * this thread rescores that half again after its own (rescoring is
 * idempotent).
 */
xyd_status credit_rescore_all(models_db *db, size_t *count)
{
	struct timespec t0, t1;
	size_t total = 0;
	int64_t middle = 0;
	pthread_t helper;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	xyd_status st = models_credit_enterprise_halves(db, &total, &middle);
	rescore_range lower = {.db = db, .after_id = 0, .up_to_id = middle};
	rescore_range upper = {.db = db, .after_id = middle, .up_to_id = INT64_MAX};
	bool threaded = st == XYD_OK && total >= 2 &&
			pthread_create(&helper, NULL, rescore_thread, &upper) == 0;
	if (st == XYD_OK)
		rescore_range_run(&lower);
	if (threaded)
		pthread_join(helper, NULL);
	if (st == XYD_OK && lower.st == XYD_OK && (!threaded || upper.st != XYD_OK)) {
		if (threaded)
			log_msg(LOG_WARN,
				"rescoring helper failed; the upper half runs on this connection");
		upper = (rescore_range){.db = db, .after_id = middle, .up_to_id = INT64_MAX};
		rescore_range_run(&upper);
	}
	if (st == XYD_OK)
		st = lower.st != XYD_OK ? lower.st : upper.st;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long long ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 +
		       (t1.tv_nsec - t0.tv_nsec) / 1000000;
	total = lower.scored + upper.scored;
	if (st == XYD_OK)
		log_msg(LOG_INFO, "rescored %zu enterprises in %lld ms", total, ms);
	else
		log_msg(LOG_ERROR, "rescoring stopped after %zu enterprises (%lld ms)", total, ms);
	if (count)
		*count = total;
	return st;
}
