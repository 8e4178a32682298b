// The enterprise's main journey in a real browser, at 1440 px and at 375 px:
// register (with the live USCC and ID-number checks) → profile change →
// credit score with its factors → financing demand → ranked matches with
// reasons → submit to a product → the application waits for the bank (on the
// phone the enterprise then withdraws it).
// The bureau's credit import and the bank's product are made through the API.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { badCheckIdNo, badCheckUscc, createProduct, creditRow, freshUser, hex, importCredit, productBody, randomMobile,
	registerSme, strongPassword, validIdNo, validUscc } from '../api/lib.mjs';
import { DESKTOP, PHONE, assertLabelled, closeBrowser, newPage, settled, shot } from './lib.mjs';

after(closeBrowser);

/** Follows a menu link by its name, opening the phone menu first when it is folded. */
async function goNav(page, name) {
	const toggle = page.getByRole('button', { name: /^(菜单|Menu)$/ });
	if (await toggle.isVisible()) await toggle.click();
	await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
	await settled(page);
}

async function fillRegistration(page, { uscc, idNo, name, username, password }) {
	await page.goto('/#/register');
	await settled(page);
	await page.getByLabel(/^用户名/).fill(username);
	await page.getByLabel(/^密码/).fill(password);
	await page.getByLabel(/^再次输入密码/).fill(password);
	const usccBox = page.getByLabel(/^统一社会信用代码/);
	await usccBox.fill(badCheckUscc(uscc));
	await page.getByText('校验位不符，请核对统一社会信用代码').waitFor();
	assert.equal(await usccBox.getAttribute('aria-invalid'), 'true');
	await usccBox.fill(uscc);
	assert.equal(await usccBox.getAttribute('aria-invalid'), 'false');
	const idBox = page.getByLabel(/^法定代表人身份证号/);
	await idBox.fill(badCheckIdNo(idNo));
	await page.getByText('校验码不符，请核对身份证号').waitFor();
	await idBox.fill(idNo);
	await page.getByLabel(/^企业名称/).fill(name);
	await page.getByLabel(/^法定代表人姓名/).fill('李美');
	await page.getByLabel(/^联系电话/).fill(randomMobile());
	await page.getByLabel(/^行业门类/).selectOption('C');
	await page.getByLabel(/^行业大类代码/).fill('26');
	await page.getByLabel(/^所在街镇/).selectOption({ label: '南桥镇' });
	await page.getByLabel(/^所在园区/).selectOption({ label: '东方美谷' });
	await page.getByLabel(/^注册资本/).fill('5,000,000');
	await page.getByLabel(/^成立日期/).fill('2018-05-01');
	await page.getByLabel(/^从业人数/).fill('50');
	await page.getByLabel(/^上年营业收入/).fill('30000000.00');
}

