// GET /api/v1/enterprises, GET and PATCH /api/v1/enterprises/{id}: who sees
// which enterprise (404 for one the caller may not see, 403 for a role that
// may never list), masking per caller, the credit and whitelist summaries,
// the list's filters and cursor pages, and the update rules.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	RFC3339_UTC, api, assertKeys, assertList, auditRows, createUser, expectError, expectStatus, hex,
	listAll, login, registerSme, roleUser, sql, sqlCreditScore, sqlWhitelistEntry, utcDay,
} from './lib.mjs';

const ENTERPRISE_KEYS = ['id', 'uscc', 'name', 'legal_rep_name', 'legal_rep_id_no', 'phone', 'industry', 'town',
	'park_id', 'registered_capital_fen', 'founded_on', 'employees', 'annual_revenue_fen', 'size_class', 'tags',
	'credit', 'whitelist', 'created_at', 'updated_at'];
/* One enterprise read by itself or the bureau also shows its pending park request. */
const VIEW_KEYS = [...ENTERPRISE_KEYS, 'park_change'];
const CREDIT_KEYS_FULL = ['score', 'grade', 'dishonest_debtor', 'broken_commitments', 'model_version'];
const CREDIT_KEYS_BANK = ['score', 'grade'];

const maskId = (s) => s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4);
const maskPhone = (s) => s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4);

/** A fresh enterprise and its logged-in sme user. */
async function newSme(enterprise = {}) {
	const s = await registerSme({ enterprise });
	const l = await login(s.username, s.password);
	return { ...s, token: l.token, id: s.enterprise.id };
}

/** A fresh logged-in user of role with orgId. */
async function newUser(role, orgId) {
	const u = await createUser(role, orgId);
	const l = await login(u.username, u.password);
	return { ...u, token: l.token, orgId: u.user.org_id };
}

const get = (id, token) => api('GET', `/api/v1/enterprises/${id}`, { token });
const patch = (id, token, body) => api('PATCH', `/api/v1/enterprises/${id}`, { token, body });
const list = (query, token) => api('GET', `/api/v1/enterprises${query ? `?${query}` : ''}`, { token });

const callers = {};
before(async () => {
	callers.bureau = await roleUser('bureau');
	callers.park1 = await newUser('park', 1);
	callers.park2 = await newUser('park', 2);
	callers.bank = await newUser('bank');
	callers.admin = await roleUser('admin');
	callers.auditor = await roleUser('auditor');
});

