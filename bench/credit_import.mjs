#!/usr/bin/env node
// credit_import.mjs — how long the credit import and a full rescoring take.
//
//   1. 100,000 enterprises with 10 credit records each (1,000,000 records)
//      are written straight into the database with SQL (MariaDB's sequence
//      tables), bypassing the API;
//   2. POST /api/v1/credit-records/batch with 10,000 new rows, as JSON and
//      as CSV, each row for another enterprise, so 10,000 enterprises are
//      rescored before the answer (BENCH_IMPORT_RUNS runs of each, default 3);
//   3. a new scorecard version is created and activated, and v1 again:
//      every enterprise is rescored before each answer.
// Prints each run and the medians.
//
// With XYD_BENCH_BASE_URL, XYD_BENCH_ADMIN_PASSWORD and XYD_VAR set it uses
// that server and its database (scripts/bench.sh passes its own). Without,
// it starts a private MariaDB and build/release/xinyidai itself and stops
// both at the end.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import net from 'node:net';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENTERPRISES = Number(process.env.BENCH_ENTERPRISES || 100000);
const RECORDS_EACH = 10;
const IMPORT_ROWS = 10000;
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS || 3);

let base = process.env.XYD_BENCH_BASE_URL;
let adminPassword = process.env.XYD_BENCH_ADMIN_PASSWORD;
let varDir = process.env.XYD_VAR;
let server = null;
let ownDb = false;

function sql(query) {
	return execFileSync('scripts/db.sh', ['sql', '-N', '-e', query], {
		cwd: ROOT, env: { ...process.env, XYD_VAR: varDir }, encoding: 'utf8', maxBuffer: 1 << 26,
	}).trim();
}

async function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

async function startOwn() {
	varDir = mkdtempSync('/tmp/xyd-cbench.');
	ownDb = true;
	const url = execFileSync('scripts/db.sh', ['start'], {
		cwd: ROOT, env: { ...process.env, XYD_VAR: varDir, XYD_DB_FAST: '1' }, encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	}).trim();
	const migrateUrl = execFileSync('scripts/db.sh', ['migrate-url'], {
		cwd: ROOT, env: { ...process.env, XYD_VAR: varDir }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
	}).trim();
	const port = await freePort();
	adminPassword = `Bench-${randomBytes(6).toString('hex')}!A`;
	const log = openSync(`${varDir}/server.log`, 'a');
	server = spawn('build/release/xinyidai', [], {
		cwd: ROOT,
		env: {
			...process.env, XYD_DB: url, XYD_DB_MIGRATE: migrateUrl, XYD_VAR: varDir, XYD_LISTEN: `127.0.0.1:${port}`,
			XYD_ADMIN_PASSWORD: adminPassword, XYD_DEMO: '0', XYD_LOG_LEVEL: 'warn',
		},
		stdio: ['ignore', log, log],
	});
	base = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 200; i++) {
		try {
			if ((await fetch(`${base}/api/v1/health`)).ok) return;
		} catch { /* not up yet */ }
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('the server did not come up');
}

async function stopOwn() {
	if (server) {
		server.kill('SIGTERM');
		await new Promise((r) => server.once('exit', r));
	}
	if (ownDb) {
		execFileSync('scripts/db.sh', ['stop'], { cwd: ROOT, env: { ...process.env, XYD_VAR: varDir }, stdio: 'ignore' });
		rmSync(varDir, { recursive: true, force: true });
	}
}

