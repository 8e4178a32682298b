// The financing whitelist (/api/v1/whitelist): who may nominate which
// enterprise, the bureau's approve / reject / revoke and every illegal
// transition, eligibility (grade, dishonest debtor, no score), expiry exact
// to the day with no job at midnight, listing and reading per role, the
// status filter, paging, concurrency, and the audit rows.
//
// Scores are set with setCreditScore (SQL) so these tests hold before and
// after the credit service scores enterprises at registration; expiry moves
// valid_until with sql().

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	RFC3339_UTC, api, approveWhitelist, assertKeys, assertList, auditRows, expectError, expectStatus,
	freshUser, instantAgo, listAll, nominateWhitelist, registerSme, roleUser, setCreditScore, sql,
} from './lib.mjs';

const WL = '/api/v1/whitelist';
const ENTRY_KEYS = ['id', 'enterprise_id', 'enterprise_name', 'status', 'nominated_by_role', 'reason',
	'valid_until', 'created_at', 'decided_at', 'decision_reason'];

let bureau;
let bank;
let park1;

before(async () => {
	[bureau, bank, park1] = await Promise.all([roleUser('bureau'), roleUser('bank'), roleUser('park')]);
});

/** A fresh enterprise (park 1 unless said), without logging its user in. */
async function enterprise(parkId = 1) {
	return (await registerSme({ enterprise: { park_id: parkId } })).enterprise;
}

/** The database's UTC date plus days, as YYYY-MM-DD. */
function utcDate(days = 0) {
	return sql(`SELECT DATE_FORMAT(UTC_DATE() + INTERVAL ${Number(days)} DAY, '%Y-%m-%d')`)[0][0];
}

function setValidUntil(entryId, daysFromToday) {
	sql(`UPDATE whitelist_entries SET valid_until = UTC_DATE() + INTERVAL ${Number(daysFromToday)} DAY`
		+ ` WHERE id = ${Number(entryId)}`);
}

function assertEntry(e) {
	assertKeys(e, ENTRY_KEYS, 'whitelist entry');
	assert.ok(Number.isInteger(e.id) && e.id > 0);
	assert.ok(Number.isInteger(e.enterprise_id));
	assert.ok(['nominated', 'approved', 'rejected', 'revoked', 'expired'].includes(e.status), e.status);
	assert.match(e.created_at, RFC3339_UTC);
	assert.ok(e.valid_until === null || /^\d{4}-\d{2}-\d{2}$/.test(e.valid_until), `valid_until ${e.valid_until}`);
	assert.ok(e.decided_at === null || RFC3339_UTC.test(e.decided_at), `decided_at ${e.decided_at}`);
	return e;
}

const post = async (path, body, token) => api('POST', path, { token: token ?? bureau.token, body });
const approve = (id, body = {}, token) => post(`${WL}/${id}/approve`, body, token);
const reject = (id, reason = '材料不全', token) => post(`${WL}/${id}/reject`, { reason }, token);
const revoke = (id, reason = '发现违规', token) => post(`${WL}/${id}/revoke`, { reason }, token);
const getEntry = (id, token) => api('GET', `${WL}/${id}`, { token: token ?? bureau.token });

/** Entries the token lists with an optional query string. */
const listed = (token, query = '') => listAll(WL + (query ? `?${query}` : ''), token);

