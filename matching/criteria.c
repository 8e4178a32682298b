/*
 * The hard criteria, the fit formula and the "one change would do it" hints,
 * for one product and one demand. matching_eval is the fast verdict (a bit
 * per failed criterion) every ranking uses; matching_explain repeats each
 * criterion with its numbers and a detail in English and in Chinese for the
 * items a page shows. The block scan in rank.c is the column form of matching_eval, and
 * tests hold the two to the same answers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matching_internal.h"

enum { TERM_MAX_MONTHS = 600 };

#define BIT(c) (1u << (c))

/* ------------------------------------------------------------- demand */

matching_status matching_demand_check(const matching_demand *d, matching_error *err)
{
	const char *bad = NULL;
	matching_status st = matching_enterprise_check(&d->enterprise, err);

	if (st != MATCHING_OK)
		return st;
	if (d->has_request &&
	    (d->request.amount_fen < 1 || d->request.amount_fen > MATCHING_AMOUNT_MAX_FEN))
		bad = "amount_fen out of range";
	else if (d->has_request &&
		 (d->request.term_months < 1 || d->request.term_months > TERM_MAX_MONTHS))
		bad = "term_months outside 1..600";
	else if (d->has_request && d->request.collateral >= MATCHING_COLLATERAL_COUNT)
		bad = "collateral out of range";
	else if (d->nbalances > MATCHING_BALANCES_MAX || (d->nbalances && !d->balances))
		bad = "more than 64 programme balances";
	for (size_t i = 0; !bad && i < d->nbalances; i++)
		if (d->balances[i].outstanding_fen < 0 ||
		    d->balances[i].outstanding_fen > MATCHING_AMOUNT_MAX_FEN)
			bad = "a programme balance is out of range";
	if (bad) {
		if (err)
			snprintf(err->message, sizeof err->message,
				 "demand of enterprise %" PRId64 ": %s", d->enterprise.id, bad);
		return MATCHING_INVALID;
	}
	return MATCHING_OK;
}

void matching_ectx_init(struct matching_ectx *x, const matching_demand *d, int32_t today)
{
	memset(x, 0, sizeof *x);
	x->e = d->enterprise;
	x->today = today;
	x->years = matching_years_between(d->enterprise.founded_on, today);
	x->whitelisted = d->enterprise.whitelist == MATCHING_WL_APPROVED &&
			 d->enterprise.whitelist_until >= today;
	x->has_request = d->has_request;
	x->r = d->request;
	x->balances = d->balances;
	x->nbalances = d->nbalances;
}

int64_t matching_outstanding(const struct matching_ectx *x, int64_t program_id)
{
	int64_t sum = 0;

	for (size_t i = 0; i < x->nbalances; i++)
		if (x->balances[i].program_id == program_id)
			sum += x->balances[i].outstanding_fen;
	return sum;
}

/* ------------------------------------------------------------ verdict */

static bool industry_hit(const struct matching_cprod *p, uint32_t code, unsigned *which)
{
	for (unsigned i = 0; i < p->nindustries; i++)
		if ((code & p->industry_mask[i]) == p->industry_val[i]) {
			*which = i;
			return true;
		}
	return false;
}

static bool park_hit(const struct matching_cprod *p, uint16_t park)
{
	for (unsigned i = 0; i < p->nparks; i++)
		if (p->parks[i] == park)
			return true;
	return false;
}

static inline uint32_t eval(const struct matching_cprod *p, const struct matching_ectx *x)
{
	const matching_enterprise *e = &x->e;
	uint32_t f = 0;
	unsigned which;

	f |= (uint32_t)(p->status != MATCHING_PRODUCT_ACTIVE) << MATCH_CRIT_STATUS;
	f |= (uint32_t)(p->remaining <= 0) << MATCH_CRIT_CAPACITY;
	if (x->has_request) {
		int64_t a = x->r.amount_fen;

		f |= (uint32_t)(a < p->amount_min || a > p->amount_max) << MATCH_CRIT_AMOUNT;
		f |= (uint32_t)(x->r.term_months < p->term_min || x->r.term_months > p->term_max)
		     << MATCH_CRIT_TERM;
		f |= (uint32_t)(p->collateral != MATCHING_COLLATERAL_NONE &&
				x->r.collateral != p->collateral)
		     << MATCH_CRIT_COLLATERAL;
		if (p->cap_fen)
			f |= (uint32_t)(matching_outstanding(x, p->program_id) + a > p->cap_fen)
			     << MATCH_CRIT_PROGRAM_CAP;
	}
	f |= (uint32_t)(e->grade < p->min_grade) << MATCH_CRIT_MIN_GRADE;
	f |= (uint32_t)(e->score < p->min_score) << MATCH_CRIT_MIN_SCORE;
	if (p->nindustries)
		f |= (uint32_t)!industry_hit(p, e->industry, &which) << MATCH_CRIT_INDUSTRY;
	f |= (uint32_t) !((p->town_mask >> (e->town & 63)) & 1) << MATCH_CRIT_TOWN;
	if (p->nparks)
		f |= (uint32_t)!park_hit(p, e->park_id) << MATCH_CRIT_PARK;
	f |= (uint32_t)(x->years < p->min_years) << MATCH_CRIT_YEARS;
	f |= (uint32_t)(e->revenue_fen < p->min_revenue) << MATCH_CRIT_REVENUE;
	f |= (uint32_t)((e->tags & p->required_tags) != p->required_tags) << MATCH_CRIT_TAGS;
	f |= (uint32_t)(p->whitelist_only && !x->whitelisted) << MATCH_CRIT_WHITELIST;
	return f;
}

