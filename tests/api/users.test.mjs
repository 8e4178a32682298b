// Admin account management (POST/GET /users, lock, unlock) and
// institutions (POST/GET /institutions).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	RFC3339_UTC, adminToken, api, assertKeys, assertList, assertNoLeak, createInstitution, createUser,
	expectError, expectStatus, freshUser, hex, listAll, login, loginRaw, roleUser, strongPassword, uniqueName,
} from './lib.mjs';

const USERS = '/api/v1/users';
const INSTITUTIONS = '/api/v1/institutions';
const USER_KEYS = ['id', 'username', 'role', 'org_id', 'org_name', 'status', 'created_at', 'last_login_at'];
const INSTITUTION_KEYS = ['id', 'name', 'kind', 'created_at'];
const NO_SUCH_ID = 987654321;

async function postUser(body) {
	return api('POST', USERS, { token: await adminToken(), body });
}

function assertUser(u) {
	assertKeys(u, USER_KEYS, 'user');
	assert.ok(Number.isInteger(u.id) && u.id > 0);
	assert.ok(['active', 'locked'].includes(u.status), `status ${u.status}`);
	assert.match(u.created_at, RFC3339_UTC);
	assert.ok(u.last_login_at === null || RFC3339_UTC.test(u.last_login_at), `last_login_at ${u.last_login_at}`);
}

/* ---------------------------------------------------------- create users */

test('admin creates a bank user bound to an institution', async () => {
	const inst = await createInstitution();
	const body = { username: uniqueName('bank'), password: strongPassword(), role: 'bank', org_id: inst.id };
	const res = await postUser(body);
	const u = expectStatus(res, 201);
	assertUser(u);
	assert.equal(u.username, body.username);
	assert.equal(u.role, 'bank');
	assert.equal(u.org_id, inst.id);
	assert.equal(u.org_name, inst.name);
	assert.equal(u.status, 'active');
	assert.equal(u.last_login_at, null);
	assert.doesNotMatch(res.text, /password/i);
	assert.ok(!res.text.includes(body.password));
	assertNoLeak(res.text);
	const l = await login(body.username, body.password);
	assert.equal(l.user.org_id, inst.id);
});

test('admin creates a park user bound to a park', async () => {
	for (const [parkId, name] of [[1, '东方美谷'], [4, '临港新片区奉贤园区']]) {
		const u = expectStatus(await postUser({ username: uniqueName('park'), password: strongPassword(), role: 'park', org_id: parkId }), 201);
		assertUser(u);
		assert.equal(u.role, 'park');
		assert.equal(u.org_id, parkId);
		assert.equal(u.org_name, name);
	}
});

test('admin creates bureau, auditor and admin users with no organisation', async () => {
	for (const role of ['bureau', 'auditor', 'admin']) {
		const withNull = expectStatus(await postUser({ username: uniqueName(role), password: strongPassword(), role, org_id: null }), 201);
		assertUser(withNull);
		assert.equal(withNull.role, role);
		assert.equal(withNull.org_id, null);
		assert.equal(withNull.org_name, null);
	}
	const absent = expectStatus(await postUser({ username: uniqueName('bureau'), password: strongPassword(), role: 'bureau' }), 201);
	assert.equal(absent.org_id, null);
});

test('a created admin can act as admin', async () => {
	const other = await freshUser('admin');
	expectStatus(await api('GET', `${USERS}?limit=1`, { token: other.token }), 200);
});

test('role sme or an unknown role is 400 on role', async () => {
	for (const role of ['sme', 'root', 'ADMIN', '', 7]) {
		const res = await postUser({ username: uniqueName('r'), password: strongPassword(), role, org_id: null });
		expectError(res, 400, 'validation_failed', 'role');
	}
});

