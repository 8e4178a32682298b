// A hung database costs a request a bounded time (issue 11): with MariaDB
// frozen (SIGSTOP) for 10 s, /api/v1/health answers within 1 s from the
// watchdog's verdict and reports the database down, a request that needs
// the database answers 503 `unavailable` within 3 s (even the first one,
// sent the moment the database froze), and once it resumes (SIGCONT) the
// same requests succeed again within a few seconds, without a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { api, adminToken, expectError } from '../api/lib.mjs';

const FREEZE_MS = 10000;
const HEALTH_MS_MAX = 1000;
const REFUSAL_MS_MAX = 3000;
const RECOVERY_MS_MAX = 5000;

function mariadbPid() {
	const pid = Number(readFileSync(join(process.env.XYD_TEST_VAR, 'mariadb.pid'), 'utf8').trim());
	assert.ok(pid > 1, 'the test MariaDB pid');
	return pid;
}

/* SIGSTOP takes effect thread by thread: wait until every thread of the
 * process shows as stopped, so the first request surely meets the hang. */
async function waitStopped(pid) {
	const end = Date.now() + 2000;
	while (Date.now() < end) {
		const states = readdirSync(`/proc/${pid}/task`).map((tid) => {
			try {
				const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
				return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
			} catch { return 'T'; /* gone */ }
		});
		if (states.every((s) => s === 'T' || s === 't')) return;
		await new Promise((r) => setTimeout(r, 5));
	}
	assert.fail('MariaDB did not stop within 2 s of SIGSTOP');
}

async function timed(fn) {
	const started = Date.now();
	const res = await fn();
	return { res, ms: Date.now() - started };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('a frozen database: health within 1 s, 503 within 3 s, recovery without a restart', async (t) => {
	const token = await adminToken();
	const me = () => api('GET', '/api/v1/me', { token });
	const health = () => api('GET', '/api/v1/health');
	assert.equal((await me()).status, 200);
	const pid = mariadbPid();
	let frozenAt = 0, healthDownMs = null, resumedAt = 0;
	process.kill(pid, 'SIGSTOP');
	try {
		await waitStopped(pid);
		frozenAt = Date.now();
		// The first request meets the hang itself: the query timeout bounds it.
		const first = await timed(me);
		expectError(first.res, 503, 'unavailable');
		assert.ok(first.ms < REFUSAL_MS_MAX, `first request refused in ${first.ms} ms`);
		t.diagnostic(`time to 503 (first request after the freeze): ${first.ms} ms`);
		// Until the freeze ends: health is quick and soon says down; requests
		// that need the database are refused quickly.
		let refusals = 0;
		while (Date.now() - frozenAt < FREEZE_MS - 500) {
			const h = await timed(health);
			assert.ok(h.ms < HEALTH_MS_MAX, `health answered in ${h.ms} ms`);
			if (h.res.status === 503) {
				assert.equal(h.res.json.db, 'down');
				assert.equal(h.res.json.status, 'degraded');
				healthDownMs ??= Date.now() - frozenAt;
				const r = await timed(me);
				expectError(r.res, 503, 'unavailable');
				assert.ok(r.ms < REFUSAL_MS_MAX, `refused in ${r.ms} ms`);
				refusals++;
			}
			await sleep(200);
		}
		assert.ok(healthDownMs !== null && healthDownMs < 3000, `health reported the database down after ${healthDownMs} ms`);
		assert.ok(refusals > 5);
		t.diagnostic(`health reports the database down ${healthDownMs} ms after the freeze`);
		// Reference data is served from memory even now.
		assert.equal((await timed(() => api('GET', '/api/v1/towns'))).res.status, 200);
	} finally {
		process.kill(pid, 'SIGCONT');
		resumedAt = Date.now();
	}
	let recoveredMs = null;
	while (Date.now() - resumedAt < RECOVERY_MS_MAX) {
		if ((await me()).status === 200) {
			recoveredMs = Date.now() - resumedAt;
			break;
		}
		await sleep(100);
	}
	assert.ok(recoveredMs !== null, `requests succeed again within ${RECOVERY_MS_MAX} ms of SIGCONT`);
	t.diagnostic(`time to recover after SIGCONT: ${recoveredMs} ms`);
	assert.equal((await health()).status, 200);
	for (let i = 0; i < 10; i++)
		assert.equal((await me()).status, 200, `request ${i} after the freeze`);
});
