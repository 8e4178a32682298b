-- The risk-sharing ledger (风险缓释和共担): double-entry accounts with their
-- journals and postings, the money movements of loans (repayments, claims,
-- recoveries, interest subsidies) and the district's fund limits.
--
-- Sign convention: a posting adds amount_fen to its account's balance; the
-- postings of one journal sum to zero. A fund's cash is positive; the
-- bureau's budget goes negative as it funds deposits and subsidies; a
-- party's share of a paid loss is negative on its own account (fund cash,
-- guarantor_share, institution_loss) and the settled loss positive on the
-- bank's institution_claim_receivable; recoveries post the reverse.

-- Each fund's limits (the district's rules from comparable funds): paid
-- claims in a calendar year at most annual_claims_cap_bps of its
-- programme's disbursed principal; a bank whose overdue rate in one of its
-- programmes passes overdue_suspension_bps is suspended there.
ALTER TABLE funds
	ADD COLUMN annual_claims_cap_bps INT NOT NULL DEFAULT 250,
	ADD COLUMN overdue_suspension_bps INT NOT NULL DEFAULT 500,
	ADD CONSTRAINT ck_funds_cap CHECK (annual_claims_cap_bps BETWEEN 0 AND 10000),
	ADD CONSTRAINT ck_funds_suspension CHECK (overdue_suspension_bps BETWEEN 1 AND 10000);

-- The guarantor institution that bears guarantor_share_bps of a loss (NULL:
-- the guarantor's share posts to the programme's own guarantor_share
-- account until one is named).
ALTER TABLE programs
	ADD COLUMN guarantor_institution_id BIGINT NULL,
	ADD CONSTRAINT fk_programs_guarantor FOREIGN KEY (guarantor_institution_id) REFERENCES institutions (id);

-- defaulted_on: the as_of day of the report that defaulted the loan (the
-- statistics count defaults by it); overdue_days / overdue_as_of: the last
-- overdue report.
ALTER TABLE loans
	ADD COLUMN defaulted_on DATE NULL,
	ADD COLUMN overdue_days INT NULL,
	ADD COLUMN overdue_as_of DATE NULL,
	ADD KEY ix_loans_defaulted (defaulted_on),
	ADD KEY ix_loans_status (status, program_id);

