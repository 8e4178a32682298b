// The public pages, open to anyone: the district service's home page, the
// 东方美谷贷 landing page (any programme has the same page; the 东方美谷 park's
// one adds the park's story), the product catalogue with its filters and one
// product's page. "Apply" leads an enterprise to registration or login.

import { api, apiAll, lister, referenceData, session } from '../api.js';
import { date, months, pct, yuan } from '../format.js';
import { register, t } from '../i18n.js';
import { label, options, refName } from '../labels.js';
import { h, pagedTable, replace } from '../ui.js';

register({
	zh: {
		'public.nav.home': '首页', 'public.nav.meigu': '东方美谷贷', 'public.nav.products': '贷款产品',
		'public.home.title': '奉贤区信易贷：凭信用，快融资',
		'public.home.lead': '信易贷是奉贤区为中小微企业提供的融资对接服务。企业凭纳税、社保、公积金、知识产权等公共信用记录获得信用评分，银行据此更快、更便宜地放贷，区财政局的风险补偿资金与银行共担风险。',
		'public.home.register': '企业注册', 'public.home.browse': '浏览贷款产品', 'public.home.meigu_cta': '了解东方美谷贷',
		'public.home.for': '为谁服务',
		'public.home.for_sme': '中小微企业：查看自己的信用评分与理由，申请进入融资需求企业白名单，提交融资需求，得到逐条说明理由的产品匹配。',
		'public.home.for_bank': '银行等金融机构：发布贷款产品，在企业授权范围内查看信用详情，限时受理申请。',
		'public.home.for_gov': '园区与区财政局：推荐企业、审核白名单、管理风险补偿资金，随时看到全区融资统计。',
		'public.home.how': '怎么办理', 'public.home.step1': '用统一社会信用代码注册企业账户',
		'public.home.step2': '查看信用评分，申请进入白名单', 'public.home.step3': '填写融资需求，查看匹配的产品与理由',
		'public.home.step4': '选择产品提交，银行在 3 个工作日内响应',
		'public.home.privacy': '您的信用详情只有您授权的金融机构才能查看，每一次查看都会记录，您可以随时查看并撤回授权。',
		'public.home.programs': '专项融资项目', 'public.home.products': '{n} 个合作产品',
		'public.meigu.apply': '立即申请', 'public.meigu.login': '已有账户？登录', 'public.meigu.products': '项目产品',
		'public.meigu.terms': '风险共担与贴息', 'public.meigu.fund_share': '风险补偿资金分担',
		'public.meigu.bank_share': '银行分担', 'public.meigu.guarantor_share': '担保机构分担', 'public.meigu.subsidy': '贴息（年化）',
		'public.meigu.cap': '单户上限', 'public.meigu.story': '关于东方美谷',
		'public.meigu.story1': '东方美谷是奉贤区以美丽健康产业为主导的产业品牌和产业集聚区，汇集了化妆品、生物医药、健康食品等领域的企业，其中多数是中小企业。',
		'public.meigu.story2': '这些企业往往轻资产、重研发，缺少可以抵押的房产，但有持续的纳税、社保和知识产权记录。东方美谷贷把这些信用记录变成融资的依据：园区推荐企业进入融资需求企业白名单，区财政局审核，合作银行提供信用贷款和知识产权质押等产品，区风险补偿资金按约定比例分担可能的损失。',
		'public.meigu.story3': '项目的条件、利率和分担比例都在本页公开，以合作银行的最终审批为准。',
		'public.meigu.none': '暂未找到东方美谷贷项目', 'public.meigu.who': '园区：{park}',
		'public.products.title': '贷款产品', 'public.products.kind': '产品类型', 'public.products.inst': '金融机构',
		'public.products.program': '专项项目', 'public.products.any': '全部', 'public.products.name': '产品',
		'public.products.amount': '额度', 'public.products.rate': '年利率', 'public.products.term': '期限',
		'public.products.filter': '筛选', 'public.products.detail': '查看',
		'public.product.criteria': '申请条件', 'public.product.min_grade': '最低信用等级', 'public.product.min_score': '最低信用分',
		'public.product.industries': '行业', 'public.product.towns': '街镇', 'public.product.parks': '园区',
		'public.product.min_years': '最短经营年限', 'public.product.min_revenue': '最低年营业收入',
		'public.product.tags': '所需资质', 'public.product.whitelist': '仅限白名单企业', 'public.product.yes': '是',
		'public.product.years': '{n} 年', 'public.product.none': '不限', 'public.product.collateral': '担保方式',
		'public.product.program': '所属项目', 'public.product.apply': '申请这个产品',
	},
	en: {
		'public.nav.home': 'Home', 'public.nav.meigu': 'Oriental Beauty Valley Loan', 'public.nav.products': 'Loan products',
		'public.home.title': 'Fengxian Credit Easy Loan: credit that gets you financed',
		'public.home.lead': 'Credit Easy Loan is Fengxian District\'s financing service for small and micro enterprises. An enterprise\'s public credit record (tax, social security, housing fund, intellectual property …) becomes a credit score; banks lend faster and cheaper on it, and the district finance bureau\'s risk compensation fund shares the risk with them.',
		'public.home.register': 'Register an enterprise', 'public.home.browse': 'Browse loan products',
		'public.home.meigu_cta': 'About the Oriental Beauty Valley Loan', 'public.home.for': 'Who it is for',
		'public.home.for_sme': 'Small enterprises: see your credit score and why, apply for the financing whitelist, file a demand and get matching products explained point by point.',
		'public.home.for_bank': 'Banks and other institutions: publish loan products, read credit detail where the enterprise authorised it, answer applications on time.',
		'public.home.for_gov': 'Parks and the finance bureau: recommend enterprises, review the whitelist, run the risk compensation fund and see the district\'s figures at any time.',
		'public.home.how': 'How it works', 'public.home.step1': 'Register with your unified social credit code',
		'public.home.step2': 'See your credit score and apply for the whitelist', 'public.home.step3': 'File a financing demand and see the matching products with reasons',
		'public.home.step4': 'Submit to a product; the bank answers within 3 working days',
		'public.home.privacy': 'Only institutions you authorise can read your credit detail; every read is logged, and you can see it and withdraw consent at any time.',
		'public.home.programs': 'Programmes', 'public.home.products': '{n} partner products',
		'public.meigu.apply': 'Apply now', 'public.meigu.login': 'Have an account? Log in', 'public.meigu.products': 'The programme\'s products',
		'public.meigu.terms': 'Risk sharing and interest subsidy', 'public.meigu.fund_share': 'Risk fund\'s share',
		'public.meigu.bank_share': 'Bank\'s share', 'public.meigu.guarantor_share': 'Guarantor\'s share',
		'public.meigu.subsidy': 'Interest subsidy (annual)', 'public.meigu.cap': 'Cap per enterprise', 'public.meigu.story': 'About Oriental Beauty Valley',
		'public.meigu.story1': 'Oriental Beauty Valley (东方美谷) is Fengxian District\'s brand and cluster for the beauty and health industry: cosmetics, biomedicine and health food companies, most of them small.',
		'public.meigu.story2': 'Such firms are often light in assets and heavy in research, with no property to pledge but a steady record of taxes, social security and intellectual property. The programme turns that record into grounds for lending: the park recommends enterprises for the financing whitelist, the finance bureau reviews them, partner banks offer credit loans and IP-pledge loans, and the district\'s risk compensation fund shares possible losses in agreed proportions.',
		'public.meigu.story3': 'The programme\'s conditions, rates and shares are published on this page; the partner bank\'s approval decides each loan.',
		'public.meigu.none': 'The Oriental Beauty Valley Loan programme was not found', 'public.meigu.who': 'Park: {park}',
		'public.products.title': 'Loan products', 'public.products.kind': 'Kind', 'public.products.inst': 'Institution',
		'public.products.program': 'Programme', 'public.products.any': 'All', 'public.products.name': 'Product',
		'public.products.amount': 'Amount', 'public.products.rate': 'Annual rate', 'public.products.term': 'Term',
		'public.products.filter': 'Filter', 'public.products.detail': 'View',
		'public.product.criteria': 'Who may apply', 'public.product.min_grade': 'Minimum credit grade', 'public.product.min_score': 'Minimum credit score',
		'public.product.industries': 'Industries', 'public.product.towns': 'Towns', 'public.product.parks': 'Parks',
		'public.product.min_years': 'Years in business', 'public.product.min_revenue': 'Minimum annual revenue',
		'public.product.tags': 'Required qualifications', 'public.product.whitelist': 'Whitelisted enterprises only',
		'public.product.yes': 'Yes', 'public.product.years': '{n} years', 'public.product.none': 'Any',
		'public.product.collateral': 'Collateral', 'public.product.program': 'Programme', 'public.product.apply': 'Apply for this product',
	},
});

