// The loan officer's workspace: the incoming queue with each application's
// response-deadline clock and the accept / approve / reject / disburse steps,
// and the loans with repayments, defaults, claims and recoveries. Products and
// their ranked candidates are in bank_products.js; the bank's statistics use
// the dashboard of bureau_stats.js scoped to the institution by the server.

import { api, apiAll, lister } from '../api.js';
import { t } from '../i18n.js';
import { date, datetime, fenToYuanInput, months, parseYuanToFen, pct, today, yuan } from '../format.js';
import { badge, h, navigate, pagedTable, toast } from '../ui.js';
import { actionButton, askDialog, bpsToPctInput, card, facts, filterTabs, intIn, notFuture, pageTop,
	parsePctToBps, pctIn, registerPairs, simpleForm, stateBadge, word, yuanIn } from './bank_common.js';
import { renderStats } from './bureau_stats.js';
import { routes as productRoutes } from './bank_products.js';

registerPairs('bank', {
	'queue.title': ['融资申请队列', 'Incoming applications'],
	'queue.lead': ['请在响应时限（3 个工作日）内受理或拒绝每笔申请；逾期未响应会计入统计。',
		'Accept or reject each application within its response deadline (3 working days); late answers count in the statistics.'],
	'tab.pending': ['待受理', 'To answer'], 'tab.overdue': ['已逾期', 'Overdue'], 'tab.accepted': ['已受理', 'Accepted'],
	'tab.approved': ['待放款', 'To disburse'], 'tab.disbursed': ['已放款', 'Disbursed'], 'tab.rejected': ['已拒绝', 'Rejected'],
	'tab.all': ['全部', 'All'],
	'col.id': ['编号', 'No.'], 'col.enterprise': ['企业', 'Enterprise'], 'col.product': ['产品', 'Product'],
	'col.amount': ['申请金额', 'Amount asked'], 'col.term': ['期限', 'Term'], 'col.status': ['状态', 'Status'],
	'col.due': ['响应时限', 'Answer by'], 'col.open': ['操作', 'Action'], 'open': ['查看处理', 'Open'],
	'due.left': ['剩余 {d} 天 {h} 小时', '{d} d {h} h left'], 'due.over': ['已逾期 {h} 小时', '{h} h overdue'],
	'due.answered': ['已响应', 'Answered'],
	'app.title': ['融资申请 #{id}', 'Application #{id}'], 'app.purpose': ['用途', 'Purpose'],
	'app.collateral': ['可提供担保', 'Collateral offered'], 'app.first': ['首次银行贷款', 'First bank loan'],
	'app.created': ['提交时间', 'Filed'], 'app.timeline': ['办理进度', 'Timeline'], 'app.actions': ['办理', 'Decide'],
	'app.approved_terms': ['审批结果', 'Approved terms'], 'app.reject_reason': ['拒绝原因', 'Reason for rejection'],
	'accept': ['受理', 'Accept'], 'accept.confirm': ['确认受理这笔申请？', 'Accept this application?'],
	'accepted': ['已受理申请', 'Application accepted'], 'reject': ['拒绝', 'Reject'],
	'reject.title': ['拒绝申请', 'Reject the application'], 'reason': ['原因', 'Reason'],
	'rejected': ['已拒绝申请', 'Application rejected'], 'approve': ['审批通过', 'Approve'],
	'approve.title': ['审批：金额、利率、期限须在产品范围内', 'Approve within the product\'s ranges'],
	'approved': ['已审批通过', 'Application approved'], 'amount': ['金额（元）', 'Amount (yuan)'],
	'rate': ['年利率（%）', 'Annual rate (%)'], 'term': ['期限（月）', 'Term (months)'],
	'disburse': ['确认放款', 'Disburse'], 'disburse.on': ['放款日期', 'Disbursed on'],
	'disbursed': ['已放款，贷款已生成', 'Disbursed; the loan is recorded'],
	'to_loan': ['查看贷款', 'Open the loan'],
	'loans.title': ['贷款管理', 'Loans'], 'loan.title': ['贷款 #{id}', 'Loan #{id}'],
	'loan.principal': ['本金', 'Principal'], 'loan.outstanding': ['未还本金', 'Outstanding'],
	'loan.rate': ['年利率', 'Rate'], 'loan.dates': ['放款 / 到期', 'Disbursed / matures'],
	'loan.shares': ['风险分担（资金池 / 银行 / 担保）', 'Risk shares (fund / bank / guarantor)'],
	'repay': ['登记还款', 'Record a repayment'], 'repay.paid_on': ['还款日期', 'Paid on'],
	'repaid': ['已登记还款', 'Repayment recorded'], 'default': ['登记逾期 / 违约', 'Record overdue / default'],
	'default.days': ['逾期天数（≥90 天为违约）', 'Days overdue (90 or more is a default)'],
	'default.as_of': ['截至日期', 'As of'], 'defaulted': ['已登记逾期情况', 'Overdue days recorded'],
	'claim': ['申请风险补偿', 'File a risk-sharing claim'], 'claim.loss': ['损失金额（元）', 'Loss (yuan)'],
	'claim.filed': ['已提交补偿申请', 'Claim filed'], 'claims': ['补偿申请', 'Claims'],
	'claim.split': ['资金池 {f} · 担保 {g} · 银行 {b}', 'fund {f} · guarantor {g} · bank {b}'],
	'recover': ['登记追偿', 'Record a recovery'], 'recover.amount': ['追回金额（元）', 'Recovered (yuan)'],
	'recovered': ['已登记追偿', 'Recovery recorded'], 'no_claims': ['暂无补偿申请', 'No claims yet'],
	'max_outstanding': ['不能超过未还本金 {v}', 'At most the outstanding {v}'],
	'stats.title': ['本行融资统计', 'Our lending statistics'],
	'col.loan': ['贷款', 'Loan'], 'col.principal': ['本金', 'Principal'], 'col.outstanding': ['未还本金', 'Outstanding'],
	'col.disbursed_on': ['放款日', 'Disbursed'], 'col.application': ['融资申请', 'Application'],
});