describe('reading one enterprise', () => {
	test('the enterprise reads itself whole and unmasked, with tags, credit and whitelist', async () => {
		const e = await newSme();
		sql(`DELETE FROM credit_scores WHERE enterprise_id = ${e.id}`);
		const body = expectStatus(await get(e.id, e.token), 200);
		assertKeys(body, VIEW_KEYS, 'enterprise');
		for (const [k, v] of Object.entries(e.body.enterprise)) assert.deepEqual(body[k], v, k);
		assert.equal(body.id, e.id);
		assert.deepEqual(body.tags, []);
		assert.equal(body.credit, null, 'not scored yet');
		assert.equal(body.whitelist, null, 'never nominated');
		assert.equal(body.size_class, 'small');
		assert.match(body.created_at, RFC3339_UTC);
		assert.match(body.updated_at, RFC3339_UTC);
		assert.ok(body.updated_at >= body.created_at);
	});

	test('who sees an enterprise: bureau all, park its own park, sme itself; others 404', async () => {
		const e1 = await newSme({ park_id: 1 });
		const e2 = await newSme({ park_id: 2 });
		for (const e of [e1, e2]) expectStatus(await get(e.id, callers.bureau.token), 200);
		expectStatus(await get(e1.id, callers.park1.token), 200);
		expectError(await get(e2.id, callers.park1.token), 404, 'not_found');
		expectStatus(await get(e2.id, callers.park2.token), 200);
		expectError(await get(e1.id, callers.park2.token), 404, 'not_found');
		expectError(await get(e2.id, e1.token), 404, 'not_found');
		expectError(await get(e1.id, e2.token), 404, 'not_found');
		expectError(await get(9007199254740000, callers.bureau.token), 404, 'not_found');
		expectError(await get(9007199254740000, e1.token), 404, 'not_found');
	});

	test('an enterprise without a park is seen by no park', async () => {
		const e = await newSme({ park_id: null });
		for (const p of [callers.park1, callers.park2]) expectError(await get(e.id, p.token), 404, 'not_found');
		expectStatus(await get(e.id, callers.bureau.token), 200);
	});

	test('a bank sees an enterprise only while its whitelist entry is approved and unexpired', async () => {
		const e = await newSme();
		const t = callers.bank.token;
		expectError(await get(e.id, t), 404, 'not_found');
		const nominated = sqlWhitelistEntry(e.id, { status: 'nominated' });
		expectError(await get(e.id, t), 404, 'not_found');
		sql(`UPDATE whitelist_entries SET status = 'approved', valid_until = '${utcDay(-1)}' WHERE id = ${nominated}`);
		expectError(await get(e.id, t), 404, 'not_found'); // an approval past valid_until has expired
		sql(`UPDATE whitelist_entries SET valid_until = '${utcDay(0)}' WHERE id = ${nominated}`);
		const body = expectStatus(await get(e.id, t), 200);
		assert.deepEqual(body.whitelist, { id: nominated, status: 'approved', valid_until: utcDay(0) }, 'valid through today');
		sql(`UPDATE whitelist_entries SET status = 'revoked' WHERE id = ${nominated}`);
		expectError(await get(e.id, t), 404, 'not_found'); // revoked
	});

	test('admin and auditor may not read enterprises (403)', async () => {
		const e = await newSme();
		for (const who of [callers.admin, callers.auditor]) {
			expectError(await get(e.id, who.token), 403, 'forbidden');
			expectError(await list('', who.token), 403, 'forbidden');
		}
		expectError(await get(e.id, null), 401, 'unauthenticated');
	});

	test('ID number and phone are masked for park and bank, whole for the enterprise and the bureau', async () => {
		const e = await newSme({ park_id: 1 });
		sqlWhitelistEntry(e.id);
		const idNo = e.body.enterprise.legal_rep_id_no, phone = e.body.enterprise.phone;
		for (const who of [e, callers.bureau]) {
			const b = expectStatus(await get(e.id, who.token), 200);
			assert.equal(b.legal_rep_id_no, idNo);
			assert.equal(b.phone, phone);
		}
		for (const who of [callers.park1, callers.bank]) {
			const res = await get(e.id, who.token);
			const b = expectStatus(res, 200);
			assert.equal(b.legal_rep_id_no, maskId(idNo));
			assert.equal(b.phone, maskPhone(phone));
			assert.match(b.legal_rep_id_no, /^\d{3}\*{11}[\dX]{4}$/);
			assert.match(b.phone, /^\d{3}\*{4}\d{4}$/);
			assert.ok(!res.text.includes(idNo) && !res.text.includes(phone), 'nowhere in the answer');
			assert.equal(b.uscc, e.body.enterprise.uscc, 'the USCC is public');
		}
	});

	test('credit summary: the bank gets score and grade; park, bureau and the enterprise also the credit check flags', async () => {
		const e = await newSme({ park_id: 1 });
		sqlWhitelistEntry(e.id);
		sqlCreditScore(e.id, { score: 612, grade: 'C', dishonestDebtor: false, brokenCommitments: 2 });
		for (const who of [e, callers.bureau, callers.park1]) {
			const b = expectStatus(await get(e.id, who.token), 200);
			assertKeys(b.credit, CREDIT_KEYS_FULL, 'credit');
			assert.deepEqual(b.credit, { score: 612, grade: 'C', dishonest_debtor: false, broken_commitments: 2, model_version: 'v1' });
		}
		const b = expectStatus(await get(e.id, callers.bank.token), 200);
		assertKeys(b.credit, CREDIT_KEYS_BANK, 'bank credit');
		assert.deepEqual(b.credit, { score: 612, grade: 'C' });
		sqlCreditScore(e.id, { score: 480, grade: 'D', dishonestDebtor: true, brokenCommitments: 0 });
		const d = expectStatus(await get(e.id, callers.bureau.token), 200);
		assert.equal(d.credit.dishonest_debtor, true);
		assert.equal(d.credit.grade, 'D');
	});

	test('whitelist summary: a live approval speaks first; a lapsed one reads expired', async () => {
		const e = await newSme();
		const rejected = sqlWhitelistEntry(e.id, { status: 'rejected' });
		let b = expectStatus(await get(e.id, callers.bureau.token), 200);
		assert.deepEqual(b.whitelist, { id: rejected, status: 'rejected', valid_until: null });
		const approved = sqlWhitelistEntry(e.id, { status: 'approved', validUntil: utcDay(30) });
		sqlWhitelistEntry(e.id, { status: 'rejected' });
		b = expectStatus(await get(e.id, callers.bureau.token), 200);
		assert.deepEqual(b.whitelist, { id: approved, status: 'approved', valid_until: utcDay(30) }, 'newer rejection does not hide the approval');
		sql(`UPDATE whitelist_entries SET valid_until = '${utcDay(-2)}' WHERE id = ${approved}`);
		b = expectStatus(await get(e.id, e.token), 200);
		assert.equal(b.whitelist.status, 'rejected', 'with no live approval the newest entry speaks');
		const f = await newSme();
		const lapsed = sqlWhitelistEntry(f.id, { status: 'approved', validUntil: utcDay(-1) });
		b = expectStatus(await get(f.id, f.token), 200);
		assert.deepEqual(b.whitelist, { id: lapsed, status: 'expired', valid_until: utcDay(-1) });
	});
});

