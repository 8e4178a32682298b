/*
 * The demo district: banks, the demo accounts and a few hundred enterprises
 * with plausible credit records from the district's departments. Every
 * value comes from one seeded generator, so two loads give the same
 * district.
 */
#include "models/demo.h"

#include <stdio.h>
#include <string.h>

#include "common/base.h"
#include "common/validate.h"
#include "models/db_internal.h"

#define DEMO_ENTERPRISES 320
#define DEMO_SEED UINT64_C(0x20231108)

static const demo_account accounts[] = {
	{"bureau", "bureau", "奉贤区财政局 district finance bureau"},
	{"auditor", "auditor", "security auditor"},
	{"park_obv", "park", "东方美谷 Oriental Beauty Valley"},
	{"park_hzb", "park", "杭州湾开发区 Hangzhou Bay Development Zone"},
	{"bank_nsb", "bank", "上海农商银行奉贤支行"},
	{"bank_boc", "bank", "中国银行奉贤支行"},
	{"sme_demo", "sme", "上海美谷生物科技有限公司"},
};

static const char *const banks[] = {"上海农商银行奉贤支行", "中国银行奉贤支行", "工商银行奉贤支行",
				    "建设银行奉贤支行",	    "浦发银行奉贤支行", "交通银行奉贤支行"};

const demo_account *models_demo_accounts(size_t *count)
{
	*count = sizeof accounts / sizeof accounts[0];
	return accounts;
}

/* splitmix64: small, fast and the same on every machine. */
typedef struct {
	uint64_t state;
} demo_rng;