/* ---------------------------------------------------------------- fit */

int32_t matching_range_points(int64_t v, int64_t lo, int64_t hi, int32_t full)
{
	int64_t span = hi - lo, dev, half = full / 2;

	if (v < lo || v > hi)
		return 0;
	if (span == 0)
		return full;
	dev = 2 * v - lo - hi;
	if (dev < 0)
		dev = -dev;
	int64_t points = half + (full - half) * (span - dev) / span;
	XYD_ASSERT(points >= half && points <= full); /* lo <= v <= hi: dev <= span */
	return (int32_t)points;
}

int32_t matching_margin_points(int32_t score, int32_t floor_score)
{
	int32_t m = score - floor_score;

	m = m < 0 ? 0 : m;
	return m > 300 ? 300 : m;
}

static inline int32_t fit_compute(const struct matching_cprod *p, const struct matching_ectx *x,
				  matching_fit_parts *parts)
{
	matching_fit_parts q;

	q.amount = x->has_request ? matching_range_points(x->r.amount_fen, p->amount_min,
							  p->amount_max, 100)
				  : 0;
	q.term = x->has_request
			 ? matching_range_points(x->r.term_months, p->term_min, p->term_max, 50)
			 : 0;
	q.cost = p->cost_points;
	q.margin = matching_margin_points(x->e.score, p->floor_score);
	q.park = p->program_park != 0 && p->program_park == x->e.park_id ? 100 : 0;
	q.capacity = p->capacity_points;
	q.net_rate_bps = p->net_rate_bps;
	if (parts)
		*parts = q;
	int32_t fit = q.amount + q.term + q.cost + q.margin + q.park + q.capacity;
	XYD_ASSERT(fit >= 0 && fit <= MATCHING_FIT_MAX);
	return fit;
}

uint32_t matching_eval(const struct matching_cprod *p, const struct matching_ectx *x)
{
	return eval(p, x);
}

int32_t matching_fit_compute(const struct matching_cprod *p, const struct matching_ectx *x,
			     matching_fit_parts *parts)
{
	return fit_compute(p, x, parts);
}

void matching_eval_all(const matching_catalog *c, const struct matching_ectx *x, uint32_t *failed,
		       int32_t *fit)
{
	for (size_t i = 0; i < c->n; i++) {
		failed[i] = eval(&c->cp[i], x);
		fit[i] = fit_compute(&c->cp[i], x, NULL);
	}
}

/* -------------------------------------------------------------- hints */

static const uint32_t LEVER_SETS[] = {
	[MATCHING_LEVER_SCORE] = BIT(MATCH_CRIT_MIN_GRADE) | BIT(MATCH_CRIT_MIN_SCORE),
	[MATCHING_LEVER_AMOUNT] = BIT(MATCH_CRIT_AMOUNT) | BIT(MATCH_CRIT_PROGRAM_CAP),
	[MATCHING_LEVER_TERM] = BIT(MATCH_CRIT_TERM),
	[MATCHING_LEVER_COLLATERAL] = BIT(MATCH_CRIT_COLLATERAL),
	[MATCHING_LEVER_YEARS] = BIT(MATCH_CRIT_YEARS),
	[MATCHING_LEVER_REVENUE] = BIT(MATCH_CRIT_REVENUE),
	[MATCHING_LEVER_TAGS] = BIT(MATCH_CRIT_TAGS),
	[MATCHING_LEVER_WHITELIST] = BIT(MATCH_CRIT_WHITELIST),
};

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static bool score_hint(const matching_catalog *c, const struct matching_cprod *p,
		       const struct matching_ectx *x, uint32_t failed, matching_hint *h)
{
	int32_t needed = p->min_score > 0 ? p->min_score : 0;

	if (failed & BIT(MATCH_CRIT_MIN_GRADE)) {
		h->grade = p->min_grade;
		if (c->scale.min_score[p->min_grade] > needed)
			needed = c->scale.min_score[p->min_grade];
	}
	h->needed = needed;
	h->actual = x->e.score;
	/* a grade that fails while the score is already enough is not a
	 * matter of points (e.g. a dishonest-debtor record): no hint */
	return x->e.score < needed;
}

static bool amount_hint(const struct matching_cprod *p, const struct matching_ectx *x,
			matching_hint *h)
{
	int64_t lo = p->amount_min, hi = p->amount_max;

	if (p->cap_fen) {
		int64_t room = p->cap_fen - matching_outstanding(x, p->program_id);

		hi = room < hi ? room : hi;
	}
	if (lo > hi)
		return false;
	h->needed = clamp64(x->r.amount_fen, lo, hi);
	h->actual = x->r.amount_fen;
	return true;
}

