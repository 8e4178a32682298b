// Least privilege (issue 11): the server's own database account (the one in
// XYD_TEST_DB_URL, as the server runs) cannot rewrite history or the schema.
// The audit log and the ledger's journals and postings take SELECT and
// INSERT only; no account right lets it drop a trigger, truncate, alter,
// create or drop a table. Every statement below is refused by MariaDB's
// privilege check before it touches a row (the UPDATE and DELETE match no
// row anyway), so a failure here harms nothing else in the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { api, adminToken, sql } from './lib.mjs';

/** The server's account from its mariadb:// URL. */
function serverAccount() {
	const url = process.env.XYD_TEST_DB_URL;
	assert.ok(url, 'XYD_TEST_DB_URL is not set');
	const m = /^mariadb:\/\/([^:@]+):([^@]*)@[^/]+\/([^?]+)\?socket=(.+)$/.exec(url);
	assert.ok(m, 'XYD_TEST_DB_URL is a socket URL');
	return { user: decodeURIComponent(m[1]), password: decodeURIComponent(m[2]),
		database: decodeURIComponent(m[3]), socket: decodeURIComponent(m[4]) };
}

/** Runs one statement as the server's account: {ok, errno, stderr, rows}. */
function asServer(query) {
	const a = serverAccount();
	const r = spawnSync('mariadb', ['--no-defaults', '-S', a.socket, '-u', a.user, '-N', '-B', a.database, '-e', query], {
		env: { ...process.env, MYSQL_PWD: a.password },
		encoding: 'utf8',
		timeout: 30000,
	});
	const errno = /ERROR (\d+)/.exec(r.stderr || '');
	return { ok: r.status === 0, errno: errno ? Number(errno[1]) : null, stderr: r.stderr,
		rows: (r.stdout || '').split('\n').filter((l) => l).map((l) => l.split('\t')) };
}

// 1142 table access denied, 1044 database access denied, 1370 routine denied.
const PRIVILEGE_ERRORS = [1142, 1044, 1370];

function assertRefused(query) {
	const r = asServer(query);
	assert.equal(r.ok, false, `the server's account may not run: ${query}`);
	assert.ok(PRIVILEGE_ERRORS.includes(r.errno), `${query}: a privilege error, got ${r.stderr}`);
}

test('the server account cannot drop or alter the triggers that guard history', () => {
	for (const t of ['audit_log_no_update', 'audit_log_keep_180_days', 'ledger_postings_no_update',
		'ledger_postings_no_delete', 'ledger_journals_no_update', 'ledger_journals_no_delete'])
		assertRefused(`DROP TRIGGER ${t}`);
	assertRefused('CREATE TRIGGER lp_probe BEFORE INSERT ON audit_log FOR EACH ROW SET @x = 1');
	// The triggers are all still there.
	const left = sql("SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE()"
		+ " AND trigger_name IN ('audit_log_no_update', 'audit_log_keep_180_days', 'ledger_postings_no_update',"
		+ " 'ledger_postings_no_delete', 'ledger_journals_no_update', 'ledger_journals_no_delete')");
	assert.equal(Number(left[0][0]), 6);
});

test('the server account cannot update, delete or truncate the audit log or the ledger', () => {
	for (const t of ['audit_log', 'audit_chain', 'ledger_postings', 'ledger_journals']) {
		assertRefused(`UPDATE ${t} SET id = id WHERE 1 = 0`);
		assertRefused(`DELETE FROM ${t} WHERE 1 = 0`);
		assertRefused(`TRUNCATE TABLE ${t}`);
		assertRefused(`DROP TABLE ${t}`);
		assertRefused(`ALTER TABLE ${t} COMMENT = 'lp_probe'`);
	}
	// What it may do there: read and append.
	assert.ok(asServer('SELECT COUNT(*) FROM audit_log').ok);
	assert.ok(asServer('SELECT COUNT(*) FROM ledger_postings').ok);
});

test('the server account cannot change the schema or call the stored procedures', () => {
	const name = `lp_probe_${randomBytes(4).toString('hex')}`;
	assertRefused(`CREATE TABLE ${name} (a INT)`);
	assertRefused('ALTER TABLE users ADD COLUMN lp_probe INT');
	assertRefused('DROP TABLE users');
	assertRefused('TRUNCATE TABLE users');
	assertRefused('CREATE INDEX lp_probe ON users (id)');
	assertRefused('CREATE VIEW lp_probe AS SELECT 1');
	assertRefused('CALL stats_rebuild()');
	assertRefused('UPDATE towns SET name = name WHERE 1 = 0');	// reference data: read-only
	assertRefused('DELETE FROM schema_migrations WHERE 1 = 0');
	assertRefused('LOCK TABLES users WRITE');
	assertRefused('CREATE TEMPORARY TABLE lp_probe (a INT)');
});

test('every table, including those the rule does not name, gives the server account its rights', () => {
	// Tables as the admin sees them, rights as the server's account sees its own.
	const tables = sql('SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()').map((r) => r[0]);
	const rights = new Map();
	for (const [t, p] of asServer('SELECT table_name, privilege_type FROM information_schema.table_privileges'
		+ ' WHERE table_schema = DATABASE()').rows) {
		if (!rights.has(t)) rights.set(t, new Set());
		rights.get(t).add(p);
	}
	const appendOnly = new Set(['audit_log', 'audit_chain', 'ledger_journals', 'ledger_postings']);
	const moveOnly = new Set(['audit_chain_head']);	// one row, moved on, never removed
	const readOnly = new Set(['towns', 'parks', 'industries', 'size_class_rules', 'size_class_rule_prefixes', 'schema_migrations']);
	for (const t of tables) {
		const want = appendOnly.has(t) ? ['INSERT', 'SELECT'] : readOnly.has(t) ? ['SELECT']
			: moveOnly.has(t) ? ['SELECT', 'UPDATE']
			: ['DELETE', 'INSERT', 'SELECT', 'UPDATE'];
		assert.deepEqual([...(rights.get(t) || [])].sort(), want, `rights on ${t}`);
	}
	// No database-wide or global rights beside the table grants.
	const wide = asServer('SELECT (SELECT COUNT(*) FROM information_schema.schema_privileges),'
		+ " (SELECT COUNT(*) FROM information_schema.user_privileges WHERE privilege_type <> 'USAGE')").rows;
	assert.deepEqual(wide, [['0', '0']]);
});

test('the server answers as that account', async () => {
	const token = await adminToken();
	const res = await api('GET', '/api/v1/me', { token });
	assert.equal(res.status, 200);
});
