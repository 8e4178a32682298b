// The whitelist's way through three workspaces at 1440 px: a park operator
// finds one of its enterprises and nominates it (the reason asked in a
// dialog), the bureau approves it from the review queue, and the bank sees it
// among the ranked candidates of a product whose criteria it meets, with the
// reasons. Then the park's programme page draws the recommendation funnel
// after a recommendation is sent. Screenshots:
// tests/browser/screenshots/park-whitelist-<n>.png.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createProduct, createProgram, createUser, expectStatus, freshUser, login, registerSme, roleUser,
	setCreditScore } from '../api/lib.mjs';
import { closeBrowser, DESKTOP, loginAs, newPage, open, shot } from './lib.mjs';

after(closeBrowser);

const PARK_ID = 1;

test('park nominates, the bureau approves, the bank sees the enterprise among its candidates', async () => {
	// An industry no other test uses, so the product's candidates are few and ours is among them.
	const sme = await registerSme({ enterprise: { park_id: PARK_ID, industry: 'Q84' } });
	const ent = sme.enterprise;
	setCreditScore(ent.id, { grade: 'A' });
	const [park, bureau, bank] = await Promise.all([createUser('park', PARK_ID), createUser('bureau'), freshUser('bank')]);
	const product = await createProduct({ status: 'active', criteria: { min_grade: 'C', industries: ['Q84'], whitelist_only: true } },
		{ token: bank.token });

	const p = await newPage(DESKTOP);
	await loginAs(p, park);
	await open(p, `#/park/enterprises?q=${encodeURIComponent(ent.name)}`);
	const row = p.getByRole('row', { name: new RegExp(ent.name) });
	await row.getByText('未申请').waitFor();
	await row.getByRole('button', { name: '提名进入白名单' }).click();
	const dlg = p.getByRole('dialog');
	await dlg.getByLabel('提名理由').fill('园区重点培育企业，有扩产融资需求');
	await shot(p, 'park-whitelist');
	await dlg.getByRole('button', { name: '提名进入白名单' }).click();
	await p.getByRole('status').getByText('已提名，等待区财政局审核').waitFor();
	await row.getByText('待审核').waitFor();
	await shot(p, 'park-whitelist');
	assert.deepEqual(p.errors, []);

	const b = await newPage(DESKTOP);
	await loginAs(b, bureau);
	await open(b, '#/bureau/whitelist?status=nominated');
	const wrow = b.getByRole('row', { name: new RegExp(ent.name) });
	await wrow.getByText('园区重点培育企业').waitFor();
	await wrow.getByRole('button', { name: '通过' }).click();
	await b.getByRole('dialog').getByLabel('有效天数').fill('180');
	await b.getByRole('dialog').getByRole('button', { name: '通过' }).click();
	await b.getByRole('status').getByText('已通过，企业进入白名单').waitFor();
	await wrow.waitFor({ state: 'detached' });
	await open(b, '#/bureau/whitelist?status=approved');
	await b.getByRole('row', { name: new RegExp(ent.name) }).waitFor();
	await shot(b, 'park-whitelist');
	assert.deepEqual(b.errors, []);

	const k = await newPage(DESKTOP);
	await loginAs(k, bank);
	await open(k, `#/bank/products/${product.id}`);
	const crow = k.getByRole('row', { name: new RegExp(ent.name) });
	await crow.waitFor();
	assert.match(await crow.innerText(), /\bA\b/, 'the candidate shows its grade');
	await crow.getByText(/查看 \d+ 项理由/).click();
	await crow.getByText(/白名单：/).waitFor();
	await shot(k, 'park-whitelist');
	assert.deepEqual(k.errors, []);

	const wl = expectStatus(await api('GET', `/api/v1/whitelist?enterprise_id=${ent.id}`,
		{ token: (await roleUser('bureau')).token }), 200);
	assert.equal(wl.items[0].status, 'approved');
});

test('park programme page: a recommendation is sent and the funnel is drawn', async () => {
	const programs = expectStatus(await api('GET', '/api/v1/programs'), 200).items.filter((g) => g.park_id === PARK_ID);
	if (!programs.length) programs.push(await createProgram({ park_id: PARK_ID }));
	const sme = await registerSme({ enterprise: { park_id: PARK_ID } });
	const park = await createUser('park', PARK_ID);
	const page = await newPage(DESKTOP);
	await loginAs(page, park);
	await open(page, `#/park/program?id=${programs[0].id}`);
	await page.getByRole('heading', { name: programs[0].name }).waitFor();
	await page.getByRole('searchbox', { name: '企业名称或信用代码' }).fill(sme.enterprise.name);
	await page.getByLabel(new RegExp(sme.enterprise.name)).check();
	await page.getByText('已选 1 家').waitFor();
	await page.getByRole('button', { name: '发送推荐' }).click();
	await page.getByRole('status').getByText(/已向 1 家企业发送推荐/).waitFor();
	await page.locator('.chart canvas').first().waitFor();
	await shot(page, 'park-whitelist');
	const funnel = expectStatus(await api('GET', `/api/v1/programs/${programs[0].id}/funnel`,
		{ token: (await login(park.username, park.password)).token }), 200);
	assert.ok(funnel.recommended >= 1);
	assert.match(await page.locator('main').innerText(), new RegExp(`已推荐\\s+${funnel.recommended}`));
	assert.deepEqual(page.errors, []);
});