/** Working hours left until due (negative when past). */
function hoursLeft(dueIso) {
	return Math.floor((Date.parse(dueIso) - Date.now()) / 3600000);
}

/** The response-deadline clock of an application: time left, or overdue in red. */
export function dueClock(a) {
	if (a.status !== 'pending_bank' || !a.response_due_at) {
		return a.response_due_at ? h('span', { class: 'muted' }, datetime(a.response_due_at)) : '—';
	}
	const left = hoursLeft(a.response_due_at);
	if (a.overdue || left < 0) return badge(t('bank.due.over', { h: Math.max(0, -left) }), 'bad');
	return h('span', null, badge(t('bank.due.left', { d: Math.floor(left / 24), h: left % 24 }), left < 24 ? 'warn' : ''),
		' ', h('small', null, datetime(a.response_due_at)));
}

const QUEUE_TABS = [
	['pending', { status: 'pending_bank' }], ['overdue', { status: 'pending_bank', overdue: 1 }],
	['accepted', { status: 'accepted' }], ['approved', { status: 'approved' }], ['disbursed', { status: 'disbursed' }],
	['rejected', { status: 'rejected' }], ['all', {}],
];

async function renderQueue(main, params, query) {
	const tab = QUEUE_TABS.find(([k]) => k === query.get('tab')) || QUEUE_TABS[0];
	pageTop(main, t('bank.queue.title'), t('bank.queue.lead'));
	main.append(filterTabs(QUEUE_TABS.map(([k]) => ({ label: t(`bank.tab.${k}`), hash: `#/bank/queue?tab=${k}` })),
		`#/bank/queue?tab=${tab[0]}`));
	const table = pagedTable({
		caption: t(`bank.tab.${tab[0]}`),
		columns: [
			{ label: t('bank.col.id'), render: (a) => `#${a.id}` },
			{ label: t('bank.col.enterprise'), key: 'enterprise_name' },
			{ label: t('bank.col.product'), key: 'product_name' },
			{ label: t('bank.col.amount'), num: true, render: (a) => yuan(a.amount_fen) },
			{ label: t('bank.col.term'), render: (a) => months(a.term_months) },
			{ label: t('bank.col.status'), render: (a) => stateBadge(a.status) },
			{ label: t('bank.col.due'), render: dueClock },
			{ label: t('bank.col.open'), render: (a) => h('a', { href: `#/bank/applications/${a.id}` }, t('bank.open')) },
		],
		load: lister('/applications', tab[1]),
	});
	main.append(card(null, table));
	await table.ready;
}

