// The statistics dashboards at 1440 px. The bureau's district dashboard draws
// the monthly trend and a breakdown as ECharts canvases, shows the same
// figures the API answers, switches dimension, and exports the breakdown as
// a CSV file identical to the API's export. A fresh bank with exactly one
// disbursed loan sees exactly that loan in its own dashboard. Screenshots:
// tests/browser/screenshots/bureau-stats-<n>.png.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { api, applicationIn, createUser, expectStatus, login } from '../api/lib.mjs';
import { closeBrowser, DESKTOP, loginAs, newPage, open, shot } from './lib.mjs';

after(closeBrowser);

const kpi = (page, key) => page.locator(`[data-kpi="${key}"] .v`).innerText();
const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const yuanZh = (fen) => `${grouped(Math.trunc(fen / 100))}.${String(fen % 100).padStart(2, '0')} 元`;

test('bureau dashboard: charts drawn, figures equal the API\'s, CSV export equals the API\'s', async () => {
	await applicationIn('disbursed');	// at least one loan in the district
	const bureau = await createUser('bureau');
	const token = (await login(bureau.username, bureau.password)).token;
	const page = await newPage(DESKTOP);
	await loginAs(page, bureau);
	await open(page, '#/bureau/stats');
	await page.getByRole('heading', { name: '银行响应排行' }).waitFor();
	assert.ok(await page.locator('.chart canvas').count() >= 2, 'the trend and the breakdown are drawn');
	const o = expectStatus(await api('GET', '/api/v1/stats/overview', { token }), 200);
	assert.equal(await kpi(page, 'applications'), grouped(o.applications));
	assert.equal(await kpi(page, 'disbursed_count'), grouped(o.disbursed_count));
	assert.equal(await kpi(page, 'disbursed_fen'), yuanZh(o.disbursed_fen));
	assert.equal(await kpi(page, 'overdue_responses'), grouped(o.overdue_responses));
	await shot(page, 'bureau-stats');

	const byInst = expectStatus(await api('GET', '/api/v1/stats/breakdown?by=institution', { token }), 200);
	const top = byInst.rows.filter((r) => r.label).sort((a, b) => b.disbursed_fen - a.disbursed_fen)[0];
	const row = page.getByRole('row', { name: new RegExp(top.label) }).first();
	assert.match(await row.innerText(), new RegExp(yuanZh(top.disbursed_fen).replace('.', '\\.')));

	await page.getByLabel('统计维度').selectOption('town');
	await page.getByRole('button', { name: '导出 CSV（按街镇）' }).waitFor();
	const [download] = await Promise.all([page.waitForEvent('download'),
		page.getByRole('button', { name: '导出 CSV（按街镇）' }).click()]);
	const saved = readFileSync(await download.path(), 'utf8');
	const res = await api('GET', '/api/v1/stats/export.csv?by=town', { token });
	assert.equal(res.status, 200);
	// fetch's text() drops the byte-order mark the server sends for Excel; the saved file keeps it.
	assert.equal(saved.replace(/^\uFEFF/, ''), res.text, 'the downloaded file is the API\'s export');
	assert.match(res.text, /^[a-z_]+(,[a-z_]+)+\r?\n/, 'a header row first');
	await page.getByRole('status').getByText(/已下载/).waitFor();
	await shot(page, 'bureau-stats');
	assert.deepEqual(page.errors, []);
});

test('bank dashboard: a bank with one disbursed loan sees exactly that loan', async () => {
	const { bank } = await applicationIn('disbursed');	// approved 400,000.00 yuan at 4.50 %
	const page = await newPage(DESKTOP);
	await loginAs(page, bank);
	await open(page, '#/bank/stats');
	await page.locator('.chart canvas').first().waitFor();
	assert.equal(await kpi(page, 'applications'), '1');
	assert.equal(await kpi(page, 'disbursed_count'), '1');
	assert.equal(await kpi(page, 'disbursed_fen'), '400,000.00 元');
	assert.equal(await kpi(page, 'avg_rate_bps'), '4.50%');
	await shot(page, 'bureau-stats');
	assert.deepEqual(page.errors, []);
});