describe('nominate', () => {
	test('an sme nominates itself: 201 with the whole entry, nominated and undecided', async () => {
		const sme = await freshUser('sme');
		const res = await post(WL, { enterprise_id: sme.enterprise.id, reason: '经营良好，申请入库' }, sme.token);
		const e = assertEntry(expectStatus(res, 201));
		assert.equal(e.enterprise_id, sme.enterprise.id);
		assert.equal(e.enterprise_name, sme.enterprise.name);
		assert.equal(e.status, 'nominated');
		assert.equal(e.nominated_by_role, 'sme');
		assert.equal(e.reason, '经营良好，申请入库');
		assert.equal(e.valid_until, null);
		assert.equal(e.decided_at, null);
		assert.equal(e.decision_reason, null);
		assert.deepEqual(expectStatus(await getEntry(e.id, sme.token), 200), e);
	});

	test('an sme may not nominate another enterprise: 404, existing or not', async () => {
		const sme = await freshUser('sme');
		const other = await enterprise();
		expectError(await post(WL, { enterprise_id: other.id, reason: 'x' }, sme.token), 404, 'not_found', 'enterprise_id');
		expectError(await post(WL, { enterprise_id: 987654321, reason: 'x' }, sme.token), 404, 'not_found', 'enterprise_id');
		assert.equal((await listed(bureau.token, `enterprise_id=${other.id}`)).length, 0, 'nothing was created');
	});

	test('a park nominates an enterprise of its park; another park\'s or a park-less one is 404', async () => {
		const [mine, theirs, none] = await Promise.all([enterprise(1), enterprise(2), enterprise(null)]);
		const e = expectStatus(await post(WL, { enterprise_id: mine.id, reason: '园区推荐' }, park1.token), 201);
		assert.equal(e.nominated_by_role, 'park');
		expectError(await post(WL, { enterprise_id: theirs.id, reason: '园区推荐' }, park1.token), 404, 'not_found');
		expectError(await post(WL, { enterprise_id: none.id, reason: '园区推荐' }, park1.token), 404, 'not_found');
		const park2 = await freshUser('park', 2);
		expectStatus(await post(WL, { enterprise_id: theirs.id, reason: '园区推荐' }, park2.token), 201);
	});

	test('the bureau nominates any enterprise; an unknown one is 404', async () => {
		const [a, b] = await Promise.all([enterprise(3), enterprise(null)]);
		assert.equal((await nominateWhitelist(a.id)).nominated_by_role, 'bureau');
		assert.equal((await nominateWhitelist(b.id)).nominated_by_role, 'bureau');
		expectError(await post(WL, { enterprise_id: 2 ** 52, reason: 'x' }), 404, 'not_found', 'enterprise_id');
	});

	test('the body is checked: reason 1-500 characters and not blank, enterprise_id an id, no other key', async () => {
		const e = await enterprise();
		const cases = [
			[{ enterprise_id: e.id }, 'reason'],
			[{ enterprise_id: e.id, reason: '' }, 'reason'],
			[{ enterprise_id: e.id, reason: '  \t\n ' }, 'reason'],
			[{ enterprise_id: e.id, reason: '好'.repeat(501) }, 'reason'],
			[{ enterprise_id: e.id, reason: 7 }, 'reason'],
			[{ reason: 'x' }, 'enterprise_id'],
			[{ enterprise_id: String(e.id), reason: 'x' }, 'enterprise_id'],
			[{ enterprise_id: 0, reason: 'x' }, 'enterprise_id'],
			[{ enterprise_id: null, reason: 'x' }, 'enterprise_id'],
			[{ enterprise_id: e.id, reason: 'x', status: 'approved' }, 'status'],
		];
		for (const [body, field] of cases)
			expectError(await post(WL, body), 400, 'validation_failed', field);
		expectError(await api('POST', WL, { token: bureau.token, rawBody: `{"enterprise_id":${e.id}.5,"reason":"x"}` }),
			400, 'validation_failed', 'enterprise_id');
		assert.equal((await listed(bureau.token, `enterprise_id=${e.id}`)).length, 0, 'nothing was created');
		const ok = await nominateWhitelist(e.id, { reason: '好'.repeat(500) });
		assert.equal(ok.reason, '好'.repeat(500));
	});
});