function timeline(a) {
	return h('ol', { class: 'timeline' }, (a.timeline || []).map((e) => h('li', null,
		stateBadge(e.status), ' ', datetime(e.at), ' · ', word('role', e.by_role))));
}

async function renderApplication(main, params) {
	const { json: a } = await api('GET', `/applications/${params.id}`);
	const product = a.product_id ? (await api('GET', `/products/${a.product_id}`)).json : null;
	const reload = () => navigate(`#/bank/applications/${a.id}`);
	pageTop(main, t('bank.app.title', { id: a.id }));
	main.append(card(a.enterprise_name, facts([
		[t('bank.col.status'), stateBadge(a.status)],
		[t('bank.col.product'), a.product_name],
		[t('bank.col.amount'), yuan(a.amount_fen)],
		[t('bank.col.term'), months(a.term_months)],
		[t('bank.app.purpose'), a.purpose],
		[t('bank.app.collateral'), word('col', a.collateral)],
		[t('bank.app.first'), a.first_bank_loan ? t('w2.yes') : t('w2.no')],
		[t('bank.app.created'), datetime(a.created_at)],
		[t('bank.col.due'), dueClock(a)],
		a.approved_amount_fen !== null ? [t('bank.app.approved_terms'),
			`${yuan(a.approved_amount_fen)} · ${pct(a.approved_rate_bps)} · ${months(a.approved_term_months)}`] : null,
		a.reject_reason ? [t('bank.app.reject_reason'), a.reject_reason] : null,
	])), card(t('bank.app.timeline'), timeline(a)));
	const actions = decisionPanel(a, product, reload);
	if (actions) main.append(card(t('bank.app.actions'), actions));
}

function rejectButton(a, reload) {
	return actionButton(t('bank.reject'), {
		kind: 'secondary', done: t('bank.rejected'), after: reload,
		run: () => askDialog({
			title: t('bank.reject.title'), okLabel: t('bank.reject'),
			fields: [{ name: 'reason', label: t('bank.reason'), type: 'textarea', required: true }],
			send: (v) => api('POST', `/applications/${a.id}/reject`, { body: { reason: v.reason } }),
		}),
	});
}

function decisionPanel(a, product, reload) {
	if (a.status === 'pending_bank') {
		return h('div', { class: 'actions' }, actionButton(t('bank.accept'), {
			confirm: t('bank.accept.confirm'), done: t('bank.accepted'), after: reload,
			run: () => api('POST', `/applications/${a.id}/accept`),
		}), rejectButton(a, reload));
	}
	if (a.status === 'accepted') return h('div', null, approveForm(a, product, reload), rejectButton(a, reload));
	if (a.status === 'approved') return disburseForm(a);
	if (a.status === 'disbursed' && a.loan_id) return h('a', { class: 'btn', href: `#/bank/loans/${a.loan_id}` }, t('bank.to_loan'));
	return null;
}

