// The park operator's workspace: its enterprises with credit grade and
// whitelist state (filterable, paged), nominating one to the whitelist, and its
// branded programme (东方美谷贷): the programme's terms and products, sending a
// recommendation to chosen enterprises, and the funnel from recommendation to
// disbursement drawn as an ECharts funnel.

import { api, apiAll, lister } from '../api.js';
import { t } from '../i18n.js';
import { datetime, months, num, pct, yuan } from '../format.js';
import { refName } from '../labels.js';
import { badge, chart, h, navigate, pagedTable, toast } from '../ui.js';
import { actionButton, askDialog, card, facts, filterTabs, pageTop, refData, registerPairs, simpleForm, stateBadge,
	townName, word } from './bank_common.js';
import { renderStats } from './bureau_stats.js';

registerPairs('park', {
	'ent.title': ['园区企业', 'Our enterprises'],
	'ent.lead': ['园区内企业的信用等级与白名单状态；可提名符合条件的企业进入融资需求白名单，由区财政局审核。',
		'Credit grade and whitelist state of the park\'s enterprises; nominate one to the financing whitelist for the bureau to review.'],
	q: ['企业名称或信用代码', 'Name or credit code'], grade: ['信用等级', 'Grade'], whitelist: ['白名单状态', 'Whitelist'],
	search: ['查询', 'Search'], name: ['企业', 'Enterprise'], uscc: ['统一社会信用代码', 'Credit code'],
	industry: ['行业', 'Industry'], town: ['街镇', 'Town'], size: ['规模', 'Size'], score: ['信用分', 'Score'],
	action: ['操作', 'Action'], nominate: ['提名进入白名单', 'Nominate'], reason: ['提名理由', 'Reason'],
	'nominate.title': ['提名 {name} 进入白名单', 'Nominate {name} to the whitelist'],
	nominated: ['已提名，等待区财政局审核', 'Nominated; the bureau will review it'],
	'reason.default': ['园区推荐，企业有融资需求', 'Recommended by the park; the enterprise needs financing'],
	valid_until: ['有效期至 {d}', 'valid until {d}'], not_scored: ['未评分', 'Not scored'],
	'prog.title': ['园区政策产品', 'Our programme'], 'prog.none': ['本园区尚无政策产品', 'The park runs no programme yet'],
	'prog.shares': ['损失分担（资金池 / 银行 / 担保）', 'Loss shares (fund / bank / guarantor)'],
	'prog.subsidy': ['财政贴息', 'Interest subsidy'], 'prog.cap': ['单户上限', 'Cap per enterprise'],
	'prog.fund': ['风险补偿资金池', 'Risk compensation fund'], 'prog.products': ['合作产品', 'Products'],
	funnel: ['推荐转化漏斗', 'Recommendation funnel'], 'f.recommended': ['已推荐', 'Recommended'],
	'f.viewed': ['已查看', 'Viewed'], 'f.applied': ['已申请', 'Applied'], 'f.approved': ['已审批', 'Approved'],
	'f.disbursed': ['已放款', 'Disbursed'], 'f.disbursed_fen': ['放款金额', 'Amount disbursed'],
	recommend: ['向企业推荐本产品', 'Recommend the programme'],
	'recommend.lead': ['勾选企业并填写推荐语，每家企业会收到一条通知。', 'Tick enterprises and write a message; each gets a notification.'],
	message: ['推荐语', 'Message'], choose: ['选择企业', 'Choose enterprises'], pick_some: ['请至少选择一家企业', 'Choose at least one'],
	sent: ['已向 {n} 家企业发送推荐', 'Recommendation sent to {n} enterprises'], send: ['发送推荐', 'Send'],
	'msg.default': ['东方美谷贷为园区企业提供低利率信用贷款，欢迎申请。', 'The programme offers low-rate credit loans to park enterprises; apply now.'],
	chosen: ['已选 {n} 家', '{n} chosen'], more: ['加载更多企业', 'More enterprises'],
	'prog.product': ['{name}（{bank}）年利率 {rate}，金额 {amount}，期限 {term}', '{name} ({bank}): rate {rate}, amount {amount}, term {term}'],
	'stats.title': ['园区融资统计', 'The park\'s lending statistics'],
	'pc.title': ['入园申请', 'Requests to join'],
	'pc.lead': ['企业申请迁入本园区后，须经园区确认才生效；确认前企业仍属原园区，不能享受本园区的政策产品。',
		'An enterprise that asks to move into the park joins only when the park confirms; until then it stays in its old park and cannot use the park\'s programme.'],
	'pc.from': ['原园区', 'From'], 'pc.none': ['无', 'None'], 'pc.at': ['申请时间', 'Requested'],
	'pc.empty': ['暂无待确认的入园申请', 'No request waits for the park'],
	'pc.confirm': ['确认入园', 'Confirm'], 'pc.confirmed': ['已确认，企业已迁入本园区', 'Confirmed; the enterprise is now in the park'],
	'pc.confirm.ask': ['确认 {name} 迁入本园区？', 'Confirm that {name} moves into the park?'],
	'pc.reject': ['驳回', 'Reject'], 'pc.rejected': ['已驳回，企业仍属原园区', 'Rejected; the enterprise stays where it was'],
	'pc.reject.title': ['驳回 {name} 的入园申请', 'Reject the request of {name}'], 'pc.reason': ['驳回理由', 'Reason'],
});

