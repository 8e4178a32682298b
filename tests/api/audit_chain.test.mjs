// The audit log is tamper-evident: GET /api/v1/audit/verify walks the hash
// chain and names the first row that no longer holds. Each tamper test works
// as the database's root, around the append-only triggers (dropped and put
// back), and restores the row it changed, so the chain is whole again for
// every later test and test file. Refused access (403/404 to a logged-in
// caller) is audited too, at most a few rows per user per minute.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	api, applicationIn, auditRows, expectError, expectStatus, freshUser, hex, instantAgo, login,
	loginRaw, roleUser, sql,
} from './lib.mjs';

const VERIFY = '/api/v1/audit/verify';
const DENIED_PER_USER_MINUTE = 20;	// server/audit.c

async function verify() {
	const body = expectStatus(await api('GET', VERIFY, { token: (await roleUser('auditor')).token }), 200);
	assert.deepEqual(Object.keys(body).sort(), ['first_bad_id', 'ok', 'rows']);
	return body;
}

/* The statement that creates trigger name, as the database holds it. */
function triggerDefinition(name) {
	const rows = sql(`SELECT ACTION_STATEMENT, EVENT_MANIPULATION, ACTION_TIMING FROM information_schema.TRIGGERS`
		+ ` WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME = '${name}'`);
	assert.equal(rows.length, 1, `trigger ${name}`);
	const [body, event, timing] = rows[0];
	return `CREATE TRIGGER ${name} ${timing} ${event} ON audit_log FOR EACH ROW ${body.replaceAll('\\n', '\n').replaceAll('\\t', '\t')}`;
}

/* Runs statements (one SQL text) with trigger name dropped, then puts it back. */
function withoutTrigger(name, statements) {
	const create = triggerDefinition(name);
	try {
		return sql(`DROP TRIGGER ${name}; ${statements}`);
	} finally {
		sql(`DELIMITER //\n${create}//\nDELIMITER ;`);
		assert.equal(sql(`SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()`
			+ ` AND TRIGGER_NAME = '${name}'`)[0][0], '1', `${name} is back`);
	}
}

/* A row's every column, kept in a side table to be put back later. */
function keepRow(id) {
	const table = `zz_audit_keep_${hex(4)}`;
	sql(`CREATE TABLE ${table} AS SELECT * FROM audit_log WHERE id = ${Number(id)}`);
	return table;
}

function putBack(table) {
	sql(`INSERT INTO audit_log SELECT * FROM ${table}; DROP TABLE ${table}`);
}

