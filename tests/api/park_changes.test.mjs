// An enterprise's change of park (/api/v1/park-changes): an enterprise that
// PATCHes itself into 东方美谷 (park 1) stays in its old park with a pending
// request until park 1's operator confirms it; another park's operator
// neither sees nor decides it (404); a rejection keeps the old park; a new
// request replaces the pending one; the bureau sets a park at once (and so
// ends a pending request). Also notifications and audit rows.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	RFC3339_UTC, api, assertKeys, assertList, auditRows, createUser, expectError, expectStatus, listAll,
	login, registerSme, roleUser,
} from './lib.mjs';

const C = '/api/v1/park-changes';
const CHANGE_KEYS = ['id', 'enterprise_id', 'enterprise_name', 'uscc', 'from_park_id', 'from_park_name',
	'park_id', 'park_name', 'status', 'requested_at', 'decided_at', 'reason'];

let bureau;
let park1;
let park2;

/** A fresh logged-in user of role with orgId. */
async function newUser(role, orgId) {
	const u = await createUser(role, orgId);
	const l = await login(u.username, u.password);
	return { ...u, token: l.token };
}

/** A fresh enterprise of park parkId (null: none) and its logged-in sme user. */
async function newSme(parkId) {
	const s = await registerSme({ enterprise: { park_id: parkId } });
	const l = await login(s.username, s.password);
	return { ...s, token: l.token, id: s.enterprise.id, userId: l.user.id };
}

before(async () => {
	bureau = await roleUser('bureau');
	[park1, park2] = await Promise.all([newUser('park', 1), newUser('park', 2)]);
});

const get = (id, token) => api('GET', `/api/v1/enterprises/${id}`, { token });
const patch = (id, token, body) => api('PATCH', `/api/v1/enterprises/${id}`, { token, body });
const pending = async (token) => (await listAll(C, token)).filter((c) => c.status === 'pending');
const confirm = (id, token) => api('POST', `${C}/${id}/confirm`, { token });
const reject = (id, token, reason = '不在本园区经营') => api('POST', `${C}/${id}/reject`, { token, body: { reason } });

