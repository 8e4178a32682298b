-- A tamper-evident audit log: every audit_log row is chained by SHA-256.
--
-- audit_chain holds, for each audit_log row (same id), the hash of the row
-- before it in the chain and its own hash: SHA-256 over a canonical,
-- length-prefixed encoding of the previous hash, the row's id, its `at` as
-- stored (microseconds) and every other column (models/audit.c). The chain
-- runs in id order. audit_chain_head is the one row every append locks
-- (FOR UPDATE, in the writer's transaction), so appends are serialised and
-- commit order cannot fork the chain; it names the last chained row and
-- its hash (kept by a trigger), so a deleted last row is caught too. GET /api/v1/audit/verify
-- walks the chain.
--
-- The hashes live beside audit_log rather than in it because the rows that
-- exist before this migration are chained by the server's C code at its next
-- start (models_audit_chain_legacy), and audit_log rows are never updated.
-- legacy_to_id names the last of those rows; NULL once they are chained (or
-- when there were none). Both tables are append-only like audit_log: only
-- the head's single row is updated.
CREATE TABLE audit_chain (
	audit_id BIGINT NOT NULL PRIMARY KEY,
	prev_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	row_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL
) ENGINE=InnoDB;

CREATE TABLE audit_chain_head (
	id TINYINT NOT NULL PRIMARY KEY,
	last_id BIGINT NOT NULL,
	last_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	legacy_to_id BIGINT NULL,
	CHECK (id = 1)
) ENGINE=InnoDB;

INSERT INTO audit_chain_head (id, last_id, last_hash, legacy_to_id)
SELECT 1, 0, REPEAT('0', 64), MAX(id) FROM audit_log;

-- Every chain row moves the head to itself, in the same statement: the head
-- always names the newest chained row.
CREATE TRIGGER audit_chain_head_follow AFTER INSERT ON audit_chain FOR EACH ROW
	UPDATE audit_chain_head SET last_id = NEW.audit_id, last_hash = NEW.row_hash WHERE id = 1;
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_chain is append-only';
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_chain is append-only';
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head FOR EACH ROW
	SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_chain_head keeps its row';

INSERT INTO startup_tasks (name) VALUES ('audit_chain');