async function register(page, journey) {
	const uscc = validUscc(), idNo = validIdNo(), name = `美谷测试${hex(3)}有限公司`;
	await fillRegistration(page, { uscc, idNo, name, username: `web_${hex(5)}`, password: strongPassword() });
	assert.ok(await assertLabelled(page) >= 16);
	await shot(page, journey);
	await page.getByRole('button', { name: '注册并登录' }).click();
	await page.waitForURL(/#\/sme$/);
	await settled(page);
	await page.getByRole('heading', { level: 1, name }).waitFor();
	// the park it named takes it in only when the park confirms
	await page.getByText(/^迁入东方美谷：待园区确认（.+ 申请）$/).waitFor();
	return { uscc, name };
}

async function journey(viewport, tag, { withdraw = false } = {}) {
	const started = Date.now();
	const page = await newPage(viewport);
	const journeyName = `sme-${tag}`;
	const { uscc, name } = await register(page, journeyName);
	await shot(page, journeyName);

	// The bureau imports the enterprise's records; a bank offers a product it qualifies for.
	const obs = new Date(Date.now() - 20 * 86400000).toISOString().slice(0, 10);
	const imported = await importCredit([
		creditRow(uscc, { category: 'tax_rating', value: { grade: 'A', year: 2025 }, observed_on: obs }),
		creditRow(uscc, { category: 'social_security', value: { months_paid: 12 }, observed_on: obs }),
		creditRow(uscc, { category: 'admin_penalty', value: { severity: 'general', amount_fen: 500000, reason: '标签不规范' },
			observed_on: obs, minor_party: true }),
	]);
	assert.equal(imported.status, 200, imported.text);
	assert.equal(imported.json.accepted, 3, imported.text);
	const bank = await freshUser('bank');
	const productName = `浏览器测试贷${hex(3)}`;
	await createProduct({ ...productBody(), name: productName, status: 'active', rate_min_bps: 300, rate_max_bps: 450,
		amount_min_fen: 10000000, amount_max_fen: 300000000 }, { token: bank.token });

	await goNav(page, '企业信息');
	const employees = page.getByLabel(/^从业人数/);
	await employees.fill('6x');
	await page.getByText('请输入非负整数').waitFor();
	await employees.fill('60');
	await page.getByRole('button', { name: '保存修改' }).click();
	await page.getByRole('status').getByText('企业信息已保存').waitFor();
	await page.locator('dd', { hasText: /^60$/ }).waitFor();
	await shot(page, journeyName);

	await goNav(page, '信用评分');
	await page.getByRole('heading', { name: '纳税信用等级' }).waitFor();
	await page.getByText('+200 分').first().waitFor();
	await page.getByText('当事人为未成年人，依规不计').waitFor();	// the penalty that did not count, and why
	// the server's explanation of each factor, in Chinese
	await page.getByText(/^计算说明：2025 年度纳税信用 A 级（记录 \d+）：\+200$/).waitFor();
	await page.getByText(/^计算说明：.*记录 \d+：当事人为未成年人，不计/).waitFor();
	await page.locator('.chart canvas').first().waitFor();
	await shot(page, journeyName);

	await goNav(page, '融资需求');
	const amount = page.getByLabel(/^融资金额/);
	await amount.fill('12.345');
	await page.getByText('请输入大于 0 的金额，最多两位小数').waitFor();
	await amount.fill('1,000,000');
	await page.getByLabel(/^期限/).fill('12');
	await page.getByLabel(/^资金用途/).fill('采购原料，扩大生产');
	await assertLabelled(page);
	await page.getByRole('button', { name: '提交需求并查看匹配产品' }).click();
	await page.getByRole('heading', { level: 1, name: /^融资申请 #\d+$/ }).waitFor();
	const card = page.getByRole('article', { name: productName });
	await card.waitFor();
	await card.getByText(/^匹配度 \d+$/).waitFor();
	await card.getByText(/金额：申请 1,000,000\.00 元，在 .* 元之间/).waitFor({ state: 'attached' });
	await shot(page, journeyName);

	await card.getByRole('button', { name: /^提交给/ }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByText(productName, { exact: false }).waitFor();
	await dialog.getByRole('button', { name: '提交给' }).click();
	await page.getByRole('status').getByText(/^已提交给/).waitFor();
	await page.getByText('银行应在').waitFor();
	await page.getByRole('listitem').filter({ hasText: '待银行受理' }).first().waitFor();
	await shot(page, journeyName);
	if (withdraw) {
		await page.getByRole('button', { name: '撤回申请' }).click();
		await page.getByRole('dialog').getByRole('button', { name: '撤回申请' }).click();
		await page.getByRole('status').getByText('申请已撤回').waitFor();
		await page.getByRole('listitem').filter({ hasText: '已撤回' }).first().waitFor();
		assert.equal(await page.getByRole('button', { name: '撤回申请' }).count(), 0);
		await shot(page, journeyName);
	}
	assert.deepEqual(page.errors, [], `errors in the page: ${page.errors.join('\n')}`);
	assert.ok(name);
	await page.context().close();
	return Date.now() - started;
}

test('an enterprise registers, sees its score, files a demand and submits it to a matching product (1440 px)', async () => {
	const ms = await journey(DESKTOP, 'desktop');
	console.log(`# sme journey at 1440 px: ${ms} ms`);
});

test('the same journey works on a 375 px phone, and the enterprise withdraws the application', async () => {
	const ms = await journey(PHONE, 'phone', { withdraw: true });
	console.log(`# sme journey at 375 px: ${ms} ms`);
});

test('registration shows the server\'s refusal under the field it names (a USCC already registered)', async () => {
	const taken = await registerSme();
	const page = await newPage(DESKTOP);
	await fillRegistration(page, { uscc: taken.body.enterprise.uscc, idNo: validIdNo(), name: `重复企业${hex(3)}有限公司`,
		username: `web_${hex(5)}`, password: strongPassword() });
	await page.getByRole('button', { name: '注册并登录' }).click();
	const usccBox = page.getByLabel(/^统一社会信用代码/);
	await page.waitForFunction(() => document.querySelector('[data-name="uscc"]').classList.contains('invalid'));
	assert.equal(await usccBox.getAttribute('aria-invalid'), 'true');
	await page.locator('[data-name="uscc"]').getByText('该统一社会信用代码已经注册过').waitFor();
	assert.match(page.url(), /#\/register$/);
	await shot(page, 'sme-conflict');
	await page.context().close();
});
