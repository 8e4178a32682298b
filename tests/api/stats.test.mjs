// Statistics (/api/v1/stats/overview, /breakdown, /export.csv): random
// enterprises, banks, products and a programme make applications through
// every state and loans through the API; sql() only moves each step's time
// into a random year long past that no other test uses. Every figure is then
// recomputed here from what was made and compared, for the bureau, a park
// and each bank, over whole and partial windows; and the CSV is the
// breakdown, quoted as RFC 4180 says.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import {
	BASE_URL, api, createApplication, createFund, createProduct, createProgram, expectError, expectStatus, freshUser,
	listAll, registerSme, login, roleUser, setCreditScore, sql,
} from './lib.mjs';

const HOUR = 3600000;
const DAY = 24 * HOUR;
const YEAR = 1950 + Math.floor(Math.random() * 40);
const FROM = `${YEAR}-01-01`;
const TO = `${YEAR}-12-31`;
const BY = ['month', 'institution', 'product', 'program', 'town', 'park', 'industry', 'size_class'];
const SIZE_LABEL = { micro: '微型企业', small: '小型企业', medium: '中型企业', large: '大型企业' };
const STATES = ['submitted', 'withdrawn', 'pending_bank', 'pending_late', 'pending_expired', 'accepted', 'rejected_pending',
	'rejected_accepted', 'approved', 'disbursed', 'disbursed', 'disbursed'];

const rnd = (n) => Math.floor(Math.random() * n);
const pick = (a) => a[rnd(a.length)];
const sqlTime = (ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const districtDayOf = (ms) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10);
const idiv = (a, b) => (b === 0n ? null : Number(a / b));

let W; // the world this file made: see build()

async function names(path, key) {
	const res = expectStatus(await api('GET', path), 200);
	return new Map(res.items.map((i) => [String(i[key]), i.name]));
}

/** Moves one timeline event (the latest of status). */
function moveEvent(appId, status, ms) {
	sql(`UPDATE application_events SET at = '${sqlTime(ms)}' WHERE application_id = ${appId}
		AND status = '${status}' ORDER BY id DESC LIMIT 1`);
}

async function step(app, action, token, body, status = 200) {
	return expectStatus(await api('POST', `/api/v1/applications/${app}/${action}`, { token, body }), status);
}

/**
 * One application driven to state through the API, each step's time then
 * moved to created + offsets. The server's housekeeping expires a demand
 * left `submitted` 30 days and a `pending_bank` one 30 days past its
 * deadline (every second under make test), so times move only once the
 * application is past the state it could expire in; and a bank's answer is
 * moved by taking its event out and putting it back at the new time, after
 * the deadline it is judged against is set.
 */
