// One district date, end to end: a whitelist approval made at 02:30 in
// Shanghai (18:30 UTC the day before) is valid from the Shanghai day, not the
// UTC one. The database's clock decides "today" (the SQL uses UTC_TIMESTAMP()),
// so this test starts a MariaDB of its own whose clock libfaketime sets to the
// latest 18:30 UTC, and a server of its own on it (real clock, two accounts as
// in make test). On the code before the fix the entry's valid_until came out
// one day short.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { REPO_ROOT, registerBody, strongPassword, uniqueName } from '../api/lib.mjs';
import { freePort, stopped } from './server.mjs';

const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
const START_TIMEOUT_MS = 60000;
const serverBin = process.env.XYD_TEST_SERVER_BIN || join(REPO_ROOT, 'build/asan/xinyidai');

/** The latest 18:30:00 UTC at or before now: 02:30 the next day in Shanghai. */
function lastShanghaiSmallHours() {
	const d = new Date();
	d.setUTCHours(18, 30, 0, 0);
	if (d.getTime() > Date.now()) d.setUTCDate(d.getUTCDate() - 1);
	return d;
}

const fake = lastShanghaiSmallHours();
const fakeText = fake.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
let varDir, server, base, adminPassword;

function db(args, env = {}) {
	return execFileSync('scripts/db.sh', args, {
		cwd: REPO_ROOT, encoding: 'utf8', timeout: 90000, stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, XYD_VAR: varDir, XYD_DB_FAST: '1', ...env },
	}).trim();
}

async function call(method, path, { token, body } = {}) {
	const headers = {};
	if (body !== undefined) headers['content-type'] = 'application/json';
	if (token) headers.authorization = `Bearer ${token}`;
	const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	return { status: res.status, json: text ? JSON.parse(text) : null, text };
}

async function expectOk(res, status) {
	const r = await res;
	assert.equal(r.status, status, r.text);
	return r.json;
}

async function login(username, password) {
	return (await expectOk(call('POST', '/api/v1/auth/login', { body: { username, password } }), 200)).access_token;
}

before(async () => {
	assert.ok(existsSync(FAKETIME_LIB), `libfaketime is missing (${FAKETIME_LIB}): scripts/deps.sh --test installs it`);
	varDir = mkdtempSync(join(tmpdir(), 'xyd-clock-'));
	const url = db(['start'], {
		LD_PRELOAD: FAKETIME_LIB, FAKETIME: `@${fakeText}`, DONT_FAKE_MONOTONIC: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1',
	});
	const migrateUrl = db(['migrate-url']);
	const now = db(['sql', '-N', '-e', 'SELECT UTC_TIMESTAMP()']);
	assert.ok(now.startsWith(fakeText.slice(0, 14)), `the database's clock reads ${now}, wanted about ${fakeText}`);

	const port = await freePort();
	adminPassword = strongPassword();
	base = `http://127.0.0.1:${port}`;
	server = spawn(serverBin, [], {
		cwd: REPO_ROOT,
		env: {
			...process.env, XYD_DB: url, XYD_DB_MIGRATE: migrateUrl, XYD_VAR: varDir, XYD_LISTEN: `127.0.0.1:${port}`,
			XYD_ADMIN_PASSWORD: adminPassword, XYD_DEMO: '0', XYD_THREADS: '1', XYD_LOG_LEVEL: 'warn',
		},
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	server.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
	const end = Date.now() + START_TIMEOUT_MS;
	for (;;) {
		assert.equal(server.exitCode, null, `the server exited at start: ${stderr}`);
		try {
			if ((await fetch(`${base}/api/v1/health`)).status === 200) break;
		} catch { /* not listening yet */ }
		assert.ok(Date.now() < end, `the server did not become healthy: ${stderr}`);
		await new Promise((r) => setTimeout(r, 200));
	}
});

after(async () => {
	if (server && server.exitCode === null) {
		server.kill('SIGTERM');
		await stopped(server);
	}
	if (varDir) {
		try { db(['stop']); } catch { /* already gone */ }
		rmSync(varDir, { recursive: true, force: true });
	}
});

test('a whitelist approval at 02:30 Shanghai time is valid from the Shanghai day', async () => {
	const admin = await login('admin', adminPassword);
	const bureauName = uniqueName('bureau'), bureauPassword = strongPassword();
	await expectOk(call('POST', '/api/v1/users', {
		token: admin, body: { username: bureauName, password: bureauPassword, role: 'bureau', org_id: null },
	}), 201);
	const bureau = await login(bureauName, bureauPassword);

	const reg = registerBody({ enterprise: { park_id: null } });
	const made = await expectOk(call('POST', '/api/v1/auth/register', { body: reg }), 201);
	const enterpriseId = made.enterprise.id;
	db(['sql', '-N', '-e', 'INSERT INTO credit_scores (enterprise_id, model_version, score, grade, dishonest_debtor,'
		+ ` broken_commitments, factors_json, computed_at) VALUES (${Number(enterpriseId)}, 'v1', 700, 'B', 0, 0, '[]',`
		+ ' UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE grade = VALUES(grade), score = VALUES(score)']);

	const entry = await expectOk(call('POST', '/api/v1/whitelist', {
		token: bureau, body: { enterprise_id: enterpriseId, reason: '凌晨审批测试' },
	}), 201);
	const approved = await expectOk(call('POST', `/api/v1/whitelist/${entry.id}/approve`, {
		token: bureau, body: { valid_days: 30 },
	}), 200);

	// 18:30 UTC is 02:30 the next day in Shanghai: the district day is the UTC day + 1.
	const districtDay = new Date(fake.getTime() + 8 * 3600 * 1000);
	const want = new Date(Date.UTC(districtDay.getUTCFullYear(), districtDay.getUTCMonth(), districtDay.getUTCDate() + 30))
		.toISOString().slice(0, 10);
	assert.equal(approved.valid_until, want, `approved at ${fakeText} UTC for 30 days`);
	assert.equal(approved.status, 'approved');
});