// One request on a connection of its own: a kept-alive one may have been
// closed by the server's idle timeout while the seeding ran.
function call(method, path, token, body, contentType = 'application/json') {
	const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
	const url = new URL(base + path);
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: url.hostname, port: url.port, path: url.pathname, method, agent: false, timeout: 120000,
			headers: {
				'content-type': contentType,
				...(token ? { authorization: `Bearer ${token}` } : {}),
				...(payload === undefined ? {} : { 'content-length': Buffer.byteLength(payload) }),
			},
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				if (res.statusCode >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
				else resolve(JSON.parse(text));
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

async function bureauToken() {
	const admin = await call('POST', '/api/v1/auth/login', null, { username: 'admin', password: adminPassword });
	const username = `bench_${randomBytes(4).toString('hex')}`;
	const password = `Bench-${randomBytes(6).toString('hex')}!A`;
	await call('POST', '/api/v1/users', admin.access_token, { username, password, role: 'bureau', org_id: null });
	return (await call('POST', '/api/v1/auth/login', null, { username, password })).access_token;
}

// 100,000 enterprises and their 1,000,000 records, written with SQL.
function seed(tag) {
	const t0 = Date.now();
	sql(`INSERT INTO enterprises (uscc, name, legal_rep_name, legal_rep_id_no, phone, industry,
		industry_section, town, park_id, registered_capital_fen, founded_on, employees,
		annual_revenue_fen, size_class)
	SELECT CONCAT('B', '${tag}', LPAD(seq, 13, '0')), CONCAT('bench ${tag} ', seq), 'bench',
		'310120198709274536', '13812345678', 'C26', 'C', 'nanqiao', 1, 100000000,
		'2010-01-01' + INTERVAL (seq % 5000) DAY, 10, 100000000, 'small'
	FROM seq_1_to_${ENTERPRISES}`);
	const adminId = sql(`SELECT id FROM users WHERE username = 'admin'`);
	sql(`INSERT INTO credit_import_batches (imported_by, format, rows_total, rows_accepted,
		rows_duplicate, rows_rejected) VALUES (${adminId}, 'json', ${ENTERPRISES * RECORDS_EACH},
		${ENTERPRISES * RECORDS_EACH}, 0, 0)`);
	const batch = sql('SELECT MAX(id) FROM credit_import_batches');
	const values = [
		['tax_rating', `ELT(1 + e.id % 5, '{"grade":"A","year":2024}', '{"grade":"B","year":2024}', '{"grade":"M","year":2024}', '{"grade":"C","year":2024}', '{"grade":"D","year":2024}')`],
		['social_security', `CONCAT('{"months_paid":', e.id % 13, '}')`],
		['housing_fund', `CONCAT('{"months_paid":', e.id % 13, '}')`],
		['utility_arrears', `CONCAT('{"months_overdue":', e.id % 4, ',"amount_fen":120000}')`],
		['patent', `CONCAT('{"count":', e.id % 6, ',"kind":"invention"}')`],
		['trademark', `CONCAT('{"count":', e.id % 8, '}')`],
		['rnd_expense', `CONCAT('{"amount_fen":', (e.id % 50) * 10000000, ',"year":2024}')`],
		['env_rating', `ELT(1 + e.id % 5, '{"grade":"green"}', '{"grade":"blue"}', '{"grade":"yellow"}', '{"grade":"red"}', '{"grade":"black"}')`],
		['admin_penalty', `'{"severity":"general","amount_fen":500000,"reason":"late filing"}'`],
		['award', `'{"title":"district model enterprise"}'`],
	];
	for (const [category, value] of values) {
		sql(`INSERT INTO credit_records (enterprise_id, category, value_json, source_dept,
			source_record_id, observed_on, expires_on, minor_party, force_majeure, batch_id)
		SELECT e.id, '${category}', ${value}, 'bench-${tag}', CONCAT('${category}-', e.id),
			'2025-06-30' - INTERVAL (e.id % 900) DAY, NULL, 0, 0, ${batch}
		FROM enterprises e WHERE e.uscc LIKE 'B${tag}%'`);
	}
	return (Date.now() - t0) / 1000;
}

// Waits (at most 30 s) until InnoDB has written out most of the pages and
// purged the history a bulk load or a rescoring left behind, so that each
// measurement starts from a settled database rather than from the flushing
// of the last one.
async function settle() {
	const q = "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME"
		+ " IN ('INNODB_BUFFER_POOL_PAGES_DIRTY', 'INNODB_BUFFER_POOL_PAGES_TOTAL', 'INNODB_HISTORY_LIST_LENGTH')";
	const t0 = Date.now();
	while (Date.now() - t0 < 30000) {
		const v = Object.fromEntries(sql(q).split('\n').map((l) => l.split('\t')));
		if (Number(v.INNODB_BUFFER_POOL_PAGES_DIRTY) < Number(v.INNODB_BUFFER_POOL_PAGES_TOTAL) / 10
			&& Number(v.INNODB_HISTORY_LIST_LENGTH) < 5000) break;
		await new Promise((r) => setTimeout(r, 500));
	}
	return (Date.now() - t0) / 1000;
}

function importRows(tag, run, usccs) {
	const rows = [];
	for (let i = 0; i < IMPORT_ROWS; i++) {
		rows.push({
			uscc: usccs[(run * IMPORT_ROWS + i) % usccs.length],
			category: 'trademark',
			value: { count: 1 + (i % 7) },
			source_dept: `import-${tag}`,
			source_record_id: `r${run}-${i}`,
			observed_on: '2025-07-01',
		});
	}
	return rows;
}

function toCsv(rows) {
	const q = (s) => `"${String(s).replaceAll('"', '""')}"`;
	const lines = ['uscc,category,value,source_dept,source_record_id,observed_on'];
	for (const r of rows) lines.push([r.uscc, r.category, q(JSON.stringify(r.value)), r.source_dept, r.source_record_id, r.observed_on].join(','));
	return lines.join('\r\n') + '\r\n';
}

// CPU seconds (user + system) a process has used so far, or null.
function cpuSeconds(pid) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(f[11]) + Number(f[12])) / 100;	// utime, stime in clock ticks (USER_HZ 100)
	} catch {
		return null;
	}
}

