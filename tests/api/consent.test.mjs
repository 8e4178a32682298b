// Consent and credit detail: POST/GET/DELETE /api/v1/enterprises/{id}/authorizations,
// GET /enterprises/{id}/credit and /credit-records, and the access log.
// A bank reads credit detail only while it holds the enterprise's live
// authorisation; every read by anyone but the enterprise itself is audited
// with what it relied on, before the answer, and the enterprise sees who
// read its data and when.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	RFC3339_UTC, api, assertKeys, assertList, auditRows, createUser, expectError, expectStatus, listAll,
	login, registerSme, roleUser, sql, sqlCreditRecord, sqlCreditScore, sqlWhitelistEntry, utcDay,
} from './lib.mjs';

const AUTH_KEYS = ['id', 'enterprise_id', 'institution_id', 'institution_name', 'source', 'application_id',
	'granted_at', 'expires_at', 'revoked_at', 'status'];
const CREDIT_KEYS = ['enterprise_id', 'score', 'grade', 'model_version', 'computed_at', 'factors', 'flags'];
const RECORD_KEYS = ['id', 'category', 'value', 'source_dept', 'source_record_id', 'observed_on', 'expires_on',
	'minor_party', 'force_majeure', 'created_at'];
const ACCESS_KEYS = ['id', 'at', 'actor_role', 'org_id', 'org_name', 'action', 'authorization_id'];

const FACTORS = [
	{ factor: 'tax_rating', points: 150, max_points: 200, detail: 'B rating of 2025', evidence: [101] },
	{ factor: 'dishonest_debtor', points: 0, max_points: 0, detail: 'none on record', evidence: [] },
];

async function newSme(enterprise = {}) {
	const s = await registerSme({ enterprise });
	const l = await login(s.username, s.password);
	return { ...s, token: l.token, id: s.enterprise.id };
}

async function newUser(role, orgId) {
	const u = await createUser(role, orgId);
	const l = await login(u.username, u.password);
	return { ...u, token: l.token, orgId: u.user.org_id };
}

/** A fresh scored enterprise in park 1. */
async function scoredSme() {
	const e = await newSme({ park_id: 1 });
	sqlCreditScore(e.id, { score: 701, grade: 'B', brokenCommitments: 1, factors: FACTORS });
	return e;
}

const authPath = (id) => `/api/v1/enterprises/${id}/authorizations`;
const grant = (e, body, token = e.token) => api('POST', authPath(e.id), { token, body });
const revoke = (e, authId, token = e.token) => api('DELETE', `${authPath(e.id)}/${authId}`, { token });
const credit = (id, token) => api('GET', `/api/v1/enterprises/${id}/credit`, { token });
const records = (id, token, q = '') => api('GET', `/api/v1/enterprises/${id}/credit-records${q}`, { token });
const accessLog = (id, token, q = '') => api('GET', `/api/v1/enterprises/${id}/access-log${q}`, { token });

/** The audit rows of reads of enterprise id, newest first, with their detail. */
function readAudits(id) {
	return sql("SELECT id, action, role, actor_id, status, detail FROM audit_log WHERE target_type = 'enterprise'"
		+ ` AND target_id = '${id}' AND action LIKE 'enterprise.credit%' ORDER BY id DESC`)
		.map(([rid, action, role, actor, status, detail]) => ({ id: Number(rid), action, role, actor: Number(actor), status: Number(status), detail }));
}

const callers = {};
before(async () => {
	callers.bureau = await roleUser('bureau');
	callers.park1 = await newUser('park', 1);
	callers.park2 = await newUser('park', 2);
	callers.bank = await newUser('bank');
	callers.bank2 = await newUser('bank');
	callers.admin = await roleUser('admin');
	callers.auditor = await roleUser('auditor');
});

