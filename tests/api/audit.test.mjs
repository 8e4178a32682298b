// GET /api/v1/audit: every account action leaves a row with who, role,
// what, target, when, where and outcome; filters narrow, pages walk, rows
// come newest first, and no route can change them.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	RFC3339_UTC, adminId, adminToken, api, assertKeys, auditRows, createInstitution, createUser,
	expectError, expectStatus, freshUser, instantAgo, listAll, login, loginRaw, registerSme, roleUser,
	strongPassword,
} from './lib.mjs';

const AUDIT = '/api/v1/audit';
const ROW_KEYS = ['id', 'at', 'actor_id', 'role', 'action', 'target_type', 'target_id', 'ip', 'status'];

const same = (a, b) => a !== null && a !== undefined && String(a) === String(b);

/** Rows of action since `since` that name id as actor or target. */
async function rowsFor(action, since, id) {
	const rows = await auditRows({ action, from: since });
	for (const r of rows) assert.equal(r.action, action, 'the action filter holds');
	return rows.filter((r) => same(r.actor_id, id) || same(r.target_id, id));
}

function assertRow(r) {
	assertKeys(r, ROW_KEYS, 'audit row');
	assert.ok(Number.isInteger(r.id));
	assert.match(r.at, RFC3339_UTC);
	assert.ok(r.actor_id === null || Number.isInteger(r.actor_id), `actor_id ${r.actor_id}`);
	assert.equal(typeof r.role, 'string');
	assert.equal(typeof r.action, 'string');
	assert.ok(Number.isInteger(r.status) && r.status >= 100 && r.status < 600, `status ${r.status}`);
	assert.equal(typeof r.ip, 'string');
	assert.ok(r.ip.length > 0, 'ip is recorded');
}

test('logins are audited with their outcome: 200, 401 and 429', async () => {
	const since = instantAgo(2);
	const sme = await registerSme();
	await login(sme.username, sme.password);
	for (let i = 0; i < 5; i++) await loginRaw(sme.username, `Wrong-password-${i}`);
	expectError(await loginRaw(sme.username, sme.password), 429, 'account_locked');
	const rows = await rowsFor('auth.login', since, sme.user.id);
	rows.forEach(assertRow);
	const statuses = rows.map((r) => r.status);
	assert.equal(statuses.filter((s) => s === 200).length, 1, `one success in ${statuses}`);
	assert.equal(statuses.filter((s) => s === 401).length, 5, `five failures in ${statuses}`);
	assert.equal(statuses.filter((s) => s === 429).length, 1, `one refusal in ${statuses}`);
	const ok = rows.find((r) => r.status === 200);
	assert.equal(ok.actor_id, sme.user.id);
	assert.equal(ok.role, 'sme');
});