async function makeApplication(sme, product, state, createdMs) {
	const declared = Math.random() < 0.3;
	// asks the products' most, so every approval below is within the amount asked
	const app = await createApplication(sme.token, { first_bank_loan: declared, amount_fen: 300000000 });
	const a = { id: app.id, ent: sme.e, created: createdMs, inst: null, prod: null, prog: null, status: 'submitted',
		declared };
	const created = `UPDATE applications SET created_at = '${sqlTime(createdMs)}' WHERE id = ${a.id};
		UPDATE application_events SET at = '${sqlTime(createdMs)}' WHERE application_id = ${a.id} AND status = 'submitted';`;
	if (state === 'submitted') {
		sql(created);
		return a;
	}
	if (state === 'withdrawn') {
		await step(a.id, 'withdraw', sme.token);
		sql(created);
		a.status = 'withdrawn';
		return a;
	}
	await step(a.id, 'submit', sme.token, { product_id: product.id });
	Object.assign(a, { inst: product.institution_id, prod: product.id, prog: product.program_id, status: 'pending_bank' });
	const pendingMs = createdMs + HOUR;
	const dueMs = state === 'pending_late' ? Date.now() - 2 * DAY : state === 'pending_bank' ? Date.now() + 2 * DAY
		: pendingMs + 72 * HOUR;
	a.due = dueMs;
	const safeDue = state === 'pending_late' || state === 'pending_bank' ? dueMs : Date.now() + 5 * DAY;
	sql(`${created} UPDATE application_events SET at = '${sqlTime(pendingMs)}' WHERE application_id = ${a.id}
		AND status = 'pending_bank';
		UPDATE applications SET pending_since = '${sqlTime(pendingMs)}', response_due_at = '${sqlTime(safeDue)}'
		WHERE id = ${a.id};`);
	if (state === 'pending_bank' || state === 'pending_late') return a;
	if (state === 'pending_expired') {
		// what the housekeeping does 30 days past the deadline
		sql(`UPDATE applications SET status = 'expired', response_due_at = '${sqlTime(dueMs)}' WHERE id = ${a.id}`);
		a.status = 'expired';
		return a;
	}
	const bank = W.banks.get(product.institution_id);
	const hours = rnd(150);
	const answerMs = pendingMs + hours * HOUR + 30 * 60000;
	const answer = state === 'rejected_pending' ? 'rejected' : 'accepted';
	await step(a.id, answer === 'rejected' ? 'reject' : 'accept', bank.token,
		answer === 'rejected' ? { reason: '不符合授信条件' } : undefined);
	sql(`DELETE FROM application_events WHERE application_id = ${a.id} AND status = '${answer}';
		UPDATE applications SET response_due_at = '${sqlTime(dueMs)}' WHERE id = ${a.id};
		INSERT INTO application_events (application_id, status, at, by_role)
		VALUES (${a.id}, '${answer}', '${sqlTime(answerMs)}', 'bank');`);
	W.responses.push({ app: a, day: districtDayOf(answerMs), hours, late: answerMs > dueMs });
	a.status = answer;
	if (state === 'rejected_pending' || state === 'accepted') return a;
	if (state === 'rejected_accepted') {
		await step(a.id, 'reject', bank.token, { reason: '补充材料不足' });
		moveEvent(a.id, 'rejected', answerMs + HOUR);
		a.status = 'rejected';
		return a;
	}
	const approve = { amount_fen: 10000000 + rnd(290) * 1000000 + rnd(100), rate_bps: 350 + rnd(251), term_months: 12 };
	await step(a.id, 'approve', bank.token, approve);
	const approvedMs = answerMs + HOUR;
	moveEvent(a.id, 'approved', approvedMs);
	a.status = 'approved';
	if (state === 'approved') return a;
	const day = districtDayOf(approvedMs + rnd(20) * DAY);
	const loan = await step(a.id, 'disburse', bank.token, { disbursed_on: day }, 201);
	a.status = 'disbursed';
	W.loans.push({ id: loan.id, app: a, ent: sme.e, inst: a.inst, prod: a.prod, prog: a.prog, principal: approve.amount_fen,
		rate: approve.rate_bps, day, kind: product.kind, fund_bps: loan.shares ? loan.shares.fund_bps : 0,
		outstanding: loan.outstanding_fen });
	return a;
}

