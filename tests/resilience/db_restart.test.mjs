// The server outlives a database restart: while MariaDB is down every request
// answers 503 `unavailable` quickly and /api/v1/health says so; once it is
// back, the server reconnects and re-prepares by itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { api, adminToken, expectError } from '../api/lib.mjs';

const dbScript = new URL('../../scripts/db.sh', import.meta.url).pathname;
const db = (verb) =>
	execFileSync(dbScript, [verb], { env: { ...process.env, XYD_VAR: process.env.XYD_TEST_VAR, XYD_DB_FAST: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });

async function waitFor(pred, ms) {
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (await pred()) return true;
		await new Promise((r) => setTimeout(r, 100));
	}
	return false;
}

test('while the database is down requests answer 503 fast, and all recovers after its restart', async () => {
	const token = await adminToken();
	assert.equal((await api('GET', '/api/v1/me', { token })).status, 200);
	db('stop');
	try {
		assert.ok(await waitFor(async () => (await api('GET', '/api/v1/health')).status === 503, 3000),
			'health turns 503 once the database is gone');
		const health = await api('GET', '/api/v1/health');
		assert.equal(health.json.status, 'degraded');
		assert.equal(health.json.db, 'down');
		for (let i = 0; i < 6; i++) {
			const started = Date.now();
			const res = await api('GET', '/api/v1/me', { token });
			expectError(res, 503, 'unavailable');
			assert.ok(Date.now() - started < 1000, 'a refusal while down is fast');
		}
		// Reference data is served from memory even now.
		assert.equal((await api('GET', '/api/v1/towns')).status, 200);
	} finally {
		db('start');
	}
	// Every worker gets its connection back and re-prepares its statements:
	// several requests in a row all succeed.
	assert.ok(await waitFor(async () => (await api('GET', '/api/v1/health')).status === 200, 5000));
	for (let i = 0; i < 10; i++) {
		const res = await api('GET', '/api/v1/me', { token });
		assert.equal(res.status, 200, `request ${i} after the restart`);
	}
});
