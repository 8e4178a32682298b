// A bank's loan products: the list of its own in every status, the form that
// creates or edits one (amount, rate and term ranges, eligibility criteria)
// validating as the officer types, the status steps (activate, pause, retire),
// and for each product the approved-whitelist enterprises ranked by fit with
// the reason for every criterion (GET /products/{id}/candidates).

import { api, apiAll, lister } from '../api.js';
import { serverText, t } from '../i18n.js';
import { fenToYuanInput, months, parseYuanToFen, pct, yuan } from '../format.js';
import { refName } from '../labels.js';
import { badge, h, navigate, pagedTable, toast } from '../ui.js';
import { actionButton, bpsToPctInput, card, intIn, pageTop, parsePctToBps, pctIn, refData,
	registerPairs, simpleForm, stateBadge, word, wordOptions, yuanIn } from './bank_common.js';

registerPairs('bankp', {
	title: ['我的贷款产品', 'Our loan products'], new: ['发布新产品', 'New product'],
	'new.title': ['发布贷款产品', 'Publish a loan product'], 'edit.title': ['产品：{name}', 'Product: {name}'],
	name: ['产品名称', 'Product name'], kind: ['产品类型', 'Kind'], collateral: ['担保方式', 'Collateral'],
	amount_min: ['最低金额（元）', 'Minimum amount (yuan)'], amount_max: ['最高金额（元）', 'Maximum amount (yuan)'],
	rate_min: ['最低年利率（%）', 'Lowest annual rate (%)'], rate_max: ['最高年利率（%）', 'Highest annual rate (%)'],
	term_min: ['最短期限（月）', 'Shortest term (months)'], term_max: ['最长期限（月）', 'Longest term (months)'],
	min_le_max: ['最低值不能高于最高值', 'The minimum may not exceed the maximum'],
	capacity: ['每月可受理笔数', 'Monthly capacity'], program: ['所属政策产品', 'Programme'], no_program: ['不属于任何政策', 'None'],
	description: ['产品说明', 'Description'], status: ['状态', 'Status'],
	criteria: ['准入条件', 'Eligibility criteria'], min_grade: ['最低信用等级', 'Lowest grade'],
	min_score: ['最低信用分', 'Lowest score'], industries: ['行业（GB/T 4754 代码，逗号分隔，如 C26, F）',
		'Industries (GB/T 4754 codes, comma-separated, e.g. C26, F)'],
	bad_industry: ['未知的行业代码：{code}', 'Unknown industry code: {code}'], towns: ['街镇', 'Towns'],
	parks: ['园区', 'Parks'], min_years: ['最少经营年限', 'Minimum years in business'],
	min_revenue: ['最低年营业收入（元）', 'Minimum annual revenue (yuan)'], tags: ['须具备的资质', 'Required tags'],
	whitelist_only: ['仅限白名单企业', 'Whitelisted enterprises only'],
	created: ['产品已创建', 'Product created'], saved: ['产品已保存', 'Product saved'],
	activate: ['上架', 'Activate'], pause: ['暂停', 'Pause'], retire: ['下架', 'Retire'],
	'activate.confirm': ['确认上架该产品？企业将能看到并申请。', 'Activate the product? Enterprises will see it and may apply.'],
	'pause.confirm': ['确认暂停该产品？暂停期间不接受新申请。', 'Pause the product? No new applications while paused.'],
	'retire.confirm': ['确认下架该产品？下架后不可恢复。', 'Retire the product? This cannot be undone.'],
	status_changed: ['产品状态已更新', 'Product status changed'],
	candidates: ['白名单企业推荐（按匹配度排序）', 'Whitelisted enterprises, best fit first'],
	candidates_lead: ['只显示已获批白名单、满足本产品条件的企业；信用详情需企业授权后方可查看。',
		'Only approved-whitelist enterprises that meet this product\'s criteria; credit detail needs the enterprise\'s consent.'],
	eligible_total: ['共 {n} 家符合条件', '{n} eligible in all'],
	rank: ['排名', 'Rank'], enterprise: ['企业', 'Enterprise'], grade: ['信用等级', 'Grade'], score: ['信用分', 'Score'],
	fit: ['匹配度', 'Fit'], reasons: ['匹配理由', 'Reasons'], show_reasons: ['查看 {n} 项理由', 'Show {n} reasons'],
	edit: ['编辑', 'Edit'], range_amount: ['金额', 'Amount'], range_rate: ['年利率', 'Rate'], range_term: ['期限', 'Term'],
	'tag.hi_tech': ['高新技术企业', 'High-tech'], 'tag.specialized': ['专精特新', 'Specialised'],
	'tag.tech_sme': ['科技型中小企业', 'Tech SME'], 'tag.agri_entity': ['新型农业经营主体', 'Agricultural entity'],
	'tag.integrity_model': ['诚信示范企业', 'Integrity model'],
	passed: ['满足', 'met'], failed: ['不满足', 'not met'],
	colon: ['：', ': '], 'crit.status': ['产品状态', 'Product status'], 'crit.capacity': ['本月名额', 'Monthly places'],
	'crit.amount': ['金额', 'Amount'], 'crit.term': ['期限', 'Term'], 'crit.collateral': ['担保', 'Collateral'],
	'crit.program_cap': ['政策单户上限', 'Programme cap'], 'crit.min_grade': ['信用等级', 'Grade'],
	'crit.min_score': ['信用分', 'Score'], 'crit.industry': ['行业', 'Industry'], 'crit.town': ['街镇', 'Town'],
	'crit.park': ['园区', 'Park'], 'crit.years_in_business': ['经营年限', 'Years in business'],
	'crit.revenue': ['营业收入', 'Revenue'], 'crit.tags': ['资质', 'Tags'], 'crit.whitelist': ['白名单', 'Whitelist'],
	'crit.dishonest_debtor': ['失信记录', 'Dishonest debtor'],
});

