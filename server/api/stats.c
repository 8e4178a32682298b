/*
 * Statistics over HTTP: the overview, a breakdown by one dimension and the
 * same breakdown as CSV for Excel. The caller's role decides the scope
 * (bureau: the district; park: its park's enterprises; bank: its
 * institution) and nothing in the query can widen it. ?from= and ?to= are
 * district days, both included; either may be left out (1900-01-01 and
 * 2199-12-31, the dates validate_date accepts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/strbuf.h"
#include "common/validate.h"
#include "models/stats.h"
#include "server/api/handlers.h"
#include "server/api/json_out.h"
#include "server/http/json_record.h"
#include "server/http/json_strict.h"

#define STATS_FROM_DEFAULT "1900-01-01"
#define STATS_TO_DEFAULT "2199-12-31"
/* One CSV row: seven fields, the label up to 800 bytes doubled by quoting. */
#define CSV_ROW_MAX 2048

/* The scope and window of the request, or a 400 naming from / to. */
static xyd_status read_query(request_ctx *rc, models_stats_query *q)
{
	int y, m, d;
	const char *from = request_query(rc, "from"), *to = request_query(rc, "to");
	q->from = from ? from : STATS_FROM_DEFAULT;
	q->to = to ? to : STATS_TO_DEFAULT;
	if (!validate_date(q->from, &y, &m, &d))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "from",
				     "from must be a date YYYY-MM-DD from 1900 to 2199");
	if (!validate_date(q->to, &y, &m, &d))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "to",
				     "to must be a date YYYY-MM-DD from 1900 to 2199");
	if (strcmp(q->from, q->to) > 0) /* same fixed form: text order is date order */
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, "to", "to is before from");
	if (!(rc->role &
	      (ROLE_PARK | ROLE_BANK | ROLE_BUREAU))) /* the route table admits no other */
		return api_error_set(&rc->err, XYD_FORBIDDEN, NULL,
				     "statistics are not for this role");
	models_app_scope scope = scope_for(rc);
	q->id = scope.org_id;
	q->kind = STATS_SCOPE_DISTRICT;
	if (scope.view == APP_SEE_PARK)
		q->kind = STATS_SCOPE_PARK;
	else if (scope.view == APP_SEE_INSTITUTION)
		q->kind = STATS_SCOPE_INSTITUTION;
	return XYD_OK;
}

/* A new object {"from", "to"} of q's window; the caller owns it. */
static cJSON *json_window(const models_stats_query *q)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "from", q->from);
	cJSON_AddStringToObject(o, "to", q->to);
	return o;
}

xyd_status handle_stats_overview(request_ctx *rc)
{
	models_stats_query q;
	models_stats_overview s;
	xyd_status st = read_query(rc, &q);
	if (st != XYD_OK)
		return st;
	if ((st = models_stats_overview_get(rc->db, &q, &s)) != XYD_OK)
		return request_fail(rc, st);
	cJSON *o = json_window(&q);
	json_add_record(o, &s, models_stats_overview_rec());
	json_add_int_or_null(o, "approval_rate", s.has_approval_rate, s.approval_rate_bps);
	json_add_int_or_null(o, "avg_rate_bps", s.has_loans, s.avg_rate_bps);
	json_add_int_or_null(o, "credit_loan_share", s.has_loans, s.credit_loan_share_bps);
	json_add_int_or_null(o, "median_response_hours", s.has_median, s.median_response_hours);
	return reply_json(rc, 200, o);
}

/* ?by= and the breakdown's rows (malloc'd, the caller frees). */
static xyd_status read_breakdown(request_ctx *rc, models_stats_query *q, models_stats_by *by,
				 models_stats_row **rows, size_t *count)
{
	xyd_status st = read_query(rc, q);
	if (st != XYD_OK)
		return st;
	if (!models_stats_by_parse(request_query(rc, "by"), by))
		return api_error_set(
			&rc->err, XYD_VALIDATION_FAILED, "by",
			"by must be one of month, institution, product, program, town, "
			"park, industry, size_class");
	if ((st = models_stats_breakdown(rc->db, q, *by, rows, count)) != XYD_OK)
		return request_fail(rc, st);
	return XYD_OK;
}