-- One account per (kind, owner). The owner columns that do not apply are
-- NULL; owner_key makes (kind, owner) unique although NULLs never collide.
CREATE TABLE ledger_accounts (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind ENUM('fund_cash','bureau_budget','institution_claim_receivable','institution_loss',
		'guarantor_share','subsidy_payable') NOT NULL,
	fund_id BIGINT NULL,
	institution_id BIGINT NULL,
	program_id BIGINT NULL,
	balance_fen BIGINT NOT NULL DEFAULT 0,
	owner_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin AS
		(CONCAT(kind, ':', IFNULL(fund_id, 0), ':', IFNULL(institution_id, 0), ':', IFNULL(program_id, 0))) STORED,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	UNIQUE KEY uq_ledger_accounts_owner (owner_key),
	KEY ix_ledger_accounts_fund (fund_id),
	KEY ix_ledger_accounts_institution (institution_id),
	CONSTRAINT fk_ledger_accounts_fund FOREIGN KEY (fund_id) REFERENCES funds (id),
	CONSTRAINT fk_ledger_accounts_institution FOREIGN KEY (institution_id) REFERENCES institutions (id),
	CONSTRAINT fk_ledger_accounts_program FOREIGN KEY (program_id) REFERENCES programs (id),
	CONSTRAINT ck_ledger_accounts_owner CHECK (
		(kind = 'fund_cash' AND fund_id IS NOT NULL AND institution_id IS NULL AND program_id IS NULL)
		OR (kind = 'bureau_budget' AND fund_id IS NULL AND institution_id IS NULL AND program_id IS NULL)
		OR (kind IN ('institution_claim_receivable','institution_loss')
			AND fund_id IS NULL AND institution_id IS NOT NULL AND program_id IS NULL)
		OR (kind = 'subsidy_payable' AND fund_id IS NULL AND institution_id IS NULL AND program_id IS NOT NULL)
		OR (kind = 'guarantor_share' AND fund_id IS NULL
			AND (institution_id IS NULL) <> (program_id IS NULL))),
	CONSTRAINT ck_ledger_accounts_fund_cash CHECK (kind <> 'fund_cash' OR balance_fen >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO ledger_accounts (kind) VALUES ('bureau_budget');
INSERT INTO ledger_accounts (kind, fund_id) SELECT 'fund_cash', id FROM funds;

-- Every fund has its cash account from the moment it exists.
CREATE TRIGGER funds_cash_account AFTER INSERT ON funds FOR EACH ROW
	INSERT INTO ledger_accounts (kind, fund_id) VALUES ('fund_cash', NEW.id);

-- A journal entry: one money movement. kind says what moved it; ref_type
-- and ref_id name the record it belongs to ('fund', 'claim', 'recovery',
-- 'subsidy'); a reversal names the entry it reverses.
CREATE TABLE ledger_journals (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind ENUM('fund.deposit','claim.pay','claim.recovery','program.subsidy','reversal') NOT NULL,
	memo VARCHAR(500) NOT NULL DEFAULT '',
	ref_type VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL,
	ref_id BIGINT NULL,
	reverses_journal_id BIGINT NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	KEY ix_ledger_journals_ref (ref_type, ref_id),
	KEY ix_ledger_journals_kind (kind, created_at),
	UNIQUE KEY uq_ledger_journals_reverses (reverses_journal_id),
	CONSTRAINT fk_ledger_journals_reverses FOREIGN KEY (reverses_journal_id) REFERENCES ledger_journals (id),
	CONSTRAINT fk_ledger_journals_creator FOREIGN KEY (created_by) REFERENCES users (id),
	CONSTRAINT ck_ledger_journals_ref CHECK ((ref_type IS NULL) = (ref_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE ledger_postings (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	journal_id BIGINT NOT NULL,
	account_id BIGINT NOT NULL,
	amount_fen BIGINT NOT NULL,
	KEY ix_ledger_postings_journal (journal_id),
	KEY ix_ledger_postings_account (account_id, journal_id),
	CONSTRAINT fk_ledger_postings_journal FOREIGN KEY (journal_id) REFERENCES ledger_journals (id),
	CONSTRAINT fk_ledger_postings_account FOREIGN KEY (account_id) REFERENCES ledger_accounts (id),
	CONSTRAINT ck_ledger_postings_amount CHECK (amount_fen <> 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Append-only: a mistake is corrected by a reversing entry.
CREATE TRIGGER ledger_journals_no_update BEFORE UPDATE ON ledger_journals FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger_journals is append-only';
CREATE TRIGGER ledger_journals_no_delete BEFORE DELETE ON ledger_journals FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger_journals is append-only';
CREATE TRIGGER ledger_postings_no_update BEFORE UPDATE ON ledger_postings FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger_postings is append-only';
CREATE TRIGGER ledger_postings_no_delete BEFORE DELETE ON ledger_postings FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'ledger_postings is append-only';

-- A repayment the bank recorded; the loan's outstanding_fen drops by it.
CREATE TABLE loan_repayments (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	loan_id BIGINT NOT NULL,
	amount_fen BIGINT NOT NULL,
	paid_on DATE NOT NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	KEY ix_loan_repayments_loan (loan_id, id),
	KEY ix_loan_repayments_paid (paid_on),
	CONSTRAINT fk_loan_repayments_loan FOREIGN KEY (loan_id) REFERENCES loans (id),
	CONSTRAINT fk_loan_repayments_creator FOREIGN KEY (created_by) REFERENCES users (id),
	CONSTRAINT ck_loan_repayments_amount CHECK (amount_fen > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A bank's claim on a defaulted loan. The split is fixed at filing (api.md:
-- fund and guarantor shares floored, the bank the remainder). fund_id and
-- guarantor_institution_id are copied from the loan's programme at filing.
-- open_key allows one filed-or-paid claim per loan; a rejected one may be
-- filed again.
CREATE TABLE claims (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	loan_id BIGINT NOT NULL,
	institution_id BIGINT NOT NULL,
	program_id BIGINT NULL,
	fund_id BIGINT NULL,
	guarantor_institution_id BIGINT NULL,
	status ENUM('filed','paid','rejected') NOT NULL DEFAULT 'filed',
	loss_fen BIGINT NOT NULL,
	fund_share_fen BIGINT NOT NULL,
	guarantor_share_fen BIGINT NOT NULL,
	bank_share_fen BIGINT NOT NULL,
	recovered_fen BIGINT NOT NULL DEFAULT 0,
	reason VARCHAR(500) NULL,
	filed_by BIGINT NOT NULL,
	filed_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	decided_by BIGINT NULL,
	decided_at DATETIME(6) NULL,
	paid_journal_id BIGINT NULL,
	open_key TINYINT AS (IF(status = 'rejected', NULL, 1)) STORED,
	UNIQUE KEY uq_claims_open (loan_id, open_key),
	KEY ix_claims_institution (institution_id, id),
	KEY ix_claims_fund (fund_id, status, decided_at),
	KEY ix_claims_program (program_id, status, decided_at),
	KEY ix_claims_status (status, id),
	CONSTRAINT fk_claims_loan FOREIGN KEY (loan_id) REFERENCES loans (id),
	CONSTRAINT fk_claims_institution FOREIGN KEY (institution_id) REFERENCES institutions (id),
	CONSTRAINT fk_claims_program FOREIGN KEY (program_id) REFERENCES programs (id),
	CONSTRAINT fk_claims_fund FOREIGN KEY (fund_id) REFERENCES funds (id),
	CONSTRAINT fk_claims_guarantor FOREIGN KEY (guarantor_institution_id) REFERENCES institutions (id),
	CONSTRAINT fk_claims_journal FOREIGN KEY (paid_journal_id) REFERENCES ledger_journals (id),
	CONSTRAINT ck_claims_loss CHECK (loss_fen > 0),
	CONSTRAINT ck_claims_split CHECK (fund_share_fen >= 0 AND guarantor_share_fen >= 0 AND bank_share_fen >= 0
		AND fund_share_fen + guarantor_share_fen + bank_share_fen = loss_fen),
	CONSTRAINT ck_claims_recovered CHECK (recovered_fen BETWEEN 0 AND loss_fen),
	CONSTRAINT ck_claims_paid CHECK ((status = 'paid') = (paid_journal_id IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A recovery on a paid claim, split back as api.md says.
CREATE TABLE recoveries (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	claim_id BIGINT NOT NULL,
	amount_fen BIGINT NOT NULL,
	fund_fen BIGINT NOT NULL,
	guarantor_fen BIGINT NOT NULL,
	bank_fen BIGINT NOT NULL,
	journal_id BIGINT NOT NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	KEY ix_recoveries_claim (claim_id, id),
	KEY ix_recoveries_created (created_at),
	CONSTRAINT fk_recoveries_claim FOREIGN KEY (claim_id) REFERENCES claims (id),
	CONSTRAINT fk_recoveries_journal FOREIGN KEY (journal_id) REFERENCES ledger_journals (id),
	CONSTRAINT fk_recoveries_creator FOREIGN KEY (created_by) REFERENCES users (id),
	CONSTRAINT ck_recoveries_split CHECK (amount_fen > 0 AND fund_fen >= 0 AND guarantor_fen >= 0
		AND bank_fen >= 0 AND fund_fen + guarantor_fen + bank_fen = amount_fen)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A programme's interest subsidy for one month (period 'YYYY-MM'), paid
-- once; the lines say what each performing loan got. journal_id is NULL
-- when the month came to 0 fen.
CREATE TABLE interest_subsidies (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	program_id BIGINT NOT NULL,
	period CHAR(7) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	subsidy_bps INT NOT NULL,
	loans INT NOT NULL,
	total_fen BIGINT NOT NULL,
	journal_id BIGINT NULL,
	created_by BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	UNIQUE KEY uq_interest_subsidies_period (program_id, period),
	CONSTRAINT fk_interest_subsidies_program FOREIGN KEY (program_id) REFERENCES programs (id),
	CONSTRAINT fk_interest_subsidies_journal FOREIGN KEY (journal_id) REFERENCES ledger_journals (id),
	CONSTRAINT fk_interest_subsidies_creator FOREIGN KEY (created_by) REFERENCES users (id),
	CONSTRAINT ck_interest_subsidies_total CHECK (total_fen >= 0 AND loans >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE interest_subsidy_lines (
	subsidy_id BIGINT NOT NULL,
	loan_id BIGINT NOT NULL,
	outstanding_fen BIGINT NOT NULL,
	amount_fen BIGINT NOT NULL,
	PRIMARY KEY (subsidy_id, loan_id),
	KEY ix_interest_subsidy_lines_loan (loan_id),
	CONSTRAINT fk_interest_subsidy_lines_subsidy FOREIGN KEY (subsidy_id) REFERENCES interest_subsidies (id),
	CONSTRAINT fk_interest_subsidy_lines_loan FOREIGN KEY (loan_id) REFERENCES loans (id),
	CONSTRAINT ck_interest_subsidy_lines_amount CHECK (amount_fen >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A bank suspended from new disbursements in a programme because its
-- overdue rate there passed the fund's threshold; lifted only by the
-- bureau. active_key allows one live suspension per (programme, bank).
CREATE TABLE program_bank_suspensions (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	program_id BIGINT NOT NULL,
	institution_id BIGINT NOT NULL,
	overdue_rate_bps INT NOT NULL,
	threshold_bps INT NOT NULL,
	suspended_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	lifted_at DATETIME(6) NULL,
	lifted_by BIGINT NULL,
	lift_reason VARCHAR(500) NULL,
	active_key TINYINT AS (IF(lifted_at IS NULL, 1, NULL)) STORED,
	UNIQUE KEY uq_program_bank_suspensions_active (program_id, institution_id, active_key),
	KEY ix_program_bank_suspensions_institution (institution_id),
	CONSTRAINT fk_program_bank_suspensions_program FOREIGN KEY (program_id) REFERENCES programs (id),
	CONSTRAINT fk_program_bank_suspensions_institution FOREIGN KEY (institution_id) REFERENCES institutions (id),
	CONSTRAINT fk_program_bank_suspensions_lifter FOREIGN KEY (lifted_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
