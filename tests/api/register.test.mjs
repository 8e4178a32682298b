// POST /api/v1/auth/register: an enterprise signs itself up with its USCC.
// Success shape, every validation refusal with its field, and conflicts.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
	RFC3339_UTC, api, assertKeys, assertNoLeak, auditRows, badCheckIdNo, badCheckUscc, expectError,
	expectStatus, listAll, login, parkOperator, registerBody, registerSme, roleUser, uniqueName, validIdNo,
	validUscc,
} from './lib.mjs';

const REGISTER = '/api/v1/auth/register';

const USER_KEYS = ['id', 'username', 'role', 'org_id', 'org_name', 'status', 'created_at', 'last_login_at'];
const ENTERPRISE_KEYS = ['id', 'uscc', 'name', 'legal_rep_name', 'legal_rep_id_no', 'phone', 'industry', 'town',
	'park_id', 'registered_capital_fen', 'founded_on', 'employees', 'annual_revenue_fen', 'size_class', 'tags',
	'credit', 'whitelist', 'created_at', 'updated_at', 'park_change'];

function register(body) {
	return api('POST', REGISTER, { body });
}

test('register creates an sme user and its enterprise, unmasked, and never echoes the password', async () => {
	const body = registerBody();
	const res = await register(body);
	expectStatus(res, 201);
	assertKeys(res.json, ['user', 'enterprise'], 'register answer');
	const { user, enterprise } = res.json;
	assertKeys(user, USER_KEYS, 'user');
	assertKeys(enterprise, ENTERPRISE_KEYS, 'enterprise');
	assert.ok(Number.isInteger(user.id) && user.id > 0);
	assert.equal(user.username, body.username);
	assert.equal(user.role, 'sme');
	assert.equal(user.org_id, enterprise.id);
	assert.equal(user.org_name, body.enterprise.name);
	assert.equal(user.status, 'active');
	assert.match(user.created_at, RFC3339_UTC);
	assert.equal(user.last_login_at, null);
	assert.ok(Number.isInteger(enterprise.id) && enterprise.id > 0);
	for (const k of Object.keys(body.enterprise)) {
		if (k !== 'park_id') assert.deepEqual(enterprise[k], body.enterprise[k], `enterprise.${k} echoed as sent`);
	}
	assert.equal(enterprise.park_id, null, 'the park it names waits for the park');
	assert.equal(enterprise.park_change.park_id, body.enterprise.park_id);
	assert.equal(enterprise.park_change.status, 'pending');
	assert.equal(enterprise.size_class, 'small', '50 staff and 5 million yuan in manufacturing is small');
	assert.match(enterprise.created_at, RFC3339_UTC);
	assert.doesNotMatch(res.text, /password/i);
	assert.ok(!res.text.includes(body.password), 'the password is not echoed');
	assertNoLeak(res.text);
});

test('the registered user logs in with org_id = its enterprise', async () => {
	const sme = await registerSme();
	const l = await login(sme.username, sme.password);
	assert.equal(l.user.role, 'sme');
	assert.equal(l.user.id, sme.user.id);
	assert.equal(l.user.org_id, sme.enterprise.id);
});

test('park_id may be left out or null', async () => {
	const a = registerBody();
	delete a.enterprise.park_id;
	const ra = await register(a);
	expectStatus(ra, 201);
	assert.equal(ra.json.enterprise.park_id, null);
	const b = registerBody({ enterprise: { park_id: null, town: 'xidu', industry: 'I65', employees: 5, annual_revenue_fen: 100000000 } });
	const rb = await register(b);
	expectStatus(rb, 201);
	assert.equal(rb.json.enterprise.park_id, null);
	assert.equal(ra.json.enterprise.park_change, null, 'no park named, no request');
	assert.equal(rb.json.enterprise.park_change, null);
	assert.equal(rb.json.enterprise.town, 'xidu');
	assert.equal(rb.json.enterprise.size_class, 'micro', '5 staff in software is micro');
});