/* Some audited actions, so the chain has rows of many kinds. */
async function someActions() {
	const u = await freshUser('sme');
	await login(u.username, u.password);
	await loginRaw(u.username, 'Wrong-password-1');
	await api('POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refresh_token } });
	return u;
}

/* The id of a recent audit row that has rows after it. */
async function middleRow() {
	const u = await someActions();
	const rows = await auditRows({ actor_id: String(u.id) });
	assert.ok(rows.length >= 2);
	const id = rows[rows.length - 1].id;
	assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE id > ${id}`)[0][0]) > 0);
	return id;
}

test('the chain verifies on a live database after many actions', async () => {
	for (let i = 0; i < 5; i++) await someActions();
	const v = await verify();
	assert.equal(v.ok, true, JSON.stringify(v));
	assert.equal(v.first_bad_id, null);
	const total = Number(sql('SELECT COUNT(*) FROM audit_log')[0][0]);
	assert.ok(v.rows > 0 && v.rows <= total, `${v.rows} rows of ${total}`);
	// Every row is chained: a row per audit row, none missing.
	assert.equal(sql('SELECT COUNT(*) FROM audit_log a LEFT JOIN audit_chain c ON c.audit_id = a.id'
		+ ' WHERE c.audit_id IS NULL')[0][0], '0');
});

test('parallel appends from many requests keep one unforked chain', async () => {
	const before = Number(sql('SELECT last_id FROM audit_chain_head')[0][0]);
	const answers = await Promise.all(Array.from({ length: 40 },
		(_, i) => loginRaw(`ghost-${hex(4)}-${i}`, 'Wrong-password-1')));
	assert.ok(answers.every((a) => a.status === 401));
	const v = await verify();
	assert.deepEqual([v.ok, v.first_bad_id], [true, null]);
	// Each new row links to the one before it in id order: no two share a parent.
	const [[rows, parents]] = sql('SELECT COUNT(*), COUNT(DISTINCT prev_hash) FROM audit_chain'
		+ ` WHERE audit_id > ${before}`);
	assert.ok(Number(rows) >= 40);
	assert.equal(rows, parents);
});

test('only the auditor may verify', async () => {
	for (const role of ['sme', 'bank', 'park', 'bureau', 'admin']) {
		expectError(await api('GET', VERIFY, { token: (await roleUser(role)).token }), 403, 'forbidden');
	}
	expectError(await api('GET', VERIFY), 401, 'unauthenticated');
});

test('an edited column of any row shows at that row, and verifies again once restored', async () => {
	const id = await middleRow();
	const columns = [
		['action', "'auth.logout'"], ['status', '200'], ['ip', "'10.9.9.9'"], ['actor_id', 'NULL'],
		['at', 'at + INTERVAL 1 MICROSECOND'], ['detail', "'x'"], ['request_id', "'0000000000000000'"],
	];
	for (const [column, value] of columns) {
		const kept = keepRow(id);
		try {
			withoutTrigger('audit_log_no_update', `UPDATE audit_log SET ${column} = ${value} WHERE id = ${id}`);
			const v = await verify();
			assert.equal(v.ok, false, `an edited ${column} is caught`);
			assert.equal(v.first_bad_id, id, `at row ${id} (${column})`);
		} finally {
			withoutTrigger('audit_log_keep_180_days', `DELETE FROM audit_log WHERE id = ${id}`);
			putBack(kept);
		}
		assert.equal((await verify()).ok, true, `whole again after ${column}`);
	}
});

test('an edit through the API-visible fields is caught even with the triggers dropped and restored', async () => {
	// The UPDATE goes through; the triggers came back; the chain still tells.
	const id = await middleRow();
	const [[before]] = sql(`SELECT role FROM audit_log WHERE id = ${id}`);
	withoutTrigger('audit_log_no_update', `UPDATE audit_log SET role = 'auditor' WHERE id = ${id}`);
	try {
		const v = await verify();
		assert.deepEqual([v.ok, v.first_bad_id], [false, id]);
		expectError(await loginRaw('nobody', 'x'), 401, 'invalid_credentials');	// appends go on
		assert.deepEqual([(await verify()).first_bad_id], [id]);
	} finally {
		withoutTrigger('audit_log_no_update', `UPDATE audit_log SET role = '${before}' WHERE id = ${id}`);
	}
	assert.equal((await verify()).ok, true);
});

test('a deleted middle row shows at the next row', async () => {
	const id = await middleRow();
	const [[next]] = sql(`SELECT MIN(id) FROM audit_log WHERE id > ${id}`);
	const kept = keepRow(id);
	try {
		withoutTrigger('audit_log_keep_180_days', `DELETE FROM audit_log WHERE id = ${id}`);
		const v = await verify();
		assert.equal(v.ok, false);
		assert.equal(v.first_bad_id, Number(next), 'the first row whose previous hash no longer matches');
	} finally {
		putBack(kept);
	}
	assert.equal((await verify()).ok, true);
});

test('a deleted last row is caught through the chain head', async () => {
	await someActions();
	// One session: the newest chained row is found and deleted at once.
	const table = `zz_audit_keep_${hex(4)}`;
	const create = triggerDefinition('audit_log_keep_180_days');
	let last;
	try {
		[[last]] = sql(`DROP TRIGGER audit_log_keep_180_days; SELECT last_id INTO @l FROM audit_chain_head;`
			+ ` CREATE TABLE ${table} AS SELECT * FROM audit_log WHERE id = @l;`
			+ ' DELETE FROM audit_log WHERE id = @l; SELECT @l');
	} finally {
		sql(`DELIMITER //\n${create}//\nDELIMITER ;`);
	}
	try {
		const v = await verify();
		assert.equal(v.ok, false, 'a deleted last row is caught');
		assert.ok(v.first_bad_id >= Number(last), `first_bad_id ${v.first_bad_id}, deleted ${last}`);
	} finally {
		putBack(table);
	}
	assert.equal((await verify()).ok, true);
});

