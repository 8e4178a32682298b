-- Products and programmes: the risk compensation funds programmes draw on
-- (only what a programme needs to name one; the ledger adds balances), the
-- programmes parks run (东方美谷贷 …), the loan products institutions
-- publish, a park's recommendations of its programme to enterprises, and
-- the notifications users read.

CREATE TABLE funds (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(200) NOT NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	UNIQUE KEY uq_funds_name (name),
	CONSTRAINT fk_funds_creator FOREIGN KEY (created_by) REFERENCES users (id),
	CONSTRAINT ck_funds_name CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 200)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A programme belongs to one park. The loss-sharing split between fund,
-- bank and guarantor is in basis points summing to 10,000; a loan copies it
-- at disbursement, so a later change applies to later loans only.
-- max_amount_per_enterprise_fen NULL: no cap.
CREATE TABLE programs (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(200) NOT NULL,
	park_id INT NOT NULL,
	description VARCHAR(2000) NOT NULL DEFAULT '',
	fund_id BIGINT NULL,
	fund_share_bps INT NOT NULL,
	bank_share_bps INT NOT NULL,
	guarantor_share_bps INT NOT NULL,
	interest_subsidy_bps INT NOT NULL DEFAULT 0,
	max_amount_per_enterprise_fen BIGINT NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	UNIQUE KEY uq_programs_name (name),
	KEY ix_programs_park (park_id),
	KEY ix_programs_fund (fund_id),
	CONSTRAINT fk_programs_park FOREIGN KEY (park_id) REFERENCES parks (id),
	CONSTRAINT fk_programs_fund FOREIGN KEY (fund_id) REFERENCES funds (id),
	CONSTRAINT fk_programs_creator FOREIGN KEY (created_by) REFERENCES users (id),
	CONSTRAINT ck_programs_name CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 200),
	CONSTRAINT ck_programs_fund_share CHECK (fund_share_bps BETWEEN 0 AND 10000),
	CONSTRAINT ck_programs_bank_share CHECK (bank_share_bps BETWEEN 0 AND 10000),
	CONSTRAINT ck_programs_guarantor_share CHECK (guarantor_share_bps BETWEEN 0 AND 10000),
	CONSTRAINT ck_programs_shares_sum CHECK (fund_share_bps + bank_share_bps + guarantor_share_bps = 10000),
	CONSTRAINT ck_programs_subsidy CHECK (interest_subsidy_bps BETWEEN 0 AND 3600),
	CONSTRAINT ck_programs_cap CHECK (max_amount_per_enterprise_fen IS NULL OR max_amount_per_enterprise_fen > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A loan product of one institution. The eligibility lists are
-- comma-separated with no spaces ('' for no condition): industries are
-- GB/T 4754 prefixes ('C,F51'), towns are town codes, park_ids park ids.
-- A NULL minimum is no condition. monthly_capacity is how many new
-- applications a month the product takes (matching's batch pairing).
CREATE TABLE products (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	institution_id BIGINT NOT NULL,
	program_id BIGINT NULL,
	name VARCHAR(200) NOT NULL,
	kind ENUM('credit','guarantee','mortgage','ip_pledge','receivables') NOT NULL,
	amount_min_fen BIGINT NOT NULL,
	amount_max_fen BIGINT NOT NULL,
	rate_min_bps INT NOT NULL,
	rate_max_bps INT NOT NULL,
	term_min_months INT NOT NULL,
	term_max_months INT NOT NULL,
	collateral ENUM('none','property','ip','equipment','receivables') NOT NULL,
	min_grade CHAR(1) CHARACTER SET ascii COLLATE ascii_bin NULL,
	min_score SMALLINT NULL,
	industries VARCHAR(200) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
	towns VARCHAR(600) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
	park_ids VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
	min_years INT NULL,
	min_revenue_fen BIGINT NULL,
	required_tags SET('hi_tech','specialized','tech_sme','agri_entity','integrity_model') NOT NULL DEFAULT '',
	whitelist_only TINYINT(1) NOT NULL DEFAULT 0,
	monthly_capacity INT NOT NULL,
	status ENUM('draft','active','paused','retired') NOT NULL,
	description VARCHAR(2000) NOT NULL DEFAULT '',
	created_by BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	KEY ix_products_status (status, id),
	KEY ix_products_institution (institution_id, id),
	KEY ix_products_program (program_id, status),
	CONSTRAINT fk_products_institution FOREIGN KEY (institution_id) REFERENCES institutions (id),
	CONSTRAINT fk_products_program FOREIGN KEY (program_id) REFERENCES programs (id),
	CONSTRAINT fk_products_creator FOREIGN KEY (created_by) REFERENCES users (id),
	CONSTRAINT ck_products_name CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 200),
	CONSTRAINT ck_products_amount CHECK (amount_min_fen >= 1 AND amount_min_fen <= amount_max_fen),
	CONSTRAINT ck_products_rate CHECK (rate_min_bps >= 1 AND rate_min_bps <= rate_max_bps AND rate_max_bps <= 3600),
	CONSTRAINT ck_products_term CHECK (term_min_months >= 1 AND term_min_months <= term_max_months AND term_max_months <= 360),
	CONSTRAINT ck_products_grade CHECK (min_grade IS NULL OR min_grade IN ('A','B','C','D')),
	CONSTRAINT ck_products_score CHECK (min_score IS NULL OR min_score BETWEEN 0 AND 1000),
	CONSTRAINT ck_products_years CHECK (min_years IS NULL OR min_years >= 0),
	CONSTRAINT ck_products_revenue CHECK (min_revenue_fen IS NULL OR min_revenue_fen >= 0),
	CONSTRAINT ck_products_capacity CHECK (monthly_capacity BETWEEN 0 AND 100000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per (programme, enterprise) a park recommended it to; a second
-- recommendation replaces the message and keeps viewed_at. viewed_at is
-- set when one of the enterprise's users reads the recommendation's
-- notification.
CREATE TABLE program_recommendations (
	program_id BIGINT NOT NULL,
	enterprise_id BIGINT NOT NULL,
	recommended_by BIGINT NOT NULL,
	message VARCHAR(500) NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	viewed_at DATETIME(6) NULL,
	PRIMARY KEY (program_id, enterprise_id),
	KEY ix_program_recommendations_enterprise (enterprise_id),
	CONSTRAINT fk_program_recommendations_program FOREIGN KEY (program_id) REFERENCES programs (id),
	CONSTRAINT fk_program_recommendations_enterprise FOREIGN KEY (enterprise_id) REFERENCES enterprises (id),
	CONSTRAINT fk_program_recommendations_user FOREIGN KEY (recommended_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A message to one user. kind says what happened ('program.recommended'
-- …); ref_type and ref_id name what it is about ('program', 12), or are
-- NULL. read_at is set once, by the user.
CREATE TABLE notifications (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT NOT NULL,
	kind VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	title VARCHAR(200) NOT NULL,
	body VARCHAR(2000) NOT NULL DEFAULT '',
	ref_type VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
	ref_id BIGINT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	read_at DATETIME(6) NULL,
	KEY ix_notifications_user (user_id, id),
	KEY ix_notifications_ref (ref_type, ref_id),
	CONSTRAINT fk_notifications_user FOREIGN KEY (user_id) REFERENCES users (id),
	CONSTRAINT ck_notifications_kind CHECK (CHAR_LENGTH(kind) BETWEEN 1 AND 40),
	CONSTRAINT ck_notifications_ref CHECK ((ref_type IS NULL) = (ref_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