test('a section letter alone is an industry', async () => {
	const res = await register(registerBody({ enterprise: { industry: 'C' } }));
	expectStatus(res, 201);
	assert.equal(res.json.enterprise.industry, 'C');
});

test('a USCC with a wrong check character or shape is 400 on enterprise.uscc', async () => {
	const good = validUscc();
	const bad = [
		badCheckUscc(good),
		'91310120712345678t',		// lower case is outside the character set
		good.slice(0, 17),
		good + '0',
		'91310I20712345678T',
		'91310O20712345678T',
		'',
		' ' + good.slice(1),
		'91310120712345678U',
	];
	for (const uscc of bad) {
		expectError(await register(registerBody({ enterprise: { uscc } })), 400, 'validation_failed', 'enterprise.uscc');
	}
});

test('the published USCC test vectors are accepted', async () => {
	// One published code from tests/data/uscc_vectors.csv, with a check
	// character in the letter range, proves the server's table matches.
	const res = await register(registerBody({ enterprise: { uscc: '9144030071526726XG' } }));
	assert.ok(res.status === 201 || res.status === 409, `${res.status} ${res.text}`);
	if (res.status === 409) expectError(res, 409, 'conflict');
});

function idEndingInX(birthDate) {
	for (let seq = 0; seq < 1000; seq++) {
		const id = validIdNo(birthDate, seq);
		if (id.endsWith('X')) return id;
	}
	throw new Error('no X check character found');
}

test('an ID number with a wrong check character or date is 400 on enterprise.legal_rep_id_no', async () => {
	const good = validIdNo('1987-09-27', 453);
	assert.equal(good, '310120198709274536');
	const bad = [
		badCheckIdNo(good),
		'310120198013010014',		// month 13
		'310120198702300017',		// 30 February, right check character
		'310120198001010',		// 15 characters (old format)
		'3101201980010100Q7',
		idEndingInX('1987-09-27').replace(/X$/, 'x'),
		validIdNo('2099-01-01', 1),	// born in the future
		'',
	];
	for (const id of bad) {
		expectError(await register(registerBody({ enterprise: { legal_rep_id_no: id } })), 400, 'validation_failed', 'enterprise.legal_rep_id_no');
	}
});

test('an ID number ending in X is accepted', async () => {
	const id = idEndingInX('1990-03-15');
	const res = await register(registerBody({ enterprise: { legal_rep_id_no: id } }));
	expectStatus(res, 201);
	assert.equal(res.json.enterprise.legal_rep_id_no, id);
});

test('a weak password is 400 on password', async () => {
	const weak = [
		'Short1!',			// under 12 characters
		'Abcdefgh1!x',			// 11 characters, 4 classes
		'alllowercaseletters',		// one class
		'lowercase123456',		// two classes
		'UPPERCASE!!!!!!',		// two classes
		'',
	];
	for (const password of weak) {
		expectError(await register(registerBody({ password })), 400, 'validation_failed', 'password');
	}
});

test('a 12-character password with 3 classes is strong enough', async () => {
	const res = await register(registerBody({ password: 'abcdefgh12!!' }));
	expectStatus(res, 201);
});

test('unknown town, industry or park is 400 naming the field', async () => {
	const cases = [
		[{ town: 'atlantis' }, 'enterprise.town'],
		[{ town: '' }, 'enterprise.town'],
		[{ town: 'Nanqiao' }, 'enterprise.town'],
		[{ industry: 'Z' }, 'enterprise.industry'],
		[{ industry: 'U' }, 'enterprise.industry'],
		[{ industry: 'c26' }, 'enterprise.industry'],
		[{ industry: '' }, 'enterprise.industry'],
		[{ industry: 'C26; DROP TABLE users' }, 'enterprise.industry'],
		[{ park_id: 99 }, 'enterprise.park_id'],
		[{ park_id: 0 }, 'enterprise.park_id'],
		[{ park_id: '1' }, 'enterprise.park_id'],
	];
	for (const [over, field] of cases) {
		expectError(await register(registerBody({ enterprise: over })), 400, 'validation_failed', field);
	}
});