describe('transitions', () => {
	test('approve: valid_until is today (UTC) + 365 by default, decided_at set', async () => {
		const e = await enterprise();
		setCreditScore(e.id, { grade: 'B' });
		const n = await nominateWhitelist(e.id);
		const a = assertEntry(expectStatus(await approve(n.id), 200));
		assert.equal(a.id, n.id);
		assert.equal(a.status, 'approved');
		assert.equal(a.valid_until, utcDate(365));
		assert.match(a.decided_at, RFC3339_UTC);
		assert.equal(a.decision_reason, null);
		assert.equal(a.reason, n.reason, 'the nomination reason stays');
	});

	test('approve takes valid_days 1-1095, or no body at all', async () => {
		const [e1, e2, e3] = await Promise.all([enterprise(), enterprise(), enterprise()]);
		for (const e of [e1, e2, e3]) setCreditScore(e.id, { grade: 'A' });
		const n1 = await nominateWhitelist(e1.id);
		for (const bad of [0, 1096, -1, '30', null, 30.5])
			expectError(await approve(n1.id, { valid_days: bad }), 400, 'validation_failed', 'valid_days');
		expectError(await approve(n1.id, { valid_days: 30, reason: 'x' }), 400, 'validation_failed', 'reason');
		expectError(await api('POST', `${WL}/${n1.id}/approve`, { token: bureau.token, rawBody: '[]' }), 400, 'validation_failed');
		assert.equal(expectStatus(await getEntry(n1.id), 200).status, 'nominated', 'bad bodies changed nothing');
		assert.equal(expectStatus(await approve(n1.id, { valid_days: 1 }), 200).valid_until, utcDate(1));
		const n2 = await nominateWhitelist(e2.id);
		assert.equal(expectStatus(await approve(n2.id, { valid_days: 1095 }), 200).valid_until, utcDate(1095));
		const n3 = await nominateWhitelist(e3.id);
		const none = await api('POST', `${WL}/${n3.id}/approve`, { token: bureau.token });
		assert.equal(expectStatus(none, 200).valid_until, utcDate(365));
	});

	test('reject and revoke need a reason and record it', async () => {
		const [e1, e2] = await Promise.all([enterprise(), enterprise()]);
		const n1 = await nominateWhitelist(e1.id);
		expectError(await post(`${WL}/${n1.id}/reject`, {}), 400, 'validation_failed', 'reason');
		expectError(await post(`${WL}/${n1.id}/reject`, { reason: ' ' }), 400, 'validation_failed', 'reason');
		expectError(await post(`${WL}/${n1.id}/reject`, { reason: 'x'.repeat(501) }), 400, 'validation_failed', 'reason');
		expectError(await api('POST', `${WL}/${n1.id}/reject`, { token: bureau.token }), 400, 'invalid_json');
		const r = assertEntry(expectStatus(await reject(n1.id, '材料不全'), 200));
		assert.equal(r.status, 'rejected');
		assert.equal(r.decision_reason, '材料不全');
		assert.equal(r.valid_until, null);
		assert.match(r.decided_at, RFC3339_UTC);

		const a = await approveWhitelist(e2.id);
		expectError(await post(`${WL}/${a.id}/revoke`, {}), 400, 'validation_failed', 'reason');
		const v = assertEntry(expectStatus(await revoke(a.id, '发现违规'), 200));
		assert.equal(v.status, 'revoked');
		assert.equal(v.decision_reason, '发现违规');
		assert.equal(v.valid_until, a.valid_until, 'the granted period stays on record');
	});

	// Every action from every state: only nominated->approved,
	// nominated->rejected and approved->revoked are legal.
	const STATES = ['nominated', 'approved', 'rejected', 'revoked', 'expired'];
	const LEGAL = { approve: ['nominated'], reject: ['nominated'], revoke: ['approved'] };
	const DO = { approve: (id) => approve(id), reject: (id) => reject(id), revoke: (id) => revoke(id) };

	/** A fresh entry in state. */
	async function entryIn(state) {
		const e = await enterprise();
		setCreditScore(e.id, { grade: 'B' });
		const n = await nominateWhitelist(e.id);
		if (state === 'nominated') return n;
		if (state === 'rejected') return expectStatus(await reject(n.id), 200);
		const a = expectStatus(await approve(n.id), 200);
		if (state === 'revoked') return expectStatus(await revoke(a.id), 200);
		if (state === 'expired') setValidUntil(a.id, -1);
		return a;
	}

	for (const state of STATES) {
		for (const action of Object.keys(DO)) {
			const legal = LEGAL[action].includes(state);
			test(`${action} from ${state}: ${legal ? 'allowed' : '409 invalid_state, nothing changes'}`, async () => {
				const entry = await entryIn(state);
				const res = await DO[action](entry.id);
				if (legal) {
					const to = { approve: 'approved', reject: 'rejected', revoke: 'revoked' }[action];
					assert.equal(assertEntry(expectStatus(res, 200)).status, to);
				} else {
					const err = expectError(res, 409, 'invalid_state', null);
					assert.match(err.message, new RegExp(`is ${state}`), err.message);
					const now = expectStatus(await getEntry(entry.id), 200);
					assert.equal(now.status, state);
					assert.equal(now.decided_at, entry.decided_at ?? null, 'decided_at unchanged');
					assert.equal(now.decision_reason, entry.decision_reason ?? null);
				}
			});
		}
	}

	test('approve twice, reject after approve, revoke twice: each 409 invalid_state', async () => {
		const e = await enterprise();
		const a = await approveWhitelist(e.id);
		expectError(await approve(a.id), 409, 'invalid_state');
		expectError(await reject(a.id), 409, 'invalid_state');
		expectStatus(await revoke(a.id), 200);
		expectError(await revoke(a.id), 409, 'invalid_state');
		expectError(await approve(a.id), 409, 'invalid_state');
	});

	test('an unknown entry is 404 for every action and for GET', async () => {
		const id = 2 ** 52;
		expectError(await approve(id), 404, 'not_found');
		expectError(await reject(id), 404, 'not_found');
		expectError(await revoke(id), 404, 'not_found');
		expectError(await getEntry(id), 404, 'not_found');
	});
});