const MEIGU_PARK_CODE = 'oriental_beauty_valley';

/** "¥100,000.00 – ¥5,000,000.00", "3.10% – 4.20%", "6 – 36 个月". */
export function amountRange(p) {
	return `${yuan(p.amount_min_fen)} – ${yuan(p.amount_max_fen)}`;
}
export function rateRange(p) {
	return p.rate_min_bps === p.rate_max_bps ? pct(p.rate_min_bps) : `${pct(p.rate_min_bps)} – ${pct(p.rate_max_bps)}`;
}
export function termRange(p) {
	return `${p.term_min_months} – ${months(p.term_max_months)}`;
}

/** Where "apply" leads: the demand form for a logged-in enterprise, else registration. */
async function applyHref(productId) {
	const s = await session().catch(() => null);
	if (s && s.role === 'sme') return productId ? `#/sme/demand?product=${productId}` : '#/sme/demand';
	return '#/register';
}

async function renderHome(main) {
	const programs = (await api('GET', '/programs', { query: { limit: 20 } })).json.items;
	replace(main,
		h('section', { class: 'hero' },
			h('h1', null, t('public.home.title')),
			h('p', null, t('public.home.lead')),
			h('div', { class: 'actions' },
				h('a', { class: 'btn', href: '#/register' }, t('public.home.register')),
				h('a', { class: 'btn secondary', href: '#/products' }, t('public.home.browse')),
				h('a', { class: 'btn secondary', href: '#/meigu' }, t('public.home.meigu_cta')))),
		h('h2', null, t('public.home.how')),
		h('ol', { class: 'steps' }, ['step1', 'step2', 'step3', 'step4'].map((k) => h('li', null, t(`public.home.${k}`)))),
		h('h2', null, t('public.home.for')),
		h('div', { class: 'grid three' }, ['for_sme', 'for_bank', 'for_gov'].map((k) =>
			h('div', { class: 'card' }, h('p', null, t(`public.home.${k}`))))),
		h('p', { class: 'card' }, t('public.home.privacy')),
		programs.length ? h('h2', null, t('public.home.programs')) : null,
		h('div', { class: 'grid two' }, programs.map((g) => h('article', { class: 'card' },
			h('h3', null, h('a', { href: `#/programs/${g.id}` }, g.name)),
			h('p', { class: 'muted' }, t('public.meigu.who', { park: g.park_name }), ' · ',
				t('public.home.products', { n: g.products.length })),
			h('p', null, g.description)))));
}

