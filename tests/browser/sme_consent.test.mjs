// Consent as the enterprise sees it: it authorises a bank in the browser, the
// bank reads the credit detail, the read shows in "who read my data" under that
// authorisation, and after the enterprise withdraws it the bank's next read is
// refused.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { api, creditRow, freshUser, importCredit } from '../api/lib.mjs';
import { DESKTOP, closeBrowser, loginAs, newPage, open, shot } from './lib.mjs';

after(closeBrowser);

test('an enterprise authorises a bank, sees its read in the access log, and withdraws the authorisation', async () => {
	const [sme, bank] = await Promise.all([freshUser('sme'), freshUser('bank')]);
	const imported = await importCredit([creditRow(sme.body.enterprise.uscc)]);
	assert.equal(imported.json.accepted, 1, imported.text);
	const eid = sme.enterprise.id;
	const instName = bank.user.org_name;
	const page = await newPage(DESKTOP);
	await loginAs(page, sme);
	await open(page, '#/sme/consent');
	await page.getByLabel(/^金融机构/).selectOption({ label: `${instName}（银行）` });
	await page.getByRole('button', { name: '授权', exact: true }).click();
	await page.getByRole('status').getByText(`已授权 ${instName} 查看信用详情`).waitFor();
	const row = page.getByRole('row').filter({ hasText: instName });
	await row.getByText('有效').waitFor();

	const read = await api('GET', `/api/v1/enterprises/${eid}/credit`, { token: bank.token });
	assert.equal(read.status, 200, read.text);
	await open(page, '#/sme/consent');
	const logRow = page.getByRole('row').filter({ hasText: '信用评分详情' });
	await logRow.getByText(instName).waitFor();
	await logRow.getByText(/^授权 #\d+$/).waitFor();
	await shot(page, 'sme-consent');

	await page.getByRole('row').filter({ hasText: instName }).filter({ hasText: '主动授权' })
		.getByRole('button', { name: `撤回: ${instName}` }).click();
	await page.getByRole('dialog').getByRole('button', { name: '撤回' }).click();
	await page.getByRole('status').getByText(`已撤回对 ${instName} 的授权`).waitFor();
	await page.getByRole('row').filter({ hasText: '主动授权' }).getByText('已撤回').waitFor();
	assert.equal((await api('GET', `/api/v1/enterprises/${eid}/credit`, { token: bank.token })).status, 404);
	await shot(page, 'sme-consent');
	assert.deepEqual(page.errors, []);
	await page.context().close();
});
