// Nothing is lost or applied twice when the server dies mid-movement. Each
// round starts a server of its own (XYD_TEST_SERVER_BIN on a free port,
// against the suite's database XYD_TEST_DB_URL), fires a burst of deposits,
// repayments and recoveries, each with its own Idempotency-Key, SIGKILLs
// the server at a random moment, starts it again and checks: every
// acknowledged movement is in the database; re-sending every key (answered
// or not) replays the acknowledged ones unchanged and applies the rest once;
// the fund, loan and claim totals equal the sums of the movements, one
// journal entry or repayment row each; the ledger is balanced.
// XYD_CRASH_ROUNDS rounds (default 20; scripts/crash-ledger.sh N for more).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { login, sql } from '../api/lib.mjs';
import {
	defaultLoan, deposit, disburse, fileClaim, fundedProgram, limitsOff, post,
} from '../api/ledger_helpers.mjs';
import { startServer, stopped } from './server.mjs';

const ROUNDS = Number(process.env.XYD_CRASH_ROUNDS || 20);
const BURST = 24;		// movements of a round
const IN_FLIGHT = 4;		// sent at once: the kill finds some answered, some running, some unsent
const TOKEN_REUSE_MS = 10 * 60 * 1000;	// log in again before the 15-minute token runs out

let varDir;
let ctx;			// the funded programme, its loans and claim
let tokens;			// {bureau, bank}, refreshed every TOKEN_REUSE_MS (rounds outlast a token)
let tokensAt = 0;
const sent = [];		// every movement of every round: {kind, user, path, body, key, amount}