const KINDS = ['credit', 'guarantee', 'mortgage', 'ip_pledge', 'receivables'];
const COLLATERALS = ['none', 'property', 'ip', 'equipment', 'receivables'];
const TAGS = ['hi_tech', 'specialized', 'tech_sme', 'agri_entity', 'integrity_model'];
const AMOUNT_MAX_FEN = 1e15;

async function renderList(main) {
	pageTop(main, t('bankp.title'));
	main.append(h('p', null, h('a', { class: 'btn', href: '#/bank/products/new' }, t('bankp.new'))));
	const table = pagedTable({
		columns: [
			{ label: t('bankp.name'), render: (p) => h('a', { href: `#/bank/products/${p.id}` }, p.name) },
			{ label: t('bankp.kind'), render: (p) => word('kind', p.kind) },
			{ label: t('bankp.range_amount'), render: (p) => `${yuan(p.amount_min_fen)} – ${yuan(p.amount_max_fen)}` },
			{ label: t('bankp.range_rate'), render: (p) => `${pct(p.rate_min_bps)} – ${pct(p.rate_max_bps)}` },
			{ label: t('bankp.range_term'), render: (p) => `${p.term_min_months}–${months(p.term_max_months)}` },
			{ label: t('bankp.status'), render: (p) => stateBadge(p.status) },
		],
		load: lister('/products', { mine: 1 }),
	});
	main.append(card(null, table));
	await table.ready;
}

/** Parses "C26, F" into codes; throws the first unknown one's message. */
function parseIndustries(text, sections) {
	const codes = text.split(/[,，\s]+/).map((s) => s.trim().toUpperCase()).filter(Boolean);
	for (const c of codes) {
		const sec = sections.find((s) => s.code === c[0]);
		const div = c.length > 1 ? Number(c.slice(1)) : null;
		if (!sec || (c.length > 1 && (!/^[A-Z]\d{2}$/.test(c) || div < sec.division_min || div > sec.division_max)))
			throw new Error(t('bankp.bad_industry', { code: c }));
	}
	return codes;
}