static int64_t eligible_from(int32_t founded_on, int32_t years)
{
	int y, m, d;

	matching_civil_from_days(founded_on, &y, &m, &d);
	return matching_days_from_civil(y + years, m, d); /* 29 Feb runs over to 1 Mar */
}

matching_hint matching_hint_compute(const matching_catalog *c, const struct matching_cprod *p,
				    const struct matching_ectx *x, uint32_t failed)
{
	matching_hint h = {0};
	unsigned lever = 0;
	bool ok = true;

	if (!failed || matching_popcount(failed) > 2) /* no lever covers more than two */
		return h;
	for (unsigned l = MATCHING_LEVER_SCORE; l <= MATCHING_LEVER_WHITELIST && !lever; l++)
		if ((failed & ~LEVER_SETS[l]) == 0)
			lever = l;
	switch (lever) {
	case MATCHING_LEVER_SCORE:
		ok = score_hint(c, p, x, failed, &h);
		break;
	case MATCHING_LEVER_AMOUNT:
		ok = amount_hint(p, x, &h);
		break;
	case MATCHING_LEVER_TERM:
		h.needed = clamp64(x->r.term_months, p->term_min, p->term_max);
		h.actual = x->r.term_months;
		break;
	case MATCHING_LEVER_COLLATERAL:
		h.needed = p->collateral;
		h.actual = x->r.collateral;
		break;
	case MATCHING_LEVER_YEARS:
		h.needed = eligible_from(x->e.founded_on, p->min_years);
		h.actual = x->years;
		break;
	case MATCHING_LEVER_REVENUE:
		h.needed = p->min_revenue;
		h.actual = x->e.revenue_fen;
		break;
	case MATCHING_LEVER_TAGS:
		h.needed = p->required_tags & ~x->e.tags;
		h.actual = x->e.tags;
		break;
	case MATCHING_LEVER_WHITELIST:
		h.needed = MATCHING_WL_APPROVED;
		h.actual = x->e.whitelist == MATCHING_WL_APPROVED ? MATCHING_WL_EXPIRED
								  : x->e.whitelist;
		break;
	default:
		ok = false;
	}
	if (!ok)
		return (matching_hint){0};
	h.lever = (uint8_t)lever;
	return h;
}

/* ---------------------------------------------------------- text */

/*
 * Every text is written in English or Simplified Chinese by the same code:
 * L() picks one of two format literals (the compiler checks both against
 * the arguments), so the two languages state the same facts in the same
 * order. English keeps the api.md code words ("property", "nanqiao"); the
 * Chinese uses the words of the web pages (web-static/js/labels.js).
 */
static const char *const STATUS_ZH[] = {"为草稿", "已上架", "已暂停", "已下架"};
static const char *const COLLATERAL_ZH[] = {"无需抵押", "房产抵押", "知识产权", "设备抵押",
					    "应收账款"};
static const char *const WHITELIST_ZH[] = {"未申请", "待审核", "已入选",
					   "未通过", "已撤销", "已过期"};
static const char *const TAG_ZH[] = {"高新技术企业", "专精特新", "科技型中小企业",
				     "新型农业经营主体", "诚信示范企业"};

/* A bounded writer in one language: appends with snprintf; when full it
 * cuts back to a UTF-8 character boundary and writes nothing more, so a
 * full buffer still holds whole characters. */
struct sb {
	char *buf;
	size_t size, len;
	bool full;
	bool zh;
};

#define L(b, en, zh_) ((b)->zh ? (zh_) : (en))

static void sb_advance(struct sb *b, int n)
{
	if (n < 0)
		return;
	if (b->len + (size_t)n < b->size) {
		b->len += (size_t)n;
		return;
	}
	b->full = true;
	b->len = matching_utf8_boundary(b->buf, b->size - 1);
	b->buf[b->len] = '\0';
}

/* Appends s as it is: the common case, without snprintf's cost. */
static void sb_put(struct sb *b, const char *s)
{
	size_t n = strlen(s);

	if (b->full)
		return;
	if (b->len + n < b->size) {
		memcpy(b->buf + b->len, s, n + 1);
		b->len += n;
		return;
	}
	memcpy(b->buf + b->len, s, b->size - 1 - b->len);
	sb_advance(b, (int)(b->size - b->len)); /* cuts back to a character boundary */
}

#define SB_ADD(b, ...)                                                                             \
	do {                                                                                       \
		if (!(b)->full)                                                                    \
			sb_advance((b), snprintf((b)->buf + (b)->len, (b)->size - (b)->len,        \
						 __VA_ARGS__));                                    \
	} while (0)

static const char *w_collateral(const struct sb *b, int collateral)
{
	return b->zh ? COLLATERAL_ZH[collateral] : matching_collateral_name(collateral);
}

