// The enterprise's credit score, factor by factor (points against the
// factor's maximum, the scorecard's own explanation, and the records behind
// it: those that counted and those that did not, with why), and its data
// consent: which institutions may read the credit detail, who did read it and
// under which authorisation, with grant and revoke.

import { api, apiAll, lister } from '../api.js';
import { date, datetime, today, yuan } from '../format.js';
import { register, serverText, t } from '../i18n.js';
import { label, tone } from '../labels.js';
import { badge, chart, confirmDialog, errorText, formField, h, pagedTable, replace, showServerError, toast, validateForm } from '../ui.js';

register({
	zh: {
		'credit.title': '信用评分', 'credit.score': '信用分', 'credit.grade': '等级', 'credit.model': '评分模型 {v}，计算于 {at}',
		'credit.scale': '等级：A ≥ 800，B 650–799，C 500–649，D < 500。起始分 400，各项加减后限定在 0–1000。',
		'credit.factors': '评分因素', 'credit.points': '{p} 分', 'credit.of': '满分 {m}', 'credit.deduct_only': '只扣分的项目',
		'credit.detail': '计算说明', 'credit.colon': '：', 'credit.counted': '计入评分的记录', 'credit.not_counted': '未计入的记录',
		'credit.none': '无', 'credit.records': '全部信用记录', 'credit.no_score': '尚未评分：信用记录导入后会自动计算。',
		'credit.dishonest': '存在未修复的失信被执行人记录：信用分最高 499，等级为 D。', 'credit.broken': '失信承诺 {n} 条',
		'credit.why.repaired': '已完成信用修复', 'credit.why.expired': '已过有效期', 'credit.why.minor': '当事人为未成年人，依规不计',
		'credit.why.force': '属不可抗力情形，依规不计', 'credit.why.old': '超过 3 年的处罚不计', 'credit.why.newer': '同类有更新的记录，以最新为准',
		'credit.why.other': '见计算说明', 'credit.rec.category': '类别', 'credit.rec.value': '内容', 'credit.rec.source': '来源部门',
		'credit.rec.observed': '记录日期', 'credit.rec.expires': '有效期至', 'credit.rec.flags': '说明',
		'credit.f.tax_rating': '纳税信用等级', 'credit.f.social_security': '社保缴纳', 'credit.f.housing_fund': '公积金缴存',
		'credit.f.utility_arrears': '水电气欠费', 'credit.f.patents': '专利', 'credit.f.trademarks': '商标', 'credit.f.rnd_expense': '研发投入',
		'credit.f.env_rating': '环境信用评价', 'credit.f.years_in_business': '经营年限', 'credit.f.awards': '荣誉奖励',
		'credit.f.commitments': '信用承诺', 'credit.f.penalties': '行政处罚', 'credit.f.dishonest_debtor': '失信被执行人',
		'credit.c.tax_rating': '纳税信用', 'credit.c.social_security': '社保', 'credit.c.housing_fund': '公积金', 'credit.c.utility_arrears': '欠费',
		'credit.c.patent': '专利', 'credit.c.trademark': '商标', 'credit.c.rnd_expense': '研发投入', 'credit.c.env_rating': '环境信用',
		'credit.c.admin_penalty': '行政处罚', 'credit.c.dishonest_debtor': '失信被执行人', 'credit.c.commitment': '信用承诺',
		'credit.c.commitment_breach': '违背承诺', 'credit.c.award': '荣誉', 'credit.c.repair': '信用修复',
		'credit.v.tax_rating': '{grade} 级（{year} 年度）', 'credit.v.social_security': '近 12 个月已缴 {months_paid} 个月',
		'credit.v.housing_fund': '近 12 个月已缴 {months_paid} 个月', 'credit.v.utility_arrears': '欠费 {months_overdue} 个月，{amount_fen}',
		'credit.v.patent': '{count} 项{kind}', 'credit.v.trademark': '{count} 件', 'credit.v.rnd_expense': '{year} 年 {amount_fen}',
		'credit.v.env_rating': '{grade}', 'credit.v.admin_penalty': '{severity}，{amount_fen}，{reason}', 'credit.v.dishonest_debtor': '案号 {case_no}',
		'credit.v.commitment': '{matter}', 'credit.v.commitment_breach': '{matter}', 'credit.v.award': '{title}',
		'credit.v.repair': '修复记录 {repairs_source_record_id}', 'credit.v.patent_invention': '发明专利', 'credit.v.patent_utility': '实用新型专利',
		'credit.v.patent_design': '外观设计专利', 'credit.v.sev_minor': '轻微', 'credit.v.sev_general': '一般', 'credit.v.sev_serious': '严重',
		'credit.v.env_green': '绿色（诚信）', 'credit.v.env_blue': '蓝色（良好）', 'credit.v.env_yellow': '黄色（警示）', 'credit.v.env_red': '红色（不良）',
		'credit.v.env_black': '黑色（严重失信）',
		'consent.title': '数据授权与查阅记录',
		'consent.lead': '只有您授权的金融机构才能查看您的信用详情。向某个产品提交申请时，会自动授权该产品所属机构；您也可以在这里主动授权或撤回。每一次查阅都记录在下方。',
		'consent.grant': '授权一家机构', 'consent.inst': '金融机构', 'consent.expires': '授权截止日期', 'consent.expires_hint': '不填默认 90 天，最长一年',
		'consent.submit': '授权', 'consent.granted': '已授权 {name} 查看信用详情', 'consent.list': '我的授权',
		'consent.source': '来源', 'consent.src.explicit': '主动授权', 'consent.src.application': '申请授权', 'consent.src.submission': '提交申请',
		'consent.granted_at': '授权时间', 'consent.expires_at': '到期', 'consent.status': '状态', 'consent.revoke': '撤回',
		'consent.confirm': '撤回对 {name} 的授权？撤回后该机构不能再查看您的信用详情。', 'consent.revoked': '已撤回对 {name} 的授权',
		'consent.log': '谁查看了我的信用数据', 'consent.when': '时间', 'consent.who': '查看方', 'consent.what': '查看内容',
		'consent.under': '依据', 'consent.auth_n': '授权 #{id}', 'consent.by_role': '{role}职责',
		'consent.a.enterprise.credit_read': '信用评分详情', 'consent.a.enterprise.credit_records_read': '信用记录',
		'consent.choose': '请选择', 'consent.bad_date': '请选择今天到一年内的日期',
	},
	en: {
		'credit.title': 'Credit score', 'credit.score': 'Score', 'credit.grade': 'Grade', 'credit.model': 'Model {v}, computed {at}',
		'credit.scale': 'Grades: A ≥ 800, B 650–799, C 500–649, D < 500. Start at 400; the factors add or subtract; the result is kept within 0–1000.',
		'credit.factors': 'Factors', 'credit.points': '{p} points', 'credit.of': 'of {m}', 'credit.deduct_only': 'deductions only',
		'credit.detail': 'How it was computed', 'credit.colon': ': ', 'credit.counted': 'Records that counted', 'credit.not_counted': 'Records that did not count',
		'credit.none': 'none', 'credit.records': 'All credit records', 'credit.no_score': 'Not scored yet: the score is computed once credit records arrive.',
		'credit.dishonest': 'An unrepaired dishonest-debtor record: the score is at most 499 and the grade D.', 'credit.broken': '{n} broken commitments',
		'credit.why.repaired': 'repaired', 'credit.why.expired': 'expired', 'credit.why.minor': 'a minor party: not counted',
		'credit.why.force': 'force majeure: not counted', 'credit.why.old': 'penalties older than 3 years do not count',
		'credit.why.newer': 'a newer record of the same kind counts instead', 'credit.why.other': 'see the explanation',
		'credit.rec.category': 'Category', 'credit.rec.value': 'Content', 'credit.rec.source': 'Source', 'credit.rec.observed': 'Observed',
		'credit.rec.expires': 'Expires', 'credit.rec.flags': 'Note',
		'credit.f.tax_rating': 'Tax credit rating', 'credit.f.social_security': 'Social security', 'credit.f.housing_fund': 'Housing fund',
		'credit.f.utility_arrears': 'Utility arrears', 'credit.f.patents': 'Patents', 'credit.f.trademarks': 'Trademarks',
		'credit.f.rnd_expense': 'R&D expense', 'credit.f.env_rating': 'Environmental rating', 'credit.f.years_in_business': 'Years in business',
		'credit.f.awards': 'Awards', 'credit.f.commitments': 'Credit commitments', 'credit.f.penalties': 'Administrative penalties',
		'credit.f.dishonest_debtor': 'Dishonest judgment debtor',
		'credit.c.tax_rating': 'Tax rating', 'credit.c.social_security': 'Social security', 'credit.c.housing_fund': 'Housing fund',
		'credit.c.utility_arrears': 'Utility arrears', 'credit.c.patent': 'Patent', 'credit.c.trademark': 'Trademark',
		'credit.c.rnd_expense': 'R&D expense', 'credit.c.env_rating': 'Environmental rating', 'credit.c.admin_penalty': 'Penalty',
		'credit.c.dishonest_debtor': 'Dishonest debtor', 'credit.c.commitment': 'Commitment', 'credit.c.commitment_breach': 'Broken commitment',
		'credit.c.award': 'Award', 'credit.c.repair': 'Credit repair',
		'credit.v.tax_rating': 'grade {grade} ({year})', 'credit.v.social_security': '{months_paid} of the last 12 months paid',
		'credit.v.housing_fund': '{months_paid} of the last 12 months paid', 'credit.v.utility_arrears': '{months_overdue} months overdue, {amount_fen}',
		'credit.v.patent': '{count} {kind}', 'credit.v.trademark': '{count}', 'credit.v.rnd_expense': '{amount_fen} in {year}',
		'credit.v.env_rating': '{grade}', 'credit.v.admin_penalty': '{severity}, {amount_fen}, {reason}', 'credit.v.dishonest_debtor': 'case {case_no}',
		'credit.v.commitment': '{matter}', 'credit.v.commitment_breach': '{matter}', 'credit.v.award': '{title}',
		'credit.v.repair': 'repairs record {repairs_source_record_id}', 'credit.v.patent_invention': 'invention patents',
		'credit.v.patent_utility': 'utility patents', 'credit.v.patent_design': 'design patents', 'credit.v.sev_minor': 'minor',
		'credit.v.sev_general': 'general', 'credit.v.sev_serious': 'serious', 'credit.v.env_green': 'green', 'credit.v.env_blue': 'blue',
		'credit.v.env_yellow': 'yellow', 'credit.v.env_red': 'red', 'credit.v.env_black': 'black',
		'consent.title': 'Data consent and access log',
		'consent.lead': 'Only institutions you authorise can read your credit detail. Submitting an application to a product authorises that product\'s institution; you can also authorise or withdraw here. Every read is listed below.',
		'consent.grant': 'Authorise an institution', 'consent.inst': 'Institution', 'consent.expires': 'Authorised until',
		'consent.expires_hint': 'Empty means 90 days; at most a year', 'consent.submit': 'Authorise',
		'consent.granted': '{name} may now read your credit detail', 'consent.list': 'My authorisations', 'consent.source': 'Given by',
		'consent.src.explicit': 'you, here', 'consent.src.application': 'an application', 'consent.src.submission': 'a submission',
		'consent.granted_at': 'Granted', 'consent.expires_at': 'Expires', 'consent.status': 'Status', 'consent.revoke': 'Withdraw',
		'consent.confirm': 'Withdraw {name}\'s authorisation? It will no longer be able to read your credit detail.',
		'consent.revoked': '{name}\'s authorisation is withdrawn', 'consent.log': 'Who read my credit data', 'consent.when': 'When',
		'consent.who': 'Reader', 'consent.what': 'What', 'consent.under': 'Under', 'consent.auth_n': 'authorisation #{id}',
		'consent.by_role': 'duty of the {role}', 'consent.a.enterprise.credit_read': 'credit score detail',
		'consent.a.enterprise.credit_records_read': 'credit records', 'consent.choose': 'Choose',
		'consent.bad_date': 'Choose a date from today to a year ahead',
	},
});