describe('eligibility', () => {
	/** A nominated entry of a fresh enterprise scored as given. */
	async function nominatedWith(score) {
		const e = await enterprise();
		setCreditScore(e.id, score);
		return nominateWhitelist(e.id);
	}

	test('grade D is not eligible (409 not_eligible naming the grade); the entry stays nominated', async () => {
		const n = await nominatedWith({ grade: 'D' });
		const err = expectError(await approve(n.id), 409, 'not_eligible', null);
		assert.match(err.message, /grade D/);
		const now = expectStatus(await getEntry(n.id), 200);
		assert.equal(now.status, 'nominated');
		assert.equal(now.valid_until, null);
		// Rejecting it is still possible.
		expectStatus(await reject(n.id), 200);
	});

	test('a dishonest-debtor record is not eligible, whatever the grade; the message says so', async () => {
		for (const grade of ['C', 'D']) {
			const n = await nominatedWith({ grade, dishonestDebtor: true });
			const err = expectError(await approve(n.id), 409, 'not_eligible', null);
			assert.match(err.message, /dishonest-debtor/);
			assert.equal(expectStatus(await getEntry(n.id), 200).status, 'nominated');
		}
	});

	test('an enterprise with no score yet is not eligible; the message says so', async () => {
		const n = await nominatedWith({ grade: null });
		const err = expectError(await approve(n.id), 409, 'not_eligible', null);
		assert.match(err.message, /no credit score/);
	});

	test('grade C (the lowest passing grade), B and A are eligible', async () => {
		for (const grade of ['C', 'B', 'A']) {
			const n = await nominatedWith({ grade, score: { C: 500, B: 650, A: 800 }[grade] });
			assert.equal(expectStatus(await approve(n.id), 200).status, 'approved', `grade ${grade}`);
		}
	});

	test('eligibility is read at approval time: a grade that drops to D after nomination blocks approval', async () => {
		const e = await enterprise();
		setCreditScore(e.id, { grade: 'A' });
		const n = await nominateWhitelist(e.id);
		setCreditScore(e.id, { grade: 'D' });
		expectError(await approve(n.id), 409, 'not_eligible');
		setCreditScore(e.id, { grade: 'C' });
		expectStatus(await approve(n.id), 200);
	});
});