describe('the enterprise that moves itself into 东方美谷', () => {
	test('PATCH of its own park_id files a request and keeps the old park', async () => {
		const e = await newSme(2);
		const b = expectStatus(await patch(e.id, e.token, { park_id: 1, employees: 77 }), 200);
		assert.equal(b.park_id, 2, 'still in park 2');
		assert.equal(b.employees, 77, 'the other fields apply at once');
		assertKeys(b.park_change, ['id', 'park_id', 'park_name', 'status', 'requested_at'], 'park_change');
		assert.equal(b.park_change.park_id, 1);
		assert.equal(b.park_change.status, 'pending');
		assert.match(b.park_change.requested_at, RFC3339_UTC);
		const seen = expectStatus(await get(e.id, e.token), 200);
		assert.equal(seen.park_id, 2);
		assert.deepEqual(seen.park_change, b.park_change);
		// park 1 does not see the enterprise yet, park 2 still does
		expectError(await get(e.id, park1.token), 404, 'not_found');
		expectStatus(await get(e.id, park2.token), 200);
		// the programme list of the target park shows the request
		const mine = (await pending(park1.token)).find((c) => c.id === b.park_change.id);
		assertKeys(mine, CHANGE_KEYS, 'request');
		assert.equal(mine.enterprise_id, e.id);
		assert.equal(mine.from_park_id, 2);
		assert.equal(mine.park_id, 1);
		assert.equal(mine.decided_at, null);
		// the park's operators were told
		const told = (await listAll('/api/v1/notifications', park1.token))
			.filter((n) => n.kind === 'park_change.requested' && n.ref_id === mine.id);
		assert.equal(told.length, 1);
		assert.ok(told[0].body.includes(e.enterprise.name), told[0].body);
		const rows = await auditRows({ action: 'park_change.request', target_id: String(mine.id) });
		assert.equal(rows.length, 1);
		assert.equal(rows[0].actor_id, e.userId);
	});

	test('the wrong park operator neither sees nor decides it (404); the right one confirms', async () => {
		const e = await newSme(2);
		const id = expectStatus(await patch(e.id, e.token, { park_id: 1 }), 200).park_change.id;
		assert.ok(!(await listAll(`${C}?status=all`, park2.token)).some((c) => c.id === id), 'park 2 does not list it');
		expectError(await confirm(id, park2.token), 404, 'not_found');
		expectError(await reject(id, park2.token), 404, 'not_found');
		for (const u of [e, bureau]) expectError(await confirm(id, u.token), 403, 'forbidden');
		assert.equal(expectStatus(await get(e.id, e.token), 200).park_id, 2);
		const done = expectStatus(await confirm(id, park1.token), 200);
		assertKeys(done, CHANGE_KEYS, 'confirmed request');
		assert.equal(done.status, 'confirmed');
		assert.match(done.decided_at, RFC3339_UTC);
		const moved = expectStatus(await get(e.id, e.token), 200);
		assert.equal(moved.park_id, 1);
		assert.equal(moved.park_change, null);
		expectStatus(await get(e.id, park1.token), 200);
		expectError(await get(e.id, park2.token), 404, 'not_found');
		// confirming twice is refused: it is no longer pending
		expectError(await confirm(id, park1.token), 409, 'invalid_state');
		const told = (await listAll('/api/v1/notifications', e.token)).filter((n) => n.kind === 'park_change.confirmed' && n.ref_id === id);
		assert.equal(told.length, 1);
		const rows = await auditRows({ action: 'park_change.confirm', target_id: String(id) });
		assert.equal(rows.length, 1);
	});

	test('a rejection keeps the old park and tells the enterprise why', async () => {
		const e = await newSme(null);
		const id = expectStatus(await patch(e.id, e.token, { park_id: 1 }), 200).park_change.id;
		expectError(await reject(id, park1.token, '   '), 400, 'validation_failed', 'reason');
		expectError(await api('POST', `${C}/${id}/reject`, { token: park1.token, body: {} }), 400, 'validation_failed', 'reason');
		const r = expectStatus(await reject(id, park1.token, '未在园区注册经营'), 200);
		assert.equal(r.status, 'rejected');
		assert.equal(r.reason, '未在园区注册经营');
		const seen = expectStatus(await get(e.id, e.token), 200);
		assert.equal(seen.park_id, null);
		assert.equal(seen.park_change, null);
		expectError(await confirm(id, park1.token), 409, 'invalid_state');
		const told = (await listAll('/api/v1/notifications', e.token)).filter((n) => n.kind === 'park_change.rejected');
		assert.equal(told[0].body, '未在园区注册经营');
	});

	test('one pending request per enterprise: a new one replaces it; staying or leaving cancels it', async () => {
		const e = await newSme(3);
		const first = expectStatus(await patch(e.id, e.token, { park_id: 1 }), 200).park_change;
		const second = expectStatus(await patch(e.id, e.token, { park_id: 2 }), 200).park_change;
		assert.notEqual(second.id, first.id);
		assert.equal(second.park_id, 2);
		expectError(await confirm(first.id, park1.token), 409, 'invalid_state');
		assert.ok(!(await pending(park1.token)).some((c) => c.id === first.id));
		// asking for the park it is in withdraws the request
		assert.equal(expectStatus(await patch(e.id, e.token, { park_id: 3 }), 200).park_change, null);
		expectError(await confirm(second.id, park2.token), 409, 'invalid_state');
		// leaving every park needs nobody's consent
		const third = expectStatus(await patch(e.id, e.token, { park_id: 1 }), 200).park_change;
		const left = expectStatus(await patch(e.id, e.token, { park_id: null }), 200);
		assert.equal(left.park_id, null);
		assert.equal(left.park_change, null);
		expectError(await confirm(third.id, park1.token), 409, 'invalid_state');
	});

	test('the bureau sets a park at once, ending a pending request', async () => {
		const e = await newSme(2);
		const id = expectStatus(await patch(e.id, e.token, { park_id: 3 }), 200).park_change.id;
		const b = expectStatus(await patch(e.id, bureau.token, { park_id: 1 }), 200);
		assert.equal(b.park_id, 1);
		assert.equal(b.park_change, null);
		expectStatus(await get(e.id, park1.token), 200);
		const bureauList = await listAll(`${C}?status=cancelled`, bureau.token);
		assert.ok(bureauList.some((c) => c.id === id), 'the bureau lists every park\'s requests');
	});

	test('the list: a park sees only requests into its park; status is checked', async () => {
		const e = await newSme(null);
		const id = expectStatus(await patch(e.id, e.token, { park_id: 2 }), 200).park_change.id;
		assert.ok((await pending(park2.token)).some((c) => c.id === id));
		assert.ok(!(await listAll(`${C}?status=all`, park1.token)).some((c) => c.id === id));
		assertList(await api('GET', `${C}?status=pending&limit=1`, { token: park2.token }));
		expectError(await api('GET', `${C}?status=open`, { token: park2.token }), 400, 'validation_failed', 'status');
		for (const role of ['sme', 'bank']) {
			const u = await roleUser(role);
			expectError(await api('GET', C, { token: u.token }), 403, 'forbidden');
		}
	});
});

describe('competing decisions on one request', () => {
	test('two confirms, a rejection and the enterprise\'s own new request at once: one outcome, and the park follows it', async () => {
		for (let round = 0; round < 8; round++) {
			const e = await newSme(null);
			const id = expectStatus(await patch(e.id, e.token, { park_id: 1 }), 200).park_change.id;
			const [c1, c2, r, p] = await Promise.all([
				confirm(id, park1.token), confirm(id, park1.token), reject(id, park1.token),
				patch(e.id, e.token, { park_id: 2 }),
			]);
			expectStatus(p, 200);
			const decided = [c1, c2, r].filter((x) => x.status === 200);
			assert.ok(decided.length <= 1, `round ${round}: ${decided.length} decisions took effect`);
			for (const x of [c1, c2, r]) if (x.status !== 200) expectError(x, 409, 'invalid_state');
			const request = (await listAll(`${C}?status=all`, park1.token)).find((c) => c.id === id);
			const parkNow = expectStatus(await get(e.id, e.token), 200).park_id;
			if (c1.status === 200 || c2.status === 200) {
				assert.equal(request.status, 'confirmed', `round ${round}`);
				assert.equal(parkNow, 1, `round ${round}: confirmed, so in park 1`);
			} else {
				assert.equal(request.status, r.status === 200 ? 'rejected' : 'cancelled', `round ${round}`);
				assert.equal(parkNow, null, `round ${round}: never confirmed, so in no park`);
			}
			const rows = [...await auditRows({ action: 'park_change.confirm', target_id: String(id) }),
				...await auditRows({ action: 'park_change.reject', target_id: String(id) })];
			assert.equal(rows.length, decided.length, `round ${round}: one audit row per decision`);
		}
	});
});