/** POST to the round's server; resolves {status, json, replayed} or {error}. */
async function send(base, m) {
	try {
		const res = await fetch(`${base}/api/v1${m.path}`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${tokens[m.user]}`, 'content-type': 'application/json', 'idempotency-key': m.key,
			},
			body: JSON.stringify(m.body),
		});
		const text = await res.text();
		return { status: res.status, json: JSON.parse(text), replayed: res.headers.get('idempotent-replayed') === 'true' };
	} catch (error) {
		return { error };
	}
}

/**
 * Sends moves IN_FLIGHT at a time and SIGKILLs the server as soon as
 * killAt answers are in (a few ms of jitter later), with requests still
 * running; resolves every move's answer ({error} for the lost ones).
 */
async function sendUntilKilled(server, moves, killAt) {
	const got = new Array(moves.length);
	let next = 0;
	let answered = 0;
	let killed = null;
	const kill = () => {
		killed ??= new Promise((r) => setTimeout(r, Math.floor(Math.random() * 15)))
			.then(() => { server.child.kill('SIGKILL'); return stopped(server.child); });
		return killed;
	};
	const worker = async () => {
		while (next < moves.length && !killed) {
			const i = next++;
			got[i] = await send(server.base, moves[i]);
			if (++answered >= killAt) kill();
		}
	};
	await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
	await kill();
	return Array.from(got, (a) => a ?? { error: new Error("not sent before the kill") });
}

/** BURST random movements for round r. */
function burst(r) {
	const out = [];
	for (let i = 0; i < BURST; i++) {
		const amount = 1 + Math.floor(Math.random() * 1000);
		const key = `crash-${ctx.fund.id}-${r}-${i}`;
		const pick = i % 3;
		if (pick === 0) {
			out.push({ kind: 'deposit', user: 'bureau', path: `/funds/${ctx.fund.id}/deposits`, body: { amount_fen: amount, memo: key }, key, amount });
		} else if (pick === 1) {
			const loan = ctx.loans[i % ctx.loans.length];
			out.push({ kind: 'repayment', user: 'bank', loan: loan.id, path: `/loans/${loan.id}/repayments`,
				body: { amount_fen: amount, paid_on: loan.disbursed_on }, key, amount });
		} else {
			out.push({ kind: 'recovery', user: 'bank', path: `/claims/${ctx.claim.id}/recoveries`, body: { amount_fen: amount }, key, amount });
		}
	}
	return out;
}

/** The table each kind of answer's id names a row of. */
const TABLE = { deposit: 'ledger_journals', repayment: 'loan_repayments', recovery: 'recoveries' };

/**
 * One query (each sql() call costs a client start): how many of the
 * acknowledged ids are stored, then the deposits' entry count and sum, each
 * loan's repayment count, sum and outstanding, and the claim's recovery
 * count, sum and running total.
 */
function stored(acked) {
	const present = Object.keys(TABLE).map((kind) => {
		const ids = acked.filter((x) => x.m.kind === kind).map((x) => x.a.json.id);
		return ids.length ? `(SELECT COUNT(*) FROM ${TABLE[kind]} WHERE id IN (${ids.join(',')}))` : '0';
	});
	const loans = ctx.loans.map((l) => `(SELECT COUNT(*) FROM loan_repayments WHERE loan_id = ${l.id}),
		(SELECT COALESCE(SUM(amount_fen), 0) FROM loan_repayments WHERE loan_id = ${l.id}),
		(SELECT outstanding_fen FROM loans WHERE id = ${l.id})`);
	const row = sql(`SELECT ${present.join(', ')},
		(SELECT COUNT(*) FROM ledger_journals j JOIN ledger_postings p ON p.journal_id = j.id
			JOIN ledger_accounts a ON a.id = p.account_id WHERE j.kind = 'fund.deposit' AND a.kind = 'fund_cash'
			AND a.fund_id = ${ctx.fund.id} AND j.memo LIKE 'crash-%'),
		(SELECT COALESCE(SUM(p.amount_fen), 0) FROM ledger_journals j JOIN ledger_postings p ON p.journal_id = j.id
			JOIN ledger_accounts a ON a.id = p.account_id WHERE j.kind = 'fund.deposit' AND a.kind = 'fund_cash'
			AND a.fund_id = ${ctx.fund.id} AND j.memo LIKE 'crash-%'),
		${loans.join(', ')},
		(SELECT COUNT(*) FROM recoveries WHERE claim_id = ${ctx.claim.id}),
		(SELECT COALESCE(SUM(amount_fen), 0) FROM recoveries WHERE claim_id = ${ctx.claim.id}),
		(SELECT recovered_fen FROM claims WHERE id = ${ctx.claim.id})`)[0].map(Number);
	return { present: row.slice(0, 3), totals: row.slice(3) };
}

/** What stored(...).totals must be once every movement sent is applied once. */
function expectedTotals() {
	const pick = (kind, pred = () => true) => sent.filter((m) => m.kind === kind && pred(m));
	const sum = (ms) => ms.reduce((s, m) => s + m.amount, 0);
	const deposits = pick('deposit');
	const out = [deposits.length, sum(deposits)];
	for (const l of ctx.loans) {
		const reps = pick('repayment', (m) => m.loan === l.id);
		out.push(reps.length, sum(reps), l.principal_fen - sum(reps));
	}
	const recs = pick('recovery');
	out.push(recs.length, sum(recs), sum(recs));
	return out;
}

async function ledgerBalanced(base) {
	const res = await fetch(`${base}/api/v1/ledger/check`, { headers: { authorization: `Bearer ${tokens.bureau}` } });
	const c = await res.json();
	assert.equal(c.balanced, true, `ledger check: ${JSON.stringify(c)}`);
}

before(async () => {
	assert.ok(process.env.XYD_TEST_DB_URL, 'XYD_TEST_DB_URL is not set');
	varDir = mkdtempSync(join(tmpdir(), 'xyd-crash-'));
	const c = await fundedProgram();
	await limitsOff(c);
	const loans = [await disburse(c, 500000000), await disburse(c, 500000000)];
	const bad = await disburse(c, 500000000);
	await defaultLoan(c, bad.id);
	await deposit(c, 200000000);
	const claim = await fileClaim(c, bad.id, 400000000);
	const paid = await post(`/claims/${claim.id}/approve`, c.bureau.token);
	assert.equal(paid.status, 200, paid.text);
	ctx = { ...c, loans, claim };
});

after(() => {
	if (varDir) rmSync(varDir, { recursive: true, force: true });
});

async function logins() {
	if (Date.now() - tokensAt < TOKEN_REUSE_MS) return;
	tokensAt = Date.now();
	const [b, k] = await Promise.all([login(ctx.bureau.username, ctx.bureau.password), login(ctx.bank.username, ctx.bank.password)]);
	tokens = { bureau: b.token, bank: k.token };
}

test(`${ROUNDS} rounds of SIGKILL during a burst of money movements: nothing lost, nothing twice`, async (t) => {
	let acknowledged = 0;
	let unanswered = 0;
	for (let r = 0; r < ROUNDS; r++) {
		await logins();
		const first = await startServer(varDir);
		const moves = burst(r);
		sent.push(...moves);
		const got = await sendUntilKilled(first, moves, 1 + Math.floor(Math.random() * (BURST - 2)));
		const acked = moves.map((m, i) => ({ m, a: got[i] })).filter((x) => x.a.status === 201);
		for (const x of got) {
			assert.ok(x.error || x.status === 201, `round ${r}: an answer before the kill is 201: ${JSON.stringify(x.json)}`);
		}
		acknowledged += acked.length;
		unanswered += moves.length - acked.length;

		// Every acknowledged movement is in the database.
		assert.deepEqual(stored(acked).present, Object.keys(TABLE).map((k) => acked.filter((x) => x.m.kind === k).length),
			`round ${r}: acknowledged deposits, repayments, recoveries present`);

		// A new server; every key again: the acknowledged replay their answer,
		// the others apply now or replay what committed before the kill.
		const second = await startServer(varDir);
		try {
			const again = await Promise.all(moves.map((m) => send(second.base, m)));
			again.forEach((a, i) => assert.equal(a.status, 201, `round ${r}, ${moves[i].key}: ${JSON.stringify(a.json ?? String(a.error))}`));
			for (const x of acked) {
				const a = again[moves.indexOf(x.m)];
				assert.equal(a.replayed, true, `round ${r}: ${x.m.key} replayed`);
				assert.deepEqual(a.json, x.a.json, `round ${r}: ${x.m.key} answers as before`);
			}
			assert.deepEqual(stored([]).totals, expectedTotals(),
				`round ${r}: deposits (count, sum), each loan's repayments (count, sum, outstanding), recoveries (count, sum, claim total)`);
			await ledgerBalanced(second.base);
		} finally {
			second.child.kill('SIGKILL');	// a clean stop proves nothing here and waits on idle connections
			await stopped(second.child);
		}
	}
	t.diagnostic(`crash rounds ${ROUNDS}: ${acknowledged} movements acknowledged before the kill, ${unanswered} not`);
});