static const char *w_whitelist(const struct sb *b, int state)
{
	return b->zh ? WHITELIST_ZH[state] : matching_whitelist_name(state);
}

/* "2025-03-01" in English, "2025年3月1日" in Chinese. */
static const char *w_day(const struct sb *b, int32_t day, char *buf, size_t size)
{
	return b->zh ? matching_format_day_zh(day, buf, size) : matching_format_day(day, buf, size);
}

static void sb_tags(struct sb *b, unsigned tags)
{
	const char *sep = "";
	unsigned i = 0;

	for (unsigned bit = 1; bit <= MATCHING_TAG_ALL; bit <<= 1, i++)
		if (tags & bit) {
			sb_put(b, sep);
			sb_put(b, b->zh ? TAG_ZH[i] : matching_tag_name(bit));
			sep = L(b, ", ", "、");
		}
}

/* English: the town's code; Chinese: its name, else its code. */
static void sb_town(struct sb *b, const matching_catalog *c, unsigned t)
{
	if (b->zh && t < c->ntown_codes && c->town_names_zh[t][0])
		sb_put(b, c->town_names_zh[t]);
	else if (t < c->ntown_codes && c->town_codes[t][0])
		sb_put(b, c->town_codes[t]);
	else
		SB_ADD(b, L(b, "town #%u", "%u 号街镇"), t);
}

/* English: the park's id ("3"); Chinese: its name, else "3 号园区". */
static void sb_park(struct sb *b, const matching_catalog *c, unsigned park)
{
	const char *name = b->zh ? matching_catalog_park_name(c, (uint16_t)park) : NULL;

	if (name)
		sb_put(b, name);
	else
		SB_ADD(b, L(b, "%u", "%u 号园区"), park);
}


/* The product's list for crit (MATCH_CRIT_INDUSTRY, _TOWN or _PARK),
 * separated by ", " or "、". */
static void sb_list(struct sb *b, const matching_catalog *c, const matching_product *p, int crit)
{
	unsigned n = crit == MATCH_CRIT_TOWN   ? p->ntowns
		     : crit == MATCH_CRIT_PARK ? p->nparks
					       : p->nindustries;
	char code[8];

	for (unsigned i = 0; i < n; i++) {
		sb_put(b, i ? L(b, ", ", "、") : "");
		if (crit == MATCH_CRIT_TOWN)
			sb_town(b, c, p->towns[i]);
		else if (crit == MATCH_CRIT_PARK)
			sb_park(b, c, p->park_ids[i]);
		else
			sb_put(b, matching_industry_unpack(p->industries[i], code));
	}
}

static void hint_score(struct sb *b, const matching_hint *h)
{
	if (h->grade)
		SB_ADD(b, L(b, "grade %s needed: ", "需要达到 %s 级："),
		       matching_grade_name(h->grade));
	else
		SB_ADD(b, L(b, "score %" PRId64 " needed: ", "需要 %" PRId64 " 分："), h->needed);
	if (h->actual < 0)
		SB_ADD(b,
		       L(b, "not scored yet, score %" PRId64 " needed",
			 "尚未评分，需要 %" PRId64 " 分"),
		       h->needed);
	else
		SB_ADD(b,
		       L(b, "score %" PRId64 ", %" PRId64 " points short",
			 "目前 %" PRId64 " 分，还差 %" PRId64 " 分"),
		       h->actual, h->needed - h->actual);
}

static void hint_whitelist(struct sb *b, const matching_hint *h)
{
	if (h->actual == MATCHING_WL_NOMINATED)
		sb_put(b, L(b, "the whitelist nomination needs the bureau's approval",
			    "白名单提名需经区财政局审核通过"));
	else if (h->actual == MATCHING_WL_EXPIRED)
		sb_put(b, L(b, "the whitelist entry has expired: renew it",
			    "白名单资格已过期：请续期"));
	else
		sb_put(b, L(b, "an approved whitelist entry is needed: apply for one",
			    "需要已入选的白名单资格：请申请"));
}