async function build() {
	W = { apps: [], loans: [], responses: [], banks: new Map(), products: [] };
	const [bureau, towns, parks, industries] = await Promise.all([roleUser('bureau'), names('/api/v1/towns', 'code'),
		names('/api/v1/parks', 'id'), names('/api/v1/industries', 'code')]);
	W.bureau = bureau;
	W.labels = { towns, parks, industries, institution: new Map(), product: new Map(), program: new Map() };
	W.park = await freshUser('park', 2);
	const fund = await createFund();
	const fundBps = 3000 + rnd(4000);
	const program = await createProgram({ park_id: 2, fund_id: fund.id, fund_share_bps: fundBps,
		bank_share_bps: 10000 - fundBps, guarantor_share_bps: 0, max_amount_per_enterprise_fen: null });
	W.program = program;
	W.fund = fund;
	W.labels.program.set(String(program.id), program.name);
	for (let i = 0; i < 2; i++) {
		const bank = await freshUser('bank');
		const inst = bank.user.org_id;
		W.banks.set(inst, bank);
		const all = await listAll('/api/v1/institutions', bank.token);
		W.labels.institution.set(String(inst), all.find((x) => x.id === inst).name);
		for (const over of [{ kind: 'credit' }, { kind: 'guarantee', collateral: 'none' }, { kind: 'credit', program_id: program.id }]) {
			// one name a spreadsheet would run as a formula, with a comma and quotes for the CSV
			const name = i === 0 && over.kind === 'guarantee' ? { name: `=贷,"引号"${rnd(1e6)}` } : {};
			const p = await createProduct({ status: 'active', ...name, ...over }, { token: bank.token });
			W.products.push(p);
			W.labels.product.set(String(p.id), p.name);
		}
	}
	W.smes = [];
	const townCodes = [...towns.keys()];
	for (const [park, industry, employees] of [[2, 'C26', 8], [2, 'I65', 60], [2, 'F51', 400], [1, 'C27', 30],
		[null, 'M73', 5], [3, 'C26', 150]]) {
		const r = await registerSme({ enterprise: { park_id: park, industry, town: pick(townCodes), employees,
			annual_revenue_fen: employees * 100000000 } });
		const l = await login(r.username, r.password);
		setCreditScore(r.enterprise.id, { grade: 'B' });
		W.smes.push({ token: l.token, e: r.enterprise });
	}
	for (let i = 0; i < 36; i++) {
		const sme = pick(W.smes);
		// most inside the year, some just outside it on either side
		const edge = rnd(8);
		const createdMs = edge === 0 ? Date.UTC(YEAR - 1, 11, 30, 16) + rnd(24) * HOUR
			: edge === 1 ? Date.UTC(YEAR, 11, 31, 16, rnd(60))
				: Date.UTC(YEAR, 0, 1) + rnd(360) * DAY + rnd(24) * HOUR - 8 * HOUR;
		const product = sme.e.park_id === 2 ? pick(W.products) : pick(W.products.filter((p) => !p.program_id));
		W.apps.push(await makeApplication(sme, product, pick(STATES), createdMs));
	}
	await moveMoney();
}

/** A time in the year (or, one time in eight, just after it), as ms. */
function timeInYear() {
	return rnd(8) === 0 ? Date.UTC(YEAR, 11, 31, 16) + rnd(48) * HOUR : Date.UTC(YEAR, 0, 1) - 8 * HOUR + rnd(365 * 24) * HOUR;
}

const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/**
 * Once every loan exists (a default can suspend a bank): a deposit into the
 * programme's fund, then for each loan a partial repayment, an overdue
 * report, or a default, and for defaulted programme loans a claim the bureau
 * pays (moved into the window by sql()) and sometimes a recovery.
 */
async function moveMoney() {
	const bureau = W.bureau.token;
	const money = (path, token, body, status = 201) => api('POST', path, { token, body }).then((r) => expectStatus(r, status));
	expectStatus(await api('PATCH', `/api/v1/funds/${W.fund.id}`, { token: bureau,
		body: { annual_claims_cap_bps: 10000, overdue_suspension_bps: 10000 } }), 200);
	W.deposited = 50000000000;
	await money(`/api/v1/funds/${W.fund.id}/deposits`, bureau, { amount_fen: W.deposited, memo: '统计测试注资' });
	W.claims = [];
	W.recoveries = [];
	let programLoans = 0;
	for (const l of W.loans) {
		l.status = 'performing';
		const bank = W.banks.get(l.inst).token;
		// the first programme loan surely defaults with a claim, the second surely keeps an exposure
		const nth = l.fund_bps > 0 ? programLoans++ : -1;
		const what = nth === 0 ? 2 : nth === 1 ? 0 : rnd(4);
		if (what === 0) {
			const amount = 1 + rnd(l.outstanding - 1);
			await money(`/api/v1/loans/${l.id}/repayments`, bank, { amount_fen: amount, paid_on: l.day });
			l.outstanding -= amount;
		} else if (what === 1) {
			await money(`/api/v1/loans/${l.id}/default`, bank, { overdue_days: 30, as_of: addDays(l.day, 40) }, 200);
			l.status = 'overdue';
		} else if (what === 2) {
			l.defaulted_on = addDays(l.day, rnd(120) + 90);
			await money(`/api/v1/loans/${l.id}/default`, bank, { overdue_days: 95, as_of: l.defaulted_on }, 200);
			l.status = 'defaulted';
			if (l.fund_bps > 0 && (nth === 0 || rnd(3) > 0)) await payClaim(l, bank);
		}
	}
}

