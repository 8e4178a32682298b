// The finance bureau's workspace, part two: the risk compensation funds
// (create, deposit, balance / exposure / leverage, the district's limits, a
// stress test), the programmes' monthly interest subsidies, the claims banks
// file on defaulted loans (approve or reject), and the double-entry ledger:
// accounts, journal entries with their postings, and the balance check.

import { api, apiAll, lister } from '../api.js';
import { t } from '../i18n.js';
import { datetime, num, parseYuanToFen, pct, today, yuan } from '../format.js';
import { badge, h, navigate, pagedTable, toast } from '../ui.js';
import { actionButton, askDialog, bpsToPctInput, card, facts, pageTop, parsePctToBps, pctIn,
	registerPairs, simpleForm, stateBadge, statusTabs, word, yuanIn } from './bank_common.js';

registerPairs('money', {
	'f.title': ['风险补偿资金池', 'Risk compensation funds'],
	'f.lead': ['资金池余额、累计存入、已赔付、追偿回收与风险敞口实时计算；敞口 = 正常及逾期贷款未还本金 × 资金池分担比例，杠杆 = 敞口 ÷ 余额。',
		'Balance, deposits, claims paid, recoveries and exposure are live; exposure = outstanding principal × the fund\'s share over performing and overdue loans, leverage = exposure ÷ balance.'],
	name: ['名称', 'Name'], balance_fen: ['余额', 'Balance'], deposited_fen: ['累计存入', 'Deposited'],
	claims_paid_fen: ['已赔付', 'Claims paid'], recovered_fen: ['追偿回收', 'Recovered'], exposure_fen: ['风险敞口', 'Exposure'],
	leverage: ['杠杆倍数', 'Leverage'], annual_claims_cap_bps: ['年度赔付上限（占放款）', 'Annual claims cap (of disbursed)'],
	overdue_suspension_bps: ['暂停新增放款的逾期率阈值', 'Overdue rate that suspends a bank'],
	'f.new': ['新建资金池', 'New fund'], 'f.created': ['资金池已创建', 'Fund created'],
	deposit: ['存入资金', 'Deposit'], amount: ['金额（元）', 'Amount (yuan)'], memo: ['备注', 'Memo'],
	deposited: ['已存入 {v}', '{v} deposited'], open: ['查看', 'Open'],
	stress: ['压力测试', 'Stress test'], default_rate: ['假设违约率（%）', 'Assumed default rate (%)'], run: ['测算', 'Run'],
	stressed_loss_fen: ['资金池应担损失', 'Fund\'s share of the losses'],
	payable_fen: ['上限内应付', 'Payable within the caps'], beyond_annual_cap_fen: ['超出年度上限部分', 'Beyond the annual caps'], would_pay_fen: ['实际可付', 'Would pay'],
	balance_after_fen: ['赔付后余额', 'Balance after'], shortfall_fen: ['资金缺口', 'Shortfall'],
	programs: ['所属政策产品', 'Programmes'], suspensions: ['暂停放款的银行', 'Suspended banks'],
	disbursed_principal_fen: ['累计放款', 'Disbursed'], annual_cap_fen: ['年度赔付上限', 'Annual cap'],
	claims_paid_this_year_fen: ['本年已赔付', 'Paid this year'], cap_remaining_fen: ['剩余额度', 'Cap left'],
	subsidy: ['发放贴息', 'Pay interest subsidy'], period: ['月份（YYYY-MM）', 'Month (YYYY-MM)'],
	bad_period: ['请输入 YYYY-MM', 'Enter YYYY-MM'], subsidy_paid: ['贴息已发放', 'Subsidy paid'],
	'c.title': ['风险补偿申请', 'Claims'], 'c.lead': ['银行对违约贷款提出补偿申请；批准后资金池按分担比例赔付，余额不足时不会扣款。',
		'Banks claim on defaulted loans; on approval the fund pays its share, and nothing moves when its balance is short.'],
	claim: ['申请', 'Claim'], loan: ['贷款', 'Loan'], institution: ['金融机构', 'Institution'], loss_fen: ['损失', 'Loss'],
	fund_share_fen: ['资金池承担', 'Fund pays'], guarantor_share_fen: ['担保承担', 'Guarantor'], bank_share_fen: ['银行承担', 'Bank'],
	filed_at: ['提交时间', 'Filed'], status: ['状态', 'Status'], action: ['操作', 'Action'],
	approve: ['批准赔付', 'Approve'], 'approve.confirm': ['批准后资金池将赔付 {v}，确认？', 'The fund will pay {v}. Approve?'],
	approved: ['已赔付', 'Paid'], reject: ['驳回', 'Reject'], reason: ['驳回理由', 'Reason'], rejected: ['已驳回', 'Rejected'],
	'l.title': ['风险分担台账', 'Risk-sharing ledger'],
	'l.lead': ['复式记账：每笔分录借贷相抵为零，分录只增不改，更正以冲销分录完成。',
		'Double entry: every journal sums to zero; entries are only appended, corrections are reversing entries.'],
	check: ['台账校验', 'Ledger check'], balanced: ['平衡', 'Balanced'], unbalanced: ['不平衡', 'Out of balance'],
	journals: ['分录数', 'Journals'], imbalance_fen: ['差额', 'Imbalance'], accounts: ['账户', 'Accounts'],
	kind: ['类型', 'Kind'], owner: ['所属', 'Owner'], entries: ['记账分录', 'Journal entries'], at: ['时间', 'At'],
	postings: ['过账明细', 'Postings'], account: ['账户', 'Account'], recheck: ['重新校验', 'Check again'],
	limits: ['风险控制参数', 'Limits'], limits_saved: ['参数已保存', 'Limits saved'], lift: ['解除暂停', 'Lift'],
	lifted: ['已解除暂停', 'Suspension lifted'], reason_lift: ['解除理由', 'Reason'], recovered_c: ['已追回', 'Recovered'],
	'acct.fund_cash': ['资金池现金', 'Fund cash'], 'acct.bureau_budget': ['区财政预算', 'Bureau budget'],
	'acct.institution_claim_receivable': ['机构应收补偿', 'Claim receivable'], 'acct.institution_loss': ['机构自担损失', 'Institution loss'],
	'j.fund.deposit': ['资金存入', 'Deposit'], 'j.claim.pay': ['补偿赔付', 'Claim paid'],
	'j.claim.recovery': ['追偿回收', 'Recovery'], 'j.program.subsidy': ['财政贴息', 'Interest subsidy'],
	'j.reversal': ['冲正', 'Reversal'], reverse: ['冲正此笔存入', 'Reverse this deposit'],
	reversed: ['已冲正', 'Reversed'], reason_reverse: ['冲正原因', 'Reason for the reversal'],
	reverses: ['冲正分录 #{id}', 'Reverses entry #{id}'],
	'acct.guarantor_share': ['担保分担', 'Guarantor share'], 'acct.subsidy_payable': ['应付贴息', 'Subsidy payable'],
	postings_n: ['过账笔数', 'Postings'], accounts_n: ['账户数', 'Accounts'], unbalanced_journals: ['不平分录', 'Unbalanced journals'],
	mismatched_accounts: ['余额不符账户', 'Mismatched accounts'], negative_funds: ['负余额资金池', 'Funds below zero'],
});