test('an organisation that does not fit the role is 400 on org_id', async () => {
	const inst = await createInstitution();
	const cases = [
		{ role: 'bank' },
		{ role: 'bank', org_id: null },
		{ role: 'bank', org_id: NO_SUCH_ID },
		{ role: 'bank', org_id: String(inst.id) },
		{ role: 'park' },
		{ role: 'park', org_id: null },
		{ role: 'park', org_id: 5 },
		{ role: 'park', org_id: 0 },
		{ role: 'bureau', org_id: 1 },
		{ role: 'auditor', org_id: inst.id },
		{ role: 'admin', org_id: 1 },
	];
	for (const c of cases) {
		const res = await postUser({ username: uniqueName('o'), password: strongPassword(), ...c });
		expectError(res, 400, 'validation_failed', 'org_id');
	}
});

test('a weak password, a bad username or an unknown key is 400 naming the field', async () => {
	expectError(await postUser({ username: uniqueName('w'), password: 'weakpassword', role: 'bureau' }), 400, 'validation_failed', 'password');
	expectError(await postUser({ username: 'a b', password: strongPassword(), role: 'bureau' }), 400, 'validation_failed', 'username');
	expectError(await postUser({ username: uniqueName('w'), password: strongPassword(), role: 'bureau', status: 'active' }), 400, 'validation_failed', 'status');
	expectError(await postUser({ password: strongPassword(), role: 'bureau' }), 400, 'validation_failed', 'username');
});

test('a taken username is 409 conflict', async () => {
	const first = await createUser('bureau');
	expectError(await postUser({ username: first.username, password: strongPassword(), role: 'auditor' }), 409, 'conflict');
	expectError(await postUser({ username: first.username.toUpperCase(), password: strongPassword(), role: 'auditor' }), 409, 'conflict');
	expectError(await postUser({ username: 'admin', password: strongPassword(), role: 'admin' }), 409, 'conflict');
});

/* ------------------------------------------------------------ list users */

test('GET /users lists users in the list envelope, every one once', async () => {
	const made = [];
	for (let i = 0; i < 3; i++) made.push((await createUser('auditor')).user);
	const token = await adminToken();
	const first = assertList(await api('GET', USERS, { token }));
	assert.ok(first.items.length <= 50, 'default page is at most 50');
	const all = await listAll(USERS, token, { limit: 7 });
	const ids = all.map((u) => u.id);
	assert.equal(new Set(ids).size, ids.length, 'no user is listed twice');
	for (const m of made) {
		const found = all.find((u) => u.id === m.id);
		assert.ok(found, `user ${m.id} is listed`);
		assert.deepEqual(found, m);
	}
	for (const u of all) assertUser(u);
	assert.ok(all.some((u) => u.username === 'admin' && u.role === 'admin'));
	const text = JSON.stringify(all);
	assert.doesNotMatch(text, /password|argon2/i);
});

test('the user list shows last_login_at once a user logged in', async () => {
	const made = await createUser('bureau');
	assert.equal(made.user.last_login_at, null);
	await login(made.username, made.password);
	const all = await listAll(USERS, await adminToken());
	const found = all.find((u) => u.id === made.user.id);
	assert.match(found.last_login_at, RFC3339_UTC);
});

test('GET /users?q= finds users by part of the username or of their organisation, wildcards literal', async () => {
	const tag = hex(5);
	const inst = await createInstitution({ name: `检索银行${tag}支行` });
	const byName = await createUser('bank', inst.id);
	const byUsername = await createUser('auditor', undefined, { username: `find_${tag}_x` });
	const decoy = await createUser('auditor', undefined, { username: `findx${tag}` });
	const token = await adminToken();
	const q = (s, more = '') => listAll(`${USERS}?q=${encodeURIComponent(s)}${more}`, token, { limit: 2 });

	assert.deepEqual((await q(`检索银行${tag}`)).map((u) => u.id), [byName.user.id]);
	assert.deepEqual((await q(`_${tag}_`)).map((u) => u.id), [byUsername.user.id], '_ matches only _');
	assert.deepEqual((await q(tag)).map((u) => u.id).sort((a, b) => a - b),
		[byName.user.id, byUsername.user.id, decoy.user.id].sort((a, b) => a - b));
	assert.deepEqual(await q(`%${tag}`), [], '% matches only %');
	assert.deepEqual((await q(tag, '&role=bank')).map((u) => u.id), [byName.user.id]);
	for (const u of await q(tag)) assertUser(u);
});