async function payClaim(l, bank) {
	const money = (path, token, body, status = 201) => api('POST', path, { token, body }).then((r) => expectStatus(r, status));
	const claim = await money(`/api/v1/loans/${l.id}/claims`, bank, { loss_fen: 1000 + rnd(l.outstanding - 1000) });
	await money(`/api/v1/claims/${claim.id}/approve`, W.bureau.token, undefined, 200);
	const decided = timeInYear();
	sql(`UPDATE claims SET decided_at = '${sqlTime(decided)}' WHERE id = ${claim.id}`);
	const c = { loan: l, fund_share_fen: claim.fund_share_fen, day: districtDayOf(decided) };
	W.claims.push(c);
	if (rnd(2)) {
		const v = await money(`/api/v1/claims/${claim.id}/recoveries`, bank, { amount_fen: 1 + rnd(claim.loss_fen) });
		const at = timeInYear();
		sql(`UPDATE recoveries SET created_at = '${sqlTime(at)}' WHERE id = ${v.id}`);
		W.recoveries.push({ claim: c, fund_fen: v.fund_fen, day: districtDayOf(at) });
	}
}

// ---- the figures recomputed ----

function inScope(scope, inst, ent) {
	if (scope.kind === 'bureau') return true;
	if (scope.kind === 'park') return ent.park_id === scope.id;
	return inst === scope.id;
}

const between = (day, from, to) => day >= from && day <= to;

function firstTime(loan) {
	const earlier = W.loans.some((o) => o.ent.id === loan.ent.id && o.id < loan.id);
	return loan.app.declared || !earlier;
}

function expectedOverview(scope, from, to) {
	const apps = W.apps.filter((a) => inScope(scope, a.inst, a.ent) && between(districtDayOf(a.created), from, to));
	const loans = W.loans.filter((l) => inScope(scope, l.inst, l.ent) && between(l.day, from, to));
	const resp = W.responses.filter((r) => inScope(scope, r.app.inst, r.app.ent) && between(r.day, from, to));
	const approved = apps.filter((a) => a.status === 'approved' || a.status === 'disbursed').length;
	const rejected = apps.filter((a) => a.status === 'rejected').length;
	const fen = loans.reduce((s, l) => s + BigInt(l.principal), 0n);
	const w = loans.reduce((s, l) => s + BigInt(l.principal) * BigInt(l.rate), 0n);
	const credit = loans.filter((l) => l.kind === 'credit').reduce((s, l) => s + BigInt(l.principal), 0n);
	const hours = resp.map((r) => r.hours).sort((x, y) => x - y);
	const stillLate = W.apps.filter((a) => inScope(scope, a.inst, a.ent) && (a.status === 'pending_bank'
		|| a.status === 'expired') && a.due < Date.now() && between(districtDayOf(a.due), from, to)).length;
	return {
		applications: apps.length,
		submitted: apps.filter((a) => a.prod !== null).length,
		approved,
		rejected,
		disbursed_count: loans.length,
		disbursed_fen: Number(fen),
		approval_rate: approved + rejected ? Math.floor((approved * 10000) / (approved + rejected)) : null,
		avg_rate_bps: idiv(w, fen),
		credit_loan_share: idiv(credit * 10000n, fen),
		first_time_borrowers: loans.filter(firstTime).length,
		median_response_hours: hours.length ? hours[Math.ceil(hours.length / 2) - 1] : null,
		overdue_responses: resp.filter((r) => r.late).length + stillLate,
		defaults: W.loans.filter((l) => inScope(scope, l.inst, l.ent) && l.defaulted_on
			&& between(l.defaulted_on, from, to)).length,
		claims_paid_fen: W.claims.filter((c) => inScope(scope, c.loan.inst, c.loan.ent) && between(c.day, from, to))
			.reduce((s, c) => s + c.fund_share_fen, 0),
		recovered_fen: W.recoveries.filter((v) => inScope(scope, v.claim.loan.inst, v.claim.loan.ent)
			&& between(v.day, from, to)).reduce((s, v) => s + v.fund_fen, 0),
	};
}