/** The 东方美谷贷 programme: the one run for the 东方美谷 park. */
async function findMeigu() {
	const [parks, programs] = await Promise.all([api('GET', '/parks'), apiAll('/programs')]);
	const park = parks.json.items.find((p) => p.code === MEIGU_PARK_CODE);
	const ofPark = programs.filter((g) => park && g.park_id === park.id);
	// The brand's own programme by name; else the park's programme with the most products.
	return ofPark.find((g) => g.name === '东方美谷贷')
		|| ofPark.sort((a, b) => b.products.length - a.products.length)[0]
		|| programs.find((g) => g.name.includes('东方美谷')) || null;
}

async function renderMeigu(main) {
	const g = await findMeigu();
	if (!g) return void replace(main, h('section', { class: 'card' }, h('h1', null, t('public.meigu.none'))));
	return renderProgram(main, { id: g.id });
}

async function renderProgram(main, params) {
	const g = (await api('GET', `/programs/${params.id}`)).json;
	const parks = (await api('GET', '/parks')).json.items;
	const isMeigu = parks.some((p) => p.id === g.park_id && p.code === MEIGU_PARK_CODE);
	const products = await apiAll('/products', { program_id: g.id });
	const href = await applyHref();
	replace(main,
		h('section', { class: 'hero' },
			h('h1', null, g.name),
			h('p', null, t('public.meigu.who', { park: g.park_name })),
			h('p', null, g.description),
			h('div', { class: 'actions' },
				h('a', { class: 'btn', href }, t('public.meigu.apply')),
				href === '#/register' ? h('a', { class: 'btn secondary', href: '#/login?next=%23%2Fsme%2Fdemand' }, t('public.meigu.login')) : null)),
		isMeigu ? h('section', { class: 'card' }, h('h2', null, t('public.meigu.story')),
			h('p', null, t('public.meigu.story1')), h('p', null, t('public.meigu.story2')),
			h('p', { class: 'muted' }, t('public.meigu.story3'))) : null,
		h('h2', null, t('public.meigu.terms')),
		h('div', { class: 'stats' },
			stat(t('public.meigu.fund_share'), pct(g.fund_share_bps)),
			stat(t('public.meigu.bank_share'), pct(g.bank_share_bps)),
			stat(t('public.meigu.guarantor_share'), pct(g.guarantor_share_bps)),
			stat(t('public.meigu.subsidy'), pct(g.interest_subsidy_bps)),
			g.max_amount_per_enterprise_fen ? stat(t('public.meigu.cap'), yuan(g.max_amount_per_enterprise_fen)) : null),
		h('h2', null, t('public.meigu.products')),
		h('div', { class: 'grid two' }, products.map(productCard)));
}