char *matching_hint_format(const matching_hint *h, matching_lang lang, char *buf, size_t size)
{
	struct sb b = {buf, size, 0, false, lang == MATCHING_LANG_ZH};
	char y1[48], y2[48];

	if (!size)
		return buf;
	buf[0] = '\0';
	switch (h->lever) {
	case MATCHING_LEVER_SCORE:
		hint_score(&b, h);
		break;
	case MATCHING_LEVER_AMOUNT:
		SB_ADD(&b, L(&b, "%s the amount to %s yuan", "将金额%s到 %s 元"),
		       h->needed < h->actual ? L(&b, "lower", "降低") : L(&b, "raise", "提高"),
		       matching_format_yuan(h->needed, y1, sizeof y1));
		break;
	case MATCHING_LEVER_TERM:
		SB_ADD(&b,
		       L(&b, "%s the term to %" PRId64 " months", "将期限%s到 %" PRId64 " 个月"),
		       h->needed < h->actual ? L(&b, "shorten", "缩短") : L(&b, "lengthen", "延长"),
		       h->needed);
		break;
	case MATCHING_LEVER_COLLATERAL:
		SB_ADD(&b, L(&b, "offer %s as collateral", "提供“%s”作为担保"),
		       w_collateral(&b, (int)h->needed));
		break;
	case MATCHING_LEVER_YEARS:
		SB_ADD(&b,
		       L(&b, "eligible from %s (%" PRId64 " whole years in business now)",
			 "%s起符合条件（目前经营满 %" PRId64 " 年）"),
		       w_day(&b, (int32_t)h->needed, y1, sizeof y1), h->actual);
		break;
	case MATCHING_LEVER_REVENUE:
		SB_ADD(&b,
		       L(&b, "annual revenue of %s yuan needed: %s yuan short",
			 "年营业收入需达到 %s 元：还差 %s 元"),
		       matching_format_yuan(h->needed, y1, sizeof y1),
		       matching_format_yuan(h->needed - h->actual, y2, sizeof y2));
		break;
	case MATCHING_LEVER_TAGS:
		if (b.zh)
			sb_put(&b, "需要资质：");
		else
			SB_ADD(&b, "needs tag%s ", (h->needed & (h->needed - 1)) ? "s" : "");
		sb_tags(&b, (unsigned)h->needed);
		break;
	case MATCHING_LEVER_WHITELIST:
		hint_whitelist(&b, h);
		break;
	default:
		break;
	}
	return buf;
}

/* ------------------------------------------------------- explanation */

struct explain_ctx {
	const matching_catalog *c;
	const matching_product *p;
	const struct matching_cprod *cp;
	const struct matching_ectx *x;
	uint32_t failed;
	bool zh; /* the pass writing detail_zh */
};

/* Sets a reason's verdict and numbers (the same in both passes) and opens
 * the writer on the pass's detail. */
static struct sb reason_open(matching_reason *r, int crit, const struct explain_ctx *k,
			     int64_t needed, int64_t actual)
{
	char *buf = k->zh ? r->detail_zh : r->detail;
	size_t size = k->zh ? sizeof r->detail_zh : sizeof r->detail;

	r->criterion = (uint8_t)crit;
	r->checked = true;
	r->passed = !(k->failed & BIT(crit));
	r->needed = needed;
	r->needed_max = needed;
	r->actual = actual;
	buf[0] = '\0';
	return (struct sb){buf, size, 0, false, k->zh};
}

static void explain_product_side(matching_reason *rs, const struct explain_ctx *k)
{
	const matching_product *p = k->p;
	struct sb b;

	b = reason_open(&rs[MATCH_CRIT_STATUS], MATCH_CRIT_STATUS, k, MATCHING_PRODUCT_ACTIVE,
			p->status);
	SB_ADD(&b, L(&b, "product is %s", "产品%s"),
	       b.zh ? STATUS_ZH[p->status] : matching_product_status_name(p->status));
	b = reason_open(&rs[MATCH_CRIT_CAPACITY], MATCH_CRIT_CAPACITY, k, 1, k->cp->remaining);
	if (k->cp->remaining > 0)
		SB_ADD(&b,
		       L(&b, "%" PRId32 " of %" PRId32 " places left this month",
			 "本月还剩 %" PRId32 " 个名额（共 %" PRId32 " 个）"),
		       k->cp->remaining, p->monthly_capacity);
	else
		SB_ADD(&b,
		       L(&b, "no places left this month (%" PRId32 " of %" PRId32 " used)",
			 "本月名额已满（已用 %" PRId32 " 个，共 %" PRId32 " 个）"),
		       p->used_this_month, p->monthly_capacity);
}

static void explain_not_checked(matching_reason *rs, const struct explain_ctx *k)
{
	static const int crits[] = {MATCH_CRIT_AMOUNT, MATCH_CRIT_TERM, MATCH_CRIT_COLLATERAL,
				    MATCH_CRIT_PROGRAM_CAP};

	for (size_t i = 0; i < sizeof crits / sizeof *crits; i++) {
		struct sb b = reason_open(&rs[crits[i]], crits[i], k, 0, 0);

		rs[crits[i]].checked = false;
		sb_put(&b, L(&b, "not checked: no amount, term or collateral asked for",
			     "未检查：没有填写金额、期限或担保方式"));
	}
}

/* Chinese range text: "申请 50,000.00 元，低于最低额度 100,000.00 元". */
static void range_zh(struct sb *b, bool money, const char *sv, const char *slo, const char *shi,
		     int side)
{
	const char *unit = money ? "元" : "个月";

	SB_ADD(b, "%s %s %s，", money ? "申请" : "期限", sv, unit);
	if (side < 0)
		SB_ADD(b, "%s %s %s", money ? "低于最低额度" : "短于最短期限", slo, unit);
	else if (side > 0)
		SB_ADD(b, "%s %s %s", money ? "高于最高额度" : "长于最长期限", shi, unit);
	else
		SB_ADD(b, "在 %s %s至 %s %s之间", slo, unit, shi, unit);
}

