// A loan officer publishes a product through the form at 1440 px: the form
// refuses a minimum above the maximum and a rate outside 0.01–36 % as the
// officer types, the product is created as a draft, then activated and paused
// with a confirmation each time; the API shows what the form sent, in fen and
// basis points. Screenshots: tests/browser/screenshots/bank-products-<n>.png.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, approveWhitelist, createProduct, expectStatus, freshUser, hex, registerSme } from '../api/lib.mjs';
import { closeBrowser, DESKTOP, loginAs, newPage, open, settled, shot } from './lib.mjs';

after(closeBrowser);

test('bank products: create with live validation, then activate and pause', async () => {
	const bank = await freshUser('bank');
	const name = `科创快贷${hex(3)}`;
	const page = await newPage(DESKTOP);
	await loginAs(page, bank);
	await open(page, '#/bank/products/new');
	await page.getByLabel('产品名称').fill(name);
	await page.getByLabel('最低金额（元）').fill('500,000');
	await page.getByLabel('最高金额（元）').fill('100,000');
	await page.getByText('最低值不能高于最高值').first().waitFor();
	await page.getByLabel('最高金额（元）').fill('3,000,000');
	assert.equal(await page.getByText('最低值不能高于最高值').count(), 0, 'the pair error clears on both fields');
	await page.getByLabel('最低年利率（%）').fill('40');
	await page.getByText('须在 0.01% 至 36.00% 之间').waitFor();
	await page.getByLabel('最低年利率（%）').fill('4.35');
	await page.getByLabel('最高年利率（%）').fill('6');
	await page.getByLabel('最短期限（月）').fill('6');
	await page.getByLabel('最长期限（月）').fill('36');
	await page.getByLabel('行业（GB/T 4754 代码，逗号分隔，如 C26, F）').fill('C26, Z99');
	await page.getByText('未知的行业代码：Z99').waitFor();
	await page.getByLabel('行业（GB/T 4754 代码，逗号分隔，如 C26, F）').fill('C26, F');
	await page.getByLabel('南桥镇').check();
	await page.getByLabel('仅限白名单企业').check();
	await shot(page, 'bank-products');
	await page.getByRole('button', { name: '发布新产品' }).click();
	await page.getByRole('status').getByText('产品已创建').waitFor();
	await page.waitForFunction(() => /#\/bank\/products\/\d+$/.test(location.hash));
	await settled(page);
	const id = Number((await page.evaluate(() => location.hash)).split('/').pop());
	await page.getByText('草稿').first().waitFor();

	await page.getByRole('button', { name: '上架' }).click();
	await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
	await page.getByRole('status').getByText('产品状态已更新').first().waitFor();
	await page.getByRole('button', { name: '暂停' }).waitFor();
	await page.getByRole('button', { name: '暂停' }).click();
	await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
	await page.getByText('已暂停').first().waitFor();
	await shot(page, 'bank-products');

	const p = expectStatus(await api('GET', `/api/v1/products/${id}`, { token: bank.token }), 200);
	assert.equal(p.name, name);
	assert.equal(p.status, 'paused');
	assert.equal(p.amount_min_fen, 50000000);
	assert.equal(p.amount_max_fen, 300000000);
	assert.equal(p.rate_min_bps, 435);
	assert.equal(p.rate_max_bps, 600);
	assert.deepEqual(p.criteria.industries, ['C26', 'F']);
	assert.deepEqual(p.criteria.towns, ['nanqiao']);
	assert.equal(p.criteria.whitelist_only, true);
	assert.deepEqual(page.errors, []);
});

test('bank products: the server\'s field error lands under the field it names', async () => {
	const bank = await freshUser('bank');
	const page = await newPage(DESKTOP);
	await loginAs(page, bank);
	await open(page, '#/bank/products/new');
	// The form does not count bytes; the server refuses a description over 4,096 bytes and names the field.
	await page.getByLabel('产品名称').fill(`测试${hex(2)}`);
	for (const [label, v] of [['最低金额（元）', '1'], ['最高金额（元）', '2'], ['最低年利率（%）', '1'], ['最高年利率（%）', '2'],
		['最短期限（月）', '1'], ['最长期限（月）', '2']]) await page.getByLabel(label).fill(v);
	await page.getByLabel('产品说明').fill('说'.repeat(2000));
	await page.getByRole('button', { name: '发布新产品' }).click();
	const field = page.locator('.field[data-name="description"]');
	await field.getByText(/4096 bytes/).waitFor();
	assert.equal(await field.locator('textarea').getAttribute('aria-invalid'), 'true');
	assert.ok(await field.locator('textarea').evaluate((el) => el === document.activeElement), 'the field is focused');
	await shot(page, 'bank-products');
	// the refused request is logged by the browser; nothing else may be
	assert.deepEqual(page.errors.filter((e) => !e.startsWith('Failed to load resource')), []);
});

test('bank products: the ranked candidates page on past the first 100', async () => {
	const bank = await freshUser('bank');
	const criteria = { min_grade: null, min_score: null, industries: [], towns: [], park_ids: [], min_years: null,
		min_revenue_fen: null, required_tags: [], whitelist_only: true };
	const product = await createProduct({ status: 'active', criteria }, { token: bank.token });
	const eligible = async () => expectStatus(await api('GET', `/api/v1/products/${product.id}/candidates?limit=1`,
		{ token: bank.token }), 200).eligible_total;
	// Enough approved-whitelist enterprises for a second page (earlier suites may have made most).
	for (let need = 120 - await eligible(); need > 0; need -= 10)
		await Promise.all(Array.from({ length: 10 }, async () => approveWhitelist((await registerSme()).enterprise.id)));
	const total = await eligible();
	assert.ok(total > 100, `${total} candidates`);
	const top = expectStatus(await api('GET', `/api/v1/products/${product.id}/candidates?limit=200`, { token: bank.token }), 200).items;

	const page = await newPage(DESKTOP);
	await loginAs(page, bank);
	await open(page, `#/bank/products/${product.id}`);
	const rows = page.locator('.card table tbody tr');
	await page.getByText(`共 ${total} 家符合条件`).waitFor();
	assert.equal(await rows.count(), 100, 'the first page is the best 100');
	await page.getByRole('button', { name: '加载更多' }).click();
	await page.waitForFunction((n) => document.querySelectorAll('.card table tbody tr').length > n, 100);
	const shown = Math.min(total, 200);
	assert.equal(await rows.count(), shown);
	const names = await rows.locator('td:nth-child(2)').allTextContents();
	assert.deepEqual(names, top.slice(0, shown).map((c) => c.name), 'the second page continues the ranking');
	assert.equal(await rows.nth(100).locator('td:first-child').innerText(), '101');
	await shot(page, 'bank-products');
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