function keyOf(by, fact, ent, day) {
	switch (by) {
	case 'month': return day.slice(0, 7);
	case 'institution': return fact.inst;
	case 'product': return fact.prod;
	case 'program': return fact.prog ?? null;
	case 'town': return ent.town;
	case 'park': return ent.park_id ?? null;
	case 'industry': return ent.industry[0];
	default: return ent.size_class;
	}
}

function labelOf(by, key) {
	if (key === null) return null;
	const L = W.labels;
	return {
		month: key, institution: L.institution.get(String(key)), product: L.product.get(String(key)),
		program: L.program.get(String(key)), town: L.towns.get(key), park: L.parks.get(String(key)),
		industry: L.industries.get(key), size_class: SIZE_LABEL[key],
	}[by];
}

function expectedBreakdown(scope, by, from, to) {
	const rows = new Map();
	const row = (key) => {
		const k = key === null ? '' : String(key);
		if (!rows.has(k)) rows.set(k, { key, applications: 0, approved: 0, disbursed_count: 0, fen: 0n, w: 0n });
		return rows.get(k);
	};
	for (const a of W.apps) {
		const day = districtDayOf(a.created);
		if (!inScope(scope, a.inst, a.ent) || !between(day, from, to)) continue;
		const r = row(keyOf(by, a, a.ent, day));
		r.applications++;
		if (a.status === 'approved' || a.status === 'disbursed') r.approved++;
	}
	for (const l of W.loans) {
		if (!inScope(scope, l.inst, l.ent) || !between(l.day, from, to)) continue;
		const r = row(keyOf(by, l, l.ent, l.day));
		r.disbursed_count++;
		r.fen += BigInt(l.principal);
		r.w += BigInt(l.principal) * BigInt(l.rate);
	}
	const out = [...rows.entries()].map(([k, r]) => ({ k, key: r.key, label: labelOf(by, r.key),
		applications: r.applications, approved: r.approved, disbursed_count: r.disbursed_count,
		disbursed_fen: Number(r.fen), avg_rate_bps: idiv(r.w, r.fen) }));
	const cmp = (x, y) => (x < y ? -1 : x > y ? 1 : 0);
	out.sort(by === 'month' ? (x, y) => cmp(x.k, y.k)
		: (x, y) => y.disbursed_fen - x.disbursed_fen || y.applications - x.applications || cmp(x.k, y.k));
	return out.map(({ k, ...r }) => r);
}

function scopes() {
	const [b1, b2] = [...W.banks.keys()];
	return [
		{ kind: 'bureau', id: 0, token: W.bureau.token, windows: [[FROM, TO], [`${YEAR}-04-01`, `${YEAR}-09-30`],
			[`${YEAR}-03-01`, `${YEAR}-03-17`], [`${YEAR}-05-09`, `${YEAR}-05-31`], [`${YEAR}-01-15`, `${YEAR}-02-16`],
			[`${YEAR}-08-20`, `${YEAR}-08-20`]] },
		{ kind: 'park', id: 2, token: W.park.token, windows: [[FROM, TO], [`${YEAR}-02-10`, `${YEAR}-07-20`]] },
		{ kind: 'bank', id: b1, token: W.banks.get(b1).token, windows: [[FROM, TO], [`${YEAR - 1}-12-31`, `${YEAR + 1}-12-31`], [null, null]] },
		{ kind: 'bank', id: b2, token: W.banks.get(b2).token, windows: [[`${YEAR}-06-01`, `${YEAR}-06-30`], [null, null]] },
	];
}

function windowQuery(from, to) {
	return [from && `from=${from}`, to && `to=${to}`].filter(Boolean).join('&');
}

before(async () => {
	await build();
});