function stat(k, v) {
	return h('div', { class: 'stat' }, h('span', { class: 'v' }, v), h('span', { class: 'k' }, k));
}

function productCard(p) {
	return h('article', { class: 'card' },
		h('h3', null, h('a', { href: `#/products/${p.id}` }, p.name)),
		h('p', { class: 'muted' }, `${p.institution_name} · ${label('kind', p.kind)} · ${label('collateral', p.collateral)}`),
		h('dl', { class: 'kv' },
			h('dt', null, t('public.products.rate')), h('dd', null, rateRange(p)),
			h('dt', null, t('public.products.amount')), h('dd', null, amountRange(p)),
			h('dt', null, t('public.products.term')), h('dd', null, termRange(p))),
		p.description ? h('p', null, p.description) : null);
}

function selectFilter(name, labelText, opts, value, onChange) {
	const id = `filter-${name}`;
	return h('div', null, h('label', { for: id }, labelText),
		h('select', { id, name, onchange: onChange },
			h('option', { value: '' }, t('public.products.any')),
			opts.map((o) => h('option', { value: o.value, selected: String(o.value) === value }, o.label))));
}

async function renderCatalogue(main, params, query) {
	const [all, programs] = await Promise.all([apiAll('/products'), apiAll('/programs')]);
	const insts = [...new Map(all.map((p) => [p.institution_id, p.institution_name])).entries()]
		.map(([value, name]) => ({ value, label: name })).sort((a, b) => a.label.localeCompare(b.label, 'zh'));
	const filters = { kind: query.get('kind') || '', institution_id: query.get('institution_id') || '',
		program_id: query.get('program_id') || '' };
	const onChange = (ev) => {
		filters[ev.target.name] = ev.target.value;
		const qs = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();
		history.replaceState(null, '', `#/products${qs ? `?${qs}` : ''}`);
		table.reload();
	};
	const table = pagedTable({
		caption: t('public.products.title'),
		columns: [
			{ label: t('public.products.name'), render: (p) => h('a', { href: `#/products/${p.id}` }, p.name) },
			{ label: t('public.products.inst'), key: 'institution_name' },
			{ label: t('public.products.kind'), render: (p) => label('kind', p.kind) },
			{ label: t('public.products.rate'), render: rateRange, num: true },
			{ label: t('public.products.amount'), render: amountRange, num: true },
			{ label: t('public.products.term'), render: termRange },
			{ label: t('public.products.program'), render: (p) => p.program_name || '—' },
		],
		load: lister('/products', filters),
	});
	replace(main, h('h1', null, t('public.products.title')),
		h('div', { class: 'filters', role: 'search', 'aria-label': t('public.products.filter') },
			selectFilter('kind', t('public.products.kind'), options('kind'), filters.kind, onChange),
			selectFilter('institution_id', t('public.products.inst'), insts, filters.institution_id, onChange),
			selectFilter('program_id', t('public.products.program'), programs.map((g) => ({ value: g.id, label: g.name })),
				filters.program_id, onChange)),
		table);
	await table.ready;
}

