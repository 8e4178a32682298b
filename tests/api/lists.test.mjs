// The list conventions of api.md on every list route of this issue:
// ?limit= (default 50, at most 500), opaque ?cursor=, and the envelope
// {"items","next_cursor"}. Add a row to LIST_ROUTES for each new list.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	api, assertList, createInstitution, createUser, expectError, listAll, roleUser,
} from './lib.mjs';

// path; the role that may read it; a way to add n items to it; and walk,
// the path (with a narrowing filter where the list grows fast) whose pages
// are followed end to end.
const LIST_ROUTES = [
	{ path: '/api/v1/users', role: 'admin', make: async (n) => { for (let i = 0; i < n; i++) await createUser('auditor'); } },
	{ path: '/api/v1/institutions', role: 'bank', make: async (n) => { for (let i = 0; i < n; i++) await createInstitution(); } },
	{
		path: '/api/v1/audit',
		walk: '/api/v1/audit?action=institution.create',
		role: 'auditor',
		make: async (n) => { for (let i = 0; i < n; i++) await createInstitution(); },
	},
];

for (const route of LIST_ROUTES) {
	test(`${route.path}: limit outside 1..500 or not a number is 400 on limit`, async () => {
		const { token } = await roleUser(route.role);
		for (const limit of ['0', '501', '-1', 'abc', '1.5', '1e2', '99999999999999999999']) {
			const res = await api('GET', `${route.path}?limit=${encodeURIComponent(limit)}`, { token });
			expectError(res, 400, 'validation_failed', 'limit');
		}
	});

	test(`${route.path}: limit 1 and 500 are accepted; the default page is at most 50`, async () => {
		const { token } = await roleUser(route.role);
		await route.make(3);
		const one = assertList(await api('GET', `${route.path}?limit=1`, { token }));
		assert.equal(one.items.length, 1);
		assert.equal(typeof one.next_cursor, 'string', 'more items follow');
		const max = assertList(await api('GET', `${route.path}?limit=500`, { token }));
		assert.ok(max.items.length >= 3 && max.items.length <= 500);
		const def = assertList(await api('GET', route.path, { token }));
		assert.ok(def.items.length >= 3 && def.items.length <= 50);
		if (def.next_cursor === null) assert.deepEqual(def.items, max.items.slice(0, def.items.length));
	});

	test(`${route.path}: following next_cursor visits every item once`, async () => {
		const { token } = await roleUser(route.role);
		await route.make(5);
		const walk = route.walk ?? route.path;
		const whole = await listAll(walk, token, { limit: 500 });
		const paged = await listAll(walk, token, { limit: 3 });
		const ids = paged.map((x) => x.id);
		assert.equal(new Set(ids).size, ids.length, 'no item twice');
		// Pages are read after the whole list, so they may only have more
		// (audit rows are written while we read).
		const seen = new Set(ids);
		for (const x of whole) assert.ok(seen.has(x.id), `item ${x.id} is on some page`);
	});

	test(`${route.path}: a malformed cursor is 400 on cursor`, async () => {
		const { token } = await roleUser(route.role);
		for (const cursor of ['!!not-a-cursor!!', '%%%', 'A'.repeat(300), '\u00e9\u00e9']) {
			const res = await api('GET', `${route.path}?cursor=${encodeURIComponent(cursor)}`, { token });
			expectError(res, 400, 'validation_failed', 'cursor');
		}
	});

	test(`${route.path}: a cursor of another list or a tampered one is not a crash`, async () => {
		const { token } = await roleUser(route.role);
		await route.make(2);
		const first = assertList(await api('GET', `${route.path}?limit=1`, { token }));
		const c = first.next_cursor;
		assert.ok(c);
		const tampered = c.slice(0, -1) + (c.endsWith('A') ? 'B' : 'A');
		const res = await api('GET', `${route.path}?limit=1&cursor=${encodeURIComponent(tampered)}`, { token });
		assert.ok([200, 400].includes(res.status), `tampered cursor: ${res.status} ${res.text}`);
		if (res.status === 400) expectError(res, 400, 'validation_failed', 'cursor');
		else assertList(res);
	});
}