describe('granting consent', () => {
	test('the enterprise authorises an institution: 201, explicit, active, 90 days by default', async () => {
		const e = await newSme();
		const res = await grant(e, { institution_id: callers.bank.orgId });
		const a = expectStatus(res, 201);
		assertKeys(a, AUTH_KEYS, 'authorization');
		assert.ok(Number.isInteger(a.id) && a.id > 0);
		assert.equal(a.enterprise_id, e.id);
		assert.equal(a.institution_id, callers.bank.orgId);
		assert.equal(a.institution_name, callers.bank.user.org_name);
		assert.equal(a.source, 'explicit');
		assert.equal(a.application_id, null);
		assert.equal(a.status, 'active');
		assert.equal(a.revoked_at, null);
		assert.match(a.granted_at, RFC3339_UTC);
		assert.equal(a.expires_at, `${utcDay(90)}T15:59:59Z`, 'the end of the day in the district (UTC+8)');
		const rows = await auditRows({ action: 'consent.grant', target_id: String(a.id) });
		assert.equal(rows.length, 1);
		assert.equal(rows[0].target_type, 'credit_authorization');
		assert.equal(rows[0].actor_id, e.user.id);
		assert.equal(rows[0].status, 201);
	});

	test('expires_on runs from today to a year ahead; the last day counts whole', async () => {
		const e = await newSme();
		const inst = callers.bank.orgId;
		for (const day of [0, 1, 365]) {
			const a = expectStatus(await grant(e, { institution_id: inst, expires_on: utcDay(day) }), 201);
			assert.equal(a.expires_at, `${utcDay(day)}T15:59:59Z`);
			assert.equal(a.status, 'active');
		}
		expectStatus(await grant(e, { institution_id: inst, expires_on: null }), 201);
		for (const bad of [utcDay(-1), utcDay(366), '2026-02-30', '2026-1-01', 'tomorrow', '']) {
			expectError(await grant(e, { institution_id: inst, expires_on: bad }), 400, 'validation_failed', 'expires_on');
		}
		expectError(await grant(e, { institution_id: inst, expires_on: 20270101 }), 400, 'validation_failed', 'expires_on');
	});

	test('an unknown institution, a missing one or an unknown key is 400 naming the field', async () => {
		const e = await newSme();
		expectError(await grant(e, { institution_id: 9007199254740000 }), 400, 'validation_failed', 'institution_id');
		expectError(await grant(e, { institution_id: 0 }), 400, 'validation_failed', 'institution_id');
		expectError(await grant(e, { institution_id: String(callers.bank.orgId) }), 400, 'validation_failed', 'institution_id');
		expectError(await grant(e, {}), 400, 'validation_failed', 'institution_id');
		expectError(await grant(e, { institution_id: callers.bank.orgId, scope: 'all' }), 400, 'validation_failed', 'scope');
		expectError(await api('POST', authPath(e.id), { token: e.token }), 400, 'invalid_json');
	});

	test('only the enterprise itself grants: another sme 404, every other role 403', async () => {
		const e = await newSme();
		const other = await newSme();
		const body = { institution_id: callers.bank.orgId };
		expectError(await grant(e, body, other.token), 404, 'not_found');
		for (const who of ['bureau', 'park1', 'bank', 'admin', 'auditor']) {
			expectError(await grant(e, body, callers[who].token), 403, 'forbidden');
		}
		expectError(await grant(e, body, null), 401, 'unauthenticated');
		assert.deepEqual(assertList(await api('GET', authPath(e.id), { token: e.token })).items, []);
	});
});