function gradeCell(e) {
	if (!e.credit) return h('span', { class: 'muted' }, t('park.not_scored'));
	return h('span', null, badge(e.credit.grade, e.credit.grade === 'D' ? 'bad' : e.credit.grade === 'C' ? 'warn' : 'ok'),
		` ${e.credit.score}`);
}

function whitelistCell(e) {
	const w = e.whitelist;
	if (!w) return stateBadge(null);
	return h('span', null, stateBadge(w.status), w.valid_until && w.status === 'approved'
		? h('small', null, ` ${t('park.valid_until', { d: w.valid_until })}`) : null);
}

function canNominate(e) {
	return !e.whitelist || ['rejected', 'revoked', 'expired'].includes(e.whitelist.status);
}

function nominateButton(e, after) {
	return actionButton(t('park.nominate'), {
		kind: 'secondary', done: t('park.nominated'), after,
		run: () => askDialog({
			title: t('park.nominate.title', { name: e.name }), okLabel: t('park.nominate'),
			fields: [{ name: 'reason', label: t('park.reason'), type: 'textarea', required: true,
				value: t('park.reason.default') }],
			send: (v) => api('POST', '/whitelist', { body: { enterprise_id: e.id, reason: v.reason } }),
		}),
	});
}

function filterForm(query) {
	const form = simpleForm({
		className: 'form filters',
		submitLabel: t('park.search'),
		fields: [
			{ name: 'q', label: t('park.q'), value: query.get('q') || '' },
			{ name: 'grade', label: t('park.grade'), type: 'select', value: query.get('grade') || '',
				options: [{ value: '', label: t('w2.any') }, ...['A', 'B', 'C', 'D'].map((g) => ({ value: g, label: g }))] },
			{ name: 'whitelist', label: t('park.whitelist'), type: 'select', value: query.get('whitelist') || '',
				options: [{ value: '', label: t('w2.any') }, ...['none', 'nominated', 'approved', 'rejected', 'revoked', 'expired']
					.map((s) => ({ value: s, label: word('st', s) }))] },
		],
		submit: (v) => navigate(`#/park/enterprises?${new URLSearchParams(Object.entries(v).filter(([, x]) => x))}`),
	});
	return form;
}

async function renderEnterprises(main, params, query) {
	const ref = await refData();
	pageTop(main, t('park.ent.title'), t('park.ent.lead'));
	const filters = Object.fromEntries(['q', 'grade', 'whitelist'].map((k) => [k, query.get(k) || undefined]));
	let table = null;
	table = pagedTable({
		columns: [
			{ label: t('park.name'), key: 'name' },
			{ label: t('park.uscc'), key: 'uscc' },
			{ label: t('park.industry'), key: 'industry' },
			{ label: t('park.town'), render: (e) => townName(ref, e.town) },
			{ label: t('park.size'), render: (e) => word('size', e.size_class) },
			{ label: t('park.grade'), render: gradeCell },
			{ label: t('park.whitelist'), render: whitelistCell },
			{ label: t('park.action'), render: (e) => (canNominate(e) ? nominateButton(e, () => table.reload()) : '') },
		],
		load: lister('/enterprises', filters),
	});
	main.append(card(null, filterForm(query)), card(null, table));
	await table.ready;
}