// Which record categories feed which factor of scorecard v1.
const FACTOR_CATEGORIES = {
	tax_rating: ['tax_rating'], social_security: ['social_security'], housing_fund: ['housing_fund'],
	utility_arrears: ['utility_arrears'], patents: ['patent'], trademarks: ['trademark'], rnd_expense: ['rnd_expense'],
	env_rating: ['env_rating'], years_in_business: [], awards: ['award'], commitments: ['commitment', 'commitment_breach'],
	penalties: ['admin_penalty'], dishonest_debtor: ['dishonest_debtor'],
};

/** A record's value in a few words: "A 级（2024 年度）", "已缴 12 个月", "¥1,840,000.00（2025 年）" … */
function valueText(rec) {
	const v = rec.value || {};
	const tpl = `credit.v.${rec.category}`;
	const vars = { ...v };
	for (const [k, x] of Object.entries(v)) if (k.endsWith('_fen')) vars[k] = yuan(x);
	if (v.kind) vars.kind = t(`credit.v.patent_${v.kind}`);
	if (v.severity) vars.severity = t(`credit.v.sev_${v.severity}`);
	if (rec.category === 'env_rating') vars.grade = t(`credit.v.env_${v.grade}`);
	const s = t(tpl, vars);
	return s === tpl ? Object.values(vars).join(' · ') : s;
}