describe('overview', () => {
	test('every figure equals the recomputation, for each role and window', async () => {
		const loans = W.loans.length;
		assert.ok(W.apps.length === 36 && loans > 0, `made ${W.apps.length} applications, ${loans} loans`);
		if (W.loans.some((l) => l.fund_bps > 0)) assert.ok(W.claims.length > 0, 'a claim was paid');
		for (const s of scopes()) {
			for (const [from, to] of s.windows) {
				const res = expectStatus(await api('GET', `/api/v1/stats/overview?${windowQuery(from, to)}`, { token: s.token }), 200);
				const want = expectedOverview(s, from ?? '1900-01-01', to ?? '2199-12-31');
				for (const [k, v] of Object.entries(want)) assert.equal(res[k], v, `${s.kind} ${s.id} ${from}..${to}: ${k}`);
			}
		}
	});

	test('a bank sees its own fund exposure and the cash of the fund behind its programme products', async () => {
		const paid = W.claims.reduce((s, c) => s + c.fund_share_fen, 0);
		const back = W.recoveries.reduce((s, v) => s + v.fund_fen, 0);
		assert.ok(W.loans.some((l) => l.status !== 'performing'), 'some loan moved');
		if (W.loans.filter((l) => l.fund_bps > 0).length > 1) {
			assert.ok(W.loans.some((l) => l.fund_bps > 0 && l.status === 'performing'), 'an exposure is left');
		}
		for (const [inst, bank] of W.banks) {
			const res = expectStatus(await api('GET', '/api/v1/stats/overview', { token: bank.token }), 200);
			const exposure = W.loans.filter((l) => l.inst === inst && (l.status === 'performing' || l.status === 'overdue'))
				.reduce((s, l) => s + Math.floor((l.outstanding * l.fund_bps) / 10000), 0);
			assert.equal(res.fund_exposure_fen, exposure, `bank ${inst} exposure`);
			assert.equal(res.fund_balance_fen, W.deposited - paid + back, `bank ${inst} fund balance`);
		}
	});

	test('answers carry every field of api.md', async () => {
		const res = expectStatus(await api('GET', `/api/v1/stats/overview?from=${FROM}&to=${TO}`, { token: W.bureau.token }), 200);
		assert.deepEqual(Object.keys(res).sort(), ['applications', 'approval_rate', 'approved', 'avg_rate_bps',
			'claims_paid_fen', 'credit_loan_share', 'defaults', 'disbursed_count', 'disbursed_fen', 'first_time_borrowers',
			'from', 'fund_balance_fen', 'fund_exposure_fen', 'median_response_hours', 'overdue_responses', 'recovered_fen',
			'rejected', 'submitted', 'to'].sort());
	});

	test('an empty window answers zeros and nulls', async () => {
		const bank = W.banks.values().next().value;
		const res = expectStatus(await api('GET', '/api/v1/stats/overview?from=1900-01-01&to=1900-01-31', { token: bank.token }), 200);
		assert.equal(res.applications, 0);
		assert.equal(res.approval_rate, null);
		assert.equal(res.avg_rate_bps, null);
		assert.equal(res.median_response_hours, null);
	});

	test('a bad date or an inverted window is 400 naming the field', async () => {
		const t = W.bureau.token;
		for (const [q, field] of [['from=2026-02-30', 'from'], ['from=26-01-01', 'from'], ['to=2026-13-01', 'to'],
			['from=2026-05-01&to=2026-04-30', 'to'], ['from=1899-12-31', 'from'], ['to=x', 'to']]) {
			expectError(await api('GET', `/api/v1/stats/overview?${q}`, { token: t }), 400, 'validation_failed', field);
		}
	});

	test('sme, admin and auditor are refused', async () => {
		for (const role of ['sme', 'admin', 'auditor']) {
			const u = await roleUser(role);
			expectError(await api('GET', '/api/v1/stats/overview', { token: u.token }), 403, 'forbidden');
		}
	});
});

describe('breakdown', () => {
	test('every dimension equals the recomputation, for each role and window', async () => {
		for (const s of scopes()) {
			for (const [from, to] of s.windows) {
				for (const by of BY) {
					const q = windowQuery(from, to);
					const res = expectStatus(await api('GET', `/api/v1/stats/breakdown?by=${by}${q ? `&${q}` : ''}`, { token: s.token }), 200);
					assert.equal(res.by, by);
					const want = expectedBreakdown(s, by, from ?? '1900-01-01', to ?? '2199-12-31');
					assert.deepEqual(res.rows, want, `${s.kind} ${s.id} ${from}..${to} by ${by}`);
				}
			}
		}
	});

	test('an unknown or missing dimension is 400 naming by', async () => {
		for (const q of ['by=bank', 'by=', '']) {
			expectError(await api('GET', `/api/v1/stats/breakdown?${q}`, { token: W.bureau.token }), 400, 'validation_failed', 'by');
		}
	});
});