describe('the list', () => {
	test('sme, admin and auditor may not list (403); anonymous 401', async () => {
		const e = await newSme();
		expectError(await list('', e.token), 403, 'forbidden');
		expectError(await list('', callers.admin.token), 403, 'forbidden');
		expectError(await list('', callers.auditor.token), 403, 'forbidden');
		expectError(await list('', null), 401, 'unauthenticated');
	});

	test('bureau lists everything unmasked, a park only its park masked, a bank only the approved whitelist masked', async () => {
		const tag = hex(4);
		const name = (n) => `列表${tag}${n}有限公司`;
		const a = await newSme({ name: name('甲'), park_id: 1 });
		const b = await newSme({ name: name('乙'), park_id: 2 });
		const c = await newSme({ name: name('丙'), park_id: 1 });
		const d = await newSme({ name: name('丁'), park_id: null });
		sqlWhitelistEntry(a.id);
		sqlWhitelistEntry(b.id, { status: 'approved', validUntil: utcDay(-1) });
		sqlWhitelistEntry(c.id, { status: 'nominated' });
		sqlWhitelistEntry(d.id);
		const ids = (items) => items.map((x) => x.id);

		const all = assertList(await list(`q=${tag}`, callers.bureau.token)).items;
		assert.deepEqual(ids(all), [a.id, b.id, c.id, d.id], 'by id');
		for (const x of all) assertKeys(x, ENTERPRISE_KEYS, 'item');
		assert.equal(all[0].legal_rep_id_no, a.body.enterprise.legal_rep_id_no);

		const p1 = assertList(await list(`q=${tag}`, callers.park1.token)).items;
		assert.deepEqual(ids(p1), [a.id, c.id]);
		assert.equal(p1[0].phone, maskPhone(a.body.enterprise.phone));
		const p2 = assertList(await list(`q=${tag}`, callers.park2.token)).items;
		assert.deepEqual(ids(p2), [b.id]);

		const bank = assertList(await list(`q=${tag}`, callers.bank.token)).items;
		assert.deepEqual(ids(bank), [a.id, d.id], 'approved and unexpired only');
		for (const x of bank) {
			assert.equal(x.whitelist.status, 'approved');
			assert.match(x.legal_rep_id_no, /\*{11}/);
		}

		// the park's scope cannot be widened by a filter
		const other = assertList(await list(`q=${tag}&park_id=2`, callers.park1.token)).items;
		assert.deepEqual(other, []);
		// and every item a park sees, across the whole list, is its own
		for (const x of await listAll('/api/v1/enterprises', callers.park2.token)) assert.equal(x.park_id, 2);
	});

	test('filters: town, park_id, industry prefix, grade, whitelist and q (name or USCC prefix)', async () => {
		const tag = hex(4);
		const a = await newSme({ name: `筛选${tag}甲`, town: 'nanqiao', park_id: 1, industry: 'C26' });
		const b = await newSme({ name: `筛选${tag}乙`, town: 'xidu', park_id: 2, industry: 'C13' });
		const c = await newSme({ name: `筛选${tag}丙`, town: 'xidu', park_id: null, industry: 'I65' });
		const d = await newSme({ name: `筛选${tag}丁`, town: 'nanqiao', park_id: 1, industry: 'F' });
		sqlCreditScore(a.id, { score: 820, grade: 'A' });
		sqlCreditScore(b.id, { score: 700, grade: 'B' });
		sqlCreditScore(c.id, { score: 700, grade: 'B' });
		sql(`DELETE FROM credit_scores WHERE enterprise_id = ${d.id}`);
		sqlWhitelistEntry(a.id);
		sqlWhitelistEntry(b.id, { status: 'nominated' });
		sqlWhitelistEntry(c.id, { status: 'approved', validUntil: utcDay(-3) });
		const t = callers.bureau.token;
		const ids = async (q) => assertList(await list(`q=${tag}&${q}`, t)).items.map((x) => x.id);

		assert.deepEqual(await ids('town=xidu'), [b.id, c.id]);
		assert.deepEqual(await ids('park_id=1'), [a.id, d.id]);
		assert.deepEqual(await ids('industry=C'), [a.id, b.id]);
		assert.deepEqual(await ids('industry=C2'), [a.id]);
		assert.deepEqual(await ids('industry=C26'), [a.id]);
		assert.deepEqual(await ids('industry=I65'), [c.id]);
		assert.deepEqual(await ids('grade=A'), [a.id]);
		assert.deepEqual(await ids('grade=B'), [b.id, c.id]);
		assert.deepEqual(await ids('grade=D'), []);
		assert.deepEqual(await ids('whitelist=approved'), [a.id]);
		assert.deepEqual(await ids('whitelist=nominated'), [b.id]);
		assert.deepEqual(await ids('whitelist=expired'), [c.id]);
		assert.deepEqual(await ids('whitelist=none'), [d.id]);
		assert.deepEqual(await ids('whitelist=revoked'), []);
		assert.deepEqual(await ids('town=xidu&grade=B&industry=I'), [c.id], 'filters combine');

		const byUscc = assertList(await list(`q=${a.body.enterprise.uscc.slice(0, 17)}`, t)).items;
		assert.deepEqual(byUscc.map((x) => x.id), [a.id], 'a USCC prefix');
		const byName = assertList(await list(`q=${encodeURIComponent(`${tag}丙`)}`, t)).items;
		assert.deepEqual(byName.map((x) => x.id), [c.id], 'a part of the name');
	});

	test('q is matched literally: % and _ are not wildcards', async () => {
		const tag = hex(4);
		const a = await newSme({ name: `百分${tag}%公司` });
		await newSme({ name: `百分${tag}X公司` });
		const t = callers.bureau.token;
		assert.deepEqual(assertList(await list(`q=${encodeURIComponent(`${tag}%`)}`, t)).items.map((x) => x.id), [a.id]);
		assert.deepEqual(assertList(await list(`q=${encodeURIComponent(`${tag}_`)}`, t)).items, []);
		for (const x of assertList(await list('q=%25&limit=500', t)).items) assert.ok(x.name.includes('%'), x.name);
	});

	test('bad filters are 400 naming the filter', async () => {
		const t = callers.bureau.token;
		const cases = [
			['town=atlantis', 'town'], ['town=', 'town'], ['town=Nanqiao', 'town'],
			['park_id=99', 'park_id'], ['park_id=0', 'park_id'], ['park_id=abc', 'park_id'], ['park_id=1x', 'park_id'], ['park_id=', 'park_id'],
			['industry=Z', 'industry'], ['industry=c26', 'industry'], ['industry=C2X', 'industry'], ['industry=C265', 'industry'],
			['industry=C99', 'industry'], ['industry=', 'industry'], ['industry=%25', 'industry'],
			['grade=E', 'grade'], ['grade=a', 'grade'], ['grade=AB', 'grade'], ['grade=', 'grade'],
			['whitelist=maybe', 'whitelist'], ['whitelist=APPROVED', 'whitelist'], ['whitelist=', 'whitelist'],
			['q=', 'q'], [`q=${'x'.repeat(101)}`, 'q'], ['q=%FF%FE', 'q'],
			['limit=0', 'limit'], ['limit=501', 'limit'], ['cursor=abc', 'cursor'],
		];
		for (const [q, field] of cases) expectError(await list(q, t), 400, 'validation_failed', field);
		assertList(await list(`q=${'x'.repeat(100)}`, t));
	});

	test('cursor pages walk the filtered list by id, each enterprise once', async () => {
		const tag = hex(4);
		const made = [];
		for (let i = 0; i < 5; i++) made.push((await newSme({ name: `翻页${tag}${i}` })).id);
		const t = callers.bureau.token;
		const first = assertList(await list(`q=${tag}&limit=2`, t));
		assert.equal(first.items.length, 2);
		assert.equal(typeof first.next_cursor, 'string');
		const paged = await listAll(`/api/v1/enterprises?q=${tag}`, t, { limit: 2 });
		assert.deepEqual(paged.map((x) => x.id), made);
		const last = assertList(await list(`q=${tag}&limit=5`, t));
		assert.equal(last.next_cursor, null, 'no cursor after the last page');
		const all = await listAll('/api/v1/enterprises', t, { limit: 500 });
		const ids = all.map((x) => x.id);
		assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'ascending ids');
		assert.equal(new Set(ids).size, ids.length);
	});
});