/** Why a record did not count (the lenient rules of api.md), in words. */
function whyNot(rec, repairedIds) {
	if (repairedIds.has(rec.source_record_id)) return t('credit.why.repaired');
	if (rec.expires_on && rec.expires_on < today()) return t('credit.why.expired');
	if (rec.minor_party) return t('credit.why.minor');
	if (rec.force_majeure) return t('credit.why.force');
	if (rec.category === 'admin_penalty' && rec.observed_on < threeYearsAgo()) return t('credit.why.old');
	return t('credit.why.newer');
}

function threeYearsAgo() {
	const d = today();
	return `${Number(d.slice(0, 4)) - 3}${d.slice(4)}`;
}

function recordLine(rec, why) {
	return h('li', null, `${t(`credit.c.${rec.category}`)} · ${valueText(rec)} · ${rec.source_dept} · ${date(rec.observed_on)}`,
		why ? h('span', { class: 'muted' }, ` — ${why}`) : null);
}

function bar(points, max) {
	const neg = points < 0;
	const scale = max > 0 ? max : Math.max(Math.abs(points), 1);
	const width = Math.min(100, Math.round((Math.abs(points) / scale) * 100));
	return h('div', { class: 'bar-track', role: 'img', 'aria-label': max > 0 ? `${points} / ${max}` : String(points) },
		h('div', { class: `bar-fill${neg ? ' neg' : ''}`, style: `width:${width}%` }));
}