/** Makes a pair of min/max fields re-check each other as either changes. */
function linkPair(minField, maxField, toNumber) {
	const check = (v) => {
		const a = toNumber(minField.getValue()), b = toNumber(maxField.getValue());
		return a !== null && b !== null && a > b ? t('bankp.min_le_max') : '';
	};
	for (const [f, other] of [[minField, maxField], [maxField, minField]])
		f.control.addEventListener('input', () => { if (other.getValue() !== '') other.check(); });
	return check;
}

function both(...validators) {
	return (v) => validators.map((f) => f(v)).find(Boolean) || '';
}

function rangeFields(p) {
	const yuanNum = (v) => parseYuanToFen(v);
	const pctNum = (v) => parsePctToBps(v);
	const intNum = (v) => (/^\d+$/.test(v) ? Number(v) : null);
	const pairs = [
		['amount_min', 'amount_max', fenToYuanInput(p.amount_min_fen), fenToYuanInput(p.amount_max_fen), yuanIn(1, AMOUNT_MAX_FEN), yuanNum, 'decimal'],
		['rate_min', 'rate_max', bpsToPctInput(p.rate_min_bps), bpsToPctInput(p.rate_max_bps), pctIn(1, 3600), pctNum, 'decimal'],
		['term_min', 'term_max', p.term_min_months, p.term_max_months, intIn(1, 360), intNum, 'numeric'],
	];
	const out = [];
	for (const [a, b, va, vb, base, num, mode] of pairs) {
		const fa = { name: a, label: t(`bankp.${a}`), required: true, inputmode: mode, value: va };
		const fb = { name: b, label: t(`bankp.${b}`), required: true, inputmode: mode, value: vb };
		out.push(fa, fb);
		fa.link = fb.link = { base, num };
	}
	return out;
}

/** The criteria fields of a product (p may be empty for a new one). */
function criteriaFields(p, ref, programs) {
	const c = p.criteria || {};
	return [
		{ name: 'program_id', label: t('bankp.program'), type: 'select', value: p.program_id ?? '',
			options: [{ value: '', label: t('bankp.no_program') }, ...programs.map((g) => ({ value: g.id, label: g.name }))] },
		{ name: 'min_grade', label: t('bankp.min_grade'), type: 'select', value: c.min_grade ?? '',
			options: [{ value: '', label: t('w2.any') }, ...['A', 'B', 'C', 'D'].map((g) => ({ value: g, label: g }))] },
		{ name: 'min_score', label: t('bankp.min_score'), inputmode: 'numeric', value: c.min_score, validate: intIn(0, 1000) },
		{ name: 'industries', label: t('bankp.industries'), value: (c.industries || []).join(', '),
			validate: (v) => { try { parseIndustries(v, ref.industries); return ''; } catch (e) { return e.message; } } },
		{ name: 'towns', label: t('bankp.towns'), type: 'checkboxes', value: c.towns || [],
			options: ref.towns.map((x) => ({ value: x.code, label: refName(x) })) },
		{ name: 'park_ids', label: t('bankp.parks'), type: 'checkboxes', value: c.park_ids || [],
			options: ref.parks.map((x) => ({ value: String(x.id), label: refName(x) })) },
		{ name: 'min_years', label: t('bankp.min_years'), inputmode: 'numeric', value: c.min_years, validate: intIn(0, 100) },
		{ name: 'min_revenue', label: t('bankp.min_revenue'), inputmode: 'decimal', value: fenToYuanInput(c.min_revenue_fen),
			validate: yuanIn(0, AMOUNT_MAX_FEN) },
		{ name: 'required_tags', label: t('bankp.tags'), type: 'checkboxes', value: c.required_tags || [],
			options: TAGS.map((x) => ({ value: x, label: t(`bankp.tag.${x}`) })) },
		{ name: 'whitelist_only', label: t('bankp.whitelist_only'), type: 'checkbox', value: Boolean(c.whitelist_only) },
	];
}