function dbPid() {
	try {
		return Number(readFileSync(`${varDir}/mariadb.pid`, 'utf8').trim());
	} catch {
		return null;
	}
}

function median(xs) {
	const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
	if (!base) await startOwn();
	const tag = randomBytes(2).toString('hex').toUpperCase();
	const token = await bureauToken();
	console.log(`credit benchmark: ${ENTERPRISES} enterprises x ${RECORDS_EACH} records, seeding with SQL ...`);
	const seedS = seed(tag);
	console.log(`  seeded in ${seedS.toFixed(1)} s; the database settled in ${(await settle()).toFixed(1)} s`);
	const usccs = sql(`SELECT uscc FROM enterprises WHERE uscc LIKE 'B${tag}%' ORDER BY id`).split('\n');

	const times = { json: [], csv: [] };
	for (let run = 0; run < IMPORT_RUNS; run++) {
		for (const format of ['json', 'csv']) {
			const k = run * 2 + (format === 'csv' ? 1 : 0);
			const rows = importRows(tag, k, usccs);
			const body = format === 'json' ? { records: rows } : toCsv(rows);
			const t0 = performance.now();
			const out = await call('POST', '/api/v1/credit-records/batch', token, body,
				format === 'json' ? 'application/json' : 'text/csv');
			const ms = performance.now() - t0;
			if (out.accepted !== IMPORT_ROWS || out.rejected.length) throw new Error(`import: ${JSON.stringify(out).slice(0, 300)}`);
			times[format].push(ms);
		}
	}
	for (const format of ['json', 'csv'])
		console.log(`  import ${IMPORT_ROWS} rows (${format}), 10,000 enterprises rescored: median ${(median(times[format]) / 1000).toFixed(2)} s (target < 5 s)   runs: ${times[format].map((t) => (t / 1000).toFixed(2)).join(' ')}`);

	const models = await call('GET', '/api/v1/credit-models', token);
	const weights = models.items.find((m) => m.version === 'v1').weights;
	weights.tax_rating.A = 210;
	const version = `bench-${tag}`;
	await call('POST', '/api/v1/credit-models', token, { version, weights });
	const total = Number(sql('SELECT COUNT(*) FROM enterprises'));
	const rescoring = [];
	const pids = { server: server ? server.pid : null, db: dbPid() };
	for (const v of [version, 'v1', version, 'v1']) {
		await settle();
		const cpu0 = { server: cpuSeconds(pids.server), db: cpuSeconds(pids.db) };
		const t0 = performance.now();
		const out = await call('POST', `/api/v1/credit-models/${v}/activate`, token, {});
		const ms = performance.now() - t0;
		if (out.rescored !== total) throw new Error(`activate ${v}: rescored ${out.rescored} of ${total}`);
		rescoring.push(ms);
		const used = (k) => (cpu0[k] === null ? '' : ` ${k} ${(cpuSeconds(pids[k]) - cpu0[k]).toFixed(2)} s`);
		console.log(`  activate ${v}: ${out.rescored} enterprises rescored in ${(ms / 1000).toFixed(2)} s`
			+ (pids.db ? `   CPU:${used('server')}${used('db')}` : ''));
	}
	console.log(`  full rescoring median ${(median(rescoring) / 1000).toFixed(2)} s (target < 10 s)`);
	const wrong = sql(`SELECT COUNT(*) FROM credit_scores WHERE model_version <> 'v1'`);
	if (wrong !== '0') throw new Error(`${wrong} scores not made by v1 after activating it`);
}

try {
	await main();
} catch (err) {
	if (ownDb) {
		try {
			console.error(execFileSync('tail', ['-n', '20', `${varDir}/server.log`], { encoding: 'utf8' }));
		} catch { /* no log */ }
	}
	throw err;
} finally {
	await stopOwn();
}
