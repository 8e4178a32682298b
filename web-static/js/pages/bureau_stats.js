// The statistics dashboard (统计报送): the overview figures, the monthly trend
// and the breakdowns by bank, programme, town, park, industry and size drawn
// with ECharts, the bank response league table, and CSV export of every
// breakdown. The server scopes the figures to the caller (district for the
// bureau, its institution for a bank, its park for a park), so the same
// dashboard serves all three workspaces.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { num, pct, yuan } from '../format.js';
import { badge, chart, h } from '../ui.js';
import { card, downloadFile, pageTop, registerPairs, simpleForm } from './bank_common.js';

registerPairs('stats', {
	title: ['全区信易贷统计', 'District lending statistics'],
	lead: ['数据由申请、贷款与风险分担台账实时汇总，可导出 CSV 报送。',
		'Figures are summed live from applications, loans and the risk-sharing ledger; export any breakdown as CSV.'],
	from: ['开始日期', 'From'], to: ['结束日期', 'To'], apply: ['更新', 'Update'],
	applications: ['融资申请', 'Applications'], submitted: ['已推送银行', 'Sent to banks'], approved: ['审批通过', 'Approved'],
	rejected: ['被拒绝', 'Rejected'], disbursed_count: ['放款笔数', 'Loans disbursed'], disbursed_fen: ['放款金额', 'Amount disbursed'],
	approval_rate: ['审批通过率', 'Approval rate'], avg_rate_bps: ['平均年利率', 'Average rate'],
	credit_loan_share: ['信用贷款占比', 'Credit-loan share'], first_time_borrowers: ['首贷户', 'First-time borrowers'],
	median_response_hours: ['银行响应时长中位数（小时）', 'Median bank response (hours)'],
	overdue_responses: ['超时未响应', 'Late responses'], defaults: ['违约笔数', 'Defaults'],
	claims_paid_fen: ['风险补偿已赔付', 'Claims paid'], recovered_fen: ['追偿回收', 'Recovered'],
	fund_balance_fen: ['资金池余额', 'Fund balance'], fund_exposure_fen: ['资金池风险敞口', 'Fund exposure'],
	trend: ['月度趋势', 'Monthly trend'], breakdown: ['分类统计', 'Breakdown'], by: ['统计维度', 'Dimension'],
	'by.month': ['按月', 'By month'], 'by.institution': ['按金融机构', 'By bank'], 'by.product': ['按产品', 'By product'],
	'by.program': ['按政策产品', 'By programme'], 'by.town': ['按街镇', 'By town'], 'by.park': ['按园区', 'By park'],
	'by.industry': ['按行业', 'By industry'], 'by.size_class': ['按企业规模', 'By size'],
	label: ['名称', 'Name'], export_by: ['导出 CSV（{by}）', 'Export CSV ({by})'], league: ['银行响应排行', 'Bank response league table'],
	'league.lead': ['按响应时长中位数从快到慢排列；超时未响应含超过 3 个工作日才受理或拒绝的申请，以及已过时限仍未答复的申请。',
		'Fastest median response first; late responses count answers after the 3-working-day deadline and applications still unanswered past it.'],
	responses: ['受理或拒绝笔数', 'Answers'], wan: ['万元', '10k yuan'], none: ['—', '—'],
	unlabelled: ['（未归类）', '(none)'],
});

const KPI = ['applications', 'submitted', 'approved', 'rejected', 'disbursed_count', 'disbursed_fen', 'approval_rate',
	'avg_rate_bps', 'credit_loan_share', 'first_time_borrowers', 'median_response_hours', 'overdue_responses', 'defaults',
	'claims_paid_fen', 'recovered_fen', 'fund_balance_fen', 'fund_exposure_fen'];

/** A figure of the overview as text: money in yuan, _bps and rates as percentages. */
export function figure(key, v) {
	if (v === null || v === undefined) return t('stats.none');
	if (key.endsWith('_fen')) return yuan(v);
	if (key.endsWith('_bps') || key === 'approval_rate' || key === 'credit_loan_share') return pct(v);
	return num(v);
}

