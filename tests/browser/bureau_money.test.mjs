// Risk sharing through the pages at 1440 px: the bank records a repayment and
// a default on a programme loan and files a claim (the split shown); the
// bureau deposits into the fund, approves the claim from its queue and finds
// the ledger balanced with the claim's journal entry; the fund page shows the
// balance the API reports. Screenshots: tests/browser/screenshots/bureau-money-<n>.png.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createUser, expectStatus, login } from '../api/lib.mjs';
import { disburse, fundedProgram, getOk, limitsOff } from '../api/ledger_helpers.mjs';
import { closeBrowser, DESKTOP, loginAs, newPage, open, shot } from './lib.mjs';

after(closeBrowser);

const refused = (e) => e.startsWith('Failed to load resource');

test('bank defaults a loan and claims; the bureau funds, approves and finds the ledger balanced', async () => {
	const ctx = await fundedProgram();	// fund 40 %, bank 40 %, guarantor 20 %
	await limitsOff(ctx);
	const loan = await disburse(ctx, 40000000);	// 400,000.00 yuan

	const bank = await newPage(DESKTOP);
	await loginAs(bank, ctx.bank);
	await open(bank, `#/bank/loans/${loan.id}`);
	await bank.getByLabel('金额（元）').fill('100,000');
	await bank.getByRole('button', { name: '登记还款' }).click();
	await bank.getByRole('status').getByText('已登记还款').waitFor();
	await bank.getByText('300,000.00 元').first().waitFor();
	await bank.getByLabel('逾期天数（≥90 天为违约）').fill('95');
	await bank.getByRole('button', { name: '登记逾期 / 违约' }).click();
	await bank.getByRole('status').getByText('已登记逾期情况').waitFor();
	await bank.getByText('已违约').first().waitFor();
	await bank.getByLabel('损失金额（元）').fill('300,001');
	await bank.getByText(/须在 .* 至 300,000\.00 元 之间/).waitFor();
	await bank.getByLabel('损失金额（元）').fill('300,000');
	await bank.getByRole('button', { name: '申请风险补偿' }).click();
	await bank.getByRole('status').getByText('已提交补偿申请').waitFor();
	await bank.getByText('资金池 120,000.00 元 · 担保 60,000.00 元 · 银行 120,000.00 元').waitFor();
	await shot(bank, 'bureau-money');
	assert.deepEqual(bank.errors, []);

	const bureau = await createUser('bureau');
	const b = await newPage(DESKTOP);
	await loginAs(b, bureau);
	await open(b, `#/bureau/funds/${ctx.fund.id}`);
	await b.getByLabel('金额（元）').fill('1,000,000');
	await b.getByLabel('备注').fill('区财政注资');
	await b.getByRole('button', { name: '存入资金' }).click();
	await b.getByRole('status').getByText('已存入 1,000,000.00 元').waitFor();

	await open(b, '#/bureau/claims?status=filed');
	const row = b.getByRole('row', { name: new RegExp(`^#\\d+ #${loan.id} `) });
	await row.getByRole('button', { name: '批准赔付' }).click();
	await b.getByRole('dialog').getByText('批准后资金池将赔付 120,000.00 元，确认？').waitFor();
	await b.getByRole('dialog').getByRole('button', { name: '确定' }).click();
	await b.getByRole('status').getByText('已赔付').waitFor();
	await row.waitFor({ state: 'detached' });

	await open(b, `#/bureau/funds/${ctx.fund.id}`);
	const token = (await login(bureau.username, bureau.password)).token;
	const fund = await getOk(`/funds/${ctx.fund.id}`, token);
	assert.equal(fund.balance_fen, 88000000);
	await b.getByText('880,000.00 元').first().waitFor();
	await b.getByRole('button', { name: '测算' }).click();
	await b.getByText('资金缺口').waitFor();
	await shot(b, 'bureau-money');

	await open(b, '#/bureau/ledger');
	await b.getByText('平衡', { exact: true }).waitFor();
	const check = await getOk('/ledger/check', token);
	assert.equal(check.balanced, true);
	await b.getByRole('cell', { name: '补偿赔付' }).first().waitFor();
	await shot(b, 'bureau-money');

	// A mistaken deposit is reversed from the ledger page, with a reason.
	const wrong = expectStatus(await api('POST', `/api/v1/funds/${ctx.fund.id}/deposits`,
		{ token, body: { amount_fen: 1234, memo: '误存' } }), 201);
	await open(b, '#/bureau/ledger');
	const wrongRow = b.getByRole('row').filter({ has: b.getByRole('cell', { name: String(wrong.id), exact: true }) });
	await wrongRow.getByRole('button', { name: '冲正此笔存入' }).click();
	const dlg = b.getByRole('dialog');
	await dlg.getByLabel('冲正原因').fill('金额录入错误');
	await dlg.getByRole('button', { name: '冲正此笔存入' }).click();
	await b.getByRole('status').getByText('已冲正').waitFor();
	const reversals = expectStatus(await api('GET', '/api/v1/ledger/journals?kind=reversal', { token }), 200).items;
	assert.ok(reversals.some((j) => j.reverses_journal_id === wrong.id && j.memo === '金额录入错误'));
	assert.equal((await getOk(`/funds/${ctx.fund.id}`, token)).balance_fen, 88000000);
	await b.getByText(`冲正分录 #${wrong.id}`).first().waitFor();
	// a reversed deposit no longer offers a second reversal
	await b.getByRole('row').filter({ has: b.getByRole('cell', { name: String(wrong.id), exact: true }) })
		.getByRole('button', { name: '冲正此笔存入' }).waitFor({ state: 'detached' });
	await shot(b, 'bureau-money');
	assert.deepEqual(b.errors.filter((e) => !refused(e)), []);
});
