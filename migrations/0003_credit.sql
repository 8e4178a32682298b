-- Credit: enterprise tags and cached scores, credit records from the
-- departments, versioned scorecards, consent to read credit detail, and the
-- financing whitelist (融资需求企业白名单).

ALTER TABLE enterprises
	ADD COLUMN tags SET('hi_tech','specialized','tech_sme','agri_entity','integrity_model') NOT NULL DEFAULT '',
	ADD COLUMN total_assets_fen BIGINT NULL,
	ADD CONSTRAINT ck_enterprises_assets CHECK (total_assets_fen IS NULL OR total_assets_fen >= 0);

-- One row per fact from one source department. (source_dept,
-- source_record_id) is the import's idempotency key. The primary key keeps
-- an enterprise's records together, so scoring reads them in one range; the
-- score_* columns are what scoring reads of value_json, decoded once when
-- the row is written (server/credit_weights.c checks the same shapes first).
CREATE TABLE credit_records (
	id BIGINT NOT NULL AUTO_INCREMENT,
	enterprise_id BIGINT NOT NULL,
	category ENUM('tax_rating','social_security','housing_fund','utility_arrears','patent',
		'trademark','rnd_expense','env_rating','admin_penalty','dishonest_debtor','commitment',
		'commitment_breach','award','repair') NOT NULL,
	value_json VARCHAR(4096) NOT NULL,
	-- Identifiers of the source: compared exactly (case, trailing spaces).
	source_dept VARCHAR(64) COLLATE utf8mb4_nopad_bin NOT NULL,
	source_record_id VARCHAR(64) COLLATE utf8mb4_nopad_bin NOT NULL,
	observed_on DATE NOT NULL,
	expires_on DATE NULL,
	minor_party TINYINT(1) NOT NULL DEFAULT 0,
	force_majeure TINYINT(1) NOT NULL DEFAULT 0,
	batch_id BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	-- the grade, kind or severity as its place in api.md's list (0-based)
	score_kind TINYINT AS (CASE category
		WHEN 'tax_rating' THEN FIELD(JSON_VALUE(value_json, '$.grade'), 'A', 'B', 'M', 'C', 'D') - 1
		WHEN 'patent' THEN FIELD(JSON_VALUE(value_json, '$.kind'), 'invention', 'utility', 'design') - 1
		WHEN 'env_rating' THEN FIELD(JSON_VALUE(value_json, '$.grade'), 'green', 'blue', 'yellow', 'red', 'black') - 1
		WHEN 'admin_penalty' THEN FIELD(JSON_VALUE(value_json, '$.severity'), 'minor', 'general', 'serious') - 1
		ELSE 0 END) STORED,
	score_year SMALLINT AS (CASE WHEN category IN ('tax_rating', 'rnd_expense')
		THEN JSON_VALUE(value_json, '$.year') ELSE 0 END) STORED,
	-- months paid, months overdue, patents or trademarks
	score_count BIGINT AS (CASE category
		WHEN 'social_security' THEN JSON_VALUE(value_json, '$.months_paid')
		WHEN 'housing_fund' THEN JSON_VALUE(value_json, '$.months_paid')
		WHEN 'utility_arrears' THEN JSON_VALUE(value_json, '$.months_overdue')
		WHEN 'patent' THEN JSON_VALUE(value_json, '$.count')
		WHEN 'trademark' THEN JSON_VALUE(value_json, '$.count')
		ELSE 0 END) STORED,
	score_amount_fen BIGINT AS (CASE WHEN category IN ('utility_arrears', 'rnd_expense', 'admin_penalty')
		THEN JSON_VALUE(value_json, '$.amount_fen') ELSE 0 END) STORED,
	score_repairs VARCHAR(64) COLLATE utf8mb4_nopad_bin AS (CASE WHEN category = 'repair'
		THEN JSON_VALUE(value_json, '$.repairs_source_record_id') END) STORED,
	PRIMARY KEY (enterprise_id, id),
	UNIQUE KEY uq_credit_records_id (id),
	UNIQUE KEY uq_credit_records_source (source_dept, source_record_id),
	KEY ix_credit_records_batch (batch_id),
	CONSTRAINT fk_credit_records_enterprise FOREIGN KEY (enterprise_id) REFERENCES enterprises (id),
	CONSTRAINT ck_credit_records_value CHECK (JSON_VALID(value_json)),
	CONSTRAINT ck_credit_records_expiry CHECK (expires_on IS NULL OR expires_on >= observed_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE credit_import_batches (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	imported_by BIGINT NOT NULL,
	format ENUM('json','csv') NOT NULL,
	rows_total INT NOT NULL,
	rows_accepted INT NOT NULL,
	rows_duplicate INT NOT NULL,
	rows_rejected INT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	CONSTRAINT fk_credit_import_user FOREIGN KEY (imported_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Scorecards: weights as data. Exactly one version is active: is_active is
-- 1 for it and NULL for every other, and a unique key allows one 1.
-- id orders the versions for listing (the cursor); version names them.
CREATE TABLE credit_models (
	version VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
	id BIGINT NOT NULL AUTO_INCREMENT,
	weights_json TEXT NOT NULL,
	is_active TINYINT(1) NULL,
	created_by BIGINT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	activated_at DATETIME(6) NULL,
	UNIQUE KEY uq_credit_models_id (id),
	UNIQUE KEY uq_credit_models_active (is_active),
	CONSTRAINT ck_credit_models_active CHECK (is_active IS NULL OR is_active = 1),
	CONSTRAINT ck_credit_models_weights CHECK (JSON_VALID(weights_json))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The latest score of each enterprise, with every factor's explanation.
CREATE TABLE credit_scores (
	enterprise_id BIGINT NOT NULL PRIMARY KEY,
	model_version VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	score SMALLINT NOT NULL,
	grade CHAR(1) NOT NULL,
	dishonest_debtor TINYINT(1) NOT NULL,
	broken_commitments INT NOT NULL,
	factors_json TEXT NOT NULL,
	computed_at DATETIME(6) NOT NULL,
	KEY ix_credit_scores_grade (grade, score),
	CONSTRAINT fk_credit_scores_enterprise FOREIGN KEY (enterprise_id) REFERENCES enterprises (id),
	CONSTRAINT fk_credit_scores_model FOREIGN KEY (model_version) REFERENCES credit_models (version),
	CONSTRAINT ck_credit_scores_score CHECK (score BETWEEN 0 AND 1000),
	CONSTRAINT ck_credit_scores_grade CHECK (grade IN ('A','B','C','D'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An enterprise's consent that an institution may read its credit detail.
CREATE TABLE credit_authorizations (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	enterprise_id BIGINT NOT NULL,
	institution_id BIGINT NOT NULL,
	source ENUM('explicit','application') NOT NULL,
	application_id BIGINT NULL,
	granted_by BIGINT NOT NULL,
	granted_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	expires_at DATETIME(6) NOT NULL,
	revoked_at DATETIME(6) NULL,
	KEY ix_credit_auth_lookup (enterprise_id, institution_id, expires_at),
	CONSTRAINT fk_credit_auth_enterprise FOREIGN KEY (enterprise_id) REFERENCES enterprises (id),
	CONSTRAINT fk_credit_auth_institution FOREIGN KEY (institution_id) REFERENCES institutions (id),
	CONSTRAINT fk_credit_auth_user FOREIGN KEY (granted_by) REFERENCES users (id),
	CONSTRAINT ck_credit_auth_expiry CHECK (expires_at > granted_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE whitelist_entries (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	enterprise_id BIGINT NOT NULL,
	status ENUM('nominated','approved','rejected','revoked') NOT NULL,
	nominated_by_role ENUM('sme','park','bureau') NOT NULL,
	nominated_by BIGINT NOT NULL,
	reason VARCHAR(500) NOT NULL,
	valid_until DATE NULL,
	decided_by BIGINT NULL,
	decided_at DATETIME(6) NULL,
	decision_reason VARCHAR(500) NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	KEY ix_whitelist_enterprise (enterprise_id, status),
	KEY ix_whitelist_status (status, valid_until),
	CONSTRAINT fk_whitelist_enterprise FOREIGN KEY (enterprise_id) REFERENCES enterprises (id),
	CONSTRAINT fk_whitelist_nominator FOREIGN KEY (nominated_by) REFERENCES users (id),
	CONSTRAINT fk_whitelist_decider FOREIGN KEY (decided_by) REFERENCES users (id),
	CONSTRAINT ck_whitelist_approved CHECK (status <> 'approved' OR valid_until IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Scorecard v1 of api.md, active from the start.
INSERT INTO credit_models (version, weights_json, is_active, activated_at) VALUES ('v1', '{
 "base": 400,
 "tax_rating": {"A": 200, "B": 150, "M": 100, "C": 20, "D": -100, "none": 60},
 "social_security_per_month": 10, "social_security_max": 120,
 "housing_fund_per_month": 5, "housing_fund_max": 60,
 "utility_arrears_per_month": -30, "utility_arrears_min": -90,
 "patent_invention": 20, "patent_utility": 8, "patent_design": 8, "patents_max": 100,
 "trademark_each": 5, "trademarks_max": 30,
 "rnd_per_100k_yuan": 1, "rnd_max": 60,
 "env_rating": {"green": 40, "blue": 20, "yellow": 0, "red": -80, "black": -200},
 "years_per_year": 10, "years_max": 50,
 "award_each": 20, "awards_max": 40,
 "commitment_kept_each": 5, "commitments_kept_max": 20, "commitment_broken_each": -60,
 "penalty_minor": 0, "penalty_general": -50, "penalty_serious": -150, "penalty_window_years": 3,
 "dishonest_debtor_score_cap": 499,
 "grade_a_min": 800, "grade_b_min": 650, "grade_c_min": 500
}', 1, UTC_TIMESTAMP(6));