test('GET /users?locked= and ?role= filter; bad filters are 400 naming the parameter', async () => {
	const tag = hex(5);
	const a = await createUser('bureau', undefined, { username: `lk_${tag}_a` });
	const b = await createUser('bureau', undefined, { username: `lk_${tag}_b` });
	const token = await adminToken();
	expectStatus(await api('POST', `${USERS}/${b.user.id}/lock`, { token }), 200);
	const ids = async (more) => (await listAll(`${USERS}?q=lk_${tag}${more}`, token)).map((u) => u.id);
	assert.deepEqual(await ids('&locked=true'), [b.user.id]);
	assert.deepEqual(await ids('&locked=false'), [a.user.id]);
	assert.deepEqual(await ids('&role=auditor'), []);
	assert.deepEqual(await ids('&role=bureau&locked=false'), [a.user.id]);
	const all = await listAll(`${USERS}?role=admin`, token);
	assert.ok(all.length >= 1 && all.every((u) => u.role === 'admin'));

	expectError(await api('GET', `${USERS}?role=teller`, { token }), 400, 'validation_failed', 'role');
	expectError(await api('GET', `${USERS}?locked=yes`, { token }), 400, 'validation_failed', 'locked');
	expectError(await api('GET', `${USERS}?q=`, { token }), 400, 'validation_failed', 'q');
	expectError(await api('GET', `${USERS}?q=${'x'.repeat(65)}`, { token }), 400, 'validation_failed', 'q');
	expectError(await api('GET', `${USERS}?q=%FF`, { token }), 400, 'validation_failed', 'q');
});

/* ----------------------------------------------------------- lock/unlock */