static cJSON *json_key(models_stats_by by, const char *key)
{
	if (!key[0])
		return cJSON_CreateNull();
	if (models_stats_by_is_id(by))
		return cJSON_CreateNumber((double)strtoll(key, NULL, 10));
	return cJSON_CreateString(key);
}

xyd_status handle_stats_breakdown(request_ctx *rc)
{
	models_stats_query q;
	models_stats_by by;
	models_stats_row *rows;
	size_t n;
	xyd_status st = read_breakdown(rc, &q, &by, &rows, &n);
	if (st != XYD_OK)
		return st;
	cJSON *o = json_window(&q);
	cJSON_AddStringToObject(o, "by", models_stats_by_name(by));
	cJSON *items = cJSON_AddArrayToObject(o, "rows");
	for (size_t i = 0; i < n; i++) {
		cJSON *r = cJSON_CreateObject();
		cJSON_AddItemToObject(r, "key", json_key(by, rows[i].key));
		json_add_record(r, &rows[i], models_stats_row_rec());
		json_add_int_or_null(r, "avg_rate_bps", rows[i].has_avg_rate, rows[i].avg_rate_bps);
		cJSON_AddItemToArray(items, r);
	}
	free(rows);
	return reply_json(rc, 200, o);
}

xyd_status handle_stats_responses(request_ctx *rc)
{
	models_stats_query q;
	models_stats_response_row *rows;
	size_t n;
	xyd_status st = read_query(rc, &q);
	if (st != XYD_OK)
		return st;
	if ((st = models_stats_responses(rc->db, &q, &rows, &n)) != XYD_OK)
		return request_fail(rc, st);
	cJSON *o = json_window(&q);
	cJSON *items = cJSON_AddArrayToObject(o, "rows");
	for (size_t i = 0; i < n; i++) {
		cJSON *r = json_record(&rows[i], models_stats_response_row_rec());
		json_add_int_or_null(r, "median_response_hours", rows[i].has_median,
				     rows[i].median_response_hours);
		cJSON_AddItemToArray(items, r);
	}
	free(rows);
	return reply_json(rc, 200, o);
}

static void csv_row(strbuf *out, const models_stats_row *r)
{
	char line[CSV_ROW_MAX], rate[24] = "";
	size_t n = csv_field(line, sizeof line, r->key);
	line[n++] = ',';
	n += csv_field(line + n, sizeof line - n - 128, r->label);
	if (r->has_avg_rate)
		snprintf(rate, sizeof rate, "%lld", (long long)r->avg_rate_bps);
	snprintf(line + n, sizeof line - n, ",%lld,%lld,%lld,%lld,%s\r\n",
		 (long long)r->applications, (long long)r->approved, (long long)r->disbursed_count,
		 (long long)r->disbursed_fen, rate);
	strbuf_addstr(out, line);
}

/* The breakdown as CSV: a UTF-8 byte order mark (so Excel reads the
 * Chinese labels as UTF-8), the header row, one row per key, CRLF lines.
 * An absent average rate is an empty field. */
xyd_status handle_stats_export(request_ctx *rc)
{
	models_stats_query q;
	models_stats_by by;
	models_stats_row *rows;
	size_t n;
	char filename[96];
	xyd_status st = read_breakdown(rc, &q, &by, &rows, &n);
	if (st != XYD_OK)
		return st;
	strbuf out = STRBUF_INIT;
	strbuf_addstr(&out, "\xEF\xBB\xBFkey,label,applications,approved,disbursed_count,"
			    "disbursed_fen,avg_rate_bps\r\n");
	for (size_t i = 0; i < n; i++)
		csv_row(&out, &rows[i]);
	free(rows);
	snprintf(filename, sizeof filename, "stats-%s-%s-%s.csv", models_stats_by_name(by), q.from,
		 q.to);
	st = reply_attachment(rc, "text/csv; charset=utf-8", filename, out.buf, out.len);
	strbuf_release(&out);
	return st;
}