function funnelOption(f) {
	const stages = ['recommended', 'viewed', 'applied', 'approved', 'disbursed'];
	return {
		tooltip: { trigger: 'item', formatter: '{b}: {c}' },
		series: [{
			type: 'funnel', sort: 'none', left: '10%', width: '80%', minSize: '8%', gap: 2,
			label: { show: true, position: 'inside', formatter: '{b} {c}', color: '#fff' },
			color: ['#1f4e9c', '#2d64b8', '#3f7ccc', '#5b93d6', '#2f7d4f'],
			data: stages.map((s) => ({ name: t(`park.f.${s}`), value: f[s] })),
		}],
	};
}

/** The funnel card: figures as a list (readable without the chart) and the chart. */
export async function funnelCard(programId) {
	const { json: f } = await api('GET', `/programs/${programId}/funnel`);
	const el = h('div', { class: 'chart', role: 'img', 'aria-label': t('park.funnel') });
	const c = card(t('park.funnel'), facts([
		...['recommended', 'viewed', 'applied', 'approved', 'disbursed'].map((s) => [t(`park.f.${s}`), num(f[s])]),
		[t('park.f.disbursed_fen'), yuan(f.disbursed_fen)],
	]), el);
	c.dataset.funnel = JSON.stringify(f);
	queueMicrotask(() => chart(el, funnelOption(f)));
	return c;
}

function programFacts(g) {
	return facts([
		[t('park.prog.fund'), g.fund_name],
		[t('park.prog.shares'), `${pct(g.fund_share_bps)} / ${pct(g.bank_share_bps)} / ${pct(g.guarantor_share_bps)}`],
		[t('park.prog.subsidy'), pct(g.interest_subsidy_bps)],
		[t('park.prog.cap'), yuan(g.max_amount_per_enterprise_fen)],
		[t('park.prog.products'), h('ul', { class: 'plain' }, (g.products || []).map((p) => h('li', null,
			t('park.prog.product', { name: p.name, bank: p.institution_name, rate: `${pct(p.rate_min_bps)}–${pct(p.rate_max_bps)}`,
				amount: `${yuan(p.amount_min_fen)}–${yuan(p.amount_max_fen)}`, term: `${p.term_min_months}–${months(p.term_max_months)}` }))))],
	]);
}

/** A checklist of the park's enterprises, a page at a time, with a name / credit-code search. */
function enterprisePicker() {
	const list = h('ul', { class: 'checklist plain' });
	const count = h('p', { class: 'muted', 'aria-live': 'polite' }, t('park.chosen', { n: 0 }));
	const more = h('button', { type: 'button', class: 'btn secondary' }, t('park.more'));
	const search = h('input', { type: 'search', id: 'pick-q', placeholder: t('park.q') });
	let cursor = null, q = '';
	const chosen = new Set();
	const update = (ev) => {
		if (ev.target.checked) chosen.add(Number(ev.target.value));
		else chosen.delete(Number(ev.target.value));
		count.textContent = t('park.chosen', { n: chosen.size });
	};
	async function page() {
		const { json } = await api('GET', '/enterprises', { query: { limit: 50, cursor, q } });
		for (const e of json.items) {
			const id = `pick-${e.id}`;
			list.append(h('li', null, h('input', { type: 'checkbox', id, value: e.id, checked: chosen.has(e.id), onchange: update }),
				h('label', { for: id }, ` ${e.name}`, e.credit ? ` · ${e.credit.grade}` : '')));
		}
		cursor = json.next_cursor;
		more.hidden = !cursor;
	}
	more.addEventListener('click', page);
	search.addEventListener('input', debounce(() => {
		q = search.value.trim();
		cursor = null;
		list.replaceChildren();
		page();
	}, 300));
	const picker = h('fieldset', { class: 'field picker' }, h('legend', null, t('park.choose')),
		h('label', { for: 'pick-q', class: 'sr-only' }, t('park.q')), search, list, more, count);
	picker.chosen = () => [...chosen];
	picker.ready = page();
	return picker;
}

