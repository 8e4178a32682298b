-- Accounts, organisations, login sessions and the audit log.
-- Every table is InnoDB/utf8mb4; times are UTC DATETIME(6); money is BIGINT fen.

CREATE TABLE institutions (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	name VARCHAR(200) NOT NULL,
	kind ENUM('bank','guarantor','microloan') NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	UNIQUE KEY uq_institutions_name (name),
	CHECK (CHAR_LENGTH(name) BETWEEN 1 AND 200)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE enterprises (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	uscc CHAR(18) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	name VARCHAR(200) NOT NULL,
	legal_rep_name VARCHAR(100) NOT NULL,
	legal_rep_id_no CHAR(18) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	phone VARCHAR(20) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	industry VARCHAR(8) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	industry_section CHAR(1) NOT NULL,
	town VARCHAR(32) NOT NULL,
	park_id INT NULL,
	registered_capital_fen BIGINT NOT NULL,
	founded_on DATE NOT NULL,
	employees INT NOT NULL,
	annual_revenue_fen BIGINT NOT NULL,
	size_class ENUM('micro','small','medium','large') NOT NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	updated_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	UNIQUE KEY uq_enterprises_uscc (uscc),
	KEY ix_enterprises_town (town),
	KEY ix_enterprises_park (park_id),
	KEY ix_enterprises_industry (industry),
	CONSTRAINT fk_enterprises_section FOREIGN KEY (industry_section) REFERENCES industries (code),
	CONSTRAINT fk_enterprises_town FOREIGN KEY (town) REFERENCES towns (code),
	CONSTRAINT fk_enterprises_park FOREIGN KEY (park_id) REFERENCES parks (id),
	CHECK (CAST(LEFT(industry, 1) AS BINARY) = CAST(industry_section AS BINARY)),
	CHECK (registered_capital_fen >= 0),
	CHECK (employees >= 0),
	CHECK (annual_revenue_fen >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE users (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	username VARCHAR(64) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
	password_hash VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	role ENUM('sme','bank','park','bureau','admin','auditor') NOT NULL,
	enterprise_id BIGINT NULL,
	institution_id BIGINT NULL,
	park_id INT NULL,
	locked_by_admin TINYINT(1) NOT NULL DEFAULT 0,
	failed_logins INT NOT NULL DEFAULT 0,
	locked_until DATETIME(6) NULL,
	last_login_at DATETIME(6) NULL,
	created_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	password_changed_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	UNIQUE KEY uq_users_username (username),
	CONSTRAINT fk_users_enterprise FOREIGN KEY (enterprise_id) REFERENCES enterprises (id),
	CONSTRAINT fk_users_institution FOREIGN KEY (institution_id) REFERENCES institutions (id),
	CONSTRAINT fk_users_park FOREIGN KEY (park_id) REFERENCES parks (id),
	-- each role carries exactly the organisation it acts for, and no other
	CONSTRAINT ck_users_org CHECK (
		(role = 'sme'  AND enterprise_id IS NOT NULL AND institution_id IS NULL AND park_id IS NULL) OR
		(role = 'bank' AND institution_id IS NOT NULL AND enterprise_id IS NULL AND park_id IS NULL) OR
		(role = 'park' AND park_id IS NOT NULL AND enterprise_id IS NULL AND institution_id IS NULL) OR
		(role IN ('bureau','admin','auditor') AND enterprise_id IS NULL AND institution_id IS NULL AND park_id IS NULL)),
	CHECK (failed_logins >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per login: the refresh-token family. Revoking it kills the
-- family's refresh tokens and every access token that names it (claim sid).
CREATE TABLE auth_sessions (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	user_id BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL,
	last_used_at DATETIME(6) NOT NULL,
	expires_at DATETIME(6) NOT NULL,
	revoked_at DATETIME(6) NULL,
	revoke_reason ENUM('logout','reuse','password','admin_lock') NULL,
	ip VARCHAR(45) NOT NULL,
	KEY ix_auth_sessions_user (user_id),
	CONSTRAINT fk_auth_sessions_user FOREIGN KEY (user_id) REFERENCES users (id),
	CHECK (expires_at > created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Refresh tokens are stored only as SHA-256 hashes. A used token stays so
-- that presenting it again is recognised as reuse.
CREATE TABLE refresh_tokens (
	token_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
	session_id BIGINT NOT NULL,
	created_at DATETIME(6) NOT NULL,
	used_at DATETIME(6) NULL,
	KEY ix_refresh_tokens_session (session_id),
	CONSTRAINT fk_refresh_tokens_session FOREIGN KEY (session_id) REFERENCES auth_sessions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Access tokens revoked one by one (logout); kept until they would expire anyway.
CREATE TABLE revoked_access_tokens (
	jti CHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
	expires_at DATETIME(6) NOT NULL,
	KEY ix_revoked_access_tokens_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE audit_log (
	id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
	at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6),
	actor_id BIGINT NULL,
	role VARCHAR(16) NOT NULL,
	action VARCHAR(64) NOT NULL,
	target_type VARCHAR(32) NULL,
	target_id VARCHAR(64) NULL,
	ip VARCHAR(45) NOT NULL,
	status SMALLINT NOT NULL,
	request_id CHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	detail VARCHAR(1024) NULL,
	KEY ix_audit_at (at),
	KEY ix_audit_actor (actor_id, id),
	KEY ix_audit_action (action, id),
	KEY ix_audit_target (target_type, target_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The audit log is append-only: no statement may edit a row, and none may
-- delete one younger than the 180 days the district must keep.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only';
CREATE TRIGGER audit_log_keep_180_days BEFORE DELETE ON audit_log FOR EACH ROW
	IF OLD.at > UTC_TIMESTAMP(6) - INTERVAL 180 DAY THEN
		SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log rows are kept 180 days';
	END IF;
