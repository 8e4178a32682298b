// The public pages in a real browser at 1440 px: the home page leads to the
// 东方美谷贷 landing page, which shows the programme's risk sharing, its
// products with rates and terms and the park's story, and whose "apply"
// leads a visitor to registration; the catalogue filters by institution.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createProduct, createProgram, freshUser, hex } from '../api/lib.mjs';
import { DESKTOP, closeBrowser, newPage, open, settled, shot } from './lib.mjs';

after(closeBrowser);

let product, program, bank;
before(async () => {
	bank = await freshUser('bank');
	program = await createProgram({ name: `东方美谷贷${hex(3)}`, park_id: 1, interest_subsidy_bps: 50 });
	product = await createProduct({ name: `美丽快贷${hex(3)}`, status: 'active', program_id: program.id, rate_min_bps: 310,
		rate_max_bps: 420, amount_min_fen: 10000000, amount_max_fen: 500000000, term_min_months: 6, term_max_months: 36 },
	{ token: bank.token });
});

test('the landing page of a park programme shows its products, shares and story, and "apply" leads to registration', async () => {
	const page = await newPage(DESKTOP);
	await open(page, '#/');
	await page.getByRole('heading', { level: 1, name: /奉贤区信易贷/ }).waitFor();
	await page.getByRole('heading', { name: '专项融资项目' }).waitFor();
	await shot(page, 'public');
	// The address a park's recommendation links to (the test database holds many programmes).
	await open(page, `#/programs/${program.id}`);
	await page.getByRole('heading', { level: 1, name: program.name }).waitFor();
	await page.getByRole('heading', { name: '关于东方美谷' }).waitFor();
	const card = page.getByRole('article').filter({ hasText: product.name });
	await card.getByText('3.10% – 4.20%').waitFor();
	await card.getByText('100,000.00 元 – 5,000,000.00 元').waitFor();
	await card.getByText('6 – 36 个月').waitFor();
	await page.getByText('0.50%').first().waitFor();	// the interest subsidy
	await shot(page, 'public');
	await page.getByRole('link', { name: '立即申请' }).click();
	await page.waitForURL(/#\/register$/);
	await settled(page);
	await page.getByRole('heading', { level: 1, name: '企业注册' }).waitFor();
	await page.getByLabel(/^统一社会信用代码/).waitFor();
	await shot(page, 'public');
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('the 东方美谷贷 menu entry opens a programme of the 东方美谷 park', async () => {
	const page = await newPage(DESKTOP);
	await open(page, '#/');
	await page.getByRole('navigation').getByRole('link', { name: '东方美谷贷', exact: true }).click();
	await settled(page);
	await page.getByRole('heading', { name: '关于东方美谷' }).waitFor();
	await page.getByText('园区：东方美谷').first().waitFor();
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('the product catalogue filters by institution and opens a product with its criteria', async () => {
	const page = await newPage(DESKTOP);
	await open(page, '#/products');
	await page.getByLabel('金融机构').selectOption({ label: product.institution_name });
	const rows = page.locator('table tbody tr');
	await page.waitForFunction((name) => {
		const trs = [...document.querySelectorAll('table tbody tr')];
		return trs.length === 1 && trs[0].textContent.includes(name);
	}, product.name);
	assert.equal(await rows.count(), 1);
	assert.match(page.url(), new RegExp(`institution_id=${product.institution_id}`));
	await shot(page, 'public');
	await page.getByRole('link', { name: product.name }).click();
	await settled(page);
	await page.getByRole('heading', { name: '申请条件' }).waitFor();
	await page.getByText('最低信用等级').waitFor();
	await page.getByRole('link', { name: '申请这个产品' }).waitFor();
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
