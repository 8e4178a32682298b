/* The demo district: see demo.h. */
#include "models/demo.h"

#include <stdio.h>

#include "models/db_internal.h"

static const demo_account accounts[] = {
	{"bureau", "bureau", "奉贤区财政局 district finance bureau"},
	{"auditor", "auditor", "security auditor"},
	{"park_obv", "park", "东方美谷 Oriental Beauty Valley"},
	{"bank_nsb", "bank", "农商银行奉贤支行"},
	{"bank_boc", "bank", "中国银行奉贤支行"},
	{"sme_demo", "sme", "上海美谷生物科技有限公司"},
};

const demo_account *models_demo_accounts(size_t *count)
{
	*count = sizeof accounts / sizeof accounts[0];
	return accounts;
}

static xyd_status insert_user(models_db *db, const char *username, const char *hash,
			      const char *role, int64_t enterprise, int64_t institution, int64_t park)
{
	return DB_QUERY(db,
			"INSERT INTO users (username, password_hash, role, enterprise_id,"
			" institution_id, park_id) VALUES (?, ?, ?, ?, ?, ?)",
			NULL, db_str(username), db_str(hash), db_str(role),
			db_opt_int(enterprise > 0, enterprise), db_opt_int(institution > 0, institution),
			db_opt_int(park > 0, park));
}

static xyd_status insert_institution(models_db *db, const char *name, int64_t *id)
{
	uint64_t new_id = 0;
	xyd_status st = db_run(db, "INSERT INTO institutions (name, kind) VALUES (?, 'bank')",
			       (const db_param[]){db_str(name)}, 1, NULL, NULL, &new_id);
	*id = (int64_t)new_id;
	return st;
}

static xyd_status insert_demo_enterprise(models_db *db, const models_reference *ref, int64_t *id)
{
	uint64_t new_id = 0;
	const char *size = models_reference_size_class(ref, "C26", 45, INT64_C(2800000000), -1);
	xyd_status st = db_run(
		db,
		"INSERT INTO enterprises (uscc, name, legal_rep_name, legal_rep_id_no, phone,"
		" industry, industry_section, town, park_id, registered_capital_fen, founded_on,"
		" employees, annual_revenue_fen, size_class) VALUES"
		" ('91310120MA1H2D3E4E', '上海美谷生物科技有限公司', '张美华', '310120198709274536',"
		" '13812345678', 'C26', 'C', 'nanqiao', 1, 500000000, '2016-04-18', 45, 2800000000, ?)",
		(const db_param[]){db_str(size)}, 1, NULL, NULL, &new_id);
	*id = (int64_t)new_id;
	return st;
}

xyd_status models_demo_load(models_db *db, const models_reference *ref, const char *hash)
{
	int64_t nsb = 0, boc = 0, ent = 0;
	xyd_status st = db_begin(db);
	if (st != XYD_OK)
		return st;
	if ((st = insert_institution(db, "农商银行奉贤支行", &nsb)) != XYD_OK ||
	    (st = insert_institution(db, "中国银行奉贤支行", &boc)) != XYD_OK ||
	    (st = insert_demo_enterprise(db, ref, &ent)) != XYD_OK ||
	    (st = insert_user(db, "bureau", hash, "bureau", 0, 0, 0)) != XYD_OK ||
	    (st = insert_user(db, "auditor", hash, "auditor", 0, 0, 0)) != XYD_OK ||
	    (st = insert_user(db, "park_obv", hash, "park", 0, 0, 1)) != XYD_OK ||
	    (st = insert_user(db, "bank_nsb", hash, "bank", 0, nsb, 0)) != XYD_OK ||
	    (st = insert_user(db, "bank_boc", hash, "bank", 0, boc, 0)) != XYD_OK ||
	    (st = insert_user(db, "sme_demo", hash, "sme", ent, 0, 0)) != XYD_OK)
		goto out;
	st = db_commit(db);
out:
	if (st != XYD_OK)
		db_rollback(db);
	return st;
}
