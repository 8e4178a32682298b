// The loan officer's main job in the browser, at 1440 px and on a 375 px phone
// (where no page may scroll sideways): an application waiting in the queue
// with its response-deadline clock → accept (confirmed) → approve within the
// product's ranges (an out-of-range rate is refused as the officer types) →
// disburse, landing on the new loan. The API then shows
// the application disbursed with the approved terms. Screenshots:
// tests/browser/screenshots/bank-queue-<n>.png and bank-queue-phone-<n>.png.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, applicationIn, expectStatus } from '../api/lib.mjs';
import { assertFitsWidth, closeBrowser, DESKTOP, loginAs, newPage, open, PHONE, settled, shot } from './lib.mjs';

after(closeBrowser);

async function acceptApproveDisburse(viewport, journey) {
	const { bank, app, product } = await applicationIn('pending_bank',
		{ productOverrides: { rate_min_bps: 350, rate_max_bps: 600, amount_min_fen: 10000000, amount_max_fen: 300000000 } });
	const page = await newPage(viewport);
	const snap = async () => { await assertFitsWidth(page); await shot(page, journey); };
	await loginAs(page, bank);
	assert.match(page.url(), /#\/bank\/queue/, 'a bank lands on its queue');

	const row = page.getByRole('row', { name: new RegExp(app.enterprise_name) });
	await row.waitFor();
	assert.match(await row.innerText(), /剩余 \d+ 天 \d+ 小时/, 'the row shows the response-deadline clock');
	assert.match(await row.innerText(), /500,000\.00 元/, 'the amount asked is in yuan with separators');
	await snap();
	await row.getByRole('link', { name: '查看处理' }).click();
	await settled(page);
	await page.getByRole('heading', { name: `融资申请 #${app.id}` }).waitFor();

	await page.getByRole('button', { name: '受理', exact: true }).click();
	await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
	await page.getByRole('status').getByText('已受理申请').waitFor();
	await page.getByRole('button', { name: '审批通过' }).waitFor();
	await snap();

	const rate = page.getByLabel('年利率（%）');
	await rate.fill('7');
	await page.getByText('须在 3.50% 至 6.00% 之间').waitFor();
	await rate.fill('4.5');
	assert.equal(await page.getByText('须在 3.50% 至 6.00% 之间').count(), 0, 'the error goes once the rate is in range');
	await page.getByLabel('金额（元）').fill('400,000');
	await page.getByLabel('期限（月）').fill('12');
	await page.getByRole('button', { name: '审批通过' }).click();
	await page.getByRole('status').getByText('已审批通过').waitFor();
	await page.getByRole('button', { name: '确认放款' }).waitFor();
	await snap();

	await page.getByRole('button', { name: '确认放款' }).click();
	await page.getByRole('status').getByText('已放款，贷款已生成').waitFor();
	await page.waitForFunction(() => /#\/bank\/loans\/\d+/.test(location.hash));
	await settled(page);
	const main = await page.locator('main').innerText();
	assert.match(main, /400,000\.00 元/);
	assert.match(main, /4\.50%/);
	assert.match(main, /正常/);
	await snap();

	const after = expectStatus(await api('GET', `/api/v1/applications/${app.id}`, { token: bank.token }), 200);
	assert.equal(after.status, 'disbursed');
	assert.equal(after.approved_amount_fen, 40000000);
	assert.equal(after.approved_rate_bps, 450);
	assert.equal(after.product_id, product.id);
	assert.deepEqual(page.errors, []);
	await page.context().close();
}

test('bank queue: accept, approve and disburse an application, each step confirmed', async () => {
	await acceptApproveDisburse(DESKTOP, 'bank-queue');
});

test('bank queue: the same job on a 375 px phone', async () => {
	await acceptApproveDisburse(PHONE, 'bank-queue-phone');
});

test('bank queue: a reject needs a reason and the application leaves the queue', async () => {
	const { bank, app } = await applicationIn('pending_bank');
	const page = await newPage(DESKTOP);
	await loginAs(page, bank);
	await open(page, `#/bank/applications/${app.id}`);
	await page.getByRole('button', { name: '拒绝' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByRole('button', { name: '拒绝' }).click();
	await dialog.getByText('此项必填').waitFor();
	await dialog.getByLabel('原因').fill('经营流水不足');
	await dialog.getByRole('button', { name: '拒绝' }).click();
	await page.getByRole('status').getByText('已拒绝申请').waitFor();
	await page.getByText('经营流水不足').waitFor();
	const after = expectStatus(await api('GET', `/api/v1/applications/${app.id}`, { token: bank.token }), 200);
	assert.equal(after.status, 'rejected');
	assert.deepEqual(page.errors, []);
});