function approveForm(a, p, reload) {
	const r = p || { amount_min_fen: 1, amount_max_fen: a.amount_fen, rate_min_bps: 1, rate_max_bps: 3600,
		term_min_months: 1, term_max_months: 360 };
	// never more than the amount asked (the server refuses it: 409 not_eligible)
	const hi = Math.max(r.amount_min_fen, Math.min(r.amount_max_fen, a.amount_fen));
	const amount = Math.min(Math.max(a.amount_fen, r.amount_min_fen), hi);
	const term = Math.min(Math.max(a.term_months, r.term_min_months), r.term_max_months);
	return simpleForm({
		submitLabel: t('bank.approve'),
		fields: [
			{ name: 'amount', label: t('bank.amount'), required: true, inputmode: 'decimal', value: fenToYuanInput(amount),
				hint: t('w2.range', { min: yuan(r.amount_min_fen), max: yuan(hi) }),
				validate: yuanIn(r.amount_min_fen, hi) },
			{ name: 'rate', label: t('bank.rate'), required: true, inputmode: 'decimal', value: bpsToPctInput(r.rate_min_bps),
				hint: t('w2.range', { min: pct(r.rate_min_bps), max: pct(r.rate_max_bps) }),
				validate: pctIn(r.rate_min_bps, r.rate_max_bps) },
			{ name: 'term_months', label: t('bank.term'), type: 'number', required: true, value: term,
				hint: t('w2.range', { min: r.term_min_months, max: r.term_max_months }),
				validate: intIn(r.term_min_months, r.term_max_months) },
		],
		submit: async (v) => {
			await api('POST', `/applications/${a.id}/approve`, { body: { amount_fen: parseYuanToFen(v.amount),
				rate_bps: parsePctToBps(v.rate), term_months: Number(v.term_months) } });
			toastAnd(t('bank.approved'), reload);
		},
	});
}

function toastAnd(msg, then) {
	toast(msg);
	then();
}

function disburseForm(a) {
	return simpleForm({
		submitLabel: t('bank.disburse'),
		fields: [{ name: 'disbursed_on', label: t('bank.disburse.on'), type: 'date', required: true, value: today(),
			attrs: { max: today() }, validate: notFuture }],
		submit: async (v) => {
			const { json: loan } = await api('POST', `/applications/${a.id}/disburse`,
				{ body: { disbursed_on: v.disbursed_on }, idempotent: true });
			toastAnd(t('bank.disbursed'), () => navigate(`#/bank/loans/${loan.id}`));
		},
	});
}

async function renderLoans(main) {
	pageTop(main, t('bank.loans.title'));
	const table = pagedTable({
		columns: [
			{ label: t('bank.col.loan'), render: (l) => h('a', { href: `#/bank/loans/${l.id}` }, `#${l.id}`) },
			{ label: t('bank.col.disbursed_on'), render: (l) => date(l.disbursed_on) },
			{ label: t('bank.col.principal'), num: true, render: (l) => yuan(l.principal_fen) },
			{ label: t('bank.col.outstanding'), num: true, render: (l) => yuan(l.outstanding_fen) },
			{ label: t('bank.loan.rate'), num: true, render: (l) => pct(l.rate_bps) },
			{ label: t('bank.col.term'), render: (l) => months(l.term_months) },
			{ label: t('bank.col.status'), render: (l) => stateBadge(l.status) },
		],
		load: lister('/loans'),
	});
	main.append(card(null, table));
	await table.ready;
}

async function renderLoan(main, params) {
	const { json: l } = await api('GET', `/loans/${params.id}`);
	const reload = () => navigate(`#/bank/loans/${l.id}`);
	pageTop(main, t('bank.loan.title', { id: l.id }));
	main.append(card(null, facts([
		[t('bank.col.status'), stateBadge(l.status)],
		[t('bank.loan.principal'), yuan(l.principal_fen)],
		[t('bank.loan.outstanding'), yuan(l.outstanding_fen)],
		[t('bank.loan.rate'), pct(l.rate_bps)],
		[t('bank.col.term'), months(l.term_months)],
		[t('bank.loan.dates'), `${date(l.disbursed_on)} / ${date(l.maturity_on)}`],
		[t('bank.loan.shares'), `${pct(l.shares.fund_bps)} / ${pct(l.shares.bank_bps)} / ${pct(l.shares.guarantor_bps)}`],
		[t('bank.col.application'), h('a', { href: `#/bank/applications/${l.application_id}` }, `#${l.application_id}`)],
	])));
	if (['performing', 'overdue'].includes(l.status)) main.append(card(t('bank.repay'), repayForm(l, reload)),
		card(t('bank.default'), defaultForm(l, reload)));
	const claims = await claimsOf(l);
	if (l.status === 'defaulted' && !claims.some((c) => c.status !== 'rejected'))
		main.append(card(t('bank.claim'), claimForm(l, reload)));
	main.append(card(t('bank.claims'), claimList(claims, reload)));
}