function kpiGrid(o) {
	return h('div', { class: 'stats' }, KPI.filter((k) => k in o).map((k) => h('div', { class: 'stat', dataset: { kpi: k } },
		h('span', { class: 'v' }, figure(k, o[k])), h('span', { class: 'k' }, t(`stats.${k}`)))));
}

/** Fen to 10k yuan as a number for a chart axis (display only; the tables keep exact figures). */
function wan(fen) {
	return Math.round(Number(fen) / 100) / 10000;
}

function rowLabel(r) {
	return r.label ?? (r.key === null ? t('stats.unlabelled') : String(r.key));
}

function trendOption(rows) {
	return {
		tooltip: { trigger: 'axis' },
		legend: { top: 0 },
		grid: { left: 48, right: 56, top: 36, bottom: 32 },
		xAxis: { type: 'category', data: rows.map(rowLabel) },
		yAxis: [{ type: 'value', name: t('stats.applications') }, { type: 'value', name: t('stats.wan') }],
		series: [
			{ name: t('stats.applications'), type: 'bar', data: rows.map((r) => r.applications), itemStyle: { color: '#8fb0e3' } },
			{ name: t('stats.approved'), type: 'bar', data: rows.map((r) => r.approved), itemStyle: { color: '#1f4e9c' } },
			{ name: t('stats.disbursed_fen'), type: 'line', yAxisIndex: 1, data: rows.map((r) => wan(r.disbursed_fen)),
				itemStyle: { color: '#2f7d4f' } },
		],
	};
}

function barOption(rows) {
	const top = rows.slice(0, 20);
	return {
		tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
		legend: { top: 0 },
		grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
		yAxis: { type: 'category', inverse: true, data: top.map(rowLabel), axisLabel: { width: 140, overflow: 'truncate' } },
		xAxis: [{ type: 'value', name: t('stats.wan') }],
		series: [
			{ name: t('stats.disbursed_fen'), type: 'bar', data: top.map((r) => wan(r.disbursed_fen)), itemStyle: { color: '#1f4e9c' } },
		],
	};
}

function breakdownTable(rows) {
	return table(rows, [['label', (r) => rowLabel(r)], ['applications', (r) => num(r.applications)],
		['approved', (r) => num(r.approved)], ['disbursed_count', (r) => num(r.disbursed_count)],
		['disbursed_fen', (r) => yuan(r.disbursed_fen)], ['avg_rate_bps', (r) => pct(r.avg_rate_bps)]]);
}

/** A table of rows with cols [[figure key, row → cell]]; the headings are the figures' names. */
function table(rows, cols) {
	return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
		h('thead', null, h('tr', null, cols.map(([k]) => h('th', { scope: 'col', class: k === 'label' ? null : 'num' },
			t(`stats.${k}`))))),
		h('tbody', null, rows.map((r) => h('tr', null, cols.map(([k, f]) => h('td',
			{ class: k === 'label' ? null : 'num', 'data-label': t(`stats.${k}`) }, f(r))))))));
}

function exportButton(by, span) {
	return h('button', { type: 'button', class: 'btn secondary',
		onclick: () => downloadFile('/stats/export.csv', { by, ...span }, `xinyidai-stats-${by}.csv`) },
	t('stats.export_by', { by: t(`stats.by.${by}`) }));
}

async function breakdown(by, span) {
	return (await api('GET', '/stats/breakdown', { query: { by, ...span } })).json.rows;
}

async function trendCard(span) {
	const rows = await breakdown('month', span);
	const el = h('div', { class: 'chart', role: 'img', 'aria-label': t('stats.trend') });
	const c = card(t('stats.trend'), el, h('details', null, h('summary', null, t('stats.breakdown')), breakdownTable(rows)),
		exportButton('month', span));
	await chart(el, trendOption(rows));
	return c;
}