test('lock makes a user 429 account_locked and kills its tokens; unlock lets it back in', async () => {
	const u = await freshUser('bank');
	const token = await adminToken();
	const locked = expectStatus(await api('POST', `${USERS}/${u.id}/lock`, { token }), 200);
	assertUser(locked);
	assert.equal(locked.id, u.id);
	assert.equal(locked.status, 'locked');
	expectError(await loginRaw(u.username, u.password), 429, 'account_locked');
	expectError(await api('GET', '/api/v1/me', { token: u.token }), 401, 'unauthenticated');
	expectError(await api('POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refresh_token } }), 401, 'unauthenticated');
	const listed = (await listAll(USERS, token)).find((x) => x.id === u.id);
	assert.equal(listed.status, 'locked');

	const unlocked = expectStatus(await api('POST', `${USERS}/${u.id}/unlock`, { token }), 200);
	assertUser(unlocked);
	assert.equal(unlocked.status, 'active');
	const l = await login(u.username, u.password);
	expectStatus(await api('GET', '/api/v1/me', { token: l.token }), 200);
});

test('locking twice and unlocking an active user are harmless', async () => {
	const u = await createUser('auditor');
	const token = await adminToken();
	const path = (op) => `${USERS}/${u.user.id}/${op}`;
	assert.equal(expectStatus(await api('POST', path('unlock'), { token }), 200).status, 'active');
	assert.equal(expectStatus(await api('POST', path('lock'), { token }), 200).status, 'locked');
	assert.equal(expectStatus(await api('POST', path('lock'), { token }), 200).status, 'locked');
	assert.equal(expectStatus(await api('POST', path('unlock'), { token }), 200).status, 'active');
	await login(u.username, u.password);
});

test('unlock also ends a lock-out from failed logins', async () => {
	const u = await createUser('bureau');
	for (let i = 0; i < 5; i++) await loginRaw(u.username, `Wrong-password-${i}`);
	expectError(await loginRaw(u.username, u.password), 429, 'account_locked');
	expectStatus(await api('POST', `${USERS}/${u.user.id}/unlock`, { token: await adminToken() }), 200);
	await login(u.username, u.password);
});

test('lock and unlock of an unknown user are 404', async () => {
	const token = await adminToken();
	for (const op of ['lock', 'unlock']) {
		expectError(await api('POST', `${USERS}/${NO_SUCH_ID}/${op}`, { token }), 404, 'not_found');
		expectError(await api('POST', `${USERS}/0/${op}`, { token }), 404, 'not_found');
	}
	const res = await api('POST', `${USERS}/abc/lock`, { token });
	assert.ok([400, 404].includes(res.status), `non-numeric id: ${res.status}`);
	expectError(res, res.status, res.status === 400 ? 'validation_failed' : 'not_found');
});

test('an admin cannot lock itself out', async () => {
	const other = await freshUser('admin');
	const res = await api('POST', `${USERS}/${other.id}/lock`, { token: other.token });
	assert.ok([400, 409].includes(res.status), `self-lock: ${res.status} ${res.text}`);
	expectStatus(await api('GET', '/api/v1/me', { token: other.token }), 200);
});

/* ---------------------------------------------------------- institutions */

test('admin creates an institution of each kind', async () => {
	for (const kind of ['bank', 'guarantor', 'microloan']) {
		const name = `奉贤${kind}${hex(4)}`;
		const res = await api('POST', INSTITUTIONS, { token: await adminToken(), body: { name, kind } });
		const inst = expectStatus(res, 201);
		assertKeys(inst, INSTITUTION_KEYS, 'institution');
		assert.ok(Number.isInteger(inst.id) && inst.id > 0);
		assert.equal(inst.name, name);
		assert.equal(inst.kind, kind);
		assert.match(inst.created_at, RFC3339_UTC);
	}
});

test('an institution with a bad kind, a bad name or an unknown key is 400', async () => {
	const token = await adminToken();
	const post = (body) => api('POST', INSTITUTIONS, { token, body });
	expectError(await post({ name: uniqueName('i'), kind: 'insurer' }), 400, 'validation_failed', 'kind');
	expectError(await post({ name: uniqueName('i'), kind: 'Bank' }), 400, 'validation_failed', 'kind');
	expectError(await post({ name: uniqueName('i') }), 400, 'validation_failed', 'kind');
	expectError(await post({ name: '', kind: 'bank' }), 400, 'validation_failed', 'name');
	expectError(await post({ name: 'x'.repeat(201), kind: 'bank' }), 400, 'validation_failed', 'name');
	expectError(await post({ kind: 'bank' }), 400, 'validation_failed', 'name');
	expectError(await post({ name: uniqueName('i'), kind: 'bank', id: 5 }), 400, 'validation_failed', 'id');
});

test('a duplicate institution name is 409 conflict', async () => {
	const inst = await createInstitution();
	const res = await api('POST', INSTITUTIONS, { token: await adminToken(), body: { name: inst.name, kind: 'guarantor' } });
	expectError(res, 409, 'conflict');
});

test('other roles list institutions, every one once', async () => {
	const made = [];
	for (let i = 0; i < 3; i++) made.push(await createInstitution({ kind: 'microloan' }));
	// roles.test.mjs checks every role may call it; here the content counts.
	for (const role of ['sme', 'admin']) {
		const { token } = await roleUser(role);
		const all = await listAll(INSTITUTIONS, token, { limit: 9 });
		const ids = all.map((i) => i.id);
		assert.equal(new Set(ids).size, ids.length, `${role}: no institution is listed twice`);
		for (const m of made) assert.deepEqual(all.find((i) => i.id === m.id), m, `${role} sees ${m.id}`);
		for (const i of all) assertKeys(i, INSTITUTION_KEYS, 'institution');
	}
});
