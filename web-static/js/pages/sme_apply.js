// The enterprise's financing: a new demand (融资需求), its ranked matches with
// every criterion's reason and "what would make you eligible" hints,
// submitting it to a product, the applications with their timelines, and
// withdrawing one.

import { api, apiAll, lister } from '../api.js';
import { date, datetime, months, parseYuanToFen, pct, yuan } from '../format.js';
import { register, serverText, t } from '../i18n.js';
import { label, options, tone } from '../labels.js';
import { badge, confirmDialog, errorText, formField, formValues, h, navigate, pagedTable, replace, showServerError,
	toast, validateForm } from '../ui.js';

register({
	zh: {
		'apply.demand.title': '提交融资需求', 'apply.demand.lead': '填写您需要的金额和期限，提交后系统会列出符合条件的产品并逐条说明理由，您再选择一个产品正式提交给银行。',
		'apply.f.amount': '融资金额（元）', 'apply.f.amount_hint': '例如 500000 或 500,000.00', 'apply.f.term': '期限（月）',
		'apply.f.purpose': '资金用途', 'apply.f.collateral': '可提供的担保方式', 'apply.f.insts': '同时授权以下机构查看我的信用详情（可不选）',
		'apply.f.first': '这是本企业第一次申请银行贷款（首贷户）', 'apply.f.bad_amount': '请输入大于 0 的金额，最多两位小数',
		'apply.f.bad_term': '期限为 1–360 个月', 'apply.f.submit': '提交需求并查看匹配产品', 'apply.f.wanted': '您选择的产品：{name}',
		'apply.created': '融资需求已提交（编号 {id}），请从匹配产品中选择一个提交给银行',
		'apply.list.title': '我的申请', 'apply.list.new': '新的融资需求', 'apply.list.when': '提交时间', 'apply.list.amount': '金额',
		'apply.list.term': '期限', 'apply.list.product': '产品', 'apply.list.status': '状态', 'apply.list.open': '查看',
		'apply.detail.title': '融资申请 #{id}', 'apply.detail.timeline': '办理进度', 'apply.detail.purpose': '用途',
		'apply.detail.collateral': '担保方式', 'apply.detail.product': '申请产品', 'apply.detail.due': '银行应在 {at} 前响应',
		'apply.detail.overdue': '银行已超过响应期限', 'apply.detail.approved': '批准：{amount}，年利率 {rate}，{term}',
		'apply.detail.reject': '未通过原因：{reason}', 'apply.detail.loan': '贷款 #{id}', 'apply.detail.withdraw': '撤回申请',
		'apply.detail.withdraw_confirm': '撤回这笔融资申请？撤回后不能恢复。', 'apply.detail.withdrawn': '申请已撤回',
		'apply.detail.first': '首贷户',
		'apply.m.title': '匹配的产品', 'apply.m.lead': '按匹配度从高到低排列；同分时利率低的在前。每个条件都说明了是否满足。',
		'apply.m.fit': '匹配度 {fit}', 'apply.m.submit': '提交给 {inst}', 'apply.m.confirm': '把这笔申请提交给 {inst} 的「{name}」？该机构将获得授权查看您的信用详情。',
		'apply.m.submitted': '已提交给 {inst}，银行将在 3 个工作日内响应', 'apply.m.none': '暂时没有满足全部条件的产品。',
		'apply.m.ineligible': '暂不符合条件的产品', 'apply.m.hint': '怎样可以符合：{hint}', 'apply.m.reasons': '逐条说明',
		'apply.m.rate': '利率 {rate}', 'apply.m.program': '项目：{name}', 'apply.m.wanted': '您选择的产品',
		'apply.colon': '：', 'apply.crit.status': '产品状态', 'apply.crit.capacity': '本月名额', 'apply.crit.amount': '金额', 'apply.crit.term': '期限',
		'apply.crit.collateral': '担保方式', 'apply.crit.program_cap': '项目单户上限', 'apply.crit.min_grade': '信用等级',
		'apply.crit.min_score': '信用分', 'apply.crit.industry': '行业', 'apply.crit.town': '街镇', 'apply.crit.park': '园区',
		'apply.crit.years_in_business': '经营年限', 'apply.crit.revenue': '营业收入', 'apply.crit.tags': '资质', 'apply.crit.whitelist': '白名单',
		'apply.passed': '满足', 'apply.failed': '不满足', 'apply.unchecked': '未检查',
	},
	en: {
		'apply.demand.title': 'File a financing demand', 'apply.demand.lead': 'Say how much you need and for how long. The matching products are then listed with a reason for every condition, and you submit the demand to one of them.',
		'apply.f.amount': 'Amount (yuan)', 'apply.f.amount_hint': 'e.g. 500000 or 500,000.00', 'apply.f.term': 'Term (months)',
		'apply.f.purpose': 'Purpose', 'apply.f.collateral': 'Collateral you can offer', 'apply.f.insts': 'Also authorise these institutions to read my credit detail (optional)',
		'apply.f.first': 'This is the enterprise\'s first bank loan', 'apply.f.bad_amount': 'Enter an amount above 0 with at most two decimals',
		'apply.f.bad_term': 'Terms are 1–360 months', 'apply.f.submit': 'Submit and see matching products', 'apply.f.wanted': 'The product you chose: {name}',
		'apply.created': 'Demand #{id} filed; choose a matching product to submit it to a bank',
		'apply.list.title': 'My applications', 'apply.list.new': 'New financing demand', 'apply.list.when': 'Filed', 'apply.list.amount': 'Amount',
		'apply.list.term': 'Term', 'apply.list.product': 'Product', 'apply.list.status': 'Status', 'apply.list.open': 'Open',
		'apply.detail.title': 'Application #{id}', 'apply.detail.timeline': 'Progress', 'apply.detail.purpose': 'Purpose',
		'apply.detail.collateral': 'Collateral', 'apply.detail.product': 'Product', 'apply.detail.due': 'The bank should answer by {at}',
		'apply.detail.overdue': 'The bank is past its response deadline', 'apply.detail.approved': 'Approved: {amount} at {rate} for {term}',
		'apply.detail.reject': 'Reason: {reason}', 'apply.detail.loan': 'Loan #{id}', 'apply.detail.withdraw': 'Withdraw',
		'apply.detail.withdraw_confirm': 'Withdraw this application? This cannot be undone.', 'apply.detail.withdrawn': 'The application is withdrawn',
		'apply.detail.first': 'First bank loan',
		'apply.m.title': 'Matching products', 'apply.m.lead': 'Best fit first; at equal fit the lower rate first. Every condition says whether it is met.',
		'apply.m.fit': 'Fit {fit}', 'apply.m.submit': 'Submit to {inst}', 'apply.m.confirm': 'Submit this application to {inst}\'s "{name}"? The institution will be authorised to read your credit detail.',
		'apply.m.submitted': 'Submitted to {inst}; the bank answers within 3 working days', 'apply.m.none': 'No product meets every condition yet.',
		'apply.m.ineligible': 'Products you do not qualify for yet', 'apply.m.hint': 'What would make you eligible: {hint}', 'apply.m.reasons': 'Every condition',
		'apply.m.rate': 'Rate {rate}', 'apply.m.program': 'Programme: {name}', 'apply.m.wanted': 'The product you chose',
		'apply.colon': ': ', 'apply.crit.status': 'Product status', 'apply.crit.capacity': 'Places this month', 'apply.crit.amount': 'Amount', 'apply.crit.term': 'Term',
		'apply.crit.collateral': 'Collateral', 'apply.crit.program_cap': 'Programme cap', 'apply.crit.min_grade': 'Credit grade',
		'apply.crit.min_score': 'Credit score', 'apply.crit.industry': 'Industry', 'apply.crit.town': 'Town', 'apply.crit.park': 'Park',
		'apply.crit.years_in_business': 'Years in business', 'apply.crit.revenue': 'Revenue', 'apply.crit.tags': 'Qualifications',
		'apply.crit.whitelist': 'Whitelist', 'apply.passed': 'met', 'apply.failed': 'not met', 'apply.unchecked': 'not checked',
	},
});

