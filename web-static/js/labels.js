// Names of the API's code words (product kinds, collateral, states, roles,
// size classes, tags) and of reference rows (towns, parks, industries) in both
// languages, shared by every page so that one state reads the same everywhere.
// label('app_status', 'pending_bank') → '待银行受理'.

import { lang, register, t } from './i18n.js';

const zh = {
	kind: { credit: '信用贷款', guarantee: '担保贷款', mortgage: '抵押贷款', ip_pledge: '知识产权质押', receivables: '应收账款融资' },
	collateral: { none: '无需抵押', property: '房产抵押', ip: '知识产权', equipment: '设备抵押', receivables: '应收账款' },
	app_status: { submitted: '已提交', pending_bank: '待银行受理', accepted: '银行已受理', approved: '已审批', disbursed: '已放款',
		rejected: '未通过', withdrawn: '已撤回', expired: '已过期' },
	whitelist: { nominated: '待审核', approved: '已入选', rejected: '未通过', revoked: '已撤销', expired: '已过期', none: '未申请' },
	loan_status: { performing: '正常', overdue: '逾期', defaulted: '违约', repaid: '已结清' },
	product_status: { draft: '草稿', active: '上架', paused: '暂停', retired: '下架' },
	role: { sme: '企业', bank: '金融机构', park: '园区', bureau: '区财政局', admin: '管理员', auditor: '审计员', system: '系统' },
	size: { micro: '微型', small: '小型', medium: '中型', large: '大型' },
	tag: { hi_tech: '高新技术企业', specialized: '专精特新', tech_sme: '科技型中小企业', agri_entity: '新型农业经营主体',
		integrity_model: '诚信示范企业' },
	inst_kind: { bank: '银行', guarantor: '担保公司', microloan: '小额贷款公司' },
	user_status: { active: '正常', locked: '已锁定' },
	auth_status: { active: '有效', expired: '已过期', revoked: '已撤回' },
};
const en = {
	kind: { credit: 'Credit loan', guarantee: 'Guaranteed loan', mortgage: 'Mortgage loan', ip_pledge: 'IP pledge', receivables: 'Receivables financing' },
	collateral: { none: 'No collateral', property: 'Property', ip: 'Intellectual property', equipment: 'Equipment', receivables: 'Receivables' },
	app_status: { submitted: 'Submitted', pending_bank: 'Awaiting the bank', accepted: 'Accepted', approved: 'Approved',
		disbursed: 'Disbursed', rejected: 'Rejected', withdrawn: 'Withdrawn', expired: 'Expired' },
	whitelist: { nominated: 'Under review', approved: 'Approved', rejected: 'Rejected', revoked: 'Revoked', expired: 'Expired', none: 'Not applied' },
	loan_status: { performing: 'Performing', overdue: 'Overdue', defaulted: 'Defaulted', repaid: 'Repaid' },
	product_status: { draft: 'Draft', active: 'Active', paused: 'Paused', retired: 'Retired' },
	role: { sme: 'Enterprise', bank: 'Institution', park: 'Park', bureau: 'Finance bureau', admin: 'Administrator', auditor: 'Auditor', system: 'System' },
	size: { micro: 'Micro', small: 'Small', medium: 'Medium', large: 'Large' },
	tag: { hi_tech: 'High-tech enterprise', specialized: 'Specialised SME', tech_sme: 'Tech SME', agri_entity: 'New agricultural entity',
		integrity_model: 'Integrity model' },
	inst_kind: { bank: 'Bank', guarantor: 'Guarantor', microloan: 'Microloan company' },
	user_status: { active: 'Active', locked: 'Locked' },
	auth_status: { active: 'Active', expired: 'Expired', revoked: 'Revoked' },
};

function flatten(tree) {
	const out = {};
	for (const [group, values] of Object.entries(tree))
		for (const [k, v] of Object.entries(values)) out[`labels.${group}.${k}`] = v;
	return out;
}
register({ zh: flatten(zh), en: flatten(en) });

/** The name of a code word in the current language; the code itself when unknown. */
export function label(group, value) {
	if (value === null || value === undefined) return '—';
	const key = `labels.${group}.${value}`;
	const s = t(key);
	return s === key ? String(value) : s;
}

/** The name of a reference row (town, park, industry) in the current language; '—' for none. */
export function refName(row) {
	if (!row) return '—';
	return lang() === 'en' && row.name_en ? row.name_en : row.name;
}

/** [{value, label}] of a group, for a select or checkboxes. */
export function options(group) {
	return Object.keys(zh[group] || {}).map((value) => ({ value, label: label(group, value) }));
}

/** The badge kind ('ok', 'warn', 'bad' or '') that fits a state word. */
export function tone(state) {
	if (['approved', 'disbursed', 'active', 'performing', 'repaid', 'paid'].includes(state)) return 'ok';
	if (['nominated', 'pending_bank', 'submitted', 'accepted', 'overdue', 'paused', 'draft', 'filed'].includes(state)) return 'warn';
	if (['rejected', 'revoked', 'expired', 'withdrawn', 'defaulted', 'retired', 'locked'].includes(state)) return 'bad';
	return '';
}
