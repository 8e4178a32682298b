-- Work a schema change needs done by the server's own C code rather than by
-- SQL: the server runs each task at its next start, before it serves, and
-- deletes it in the same breath, so a task runs once per database however
-- many times the server restarts after (and again if it died half-way).
--
-- rescore_all: every stored score is computed again. 0008 adds it because
-- scores stored before the Chinese explanations (each factor's detail_zh)
-- lack them; after the rescore every factor has both languages.
CREATE TABLE startup_tasks (
	name VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	added_at DATETIME(6) NOT NULL DEFAULT UTC_TIMESTAMP(6)
) ENGINE=InnoDB;

INSERT INTO startup_tasks (name) VALUES ('rescore_all');
