// Concurrency sanity: many requests at once are each answered correctly,
// none mixed up with another.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
	api, createUser, expectStatus, freshUser, loginRaw, registerBody, validUscc,
} from './lib.mjs';

test('20 parallel logins of different users all succeed, each as itself', async () => {
	// Made in parallel too: account creation must not trip over itself.
	const users = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(i % 2 ? 'bureau' : 'auditor')));
	const answers = await Promise.all(users.map((u) => loginRaw(u.username, u.password)));
	answers.forEach((res, i) => {
		const body = expectStatus(res, 200);
		assert.equal(body.user.id, users[i].user.id, `login ${i} answered as its own user`);
		assert.equal(body.user.username, users[i].username);
	});
	const tokens = new Set(answers.map((r) => r.json.access_token));
	const refresh = new Set(answers.map((r) => r.json.refresh_token));
	assert.equal(tokens.size, 20, 'access tokens are distinct');
	assert.equal(refresh.size, 20, 'refresh tokens are distinct');
	// And every token names its own user.
	const mes = await Promise.all(answers.map((r) => api('GET', '/api/v1/me', { token: r.json.access_token })));
	mes.forEach((res, i) => assert.equal(expectStatus(res, 200).id, users[i].user.id));
});

test('50 parallel GET /me all succeed', async () => {
	const a = await freshUser('sme');
	const b = await freshUser('park');
	const calls = Array.from({ length: 50 }, (_, i) => (i % 2 ? b : a));
	const answers = await Promise.all(calls.map((u) => api('GET', '/api/v1/me', { token: u.token })));
	answers.forEach((res, i) => {
		const body = expectStatus(res, 200);
		assert.equal(body.id, calls[i].id);
		assert.equal(body.role, calls[i] === a ? 'sme' : 'park');
	});
});

test('parallel refreshes of one token: exactly one wins, the family is then dead', async () => {
	const u = await freshUser('bureau');
	const answers = await Promise.all(Array.from({ length: 5 }, () =>
		api('POST', '/api/v1/auth/refresh', { body: { refresh_token: u.refresh_token } })));
	const wins = answers.filter((r) => r.status === 200);
	assert.equal(wins.length, 1, `statuses ${answers.map((r) => r.status)}`);
	for (const r of answers) if (r.status !== 200) assert.equal(r.status, 401);
	// The losers presented a used token: the whole family is revoked.
	const res = await api('POST', '/api/v1/auth/refresh', { body: { refresh_token: wins[0].json.refresh_token } });
	assert.equal(res.status, 401);
});

test('parallel registrations with one USCC: exactly one wins, the rest are 409', async () => {
	const uscc = validUscc();
	const answers = await Promise.all(Array.from({ length: 5 }, () =>
		api('POST', '/api/v1/auth/register', { body: registerBody({ enterprise: { uscc } }) })));
	const statuses = answers.map((r) => r.status);
	assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses ${statuses}`);
	assert.equal(statuses.filter((s) => s === 409).length, 4, `statuses ${statuses}`);
});

test('the server still answers health after the bursts', async () => {
	expectStatus(await api('GET', '/api/v1/health'), 200);
});