const OPEN = ['submitted', 'pending_bank', 'accepted'];

async function renderDemand(main, params, query) {
	const wantedId = query.get('product');
	const [insts, wanted] = await Promise.all([apiAll('/institutions'),
		wantedId ? api('GET', `/products/${encodeURIComponent(wantedId)}`).then((r) => r.json, () => null) : null]);
	const form = h('form', { class: 'form', novalidate: true },
		wanted ? h('p', { class: 'hint-box' }, t('apply.f.wanted', { name: `${wanted.institution_name} · ${wanted.name}` })) : null,
		h('div', { class: 'form-grid' },
			formField({ name: 'amount', label: t('apply.f.amount'), required: true, inputmode: 'decimal', hint: t('apply.f.amount_hint'),
				validate: (v) => { const f = parseYuanToFen(v); return f === null || f <= 0 ? t('apply.f.bad_amount') : ''; } }),
			formField({ name: 'term_months', label: t('apply.f.term'), required: true, inputmode: 'numeric',
				validate: (v) => (/^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 360 ? '' : t('apply.f.bad_term')) }),
			formField({ name: 'purpose', label: t('apply.f.purpose'), required: true, wide: true, attrs: { maxlength: 500 } }),
			formField({ name: 'collateral', label: t('apply.f.collateral'), type: 'select', required: true,
				value: wanted ? wanted.collateral : 'none', options: options('collateral') })),
		formField({ name: 'authorized_institution_ids', label: t('apply.f.insts'), type: 'checkboxes',
			options: insts.map((i) => ({ value: i.id, label: i.name })) }),
		formField({ name: 'first_bank_loan', label: t('apply.f.first'), type: 'checkbox' }),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('apply.f.submit'))));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!validateForm(form)) return;
		const v = formValues(form);
		const body = { amount_fen: parseYuanToFen(v.amount), term_months: Number(v.term_months), purpose: v.purpose,
			collateral: v.collateral, authorized_institution_ids: v.authorized_institution_ids.map(Number),
			first_bank_loan: v.first_bank_loan };
		const btn = form.querySelector('button[type=submit]');
		btn.disabled = true;
		try {
			const app = (await api('POST', '/applications', { body, idempotent: true })).json;
			toast(t('apply.created', { id: app.id }));
			navigate(`#/sme/applications/${app.id}${wanted ? `?product=${wanted.id}` : ''}`);
		} catch (e) {
			showServerError(form, e.field ? Object.assign(e, { field: e.field === 'amount_fen' ? 'amount' : e.field }) : e);
		} finally {
			btn.disabled = false;
		}
	});
	replace(main, h('h1', null, t('apply.demand.title')), h('p', { class: 'muted' }, t('apply.demand.lead')),
		h('section', { class: 'card' }, form));
}