describe('response league', () => {
	const leagueOrder = (a, b) => (a.median_response_hours === null) - (b.median_response_hours === null)
		|| (a.median_response_hours ?? 0) - (b.median_response_hours ?? 0)
		|| a.overdue_responses - b.overdue_responses || b.responses - a.responses || a.institution_id - b.institution_id;

	test('each bank\'s row equals the recomputation of its own answers, fastest first', async () => {
		for (const [from, to] of [[FROM, TO], [`${YEAR}-04-01`, `${YEAR}-09-30`], [`${YEAR}-03-01`, `${YEAR}-03-17`]]) {
			const res = expectStatus(await api('GET', `/api/v1/stats/responses?from=${from}&to=${to}`, { token: W.bureau.token }), 200);
			assert.deepEqual([res.from, res.to], [from, to]);
			const want = [];
			for (const inst of W.banks.keys()) {
				const o = expectedOverview({ kind: 'bank', id: inst }, from, to);
				const responses = W.responses.filter((r) => r.app.inst === inst && between(r.day, from, to)).length;
				if (responses || o.overdue_responses) {
					want.push({ institution_id: inst, responses, median_response_hours: o.median_response_hours,
						overdue_responses: o.overdue_responses });
				}
			}
			want.sort(leagueOrder);
			// The year is this file's alone: nobody else answered in it.
			for (const r of res.rows) assert.equal(typeof r.institution_name, 'string');
			assert.deepEqual(res.rows.map(({ institution_name: _, ...r }) => r), want, `${from}..${to}`);
		}
	});

	test('a bad window is 400 naming the field; only the bureau may ask', async () => {
		expectError(await api('GET', '/api/v1/stats/responses?from=2026-02-30', { token: W.bureau.token }), 400, 'validation_failed', 'from');
		const bank = W.banks.values().next().value;
		expectError(await api('GET', '/api/v1/stats/responses', { token: bank.token }), 403, 'forbidden');
	});
});

function csvParse(text) {
	const rows = [];
	let row = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') {
			row.push(field); rows.push(row); row = []; field = ''; i++;
		} else field += c;
	}
	assert.equal(field, '', 'the last line ends with CRLF');
	return rows;
}

describe('export.csv', () => {
	test('the CSV is the breakdown: BOM, header, RFC 4180 quoting, formulas defused', async () => {
		const [b1] = [...W.banks.keys()];
		const token = W.banks.get(b1).token;
		for (const by of ['product', 'month', 'size_class']) {
			// fetch itself: Response.text() would drop the byte order mark
			const res = await fetch(`${BASE_URL}/api/v1/stats/export.csv?by=${by}`, { headers: { authorization: `Bearer ${token}` } });
			assert.equal(res.status, 200);
			assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
			const bytes = Buffer.from(await res.arrayBuffer());
			assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
			const rows = csvParse(bytes.subarray(3).toString('utf8'));
			assert.deepEqual(rows[0], ['key', 'label', 'applications', 'approved', 'disbursed_count', 'disbursed_fen', 'avg_rate_bps']);
			const want = expectedBreakdown({ kind: 'bank', id: b1 }, by, '1900-01-01', '2199-12-31');
			assert.deepEqual(rows.slice(1), want.map((r) => [r.key === null ? '' : String(r.key),
				r.label === null ? '' : /^[=+\-@\t\r\n]/.test(r.label) ? `'${r.label}` : r.label,
				String(r.applications), String(r.approved), String(r.disbursed_count), String(r.disbursed_fen),
				r.avg_rate_bps === null ? '' : String(r.avg_rate_bps)]));
		}
	});

	test('the export refuses what the breakdown refuses', async () => {
		expectError(await api('GET', '/api/v1/stats/export.csv?by=month&from=2026-02-29', { token: W.bureau.token }),
			400, 'validation_failed', 'from');
		expectError(await api('GET', '/api/v1/stats/export.csv', { token: W.bureau.token }), 400, 'validation_failed', 'by');
	});
});
