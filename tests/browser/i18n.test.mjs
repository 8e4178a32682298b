// The language switch: Chinese by default, English on request, remembered
// across a reload, and back to Chinese; the page is re-rendered each time and
// <html lang> follows.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DESKTOP, closeBrowser, newPage, open, settled, shot } from './lib.mjs';

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