/** A card with a dimension switch, its bar chart, its table and its CSV link. */
function breakdownCard(dims, span) {
	const body = h('div');
	const select = h('select', { id: 'stats-by', name: 'by' }, dims.map((d) => h('option', { value: d }, t(`stats.by.${d}`))));
	const show = async () => {
		const by = select.value;
		const rows = await breakdown(by, span);
		const el = h('div', { class: 'chart', role: 'img', 'aria-label': t(`stats.by.${by}`) });
		body.replaceChildren(el, breakdownTable(rows), exportButton(by, span));
		await chart(el, barOption(rows));
	};
	select.addEventListener('change', show);
	const c = card(t('stats.breakdown'), h('div', { class: 'field' }, h('label', { for: 'stats-by' }, t('stats.by')), select), body);
	c.ready = show();
	return c;
}

/**
 * The bank response league (GET /stats/responses: fastest median first),
 * each bank with its approvals and lending from the institution breakdown.
 */
async function leagueCard(span) {
	const [{ json: league }, lending] = await Promise.all([
		api('GET', '/stats/responses', { query: span }), breakdown('institution', span)]);
	const byInst = new Map(lending.map((r) => [r.key, r]));
	const rows = league.rows.map((r) => ({ ...(byInst.get(r.institution_id) || { applications: 0, approved: 0,
		disbursed_count: 0, disbursed_fen: 0, avg_rate_bps: null }), ...r, key: r.institution_id, label: r.institution_name }));
	const cols = [['label', (r) => r.label],
		['responses', (r) => num(r.responses)],
		['median_response_hours', (r) => figure('median_response_hours', r.median_response_hours)],
		['overdue_responses', (r) => (r.overdue_responses ? badge(num(r.overdue_responses), 'bad') : '0')],
		['applications', (r) => num(r.applications)], ['approved', (r) => num(r.approved)],
		['disbursed_fen', (r) => yuan(r.disbursed_fen)]];
	return card(t('stats.league'), h('p', { class: 'muted' }, t('stats.league.lead')), table(rows, cols));
}

function windowForm(span, onChange) {
	let form = null;
	const afterFrom = (v) => {
		const from = form && form.fields.from.getValue();
		return from && v < from ? t('w2.out_of_range', { min: from, max: '…' }) : '';
	};
	form = simpleForm({
		className: 'form filters', submitLabel: t('stats.apply'),
		fields: [
			{ name: 'from', label: t('stats.from'), type: 'date', value: span.from },
			{ name: 'to', label: t('stats.to'), type: 'date', value: span.to, validate: afterFrom },
		],
		submit: (v) => onChange({ from: v.from || undefined, to: v.to || undefined }),
	});
	return form;
}

/**
 * Draws the dashboard into main under its heading: the span form, the
 * overview figures, the monthly trend, the breakdowns of dims, and for the
 * bureau the bank league table.
 */
export async function renderStats(main, { role, dims }, span = {}) {
	const body = h('div', { class: 'dashboard' });
	main.append(card(null, windowForm(span, async (w) => {
		body.replaceChildren();
		await fill(body, role, dims, w);
	})), body);
	await fill(body, role, dims, span);
}

async function fill(body, role, dims, span) {
	const { json: o } = await api('GET', '/stats/overview', { query: span });
	body.append(card(null, kpiGrid(o)));
	body.append(await trendCard(span));
	const b = breakdownCard(dims.filter((d) => d !== 'month'), span);
	body.append(b);
	await b.ready;
	if (role === 'bureau') body.append(await leagueCard(span));
}

async function renderBureauStats(main) {
	pageTop(main, t('stats.title'), t('stats.lead'));
	await renderStats(main, { role: 'bureau', dims: ['institution', 'program', 'town', 'park', 'industry', 'size_class', 'product'] });
}

export const routes = [
	{ path: '/bureau/stats', roles: ['bureau'], nav: { zh: '统计分析', en: 'Statistics' }, render: renderBureauStats },
];