/* The amount (money) or the term against the product's range. */
static void explain_range(matching_reason *r, int crit, const struct explain_ctx *k, int64_t v,
			  int64_t lo, int64_t hi, bool money)
{
	struct sb b = reason_open(r, crit, k, lo, v);
	char sv[48], slo[48], shi[48];
	const char *unit = money ? "yuan" : "months";

	r->needed_max = hi;
	if (money) {
		matching_format_yuan(v, sv, sizeof sv);
		matching_format_yuan(lo, slo, sizeof slo);
		matching_format_yuan(hi, shi, sizeof shi);
	} else {
		snprintf(sv, sizeof sv, "%" PRId64, v);
		snprintf(slo, sizeof slo, "%" PRId64, lo);
		snprintf(shi, sizeof shi, "%" PRId64, hi);
	}
	if (b.zh)
		range_zh(&b, money, sv, slo, shi, v < lo ? -1 : v > hi ? 1 : 0);
	else if (v < lo)
		SB_ADD(&b, "%s %s below the minimum %s %s", sv, unit, slo, unit);
	else if (v > hi)
		SB_ADD(&b, "%s %s above the maximum %s %s", sv, unit, shi, unit);
	else
		SB_ADD(&b, "%s %s within %s to %s %s", sv, unit, slo, shi, unit);
}

static void explain_collateral(matching_reason *rs, const struct explain_ctx *k)
{
	const struct matching_cprod *cp = k->cp;
	const matching_request *q = &k->x->r;
	struct sb b = reason_open(&rs[MATCH_CRIT_COLLATERAL], MATCH_CRIT_COLLATERAL, k,
				  cp->collateral, q->collateral);

	if (cp->collateral == MATCHING_COLLATERAL_NONE)
		sb_put(&b, L(&b, "no collateral needed", "无需抵押"));
	else if (q->collateral == cp->collateral)
		SB_ADD(&b, L(&b, "%s collateral offered as needed", "已提供所需的“%s”"),
		       w_collateral(&b, cp->collateral));
	else
		SB_ADD(&b, L(&b, "%s collateral needed, %s offered", "需要“%s”，所选为“%s”"),
		       w_collateral(&b, cp->collateral), w_collateral(&b, q->collateral));
}

static void explain_request(matching_reason *rs, const struct explain_ctx *k)
{
	const struct matching_cprod *cp = k->cp;
	const matching_request *q = &k->x->r;
	struct sb b;
	char s1[48], s2[48], s3[48];

	explain_range(&rs[MATCH_CRIT_AMOUNT], MATCH_CRIT_AMOUNT, k, q->amount_fen, cp->amount_min,
		      cp->amount_max, true);
	explain_range(&rs[MATCH_CRIT_TERM], MATCH_CRIT_TERM, k, q->term_months, cp->term_min,
		      cp->term_max, false);
	explain_collateral(rs, k);
	if (!cp->cap_fen) {
		b = reason_open(&rs[MATCH_CRIT_PROGRAM_CAP], MATCH_CRIT_PROGRAM_CAP, k, 0,
				q->amount_fen);
		sb_put(&b, cp->program_id ? L(&b, "the programme has no cap per enterprise",
					      "项目不设单户上限")
					  : L(&b, "not in a programme", "不属于任何项目"));
		return;
	}
	int64_t owed = matching_outstanding(k->x, cp->program_id);

	b = reason_open(&rs[MATCH_CRIT_PROGRAM_CAP], MATCH_CRIT_PROGRAM_CAP, k, cp->cap_fen,
			owed + q->amount_fen);
	SB_ADD(&b,
	       L(&b, "%s yuan outstanding plus %s yuan asked %s the programme's cap of %s yuan",
		 "已有余额 %s 元加本次申请 %s 元，%s项目单户上限 %s 元"),
	       matching_format_yuan(owed, s1, sizeof s1),
	       matching_format_yuan(q->amount_fen, s2, sizeof s2),
	       rs[MATCH_CRIT_PROGRAM_CAP].passed ? L(&b, "within", "未超过")
						 : L(&b, "exceeds", "超过"),
	       matching_format_yuan(cp->cap_fen, s3, sizeof s3));
}

