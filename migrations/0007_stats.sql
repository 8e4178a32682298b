-- Statistics pre-aggregation: daily rollups of applications, loans and
-- bank responses, and the live fund exposure, kept by triggers in the same
-- transaction as the change they count, so no other module's C code knows
-- they exist and a rolled-back change leaves no trace. models/stats.c
-- answers overview and breakdown from them; docs/api.md (Statistics)
-- defines every figure. Plain SQL over 1,000,000 applications took
-- seconds (bench/stats_bench.sh measures both in one run).
--
-- Every rollup row is keyed by a scope, a dimension, a grain, a district
-- day (UTC+8) and a key:
--   scope 'd' (scope_id 0): the whole district, for the bureau;
--   scope 'p' (scope_id = the enterprise's park): for that park;
--   scope 'i' (scope_id = the application's or loan's institution): for
--   that bank.
--   dim 0 'all' (key ''), 1 institution, 2 product, 3 program (ids as
--   text, '' for none), 4 town (code), 5 park (id), 6 industry (GB/T 4754
--   section letter), 7 size_class. The month breakdown sums dim 0 by month.
--   grain 0: the row counts one day; grain 1: the whole month whose first
--   day is day. Each fact is counted in both, so a window reads the months
--   it covers whole from grain 1 and only its ragged ends from grain 0.
-- An enterprise's town, park, industry and size are read when a fact is
-- recorded: an enterprise that moves keeps its past figures where they
-- were recorded.
--
-- Bulk loads (the benchmark) set @xyd_stats_bulk = 1 in their session, which
-- the triggers skip, and then CALL stats_rebuild(), which recomputes every
-- rollup from the base tables by the same rules. The server never sets it.

-- Applications by the district day they were created (the cohort): how
-- many, how many of them were submitted to a bank product (product_id set),
-- are approved (approved or disbursed) and rejected, as they stand now.
-- Keyed by the application's current institution and product.
CREATE TABLE stats_app_day (
	scope CHAR(1) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	scope_id BIGINT NOT NULL,
	dim TINYINT NOT NULL,
	grain TINYINT NOT NULL,
	day DATE NOT NULL,
	k VARCHAR(32) NOT NULL,
	applications INT NOT NULL,
	submitted INT NOT NULL,
	approved INT NOT NULL,
	rejected INT NOT NULL,
	PRIMARY KEY (scope, scope_id, dim, grain, day, k)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Loans by disbursement day: count, principal, principal x rate (for the
-- principal-weighted average rate), principal of 'credit' products, and
-- first-time loans (the enterprise's first loan recorded here, lowest loan
-- id, or declared first_bank_loan on its application).
CREATE TABLE stats_loan_day (
	scope CHAR(1) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	scope_id BIGINT NOT NULL,
	dim TINYINT NOT NULL,
	grain TINYINT NOT NULL,
	day DATE NOT NULL,
	k VARCHAR(32) NOT NULL,
	loans INT NOT NULL,
	principal_fen BIGINT NOT NULL,
	rate_weight DECIMAL(38,0) NOT NULL,
	credit_fen BIGINT NOT NULL,
	first_time INT NOT NULL,
	PRIMARY KEY (scope, scope_id, dim, grain, day, k)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bank responses by the district day of the answer: a histogram of whole
-- hours from the pending_bank event to the accepted / rejected event that
-- directly follows it in the timeline, and how many came after the
-- response deadline. The median is read off the histogram, exactly.
CREATE TABLE stats_response_day (
	scope CHAR(1) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	scope_id BIGINT NOT NULL,
	grain TINYINT NOT NULL,
	day DATE NOT NULL,
	hours INT NOT NULL,
	responses INT NOT NULL,
	late INT NOT NULL,
	PRIMARY KEY (scope, scope_id, grain, day, hours)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The fund's share of what is outstanding now on performing and overdue
-- loans: per loan FLOOR(outstanding_fen * fund_bps / 10000), summed.
CREATE TABLE stats_exposure (
	scope CHAR(1) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	scope_id BIGINT NOT NULL,
	exposure_fen BIGINT NOT NULL,
	PRIMARY KEY (scope, scope_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The bureau's paid claims and recoveries are dated by decision / creation
-- and scoped through the loan's enterprise: an index to reach them by date.
CREATE INDEX ix_claims_decided ON claims (status, decided_at);

-- ---- one fact into the eight dimensions of one scope ----

CREATE PROCEDURE stats_app_put_grain(IN p_scope CHAR(1), IN p_scope_id BIGINT, IN p_grain INT,
	IN p_day DATE, IN p_inst BIGINT, IN p_prod BIGINT, IN p_prog BIGINT, IN p_town VARCHAR(32), IN p_park BIGINT,
	IN p_ind CHAR(1), IN p_size VARCHAR(8), IN d_a INT, IN d_s INT, IN d_ap INT, IN d_rj INT)
	INSERT INTO stats_app_day (scope, scope_id, dim, grain, day, k, applications, submitted, approved,
		rejected)
	VALUES (p_scope, p_scope_id, 0, p_grain, p_day, '', d_a, d_s, d_ap, d_rj),
		(p_scope, p_scope_id, 1, p_grain, p_day, IFNULL(CAST(p_inst AS CHAR), ''), d_a, d_s, d_ap, d_rj),
		(p_scope, p_scope_id, 2, p_grain, p_day, IFNULL(CAST(p_prod AS CHAR), ''), d_a, d_s, d_ap, d_rj),
		(p_scope, p_scope_id, 3, p_grain, p_day, IFNULL(CAST(p_prog AS CHAR), ''), d_a, d_s, d_ap, d_rj),
		(p_scope, p_scope_id, 4, p_grain, p_day, IFNULL(p_town, ''), d_a, d_s, d_ap, d_rj),
		(p_scope, p_scope_id, 5, p_grain, p_day, IFNULL(CAST(p_park AS CHAR), ''), d_a, d_s, d_ap, d_rj),
		(p_scope, p_scope_id, 6, p_grain, p_day, IFNULL(p_ind, ''), d_a, d_s, d_ap, d_rj),
		(p_scope, p_scope_id, 7, p_grain, p_day, IFNULL(p_size, ''), d_a, d_s, d_ap, d_rj)
	ON DUPLICATE KEY UPDATE applications = applications + VALUES(applications),
		submitted = submitted + VALUES(submitted), approved = approved + VALUES(approved),
		rejected = rejected + VALUES(rejected);

CREATE PROCEDURE stats_loan_put_grain(IN p_scope CHAR(1), IN p_scope_id BIGINT, IN p_grain INT,
	IN p_day DATE, IN p_inst BIGINT, IN p_prod BIGINT, IN p_prog BIGINT, IN p_town VARCHAR(32), IN p_park BIGINT,
	IN p_ind CHAR(1), IN p_size VARCHAR(8), IN d_n INT, IN d_fen BIGINT, IN d_w DECIMAL(38,0),
	IN d_credit BIGINT, IN d_first INT)
	INSERT INTO stats_loan_day (scope, scope_id, dim, grain, day, k, loans, principal_fen, rate_weight,
		credit_fen, first_time)
	VALUES (p_scope, p_scope_id, 0, p_grain, p_day, '', d_n, d_fen, d_w, d_credit, d_first),
		(p_scope, p_scope_id, 1, p_grain, p_day, IFNULL(CAST(p_inst AS CHAR), ''), d_n, d_fen, d_w, d_credit, d_first),
		(p_scope, p_scope_id, 2, p_grain, p_day, IFNULL(CAST(p_prod AS CHAR), ''), d_n, d_fen, d_w, d_credit, d_first),
		(p_scope, p_scope_id, 3, p_grain, p_day, IFNULL(CAST(p_prog AS CHAR), ''), d_n, d_fen, d_w, d_credit, d_first),
		(p_scope, p_scope_id, 4, p_grain, p_day, IFNULL(p_town, ''), d_n, d_fen, d_w, d_credit, d_first),
		(p_scope, p_scope_id, 5, p_grain, p_day, IFNULL(CAST(p_park AS CHAR), ''), d_n, d_fen, d_w, d_credit, d_first),
		(p_scope, p_scope_id, 6, p_grain, p_day, IFNULL(p_ind, ''), d_n, d_fen, d_w, d_credit, d_first),
		(p_scope, p_scope_id, 7, p_grain, p_day, IFNULL(p_size, ''), d_n, d_fen, d_w, d_credit, d_first)
	ON DUPLICATE KEY UPDATE loans = loans + VALUES(loans),
		principal_fen = principal_fen + VALUES(principal_fen),
		rate_weight = rate_weight + VALUES(rate_weight), credit_fen = credit_fen + VALUES(credit_fen),
		first_time = first_time + VALUES(first_time);

-- Both grains: the day, and the month it belongs to.
CREATE PROCEDURE stats_app_put(IN p_scope CHAR(1), IN p_scope_id BIGINT, IN p_day DATE,
	IN p_inst BIGINT, IN p_prod BIGINT, IN p_prog BIGINT, IN p_town VARCHAR(32), IN p_park BIGINT,
	IN p_ind CHAR(1), IN p_size VARCHAR(8), IN d_a INT, IN d_s INT, IN d_ap INT, IN d_rj INT)
BEGIN
	CALL stats_app_put_grain(p_scope, p_scope_id, 0, p_day, p_inst, p_prod, p_prog, p_town, p_park,
		p_ind, p_size, d_a, d_s, d_ap, d_rj);
	CALL stats_app_put_grain(p_scope, p_scope_id, 1, p_day - INTERVAL (DAYOFMONTH(p_day) - 1) DAY, p_inst,
		p_prod, p_prog, p_town, p_park, p_ind, p_size, d_a, d_s, d_ap, d_rj);
END;

CREATE PROCEDURE stats_loan_put(IN p_scope CHAR(1), IN p_scope_id BIGINT, IN p_day DATE,
	IN p_inst BIGINT, IN p_prod BIGINT, IN p_prog BIGINT, IN p_town VARCHAR(32), IN p_park BIGINT,
	IN p_ind CHAR(1), IN p_size VARCHAR(8), IN d_n INT, IN d_fen BIGINT, IN d_w DECIMAL(38,0),
	IN d_credit BIGINT, IN d_first INT)
BEGIN
	CALL stats_loan_put_grain(p_scope, p_scope_id, 0, p_day, p_inst, p_prod, p_prog, p_town, p_park,
		p_ind, p_size, d_n, d_fen, d_w, d_credit, d_first);
	CALL stats_loan_put_grain(p_scope, p_scope_id, 1, p_day - INTERVAL (DAYOFMONTH(p_day) - 1) DAY, p_inst,
		p_prod, p_prog, p_town, p_park, p_ind, p_size, d_n, d_fen, d_w, d_credit, d_first);
END;

CREATE PROCEDURE stats_response_put(IN p_scope CHAR(1), IN p_scope_id BIGINT, IN p_day DATE,
	IN p_hours INT, IN d_n INT, IN d_late INT)
	INSERT INTO stats_response_day (scope, scope_id, grain, day, hours, responses, late)
	VALUES (p_scope, p_scope_id, 0, p_day, p_hours, d_n, d_late),
		(p_scope, p_scope_id, 1, p_day - INTERVAL (DAYOFMONTH(p_day) - 1) DAY, p_hours, d_n, d_late)
	ON DUPLICATE KEY UPDATE responses = responses + VALUES(responses), late = late + VALUES(late);

CREATE PROCEDURE stats_exposure_put(IN p_scope CHAR(1), IN p_scope_id BIGINT, IN d_fen BIGINT)
	INSERT INTO stats_exposure (scope, scope_id, exposure_fen) VALUES (p_scope, p_scope_id, d_fen)
	ON DUPLICATE KEY UPDATE exposure_fen = exposure_fen + VALUES(exposure_fen);

-- ---- one row's contribution, added (p_sign 1) or taken away (-1) ----

CREATE PROCEDURE stats_app_apply(IN p_sign INT, IN p_created DATETIME(6), IN p_status VARCHAR(16),
	IN p_prod BIGINT, IN p_inst BIGINT, IN p_ent BIGINT)
BEGIN
	DECLARE v_day DATE DEFAULT DATE(p_created + INTERVAL 8 HOUR);
	DECLARE v_prog, v_park BIGINT DEFAULT NULL;
	DECLARE v_town VARCHAR(32) DEFAULT NULL;
	DECLARE v_ind CHAR(1) DEFAULT NULL;
	DECLARE v_size VARCHAR(8) DEFAULT NULL;
	DECLARE d_s INT DEFAULT IF(p_prod IS NULL, 0, p_sign);
	DECLARE d_ap INT DEFAULT IF(p_status IN ('approved', 'disbursed'), p_sign, 0);
	DECLARE d_rj INT DEFAULT IF(p_status = 'rejected', p_sign, 0);
	SELECT town, park_id, industry_section, size_class INTO v_town, v_park, v_ind, v_size
		FROM enterprises WHERE id = p_ent;
	IF p_prod IS NOT NULL THEN
		SELECT program_id INTO v_prog FROM products WHERE id = p_prod;
	END IF;
	CALL stats_app_put('d', 0, v_day, p_inst, p_prod, v_prog, v_town, v_park, v_ind, v_size,
		p_sign, d_s, d_ap, d_rj);
	IF v_park IS NOT NULL THEN
		CALL stats_app_put('p', v_park, v_day, p_inst, p_prod, v_prog, v_town, v_park, v_ind, v_size,
			p_sign, d_s, d_ap, d_rj);
	END IF;
	IF p_inst IS NOT NULL THEN
		CALL stats_app_put('i', p_inst, v_day, p_inst, p_prod, v_prog, v_town, v_park, v_ind, v_size,
			p_sign, d_s, d_ap, d_rj);
	END IF;
END;

CREATE PROCEDURE stats_loan_apply(IN p_sign INT, IN p_id BIGINT, IN p_app BIGINT, IN p_ent BIGINT,
	IN p_inst BIGINT, IN p_prod BIGINT, IN p_prog BIGINT, IN p_principal BIGINT, IN p_rate INT,
	IN p_day DATE)
BEGIN
	DECLARE v_park BIGINT DEFAULT NULL;
	DECLARE v_town VARCHAR(32) DEFAULT NULL;
	DECLARE v_ind CHAR(1) DEFAULT NULL;
	DECLARE v_size VARCHAR(8) DEFAULT NULL;
	DECLARE v_kind VARCHAR(16) DEFAULT NULL;
	DECLARE v_declared INT DEFAULT 0;
	DECLARE v_first INT DEFAULT 0;
	DECLARE v_w DECIMAL(38,0) DEFAULT CAST(p_principal AS DECIMAL(38,0)) * p_rate * p_sign;
	DECLARE v_credit BIGINT DEFAULT 0;
	SELECT town, park_id, industry_section, size_class INTO v_town, v_park, v_ind, v_size
		FROM enterprises WHERE id = p_ent;
	SELECT kind INTO v_kind FROM products WHERE id = p_prod;
	SELECT first_bank_loan INTO v_declared FROM applications WHERE id = p_app;
	SET v_first = IF(v_declared = 1 OR NOT EXISTS (SELECT 1 FROM loans
		WHERE enterprise_id = p_ent AND id < p_id), p_sign, 0);
	SET v_credit = IF(v_kind = 'credit', p_principal * p_sign, 0);
	CALL stats_loan_put('d', 0, p_day, p_inst, p_prod, p_prog, v_town, v_park, v_ind, v_size,
		p_sign, p_principal * p_sign, v_w, v_credit, v_first);
	IF v_park IS NOT NULL THEN
		CALL stats_loan_put('p', v_park, p_day, p_inst, p_prod, p_prog, v_town, v_park, v_ind, v_size,
			p_sign, p_principal * p_sign, v_w, v_credit, v_first);
	END IF;
	CALL stats_loan_put('i', p_inst, p_day, p_inst, p_prod, p_prog, v_town, v_park, v_ind, v_size,
		p_sign, p_principal * p_sign, v_w, v_credit, v_first);
END;

CREATE PROCEDURE stats_exposure_apply(IN p_sign INT, IN p_ent BIGINT, IN p_inst BIGINT,
	IN p_status VARCHAR(16), IN p_outstanding BIGINT, IN p_fund_bps INT)
BEGIN
	DECLARE v_park BIGINT DEFAULT NULL;
	DECLARE v_fen BIGINT DEFAULT IF(p_status IN ('performing', 'overdue'),
		CAST(p_outstanding AS DECIMAL(38,0)) * p_fund_bps DIV 10000, 0) * p_sign;
	IF v_fen <> 0 THEN
		SELECT park_id INTO v_park FROM enterprises WHERE id = p_ent;
		CALL stats_exposure_put('d', 0, v_fen);
		IF v_park IS NOT NULL THEN
			CALL stats_exposure_put('p', v_park, v_fen);
		END IF;
		CALL stats_exposure_put('i', p_inst, v_fen);
	END IF;
END;

-- A bank's answer: an accepted or rejected event that directly follows
-- the pending_bank event in the application's timeline.
CREATE PROCEDURE stats_response_apply(IN p_sign INT, IN p_event_id BIGINT, IN p_app BIGINT,
	IN p_at DATETIME(6))
BEGIN
	DECLARE v_prev_status VARCHAR(16) DEFAULT NULL;
	DECLARE v_prev_at, v_due DATETIME(6) DEFAULT NULL;
	DECLARE v_inst, v_park BIGINT DEFAULT NULL;
	DECLARE v_hours INT;
	DECLARE v_day DATE DEFAULT DATE(p_at + INTERVAL 8 HOUR);
	DECLARE v_late INT;
	SELECT status, at INTO v_prev_status, v_prev_at FROM application_events
		WHERE application_id = p_app AND id < p_event_id ORDER BY id DESC LIMIT 1;
	IF v_prev_status = 'pending_bank' THEN
		SELECT a.institution_id, a.response_due_at, e.park_id INTO v_inst, v_due, v_park
			FROM applications a JOIN enterprises e ON e.id = a.enterprise_id WHERE a.id = p_app;
		SET v_hours = TIMESTAMPDIFF(HOUR, v_prev_at, p_at);
		SET v_late = IF(v_due IS NOT NULL AND p_at > v_due, p_sign, 0);
		CALL stats_response_put('d', 0, v_day, v_hours, p_sign, v_late);
		IF v_park IS NOT NULL THEN
			CALL stats_response_put('p', v_park, v_day, v_hours, p_sign, v_late);
		END IF;
		IF v_inst IS NOT NULL THEN
			CALL stats_response_put('i', v_inst, v_day, v_hours, p_sign, v_late);
		END IF;
	END IF;
END;

-- A bank that never answered: the application expired from pending_bank
-- (30 days past its deadline). It stays an overdue response, dated by its
-- deadline, in the histogram's hours -1 row, which holds no answer.
CREATE PROCEDURE stats_unanswered_apply(IN p_due DATETIME(6), IN p_inst BIGINT, IN p_ent BIGINT)
BEGIN
	DECLARE v_park BIGINT DEFAULT NULL;
	DECLARE v_day DATE DEFAULT DATE(p_due + INTERVAL 8 HOUR);
	SELECT park_id INTO v_park FROM enterprises WHERE id = p_ent;
	CALL stats_response_put('d', 0, v_day, -1, 0, 1);
	IF v_park IS NOT NULL THEN
		CALL stats_response_put('p', v_park, v_day, -1, 0, 1);
	END IF;
	IF p_inst IS NOT NULL THEN
		CALL stats_response_put('i', p_inst, v_day, -1, 0, 1);
	END IF;
END;

-- ---- triggers ----

CREATE TRIGGER stats_applications_insert AFTER INSERT ON applications FOR EACH ROW
	IF @xyd_stats_bulk IS NULL THEN
		CALL stats_app_apply(1, NEW.created_at, NEW.status, NEW.product_id, NEW.institution_id,
			NEW.enterprise_id);
	END IF;

CREATE TRIGGER stats_applications_update AFTER UPDATE ON applications FOR EACH ROW
BEGIN
	IF @xyd_stats_bulk IS NULL AND (NOT (OLD.product_id <=> NEW.product_id)
		OR NOT (OLD.institution_id <=> NEW.institution_id) OR OLD.created_at <> NEW.created_at
		OR OLD.enterprise_id <> NEW.enterprise_id
		OR (OLD.status IN ('approved', 'disbursed')) <> (NEW.status IN ('approved', 'disbursed'))
		OR (OLD.status = 'rejected') <> (NEW.status = 'rejected')) THEN
		CALL stats_app_apply(-1, OLD.created_at, OLD.status, OLD.product_id, OLD.institution_id,
			OLD.enterprise_id);
		CALL stats_app_apply(1, NEW.created_at, NEW.status, NEW.product_id, NEW.institution_id,
			NEW.enterprise_id);
	END IF;
	IF @xyd_stats_bulk IS NULL AND OLD.status = 'pending_bank' AND NEW.status = 'expired'
		AND NEW.response_due_at IS NOT NULL THEN
		CALL stats_unanswered_apply(NEW.response_due_at, NEW.institution_id, NEW.enterprise_id);
	END IF;
END;

CREATE TRIGGER stats_loans_insert AFTER INSERT ON loans FOR EACH ROW
	IF @xyd_stats_bulk IS NULL THEN
		CALL stats_loan_apply(1, NEW.id, NEW.application_id, NEW.enterprise_id, NEW.institution_id,
			NEW.product_id, NEW.program_id, NEW.principal_fen, NEW.rate_bps, NEW.disbursed_on);
		CALL stats_exposure_apply(1, NEW.enterprise_id, NEW.institution_id, NEW.status,
			NEW.outstanding_fen, NEW.fund_bps);
	END IF;

CREATE TRIGGER stats_loans_update AFTER UPDATE ON loans FOR EACH ROW
	IF @xyd_stats_bulk IS NULL THEN
		IF OLD.disbursed_on <> NEW.disbursed_on OR OLD.principal_fen <> NEW.principal_fen
			OR OLD.rate_bps <> NEW.rate_bps OR OLD.product_id <> NEW.product_id
			OR NOT (OLD.program_id <=> NEW.program_id) OR OLD.enterprise_id <> NEW.enterprise_id
			OR OLD.institution_id <> NEW.institution_id THEN
			CALL stats_loan_apply(-1, OLD.id, OLD.application_id, OLD.enterprise_id,
				OLD.institution_id, OLD.product_id, OLD.program_id, OLD.principal_fen, OLD.rate_bps,
				OLD.disbursed_on);
			CALL stats_loan_apply(1, NEW.id, NEW.application_id, NEW.enterprise_id,
				NEW.institution_id, NEW.product_id, NEW.program_id, NEW.principal_fen, NEW.rate_bps,
				NEW.disbursed_on);
		END IF;
		IF OLD.status <> NEW.status OR OLD.outstanding_fen <> NEW.outstanding_fen
			OR OLD.fund_bps <> NEW.fund_bps OR OLD.enterprise_id <> NEW.enterprise_id
			OR OLD.institution_id <> NEW.institution_id THEN
			CALL stats_exposure_apply(-1, OLD.enterprise_id, OLD.institution_id, OLD.status,
				OLD.outstanding_fen, OLD.fund_bps);
			CALL stats_exposure_apply(1, NEW.enterprise_id, NEW.institution_id, NEW.status,
				NEW.outstanding_fen, NEW.fund_bps);
		END IF;
	END IF;

CREATE TRIGGER stats_application_events_insert AFTER INSERT ON application_events FOR EACH ROW
	IF @xyd_stats_bulk IS NULL AND NEW.status IN ('accepted', 'rejected') THEN
		CALL stats_response_apply(1, NEW.id, NEW.application_id, NEW.at);
	END IF;

CREATE TRIGGER stats_application_events_update AFTER UPDATE ON application_events FOR EACH ROW
	IF @xyd_stats_bulk IS NULL AND OLD.at <> NEW.at AND NEW.status IN ('accepted', 'rejected') THEN
		CALL stats_response_apply(-1, OLD.id, OLD.application_id, OLD.at);
		CALL stats_response_apply(1, NEW.id, NEW.application_id, NEW.at);
	END IF;

-- Timelines are not edited by the server; a deleted answer (by hand) leaves
-- the histogram too, so that stats_rebuild() and the triggers keep agreeing.
CREATE TRIGGER stats_application_events_delete AFTER DELETE ON application_events FOR EACH ROW
	IF @xyd_stats_bulk IS NULL AND OLD.status IN ('accepted', 'rejected') THEN
		CALL stats_response_apply(-1, OLD.id, OLD.application_id, OLD.at);
	END IF;

-- ---- bulk: every rollup again from the base tables, by the same rules ----

-- The facts of one kind are gathered once into a MEMORY table (f), each
-- scope's days grouped from it by one INSERT per scope, and the months
-- summed from the days. One GROUP BY over everything at once spilled to
-- disk and took minutes for 100,000 applications.
CREATE PROCEDURE stats_rebuild_app_scope(IN p_scope CHAR(1))
	INSERT INTO stats_app_day (scope, scope_id, dim, grain, day, k, applications, submitted, approved,
		rejected)
	SELECT p_scope, ELT(FIELD(p_scope, 'd', 'p', 'i'), 0, f.park, f.inst), x.seq, 0, f.day,
		ELT(x.seq + 1, '', IFNULL(CAST(f.inst AS CHAR), ''), IFNULL(CAST(f.prod AS CHAR), ''),
			IFNULL(CAST(f.prog AS CHAR), ''), f.town, IFNULL(CAST(f.park AS CHAR), ''), f.ind,
			f.size) AS k,
		COUNT(*), SUM(f.s), SUM(f.ap), SUM(f.rj)
	FROM stats_f_app f JOIN seq_0_to_7 x
	WHERE ELT(FIELD(p_scope, 'd', 'p', 'i'), 0, f.park, f.inst) IS NOT NULL
	GROUP BY 2, x.seq, f.day, k;

CREATE PROCEDURE stats_rebuild_loan_scope(IN p_scope CHAR(1))
	INSERT INTO stats_loan_day (scope, scope_id, dim, grain, day, k, loans, principal_fen, rate_weight,
		credit_fen, first_time)
	SELECT p_scope, ELT(FIELD(p_scope, 'd', 'p', 'i'), 0, f.park, f.inst), x.seq, 0, f.day,
		ELT(x.seq + 1, '', CAST(f.inst AS CHAR), CAST(f.prod AS CHAR),
			IFNULL(CAST(f.prog AS CHAR), ''), f.town, IFNULL(CAST(f.park AS CHAR), ''), f.ind,
			f.size) AS k,
		COUNT(*), SUM(f.principal), SUM(f.w), SUM(f.credit), SUM(f.first)
	FROM stats_f_loan f JOIN seq_0_to_7 x
	WHERE ELT(FIELD(p_scope, 'd', 'p', 'i'), 0, f.park, f.inst) IS NOT NULL
	GROUP BY 2, x.seq, f.day, k;

CREATE PROCEDURE stats_rebuild()
BEGIN
	SET SESSION max_heap_table_size = 1073741824, tmp_table_size = 1073741824;
	DELETE FROM stats_app_day;
	DELETE FROM stats_loan_day;
	DELETE FROM stats_response_day;
	DELETE FROM stats_exposure;
	DROP TEMPORARY TABLE IF EXISTS stats_f_app, stats_f_loan;
	CREATE TEMPORARY TABLE stats_f_app ENGINE=MEMORY AS
	SELECT DATE(a.created_at + INTERVAL 8 HOUR) AS day, a.institution_id AS inst, a.product_id AS prod,
		p.program_id AS prog, e.town, e.park_id AS park, e.industry_section AS ind,
		CAST(e.size_class AS CHAR(8)) AS size, a.product_id IS NOT NULL AS s,
		a.status IN ('approved', 'disbursed') AS ap, a.status = 'rejected' AS rj
	FROM applications a JOIN enterprises e ON e.id = a.enterprise_id
	LEFT JOIN products p ON p.id = a.product_id;
	CALL stats_rebuild_app_scope('d');
	CALL stats_rebuild_app_scope('p');
	CALL stats_rebuild_app_scope('i');
	CREATE TEMPORARY TABLE stats_f_loan ENGINE=MEMORY AS
	SELECT l.disbursed_on AS day, l.institution_id AS inst, l.product_id AS prod, l.program_id AS prog,
		e.town, e.park_id AS park, e.industry_section AS ind, CAST(e.size_class AS CHAR(8)) AS size,
		l.principal_fen AS principal, CAST(l.principal_fen AS DECIMAL(38,0)) * l.rate_bps AS w,
		IF(p.kind = 'credit', l.principal_fen, 0) AS credit,
		(a.first_bank_loan = 1 OR NOT EXISTS (SELECT 1 FROM loans o
			WHERE o.enterprise_id = l.enterprise_id AND o.id < l.id)) AS first
	FROM loans l JOIN enterprises e ON e.id = l.enterprise_id
	JOIN products p ON p.id = l.product_id JOIN applications a ON a.id = l.application_id;
	CALL stats_rebuild_loan_scope('d');
	CALL stats_rebuild_loan_scope('p');
	CALL stats_rebuild_loan_scope('i');
	DROP TEMPORARY TABLE stats_f_app, stats_f_loan;
	INSERT INTO stats_response_day (scope, scope_id, grain, day, hours, responses, late)
	SELECT ELT(s.seq + 1, 'd', 'p', 'i'), ELT(s.seq + 1, 0, f.park, f.inst), 0, f.day, f.hours,
		COUNT(*), SUM(f.late)
	FROM (SELECT DATE(v.at + INTERVAL 8 HOUR) AS day, TIMESTAMPDIFF(HOUR, w.at, v.at) AS hours,
			a.response_due_at IS NOT NULL AND v.at > a.response_due_at AS late,
			a.institution_id AS inst, e.park_id AS park
		FROM application_events v
		JOIN application_events w ON w.id = (SELECT MAX(u.id) FROM application_events u
			WHERE u.application_id = v.application_id AND u.id < v.id)
		JOIN applications a ON a.id = v.application_id
		JOIN enterprises e ON e.id = a.enterprise_id
		WHERE v.status IN ('accepted', 'rejected') AND w.status = 'pending_bank') f
	JOIN seq_0_to_2 s ON ELT(s.seq + 1, 0, f.park, f.inst) IS NOT NULL
	GROUP BY 1, 2, 4, 5;
	INSERT INTO stats_response_day (scope, scope_id, grain, day, hours, responses, late)
	SELECT ELT(s.seq + 1, 'd', 'p', 'i'), ELT(s.seq + 1, 0, f.park, f.inst), 0, f.day, -1, 0, COUNT(*)
	FROM (SELECT DATE(a.response_due_at + INTERVAL 8 HOUR) AS day, a.institution_id AS inst,
			e.park_id AS park
		FROM applications a JOIN enterprises e ON e.id = a.enterprise_id
		WHERE a.status = 'expired' AND a.response_due_at IS NOT NULL) f
	JOIN seq_0_to_2 s ON ELT(s.seq + 1, 0, f.park, f.inst) IS NOT NULL
	GROUP BY 1, 2, 4;
	INSERT INTO stats_app_day (scope, scope_id, dim, grain, day, k, applications, submitted, approved,
		rejected)
	SELECT scope, scope_id, dim, 1, day - INTERVAL (DAYOFMONTH(day) - 1) DAY AS month, k, SUM(applications),
		SUM(submitted), SUM(approved), SUM(rejected)
	FROM stats_app_day WHERE grain = 0 GROUP BY scope, scope_id, dim, month, k;
	INSERT INTO stats_loan_day (scope, scope_id, dim, grain, day, k, loans, principal_fen, rate_weight,
		credit_fen, first_time)
	SELECT scope, scope_id, dim, 1, day - INTERVAL (DAYOFMONTH(day) - 1) DAY AS month, k, SUM(loans),
		SUM(principal_fen), SUM(rate_weight), SUM(credit_fen), SUM(first_time)
	FROM stats_loan_day WHERE grain = 0 GROUP BY scope, scope_id, dim, month, k;
	INSERT INTO stats_response_day (scope, scope_id, grain, day, hours, responses, late)
	SELECT scope, scope_id, 1, day - INTERVAL (DAYOFMONTH(day) - 1) DAY AS month, hours, SUM(responses),
		SUM(late)
	FROM stats_response_day WHERE grain = 0 GROUP BY scope, scope_id, month, hours;
	INSERT INTO stats_exposure (scope, scope_id, exposure_fen)
	SELECT ELT(s.seq + 1, 'd', 'p', 'i'), ELT(s.seq + 1, 0, f.park, f.inst), SUM(f.fen)
	FROM (SELECT e.park_id AS park, l.institution_id AS inst,
			CAST(l.outstanding_fen AS DECIMAL(38,0)) * l.fund_bps DIV 10000 AS fen
		FROM loans l JOIN enterprises e ON e.id = l.enterprise_id
		WHERE l.status IN ('performing', 'overdue')) f
	JOIN seq_0_to_2 s ON ELT(s.seq + 1, 0, f.park, f.inst) IS NOT NULL
	GROUP BY 1, 2;
END;