/** A fund's figures as facts; leverage as "1.25×" ('—' while the balance is 0). */
function fundFacts(f) {
	const keys = ['balance_fen', 'deposited_fen', 'claims_paid_fen', 'recovered_fen', 'exposure_fen'];
	const lim = f.limits || {};
	return facts([
		...keys.map((k) => [t(`money.${k}`), yuan(f[k])]),
		[t('money.leverage'), f.leverage === null || f.leverage === undefined ? '—' : `${f.leverage}×`],
		'annual_claims_cap_bps' in lim ? [t('money.annual_claims_cap_bps'), pct(lim.annual_claims_cap_bps)] : null,
		'overdue_suspension_bps' in lim ? [t('money.overdue_suspension_bps'), pct(lim.overdue_suspension_bps)] : null,
	]);
}

/** Every fund: GET /funds, or the programmes' funds read one by one. */
async function allFunds() {
	try {
		return await apiAll('/funds');
	} catch (e) {
		if (![404, 405].includes(e.status)) throw e;
		const ids = [...new Set((await apiAll('/programs')).map((g) => g.fund_id).filter(Boolean))];
		return Promise.all(ids.map(async (id) => (await api('GET', `/funds/${id}`)).json));
	}
}

async function renderFunds(main) {
	pageTop(main, t('money.f.title'), t('money.f.lead'));
	const funds = await allFunds();
	for (const f of funds)
		main.append(card(f.name, fundFacts(f), h('a', { class: 'btn secondary', href: `#/bureau/funds/${f.id}` }, t('money.open'))));
	main.append(card(t('money.f.new'), simpleForm({
		submitLabel: t('money.f.new'),
		fields: [{ name: 'name', label: t('money.name'), required: true, attrs: { maxlength: 100 } }],
		submit: async (v) => {
			const { json } = await api('POST', '/funds', { body: { name: v.name } });
			toast(t('money.f.created'));
			navigate(`#/bureau/funds/${json.id}`);
		},
	})));
}