describe('listing and revoking consent', () => {
	test('the enterprise and the bureau list consents newest first with status active, expired or revoked', async () => {
		const e = await newSme();
		const a1 = expectStatus(await grant(e, { institution_id: callers.bank.orgId }), 201);
		const a2 = expectStatus(await grant(e, { institution_id: callers.bank2.orgId, expires_on: utcDay(10) }), 201);
		const a3 = expectStatus(await grant(e, { institution_id: callers.bank2.orgId }), 201);
		sql(`UPDATE credit_authorizations SET granted_at = UTC_TIMESTAMP(6) - INTERVAL 2 DAY, expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ${a2.id}`);
		expectStatus(await revoke(e, a3.id), 204);
		for (const who of [e, callers.bureau]) {
			const items = assertList(await api('GET', authPath(e.id), { token: who.token })).items;
			assert.deepEqual(items.map((x) => x.id), [a3.id, a2.id, a1.id]);
			assert.deepEqual(items.map((x) => x.status), ['revoked', 'expired', 'active']);
			for (const x of items) assertKeys(x, AUTH_KEYS, 'item');
			assert.match(items[0].revoked_at, RFC3339_UTC);
			assert.equal(items[1].revoked_at, null);
		}
		const paged = await listAll(authPath(e.id), e.token, { limit: 1 });
		assert.deepEqual(paged.map((x) => x.id), [a3.id, a2.id, a1.id], 'cursor pages');
	});

	test('another sme gets 404; bank, park, admin and auditor 403', async () => {
		const e = await newSme();
		const other = await newSme();
		expectError(await api('GET', authPath(e.id), { token: other.token }), 404, 'not_found');
		expectError(await api('GET', authPath(9007199254740000), { token: callers.bureau.token }), 404, 'not_found');
		for (const who of ['park1', 'bank', 'admin', 'auditor']) {
			expectError(await api('GET', authPath(e.id), { token: callers[who].token }), 403, 'forbidden');
		}
	});

	test('revoking: 204 at once, idempotent, audited once; only the enterprise, only its own consents', async () => {
		const e = await newSme();
		const other = await newSme();
		const a = expectStatus(await grant(e, { institution_id: callers.bank.orgId }), 201);
		const b = expectStatus(await grant(other, { institution_id: callers.bank.orgId }), 201);
		expectError(await revoke(e, b.id), 404, 'not_found');
		expectError(await revoke(e, a.id, other.token), 404, 'not_found');
		for (const who of ['bureau', 'bank', 'park1', 'admin', 'auditor']) {
			expectError(await revoke(e, a.id, callers[who].token), 403, 'forbidden');
		}
		expectError(await revoke(e, 9007199254740000), 404, 'not_found');
		expectError(await revoke(e, 'abc'), 404, 'not_found');
		expectError(await revoke(e, '012'), 404, 'not_found');
		const res = await revoke(e, a.id);
		assert.equal(res.status, 204);
		assert.equal(res.text, '');
		const first = sql(`SELECT revoked_at FROM credit_authorizations WHERE id = ${a.id}`)[0][0];
		expectStatus(await revoke(e, a.id), 204);
		assert.equal(sql(`SELECT revoked_at FROM credit_authorizations WHERE id = ${a.id}`)[0][0], first, 'revoked once');
		const rows = await auditRows({ action: 'consent.revoke', target_id: String(a.id) });
		assert.equal(rows.length, 1);
		assert.equal(rows[0].status, 204);
		const still = assertList(await api('GET', authPath(other.id), { token: other.token })).items;
		assert.equal(still[0].status, 'active', "the other enterprise's consent is untouched");
	});
});

