// A change of park through two workspaces at 1440 px: an enterprise of 杭州湾
// asks on its profile page to move into 东方美谷 and sees the request pending
// (still in its old park); 东方美谷's operator finds it under 入园申请 and
// confirms it; the profile then shows the new park. In English too.
// Screenshots: tests/browser/screenshots/park-changes-<n>.png.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, createUser, expectStatus, login, registerSme } from '../api/lib.mjs';
import { closeBrowser, DESKTOP, loginAs, newPage, open, shot } from './lib.mjs';

after(closeBrowser);

/**
 * The row of the pending request of the enterprise called name, loading
 * more pages while it is not shown: enterprises registered into 东方美谷 by
 * other tests may have requests of their own still waiting, listed first.
 */
async function requestRow(p, name, more) {
	const row = p.getByRole('row', { name: new RegExp(name) });
	await p.locator('.paged tbody tr').first().waitFor();
	while (!(await row.count())) {
		const n = await p.locator('.paged tbody tr').count();
		await p.getByRole('button', { name: more }).click();
		await p.waitForFunction((k) => document.querySelectorAll('.paged tbody tr').length > k, n);
	}
	return row;
}

test('an enterprise asks to join 东方美谷 on its profile; the park confirms it in its workspace', async () => {
	const sme = await registerSme({ enterprise: { park_id: 2 } });
	const name = sme.enterprise.name;
	const park = await createUser('park', 1);

	const s = await newPage(DESKTOP);
	await loginAs(s, sme);
	await open(s, '#/sme/profile');
	await s.getByLabel(/^所在园区/).selectOption({ label: '东方美谷' });
	await s.getByRole('button', { name: '保存修改' }).click();
	await s.getByRole('status').getByText(/迁入申请已提交，待东方美谷确认/).waitFor();
	await s.locator('dd', { hasText: /杭州湾开发区/ }).getByText(/迁入东方美谷：待园区确认/).waitFor();
	assert.equal(await s.getByLabel(/^所在园区/).inputValue(), '2', 'the form shows the park it is still in');
	await shot(s, 'park-changes');
	assert.deepEqual(s.errors, []);

	const p = await newPage(DESKTOP);
	await loginAs(p, park);
	await open(p, '#/park/changes');
	const row = await requestRow(p, name, '加载更多');
	await row.getByText('杭州湾开发区').waitFor();
	await shot(p, 'park-changes');
	await row.getByRole('button', { name: '确认入园' }).click();
	await p.getByRole('dialog').getByRole('button', { name: /确定|确认/ }).click();
	await p.getByRole('status').getByText('已确认，企业已迁入本园区').waitFor();
	await row.waitFor({ state: 'detached' });
	assert.deepEqual(p.errors, []);

	const l = await login(sme.username, sme.password);
	const e = expectStatus(await api('GET', `/api/v1/enterprises/${sme.enterprise.id}`, { token: l.token }), 200);
	assert.equal(e.park_id, 1);
	assert.equal(e.park_change, null);
	await open(s, '#/sme/profile');
	await s.locator('dd', { hasText: /^东方美谷$/ }).waitFor();
	await shot(s, 'park-changes');
});

test('the park\'s request list reads in English and a rejection asks for a reason', async () => {
	const sme = await registerSme({ enterprise: { park_id: null } });
	const l = await login(sme.username, sme.password);
	expectStatus(await api('PATCH', `/api/v1/enterprises/${sme.enterprise.id}`, { token: l.token, body: { park_id: 1 } }), 200);
	const park = await createUser('park', 1);
	const p = await newPage(DESKTOP);
	await loginAs(p, park);
	await open(p, '#/park/changes');
	await p.getByRole('heading', { level: 1, name: '入园申请' }).waitFor();
	await p.getByRole('button', { name: 'Switch to English' }).click();
	await p.getByRole('heading', { level: 1, name: 'Requests to join' }).waitFor();
	const row = await requestRow(p, sme.enterprise.name, 'Load more');
	await row.getByRole('button', { name: 'Reject' }).click();
	const dlg = p.getByRole('dialog');
	await dlg.getByLabel(/^Reason/).fill('Not registered in the park');
	await dlg.getByRole('button', { name: 'Reject' }).click();
	await p.getByRole('status').getByText(/Rejected; the enterprise stays/).waitFor();
	await row.waitFor({ state: 'detached' });
	assert.deepEqual(p.errors, []);
	const e = expectStatus(await api('GET', `/api/v1/enterprises/${sme.enterprise.id}`, { token: l.token }), 200);
	assert.equal(e.park_id, null);
});