function depositForm(f) {
	return simpleForm({
		submitLabel: t('money.deposit'),
		fields: [
			{ name: 'amount', label: t('money.amount'), required: true, inputmode: 'decimal', validate: yuanIn(1, 1e15) },
			{ name: 'memo', label: t('money.memo'), attrs: { maxlength: 500 } },
		],
		submit: async (v) => {
			const amount = parseYuanToFen(v.amount);
			await api('POST', `/funds/${f.id}/deposits`, { body: { amount_fen: amount, memo: v.memo }, idempotent: true });
			toast(t('money.deposited', { v: yuan(amount) }));
			navigate(`#/bureau/funds/${f.id}`);
		},
	});
}

function stressForm(f) {
	const out = h('div', { 'aria-live': 'polite' });
	const form = simpleForm({
		submitLabel: t('money.run'),
		fields: [{ name: 'rate', label: t('money.default_rate'), required: true, inputmode: 'decimal', value: '5.00',
			validate: pctIn(0, 10000) }],
		submit: async (v) => {
			const { json: s } = await api('GET', `/funds/${f.id}/stress`, { query: { default_rate_bps: parsePctToBps(v.rate) } });
			const keys = ['stressed_loss_fen', 'beyond_annual_cap_fen', 'payable_fen', 'would_pay_fen', 'balance_after_fen', 'shortfall_fen'];
			out.replaceChildren(facts(keys.filter((k) => k in s).map((k) => [t(`money.${k}`),
				k === 'shortfall_fen' && s[k] > 0 ? badge(yuan(s[k]), 'bad') : yuan(s[k])])));
		},
	});
	return h('div', null, form, out);
}

function subsidyButton(g) {
	return actionButton(t('money.subsidy'), {
		kind: 'secondary', done: t('money.subsidy_paid'),
		run: () => askDialog({
			title: `${t('money.subsidy')} · ${g.name}`, okLabel: t('money.subsidy'),
			fields: [{ name: 'period', label: t('money.period'), required: true,
				value: today().slice(0, 7), validate: (v) => (/^\d{4}-(0[1-9]|1[0-2])$/.test(v) ? '' : t('money.bad_period')) }],
			send: (v) => api('POST', `/programs/${g.program_id ?? g.id}/subsidies`, { body: { period: v.period } }),
		}),
	});
}

function programTable(programs) {
	const cols = ['disbursed_principal_fen', 'exposure_fen', 'annual_cap_fen', 'claims_paid_this_year_fen', 'cap_remaining_fen'];
	return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
		h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('money.name')),
			cols.map((k) => h('th', { scope: 'col', class: 'num' }, t(`money.${k}`))), h('th', { scope: 'col' }, t('money.action')))),
		h('tbody', null, programs.map((g) => h('tr', null, h('td', null, g.name),
			cols.map((k) => h('td', { class: 'num', 'data-label': t(`money.${k}`) }, yuan(g[k]))),
			h('td', null, subsidyButton(g)))))));
}

async function renderFund(main, params) {
	const { json: f } = await api('GET', `/funds/${params.id}`);
	pageTop(main, f.name);
	main.append(card(null, fundFacts(f)));
	const lim = f.limits || {};
	if (lim.programs && lim.programs.length) main.append(card(t('money.programs'), programTable(lim.programs)));
	if (lim.suspensions && lim.suspensions.length) main.append(card(t('money.suspensions'), suspensionList(f, lim.suspensions)));
	main.append(card(t('money.deposit'), depositForm(f)), card(t('money.stress'), stressForm(f)),
		card(t('money.limits'), limitsForm(f, lim)));
}