test('bad phone, date, numbers and names are 400 naming the field', async () => {
	const cases = [
		[{ phone: '12345' }, 'enterprise.phone'],
		[{ phone: '1381234567a' }, 'enterprise.phone'],
		[{ founded_on: '2018-02-30' }, 'enterprise.founded_on'],
		[{ founded_on: '2018/05/01' }, 'enterprise.founded_on'],
		[{ founded_on: '2018-05-01T00:00:00Z' }, 'enterprise.founded_on'],
		[{ employees: -1 }, 'enterprise.employees'],
		[{ registered_capital_fen: -100 }, 'enterprise.registered_capital_fen'],
		[{ annual_revenue_fen: 'lots' }, 'enterprise.annual_revenue_fen'],
		[{ name: '' }, 'enterprise.name'],
		[{ legal_rep_name: '' }, 'enterprise.legal_rep_name'],
	];
	for (const [over, field] of cases) {
		expectError(await register(registerBody({ enterprise: over })), 400, 'validation_failed', field);
	}
});

test('a missing required field is 400 naming it', async () => {
	for (const key of ['uscc', 'name', 'legal_rep_name', 'legal_rep_id_no', 'phone', 'industry', 'town',
		'registered_capital_fen', 'founded_on', 'employees', 'annual_revenue_fen']) {
		const body = registerBody();
		delete body.enterprise[key];
		expectError(await register(body), 400, 'validation_failed', `enterprise.${key}`);
	}
	for (const key of ['username', 'password', 'enterprise']) {
		const body = registerBody();
		delete body[key];
		expectError(await register(body), 400, 'validation_failed', key);
	}
});

test('a bad username is 400 on username', async () => {
	for (const username of ['ab', '_leading', 'has space', 'x'.repeat(65), '用户名字']) {
		expectError(await register(registerBody({ username })), 400, 'validation_failed', 'username');
	}
});

test('an unknown key is 400 naming it, at the top or inside enterprise', async () => {
	const top = registerBody();
	top.nickname = 'x';
	expectError(await register(top), 400, 'validation_failed', 'nickname');
	const nested = registerBody();
	nested.enterprise.xyz = 1;
	expectError(await register(nested), 400, 'validation_failed', 'enterprise.xyz');
	const role = registerBody();
	role.role = 'admin';
	expectError(await register(role), 400, 'validation_failed', 'role');
	const size = registerBody();
	size.enterprise.size_class = 'large';
	expectError(await register(size), 400, 'validation_failed', 'enterprise.size_class');
});

test('a taken username is 409 conflict, whatever its case', async () => {
	const first = await registerSme();
	expectError(await register(registerBody({ username: first.username })), 409, 'conflict');
	expectError(await register(registerBody({ username: first.username.toUpperCase() })), 409, 'conflict');
});

test('a taken USCC is 409 conflict and creates no user', async () => {
	const first = await registerSme();
	const again = registerBody({ enterprise: { uscc: first.enterprise.uscc } });
	expectError(await register(again), 409, 'conflict');
	// The refused username is still free.
	const retry = await register({ ...again, enterprise: { ...again.enterprise, uscc: validUscc() } });
	expectStatus(retry, 201);
});

test('Chinese text round-trips exactly', async () => {
	const name = `奉贤区东方美谷生物科技${uniqueName('x').slice(-6)}有限公司`;
	const res = await register(registerBody({ enterprise: { name, legal_rep_name: '欧阳娜娜' } }));
	expectStatus(res, 201);
	assert.equal(res.json.enterprise.name, name);
	assert.equal(res.json.enterprise.legal_rep_name, '欧阳娜娜');
});