function factorBlock(f, records, repairedIds) {
	const cats = FACTOR_CATEGORIES[f.factor] || [];
	const evidence = new Set(f.evidence);
	const counted = records.filter((r) => evidence.has(r.id));
	const notCounted = records.filter((r) => cats.includes(r.category) && !evidence.has(r.id));
	const sign = f.points > 0 ? '+' : '';
	return h('section', { class: 'factor' },
		h('div', { class: 'factor-head' }, h('h3', null, t(`credit.f.${f.factor}`)),
			h('strong', null, `${sign}${t('credit.points', { p: f.points })}`,
				h('span', { class: 'muted' }, f.max_points > 0 ? ` / ${t('credit.of', { m: f.max_points })}` : ` (${t('credit.deduct_only')})`))),
		bar(f.points, f.max_points),
		h('p', { class: 'muted' }, `${t('credit.detail')}${t('credit.colon')}${serverText(f, 'detail')}`),
		counted.length ? [h('p', null, t('credit.counted')), h('ul', { class: 'reasons' }, counted.map((r) => recordLine(r)))] : null,
		notCounted.length ? [h('p', null, t('credit.not_counted')),
			h('ul', { class: 'reasons' }, notCounted.map((r) => recordLine(r, whyNot(r, repairedIds))))] : null);
}

async function scoreChart(el, factors) {
	const names = factors.map((f) => t(`credit.f.${f.factor}`));
	await chart(el, {
		grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
		tooltip: { trigger: 'axis' },
		xAxis: { type: 'value' },
		yAxis: { type: 'category', data: names, inverse: true },
		series: [
			{ type: 'bar', name: t('credit.of', { m: '' }).trim(), data: factors.map((f) => f.max_points), itemStyle: { color: '#dbe3f1' }, barGap: '-100%' },
			{ type: 'bar', name: t('credit.score'), data: factors.map((f) => ({ value: f.points, itemStyle: { color: f.points < 0 ? '#b3261e' : '#1f4e9c' } })) },
		],
	});
}

async function renderCredit(main, params, query, s) {
	let c;
	try {
		c = (await api('GET', `/enterprises/${s.org}/credit`)).json;
	} catch (e) {
		if (e.status !== 404) throw e;
		return void replace(main, h('h1', null, t('credit.title')), h('p', { class: 'card' }, t('credit.no_score')));
	}
	const records = await apiAll(`/enterprises/${s.org}/credit-records`);
	const repairedIds = new Set(records.filter((r) => r.category === 'repair').map((r) => r.value.repairs_source_record_id));
	const chartEl = h('div', { class: 'chart', role: 'img', 'aria-label': t('credit.factors') });
	replace(main, h('h1', null, t('credit.title')),
		h('div', { class: 'grid two' },
			h('section', { class: 'card' },
				h('p', null, h('span', { class: 'grade', 'aria-label': `${t('credit.grade')} ${c.grade}` }, c.grade), ' ',
					h('strong', { class: 'big' }, `${t('credit.score')} ${c.score}`)),
				h('p', { class: 'muted' }, t('credit.model', { v: c.model_version, at: datetime(c.computed_at) })),
				c.flags.dishonest_debtor ? h('p', { class: 'field-error' }, t('credit.dishonest')) : null,
				c.flags.broken_commitments ? h('p', null, badge(t('credit.broken', { n: c.flags.broken_commitments }), 'warn')) : null,
				h('p', { class: 'hint' }, t('credit.scale'))),
			h('section', { class: 'card' }, chartEl)),
		h('section', { class: 'card' }, h('h2', null, t('credit.factors')),
			c.factors.map((f) => factorBlock(f, records, repairedIds))),
		h('details', { class: 'card' }, h('summary', null, `${t('credit.records')} (${records.length})`),
			h('ul', { class: 'reasons' }, records.map((r) => recordLine(r)))));
	await scoreChart(chartEl, c.factors);
}