function suspensionList(f, suspensions) {
	return h('ul', { class: 'plain' }, suspensions.map((s) => h('li', null,
		`${s.institution_name} · ${pct(s.overdue_rate_bps)} ≥ ${pct(s.threshold_bps)} · ${datetime(s.suspended_at)} `,
		actionButton(t('money.lift'), {
			kind: 'secondary', done: t('money.lifted'), after: () => navigate(`#/bureau/funds/${f.id}`),
			run: () => askDialog({
				title: `${t('money.lift')} · ${s.institution_name}`, okLabel: t('money.lift'),
				fields: [{ name: 'reason', label: t('money.reason_lift'), type: 'textarea', required: true }],
				send: (v) => api('POST', `/programs/${s.program_id}/suspensions/lift`,
					{ body: { institution_id: s.institution_id, reason: v.reason }, idempotent: true }),
			}),
		}))));
}

function limitsForm(f, lim) {
	return simpleForm({
		submitLabel: t('w2.save'),
		fields: [
			{ name: 'cap', label: t('money.annual_claims_cap_bps'), required: true, inputmode: 'decimal',
				value: bpsToPctInput(lim.annual_claims_cap_bps ?? 250), validate: pctIn(0, 10000) },
			{ name: 'suspend', label: t('money.overdue_suspension_bps'), required: true, inputmode: 'decimal',
				value: bpsToPctInput(lim.overdue_suspension_bps ?? 500), validate: pctIn(1, 10000) },
		],
		submit: async (v) => {
			await api('PATCH', `/funds/${f.id}`, { body: { annual_claims_cap_bps: parsePctToBps(v.cap),
				overdue_suspension_bps: parsePctToBps(v.suspend) } });
			toast(t('money.limits_saved'));
			navigate(`#/bureau/funds/${f.id}`);
		},
	});
}

const CLAIM_TABS = ['filed', 'paid', 'rejected'];

function claimActions(c, reload) {
	if (c.status !== 'filed') return '';
	return h('span', { class: 'actions' },
		actionButton(t('money.approve'), {
			confirm: t('money.approve.confirm', { v: yuan(c.fund_share_fen) }), done: t('money.approved'), after: reload,
			run: () => api('POST', `/claims/${c.id}/approve`),
		}),
		actionButton(t('money.reject'), {
			kind: 'secondary', done: t('money.rejected'), after: reload,
			run: () => askDialog({
				title: `${t('money.reject')} #${c.id}`, okLabel: t('money.reject'),
				fields: [{ name: 'reason', label: t('money.reason'), type: 'textarea', required: true }],
				send: (v) => api('POST', `/claims/${c.id}/reject`, { body: { reason: v.reason } }),
			}),
		}));
}

async function renderClaims(main, params, query) {
	const { status, tabs } = statusTabs(query, CLAIM_TABS, '#/bureau/claims');
	pageTop(main, t('money.c.title'), t('money.c.lead'));
	const names = new Map((await apiAll('/institutions')).map((i) => [i.id, i.name]));
	main.append(tabs);
	let table = null;
	table = pagedTable({
		caption: word('st', status),
		columns: [
			{ label: t('money.claim'), render: (c) => `#${c.id}` },
			{ label: t('money.loan'), render: (c) => `#${c.loan_id}` },
			{ label: t('money.institution'), render: (c) => names.get(c.institution_id) ?? `#${c.institution_id}` },
			...['loss_fen', 'fund_share_fen', 'guarantor_share_fen', 'bank_share_fen'].map((k) =>
				({ label: t(`money.${k}`), num: true, render: (c) => yuan(c[k]) })),
			{ label: t('money.recovered_c'), num: true, render: (c) => yuan(c.recovered_fen) },
			{ label: t('money.filed_at'), render: (c) => datetime(c.filed_at) },
			{ label: t('money.status'), render: (c) => stateBadge(c.status) },
			{ label: t('money.action'), render: (c) => claimActions(c, () => table.reload()) },
		],
		load: lister('/claims', { status }),
	});
	main.append(card(null, table));
	await table.ready;
}