describe('an enterprise that names 东方美谷 at sign-up', () => {
	const PC = '/api/v1/park-changes';
	const confirm = (id, token) => api('POST', `${PC}/${id}/confirm`, { token });
	const get = (id, token) => api('GET', `/api/v1/enterprises/${id}`, { token });

	/** Registers into park 1 and leaves the request pending; logs the user in. */
	async function signUp() {
		const s = await registerSme({ enterprise: { park_id: 1 }, parkPending: true });
		const l = await login(s.username, s.password);
		return { ...s, id: s.enterprise.id, token: l.token, userId: l.user.id };
	}

	test('is in no park yet: its request into park 1 is pending, the park is told, it is audited', async () => {
		const e = await signUp();
		assert.equal(e.enterprise.park_id, null, 'registration does not put it in the park');
		assertKeys(e.enterprise.park_change, ['id', 'park_id', 'park_name', 'status', 'requested_at'], 'park_change');
		assert.equal(e.enterprise.park_change.park_id, 1);
		assert.equal(e.enterprise.park_change.park_name, '东方美谷');
		assert.equal(e.enterprise.park_change.status, 'pending');
		assert.match(e.enterprise.park_change.requested_at, RFC3339_UTC);
		const seen = expectStatus(await get(e.id, e.token), 200);
		assert.equal(seen.park_id, null);
		assert.deepEqual(seen.park_change, e.enterprise.park_change);
		const park1 = await parkOperator(1);
		expectError(await get(e.id, park1.token), 404, 'not_found');	// not its enterprise yet
		const id = e.enterprise.park_change.id;
		const req = (await listAll(PC, park1.token)).find((c) => c.id === id);
		assert.ok(req, 'park 1 lists the request');
		assert.equal(req.enterprise_id, e.id);
		assert.equal(req.from_park_id, null);
		assert.equal(req.status, 'pending');
		const told = (await listAll('/api/v1/notifications', park1.token))
			.filter((n) => n.kind === 'park_change.requested' && n.ref_id === id);
		assert.equal(told.length, 1);
		const rows = await auditRows({ action: 'park_change.request', target_id: String(id) });
		assert.equal(rows.length, 1);
		assert.equal(rows[0].actor_id, e.userId);
	});

	test('another park\'s operator neither sees nor confirms it (404); park 1\'s operator takes it in', async () => {
		const e = await signUp();
		const id = e.enterprise.park_change.id;
		const [park1, park2] = await Promise.all([parkOperator(1), parkOperator(2)]);
		expectError(await confirm(id, park2.token), 404, 'not_found');
		assert.ok(!(await listAll(`${PC}?status=all`, park2.token)).some((c) => c.id === id));
		expectError(await get(e.id, park2.token), 404, 'not_found');
		expectError(await confirm(id, e.token), 403, 'forbidden');	// nor can it confirm itself
		assert.equal(expectStatus(await get(e.id, e.token), 200).park_id, null);
		const done = expectStatus(await confirm(id, park1.token), 200);
		assert.equal(done.status, 'confirmed');
		const now = expectStatus(await get(e.id, e.token), 200);
		assert.equal(now.park_id, 1);
		assert.equal(now.park_change, null);
		expectStatus(await get(e.id, park1.token), 200);
	});

	test('the bureau sets the park at once, ending the request', async () => {
		const e = await signUp();
		const id = e.enterprise.park_change.id;
		const bureau = await roleUser('bureau');
		const b = expectStatus(await api('PATCH', `/api/v1/enterprises/${e.id}`, { token: bureau.token, body: { park_id: 1 } }), 200);
		assert.equal(b.park_id, 1);
		assert.equal(b.park_change, null);
		const req = (await listAll(`${PC}?status=cancelled`, bureau.token)).find((c) => c.id === id);
		assert.ok(req, 'the request was cancelled');
		expectError(await confirm(id, (await parkOperator(1)).token), 409, 'invalid_state');
	});

	test('registerSme confirms it by default, so the enterprise is in the park it names', async () => {
		const s = await registerSme({ enterprise: { park_id: 2 } });
		assert.equal(s.enterprise.park_id, 2);
		const l = await login(s.username, s.password);
		assert.equal(expectStatus(await get(s.enterprise.id, l.token), 200).park_id, 2);
	});
});