test('a row written around the chain is caught', async () => {
	await someActions();
	const [[id]] = sql("INSERT INTO audit_log (actor_id, role, action, ip, status, request_id)"
		+ " VALUES (NULL, 'system', 'forged.row', '-', 200, 'forged00forged00'); SELECT LAST_INSERT_ID()");
	try {
		const v = await verify();
		assert.deepEqual([v.ok, v.first_bad_id], [false, Number(id)]);
	} finally {
		withoutTrigger('audit_log_keep_180_days', `DELETE FROM audit_log WHERE id = ${id}`);
	}
	assert.equal((await verify()).ok, true);
});

test("a bank reading another bank's application is refused 404 and audited as access.denied", async () => {
	const { app } = await applicationIn('pending_bank');
	const other = await freshUser('bank');
	const since = instantAgo(2);
	expectError(await api('GET', `/api/v1/applications/${app.id}`, { token: other.token }), 404, 'not_found');
	// A record that does not exist reads the same, and is recorded the same.
	expectError(await api('GET', '/api/v1/applications/987654321', { token: other.token }), 404, 'not_found');
	// A role refusal (403) too.
	expectError(await api('GET', '/api/v1/audit', { token: other.token }), 403, 'forbidden');
	const rows = (await auditRows({ action: 'access.denied', actor_id: String(other.id), from: since }))
		.sort((a, b) => a.id - b.id);
	assert.equal(rows.length, 3, JSON.stringify(rows));
	assert.deepEqual(rows.map((r) => [r.status, r.target_type, r.target_id, r.role]), [
		[404, 'applications', String(app.id), 'bank'],
		[404, 'applications', '987654321', 'bank'],
		[403, 'audit', null, 'bank'],
	]);
	const [[detail]] = sql(`SELECT detail FROM audit_log WHERE id = ${rows[0].id}`);
	assert.equal(detail, 'GET /api/v1/applications/{id}');
	assert.equal((await verify()).ok, true);
});

test('a flood of refused requests leaves at most the per-minute limit of rows', async () => {
	const { app } = await applicationIn('submitted');
	const other = await freshUser('bank');
	const since = instantAgo(2);
	const answers = await Promise.all(Array.from({ length: 100 },
		() => api('GET', `/api/v1/applications/${app.id}`, { token: other.token })));
	assert.ok(answers.every((a) => a.status === 404));
	const rows = await auditRows({ action: 'access.denied', actor_id: String(other.id), from: since });
	// The window is a calendar minute: a flood across its edge may fill two.
	assert.ok(rows.length >= 1 && rows.length <= 2 * DENIED_PER_USER_MINUTE, `${rows.length} rows`);
	const [[minutes]] = sql("SELECT COUNT(DISTINCT DATE_FORMAT(at, '%Y%m%d%H%i')) FROM audit_log"
		+ ` WHERE action = 'access.denied' AND actor_id = ${Number(other.id)}`);
	assert.ok(rows.length <= Number(minutes) * DENIED_PER_USER_MINUTE, `${rows.length} rows in ${minutes} minute(s)`);
	assert.equal((await verify()).ok, true);
});