async function renderList(main) {
	const table = pagedTable({
		caption: t('apply.list.title'),
		columns: [
			{ label: '#', render: (a) => h('a', { href: `#/sme/applications/${a.id}`, 'aria-label': `${t('apply.list.open')} #${a.id}` }, `#${a.id}`) },
			{ label: t('apply.list.when'), render: (a) => date(a.created_at) },
			{ label: t('apply.list.amount'), render: (a) => yuan(a.amount_fen), num: true },
			{ label: t('apply.list.term'), render: (a) => months(a.term_months) },
			{ label: t('apply.list.product'), render: (a) => (a.product_name ? `${a.institution_name} · ${a.product_name}` : '—') },
			{ label: t('apply.list.status'), render: (a) => badge(label('app_status', a.status), tone(a.status)) },
		],
		load: lister('/applications'),
	});
	replace(main, h('h1', null, t('apply.list.title')),
		h('p', null, h('a', { class: 'btn', href: '#/sme/demand' }, t('apply.list.new'))), table);
	await table.ready;
}

function reasonList(reasons) {
	return h('ul', { class: 'reasons' }, reasons.map((r) => h('li', { class: r.passed ? 'pass' : 'fail' },
		h('span', { class: 'sr-only' }, `${r.passed ? t('apply.passed') : t('apply.failed')} `),
		`${t(`apply.crit.${r.criterion}`)}${t('apply.colon')}${serverText(r, 'detail')}`)));
}

function matchCard(m, app, wantedId, onSubmit) {
	const failed = m.reasons.filter((r) => !r.passed);
	const wanted = String(m.product_id) === wantedId;
	return h('article', { class: `match${wanted ? ' wanted' : ''}`, 'aria-label': m.product_name },
		h('div', { class: 'match-head' },
			h('h3', null, h('a', { href: `#/products/${m.product_id}` }, m.product_name)),
			m.eligible ? badge(t('apply.m.fit', { fit: m.fit }), 'ok') : null),
		h('p', { class: 'muted' }, m.institution_name, m.program_name ? ` · ${t('apply.m.program', { name: m.program_name })}` : '',
			wanted ? [' · ', badge(t('apply.m.wanted'), 'warn')] : null),
		!m.eligible && m.hint ? h('p', { class: 'hint-box' }, t('apply.m.hint', { hint: serverText(m, 'hint') })) : null,
		!m.eligible ? reasonList(failed) : null,
		h('details', null, h('summary', null, t('apply.m.reasons')), reasonList(m.reasons)),
		m.eligible && app.status === 'submitted' ? h('div', { class: 'actions' },
			h('button', { type: 'button', class: 'btn', onclick: () => onSubmit(m) }, t('apply.m.submit', { inst: m.institution_name }))) : null);
}