describe('PATCH', () => {
	test('the enterprise updates its own phone, staff, revenue, industry, town and park; size_class follows', async () => {
		const e = await newSme({ industry: 'C26', employees: 50, annual_revenue_fen: 500000000, park_id: 1 });
		assert.equal(e.enterprise.size_class, 'small');
		const phone = '021-55551234';
		const res = await patch(e.id, e.token, { phone, employees: 400, annual_revenue_fen: 3000000000 });
		const b = expectStatus(res, 200);
		assertKeys(b, VIEW_KEYS, 'patched enterprise');
		assert.equal(b.phone, phone);
		assert.equal(b.employees, 400);
		assert.equal(b.annual_revenue_fen, 3000000000);
		assert.equal(b.size_class, 'medium', '400 staff and 30 million yuan in manufacturing');
		assert.equal(b.uscc, e.enterprise.uscc);
		assert.equal(b.legal_rep_id_no, e.body.enterprise.legal_rep_id_no, 'unmasked for itself');
		const moved = expectStatus(await patch(e.id, e.token, { industry: 'I65', town: 'xidu', park_id: null }), 200);
		assert.equal(moved.industry, 'I65');
		assert.equal(moved.town, 'xidu');
		assert.equal(moved.park_id, null);
		assert.equal(moved.size_class, 'medium', 'software: 400 staff and 30 million yuan is medium');
		const micro = expectStatus(await patch(e.id, e.token, { employees: 5, annual_revenue_fen: 100000000 }), 200);
		assert.equal(micro.size_class, 'micro');
		assert.deepEqual(expectStatus(await get(e.id, e.token), 200), micro, 'GET shows what PATCH answered');
		expectError(await get(e.id, callers.park1.token), 404, 'not_found'); // no longer in park 1
		// moving into a park waits for that park's consent (park_changes.test.mjs)
		const asked = expectStatus(await patch(e.id, e.token, { park_id: 2 }), 200);
		assert.equal(asked.park_id, null);
		assert.equal(asked.park_change.status, 'pending');
		expectError(await get(e.id, callers.park2.token), 404, 'not_found');
		expectStatus(await api('POST', `/api/v1/park-changes/${asked.park_change.id}/confirm`, { token: callers.park2.token }), 200);
		expectStatus(await get(e.id, callers.park2.token), 200);
	});

	test('the bureau updates any enterprise and alone sets tags (canonical order, no duplicates)', async () => {
		const e = await newSme();
		const t = callers.bureau.token;
		let b = expectStatus(await patch(e.id, t, { tags: ['tech_sme', 'hi_tech'], employees: 60 }), 200);
		assert.deepEqual(b.tags, ['hi_tech', 'tech_sme']);
		assert.equal(b.employees, 60);
		assert.equal(b.phone, e.body.enterprise.phone, 'the bureau sees it unmasked');
		b = expectStatus(await patch(e.id, t, { tags: ['integrity_model', 'agri_entity', 'specialized', 'tech_sme', 'hi_tech'] }), 200);
		assert.deepEqual(b.tags, ['hi_tech', 'specialized', 'tech_sme', 'agri_entity', 'integrity_model']);
		expectError(await patch(e.id, t, { tags: ['hi_tech', 'hi_tech'] }), 400, 'validation_failed', 'tags');
		expectError(await patch(e.id, t, { tags: ['famous'] }), 400, 'validation_failed', 'tags');
		expectError(await patch(e.id, t, { tags: [1] }), 400, 'validation_failed', 'tags');
		expectError(await patch(e.id, t, { tags: 'hi_tech' }), 400, 'validation_failed', 'tags');
		expectError(await patch(e.id, e.token, { tags: ['hi_tech'] }), 400, 'validation_failed', 'tags');
		b = expectStatus(await patch(e.id, t, { tags: [] }), 200);
		assert.deepEqual(b.tags, []);
		expectError(await patch(9007199254740000, t, { employees: 1 }), 404, 'not_found');
	});

	test('USCC, name, founding date and unknown keys cannot be patched: 400 naming the key', async () => {
		const e = await newSme();
		for (const key of ['uscc', 'name', 'legal_rep_name', 'legal_rep_id_no', 'founded_on', 'registered_capital_fen',
			'size_class', 'id', 'credit', 'Phone', 'total_assets_fen']) {
			const res = await patch(e.id, e.token, { [key]: key === 'id' ? 1 : 'x', employees: 3 });
			expectError(res, 400, 'validation_failed', key);
		}
		const after = expectStatus(await get(e.id, e.token), 200);
		assert.equal(after.employees, e.enterprise.employees, 'nothing changed');
	});

	test('each field is validated like registration', async () => {
		const e = await newSme();
		const cases = [
			[{ phone: '12345' }, 'phone'], [{ phone: '' }, 'phone'], [{ phone: 13800000000 }, 'phone'], [{ phone: null }, 'phone'],
			[{ employees: -1 }, 'employees'], [{ employees: 1.5 }, 'employees'], [{ employees: '5' }, 'employees'], [{ employees: null }, 'employees'],
			[{ annual_revenue_fen: -1 }, 'annual_revenue_fen'], [{ annual_revenue_fen: 1e20 }, 'annual_revenue_fen'],
			[{ industry: 'Z' }, 'industry'], [{ industry: 'c26' }, 'industry'], [{ industry: 'C99' }, 'industry'], [{ industry: 'C2' }, 'industry'],
			[{ town: 'atlantis' }, 'town'], [{ town: '' }, 'town'],
			[{ park_id: 99 }, 'park_id'], [{ park_id: 0 }, 'park_id'], [{ park_id: '1' }, 'park_id'],
		];
		for (const [body, field] of cases) expectError(await patch(e.id, e.token, body), 400, 'validation_failed', field);
		expectError(await patch(e.id, e.token, {}), 400, 'validation_failed');
		expectError(await api('PATCH', `/api/v1/enterprises/${e.id}`, { token: e.token, rawBody: '[1]' }), 400, 'validation_failed');
		expectError(await api('PATCH', `/api/v1/enterprises/${e.id}`, { token: e.token, rawBody: '{"annual_revenue_fen":9007199254740993}' }), 400, 'validation_failed', 'annual_revenue_fen');
		expectError(await api('PATCH', `/api/v1/enterprises/${e.id}`, { token: e.token, rawBody: '{"employees":1,"employees":2}' }), 400, 'invalid_json');
	});

	test('only the enterprise itself and the bureau may patch: another sme 404, park and bank 403', async () => {
		const e = await newSme({ park_id: 1 });
		const other = await newSme();
		sqlWhitelistEntry(e.id);
		expectError(await patch(e.id, other.token, { employees: 1 }), 404, 'not_found');
		expectError(await patch(e.id, other.token, { uscc: 'x' }), 404, 'not_found'); // no hint that it exists
		for (const who of [callers.park1, callers.bank, callers.admin, callers.auditor]) {
			expectError(await patch(e.id, who.token, { employees: 1 }), 403, 'forbidden');
		}
		expectError(await patch(e.id, null, { employees: 1 }), 401, 'unauthenticated');
		assert.equal(expectStatus(await get(e.id, e.token), 200).employees, e.enterprise.employees);
	});

	test('an update is audited as enterprise.update naming the fields, never their values', async () => {
		const e = await newSme();
		const phone = '13911112222';
		expectStatus(await patch(e.id, e.token, { phone, employees: 70 }), 200);
		const rows = await auditRows({ action: 'enterprise.update', target_id: String(e.id) });
		assert.equal(rows.length, 1);
		assert.equal(rows[0].actor_id, e.user.id);
		assert.equal(rows[0].role, 'sme');
		assert.equal(rows[0].target_type, 'enterprise');
		assert.equal(rows[0].status, 200);
		const detail = sql(`SELECT detail FROM audit_log WHERE id = ${rows[0].id}`)[0][0];
		assert.equal(detail, 'fields=phone,employees');
		assert.ok(!detail.includes(phone));
		const updated = expectStatus(await get(e.id, e.token), 200);
		assert.ok(updated.updated_at >= updated.created_at);
	});
});