test('register, refresh, logout and password change are audited', async () => {
	const since = instantAgo(2);
	const u = await freshUser('sme');
	const r = expectStatus(await api('POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refresh_token } }), 200);
	assert.equal((await api('POST', '/api/v1/auth/logout', { token: r.access_token })).status, 204);
	const second = await login(u.username, u.password);
	assert.equal((await api('POST', '/api/v1/auth/password', {
		token: second.token, body: { old_password: u.password, new_password: strongPassword() },
	})).status, 204);
	const reg = (await rowsFor('auth.register', since, u.id))
		.concat((await auditRows({ action: 'auth.register', from: since })).filter((x) => same(x.target_id, u.enterprise.id)));
	assert.ok(reg.length >= 1, 'auth.register names the new user or enterprise');
	assert.ok(reg.every((x) => x.status === 201), 'register is audited with 201');
	for (const action of ['auth.refresh', 'auth.logout', 'auth.password']) {
		const rows = await rowsFor(action, since, u.id);
		assert.ok(rows.length >= 1, `${action} is audited`);
		rows.forEach(assertRow);
		assert.ok(rows.some((x) => x.status >= 200 && x.status < 300), `${action} has a success row`);
	}
});

test('user create, lock and unlock are audited with the admin as actor', async () => {
	const since = instantAgo(2);
	const token = await adminToken();
	const admin = await adminId();
	const made = await createUser('auditor');
	const id = made.user.id;
	expectStatus(await api('POST', `/api/v1/users/${id}/lock`, { token }), 200);
	expectStatus(await api('POST', `/api/v1/users/${id}/unlock`, { token }), 200);
	const rows = await auditRows({ target_type: 'user', target_id: String(id) });
	for (const r of rows) {
		assertRow(r);
		assert.equal(r.target_type, 'user');
		assert.ok(same(r.target_id, id));
	}
	for (const action of ['user.create', 'user.lock', 'user.unlock']) {
		const row = rows.find((r) => r.action === action);
		assert.ok(row, `${action} row for user ${id}`);
		assert.equal(row.actor_id, admin);
		assert.equal(row.role, 'admin');
		assert.ok(row.status >= 200 && row.status < 300, `${action} status ${row.status}`);
		assert.ok(Date.parse(row.at) >= Date.parse(since) - 1000, `${action} at ${row.at} is recent`);
	}
	const order = ['user.unlock', 'user.lock', 'user.create'];
	const seen = rows.map((r) => r.action).filter((a) => order.includes(a));
	assert.deepEqual(seen, order, 'newest first');
});

test('institution create is audited', async () => {
	const inst = await createInstitution();
	const rows = await auditRows({ action: 'institution.create', target_type: 'institution', target_id: String(inst.id) });
	assert.equal(rows.length, 1);
	assertRow(rows[0]);
	assert.equal(rows[0].actor_id, await adminId());
	assert.equal(rows[0].status, 201);
});

test('filters narrow by actor, action, target and time', async () => {
	const u = await freshUser('bureau');
	await login(u.username, u.password);
	const byActor = await auditRows({ actor_id: String(u.id) });
	assert.ok(byActor.length >= 2, 'two logins at least');
	for (const r of byActor) assert.equal(r.actor_id, u.id);
	const logins = await auditRows({ actor_id: String(u.id), action: 'auth.login' });
	assert.equal(logins.length, 2);
	for (const r of logins) assert.equal(r.action, 'auth.login');
	// Time: the rows of today (UTC) include them, tomorrow and yesterday do not.
	const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
	assert.equal((await auditRows({ actor_id: String(u.id), from: day(0) })).length, byActor.length);
	assert.equal((await auditRows({ actor_id: String(u.id), from: day(1) })).length, 0);
	assert.equal((await auditRows({ actor_id: String(u.id), to: day(-1) })).length, 0);
	assert.equal((await auditRows({ actor_id: String(u.id), from: instantAgo(3600), to: instantAgo(-3600) })).length, byActor.length);
	assert.equal((await auditRows({ actor_id: String(u.id), to: instantAgo(3600) })).length, 0);
	// An actor with no rows has an empty list, not an error.
	assert.equal((await auditRows({ actor_id: '987654321' })).length, 0);
});

test('rows come newest first and pages visit each row once', async () => {
	const u = await freshUser('auditor');
	for (let i = 0; i < 2; i++) await login(u.username, u.password);
	const all = await auditRows({ actor_id: String(u.id) });
	assert.ok(all.length >= 3);
	for (let i = 1; i < all.length; i++) {
		assert.ok(all[i - 1].id > all[i].id, 'ids descend');
		assert.ok(all[i - 1].at >= all[i].at, 'times do not rise');
	}
	const { token } = await roleUser('auditor');
	const paged = await listAll(`${AUDIT}?actor_id=${u.id}`, token, { limit: 1 });
	assert.deepEqual(paged.map((r) => r.id), all.map((r) => r.id));
});

test('a bad filter is 400 naming it', async () => {
	const { token } = await roleUser('auditor');
	const cases = [
		['actor_id=abc', 'actor_id'],
		['from=yesterday', 'from'],
		['to=2024-13-01', 'to'],
		['from=2024-02-30', 'from'],
		['limit=0', 'limit'],
		['cursor=%21%21not-a-cursor%21%21', 'cursor'],
	];
	for (const [qs, field] of cases) {
		expectError(await api('GET', `${AUDIT}?${qs}`, { token }), 400, 'validation_failed', field);
	}
});

test('no route edits or deletes audit rows', async () => {
	const { token } = await roleUser('auditor');
	const admin = await adminToken();
	for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
		for (const t of [token, admin]) {
			const res = await api(method, AUDIT, { token: t, body: method === 'DELETE' ? undefined : {} });
			expectError(res, 405, 'method_not_allowed');
			assert.ok((res.headers.get('allow') || '').split(/\s*,\s*/).includes('GET'), `Allow: ${res.headers.get('allow')}`);
		}
	}
	const [row] = (await api('GET', `${AUDIT}?limit=1`, { token })).json.items;
	assert.ok(row);
	for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
		const res = await api(method, `${AUDIT}/${row.id}`, { token, body: ['PUT', 'PATCH'].includes(method) ? {} : undefined });
		assert.ok([404, 405].includes(res.status), `${method} ${AUDIT}/${row.id}: ${res.status}`);
	}
	const again = (await api('GET', `${AUDIT}?limit=1`, { token })).json.items;
	assert.ok(again[0].id >= row.id);
});

test('audit rows never carry passwords or tokens', async () => {
	const u = await freshUser('sme');
	const rows = await auditRows({ actor_id: String(u.id) });
	const text = JSON.stringify(rows);
	assert.ok(!text.includes(u.password));
	assert.ok(!text.includes(u.token));
	assert.ok(!text.includes(u.refresh_token));
});