function consentLog(s) {
	return pagedTable({
		caption: t('consent.log'),
		columns: [
			{ label: t('consent.when'), render: (a) => datetime(a.at) },
			{ label: t('consent.who'), render: (a) => `${a.org_name || ''} (${label('role', a.actor_role)})` },
			{ label: t('consent.what'), render: (a) => t(`consent.a.${a.action}`) },
			{ label: t('consent.under'), render: (a) => (a.authorization_id ? t('consent.auth_n', { id: a.authorization_id })
				: t('consent.by_role', { role: label('role', a.actor_role) })) },
		],
		load: lister(`/enterprises/${s.org}/access-log`),
	});
}

function consentTable(s) {
	const revokeButton = (a) => (a.status !== 'active' ? null : h('button', { type: 'button', class: 'btn small secondary',
		'aria-label': `${t('consent.revoke')}: ${a.institution_name}`,
		onclick: async () => {
			if (!await confirmDialog(t('consent.confirm', { name: a.institution_name }), { ok: t('consent.revoke') })) return;
			try {
				await api('DELETE', `/enterprises/${s.org}/authorizations/${a.id}`);
				toast(t('consent.revoked', { name: a.institution_name }));
				await table.reload();
			} catch (e) {
				toast(errorText(e), 'bad');
			}
		} }, t('consent.revoke')));
	const table = pagedTable({
		caption: t('consent.list'),
		columns: [
			{ label: '#', key: 'id' },
			{ label: t('consent.inst'), key: 'institution_name' },
			{ label: t('consent.source'), render: (a) => t(`consent.src.${a.source}`) + (a.application_id ? ` #${a.application_id}` : '') },
			{ label: t('consent.granted_at'), render: (a) => datetime(a.granted_at) },
			{ label: t('consent.expires_at'), render: (a) => datetime(a.expires_at) },
			{ label: t('consent.status'), render: (a) => badge(label('auth_status', a.status), tone(a.status === 'active' ? 'active' : 'revoked')) },
			{ label: t('consent.revoke'), render: revokeButton },
		],
		load: lister(`/enterprises/${s.org}/authorizations`),
	});
	return table;
}

function yearAhead() {
	const d = today();
	return `${Number(d.slice(0, 4)) + 1}${d.slice(4)}`;
}

async function renderConsent(main, params, query, s) {
	const insts = await apiAll('/institutions');
	const table = consentTable(s);
	const inst = formField({ name: 'institution_id', label: t('consent.inst'), type: 'select', required: true,
		options: [{ value: '', label: t('consent.choose') }, ...insts.map((i) => ({ value: i.id, label: `${i.name}（${label('inst_kind', i.kind)}）` }))] });
	const until = formField({ name: 'expires_on', label: t('consent.expires'), type: 'date', hint: t('consent.expires_hint'),
		attrs: { min: today(), max: yearAhead() }, validate: (v) => (v < today() || v > yearAhead() ? t('consent.bad_date') : '') });
	const form = h('form', { class: 'form', novalidate: true }, h('div', { class: 'form-grid' }, inst, until),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('consent.submit'))));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		if (!validateForm(form)) return;
		const body = { institution_id: Number(inst.getValue()) };
		if (until.getValue()) body.expires_on = until.getValue();
		try {
			const a = (await api('POST', `/enterprises/${s.org}/authorizations`, { body })).json;
			toast(t('consent.granted', { name: a.institution_name }));
			await table.reload();
		} catch (e) {
			showServerError(form, e);
		}
	});
	const log = consentLog(s);
	replace(main, h('h1', null, t('consent.title')), h('p', null, t('consent.lead')),
		h('section', { class: 'card' }, h('h2', null, t('consent.grant')), form), table, log);
	await Promise.all([table.ready, log.ready]);
}

const SME = ['sme'];
export const routes = [
	{ path: '/sme/credit', roles: SME, nav: { zh: '信用评分', en: 'Credit score' }, order: 3, render: renderCredit },
	{ path: '/sme/consent', roles: SME, nav: { zh: '数据授权', en: 'Data consent' }, order: 4, render: renderConsent },
];