function productFields(p, ref, programs) {
	const isNew = !p.id;
	const fields = [
		{ name: 'name', label: t('bankp.name'), required: true, value: p.name, attrs: { maxlength: 100 } },
		{ name: 'kind', label: t('bankp.kind'), type: 'select', value: p.kind || 'credit', options: wordOptions('kind', KINDS) },
		{ name: 'collateral', label: t('bankp.collateral'), type: 'select', value: p.collateral || 'none',
			options: wordOptions('col', COLLATERALS) },
		...rangeFields(p),
		{ name: 'monthly_capacity', label: t('bankp.capacity'), required: true, inputmode: 'numeric',
			value: p.monthly_capacity ?? 20, validate: intIn(1, 100000) },
		...criteriaFields(p, ref, programs),
		{ name: 'description', label: t('bankp.description'), type: 'textarea', value: p.description },
	];
	if (isNew) fields.push({ name: 'status', label: t('bankp.status'), type: 'select', value: 'draft',
		options: wordOptions('st', ['draft', 'active']) });
	return fields;
}

/** The request body from the form's values. */
function bodyOf(v, ref) {
	const nullIf = (x, f) => (x === '' || x === null ? null : f(x));
	const body = {
		name: v.name, kind: v.kind, collateral: v.collateral,
		amount_min_fen: parseYuanToFen(v.amount_min), amount_max_fen: parseYuanToFen(v.amount_max),
		rate_min_bps: parsePctToBps(v.rate_min), rate_max_bps: parsePctToBps(v.rate_max),
		term_min_months: Number(v.term_min), term_max_months: Number(v.term_max),
		monthly_capacity: Number(v.monthly_capacity), program_id: nullIf(v.program_id, Number),
		description: v.description || '',
		criteria: {
			min_grade: v.min_grade || null, min_score: nullIf(v.min_score, Number),
			industries: parseIndustries(v.industries || '', ref.industries), towns: v.towns,
			park_ids: v.park_ids.map(Number), min_years: nullIf(v.min_years, Number),
			min_revenue_fen: nullIf(v.min_revenue, parseYuanToFen), required_tags: v.required_tags,
			whitelist_only: v.whitelist_only,
		},
	};
	if (v.status) body.status = v.status;
	return body;
}

function productForm(p, ref, programs) {
	const specs = productFields(p, ref, programs);
	const form = simpleForm({
		className: 'form form-grid',
		fields: specs.map((s) => ({ ...s, link: undefined })),
		submitLabel: p.id ? t('w2.save') : t('bankp.new'),
		submit: async (v) => {
			if (p.id) {
				const body = bodyOf(v, ref);
				await api('PATCH', `/products/${p.id}`, { body });
				toast(t('bankp.saved'));
				navigate(`#/bank/products/${p.id}`);
			} else {
				const { json } = await api('POST', '/products', { body: bodyOf(v, ref) });
				toast(t('bankp.created'));
				navigate(`#/bank/products/${json.id}`);
			}
		},
	});
	for (const s of specs.filter((x) => x.link && x.name.endsWith('_min'))) {
		const fa = form.fields[s.name], fb = form.fields[s.name.replace(/_min$/, '_max')];
		const order = linkPair(fa, fb, s.link.num);
		attachValidator(fa, both(s.link.base, order));
		attachValidator(fb, both(s.link.base, order));
	}
	return form;
}

/** Gives a field made by formField a validator after the fact (pairs need both fields to exist). */
function attachValidator(field, validate) {
	const plain = field.check;
	field.check = () => {
		if (!plain()) return false;
		const v = field.getValue();
		const msg = v === '' ? '' : validate(v);
		field.setError(msg);
		return !msg;
	};
}

async function renderNew(main) {
	const [ref, programs] = await Promise.all([refData(), apiAll('/programs')]);
	pageTop(main, t('bankp.new.title'));
	main.append(card(null, productForm({}, ref, programs)));
}