describe('one live entry per enterprise', () => {
	test('nominating twice is 409 conflict while nominated or approved, by any nominator', async () => {
		const sme = await freshUser('sme');
		const id = sme.enterprise.id;
		setCreditScore(id, { grade: 'B' });
		const n = await nominateWhitelist(id);
		const err = expectError(await post(WL, { enterprise_id: id, reason: 'again' }), 409, 'conflict');
		assert.match(err.message, new RegExp(String(n.id)));
		expectError(await post(WL, { enterprise_id: id, reason: 'again' }, sme.token), 409, 'conflict');
		expectError(await post(WL, { enterprise_id: id, reason: 'again' }, park1.token), 409, 'conflict');
		expectStatus(await approve(n.id), 200);
		expectError(await post(WL, { enterprise_id: id, reason: 'again' }, sme.token), 409, 'conflict');
	});

	test('after a rejection or a revocation a new nomination is allowed', async () => {
		const e = await enterprise();
		const n1 = await nominateWhitelist(e.id);
		expectStatus(await reject(n1.id), 200);
		const a = await approveWhitelist(e.id);
		assert.notEqual(a.id, n1.id);
		expectStatus(await revoke(a.id), 200);
		const n3 = await nominateWhitelist(e.id);
		assert.equal(n3.status, 'nominated');
		const all = await listed(bureau.token, `enterprise_id=${e.id}`);
		assert.deepEqual(all.map((x) => [x.id, x.status]), [[n3.id, 'nominated'], [a.id, 'revoked'], [n1.id, 'rejected']]);
	});

	test('10 parallel nominations of one enterprise: exactly one 201, nine 409 conflict', async () => {
		const e = await enterprise();
		const tokens = Array.from({ length: 10 }, (_, i) => (i % 2 ? park1.token : bureau.token));
		const answers = await Promise.all(tokens.map((token, i) =>
			post(WL, { enterprise_id: e.id, reason: `并发 ${i}` }, token)));
		const statuses = answers.map((r) => r.status);
		assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses ${statuses}`);
		for (const r of answers) if (r.status !== 201) expectError(r, 409, 'conflict');
		assert.equal((await listed(bureau.token, `enterprise_id=${e.id}`)).length, 1);
	});

	test('5 parallel approvals of one entry: exactly one 200, four 409 invalid_state', async () => {
		const e = await enterprise();
		setCreditScore(e.id, { grade: 'B' });
		const n = await nominateWhitelist(e.id);
		const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => approve(n.id, { valid_days: 10 + i })));
		const statuses = answers.map((r) => r.status);
		assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses ${statuses}`);
		for (const r of answers) if (r.status !== 200) expectError(r, 409, 'invalid_state');
		const since = instantAgo(120);
		const rows = await auditRows({ action: 'whitelist.approve', target_type: 'whitelist_entry', target_id: String(n.id), from: since });
		assert.equal(rows.length, 1, 'one approval audited');
	});
});

describe('expiry, exact to the day', () => {
	test('valid_until today is still approved; yesterday reads expired everywhere, with no job run', async () => {
		const sme = await freshUser('sme');
		const a = await approveWhitelist(sme.enterprise.id);

		setValidUntil(a.id, 0);
		for (const token of [bureau.token, park1.token, sme.token, bank.token]) {
			const e = expectStatus(await getEntry(a.id, token), 200);
			assert.equal(e.status, 'approved');
			assert.equal(e.valid_until, utcDate(0));
		}
		const q = `enterprise_id=${sme.enterprise.id}`;
		assert.deepEqual((await listed(bureau.token, `${q}&status=approved`)).map((x) => x.id), [a.id]);
		assert.deepEqual((await listed(bureau.token, `${q}&status=expired`)).map((x) => x.id), []);
		assert.deepEqual((await listed(bank.token, q)).map((x) => x.id), [a.id]);
		expectError(await post(WL, { enterprise_id: sme.enterprise.id, reason: 'again' }, sme.token), 409, 'conflict');

		setValidUntil(a.id, -1);
		for (const token of [bureau.token, park1.token, sme.token]) {
			const e = expectStatus(await getEntry(a.id, token), 200);
			assert.equal(e.status, 'expired');
			assert.equal(e.valid_until, utcDate(-1));
		}
		expectError(await getEntry(a.id, bank.token), 404, 'not_found');
		assert.deepEqual((await listed(bank.token, q)).map((x) => x.id), [], 'banks see no expired entry');
		assert.deepEqual((await listed(bureau.token, `${q}&status=approved`)).map((x) => x.id), []);
		assert.deepEqual((await listed(bureau.token, `${q}&status=expired`)).map((x) => x.id), [a.id]);
		assert.deepEqual((await listed(sme.token, 'status=expired')).map((x) => x.id), [a.id]);

		// An expired entry takes no transition; a new nomination is allowed.
		expectError(await revoke(a.id), 409, 'invalid_state');
		const n = expectStatus(await post(WL, { enterprise_id: sme.enterprise.id, reason: '续期' }, sme.token), 201);
		assert.equal(n.status, 'nominated');
		assert.equal(expectStatus(await getEntry(a.id), 200).status, 'expired', 'the old entry stays expired');
	});

	test('status=expired lists only expired entries and status=approved only unexpired ones', async () => {
		const [e1, e2] = await Promise.all([enterprise(), enterprise()]);
		const [a1, a2] = [await approveWhitelist(e1.id), await approveWhitelist(e2.id)];
		setValidUntil(a1.id, -400);
		const expired = await listed(bureau.token, 'status=expired');
		const approved = await listed(bureau.token, 'status=approved');
		assert.ok(expired.some((x) => x.id === a1.id));
		assert.ok(!expired.some((x) => x.id === a2.id));
		assert.ok(approved.some((x) => x.id === a2.id));
		assert.ok(!approved.some((x) => x.id === a1.id));
		const today = utcDate(0);
		for (const x of expired) assert.ok(x.status === 'expired' && x.valid_until < today, JSON.stringify(x));
		for (const x of approved) assert.ok(x.status === 'approved' && x.valid_until >= today, JSON.stringify(x));
	});
});