function repayForm(l, reload) {
	return simpleForm({
		submitLabel: t('bank.repay'),
		fields: [
			{ name: 'amount', label: t('bank.amount'), required: true, inputmode: 'decimal',
				hint: t('bank.max_outstanding', { v: yuan(l.outstanding_fen) }), validate: yuanIn(1, l.outstanding_fen) },
			{ name: 'paid_on', label: t('bank.repay.paid_on'), type: 'date', required: true, value: today(), validate: notFuture },
		],
		submit: async (v) => {
			await api('POST', `/loans/${l.id}/repayments`,
				{ body: { amount_fen: parseYuanToFen(v.amount), paid_on: v.paid_on }, idempotent: true });
			toastAnd(t('bank.repaid'), reload);
		},
	});
}

function defaultForm(l, reload) {
	return simpleForm({
		submitLabel: t('bank.default'),
		fields: [
			{ name: 'overdue_days', label: t('bank.default.days'), type: 'number', required: true, validate: intIn(1, 36500) },
			{ name: 'as_of', label: t('bank.default.as_of'), type: 'date', required: true, value: today(), validate: notFuture },
		],
		submit: async (v) => {
			await api('POST', `/loans/${l.id}/default`, { body: { overdue_days: Number(v.overdue_days), as_of: v.as_of } });
			toastAnd(t('bank.defaulted'), reload);
		},
	});
}

function claimForm(l, reload) {
	return simpleForm({
		submitLabel: t('bank.claim'),
		fields: [{ name: 'loss', label: t('bank.claim.loss'), required: true, inputmode: 'decimal',
			value: fenToYuanInput(l.outstanding_fen), hint: t('bank.max_outstanding', { v: yuan(l.outstanding_fen) }),
			validate: yuanIn(1, l.outstanding_fen) }],
		submit: async (v) => {
			await api('POST', `/loans/${l.id}/claims`, { body: { loss_fen: parseYuanToFen(v.loss) }, idempotent: true });
			toastAnd(t('bank.claim.filed'), reload);
		},
	});
}

/** The loan's claims (only a defaulted loan has any). */
async function claimsOf(l) {
	return l.status === 'defaulted' ? apiAll('/claims', { loan_id: l.id }) : [];
}

/** The claims with their split, and a recovery form on each paid one. */
function claimList(items, reload) {
	if (!items.length) return h('p', { class: 'muted' }, t('bank.no_claims'));
	return h('ul', { class: 'plain' }, items.map((c) => h('li', null,
		`#${c.id} `, stateBadge(c.status), ' ', yuan(c.loss_fen), ' — ',
		t('bank.claim.split', { f: yuan(c.fund_share_fen), g: yuan(c.guarantor_share_fen), b: yuan(c.bank_share_fen) }),
		c.status === 'paid' ? actionButton(t('bank.recover'), {
			kind: 'secondary', done: t('bank.recovered'), after: reload,
			run: () => askDialog({
				title: t('bank.recover'), okLabel: t('bank.recover'),
				fields: [{ name: 'amount', label: t('bank.recover.amount'), required: true, inputmode: 'decimal',
					validate: yuanIn(1, c.loss_fen - (c.recovered_fen || 0)) }],
				send: (v) => api('POST', `/claims/${c.id}/recoveries`,
					{ body: { amount_fen: parseYuanToFen(v.amount) }, idempotent: true }),
			}),
		}) : null)));
}

async function renderBankStats(main) {
	pageTop(main, t('bank.stats.title'));
	await renderStats(main, { role: 'bank', dims: ['month', 'product', 'program', 'industry', 'size_class'] });
}

export const routes = [
	{ path: '/bank/queue', roles: ['bank'], nav: { zh: '申请队列', en: 'Queue' }, render: renderQueue },
	...productRoutes,
	{ path: '/bank/applications/:id', roles: ['bank'], render: renderApplication },
	{ path: '/bank/loans', roles: ['bank'], nav: { zh: '贷款管理', en: 'Loans' }, render: renderLoans },
	{ path: '/bank/loans/:id', roles: ['bank'], render: renderLoan },
	{ path: '/bank/stats', roles: ['bank'], nav: { zh: '本行统计', en: 'Statistics' }, render: renderBankStats },
];