static void explain_credit(matching_reason *rs, const struct explain_ctx *k)
{
	const matching_enterprise *e = &k->x->e;
	const struct matching_cprod *cp = k->cp;
	struct sb b;

	b = reason_open(&rs[MATCH_CRIT_MIN_GRADE], MATCH_CRIT_MIN_GRADE, k, cp->min_grade,
			e->grade);
	if (!cp->min_grade)
		sb_put(&b, L(&b, "no minimum grade", "无信用等级要求"));
	else if (!e->grade)
		SB_ADD(&b, L(&b, "not graded yet; minimum %s", "尚未评级，最低要求 %s 级"),
		       matching_grade_name(cp->min_grade));
	else
		SB_ADD(&b, L(&b, "grade %s %s minimum %s", "信用等级 %s 级，%s最低要求 %s 级"),
		       matching_grade_name(e->grade),
		       rs[MATCH_CRIT_MIN_GRADE].passed ? L(&b, "meets", "达到")
						       : L(&b, "below", "低于"),
		       matching_grade_name(cp->min_grade));
	b = reason_open(&rs[MATCH_CRIT_MIN_SCORE], MATCH_CRIT_MIN_SCORE, k, cp->min_score,
			e->score);
	if (cp->min_score < 0)
		sb_put(&b, L(&b, "no minimum score", "无信用分要求"));
	else if (e->score < 0)
		SB_ADD(&b, L(&b, "not scored yet; minimum %d", "尚未评分，最低要求 %d 分"),
		       cp->min_score);
	else
		SB_ADD(&b, L(&b, "score %d %s minimum %d", "信用分 %d 分，%s最低要求 %d 分"),
		       e->score,
		       rs[MATCH_CRIT_MIN_SCORE].passed ? L(&b, "meets", "达到")
						       : L(&b, "below", "低于"),
		       cp->min_score);
}

static void explain_industry(matching_reason *rs, const struct explain_ctx *k)
{
	const matching_enterprise *e = &k->x->e;
	const matching_product *p = k->p;
	unsigned which = 0;
	bool hit = k->cp->nindustries && industry_hit(k->cp, e->industry, &which);
	char code[8], prefix[8];
	struct sb b;

	b = reason_open(&rs[MATCH_CRIT_INDUSTRY], MATCH_CRIT_INDUSTRY, k,
			hit ? p->industries[which] : 0, e->industry);
	if (!p->nindustries) {
		sb_put(&b, L(&b, "any industry", "不限行业"));
	} else if (hit) {
		SB_ADD(&b, L(&b, "industry %s is under %s", "行业 %s 属于 %s"),
		       matching_industry_unpack(e->industry, code),
		       matching_industry_unpack(p->industries[which], prefix));
	} else {
		if (b.zh && !e->industry)
			sb_put(&b, "行业未登记，要求 ");
		else
			SB_ADD(&b, L(&b, "industry %s is not under ", "行业 %s 不属于 "),
			       e->industry ? matching_industry_unpack(e->industry, code)
					   : "unknown");
		sb_list(&b, k->c, p, MATCH_CRIT_INDUSTRY);
	}
}

static void explain_place(matching_reason *rs, const struct explain_ctx *k)
{
	const matching_enterprise *e = &k->x->e;
	const matching_product *p = k->p;
	struct sb b;

	explain_industry(rs, k);
	b = reason_open(&rs[MATCH_CRIT_TOWN], MATCH_CRIT_TOWN, k, (int64_t)k->cp->town_mask,
			e->town);
	if (!p->ntowns)
		sb_put(&b, L(&b, "any town", "不限街镇"));
	else if (e->town == MATCHING_TOWN_NONE)
		sb_put(&b, L(&b, "no town on record; needs ", "没有登记街镇，要求："));
	else {
		sb_town(&b, k->c, e->town);
		sb_put(&b, rs[MATCH_CRIT_TOWN].passed
				   ? L(&b, " is among ", "在要求的街镇之列：")
				   : L(&b, " is not among ", "不在要求的街镇之列："));
	}
	if (p->ntowns)
		sb_list(&b, k->c, p, MATCH_CRIT_TOWN);
	b = reason_open(&rs[MATCH_CRIT_PARK], MATCH_CRIT_PARK, k,
			p->nparks && !(k->failed & BIT(MATCH_CRIT_PARK)) ? e->park_id : 0,
			e->park_id);
	if (!p->nparks)
		sb_put(&b, L(&b, "any park", "不限园区"));
	else if (!e->park_id)
		sb_put(&b, L(&b, "in no park; needs park ", "不在任何园区，要求："));
	else {
		sb_put(&b, L(&b, "park ", ""));
		sb_park(&b, k->c, e->park_id);
		sb_put(&b, rs[MATCH_CRIT_PARK].passed
				   ? L(&b, " is among ", "在要求的园区之列：")
				   : L(&b, " is not among ", "不在要求的园区之列："));
	}
	if (p->nparks)
		sb_list(&b, k->c, p, MATCH_CRIT_PARK);
}