describe('credit detail', () => {
	test('the enterprise, its park and the bureau read the detail: score, factors as stored, flags', async () => {
		const e = await scoredSme();
		for (const who of [e, callers.park1, callers.bureau]) {
			const c = expectStatus(await credit(e.id, who.token), 200);
			assertKeys(c, CREDIT_KEYS, 'credit');
			assert.equal(c.enterprise_id, e.id);
			assert.equal(c.score, 701);
			assert.equal(c.grade, 'B');
			assert.equal(c.model_version, 'v1');
			assert.match(c.computed_at, RFC3339_UTC);
			assert.deepEqual(c.factors, FACTORS);
			assert.deepEqual(c.flags, { dishonest_debtor: false, broken_commitments: 1 });
		}
		expectError(await credit(e.id, callers.park2.token), 404, 'not_found');
	});

	test('a bank reads credit detail only while it holds live consent: 404, then 200, then 404 after revocation', async () => {
		const e = await scoredSme();
		sqlWhitelistEntry(e.id);
		const t = callers.bank.token;
		expectError(await credit(e.id, t), 404, 'not_found');
		expectError(await records(e.id, t), 404, 'not_found');
		const a = expectStatus(await grant(e, { institution_id: callers.bank.orgId }), 201);
		const c = expectStatus(await credit(e.id, t), 200);
		assert.deepEqual(c.flags, { dishonest_debtor: false, broken_commitments: 1 });
		assertList(await records(e.id, t));
		expectError(await credit(e.id, callers.bank2.token), 404, 'not_found');
		expectStatus(await revoke(e, a.id), 204);
		expectError(await credit(e.id, t), 404, 'not_found');
		expectError(await records(e.id, t), 404, 'not_found');
		const b = expectStatus(await grant(e, { institution_id: callers.bank.orgId }), 201);
		expectStatus(await credit(e.id, t), 200);
		sql(`UPDATE credit_authorizations SET granted_at = UTC_TIMESTAMP(6) - INTERVAL 2 DAY, expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ${b.id}`);
		expectError(await credit(e.id, t), 404, 'not_found'); // expired
	});

	test('consent given by submitting an application also lets the bank read', async () => {
		const e = await scoredSme();
		const t = callers.bank2.token;
		expectError(await credit(e.id, t), 404, 'not_found');
		const [[id]] = sql('INSERT INTO credit_authorizations (enterprise_id, institution_id, source, application_id,'
			+ ` granted_by, expires_at) VALUES (${e.id}, ${callers.bank2.orgId}, 'application', 77, ${e.user.id},`
			+ ' UTC_TIMESTAMP(6) + INTERVAL 30 DAY); SELECT LAST_INSERT_ID()');
		expectStatus(await credit(e.id, t), 200);
		const items = assertList(await api('GET', authPath(e.id), { token: e.token })).items;
		assert.equal(items[0].id, Number(id));
		assert.equal(items[0].source, 'application');
		assert.equal(items[0].application_id, 77);
		expectStatus(await revoke(e, Number(id)), 204);
		expectError(await credit(e.id, t), 404, 'not_found');
	});

	test('not visible, not scored, or not there: 404; admin and auditor 403', async () => {
		const e = await newSme({ park_id: 2 });
		const other = await newSme();
		sql(`DELETE FROM credit_scores WHERE enterprise_id = ${e.id}`);
		expectError(await credit(e.id, e.token), 404, 'not_found');
		sqlCreditScore(e.id);
		expectError(await credit(e.id, other.token), 404, 'not_found');
		expectError(await credit(e.id, callers.park1.token), 404, 'not_found');
		expectError(await credit(9007199254740000, callers.bureau.token), 404, 'not_found');
		expectError(await records(9007199254740000, callers.bureau.token), 404, 'not_found');
		for (const who of ['admin', 'auditor']) {
			expectError(await credit(e.id, callers[who].token), 403, 'forbidden');
			expectError(await records(e.id, callers[who].token), 403, 'forbidden');
		}
		assert.deepEqual(readAudits(e.id), [], 'refusals read nothing');
	});

	test('credit records: every field, in id order, with cursor pages', async () => {
		const e = await scoredSme();
		const ids = [
			sqlCreditRecord(e.id, { category: 'tax_rating', value: { grade: 'B', year: 2025 }, sourceDept: 'tax', observedOn: '2025-04-01' }),
			sqlCreditRecord(e.id, { category: 'admin_penalty', value: { severity: 'minor', amount_fen: 100000, reason: '占道' }, expiresOn: utcDay(300), minorParty: true }),
			sqlCreditRecord(e.id, { category: 'award', forceMajeure: true }),
		];
		const items = assertList(await records(e.id, callers.bureau.token)).items;
		assert.deepEqual(items.map((x) => x.id), ids);
		for (const x of items) assertKeys(x, RECORD_KEYS, 'record');
		assert.deepEqual(items[0].value, { grade: 'B', year: 2025 });
		assert.equal(items[0].category, 'tax_rating');
		assert.equal(items[0].source_dept, 'tax');
		assert.equal(items[0].observed_on, '2025-04-01');
		assert.equal(items[0].expires_on, null);
		assert.equal(items[0].minor_party, false);
		assert.equal(items[1].expires_on, utcDay(300));
		assert.equal(items[1].minor_party, true);
		assert.deepEqual(items[1].value, { severity: 'minor', amount_fen: 100000, reason: '占道' });
		assert.equal(items[2].force_majeure, true);
		assert.match(items[2].created_at, RFC3339_UTC);
		const paged = await listAll(`/api/v1/enterprises/${e.id}/credit-records`, e.token, { limit: 2 });
		assert.deepEqual(paged.map((x) => x.id), ids);
		expectError(await records(e.id, e.token, '?limit=0'), 400, 'validation_failed', 'limit');
		expectError(await records(e.id, e.token, '?cursor=x'), 400, 'validation_failed', 'cursor');
	});
});