async function checkCard() {
	const body = h('div', { 'aria-live': 'polite' });
	const show = async () => {
		const { json: c } = await api('GET', '/ledger/check');
		body.replaceChildren(facts([
			[t('money.check'), c.balanced ? badge(t('money.balanced'), 'ok') : badge(t('money.unbalanced'), 'bad')],
			[t('money.journals'), num(c.journals)],
			[t('money.imbalance_fen'), yuan(c.imbalance_fen)],
			...['postings', 'accounts'].filter((k) => k in c).map((k) => [t(`money.${k}_n`), num(c[k])]),
			...['unbalanced_journals', 'mismatched_accounts', 'negative_funds'].filter((k) => k in c)
				.map((k) => [t(`money.${k}`), c[k] ? badge(num(c[k]), 'bad') : '0']),
		]));
	};
	await show();
	return card(t('money.check'), body, h('button', { type: 'button', class: 'btn secondary', onclick: async () => {
		await show();
		toast(t('money.check'));
	} }, t('money.recheck')));
}

function postingsList(j) {
	return h('details', null, h('summary', null, `${t('money.postings')} (${(j.postings || []).length})`),
		h('ul', { class: 'plain postings' }, (j.postings || []).map((p) => h('li', null,
			`#${p.account_id} ${acctKind(p.account_kind)}: `, h('strong', null, yuan(p.amount_fen))))));
}

function journalKind(k) {
	const s = t(`money.j.${k}`);
	return s === `money.j.${k}` ? k : s;
}

function acctKind(k) {
	const s = t(`money.acct.${k}`);
	return s === `money.acct.${k}` ? k : s;
}

/** Reverses a mistaken deposit after asking why; the page reloads to show the reversal. */
function reverseButton(j) {
	return actionButton(t('money.reverse'), {
		kind: 'secondary', done: t('money.reversed'), after: () => navigate('#/bureau/ledger'),
		run: () => askDialog({
			title: `${t('money.reverse')} #${j.id}`, okLabel: t('money.reverse'),
			fields: [{ name: 'reason', label: t('money.reason_reverse'), type: 'textarea', required: true }],
			send: (v) => api('POST', `/ledger/journals/${j.id}/reverse`, { body: { reason: v.reason }, idempotent: true }),
		}),
	});
}

async function renderLedger(main) {
	pageTop(main, t('money.l.title'), t('money.l.lead'));
	main.append(await checkCard());
	const accounts = pagedTable({
		columns: [
			{ label: t('money.account'), render: (a) => `#${a.id}` },
			{ label: t('money.kind'), render: (a) => acctKind(a.kind) },
			{ label: t('money.owner'), render: (a) => a.owner_name ?? '—' },
			{ label: t('money.balance_fen'), num: true, render: (a) => yuan(a.balance_fen) },
		],
		load: lister('/ledger/accounts'),
	});
	// Newest first: a reversal is listed before the deposit it undoes, so the
	// deposit's row already knows not to offer a second reversal.
	const reversed = new Set();
	const journals = pagedTable({
		columns: [
			{
				label: '#', render: (j) => {
					if (j.reverses_journal_id) reversed.add(j.reverses_journal_id);
					return String(j.id);
				},
			},
			{ label: t('money.at'), render: (j) => datetime(j.created_at) },
			{ label: t('money.kind'), render: (j) => journalKind(j.kind) },
			{ label: t('money.memo'), render: (j) => (j.reverses_journal_id
				? `${t('money.reverses', { id: j.reverses_journal_id })} · ${j.memo}` : j.memo || '—') },
			{ label: t('money.postings'), render: postingsList },
			{ label: '', render: (j) => (j.kind === 'fund.deposit' && !reversed.has(j.id) ? reverseButton(j) : '') },
		],
		load: lister('/ledger/journals'),
	});
	main.append(card(t('money.accounts'), accounts), card(t('money.entries'), journals));
	await Promise.all([accounts.ready, journals.ready]);
}

export const routes = [
	{ path: '/bureau/funds', roles: ['bureau'], nav: { zh: '资金池', en: 'Funds' }, render: renderFunds },
	{ path: '/bureau/funds/:id', roles: ['bureau'], render: renderFund },
	{ path: '/bureau/claims', roles: ['bureau'], nav: { zh: '补偿审批', en: 'Claims' }, render: renderClaims },
	{ path: '/bureau/ledger', roles: ['bureau'], nav: { zh: '台账', en: 'Ledger' }, render: renderLedger },
];
