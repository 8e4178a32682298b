// One district date everywhere: the server's "today" is the day in
// Asia/Shanghai (UTC+8), whatever the UTC date. Each expected date here is
// computed in JS from Date.now() in the Asia/Shanghai time zone (Intl, not
// the server's arithmetic), before and after the request, so a test that
// straddles midnight there still decides. Between 16:00 and 24:00 UTC (00:00
// to 08:00 in Shanghai) the UTC date is one day behind, and a server on UTC
// dates fails these; common/district's unit test pins that case with a fixed
// clock (2026-12-07T18:00:00Z is 2026-12-08).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, approveWhitelist, expectStatus, login, registerSme, roleUser, sql } from './lib.mjs';

const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The day in Shanghai at instant ms, plus days, as YYYY-MM-DD. */
function shanghaiDay(ms, days = 0) {
	const today = SHANGHAI.format(new Date(ms));	// en-CA formats as YYYY-MM-DD
	return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);
}

/** Runs fn, and the expected dates at its start and end (equal unless midnight passed). */
async function around(fn, days) {
	const before = Date.now();
	const result = await fn();
	const after = Date.now();
	return { result, expected: [...new Set([shanghaiDay(before, days), shanghaiDay(after, days)])] };
}

test("an approval's valid_until is the Shanghai date plus the validity period", async () => {
	for (const validDays of [1, 30, undefined]) {
		const sme = await registerSme();
		const days = validDays ?? 365;	// docs/api.md: default 365
		const { result: entry, expected } = await around(() => approveWhitelist(sme.enterprise.id, { validDays }), days);
		assert.equal(entry.status, 'approved');
		assert.ok(expected.includes(entry.valid_until), `valid_until ${entry.valid_until}, expected ${expected} (${days} days)`);
	}
});

test('an entry valid until the Shanghai today is approved, until yesterday expired', async () => {
	const sme = await registerSme();
	const entry = await approveWhitelist(sme.enterprise.id, { validDays: 10 });
	const bureau = (await roleUser('bureau')).token;
	const read = async () => expectStatus(await api('GET', `/api/v1/enterprises/${sme.enterprise.id}`, { token: bureau }), 200).whitelist;
	const { result: today, expected } = await around(async () => {
		sql(`UPDATE whitelist_entries SET valid_until = '${shanghaiDay(Date.now())}' WHERE id = ${Number(entry.id)}`);
		return read();
	}, 0);
	if (expected.length === 1) assert.equal(today.status, 'approved', `valid through ${today.valid_until}`);
	sql(`UPDATE whitelist_entries SET valid_until = '${shanghaiDay(Date.now(), -1)}' WHERE id = ${Number(entry.id)}`);
	assert.equal((await read()).status, 'expired');
});

test("a consent's default expiry is the end of the Shanghai day 90 days ahead", async () => {
	const sme = await registerSme();
	const { token } = await login(sme.username, sme.password);
	const bank = await roleUser('bank');
	const { result: res, expected } = await around(() => api('POST', `/api/v1/enterprises/${sme.enterprise.id}/authorizations`,
		{ token, body: { institution_id: bank.user.org_id } }), 90);
	const a = expectStatus(res, 201);
	assert.ok(expected.map((d) => `${d}T15:59:59Z`).includes(a.expires_at), `expires_at ${a.expires_at}, expected ${expected}`);
});
