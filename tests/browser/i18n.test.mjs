// The language switch: Chinese by default, English on request, remembered
// across a reload, and back to Chinese; the page is re-rendered each time and
// <html lang> follows. The texts the server writes (score factors, match
// reasons, hints) follow the switch too.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createApplication, createProduct, creditRow, freshUser, hex, importCredit } from '../api/lib.mjs';
import { DESKTOP, closeBrowser, loginAs, newPage, open, settled, shot } from './lib.mjs';

after(closeBrowser);

test('switching to English re-renders the page, survives a reload, and switches back', async () => {
	const page = await newPage(DESKTOP);
	await open(page, '#/products');
	await page.getByRole('heading', { level: 1, name: '贷款产品' }).waitFor();
	assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
	await page.getByRole('button', { name: 'Switch to English' }).click();
	await page.getByRole('heading', { level: 1, name: 'Loan products' }).waitFor();
	assert.equal(await page.getAttribute('html', 'lang'), 'en');
	await shot(page, 'i18n');
	await page.reload();
	await settled(page);
	await page.getByRole('heading', { level: 1, name: 'Loan products' }).waitFor();
	await page.getByRole('navigation').getByRole('link', { name: 'Home', exact: true }).click();
	await settled(page);
	await page.getByRole('heading', { level: 1, name: /Fengxian Credit Easy Loan/ }).waitFor();
	await shot(page, 'i18n');
	await page.getByRole('button', { name: '切换到中文' }).click();
	await page.getByRole('heading', { level: 1, name: /奉贤区信易贷/ }).waitFor();
	assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
	await page.reload();
	await settled(page);
	await page.getByRole('heading', { level: 1, name: /奉贤区信易贷/ }).waitFor();
	assert.deepEqual(page.errors, []);
	await page.context().close();
});

test('the server\'s explanations follow the language: score factors, match reasons and hints', async () => {
	const sme = await freshUser('sme');
	const imported = await importCredit([creditRow(sme.enterprise.uscc, { category: 'tax_rating', value: { grade: 'A', year: 2025 } })]);
	assert.equal(imported.json.accepted, 1, imported.text);
	const bank = await freshUser('bank');
	// one product the demand fits, one whose minimum amount is above it (a hint)
	const fits = await createProduct({ name: `双语测试贷${hex(3)}`, status: 'active' }, { token: bank.token });
	const tooSmall = await createProduct({ name: `大额测试贷${hex(3)}`, status: 'active', amount_min_fen: 100000000,
		amount_max_fen: 300000000 }, { token: bank.token });
	const app = await createApplication(sme.token, { amount_fen: 50000000 });
	const page = await newPage(DESKTOP);
	await loginAs(page, sme);

	await open(page, '#/sme/credit');
	await page.getByText(/^计算说明：2025 年度纳税信用 A 级（记录 \d+）：\+200$/).waitFor();
	await open(page, `#/sme/applications/${app.id}`);
	const small = page.getByRole('article', { name: tooSmall.name });
	await small.getByText('怎样可以符合：将金额提高到 1,000,000.00 元').waitFor();
	await small.getByText('金额：申请 500,000.00 元，低于最低额度 1,000,000.00 元').first().waitFor();
	await page.getByRole('article', { name: fits.name }).getByText(/^匹配度 \d+$/).waitFor();
	await shot(page, 'i18n');

	await page.getByRole('button', { name: 'Switch to English' }).click();
	await small.getByText('What would make you eligible: raise the amount to 1,000,000.00 yuan').waitFor();
	await small.getByText('Amount: 500,000.00 yuan below the minimum 1,000,000.00 yuan').first().waitFor();
	await shot(page, 'i18n');
	await open(page, '#/sme/credit');
	await page.getByText(/^How it was computed: tax rating A for 2025 \(record \d+\): \+200$/).waitFor();
	assert.equal(await page.getByText(/纳税信用 A 级/).count(), 0, 'no Chinese explanation left in English');
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