function criteriaList(c, refs) {
	const none = t('public.product.none');
	const named = (list, items, key = 'code') => (list && list.length
		? list.map((v) => { const r = items.find((x) => x[key] === v); return r ? refName(r) : v; }).join('、')
		: none);
	const rows = [
		['min_grade', c.min_grade || none], ['min_score', c.min_score ?? none],
		['industries', named(c.industries, refs.industries)], ['towns', named(c.towns, refs.towns)],
		['parks', named(c.park_ids, refs.parks, 'id')],
		['min_years', c.min_years ? t('public.product.years', { n: c.min_years }) : none],
		['min_revenue', c.min_revenue_fen ? yuan(c.min_revenue_fen) : none],
		['tags', c.required_tags && c.required_tags.length ? c.required_tags.map((x) => label('tag', x)).join('、') : none],
		['whitelist', c.whitelist_only ? t('public.product.yes') : none],
	];
	return h('dl', { class: 'kv' }, rows.flatMap(([k, v]) => [h('dt', null, t(`public.product.${k}`)), h('dd', null, String(v))]));
}

async function renderProduct(main, params) {
	const [p, refs] = await Promise.all([api('GET', `/products/${params.id}`).then((r) => r.json), referenceData()]);
	const href = await applyHref(p.id);
	replace(main, h('h1', null, p.name),
		h('p', { class: 'muted' }, `${p.institution_name} · ${label('kind', p.kind)}`),
		h('div', { class: 'grid two' },
			h('section', { class: 'card' }, h('dl', { class: 'kv' },
				h('dt', null, t('public.products.rate')), h('dd', null, rateRange(p)),
				h('dt', null, t('public.products.amount')), h('dd', null, amountRange(p)),
				h('dt', null, t('public.products.term')), h('dd', null, termRange(p)),
				h('dt', null, t('public.product.collateral')), h('dd', null, label('collateral', p.collateral)),
				p.program_name ? [h('dt', null, t('public.product.program')),
					h('dd', null, h('a', { href: `#/programs/${p.program_id}` }, p.program_name))] : null),
			p.description ? h('p', null, p.description) : null,
			h('div', { class: 'actions' }, h('a', { class: 'btn', href }, t('public.product.apply')))),
			h('section', { class: 'card' }, h('h2', null, t('public.product.criteria')),
				criteriaList(p.criteria || {}, refs))),
		h('p', { class: 'muted' }, date(p.updated_at)));
}

export const routes = [
	{ path: '/', nav: { zh: '首页', en: 'Home' }, order: -2, render: renderHome },
	{ path: '/meigu', nav: { zh: '东方美谷贷', en: 'Oriental Beauty Valley Loan' }, order: -1, render: renderMeigu },
	{ path: '/products', nav: { zh: '贷款产品', en: 'Loan products' }, navAlways: true, order: 50, render: renderCatalogue },
	{ path: '/products/:id', render: renderProduct },
	{ path: '/programs/:id', render: renderProgram },
];