describe('reading and listing by role', () => {
	let smeA;
	let entries;	// {a: approved (park 1, smeA), b: nominated (park 2), c: rejected (park 1), d: revoked (park 1)}

	before(async () => {
		smeA = await freshUser('sme');
		const [b, c, d] = await Promise.all([enterprise(2), enterprise(1), enterprise(1)]);
		const a = await approveWhitelist(smeA.enterprise.id);
		const bn = await nominateWhitelist(b.id);
		const cn = await nominateWhitelist(c.id);
		const cr = expectStatus(await reject(cn.id), 200);
		const da = await approveWhitelist(d.id);
		const dr = expectStatus(await revoke(da.id), 200);
		entries = { a, b: bn, c: cr, d: dr };
	});

	const ids = (items) => new Set(items.map((x) => x.id));

	test('the bureau lists and reads every entry', async () => {
		const all = ids(await listed(bureau.token));
		for (const e of Object.values(entries)) {
			assert.ok(all.has(e.id), `entry ${e.id}`);
			expectStatus(await getEntry(e.id), 200);
		}
	});

	test('a park lists and reads its park\'s entries only', async () => {
		const items = await listed(park1.token);
		const seen = ids(items);
		assert.ok(seen.has(entries.a.id) && seen.has(entries.c.id) && seen.has(entries.d.id));
		assert.ok(!seen.has(entries.b.id), 'park 2 entry hidden');
		expectError(await getEntry(entries.b.id, park1.token), 404, 'not_found');
		expectStatus(await getEntry(entries.c.id, park1.token), 200);
		const park2 = await freshUser('park', 2);
		const seen2 = ids(await listed(park2.token));
		assert.ok(seen2.has(entries.b.id));
		assert.ok(!seen2.has(entries.a.id));
		expectError(await getEntry(entries.a.id, park2.token), 404, 'not_found');
	});

	test('an sme lists and reads its own entries only', async () => {
		const items = await listed(smeA.token);
		assert.deepEqual(items.map((x) => x.id), [entries.a.id]);
		assertEntry(items[0]);
		expectStatus(await getEntry(entries.a.id, smeA.token), 200);
		for (const k of ['b', 'c', 'd']) expectError(await getEntry(entries[k].id, smeA.token), 404, 'not_found');
		assert.deepEqual(await listed(smeA.token, `enterprise_id=${entries.b.enterprise_id}`), []);
	});

	test('a bank lists and reads approved, unexpired entries only', async () => {
		const items = await listed(bank.token);
		for (const x of items) assert.equal(x.status, 'approved', JSON.stringify(x));
		const seen = ids(items);
		assert.ok(seen.has(entries.a.id));
		for (const k of ['b', 'c', 'd']) {
			assert.ok(!seen.has(entries[k].id), k);
			expectError(await getEntry(entries[k].id, bank.token), 404, 'not_found');
		}
		expectStatus(await getEntry(entries.a.id, bank.token), 200);
		assert.deepEqual(await listed(bank.token, 'status=nominated'), []);
		assert.deepEqual(await listed(bank.token, 'status=expired'), []);
	});

	test('admin and auditor may not read the whitelist', async () => {
		for (const role of ['admin', 'auditor']) {
			const u = await roleUser(role);
			expectError(await api('GET', WL, { token: u.token }), 403, 'forbidden');
			expectError(await getEntry(entries.a.id, u.token), 403, 'forbidden');
		}
	});

	test('the status filter selects exactly that status; a bad one is 400 naming status', async () => {
		for (const [status, key] of [['approved', 'a'], ['nominated', 'b'], ['rejected', 'c'], ['revoked', 'd']]) {
			const items = await listed(bureau.token, `status=${status}`);
			for (const x of items) assert.equal(x.status, status);
			assert.ok(ids(items).has(entries[key].id), `${status} lists ${key}`);
			for (const other of Object.keys(entries))
				if (other !== key) assert.ok(!ids(items).has(entries[other].id), `${status} hides ${other}`);
		}
		for (const bad of ['bogus', 'APPROVED', '', 'approved,rejected'])
			expectError(await api('GET', `${WL}?status=${encodeURIComponent(bad)}`, { token: bureau.token }),
				400, 'validation_failed', 'status');
		for (const bad of ['x', '0', '-3', '1.5'])
			expectError(await api('GET', `${WL}?enterprise_id=${bad}`, { token: bureau.token }),
				400, 'validation_failed', 'enterprise_id');
	});

	test('lists page newest first with limit and cursor', async () => {
		const e = await enterprise();
		const made = [];
		for (let i = 0; i < 3; i++) {
			const n = await nominateWhitelist(e.id);
			made.push(n.id);
			if (i < 2) expectStatus(await reject(n.id), 200);
		}
		const q = `${WL}?enterprise_id=${e.id}&limit=1`;
		const p1 = assertList(await api('GET', q, { token: bureau.token }));
		assert.deepEqual(p1.items.map((x) => x.id), [made[2]]);
		assert.ok(p1.next_cursor);
		const p2 = assertList(await api('GET', `${q}&cursor=${p1.next_cursor}`, { token: bureau.token }));
		assert.deepEqual(p2.items.map((x) => x.id), [made[1]]);
		const all = await listAll(`${WL}?enterprise_id=${e.id}`, bureau.token, { limit: 2 });
		assert.deepEqual(all.map((x) => x.id), [made[2], made[1], made[0]]);
		expectError(await api('GET', `${WL}?limit=0`, { token: bureau.token }), 400, 'validation_failed', 'limit');
		expectError(await api('GET', `${WL}?cursor=abc`, { token: bureau.token }), 400, 'validation_failed', 'cursor');
	});
});