function debounce(fn, ms) {
	let timer = null;
	return () => {
		clearTimeout(timer);
		timer = setTimeout(fn, ms);
	};
}

function recommendCard(g) {
	const picker = enterprisePicker();
	const form = simpleForm({
		submitLabel: t('park.send'),
		fields: [picker, { name: 'message', label: t('park.message'), type: 'textarea', required: true,
			value: t('park.msg.default') }],
		submit: async (v) => {
			const ids = picker.chosen();
			if (!ids.length) throw Object.assign(new Error(t('park.pick_some')), { field: null });
			const { json } = await api('POST', `/programs/${g.id}/recommendations`,
				{ body: { enterprise_ids: ids, message: v.message } });
			toast(t('park.sent', { n: json.recommended }));
			navigate(`#/park/program?id=${g.id}`);
		},
	});
	return { el: card(t('park.recommend'), h('p', null, t('park.recommend.lead')), form), ready: picker.ready };
}

/** One programme of the park (?id=, the first by default), with tabs to its others. */
async function renderProgram(main, params, query, s) {
	const programs = (await apiAll('/programs')).filter((g) => g.park_id === s.org);
	pageTop(main, t('park.prog.title'));
	if (!programs.length) return void main.append(card(null, h('p', null, t('park.prog.none'))));
	const g = programs.find((x) => String(x.id) === query.get('id')) || programs[0];
	if (programs.length > 1) {
		main.append(filterTabs(programs.map((x) => ({ label: x.name, hash: `#/park/program?id=${x.id}` })),
			`#/park/program?id=${g.id}`));
	}
	const rec = recommendCard(g);
	main.append(card(g.name, h('p', null, g.description), programFacts(g)), await funnelCard(g.id), rec.el);
	await rec.ready;
}

function changeActions(c, after) {
	const name = c.enterprise_name;
	return h('span', null,
		actionButton(t('park.pc.confirm'), {
			confirm: t('park.pc.confirm.ask', { name }), done: t('park.pc.confirmed'), after,
			run: () => api('POST', `/park-changes/${c.id}/confirm`),
		}), ' ',
		actionButton(t('park.pc.reject'), {
			kind: 'secondary', done: t('park.pc.rejected'), after,
			run: () => askDialog({
				title: t('park.pc.reject.title', { name }), okLabel: t('park.pc.reject'),
				fields: [{ name: 'reason', label: t('park.pc.reason'), type: 'textarea', required: true }],
				send: (v) => api('POST', `/park-changes/${c.id}/reject`, { body: { reason: v.reason } }),
			}),
		}));
}

/** The requests to move into the park that wait for its decision. */
async function renderParkChanges(main) {
	const ref = await refData();
	pageTop(main, t('park.pc.title'), t('park.pc.lead'));
	let table = null;
	table = pagedTable({
		empty: t('park.pc.empty'),
		columns: [
			{ label: t('park.name'), key: 'enterprise_name' },
			{ label: t('park.uscc'), key: 'uscc' },
			{ label: t('park.pc.from'), render: (c) => (c.from_park_id ? refName(ref.parks.find((x) => x.id === c.from_park_id)) : t('park.pc.none')) },
			{ label: t('park.pc.at'), render: (c) => datetime(c.requested_at) },
			{ label: t('park.action'), render: (c) => changeActions(c, () => table.reload()) },
		],
		load: lister('/park-changes', { status: 'pending' }),
	});
	main.append(card(null, table));
	await table.ready;
}

async function renderParkStats(main) {
	pageTop(main, t('park.stats.title'));
	await renderStats(main, { role: 'park', dims: ['month', 'institution', 'program', 'industry', 'size_class'] });
}

export const routes = [
	{ path: '/park/enterprises', roles: ['park'], nav: { zh: '园区企业', en: 'Enterprises' }, render: renderEnterprises },
	{ path: '/park/program', roles: ['park'], nav: { zh: '政策产品', en: 'Programme' }, render: renderProgram },
	{ path: '/park/changes', roles: ['park'], nav: { zh: '入园申请', en: 'Requests to join' }, render: renderParkChanges },
	{ path: '/park/stats', roles: ['park'], nav: { zh: '园区统计', en: 'Statistics' }, render: renderParkStats },
];
