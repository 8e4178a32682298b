// An expired session under a half-filled form: the login dialog opens over
// the page, what the user typed stays, and the request goes through after
// logging in again. The session is ended from outside (POST /auth/logout with
// the page's own token), as an expiry or a lock elsewhere would end it.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { api, freshUser } from '../api/lib.mjs';
import { DESKTOP, closeBrowser, loginAs, newPage, open, shot } from './lib.mjs';

after(closeBrowser);

test('a dead session opens the login dialog over the form, keeps the input and retries after login', async () => {
	const sme = await freshUser('sme');
	const page = await newPage(DESKTOP);
	let token = null;
	page.on('request', (req) => {
		const auth = req.headers().authorization;
		if (auth) token = auth.slice('Bearer '.length);
	});
	await loginAs(page, sme);
	await open(page, '#/sme/demand');
	await page.getByLabel(/^融资金额/).fill('800,000');
	await page.getByLabel(/^期限/).fill('24');
	await page.getByLabel(/^资金用途/).fill('购置检测设备');
	assert.ok(token, 'the page sent its access token');
	assert.equal((await api('POST', '/api/v1/auth/logout', { token })).status, 204);

	await page.getByRole('button', { name: '提交需求并查看匹配产品' }).click();
	const dialog = page.getByRole('dialog', { name: '登录' });
	await dialog.waitFor();
	await dialog.getByText('登录已过期').waitFor();
	assert.equal(await page.getByLabel(/^资金用途/).inputValue(), '购置检测设备');
	await shot(page, 'sme-session');
	await dialog.getByLabel(/^用户名/).fill(sme.username);
	await dialog.getByLabel(/^密码/).fill(sme.password);
	await dialog.getByRole('button', { name: '登录', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: /^融资申请 #\d+$/ }).waitFor();
	const id = Number((await page.getByRole('heading', { level: 1 }).textContent()).replace(/\D/g, ''));
	const apps = (await api('GET', '/api/v1/applications', { token: sme.token })).json.items;
	assert.deepEqual(apps.map((a) => [a.id, a.amount_fen, a.term_months]), [[id, 80000000, 24]], 'one application, made once');
	assert.deepEqual(page.errors.filter((e) => !/401/.test(e)), []);
	await page.context().close();
});