describe('audit', () => {
	test('nominate, approve, reject and revoke each write one audit row naming the entry', async () => {
		const since = instantAgo(2);
		const sme = await freshUser('sme');
		setCreditScore(sme.enterprise.id, { grade: 'B' });
		const n = expectStatus(await post(WL, { enterprise_id: sme.enterprise.id, reason: '申请' }, sme.token), 201);
		expectStatus(await approve(n.id), 200);
		expectStatus(await revoke(n.id), 200);
		const n2 = await nominateWhitelist(sme.enterprise.id);
		expectStatus(await reject(n2.id), 200);
		// A refused transition writes no row.
		expectError(await approve(n2.id), 409, 'invalid_state');

		const expectRow = async (action, entryId, actor, role, status) => {
			const rows = await auditRows({ action, target_type: 'whitelist_entry', target_id: String(entryId), from: since });
			assert.equal(rows.length, 1, `${action} ${entryId}: ${JSON.stringify(rows)}`);
			assert.equal(rows[0].actor_id, actor);
			assert.equal(rows[0].role, role);
			assert.equal(rows[0].status, status);
		};
		await expectRow('whitelist.nominate', n.id, sme.id, 'sme', 201);
		await expectRow('whitelist.approve', n.id, bureau.id, 'bureau', 200);
		await expectRow('whitelist.revoke', n.id, bureau.id, 'bureau', 200);
		await expectRow('whitelist.nominate', n2.id, bureau.id, 'bureau', 201);
		await expectRow('whitelist.reject', n2.id, bureau.id, 'bureau', 200);
		assert.equal((await auditRows({ action: 'whitelist.approve', target_id: String(n2.id), from: since })).length, 0);
	});

	test('a refused nomination or approval leaves no audit row and no entry', async () => {
		const since = instantAgo(2);
		const e = await enterprise();
		setCreditScore(e.id, { grade: 'D' });
		const n = await nominateWhitelist(e.id);
		expectError(await approve(n.id), 409, 'not_eligible');
		expectError(await post(WL, { enterprise_id: e.id, reason: 'again' }), 409, 'conflict');
		assert.equal((await auditRows({ action: 'whitelist.approve', target_id: String(n.id), from: since })).length, 0);
		assert.equal((await auditRows({ action: 'whitelist.nominate', target_type: 'whitelist_entry', from: since }))
			.filter((r) => r.target_id === String(n.id)).length, 1);
		assert.equal((await listed(bureau.token, `enterprise_id=${e.id}`)).length, 1);
	});
});
