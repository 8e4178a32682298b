-- Applications (融资需求) and their timeline, the loans disbursement
-- creates, the public holidays that decide a bank's response deadline, and
-- the idempotency keys that make money-moving POSTs safe to retry.

-- An enterprise's financing demand. product_id and institution_id are set
-- when it is submitted to a product (pending_bank); the approved_* terms
-- when the bank approves. pending_since / response_due_at time the bank's
-- answer: response_due_at is 3 working days after pending_since (computed
-- in C from public_holidays), and a pending_bank application past it is
-- overdue. first_bank_loan is the enterprise's own declaration that this
-- would be its first bank loan (首贷户), for the statistics.
CREATE TABLE applications (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	enterprise_id BIGINT NOT NULL,
	product_id BIGINT NULL,
	institution_id BIGINT NULL,
	status ENUM('submitted','pending_bank','accepted','approved','disbursed','rejected','withdrawn','expired') NOT NULL,
	amount_fen BIGINT NOT NULL,
	term_months INT NOT NULL,
	purpose VARCHAR(500) NOT NULL,
	collateral ENUM('none','property','ip','equipment','receivables') NOT NULL,
	first_bank_loan TINYINT(1) NOT NULL DEFAULT 0,
	pending_since DATETIME(6) NULL,
	response_due_at DATETIME(6) NULL,
	approved_amount_fen BIGINT NULL,
	approved_rate_bps INT NULL,
	approved_term_months INT NULL,
	reject_reason VARCHAR(500) NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	KEY ix_applications_enterprise (enterprise_id, id),
	KEY ix_applications_institution (institution_id, id),
	KEY ix_applications_product (product_id, pending_since),
	KEY ix_applications_status (status, id),
	KEY ix_applications_due (status, response_due_at),
	CONSTRAINT fk_applications_enterprise FOREIGN KEY (enterprise_id) REFERENCES enterprises (id),
	CONSTRAINT fk_applications_product FOREIGN KEY (product_id) REFERENCES products (id),
	CONSTRAINT fk_applications_institution FOREIGN KEY (institution_id) REFERENCES institutions (id),
	CONSTRAINT fk_applications_creator FOREIGN KEY (created_by) REFERENCES users (id),
	CONSTRAINT ck_applications_amount CHECK (amount_fen >= 1 AND amount_fen <= 1000000000000000),
	CONSTRAINT ck_applications_term CHECK (term_months BETWEEN 1 AND 360),
	CONSTRAINT ck_applications_purpose CHECK (CHAR_LENGTH(purpose) BETWEEN 1 AND 500),
	CONSTRAINT ck_applications_product CHECK (status = 'submitted' OR status = 'withdrawn'
		OR status = 'expired' OR status = 'rejected' OR (product_id IS NOT NULL AND institution_id IS NOT NULL)),
	CONSTRAINT ck_applications_approved CHECK (status NOT IN ('approved','disbursed')
		OR (approved_amount_fen IS NOT NULL AND approved_rate_bps IS NOT NULL AND approved_term_months IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The institutions the enterprise named when it filed the demand; each
-- got an application-based consent (credit_authorizations, source
-- 'application').
CREATE TABLE application_authorized_institutions (
	application_id BIGINT NOT NULL,
	institution_id BIGINT NOT NULL,
	PRIMARY KEY (application_id, institution_id),
	KEY ix_app_auth_institution (institution_id),
	CONSTRAINT fk_app_auth_application FOREIGN KEY (application_id) REFERENCES applications (id),
	CONSTRAINT fk_app_auth_institution FOREIGN KEY (institution_id) REFERENCES institutions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The timeline: one row per state an application entered (the first is
-- 'submitted', at creation), who moved it, and an optional note (a
-- rejection's reason). Response times are measured from these rows.
CREATE TABLE application_events (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	application_id BIGINT NOT NULL,
	status ENUM('submitted','pending_bank','accepted','approved','disbursed','rejected','withdrawn','expired') NOT NULL,
	at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	by_role VARCHAR(16) NOT NULL,
	by_user BIGINT NULL,
	note VARCHAR(500) NULL,
	KEY ix_application_events_app (application_id, id),
	KEY ix_application_events_status (status, at),
	CONSTRAINT fk_application_events_app FOREIGN KEY (application_id) REFERENCES applications (id),
	CONSTRAINT fk_application_events_user FOREIGN KEY (by_user) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A loan, created by disbursing an approved application (one loan per
-- application). fund/bank/guarantor_bps snapshot the programme's
-- loss-sharing split at disbursement (a product outside any programme:
-- fund 0, bank 10000, guarantor 0). The ledger issue adds repayments and
-- claims.
CREATE TABLE loans (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	application_id BIGINT NOT NULL,
	enterprise_id BIGINT NOT NULL,
	institution_id BIGINT NOT NULL,
	product_id BIGINT NOT NULL,
	program_id BIGINT NULL,
	principal_fen BIGINT NOT NULL,
	outstanding_fen BIGINT NOT NULL,
	rate_bps INT NOT NULL,
	term_months INT NOT NULL,
	disbursed_on DATE NOT NULL,
	maturity_on DATE NOT NULL,
	status ENUM('performing','overdue','defaulted','repaid') NOT NULL DEFAULT 'performing',
	fund_bps INT NOT NULL,
	bank_bps INT NOT NULL,
	guarantor_bps INT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	UNIQUE KEY uq_loans_application (application_id),
	KEY ix_loans_enterprise (enterprise_id, id),
	KEY ix_loans_institution (institution_id, id),
	KEY ix_loans_program (program_id, status),
	KEY ix_loans_disbursed (disbursed_on),
	CONSTRAINT fk_loans_application FOREIGN KEY (application_id) REFERENCES applications (id),
	CONSTRAINT fk_loans_enterprise FOREIGN KEY (enterprise_id) REFERENCES enterprises (id),
	CONSTRAINT fk_loans_institution FOREIGN KEY (institution_id) REFERENCES institutions (id),
	CONSTRAINT fk_loans_product FOREIGN KEY (product_id) REFERENCES products (id),
	CONSTRAINT fk_loans_program FOREIGN KEY (program_id) REFERENCES programs (id),
	CONSTRAINT ck_loans_principal CHECK (principal_fen > 0),
	CONSTRAINT ck_loans_outstanding CHECK (outstanding_fen BETWEEN 0 AND principal_fen),
	CONSTRAINT ck_loans_rate CHECK (rate_bps BETWEEN 1 AND 3600),
	CONSTRAINT ck_loans_term CHECK (term_months BETWEEN 1 AND 360),
	CONSTRAINT ck_loans_maturity CHECK (maturity_on > disbursed_on),
	CONSTRAINT ck_loans_fund_bps CHECK (fund_bps BETWEEN 0 AND 10000),
	CONSTRAINT ck_loans_bank_bps CHECK (bank_bps BETWEEN 0 AND 10000),
	CONSTRAINT ck_loans_guarantor_bps CHECK (guarantor_bps BETWEEN 0 AND 10000),
	CONSTRAINT ck_loans_shares_sum CHECK (fund_bps + bank_bps + guarantor_bps = 10000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The answer a POST gave, by (user, Idempotency-Key), written in the same
-- transaction as the change it answers: a retry with the same key, method,
-- path and body (SHA-256 of the raw bytes) gets this answer again and
-- changes nothing. Kept at least 24 hours; rows older than 48 hours are
-- purged as new keys arrive.
CREATE TABLE idempotency_keys (
	user_id BIGINT NOT NULL,
	idem_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	method VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	path VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	body_sha256 CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	status_code SMALLINT NOT NULL,
	response_body MEDIUMTEXT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	PRIMARY KEY (user_id, idem_key),
	KEY ix_idempotency_keys_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Mainland public holidays (days off) and 调休 working days (weekend days
-- that are working days, is_workday = 1). A day not listed is a working day
-- from Monday to Friday. The bureau adds more (POST /api/v1/holidays).
-- Seeded from the State Council General Office's notices on the holiday
-- arrangements for 2025 (国办发明电〔2024〕12号) and 2026 (published
-- November 2025). 2027's arrangement is not published yet (it comes each
-- November for the year after): only its fixed-date statutory days are
-- seeded (元旦 1 Jan, 劳动节 1-2 May, 国庆节 1-3 Oct, per the 2024 revision
-- of the national holiday rules); the bureau adds the lunar holidays and
-- the 调休 days once the notice is out.
CREATE TABLE public_holidays (
	day DATE NOT NULL PRIMARY KEY,
	name VARCHAR(100) NOT NULL,
	is_workday TINYINT(1) NOT NULL DEFAULT 0,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	CONSTRAINT ck_public_holidays_name CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 100),
	CONSTRAINT ck_public_holidays_workday CHECK (is_workday IN (0, 1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO public_holidays (day, name, is_workday) VALUES
	-- 2025
	('2025-01-01', '元旦', 0),
	('2025-01-26', '春节调休上班', 1),
	('2025-01-28', '春节', 0), ('2025-01-29', '春节', 0), ('2025-01-30', '春节', 0),
	('2025-01-31', '春节', 0), ('2025-02-01', '春节', 0), ('2025-02-02', '春节', 0),
	('2025-02-03', '春节', 0), ('2025-02-04', '春节', 0),
	('2025-02-08', '春节调休上班', 1),
	('2025-04-04', '清明节', 0), ('2025-04-05', '清明节', 0), ('2025-04-06', '清明节', 0),
	('2025-04-27', '劳动节调休上班', 1),
	('2025-05-01', '劳动节', 0), ('2025-05-02', '劳动节', 0), ('2025-05-03', '劳动节', 0),
	('2025-05-04', '劳动节', 0), ('2025-05-05', '劳动节', 0),
	('2025-05-31', '端午节', 0), ('2025-06-01', '端午节', 0), ('2025-06-02', '端午节', 0),
	('2025-09-28', '国庆节调休上班', 1),
	('2025-10-01', '国庆节、中秋节', 0), ('2025-10-02', '国庆节、中秋节', 0),
	('2025-10-03', '国庆节、中秋节', 0), ('2025-10-04', '国庆节、中秋节', 0),
	('2025-10-05', '国庆节、中秋节', 0), ('2025-10-06', '国庆节、中秋节', 0),
	('2025-10-07', '国庆节、中秋节', 0), ('2025-10-08', '国庆节、中秋节', 0),
	('2025-10-11', '国庆节调休上班', 1),
	-- 2026
	('2026-01-01', '元旦', 0), ('2026-01-02', '元旦', 0), ('2026-01-03', '元旦', 0),
	('2026-01-04', '元旦调休上班', 1),
	('2026-02-14', '春节调休上班', 1),
	('2026-02-15', '春节', 0), ('2026-02-16', '春节', 0), ('2026-02-17', '春节', 0),
	('2026-02-18', '春节', 0), ('2026-02-19', '春节', 0), ('2026-02-20', '春节', 0),
	('2026-02-21', '春节', 0), ('2026-02-22', '春节', 0), ('2026-02-23', '春节', 0),
	('2026-02-28', '春节调休上班', 1),
	('2026-04-04', '清明节', 0), ('2026-04-05', '清明节', 0), ('2026-04-06', '清明节', 0),
	('2026-05-01', '劳动节', 0), ('2026-05-02', '劳动节', 0), ('2026-05-03', '劳动节', 0),
	('2026-05-04', '劳动节', 0), ('2026-05-05', '劳动节', 0),
	('2026-05-09', '劳动节调休上班', 1),
	('2026-06-19', '端午节', 0), ('2026-06-20', '端午节', 0), ('2026-06-21', '端午节', 0),
	('2026-09-20', '国庆节调休上班', 1),
	('2026-09-25', '中秋节', 0), ('2026-09-26', '中秋节', 0), ('2026-09-27', '中秋节', 0),
	('2026-10-01', '国庆节', 0), ('2026-10-02', '国庆节', 0), ('2026-10-03', '国庆节', 0),
	('2026-10-04', '国庆节', 0), ('2026-10-05', '国庆节', 0), ('2026-10-06', '国庆节', 0),
	('2026-10-07', '国庆节', 0),
	('2026-10-10', '国庆节调休上班', 1),
	-- 2027: fixed-date statutory days only (see above)
	('2027-01-01', '元旦', 0),
	('2027-05-01', '劳动节', 0), ('2027-05-02', '劳动节', 0),
	('2027-10-01', '国庆节', 0), ('2027-10-02', '国庆节', 0), ('2027-10-03', '国庆节', 0);