describe('audit and access log', () => {
	test('every credit read by a bank, park or bureau is audited with what it relied on; the enterprise\'s own is not', async () => {
		const e = await scoredSme();
		const a = expectStatus(await grant(e, { institution_id: callers.bank.orgId }), 201);
		expectStatus(await credit(e.id, e.token), 200);
		assertList(await records(e.id, e.token));
		assert.deepEqual(readAudits(e.id), [], 'the enterprise reading itself is not audited');
		expectStatus(await credit(e.id, callers.bank.token), 200);
		expectStatus(await credit(e.id, callers.park1.token), 200);
		expectStatus(await credit(e.id, callers.bureau.token), 200);
		assertList(await records(e.id, callers.bank.token));
		const rows = readAudits(e.id);
		assert.deepEqual(rows.map((r) => [r.action, r.role, r.detail, r.status]), [
			['enterprise.credit_records_read', 'bank', `authorization=${a.id}`, 200],
			['enterprise.credit_read', 'bureau', 'role=bureau', 200],
			['enterprise.credit_read', 'park', 'role=park', 200],
			['enterprise.credit_read', 'bank', `authorization=${a.id}`, 200],
		]);
		assert.equal(rows[3].actor, callers.bank.user.id);
		const viaApi = await auditRows({ action: 'enterprise.credit_read', target_id: String(e.id) });
		assert.deepEqual(viaApi.map((r) => r.role), ['bureau', 'park', 'bank'], 'the auditor sees them');
		for (const r of viaApi) assert.equal(r.target_type, 'enterprise');
	});

	test('the access log shows who read the credit detail and when, newest first, with the consent relied on', async () => {
		const e = await scoredSme();
		const a = expectStatus(await grant(e, { institution_id: callers.bank.orgId }), 201);
		expectStatus(await credit(e.id, callers.bank.token), 200);
		expectStatus(await credit(e.id, callers.park1.token), 200);
		assertList(await records(e.id, callers.bureau.token));
		expectStatus(await credit(e.id, e.token), 200);
		for (const who of [e, callers.bureau]) {
			const items = assertList(await accessLog(e.id, who.token)).items;
			assert.equal(items.length, 3);
			for (const x of items) {
				assertKeys(x, ACCESS_KEYS, 'access log item');
				assert.match(x.at, RFC3339_UTC);
			}
			const [bureau, park, bank] = items;
			assert.deepEqual({ ...bank, id: 0, at: 0 }, {
				id: 0, at: 0, actor_role: 'bank', org_id: callers.bank.orgId, org_name: callers.bank.user.org_name,
				action: 'enterprise.credit_read', authorization_id: a.id,
			});
			assert.deepEqual({ ...park, id: 0, at: 0 }, {
				id: 0, at: 0, actor_role: 'park', org_id: 1, org_name: callers.park1.user.org_name,
				action: 'enterprise.credit_read', authorization_id: null,
			});
			assert.deepEqual({ ...bureau, id: 0, at: 0 }, {
				id: 0, at: 0, actor_role: 'bureau', org_id: null, org_name: null,
				action: 'enterprise.credit_records_read', authorization_id: null,
			});
			assert.ok(bureau.id > park.id && park.id > bank.id, 'newest first');
		}
		const paged = await listAll(`/api/v1/enterprises/${e.id}/access-log`, e.token, { limit: 2 });
		assert.equal(paged.length, 3);
		const fresh = await newSme();
		assert.deepEqual(assertList(await accessLog(fresh.id, fresh.token)).items, [], 'nobody read it yet');
	});

	test('the access log is the enterprise\'s and the bureau\'s only', async () => {
		const e = await newSme({ park_id: 1 });
		const other = await newSme();
		expectError(await accessLog(e.id, other.token), 404, 'not_found');
		expectError(await accessLog(9007199254740000, callers.bureau.token), 404, 'not_found');
		for (const who of ['park1', 'bank', 'admin', 'auditor']) {
			expectError(await accessLog(e.id, callers[who].token), 403, 'forbidden');
		}
		expectError(await accessLog(e.id, null), 401, 'unauthenticated');
		expectError(await accessLog(e.id, e.token, '?limit=501'), 400, 'validation_failed', 'limit');
	});
});