function statusActions(p) {
	const step = (label, status, confirm) => actionButton(t(`bankp.${label}`), {
		kind: label === 'retire' ? 'secondary' : '', confirm: t(`bankp.${label}.confirm`), done: t('bankp.status_changed'),
		run: () => api('PATCH', `/products/${p.id}`, { body: { status } }),
		after: () => navigate(`#/bank/products/${p.id}`),
	});
	return h('div', { class: 'actions' },
		['draft', 'paused'].includes(p.status) ? step('activate', 'active') : null,
		p.status === 'active' ? step('pause', 'paused') : null,
		p.status !== 'retired' ? step('retire', 'retired') : null);
}

/** The name of a matching criterion in the current language. */
export function criterionName(c) {
	const key = `bankp.crit.${c}`;
	const s = t(key);
	return s === key ? c : s;
}

function reasonsList(reasons) {
	const shown = reasons.filter((r) => r.checked !== false);
	return h('details', null, h('summary', null, t('bankp.show_reasons', { n: shown.length })),
		h('ul', { class: 'reasons' }, shown.map((r) => h('li', { class: r.passed ? 'pass' : 'fail' },
			h('span', { class: 'sr-only' }, r.passed ? t('bankp.passed') : t('bankp.failed')),
			`${criterionName(r.criterion)}${t('bankp.colon')}${serverText(r, 'detail')}`))));
}

const CANDIDATES_PAGE = 100, CANDIDATES_MAX = 500;

async function candidatesCard(p) {
	const total = h('p', { class: 'muted' });
	const table = pagedTable({
		columns: [
			{ label: t('bankp.rank'), render: (c) => String(c.rank) },
			{ label: t('bankp.enterprise'), key: 'name' },
			{ label: t('bankp.grade'), render: (c) => badge(c.grade, c.grade === 'A' || c.grade === 'B' ? 'ok' : '') },
			{ label: t('bankp.score'), num: true, key: 'score' },
			{ label: t('bankp.fit'), num: true, key: 'fit' },
			{ label: t('bankp.reasons'), render: (c) => reasonsList(c.reasons || []) },
		],
		// The API answers the best `limit` (at most 500); a page is the next
		// 100 of a longer ranking, the cursor how many are shown already.
		load: async (cursor) => {
			const shown = Number(cursor) || 0;
			const limit = Math.min(shown + CANDIDATES_PAGE, CANDIDATES_MAX);
			const { json } = await api('GET', `/products/${p.id}/candidates`, { query: { limit } });
			const eligible = json.eligible_total ?? json.items.length;
			total.textContent = t('bankp.eligible_total', { n: eligible });
			const more = json.items.length === limit && limit < Math.min(eligible, CANDIDATES_MAX);
			return { items: json.items.slice(shown).map((c, i) => ({ ...c, rank: shown + i + 1 })), next_cursor: more ? String(limit) : null };
		},
	});
	await table.ready;
	return card(t('bankp.candidates'), h('p', null, t('bankp.candidates_lead')), total, table);
}

async function renderProduct(main, params) {
	const [{ json: p }, ref, programs] = await Promise.all([api('GET', `/products/${params.id}`), refData(),
		apiAll('/programs')]);
	pageTop(main, t('bankp.edit.title', { name: p.name }));
	main.append(card(null, h('p', null, t('bankp.status'), ' ', stateBadge(p.status)), statusActions(p)));
	main.append(await candidatesCard(p));
	main.append(h('details', { class: 'card' }, h('summary', null, t('bankp.edit')), productForm(p, ref, programs)));
}

export const routes = [
	{ path: '/bank/products', roles: ['bank'], nav: { zh: '我的产品', en: 'Our products' }, render: renderList },
	{ path: '/bank/products/new', roles: ['bank'], render: renderNew },
	{ path: '/bank/products/:id', roles: ['bank'], render: renderProduct },
];