async function submitTo(app, m) {
	if (!await confirmDialog(t('apply.m.confirm', { inst: m.institution_name, name: m.product_name }), { ok: t('apply.m.submit', { inst: '' }).trim() })) return;
	try {
		await api('POST', `/applications/${app.id}/submit`, { body: { product_id: m.product_id } });
		toast(t('apply.m.submitted', { inst: m.institution_name }));
		navigate(`#/sme/applications/${app.id}`);
	} catch (e) {
		toast(errorText(e), 'bad');
	}
}

async function matchesSection(app, wantedId) {
	const res = (await api('GET', `/applications/${app.id}/matches`)).json;
	const onSubmit = (m) => submitTo(app, m);
	const sortWanted = (list) => [...list].sort((a, b) => (String(b.product_id) === wantedId) - (String(a.product_id) === wantedId));
	return h('section', { class: 'card', 'aria-labelledby': 'matches-title' },
		h('h2', { id: 'matches-title' }, t('apply.m.title')), h('p', { class: 'muted' }, t('apply.m.lead')),
		res.items.length ? sortWanted(res.items).map((m) => matchCard(m, app, wantedId, onSubmit)) : h('p', null, t('apply.m.none')),
		res.ineligible.length ? [h('h2', null, t('apply.m.ineligible')),
			sortWanted(res.ineligible).map((m) => matchCard(m, app, wantedId, onSubmit))] : null);
}

function timeline(app) {
	return h('ol', { class: 'timeline' }, app.timeline.map((e) => h('li', null,
		badge(label('app_status', e.status), tone(e.status)), ` ${datetime(e.at)} · ${label('role', e.by_role)}`)));
}

function detailFacts(app) {
	return h('dl', { class: 'kv' },
		h('dt', null, t('apply.list.amount')), h('dd', null, yuan(app.amount_fen)),
		h('dt', null, t('apply.list.term')), h('dd', null, months(app.term_months)),
		h('dt', null, t('apply.detail.purpose')), h('dd', null, app.purpose),
		h('dt', null, t('apply.detail.collateral')), h('dd', null, label('collateral', app.collateral)),
		h('dt', null, t('apply.detail.product')), h('dd', null, app.product_name ? `${app.institution_name} · ${app.product_name}` : '—'),
		h('dt', null, t('apply.list.status')), h('dd', null, badge(label('app_status', app.status), tone(app.status)),
			app.first_bank_loan ? [' ', badge(t('apply.detail.first'))] : null));
}

async function withdraw(app) {
	if (!await confirmDialog(t('apply.detail.withdraw_confirm'), { ok: t('apply.detail.withdraw') })) return;
	try {
		await api('POST', `/applications/${app.id}/withdraw`);
		toast(t('apply.detail.withdrawn'));
		navigate(`#/sme/applications/${app.id}`);
	} catch (e) {
		toast(errorText(e), 'bad');
	}
}

async function renderDetail(main, params, query) {
	const app = (await api('GET', `/applications/${params.id}`)).json;
	const notes = [
		app.response_due_at && app.status === 'pending_bank' ? h('p', null, t('apply.detail.due', { at: datetime(app.response_due_at) })) : null,
		app.overdue ? h('p', null, badge(t('apply.detail.overdue'), 'bad')) : null,
		app.approved_amount_fen ? h('p', null, t('apply.detail.approved', { amount: yuan(app.approved_amount_fen),
			rate: pct(app.approved_rate_bps), term: months(app.approved_term_months) })) : null,
		app.reject_reason ? h('p', null, t('apply.detail.reject', { reason: app.reject_reason })) : null,
		app.loan_id ? h('p', null, h('a', { href: '#/sme/loans' }, t('apply.detail.loan', { id: app.loan_id }))) : null,
	];
	replace(main, h('h1', null, t('apply.detail.title', { id: app.id })),
		h('div', { class: 'grid two' },
			h('section', { class: 'card' }, detailFacts(app), notes,
				OPEN.includes(app.status) ? h('div', { class: 'actions' },
					h('button', { type: 'button', class: 'btn danger', onclick: () => withdraw(app) }, t('apply.detail.withdraw'))) : null),
			h('section', { class: 'card' }, h('h2', null, t('apply.detail.timeline')), timeline(app))),
		app.status === 'submitted' ? await matchesSection(app, query.get('product')) : null);
}

const SME = ['sme'];
export const routes = [
	{ path: '/sme/demand', roles: SME, nav: { zh: '融资需求', en: 'Financing demand' }, order: 6, render: renderDemand },
	{ path: '/sme/applications', roles: SME, nav: { zh: '我的申请', en: 'Applications' }, order: 7, render: renderList },
	{ path: '/sme/applications/:id', roles: SME, render: renderDetail },
];
