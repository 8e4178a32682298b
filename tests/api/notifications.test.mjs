// Notifications (/api/v1/notifications): every role lists its own only,
// newest first, optionally unread only, in pages; marks one read (the
// first read_at stays; someone else's is 404). Notifications come from a
// park's programme recommendation, or for roles nothing notifies yet from
// SQL (sqlNotification). Also the audit row of a read.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	RFC3339_UTC, ROLES, api, assertKeys, assertList, auditRows, createProgram, expectError, expectStatus,
	freshUser, listAll, recommendProgram, roleUser, sqlNotification,
} from './lib.mjs';

const NT = '/api/v1/notifications';
const KEYS = ['id', 'kind', 'title', 'body', 'ref_type', 'ref_id', 'created_at', 'read_at'];

let sme;
let other;

before(async () => {
	[sme, other] = await Promise.all([freshUser('sme'), freshUser('sme')]);
});

const read = (id, token = sme.token, body) => api('POST', `${NT}/${id}/read`, { token, body });

function assertNotification(n) {
	assertKeys(n, KEYS, 'notification');
	assert.ok(Number.isInteger(n.id) && n.id > 0);
	assert.match(n.created_at, RFC3339_UTC);
	assert.ok(n.read_at === null || RFC3339_UTC.test(n.read_at), `read_at ${n.read_at}`);
	return n;
}

describe('list', () => {
	test('every role lists its own notifications, newest first, and nobody else\'s', async () => {
		for (const role of ROLES) {
			const u = await roleUser(role);
			const mineA = sqlNotification(u.id, { title: `${role} 1` });
			const mineB = sqlNotification(u.id, { title: `${role} 2`, kind: 'test.other' });
			const theirs = sqlNotification(other.id, { title: 'not yours' });
			const items = (await listAll(NT, u.token)).map(assertNotification);
			const ids = items.map((n) => n.id);
			assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
			assert.deepEqual(ids.slice(0, 2), [mineB, mineA]);
			assert.ok(!ids.includes(theirs));
			assert.deepEqual(items[0], {
				id: mineB, kind: 'test.other', title: `${role} 2`, body: '内容', ref_type: null, ref_id: null,
				created_at: items[0].created_at, read_at: null,
			});
		}
	});

	test('unread=1 lists the unread only; unread=0 lists all', async () => {
		const u = await freshUser('bank');
		const a = sqlNotification(u.id);
		const b = sqlNotification(u.id);
		expectStatus(await read(a, u.token), 200);
		assert.deepEqual((await listAll(`${NT}?unread=1`, u.token)).map((n) => n.id), [b]);
		assert.deepEqual((await listAll(`${NT}?unread=true`, u.token)).map((n) => n.id), [b]);
		assert.deepEqual((await listAll(`${NT}?unread=0`, u.token)).map((n) => n.id), [b, a]);
		assert.deepEqual((await listAll(NT, u.token)).map((n) => n.id), [b, a]);
	});

	test('pages hold at most limit, follow next_cursor, and end with null', async () => {
		const u = await freshUser('park');
		const ids = [];
		for (let i = 0; i < 5; i++) ids.push(sqlNotification(u.id, { title: `第${i}条` }));
		ids.reverse();
		const first = assertList(await api('GET', `${NT}?limit=2`, { token: u.token }));
		assert.deepEqual(first.items.map((n) => n.id), ids.slice(0, 2));
		const second = assertList(await api('GET', `${NT}?limit=2&cursor=${first.next_cursor}`, { token: u.token }));
		assert.deepEqual(second.items.map((n) => n.id), ids.slice(2, 4));
		const third = assertList(await api('GET', `${NT}?limit=2&cursor=${second.next_cursor}`, { token: u.token }));
		assert.deepEqual(third.items.map((n) => n.id), ids.slice(4));
		assert.equal(third.next_cursor, null);
		// unread paging too
		assert.deepEqual((await listAll(`${NT}?unread=1`, u.token, { limit: 1 })).map((n) => n.id), ids);
	});

	test('a fresh user has none', async () => {
		const u = await freshUser('auditor');
		assert.deepEqual(assertList(await api('GET', NT, { token: u.token })), { items: [], next_cursor: null });
	});

	for (const [q, field] of [['unread=yes', 'unread'], ['limit=0', 'limit'], ['limit=501', 'limit'], ['cursor=-1', 'cursor']]) {
		test(`GET /notifications?${q} is 400 naming ${field}`, async () => {
			expectError(await api('GET', `${NT}?${q}`, { token: sme.token }), 400, 'validation_failed', field);
		});
	}
});

describe('read', () => {
	test('marking read answers the notification with read_at; a second read keeps the first time', async () => {
		const id = sqlNotification(sme.id, { title: '请查收', body: '正文' });
		const n = assertNotification(expectStatus(await read(id), 200));
		assert.equal(n.id, id);
		assert.equal(n.title, '请查收');
		assert.equal(n.body, '正文');
		assert.match(n.read_at, RFC3339_UTC);
		await new Promise((r) => setTimeout(r, 1100));
		const again = expectStatus(await read(id, sme.token, {}), 200);
		assert.deepEqual(again, n);
		assert.deepEqual((await listAll(NT, sme.token)).find((x) => x.id === id), n);
	});

	test('someone else\'s notification is 404 and stays unread', async () => {
		const id = sqlNotification(other.id);
		expectError(await read(id), 404, 'not_found', null);
		expectError(await read(id, (await roleUser('bureau')).token), 404, 'not_found');
		expectError(await read(987654321), 404, 'not_found');
		const theirs = (await listAll(NT, other.token)).find((x) => x.id === id);
		assert.equal(theirs.read_at, null);
	});

	test('a body with anything in it is 400', async () => {
		const id = sqlNotification(sme.id);
		expectError(await read(id, sme.token, { read: true }), 400, 'validation_failed', 'read');
		expectError(await read(id, sme.token, [1]), 400, 'validation_failed');
	});

	test('a recommendation notification names its programme', async () => {
		const g = await createProgram({ park_id: 1 });
		const s = await freshUser('sme');	// park 1
		expectStatus(await recommendProgram(g.id, [s.enterprise.id], { message: '欢迎了解' }), 201);
		const [n] = (await listAll(NT, s.token)).filter((x) => x.ref_id === g.id);
		assert.equal(n.kind, 'program.recommended');
		assert.equal(n.ref_type, 'program');
		assert.equal(n.body, '欢迎了解');
		const r = expectStatus(await read(n.id, s.token), 200);
		assert.equal(r.ref_id, g.id);
		assert.notEqual(r.read_at, null);
	});

	test('a read is audited once, with the notification as target', async () => {
		const id = sqlNotification(sme.id);
		expectStatus(await read(id), 200);
		expectStatus(await read(id), 200);
		const rows = await auditRows({ target_type: 'notification', target_id: String(id) });
		assert.deepEqual(rows.map((r) => [r.action, r.status, r.actor_id]), [['notification.read', 200, sme.id]]);
	});
});