static uint64_t rng_next(demo_rng *r)
{
	uint64_t z = (r->state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int64_t rng_range(demo_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

static bool rng_chance(demo_rng *r, int percent)
{
	return rng_range(r, 1, 100) <= percent;
}

#define PICK(r, a) ((a)[rng_range((r), 0, (int64_t)ARRAY_SIZE(a) - 1)])

/* ---- one enterprise ---- */

typedef struct {
	char uscc[19], name[201], rep[40], id_no[19], phone[12], industry[4], town[33];
	int64_t park_id, capital_fen, employees, revenue_fen;
	char founded_on[11], tags[80];
	int founded_year;
} demo_enterprise;

static const struct {
	const char *code, *word;
	int weight;
} industries[] = {
	{"C26", "生物科技", 8}, {"C27", "医药", 6},	{"C26", "化妆品", 8},
	{"C39", "电子", 5},	{"C34", "机械制造", 6}, {"C29", "新材料", 5},
	{"C14", "食品", 4},	{"F51", "贸易", 5},	{"F52", "商贸", 3},
	{"I65", "信息技术", 5}, {"M73", "研发", 3},	{"A01", "农业", 3},
	{"E48", "建设工程", 2}, {"G54", "物流", 3},	{"H62", "餐饮管理", 2},
	{"L72", "商务咨询", 2},
};
static const char *const name_heads[] = {"美谷", "海湾", "贤城", "南桥", "奉浦", "金汇", "青村",
					 "柘林", "四团", "庄行", "东方", "申贤", "博奉", "临港",
					 "沪南", "润禾", "华贤", "汇杰", "康美", "瑞丰"};
static const char *const surnames[] = {"张", "王", "李", "赵", "陈", "刘", "杨", "黄", "吴", "周",
				       "徐", "孙", "朱", "胡", "沈", "顾", "陆", "姚", "钱", "范"};
static const char *const given[] = {"伟", "敏", "静", "磊", "芳", "强", "丽", "军", "洋", "艳",
				    "杰", "婷", "涛", "明", "娟", "斌", "霞", "平", "华", "红"};

static int pick_industry(demo_rng *r)
{
	int total = 0, n = (int)(sizeof industries / sizeof industries[0]);
	for (int i = 0; i < n; i++)
		total += industries[i].weight;
	int x = (int)rng_range(r, 1, total);
	for (int i = 0; i < n; i++)
		if ((x -= industries[i].weight) <= 0)
			return i;
	return 0;
}

static void make_uscc(demo_rng *r, char out[19])
{
	static const char alnum[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	snprintf(out, 19, "91310120");
	for (int i = 8; i < 17; i++)
		out[i] = alnum[rng_range(r, 0, 30)];
	out[17] = validate_uscc_check_char(out);
	out[18] = '\0';
}

static void make_id_no(demo_rng *r, char out[19])
{
	snprintf(out, 19, "310120%04d%02d%02d%03d", (int)rng_range(r, 1960, 1995),
		 (int)rng_range(r, 1, 12), (int)rng_range(r, 1, 28), (int)rng_range(r, 100, 999));
	out[17] = validate_id_no_check_char(out);
	out[18] = '\0';
}

static void make_tags(demo_rng *r, const char *industry, char out[80])
{
	out[0] = '\0';
	bool tech = industry[0] == 'C' || industry[0] == 'I' || industry[0] == 'M';
	if (tech && rng_chance(r, 30))
		strcat(out, "hi_tech,");
	if (tech && rng_chance(r, 15))
		strcat(out, "specialized,");
	if (tech && rng_chance(r, 35))
		strcat(out, "tech_sme,");
	if (industry[0] == 'A' && rng_chance(r, 70))
		strcat(out, "agri_entity,");
	if (rng_chance(r, 8))
		strcat(out, "integrity_model,");
	size_t len = strlen(out);
	if (len)
		out[len - 1] = '\0';
}

static void make_enterprise(demo_rng *r, const models_reference *ref, int n, demo_enterprise *e)
{
	int ind = pick_industry(r);
	make_uscc(r, e->uscc);
	snprintf(e->name, sizeof e->name, "上海%s%s%s有限公司", PICK(r, name_heads),
		 industries[ind].word, n % 3 == 0 ? "科技" : (n % 3 == 1 ? "实业" : "发展"));
	snprintf(e->rep, sizeof e->rep, "%s%s%s", PICK(r, surnames), PICK(r, given),
		 rng_chance(r, 50) ? PICK(r, given) : "");
	make_id_no(r, e->id_no);
	snprintf(e->phone, sizeof e->phone, "13%d%08d", (int)rng_range(r, 0, 9),
		 (int)rng_range(r, 0, 99999999));
	snprintf(e->industry, sizeof e->industry, "%s", industries[ind].code);
	snprintf(e->town, sizeof e->town, "%s",
		 ref->towns[rng_range(r, 0, (int64_t)ref->ntowns - 1)].code);
	/* Beauty and biomedicine gather in 东方美谷, manufacturing in the bay. */
	e->park_id = 0;
	if (strncmp(e->industry, "C26", 3) == 0 || strncmp(e->industry, "C27", 3) == 0)
		e->park_id = rng_chance(r, 75) ? 1 : 0;
	else if (e->industry[0] == 'C')
		e->park_id = rng_chance(r, 40) ? rng_range(r, 2, 4) : 0;
	e->founded_year = (int)rng_range(r, 2003, 2024);
	snprintf(e->founded_on, sizeof e->founded_on, "%04d-%02d-%02d", e->founded_year,
		 (int)rng_range(r, 1, 12), (int)rng_range(r, 1, 28));
	e->employees = rng_range(r, 3, rng_chance(r, 15) ? 900 : 180);
	e->revenue_fen = rng_range(r, 50, 40000) * INT64_C(1000000) / 10; /* 5万 to 4000万 yuan */
	e->capital_fen = rng_range(r, 10, 5000) * INT64_C(1000000);
	make_tags(r, e->industry, e->tags);
}

static xyd_status insert_enterprise(models_db *db, const models_reference *ref,
				    const demo_enterprise *e, int64_t *id)
{
	char section[2] = {e->industry[0], '\0'};
	const char *size = models_reference_size_class(ref, e->industry, e->employees,
						       e->revenue_fen, -1);
	uint64_t new_id = 0;
	xyd_status st = db_run(
		db,
		"INSERT INTO enterprises (uscc, name, legal_rep_name, legal_rep_id_no, phone, industry,"
		" industry_section, town, park_id, registered_capital_fen, founded_on, employees,"
		" annual_revenue_fen, size_class, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		(const db_param[]){db_str(e->uscc), db_str(e->name), db_str(e->rep),
				   db_str(e->id_no), db_str(e->phone), db_str(e->industry),
				   db_str(section), db_str(e->town),
				   db_opt_int(e->park_id > 0, e->park_id), DB_INT(e->capital_fen),
				   db_str(e->founded_on), DB_INT(e->employees),
				   DB_INT(e->revenue_fen), db_str(size), db_str(e->tags)},
		15, NULL, NULL, &new_id);
	*id = (int64_t)new_id;
	return st;
}

/* ---- credit records ---- */

typedef struct {
	models_db *db;
	demo_rng *rng;
	int64_t enterprise_id, batch_id;
	int seq;
} record_ctx;

static xyd_status add_record(record_ctx *c, const char *category, const char *value,
			     const char *dept, const char *observed_on, const char *expires_on,
			     bool minor_party, bool force_majeure)
{
	char source_id[48];
	snprintf(source_id, sizeof source_id, "DEMO-%lld-%d", (long long)c->enterprise_id,
		 ++c->seq);
	return DB_QUERY(
		c->db,
		"INSERT INTO credit_records (enterprise_id, category, value_json, source_dept,"
		" source_record_id, observed_on, expires_on, minor_party, force_majeure, batch_id)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		NULL, DB_INT(c->enterprise_id), db_str(category), db_str(value), db_str(dept),
		db_str(source_id), db_str(observed_on), db_str(expires_on), DB_INT(minor_party),
		DB_INT(force_majeure), DB_INT(c->batch_id));
}

static void random_day(demo_rng *r, int year_lo, int year_hi, char out[11])
{
	snprintf(out, 11, "%04d-%02d-%02d", (int)rng_range(r, year_lo, year_hi),
		 (int)rng_range(r, 1, 12), (int)rng_range(r, 1, 28));
}

static xyd_status add_basic_records(record_ctx *c, const demo_enterprise *e)
{
	static const char *const grades[] = {"A", "A", "A", "B", "B", "B", "B", "M", "M", "C", "D"};
	char v[160], day[11];
	demo_rng *r = c->rng;
	xyd_status st;
	int year = e->founded_year < 2024 ? 2024 : 2025;
	snprintf(v, sizeof v, "{\"grade\":\"%s\",\"year\":%d}", PICK(r, grades), year);
	random_day(r, 2025, 2025, day);
	if ((st = add_record(c, "tax_rating", v, "区税务局", day, NULL, false, false)) != XYD_OK)
		return st;
	snprintf(v, sizeof v, "{\"months_paid\":%d}",
		 (int)(rng_chance(r, 80) ? 12 : rng_range(r, 3, 11)));
	random_day(r, 2026, 2026, day);
	if ((st = add_record(c, "social_security", v, "区人社局", day, NULL, false, false)) !=
	    XYD_OK)
		return st;
	snprintf(v, sizeof v, "{\"months_paid\":%d}",
		 (int)(rng_chance(r, 60) ? 12 : rng_range(r, 0, 11)));
	if ((st = add_record(c, "housing_fund", v, "区公积金中心", day, NULL, false, false)) !=
	    XYD_OK)
		return st;
	if (rng_chance(r, 12)) {
		snprintf(v, sizeof v, "{\"months_overdue\":%d,\"amount_fen\":%lld}",
			 (int)rng_range(r, 1, 4), (long long)rng_range(r, 20000, 900000));
		if ((st = add_record(c, "utility_arrears", v, "区供电公司", day, NULL, false,
				     false)) != XYD_OK)
			return st;
	}
	return XYD_OK;
}

static xyd_status add_innovation_records(record_ctx *c, const demo_enterprise *e)
{
	static const char *const kinds[] = {"invention", "utility", "utility", "design"};
	char v[160], day[11];
	demo_rng *r = c->rng;
	xyd_status st = XYD_OK;
	bool tech = strstr(e->tags, "tech") != NULL || strstr(e->tags, "specialized") != NULL;
	if (tech || rng_chance(r, 25)) {
		snprintf(v, sizeof v, "{\"count\":%d,\"kind\":\"%s\"}", (int)rng_range(r, 1, 6),
			 PICK(r, kinds));
		random_day(r, 2019, 2026, day);
		st = add_record(c, "patent", v, "区知识产权局", day, NULL, false, false);
	}
	if (st == XYD_OK && rng_chance(r, 45)) {
		snprintf(v, sizeof v, "{\"count\":%d}", (int)rng_range(r, 1, 5));
		random_day(r, 2018, 2026, day);
		st = add_record(c, "trademark", v, "区市场监管局", day, NULL, false, false);
	}
	if (st == XYD_OK && tech) {
		snprintf(v, sizeof v, "{\"amount_fen\":%lld,\"year\":2025}",
			 (long long)rng_range(r, 20, 800) * INT64_C(1000000));
		st = add_record(c, "rnd_expense", v, "区科委", "2026-03-31", NULL, false, false);
	}
	return st;
}

static xyd_status add_conduct_records(record_ctx *c, const demo_enterprise *e)
{
	static const char *const env[] = {"green", "green",  "blue", "blue",
					  "blue",  "yellow", "red"};
	static const char *const severity[] = {"minor", "minor", "general", "serious"};
	char v[200], day[11];
	demo_rng *r = c->rng;
	xyd_status st = XYD_OK;
	if (e->industry[0] == 'C') {
		snprintf(v, sizeof v, "{\"grade\":\"%s\"}", PICK(r, env));
		random_day(r, 2025, 2026, day);
		st = add_record(c, "env_rating", v, "区生态环境局", day, NULL, false, false);
	}
	if (st == XYD_OK && rng_chance(r, 18)) {
		const char *sev = PICK(r, severity);
		snprintf(v, sizeof v, "{\"severity\":\"%s\",\"amount_fen\":%lld,\"reason\":\"%s\"}",
			 sev, (long long)rng_range(r, 1, 50) * 100000,
			 strcmp(sev, "minor") == 0 ? "标签标识不规范" : "未按规定申报");
		random_day(r, 2021, 2026, day);
		st = add_record(c, "admin_penalty", v, "区市场监管局", day, NULL, rng_chance(r, 10),
				rng_chance(r, 10));
	}
	if (st == XYD_OK && rng_chance(r, 40)) {
		random_day(r, 2023, 2026, day);
		st = add_record(c, "commitment", "{\"matter\":\"信用承诺：按时足额纳税\"}",
				"区发改委", day, NULL, false, false);
	}
	if (st == XYD_OK && rng_chance(r, 5)) {
		random_day(r, 2024, 2026, day);
		st = add_record(c, "commitment_breach", "{\"matter\":\"未履行环保整改承诺\"}",
				"区发改委", day, NULL, false, false);
	}
	if (st == XYD_OK && rng_chance(r, 15)) {
		random_day(r, 2022, 2026, day);
		st = add_record(c, "award", "{\"title\":\"奉贤区诚信示范企业\"}", "区发改委", day,
				NULL, false, false);
	}
	return st;
}

/* A few dishonest judgment debtors, some of them repaired since. */
static xyd_status add_court_records(record_ctx *c)
{
	char v[120], day[11], source_id[48];
	demo_rng *r = c->rng;
	if (!rng_chance(r, 4))
		return XYD_OK;
	snprintf(v, sizeof v, "{\"case_no\":\"(2025)沪0120执%d号\"}",
		 (int)rng_range(r, 1000, 9999));
	random_day(r, 2025, 2026, day);
	xyd_status st = add_record(c, "dishonest_debtor", v, "区法院", day, NULL, false, false);
	if (st != XYD_OK || !rng_chance(r, 30))
		return st;
	snprintf(source_id, sizeof source_id, "DEMO-%lld-%d", (long long)c->enterprise_id, c->seq);
	snprintf(v, sizeof v, "{\"repairs_source_record_id\":\"%s\"}", source_id);
	return add_record(c, "repair", v, "区法院", "2026-09-01", NULL, false, false);
}

static xyd_status add_credit_records(record_ctx *c, const demo_enterprise *e)
{
	xyd_status st;
	if ((st = add_basic_records(c, e)) != XYD_OK ||
	    (st = add_innovation_records(c, e)) != XYD_OK ||
	    (st = add_conduct_records(c, e)) != XYD_OK)
		return st;
	return add_court_records(c);
}

/* ---- programmes and products ---- */

typedef struct {
	int bank; /* index into banks[] */
	const char *name, *kind, *collateral, *min_grade, *industries, *tags;
	int program;		  /* 0 none, 1 东方美谷贷, 2 杭州湾科创贷 */
	int64_t min_wan, max_wan; /* amount range in 10,000 yuan */
	int rate_min, rate_max, term_min, term_max, min_years, capacity;
	bool whitelist_only;
	const char *description;
} demo_product;

static const demo_product products[] = {
	{0, "东方美谷贷·美丽快贷", "credit", "none", "C", "C26,C27,F", "", 1, 10, 500, 310, 420, 6,
	 36, 1, 40, true,
	 "东方美谷贷专属信用贷款，面向园区美丽健康产业白名单企业，风险补偿资金分担损失。"},
	{0, "农商银行·科创信用贷", "credit", "none", "B", "C,I,M", "tech_sme", 0, 20, 1000, 345,
	 480, 12, 36, 2, 30, false, "面向科技型中小企业的纯信用贷款。"},
	{0, "农商银行·惠农贷", "guarantee", "none", "C", "A", "", 0, 5, 300, 380, 520, 6, 24, 1, 20,
	 false, "新型农业经营主体专项贷款，由区融资担保公司担保。"},
	{1, "中国银行·东方美谷知识产权贷", "ip_pledge", "ip", "C", "C26,C27", "", 1, 50, 2000, 330,
	 450, 12, 36, 2, 15, true, "以专利、商标质押的东方美谷贷产品。"},
	{1, "中国银行·中银信贷通", "credit", "none", "B", "", "", 0, 10, 1000, 340, 460, 6, 24, 3,
	 40, false, "小微企业线上信用贷款。"},
	{1, "中国银行·厂房抵押贷", "mortgage", "property", "D", "C", "", 0, 100, 5000, 360, 520, 12,
	 120, 2, 10, false, "以工业厂房抵押的中长期贷款。"},
	{2, "工商银行·经营快贷", "credit", "none", "B", "", "", 0, 10, 300, 335, 430, 3, 12, 1, 60,
	 false, "基于纳税与社保数据的线上快贷。"},
	{2, "工商银行·杭州湾科创贷", "credit", "none", "C", "C", "hi_tech", 2, 50, 3000, 320, 440,
	 12, 36, 3, 20, true, "杭州湾开发区高新技术企业专属贷款。"},
	{3, "建设银行·善新贷", "credit", "none", "B", "C,I,M", "specialized", 0, 50, 2000, 330, 450,
	 12, 36, 2, 20, false, "专精特新企业信用贷款。"},
	{3, "建设银行·应收账款融资", "receivables", "receivables", "C", "", "", 0, 20, 1500, 360,
	 480, 3, 12, 1, 30, false, "以应收账款质押的流动资金贷款。"},
	{4, "浦发银行·浦新贷", "guarantee", "none", "C", "", "", 1, 10, 800, 350, 500, 6, 36, 1, 25,
	 true, "东方美谷贷担保类产品，担保公司分担风险。"},
	{4, "浦发银行·设备按揭贷", "mortgage", "equipment", "C", "C", "", 0, 30, 1500, 370, 520, 12,
	 60, 2, 15, false, "以生产设备抵押的贷款。"},
	{5, "交通银行·交银科创贷", "credit", "none", "A", "C,I,M", "hi_tech", 0, 100, 3000, 310,
	 400, 12, 36, 3, 10, false, "高新技术企业优质客户信用贷款。"},
	{5, "交通银行·诚信贷", "credit", "none", "B", "", "integrity_model", 0, 10, 500, 330, 420,
	 6, 24, 1, 25, true, "诚信示范企业专属信用贷款。"},
};

static xyd_status insert_programs(models_db *db, int64_t bureau, int64_t program_ids[3])
{
	uint64_t fund = 0, id = 0;
	xyd_status st = db_run(
		db, "INSERT INTO funds (name, created_by) VALUES ('东方美谷贷风险补偿资金池', ?)",
		(const db_param[]){DB_INT(bureau)}, 1, NULL, NULL, &fund);
	if (st != XYD_OK)
		return st;
	/* 东方美谷贷: the fund bears 40% of a loss, the bank 40%, the guarantor 20%. */
	st = db_run(db,
		    "INSERT INTO programs (name, park_id, description, fund_id, fund_share_bps,"
		    " bank_share_bps, guarantor_share_bps, interest_subsidy_bps,"
		    " max_amount_per_enterprise_fen, created_by) VALUES ('东方美谷贷', 1,"
		    " '东方美谷美丽健康产业企业专属融资品牌：白名单企业优先、风险补偿资金分担损失、"
		    "财政贴息0.5个百分点。', ?, 4000, 4000, 2000, 50, 1000000000, ?)",
		    (const db_param[]){DB_INT(fund), DB_INT(bureau)}, 2, NULL, NULL, &id);
	program_ids[1] = (int64_t)id;
	if (st != XYD_OK)
		return st;
	st = db_run(
		db,
		"INSERT INTO programs (name, park_id, description, fund_share_bps, bank_share_bps,"
		" guarantor_share_bps, interest_subsidy_bps, created_by) VALUES ('杭州湾科创贷', 2,"
		" '杭州湾开发区先进制造与新材料企业的科创融资计划。', 0, 8000, 2000, 30, ?)",
		(const db_param[]){DB_INT(bureau)}, 1, NULL, NULL, &id);
	program_ids[2] = (int64_t)id;
	program_ids[0] = 0;
	return st;
}

static xyd_status insert_products(models_db *db, const int64_t bank_ids[], int64_t bureau)
{
	int64_t program_ids[3];
	xyd_status st = insert_programs(db, bureau, program_ids);
	for (size_t i = 0; st == XYD_OK && i < sizeof products / sizeof products[0]; i++) {
		const demo_product *p = &products[i];
		st = DB_QUERY(
			db,
			"INSERT INTO products (institution_id, program_id, name, kind, amount_min_fen,"
			" amount_max_fen, rate_min_bps, rate_max_bps, term_min_months, term_max_months,"
			" collateral, min_grade, industries, required_tags, min_years, whitelist_only,"
			" monthly_capacity, status, description, created_by) VALUES"
			" (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?,"
			" (SELECT id FROM users WHERE institution_id = ? ORDER BY id LIMIT 1))",
			NULL, DB_INT(bank_ids[p->bank]),
			db_opt_int(p->program > 0, program_ids[p->program]), db_str(p->name),
			db_str(p->kind), DB_INT(p->min_wan * 1000000), DB_INT(p->max_wan * 1000000),
			DB_INT(p->rate_min), DB_INT(p->rate_max), DB_INT(p->term_min),
			DB_INT(p->term_max), db_str(p->collateral), db_str(p->min_grade),
			db_str(p->industries), db_str(p->tags), DB_INT(p->min_years),
			DB_INT(p->whitelist_only), DB_INT(p->capacity), db_str(p->description),
			DB_INT(bank_ids[p->bank]));
	}
	/* The partners: the banks whose products are in each programme (as
	 * migration 0009 derives them for an existing database). */
	if (st == XYD_OK)
		st = DB_QUERY(db,
			      "INSERT INTO program_partners (program_id, institution_id, added_by)"
			      " SELECT DISTINCT program_id, institution_id, ? FROM products"
			      " WHERE program_id IS NOT NULL",
			      NULL, DB_INT(bureau));
	return st;
}

/* ---- accounts ---- */

static xyd_status insert_user(models_db *db, const char *username, const char *hash,
			      const char *role, int64_t enterprise, int64_t institution,
			      int64_t park, int64_t *id)
{
	uint64_t new_id = 0;
	xyd_status st = db_run(db,
			       "INSERT INTO users (username, password_hash, role, enterprise_id,"
			       " institution_id, park_id) VALUES (?, ?, ?, ?, ?, ?)",
			       (const db_param[]){db_str(username), db_str(hash), db_str(role),
						  db_opt_int(enterprise > 0, enterprise),
						  db_opt_int(institution > 0, institution),
						  db_opt_int(park > 0, park)},
			       6, NULL, NULL, &new_id);
	if (id)
		*id = (int64_t)new_id;
	return st;
}

static xyd_status insert_institutions(models_db *db, int64_t ids[])
{
	for (size_t i = 0; i < sizeof banks / sizeof banks[0]; i++) {
		uint64_t id = 0;
		xyd_status st = db_run(db,
				       "INSERT INTO institutions (name, kind) VALUES (?, 'bank')",
				       (const db_param[]){db_str(banks[i])}, 1, NULL, NULL, &id);
		if (st != XYD_OK)
			return st;
		ids[i] = (int64_t)id;
	}
	uint64_t id = 0;
	return db_run(
		db,
		"INSERT INTO institutions (name, kind) VALUES ('上海奉贤融资担保有限公司', 'guarantor')",
		NULL, 0, NULL, NULL, &id);
}

/* The demo enterprise behind sme_demo: fixed, so the README can name it. */
static const demo_enterprise demo_sme = {.uscc = "91310120MA1H2D3E4E",
					 .name = "上海美谷生物科技有限公司",
					 .rep = "张美华",
					 .id_no = "310120198709274536",
					 .phone = "13812345678",
					 .industry = "C26",
					 .town = "nanqiao",
					 .park_id = 1,
					 .capital_fen = 500000000,
					 .employees = 45,
					 .revenue_fen = 2800000000,
					 .founded_on = "2016-04-18",
					 .tags = "hi_tech,tech_sme",
					 .founded_year = 2016};

static xyd_status load_accounts(models_db *db, const char *hash, int64_t *bureau_id,
				int64_t *demo_enterprise_id, const models_reference *ref)
{
	int64_t bank_ids[sizeof banks / sizeof banks[0]];
	char username[32];
	xyd_status st;
	if ((st = insert_institutions(db, bank_ids)) != XYD_OK ||
	    (st = insert_enterprise(db, ref, &demo_sme, demo_enterprise_id)) != XYD_OK ||
	    (st = insert_user(db, "bureau", hash, "bureau", 0, 0, 0, bureau_id)) != XYD_OK ||
	    (st = insert_user(db, "auditor", hash, "auditor", 0, 0, 0, NULL)) != XYD_OK ||
	    (st = insert_user(db, "park_obv", hash, "park", 0, 0, 1, NULL)) != XYD_OK ||
	    (st = insert_user(db, "park_hzb", hash, "park", 0, 0, 2, NULL)) != XYD_OK ||
	    (st = insert_user(db, "bank_nsb", hash, "bank", 0, bank_ids[0], 0, NULL)) != XYD_OK ||
	    (st = insert_user(db, "bank_boc", hash, "bank", 0, bank_ids[1], 0, NULL)) != XYD_OK)
		return st;
	/* The other banks get an officer too, so every product has an owner. */
	for (size_t i = 2; i < sizeof banks / sizeof banks[0]; i++) {
		snprintf(username, sizeof username, "bank_%zu", i + 1);
		if ((st = insert_user(db, username, hash, "bank", 0, bank_ids[i], 0, NULL)) !=
		    XYD_OK)
			return st;
	}
	if ((st = insert_user(db, "sme_demo", hash, "sme", *demo_enterprise_id, 0, 0, NULL)) !=
	    XYD_OK)
		return st;
	return insert_products(db, bank_ids, *bureau_id);
}

static xyd_status load_enterprises(models_db *db, const models_reference *ref, int64_t batch_id,
				   int64_t demo_id)
{
	demo_rng rng = {DEMO_SEED};
	record_ctx c = {.db = db, .rng = &rng, .batch_id = batch_id, .enterprise_id = demo_id};
	xyd_status st = add_credit_records(&c, &demo_sme);
	for (int n = 0; st == XYD_OK && n < DEMO_ENTERPRISES; n++) {
		demo_enterprise e;
		make_enterprise(&rng, ref, n, &e);
		c.seq = 0;
		if ((st = insert_enterprise(db, ref, &e, &c.enterprise_id)) == XYD_CONFLICT)
			continue; /* a repeated random USCC: skip it */
		if (st == XYD_OK)
			st = add_credit_records(&c, &e);
	}
	return st;
}

xyd_status models_demo_load(models_db *db, const models_reference *ref, const char *hash)
{
	int64_t bureau = 0, demo_id = 0;
	uint64_t batch = 0;
	xyd_status st = db_begin(db);
	if (st != XYD_OK)
		return st;
	if ((st = load_accounts(db, hash, &bureau, &demo_id, ref)) != XYD_OK)
		goto out;
	st = db_run(
		db,
		"INSERT INTO credit_import_batches (imported_by, format, rows_total, rows_accepted,"
		" rows_duplicate, rows_rejected) VALUES (?, 'json', 0, 0, 0, 0)",
		(const db_param[]){DB_INT(bureau)}, 1, NULL, NULL, &batch);
	if (st != XYD_OK || (st = load_enterprises(db, ref, (int64_t)batch, demo_id)) != XYD_OK)
		goto out;
	st = DB_QUERY(
		db,
		"UPDATE credit_import_batches b SET rows_total = (SELECT COUNT(*) FROM credit_records"
		" r WHERE r.batch_id = b.id), rows_accepted = rows_total WHERE id = ?",
		NULL, DB_INT(batch));
	if (st == XYD_OK)
		st = db_commit(db);
out:
	if (st != XYD_OK)
		db_rollback(db);
	return st;
}

xyd_status models_demo_load_whitelist(models_db *db)
{
	/* After scoring: every third eligible enterprise approved by the
	 * bureau, every seventh nominated by its park or itself. */
	xyd_status st = db_begin(db);
	if (st != XYD_OK)
		return st;
	st = db_run(db,
		    "INSERT INTO whitelist_entries (enterprise_id, status, nominated_by_role,"
		    " nominated_by, reason, valid_until, decided_by, decided_at, decision_reason)"
		    " SELECT e.id, 'approved', IF(e.park_id IS NULL, 'sme', 'park'), u.id,"
		    " '有融资需求，信用记录良好', " DB_DISTRICT_TODAY
		    " + INTERVAL (200 + e.id % 165) DAY, u.id,"
		    " UTC_TIMESTAMP(6) - INTERVAL (e.id % 150) DAY, '符合白名单条件'"
		    " FROM enterprises e JOIN credit_scores s ON s.enterprise_id = e.id"
		    " JOIN users u ON u.username = 'bureau'"
		    " WHERE s.grade IN ('A', 'B', 'C') AND s.dishonest_debtor = 0 AND e.id % 3 = 1",
		    NULL, 0, NULL, NULL, NULL);
	if (st == XYD_OK)
		st = db_run(
			db,
			"INSERT INTO whitelist_entries (enterprise_id, status, nominated_by_role,"
			" nominated_by, reason) SELECT e.id, 'nominated', 'bureau', u.id,"
			" '园区推荐，申请纳入融资需求白名单' FROM enterprises e"
			" JOIN users u ON u.username = 'bureau'"
			" WHERE e.id % 7 = 3 AND e.id % 3 <> 1",
			NULL, 0, NULL, NULL, NULL);
	if (st == XYD_OK)
		st = db_commit(db);
	else
		db_rollback(db);
	return st;
}

/* ---- applications in every state ---- */

/* The stages an application passes, in order; a demo application stops at
 * one of them (rejected and withdrawn branch off after pending_bank). */
static const char *const stage_path[] = {"submitted", "pending_bank", "accepted", "approved",
					 "disbursed"};

typedef struct {
	const char *status;
	int count;
} demo_stage;

static const demo_stage demo_stages[] = {
	{"submitted", 6},  {"pending_bank", 6}, {"accepted", 4},  {"approved", 4},
	{"disbursed", 10}, {"rejected", 3},	{"withdrawn", 2}, {"expired", 2},
};

static int stage_depth(const char *status)
{
	if (strcmp(status, "rejected") == 0 || strcmp(status, "withdrawn") == 0)
		return 2; /* after pending_bank */
	for (int i = 0; i < 5; i++)
		if (strcmp(status, stage_path[i]) == 0)
			return i + 1;
	return 1;
}

static xyd_status add_event(models_db *db, int64_t app, const char *status, int days_ago, int hour,
			    const char *role)
{
	return DB_QUERY(
		db,
		"INSERT INTO application_events (application_id, status, at, by_role, by_user)"
		" VALUES (?, ?, UTC_TIMESTAMP(6) - INTERVAL ? DAY + INTERVAL ? HOUR, ?, NULL)",
		NULL, DB_INT(app), db_str(status), DB_INT(days_ago), DB_INT(hour), db_str(role));
}

/* One application of enterprise to product, taken to status. */
static xyd_status add_application(models_db *db, int64_t enterprise, int64_t product,
				  const char *status, int n)
{
	int depth = stage_depth(status), start = 40 - n % 30;
	/* Half the banks' queue is fresh, half overdue. */
	if (strcmp(status, "pending_bank") == 0 && n % 2 == 0)
		start = 2;
	/* Open demands are recent; an expired one is a demand filed 45 days
	 * ago that the server's housekeeping expires at start, as it would. */
	if (strcmp(status, "submitted") == 0)
		start = 1 + n % 5;
	if (strcmp(status, "expired") == 0) {
		status = "submitted";
		start = 45;
	}
	int64_t amount = (20 + (n * 7) % 150) * INT64_C(1000000); /* 20万 to 170万 yuan */
	uint64_t app = 0;
	bool with_product = depth >= 2;
	xyd_status st = db_run(
		db,
		"INSERT INTO applications (enterprise_id, product_id, institution_id, status, amount_fen,"
		" term_months, purpose, collateral, first_bank_loan, pending_since, response_due_at,"
		" approved_amount_fen, approved_rate_bps, approved_term_months, reject_reason, created_by,"
		" created_at) SELECT ?, IF(?, p.id, NULL), IF(?, p.institution_id, NULL), ?, ?, 12,"
		" '补充流动资金，采购原材料', 'none', ?, IF(?, UTC_TIMESTAMP(6) - INTERVAL ? DAY, NULL),"
		" IF(?, UTC_TIMESTAMP(6) - INTERVAL ? DAY + INTERVAL 5 DAY, NULL), IF(?, ?, NULL),"
		" IF(?, p.rate_min_bps + 20, NULL), IF(?, 12, NULL), IF(? = 'rejected', '经营现金流不足以覆盖还款', NULL),"
		/* enterprises without an account filed on paper, entered by the bureau */
		" COALESCE((SELECT MIN(id) FROM users WHERE enterprise_id = ?),"
		" (SELECT id FROM users WHERE username = 'bureau')),"
		" UTC_TIMESTAMP(6) - INTERVAL ? DAY FROM products p WHERE p.id = ?",
		(const db_param[]){DB_INT(enterprise), DB_INT(with_product), DB_INT(with_product),
				   db_str(status), DB_INT(amount), DB_INT(n % 3 == 0),
				   DB_INT(with_product), DB_INT(start - 1), DB_INT(with_product),
				   DB_INT(start - 1), DB_INT(depth >= 4), DB_INT(amount),
				   DB_INT(depth >= 4), DB_INT(depth >= 4), db_str(status),
				   DB_INT(enterprise), DB_INT(start), DB_INT(product)},
		18, NULL, NULL, &app);
	for (int i = 0; st == XYD_OK && i < depth; i++)
		st = add_event(db, (int64_t)app, stage_path[i], start - i, 1 + i,
			       i == 0 || i == 1 ? "sme" : "bank");
	if (st == XYD_OK && depth == 2 && strcmp(status, "pending_bank") != 0)
		st = add_event(db, (int64_t)app, status, start - 2, 3,
			       strcmp(status, "rejected") == 0 ? "bank" : "sme");
	if (st == XYD_OK && with_product) /* submitting authorised the bank */
		st = DB_QUERY(
			db,
			"INSERT INTO credit_authorizations (enterprise_id, institution_id, source,"
			" application_id, granted_by, granted_at, expires_at) SELECT a.enterprise_id,"
			" a.institution_id, 'application', a.id, a.created_by, a.pending_since,"
			" a.pending_since + INTERVAL 180 DAY FROM applications a WHERE a.id = ?",
			NULL, DB_INT(app));
	if (st == XYD_OK && depth == 5)
		st = DB_QUERY(
			db,
			"INSERT INTO loans (application_id, enterprise_id, institution_id, product_id,"
			" program_id, principal_fen, outstanding_fen, rate_bps, term_months, disbursed_on,"
			" maturity_on, fund_bps, bank_bps, guarantor_bps) SELECT a.id, a.enterprise_id,"
			" a.institution_id, a.product_id, p.program_id, a.approved_amount_fen,"
			" a.approved_amount_fen, a.approved_rate_bps, 12, DATE(a.pending_since) + INTERVAL 4 DAY,"
			" DATE(a.pending_since) + INTERVAL 4 DAY + INTERVAL 12 MONTH,"
			" COALESCE(g.fund_share_bps, 0), COALESCE(g.bank_share_bps, 10000),"
			" COALESCE(g.guarantor_share_bps, 0) FROM applications a"
			" JOIN products p ON p.id = a.product_id LEFT JOIN programs g ON g.id = p.program_id"
			" WHERE a.id = ?",
			NULL, DB_INT(app));
	return st;
}

xyd_status models_demo_load_applications(models_db *db)
{
	db_result ents = {0}, prods = {0};
	xyd_status st = db_begin(db);
	if (st != XYD_OK)
		return st;
	/* Whitelisted enterprises of good standing, and the products without
	 * industry or tag conditions that such an enterprise meets. */
	st = db_run(db,
		    "SELECT e.id FROM enterprises e JOIN credit_scores s ON s.enterprise_id = e.id"
		    " JOIN whitelist_entries w ON w.enterprise_id = e.id AND w.status = 'approved'"
		    " WHERE s.grade IN ('A', 'B') ORDER BY e.id LIMIT 40",
		    NULL, 0, &ents, NULL, NULL);
	if (st == XYD_OK)
		st = db_run(
			db,
			"SELECT id FROM products WHERE industries = '' AND required_tags = ''"
			" AND collateral = 'none' AND status = 'active' AND amount_max_fen >= 200000000"
			" ORDER BY id",
			NULL, 0, &prods, NULL, NULL);
	int n = 0;
	for (size_t s = 0; st == XYD_OK && s < sizeof demo_stages / sizeof demo_stages[0]; s++)
		for (int k = 0; st == XYD_OK && k < demo_stages[s].count &&
				(size_t)n < ents.nrows && prods.nrows;
		     k++, n++)
			st = add_application(db, db_cell_int(&ents, (size_t)n, 0),
					     db_cell_int(&prods, (size_t)n % prods.nrows, 0),
					     demo_stages[s].status, n);
	db_result_release(&ents);
	db_result_release(&prods);
	if (st == XYD_OK)
		st = db_commit(db);
	else
		db_rollback(db);
	return st;
}
