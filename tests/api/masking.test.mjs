// The masking rule over every answer (api.md Conventions, product.md
// Enterprise): a legal representative's ID number and an enterprise's phone
// appear whole only in answers to the enterprise itself and to the bureau.
// This file drives every route that shows enterprise data, as every role,
// keeps every answer body it saw (errors included) and greps them all for
// the personal numbers of the enterprises it made.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';

import {
	api, confirmRegisteredPark, createUser, hex, login, randomMobile, recordingApi, registerBody, roleUser, sqlCreditRecord,
	sqlCreditScore, sqlWhitelistEntry,
} from './lib.mjs';

const log = [];
const call = recordingApi(log);
const cast = { enterprises: [], callers: [] };
const tag = hex(4);

/** Registers an enterprise (its answer is logged as its own) and logs its user in. */
async function enterprise(name, parkId) {
	const body = registerBody({ enterprise: { name: `掩码${tag}${name}`, park_id: parkId } });
	const res = await api('POST', '/api/v1/auth/register', { body });
	assert.equal(res.status, 201, res.text);
	const id = res.json.enterprise.id;
	log.push({ who: `sme:${id}`, method: 'POST', path: '/api/v1/auth/register', status: res.status, text: res.text });
	await confirmRegisteredPark(res.json.enterprise);	// the park it names takes it in
	const l = await login(body.username, body.password);
	const e = {
		id, who: `sme:${id}`, token: l.token,
		secrets: [body.enterprise.legal_rep_id_no, body.enterprise.phone],
	};
	cast.enterprises.push(e);
	cast.callers.push(e);
	return e;
}

async function staff(role, orgId, label) {
	const u = await createUser(role, orgId);
	const l = await login(u.username, u.password);
	const c = { who: label, token: l.token, orgId: u.user.org_id };
	cast.callers.push(c);
	return c;
}

before(async () => {
	const a = await enterprise('甲', 1);
	const b = await enterprise('乙', 2);
	const c = await enterprise('丙', 1);
	const d = await enterprise('丁', null);
	const bureau = await roleUser('bureau');
	cast.callers.push({ who: 'bureau', token: bureau.token });
	await staff('park', 1, 'park:1');
	await staff('park', 2, 'park:2');
	const bank1 = await staff('bank', undefined, 'bank:1');
	await staff('bank', undefined, 'bank:2');
	for (const role of ['admin', 'auditor']) cast.callers.push({ who: role, token: (await roleUser(role)).token });

	// a and b approved on the whitelist, c nominated, d none; all scored, with records
	sqlWhitelistEntry(a.id);
	sqlWhitelistEntry(b.id);
	sqlWhitelistEntry(c.id, { status: 'nominated' });
	for (const e of cast.enterprises) {
		sqlCreditScore(e.id, { score: 660, grade: 'B', factors: [{ factor: 'tax_rating', points: 150, max_points: 200, detail: 'B', evidence: [] }] });
		sqlCreditRecord(e.id, { category: 'tax_rating', value: { grade: 'B', year: 2025 } });
	}
	// a and b authorise bank 1, so its credit reads succeed and reach the access log
	for (const e of [a, b]) {
		const res = await call(e.who, 'POST', `/api/v1/enterprises/${e.id}/authorizations`, {
			token: e.token, body: { institution_id: bank1.orgId },
		});
		assert.equal(res.status, 201, res.text);
	}
	// the bureau and the enterprises change phones: the new numbers are secrets too
	for (const e of [a, d]) {
		const phone = randomMobile();
		const by = e === a ? e : cast.callers.find((x) => x.who === 'bureau');
		const res = await call(by.who, 'PATCH', `/api/v1/enterprises/${e.id}`, { token: by.token, body: { phone } });
		assert.equal(res.status, 200, res.text);
		e.secrets.push(phone);
	}
	await driveEverything();
});

/** Every read of every enterprise route, and the other routes that show enterprises. */
async function driveEverything() {
	for (const c of cast.callers) {
		const t = c.token;
		await call(c.who, 'GET', '/api/v1/me', { token: t });
		await call(c.who, 'GET', `/api/v1/enterprises?q=${tag}`, { token: t });
		await call(c.who, 'GET', '/api/v1/enterprises?limit=500', { token: t });
		await call(c.who, 'GET', `/api/v1/enterprises?q=${tag}&whitelist=approved`, { token: t });
		await call(c.who, 'GET', '/api/v1/whitelist?limit=500', { token: t });
		for (const e of cast.enterprises) {
			const base = `/api/v1/enterprises/${e.id}`;
			for (const sub of ['', '/credit', '/credit-records', '/authorizations', '/access-log']) {
				await call(c.who, 'GET', base + sub, { token: t });
			}
			await call(c.who, 'PATCH', base, { token: t, body: { employees: 60 } });
			await call(c.who, 'PATCH', base, { token: t, body: { phone: 'not-a-phone' } });
		}
	}
}

test('no answer to anyone but the enterprise itself or the bureau carries its ID number or phone unmasked', async () => {
	assert.ok(log.length > 300, `enough answers seen: ${log.length}`);
	const leaks = [];
	for (const e of cast.enterprises) {
		for (const secret of e.secrets) {
			for (const entry of log) {
				if (entry.who === e.who || entry.who === 'bureau') continue;
				if (entry.text.includes(secret)) leaks.push(`${entry.who} ${entry.method} ${entry.path} ${entry.status}: enterprise ${e.id}`);
			}
		}
	}
	assert.deepEqual(leaks, []);
});

test('the grep would catch a leak: the numbers do appear whole to the enterprise and the bureau', async () => {
	for (const e of cast.enterprises) {
		for (const secret of e.secrets.slice(0, 1).concat(e.secrets.slice(-1))) {
			assert.ok(log.some((x) => x.who === e.who && x.text.includes(secret)), `enterprise ${e.id} sees its own`);
			assert.ok(log.some((x) => x.who === 'bureau' && x.text.includes(secret)), `the bureau sees enterprise ${e.id}'s`);
		}
	}
});

test('parks and banks did see these enterprises, masked', async () => {
	const [a, b] = cast.enterprises;
	const masked = (s) => s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4);
	const seen = (who, e) => log.some((x) => x.who === who && x.status === 200
		&& x.path === `/api/v1/enterprises/${e.id}` && x.text.includes(masked(e.secrets[0])));
	assert.ok(seen('park:1', a), 'park 1 reads a masked');
	assert.ok(seen('park:2', b), 'park 2 reads b masked');
	assert.ok(seen('bank:1', a) && seen('bank:2', b), 'banks read whitelisted ones masked');
	assert.ok(log.some((x) => x.who === 'bank:1' && x.status === 200 && x.path === `/api/v1/enterprises/${a.id}/credit`),
		'bank 1 read credit detail under consent');
});