static void explain_profile(matching_reason *rs, const struct explain_ctx *k)
{
	const matching_enterprise *e = &k->x->e;
	const struct matching_cprod *cp = k->cp;
	struct sb b;
	char s1[48], s2[48];

	b = reason_open(&rs[MATCH_CRIT_YEARS], MATCH_CRIT_YEARS, k, cp->min_years, k->x->years);
	if (!cp->min_years)
		sb_put(&b, L(&b, "no minimum years in business", "无经营年限要求"));
	else
		SB_ADD(&b,
		       L(&b, "%" PRId32 " whole years in business, %" PRId32 " needed",
			 "经营满 %" PRId32 " 年，要求至少 %" PRId32 " 年"),
		       k->x->years, cp->min_years);
	b = reason_open(&rs[MATCH_CRIT_REVENUE], MATCH_CRIT_REVENUE, k, cp->min_revenue,
			e->revenue_fen);
	if (!cp->min_revenue)
		sb_put(&b, L(&b, "no minimum revenue", "无营业收入要求"));
	else
		SB_ADD(&b,
		       L(&b, "annual revenue %s yuan, at least %s yuan needed",
			 "年营业收入 %s 元，要求至少 %s 元"),
		       matching_format_yuan(e->revenue_fen, s1, sizeof s1),
		       matching_format_yuan(cp->min_revenue, s2, sizeof s2));
	b = reason_open(&rs[MATCH_CRIT_TAGS], MATCH_CRIT_TAGS, k, cp->required_tags, e->tags);
	if (!cp->required_tags) {
		sb_put(&b, L(&b, "no tags required", "无资质要求"));
	} else if (rs[MATCH_CRIT_TAGS].passed) {
		sb_put(&b, L(&b, "has every required tag: ", "具备全部所需资质："));
		sb_tags(&b, cp->required_tags);
	} else {
		sb_put(&b, L(&b, "missing tags: ", "缺少资质："));
		sb_tags(&b, cp->required_tags & ~e->tags);
	}
}

static void explain_whitelist(matching_reason *rs, const struct explain_ctx *k)
{
	const matching_enterprise *e = &k->x->e;
	int state = e->whitelist == MATCHING_WL_APPROVED && !k->x->whitelisted ? MATCHING_WL_EXPIRED
									       : e->whitelist;
	struct sb b = reason_open(&rs[MATCH_CRIT_WHITELIST], MATCH_CRIT_WHITELIST, k,
				  k->cp->whitelist_only, state);
	char day[32];

	if (k->x->whitelisted)
		SB_ADD(&b,
		       L(&b, "approved whitelist entry valid until %s%s",
			 "白名单已入选，有效期至 %s%s"),
		       w_day(&b, e->whitelist_until, day, sizeof day),
		       k->cp->whitelist_only ? "" : L(&b, " (not required)", "（本产品不要求）"));
	else if (!k->cp->whitelist_only)
		sb_put(&b, L(&b, "whitelist entry not required", "本产品不要求白名单"));
	else if (state == MATCHING_WL_EXPIRED)
		SB_ADD(&b,
		       L(&b, "needs an approved whitelist entry; it expired after %s",
			 "需要已入选的白名单资格，原资格有效期至 %s，已过期"),
		       w_day(&b, e->whitelist_until, day, sizeof day));
	else
		SB_ADD(&b,
		       L(&b, "needs an approved whitelist entry; %s",
			 "需要已入选的白名单资格，当前：%s"),
		       w_whitelist(&b, e->whitelist));
}

matching_status matching_explain(const matching_catalog *c, int64_t product_id,
				 const matching_demand *d, int32_t today, matching_explanation *out,
				 matching_error *err)
{
	struct matching_ectx x;
	struct explain_ctx k;
	long i = matching_catalog_find(c, product_id);
	matching_status st;

	if (i < 0) {
		if (err)
			snprintf(err->message, sizeof err->message,
				 "product %" PRId64 ": not in the catalogue", product_id);
		return MATCHING_NOT_FOUND;
	}
	st = matching_demand_check(d, err);
	if (st != MATCHING_OK)
		return st;
	matching_ectx_init(&x, d, today);
	memset(out, 0, sizeof *out);
	k = (struct explain_ctx){c,    &c->products[i], &c->cp[i], &x, matching_eval(&c->cp[i], &x),
				 false};
	out->product_id = product_id;
	out->failed = k.failed;
	out->eligible = k.failed == 0;
	out->fit = matching_fit_compute(k.cp, &x, &out->parts);
	for (int zh = 0; zh < 2; zh++) { /* detail, then detail_zh */
		k.zh = zh;
		explain_product_side(out->reasons, &k);
		if (x.has_request)
			explain_request(out->reasons, &k);
		else
			explain_not_checked(out->reasons, &k);
		explain_credit(out->reasons, &k);
		explain_place(out->reasons, &k);
		explain_profile(out->reasons, &k);
		explain_whitelist(out->reasons, &k);
	}
	out->hint = matching_hint_compute(c, k.cp, &x, k.failed);
	matching_hint_format(&out->hint, MATCHING_LANG_EN, out->hint_text, sizeof out->hint_text);
	matching_hint_format(&out->hint, MATCHING_LANG_ZH, out->hint_text_zh,
			     sizeof out->hint_text_zh);
	return MATCHING_OK;
}

matching_status matching_fit(const matching_catalog *c, int64_t product_id,
			     const matching_demand *d, int32_t today, int32_t *fit,
			     matching_fit_parts *parts)
{
	struct matching_ectx x;
	long i = matching_catalog_find(c, product_id);

	if (i < 0)
		return MATCHING_NOT_FOUND;
	if (matching_demand_check(d, NULL) != MATCHING_OK)
		return MATCHING_INVALID;
	matching_ectx_init(&x, d, today);
	*fit = matching_fit_compute(&c->cp[i], &x, parts);
	return MATCHING_OK;
}
