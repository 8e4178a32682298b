// Shared helpers for the API tests (tests/api/*.test.mjs): an HTTP client
// bound to XYD_TEST_BASE_URL, generators of valid credit codes, ID numbers
// and passwords, per-process caches of logged-in users, the api.md error
// envelope check, and a DB-admin SQL escape hatch for tests that need time
// to pass. Every helper that creates data uses unique random names, so tests
// never depend on each other, on order, or on what else is in the database.

import { appendFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export const BASE_URL = (process.env.XYD_TEST_BASE_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const ADMIN_PASSWORD = process.env.XYD_TEST_ADMIN_PASSWORD || '';
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const REQUEST_TIMEOUT_MS = 30000;

export const ROLES = ['sme', 'bank', 'park', 'bureau', 'admin', 'auditor'];

/* ------------------------------------------------------------------ HTTP */

/**
 * One request. body is sent as JSON; rawBody (string or Buffer) is sent as
 * is, with Content-Type application/json unless headers say otherwise
 * (a header given as null is left out). Returns {status, headers, json, text};
 * json is null when the answer is not JSON.
 */
export async function api(method, path, { token, body, headers = {}, rawBody } = {}) {
	const h = {};
	let payload;
	if (rawBody !== undefined) {
		payload = rawBody;
		h['content-type'] = 'application/json';
	} else if (body !== undefined) {
		payload = JSON.stringify(body);
		h['content-type'] = 'application/json';
	}
	if (token) h.authorization = `Bearer ${token}`;
	for (const [k, v] of Object.entries(headers)) {
		const key = k.toLowerCase();
		if (v === null || v === undefined) delete h[key];
		else h[key] = v;
	}
	const res = await fetch(BASE_URL + path, {
		method,
		headers: h,
		body: payload,
		redirect: 'manual',
		signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
	});
	const text = await res.text();
	let json = null;
	try {
		json = JSON.parse(text);
	} catch {
		json = null;
	}
	recordAnswer(token, method, path, text);
	return { status: res.status, headers: res.headers, json, text };
}

/*
 * Every answer of every API test, with who asked, goes to one file in the
 * server's var folder, so that the last test (zz_masking_sweep) can grep the
 * whole run for personal numbers shown to someone who may not see them.
 */
const ANSWERS_FILE = process.env.XYD_TEST_VAR ? `${process.env.XYD_TEST_VAR}/api-answers.jsonl` : null;
function recordAnswer(token, method, path, text) {
	if (!ANSWERS_FILE || !text) return;
	let caller = { role: 'anonymous', org: null };
	if (token && token.split('.').length === 3) {
		try {
			const p = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
			caller = { role: p.role ?? 'unknown', org: p.org ?? null };
		} catch { /* a crafted token: treated as anonymous */ }
	}
	appendFileSync(ANSWERS_FILE, JSON.stringify({ ...caller, method, path, text }) + '\n');
}

/**
 * A request with node:http, for paths that fetch would normalise
 * ("/static/../x", "%2e%2e"), for oversized header blocks and bodies.
 * Resolves {status, headers, json, text} once an answer arrives, even when
 * the server closes before taking the whole request (a write error is
 * given half a second for the answer to show up); headers is node's
 * lower-cased object.
 */
export function rawRequest(method, path, { headers = {}, body } = {}) {
	const url = new URL(BASE_URL);
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: url.hostname,
			port: url.port || 80,
			method,
			path,
			headers,
			agent: false,
			timeout: REQUEST_TIMEOUT_MS,
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json = null;
				try {
					json = JSON.parse(text);
				} catch {
					json = null;
				}
				resolve({ status: res.statusCode, headers: res.headers, json, text, bytes: Buffer.concat(chunks) });
			});
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
		req.on('error', (err) => setTimeout(() => reject(err), 500));
		if (body !== undefined) req.write(body);
		req.end();
	});
}

/* ------------------------------------------------------------ assertions */

const LEAK_PATTERNS = [
	/\b(SELECT|INSERT|UPDATE|DELETE)\b[\s\S]*\b(FROM|INTO|SET|WHERE)\b/,
	/SQLSTATE/i,
	/\b(mysql|mariadb)\b/i,
	/syntax to use near/i,
	/Duplicate entry/i,
	/\bat [\w.<>]+ \(/,		// JS-style stack frame
	/\w+\.c:\d+/,			// C source position
	/\bstack ?trace\b/i,
	/\bsegmentation fault\b/i,
];

/** Asserts that text carries no SQL, stack or hash material. */
export function assertNoLeak(text, what = 'answer') {
	for (const re of LEAK_PATTERNS) assert.doesNotMatch(text, re, `${what} leaks internals: ${text}`);
	assert.doesNotMatch(text, /\$argon2/i, `${what} leaks a password hash`);
}

/** Asserts res.headers' Content-Type is application/json (charset allowed). */
export function assertJsonType(res) {
	const ct = res.headers.get ? res.headers.get('content-type') : res.headers['content-type'];
	assert.match(ct || '', /^application\/json\s*(;|$)/i, `Content-Type is ${ct}`);
}

/**
 * Asserts the api.md error envelope exactly: status, {"error":{...}} and no
 * other top-level key, code, a non-empty message without internals, and
 * field when given (pass null to require that no field is named).
 */
export function expectError(res, status, code, field) {
	const where = `${res.status} ${res.text}`;
	assert.equal(res.status, status, `status: ${where}`);
	assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `not a JSON object: ${where}`);
	assert.deepEqual(Object.keys(res.json), ['error'], `top-level keys: ${where}`);
	const e = res.json.error;
	assert.ok(e && typeof e === 'object' && !Array.isArray(e), `error is not an object: ${where}`);
	for (const k of Object.keys(e)) assert.ok(['code', 'message', 'field'].includes(k), `unexpected error key ${k}: ${where}`);
	assert.equal(e.code, code, `code: ${where}`);
	assert.equal(typeof e.message, 'string', `message: ${where}`);
	assert.ok(e.message.length > 0, `empty message: ${where}`);
	assertNoLeak(e.message, 'error message');
	if ('field' in e) assert.equal(typeof e.field, 'string', `field must be a string: ${where}`);
	if (field === null) assert.ok(!('field' in e) || e.field === '', `no field expected: ${where}`);
	else if (field !== undefined) assert.equal(e.field, field, `field: ${where}`);
	assertJsonType(res);
	return e;
}

/** Asserts status (one value or a list) and returns res.json. */
export function expectStatus(res, status) {
	const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status;
	assert.ok(ok, `expected ${status}, got ${res.status}: ${res.text}`);
	return res.json;
}

/** Asserts obj has exactly the given keys (in any order). */
export function assertKeys(obj, keys, what = 'object') {
	assert.ok(obj && typeof obj === 'object' && !Array.isArray(obj), `${what} is not an object: ${JSON.stringify(obj)}`);
	assert.deepEqual(Object.keys(obj).sort(), [...keys].sort(), `${what} keys`);
}

export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Asserts the api.md list envelope and returns it. */
export function assertList(res) {
	const body = expectStatus(res, 200);
	assertKeys(body, ['items', 'next_cursor'], 'list envelope');
	assert.ok(Array.isArray(body.items), 'items is an array');
	assert.ok(body.next_cursor === null || (typeof body.next_cursor === 'string' && body.next_cursor.length > 0),
		`next_cursor: ${JSON.stringify(body.next_cursor)}`);
	return body;
}

/**
 * Follows next_cursor from path (which may carry a query) until it is null.
 * Returns every item in order. Stops with a failure after maxPages.
 */
export async function listAll(path, token, { limit = 500, maxPages = 1000 } = {}) {
	const sep = path.includes('?') ? '&' : '?';
	const items = [];
	let cursor = null;
	for (let page = 0; page < maxPages; page++) {
		const q = `${sep}limit=${limit}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
		const body = assertList(await api('GET', path + q, { token }));
		assert.ok(body.items.length <= limit, `page of ${body.items.length} exceeds limit ${limit}`);
		items.push(...body.items);
		if (body.next_cursor === null) return items;
		assert.ok(body.items.length > 0, 'a page with a next_cursor must not be empty');
		cursor = body.next_cursor;
	}
	assert.fail(`${path}: more than ${maxPages} pages`);
}

/* ------------------------------------------------------------ generators */

export function hex(bytes = 4) {
	return randomBytes(bytes).toString('hex');
}

/** A fresh unique name: prefix + random hex (a valid username too). */
export function uniqueName(prefix = 't') {
	return `${prefix}_${hex(5)}`;
}

export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** The GB 32100-2015 check character of 17 characters. */
export function usccCheckChar(first17) {
	let sum = 0;
	for (let i = 0; i < 17; i++) {
		const v = USCC_CHARSET.indexOf(first17[i]);
		if (v < 0) throw new Error(`not a USCC character: ${first17[i]}`);
		let w = 1;
		for (let k = 0; k < i; k++) w = (w * 3) % 31;
		sum += v * w;
	}
	const c = 31 - (sum % 31);
	return USCC_CHARSET[c === 31 ? 0 : c];
}

/** The GB 11714 check character of an 8-digit organisation code body. */
function orgCodeCheckChar(body8) {
	const weights = [3, 7, 9, 10, 5, 8, 4, 2];
	let sum = 0;
	for (let i = 0; i < 8; i++) sum += Number(body8[i]) * weights[i];
	const c = 11 - (sum % 11);
	return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * A valid USCC: '91' (enterprise), division 310120 (Fengxian), an
 * organisation code (8 digits + its own GB 11714 check) and the mod-31
 * check. The same seed gives the same code; no seed gives a random one.
 */
export function validUscc(seed) {
	const src = seed === undefined ? randomBytes(16) : createHash('sha256').update(String(seed)).digest();
	let body8 = '';
	for (let i = 0; i < 8; i++) body8 += String(src[i] % 10);
	const first17 = '91310120' + body8 + orgCodeCheckChar(body8);
	return first17 + usccCheckChar(first17);
}

/** The same code with a wrong (but in-charset) check character. */
export function badCheckUscc(uscc = validUscc()) {
	const good = uscc[17];
	const other = USCC_CHARSET[(USCC_CHARSET.indexOf(good) + 1) % 31];
	return uscc.slice(0, 17) + other;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The GB 11643 (ISO 7064 MOD 11-2) check character of 17 digits. */
export function idCheckChar(first17) {
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
	return '10X98765432'[sum % 11];
}

/**
 * A valid resident ID number of Fengxian (310120) for birthDate
 * ('YYYY-MM-DD', default a random day in 1960-1999) and seq (0-999,
 * default random).
 */
export function validIdNo(birthDate, seq) {
	if (!birthDate) {
		const y = 1960 + randomInt(40);
		const m = 1 + randomInt(12);
		const d = 1 + randomInt(28);
		birthDate = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
	}
	if (seq === undefined) seq = randomInt(1000);
	const first17 = '310120' + birthDate.replaceAll('-', '') + String(seq).padStart(3, '0');
	assert.equal(first17.length, 17, `bad birth date ${birthDate}`);
	return first17 + idCheckChar(first17);
}

/** The same number with a wrong check character. */
export function badCheckIdNo(id = validIdNo()) {
	const chars = '0123456789X';
	return id.slice(0, 17) + chars[(chars.indexOf(id[17]) + 1) % 11];
}

/** A password that meets the api.md policy (16 characters, 4 classes). */
export function strongPassword() {
	return `Pw-${hex(5)}Z9a!`;
}

export function randomMobile() {
	return '138' + String(randomInt(1e8)).padStart(8, '0');
}

/** A complete valid enterprise for register; overrides replace keys. */
export function enterpriseBody(overrides = {}) {
	return {
		uscc: validUscc(),
		name: `测试企业${hex(3)}有限公司`,
		legal_rep_name: '张三',
		legal_rep_id_no: validIdNo(),
		phone: randomMobile(),
		industry: 'C26',
		town: 'nanqiao',
		park_id: 1,
		registered_capital_fen: 500000000,
		founded_on: '2018-05-01',
		employees: 50,
		annual_revenue_fen: 500000000,
		...overrides,
	};
}

/** A complete valid register body; enterprise overrides go in opts.enterprise. */
export function registerBody({ username, password, enterprise = {} } = {}) {
	return {
		username: username ?? uniqueName('sme'),
		password: password ?? strongPassword(),
		enterprise: enterpriseBody(enterprise),
	};
}

/* -------------------------------------------------------------- accounts */

/**
 * Registers a fresh enterprise and its sme user; asserts 201. A park named
 * at registration is only a pending request (park_change) until the park's
 * operator confirms it: registerSme confirms it as that park's operator, so
 * the enterprise is in the park it names, unless opts.parkPending is true.
 * Returns {username, password, body, user, enterprise}.
 */
export async function registerSme(opts = {}) {
	const body = registerBody(opts);
	const res = await api('POST', '/api/v1/auth/register', { body });
	expectStatus(res, 201);
	let enterprise = res.json.enterprise;
	if (!opts.parkPending) enterprise = await confirmRegisteredPark(enterprise);
	return { username: body.username, password: body.password, body, user: res.json.user, enterprise };
}

/**
 * Confirms the pending park request of an enterprise just registered (the
 * register answer's enterprise) as its park's operator; asserts 200.
 * Returns the enterprise with that park_id and park_change null; as is
 * when it named no park.
 */
export async function confirmRegisteredPark(enterprise) {
	const pc = enterprise.park_change;
	if (!pc) return enterprise;
	const op = await parkOperator(pc.park_id);
	const res = await api('POST', `/api/v1/park-changes/${pc.id}/confirm`, { token: op.token });
	expectStatus(res, 200);
	return { ...enterprise, park_id: pc.park_id, park_change: null };
}

const parkOperators = new Map();

/** A logged-in operator of park parkId, made once per process (park 1: roleUser('park')). */
export function parkOperator(parkId = 1) {
	if (parkId === 1) return roleUser('park');
	if (!parkOperators.has(parkId)) {
		const p = freshUser('park', parkId);
		parkOperators.set(parkId, p);
		p.catch(() => parkOperators.delete(parkId));
	}
	return parkOperators.get(parkId);
}

/** POST /auth/login; asserts 200 and returns the answer with token = access_token. */
export async function login(username, password) {
	const res = await api('POST', '/api/v1/auth/login', { body: { username, password } });
	const body = expectStatus(res, 200);
	return { ...body, token: body.access_token };
}

/** POST /auth/login without assertions. */
export function loginRaw(username, password) {
	return api('POST', '/api/v1/auth/login', { body: { username, password } });
}

let adminSession = null;

/** The access token of `admin`, logged in once per process. */
export async function adminToken() {
	if (!adminSession) {
		assert.ok(ADMIN_PASSWORD, 'XYD_TEST_ADMIN_PASSWORD is not set');
		adminSession = login('admin', ADMIN_PASSWORD);
	}
	return (await adminSession).token;
}

/** The admin's user id. */
export async function adminId() {
	await adminToken();
	return (await adminSession).user.id;
}

/** Creates an institution via admin; asserts 201 and returns it. */
export async function createInstitution({ name, kind = 'bank' } = {}) {
	const res = await api('POST', '/api/v1/institutions', {
		token: await adminToken(),
		body: { name: name ?? `测试银行${hex(4)}`, kind },
	});
	return expectStatus(res, 201);
}

/**
 * Creates a user via admin; asserts 201. orgId: an institution id for bank,
 * a park id for park (default 1), null for the other roles; for bank with
 * no orgId a fresh institution is made. Returns {username, password, user}.
 */
export async function createUser(role, orgId, { username, password } = {}) {
	if (role === 'bank' && orgId === undefined) orgId = (await createInstitution()).id;
	if (role === 'park' && orgId === undefined) orgId = 1;
	const body = {
		username: username ?? uniqueName(role),
		password: password ?? strongPassword(),
		role,
		org_id: orgId ?? null,
	};
	const res = await api('POST', '/api/v1/users', { token: await adminToken(), body });
	expectStatus(res, 201);
	return { username: body.username, password: body.password, user: res.json };
}

/**
 * A fresh user of role, logged in. Returns {username, password, user,
 * token, refresh_token, login, enterprise?}. Not cached: the caller may
 * lock it, log it out or change its password.
 */
export async function freshUser(role, orgId) {
	let made;
	if (role === 'sme') made = await registerSme();
	else made = await createUser(role, orgId);
	const l = await login(made.username, made.password);
	return { ...made, token: l.token, refresh_token: l.refresh_token, login: l, id: l.user.id };
}

const roleCache = new Map();

/**
 * A logged-in user of role, made once per process and shared by the tests
 * of one file. Never lock it, log it out or change its password: use
 * freshUser for that. 'admin' is the built-in admin.
 */
export function roleUser(role) {
	if (!roleCache.has(role)) {
		const p = (async () => {
			if (role === 'admin') {
				const token = await adminToken();
				const l = await adminSession;
				return { username: 'admin', password: ADMIN_PASSWORD, token, login: l, id: l.user.id, user: l.user };
			}
			return freshUser(role);
		})();
		roleCache.set(role, p);
		p.catch(() => roleCache.delete(role));
	}
	return roleCache.get(role);
}

/* ------------------------------------------------------------------ JWT */

export function b64url(buf) {
	return Buffer.from(buf).toString('base64url');
}

/** The decoded header and payload of a JWT (no verification). */
export function decodeJwt(token) {
	const parts = token.split('.');
	assert.equal(parts.length, 3, 'a JWT has three parts');
	return {
		header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
		payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
		signature: parts[2],
	};
}

/** A JWT with the given header and payload, HMAC-SHA256 signed with key (or unsigned when key is null). */
export function craftJwt(header, payload, key) {
	const head = b64url(JSON.stringify(header)) + '.' + b64url(JSON.stringify(payload));
	if (key === null) return head + '.';
	return head + '.' + createHmac('sha256', key).update(head).digest('base64url');
}

/* ------------------------------------------------------------------- SQL */

/**
 * Runs SQL as the DB admin on database xinyidai through scripts/db.sh.
 * Only for making time pass (ageing a session). Returns rows as arrays of
 * tab-separated columns.
 */
export function sql(query) {
	assert.ok(process.env.XYD_TEST_VAR, 'XYD_TEST_VAR is not set');
	const out = execFileSync('scripts/db.sh', ['sql', '-N', '-e', query], {
		cwd: REPO_ROOT,
		env: { ...process.env, XYD_VAR: process.env.XYD_TEST_VAR },
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: 30000,
	});
	return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

/* ----------------------------------------------------------------- audit */

/** An RFC 3339 UTC instant without fractions, secondsAgo before now. */
export function instantAgo(secondsAgo = 0) {
	return new Date(Date.now() - secondsAgo * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Every audit row matching query (an object of filters), newest first. */
export async function auditRows(query, token) {
	token = token ?? (await roleUser('auditor')).token;
	const qs = new URLSearchParams(query).toString();
	return listAll('/api/v1/audit' + (qs ? `?${qs}` : ''), token);
}

// --- whitelist helpers ---

const GRADE_SCORE = { A: 850, B: 700, C: 550, D: 400 };

/**
 * Sets the credit_scores row of an enterprise directly (model v1, no
 * factors), as if the credit service had scored it: grade A-D (score from
 * the grade unless given), dishonestDebtor a flag. grade null deletes the
 * row (an enterprise not scored yet). Overwrites whatever the credit
 * service wrote, so tests always set the grade they need.
 */
export function setCreditScore(enterpriseId, { grade = 'B', score, dishonestDebtor = false } = {}) {
	const id = Number(enterpriseId);
	assert.ok(Number.isInteger(id) && id > 0, `enterprise id ${enterpriseId}`);
	if (grade === null) {
		sql(`DELETE FROM credit_scores WHERE enterprise_id = ${id}`);
		return;
	}
	assert.ok(grade in GRADE_SCORE, `grade ${grade}`);
	const s = Number(score ?? GRADE_SCORE[grade]);
	assert.ok(Number.isInteger(s) && s >= 0 && s <= 1000, `score ${score}`);
	const d = dishonestDebtor ? 1 : 0;
	sql('INSERT INTO credit_scores (enterprise_id, model_version, score, grade, dishonest_debtor,'
		+ ` broken_commitments, factors_json, computed_at) VALUES (${id}, 'v1', ${s}, '${grade}', ${d},`
		+ " 0, '[]', UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE model_version = 'v1', score = VALUES(score),"
		+ ' grade = VALUES(grade), dishonest_debtor = VALUES(dishonest_debtor), broken_commitments = 0,'
		+ " factors_json = '[]', computed_at = VALUES(computed_at)");
}

/** POST /whitelist for enterprise (bureau unless token is given); asserts 201, returns the entry. */
export async function nominateWhitelist(enterpriseId, { token, reason = '推荐进入白名单' } = {}) {
	token = token ?? (await roleUser('bureau')).token;
	const res = await api('POST', '/api/v1/whitelist', { token, body: { enterprise_id: enterpriseId, reason } });
	return expectStatus(res, 201);
}

/**
 * Puts an enterprise on the whitelist: sets its score (grade, default B),
 * nominates it and approves it as the bureau. Returns the approved entry.
 */
export async function approveWhitelist(enterpriseId, { grade = 'B', validDays } = {}) {
	setCreditScore(enterpriseId, { grade });
	const entry = await nominateWhitelist(enterpriseId);
	const res = await api('POST', `/api/v1/whitelist/${entry.id}/approve`, {
		token: (await roleUser('bureau')).token,
		body: validDays === undefined ? {} : { valid_days: validDays },
	});
	return expectStatus(res, 200);
}

// --- end whitelist helpers ---

// --- enterprise helpers ---

/**
 * Today plus days on the district's calendar (UTC+8), as YYYY-MM-DD: the
 * one "today" of the server (common/district.h). Kept under its old name
 * for the tests that compare dates with it; the same as districtDay.
 */
export function utcDay(days = 0) {
	return new Date(Date.now() + 8 * 3600000 + days * 86400000).toISOString().slice(0, 10);
}

/** text as a single-quoted SQL string literal. */
function sqlText(text) {
	return `'${String(text).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * Inserts a whitelist entry for an enterprise directly, for states the
 * whitelist API cannot make at once (an approval that has already lapsed):
 * status nominated|approved|rejected|revoked; validUntil YYYY-MM-DD
 * (default a year ahead for approved, none otherwise). Returns its id.
 */
export function sqlWhitelistEntry(enterpriseId, { status = 'approved', validUntil } = {}) {
	const id = Number(enterpriseId);
	assert.ok(Number.isInteger(id) && id > 0, `enterprise id ${enterpriseId}`);
	assert.ok(['nominated', 'approved', 'rejected', 'revoked'].includes(status), `status ${status}`);
	if (validUntil === undefined) validUntil = status === 'approved' ? utcDay(365) : null;
	assert.ok(validUntil === null || /^\d{4}-\d{2}-\d{2}$/.test(validUntil), `validUntil ${validUntil}`);
	const rows = sql('INSERT INTO whitelist_entries (enterprise_id, status, nominated_by_role, nominated_by,'
		+ ` reason, valid_until) SELECT ${id}, '${status}', 'bureau', MIN(u.id), 'test',`
		+ ` ${validUntil ? `'${validUntil}'` : 'NULL'} FROM users u; SELECT LAST_INSERT_ID()`);
	return Number(rows[rows.length - 1][0]);
}

/**
 * Sets an enterprise's credit_scores row directly, as the credit service
 * would (model v1): score, grade, the dishonest-debtor flag, broken
 * commitments and the factors array. Overwrites what is there.
 */
export function sqlCreditScore(enterpriseId, {
	score = 700, grade = 'B', dishonestDebtor = false, brokenCommitments = 0, factors = [],
} = {}) {
	const id = Number(enterpriseId);
	assert.ok(Number.isInteger(id) && id > 0, `enterprise id ${enterpriseId}`);
	assert.ok(['A', 'B', 'C', 'D'].includes(grade), `grade ${grade}`);
	assert.ok(Number.isInteger(score) && Number.isInteger(brokenCommitments), 'integers');
	sql('REPLACE INTO credit_scores (enterprise_id, model_version, score, grade, dishonest_debtor,'
		+ ` broken_commitments, factors_json, computed_at) VALUES (${id}, 'v1', ${score}, '${grade}',`
		+ ` ${dishonestDebtor ? 1 : 0}, ${brokenCommitments}, ${sqlText(JSON.stringify(factors))},`
		+ ' UTC_TIMESTAMP(6))');
}

/**
 * Inserts one credit record of an enterprise directly (batch 0), for
 * reading it back; returns its id.
 */
export function sqlCreditRecord(enterpriseId, {
	category = 'award', value = { title: '诚信示范企业' }, sourceDept = 'test_dept',
	sourceRecordId = uniqueName('rec'), observedOn = utcDay(-30), expiresOn = null,
	minorParty = false, forceMajeure = false,
} = {}) {
	const id = Number(enterpriseId);
	assert.ok(Number.isInteger(id) && id > 0, `enterprise id ${enterpriseId}`);
	const rows = sql('INSERT INTO credit_records (enterprise_id, category, value_json, source_dept,'
		+ ' source_record_id, observed_on, expires_on, minor_party, force_majeure, batch_id) VALUES'
		+ ` (${id}, ${sqlText(category)}, ${sqlText(JSON.stringify(value))}, ${sqlText(sourceDept)},`
		+ ` ${sqlText(sourceRecordId)}, '${observedOn}', ${expiresOn ? `'${expiresOn}'` : 'NULL'},`
		+ ` ${minorParty ? 1 : 0}, ${forceMajeure ? 1 : 0}, 0); SELECT LAST_INSERT_ID()`);
	return Number(rows[rows.length - 1][0]);
}

/**
 * api() that also pushes {who, method, path, status, text} onto log for
 * every answer: who labels the caller ("bureau", "sme:12", "bank:3" …) so
 * a test can later check which callers saw what.
 */
export function recordingApi(log) {
	return async (who, method, path, opts = {}) => {
		const res = await api(method, path, opts);
		log.push({ who, method, path, status: res.status, text: res.text });
		return res;
	};
}

// --- end enterprise helpers ---

// --- credit helpers ---

/** Scorecard v1's weights exactly as api.md and migration 0003 give them. */
export const V1_WEIGHTS = Object.freeze({
	base: 400,
	tax_rating: { A: 200, B: 150, M: 100, C: 20, D: -100, none: 60 },
	social_security_per_month: 10, social_security_max: 120,
	housing_fund_per_month: 5, housing_fund_max: 60,
	utility_arrears_per_month: -30, utility_arrears_min: -90,
	patent_invention: 20, patent_utility: 8, patent_design: 8, patents_max: 100,
	trademark_each: 5, trademarks_max: 30,
	rnd_per_100k_yuan: 1, rnd_max: 60,
	env_rating: { green: 40, blue: 20, yellow: 0, red: -80, black: -200 },
	years_per_year: 10, years_max: 50,
	award_each: 20, awards_max: 40,
	commitment_kept_each: 5, commitments_kept_max: 20, commitment_broken_each: -60,
	penalty_minor: 0, penalty_general: -50, penalty_serious: -150, penalty_window_years: 3,
	dishonest_debtor_score_cap: 499,
	grade_a_min: 800, grade_b_min: 650, grade_c_min: 500,
});

/** A deep copy of V1_WEIGHTS with changes applied (nested objects merged). */
export function weightsWith(changes = {}) {
	const w = JSON.parse(JSON.stringify(V1_WEIGHTS));
	for (const [k, v] of Object.entries(changes)) {
		if (v && typeof v === 'object' && !Array.isArray(v)) w[k] = { ...w[k], ...v };
		else w[k] = v;
	}
	return w;
}

/**
 * One valid import row for uscc: by default an award observed 30 days ago,
 * from a source_dept unique to the call; overrides replace keys (undefined
 * removes one).
 */
export function creditRow(uscc, overrides = {}) {
	const row = {
		uscc,
		category: 'award',
		value: { title: '区级诚信示范企业' },
		source_dept: `dept_${hex(4)}`,
		source_record_id: uniqueName('rec'),
		observed_on: new Date(Date.now() - 30 * 86400000).toISOString().slice(0, 10),
		...overrides,
	};
	for (const [k, v] of Object.entries(row)) if (v === undefined) delete row[k];
	return row;
}

/** POST /credit-records/batch as JSON {"records": rows} (bureau unless token). */
export async function importCredit(rows, { token } = {}) {
	token = token ?? (await roleUser('bureau')).token;
	return api('POST', '/api/v1/credit-records/batch', { token, body: { records: rows } });
}

/** POST /credit-records/batch with a text/csv body (string or Buffer). */
export async function importCreditCsv(text, { token, contentType = 'text/csv; charset=utf-8' } = {}) {
	token = token ?? (await roleUser('bureau')).token;
	return api('POST', '/api/v1/credit-records/batch', { token, rawBody: text, headers: { 'content-type': contentType } });
}

/**
 * The stored score of an enterprise read with SQL: {score, grade,
 * dishonest_debtor, broken_commitments, model_version, factors}, or null.
 */
export function storedScore(enterpriseId) {
	const rows = sql('SELECT score, grade, dishonest_debtor, broken_commitments, model_version,'
		+ ` factors_json FROM credit_scores WHERE enterprise_id = ${Number(enterpriseId)}`);
	if (!rows.length) return null;
	const [score, grade, dd, broken, version, factors] = rows[0];
	return {
		score: Number(score), grade, dishonest_debtor: dd === '1', broken_commitments: Number(broken),
		model_version: version, factors: JSON.parse(unescapeBatch(factors)),
	};
}

/** A cell of the mariadb client's batch output as stored (it escapes \\, tab, newline, NUL). */
export function unescapeBatch(cell) {
	return cell.replace(/\\([\\tn0])/g, (_, c) => ({ '\\': '\\', t: '\t', n: '\n', 0: '\0' })[c]);
}

// --- end credit helpers ---

// --- product helpers ---

/** A complete valid POST /products body (status draft); overrides replace keys. */
export function productBody(overrides = {}) {
	return {
		name: `测试贷${hex(3)}`,
		kind: 'credit',
		amount_min_fen: 10000000,
		amount_max_fen: 300000000,
		rate_min_bps: 350,
		rate_max_bps: 600,
		term_min_months: 6,
		term_max_months: 36,
		collateral: 'none',
		criteria: {
			min_grade: 'C', min_score: null, industries: [], towns: [], park_ids: [],
			min_years: null, min_revenue_fen: null, required_tags: [], whitelist_only: false,
		},
		monthly_capacity: 50,
		status: 'draft',
		description: '测试产品',
		...overrides,
	};
}

/** The institution id of a bank token (GET /me). */
export async function institutionOf(token) {
	return expectStatus(await api('GET', '/api/v1/me', { token }), 200).org_id;
}

/**
 * POST /programs/{id}/partners as the bureau: makes the institution a
 * partner of the programme (a repeat answers 200); returns the answer.
 */
export async function addPartner(programId, institutionId) {
	return api('POST', `/api/v1/programs/${programId}/partners`, {
		token: (await roleUser('bureau')).token, body: { institution_id: institutionId },
	});
}

/**
 * POST /products as token (the shared bank unless given); asserts 201,
 * returns the product. A product in a programme needs its bank to be a
 * partner: the bureau adds it first unless partner is false.
 */
export async function createProduct(overrides = {}, { token, partner = true } = {}) {
	token = token ?? (await roleUser('bank')).token;
	if (partner && overrides.program_id) {
		expectStatus(await addPartner(overrides.program_id, await institutionOf(token)), [200, 201]);
	}
	const res = await api('POST', '/api/v1/products', { token, body: productBody(overrides) });
	return expectStatus(res, 201);
}

/** POST /funds as the bureau; asserts 201, returns the fund. */
export async function createFund(name) {
	const res = await api('POST', '/api/v1/funds', {
		token: (await roleUser('bureau')).token, body: { name: name ?? `风险补偿基金${hex(4)}` },
	});
	return expectStatus(res, 201);
}

/** A complete valid POST /programs body for park 1; overrides replace keys. */
export function programBody(overrides = {}) {
	return {
		name: `东方美谷贷${hex(4)}`,
		park_id: 1,
		description: '园区专属融资项目',
		fund_share_bps: 4000,
		bank_share_bps: 4000,
		guarantor_share_bps: 2000,
		interest_subsidy_bps: 100,
		max_amount_per_enterprise_fen: 500000000,
		...overrides,
	};
}

/** POST /programs as the bureau; asserts 201, returns the programme. */
export async function createProgram(overrides = {}) {
	const res = await api('POST', '/api/v1/programs', {
		token: (await roleUser('bureau')).token, body: programBody(overrides),
	});
	return expectStatus(res, 201);
}

/** POST /programs/{id}/recommendations as token (the shared park-1 user unless given); returns the answer. */
export async function recommendProgram(programId, enterpriseIds, { token, message = '欢迎申请本园区融资项目' } = {}) {
	token = token ?? (await roleUser('park')).token;
	return api('POST', `/api/v1/programs/${programId}/recommendations`, {
		token, body: { enterprise_ids: enterpriseIds, message },
	});
}

/**
 * Inserts a notification for a user directly (for roles nothing notifies
 * yet); returns its id.
 */
export function sqlNotification(userId, { kind = 'test.note', title = '测试通知', body = '内容' } = {}) {
	const id = Number(userId);
	assert.ok(Number.isInteger(id) && id > 0, `user id ${userId}`);
	const rows = sql('INSERT INTO notifications (user_id, kind, title, body) VALUES'
		+ ` (${id}, ${sqlText(kind)}, ${sqlText(title)}, ${sqlText(body)}); SELECT LAST_INSERT_ID()`);
	return Number(rows[rows.length - 1][0]);
}

// --- end product helpers ---

// --- matching helpers ---

/**
 * Inserts an application directly (the applications API may not be there
 * yet): status submitted unless given, created by the enterprise's first
 * user. Returns its id.
 */
export function sqlApplication(enterpriseId, {
	amountFen = 50000000, termMonths = 12, collateral = 'none', status = 'submitted', purpose = '流动资金',
} = {}) {
	const id = Number(enterpriseId);
	assert.ok(Number.isInteger(id) && id > 0, `enterprise id ${enterpriseId}`);
	const rows = sql('INSERT INTO applications (enterprise_id, status, amount_fen, term_months, purpose,'
		+ ` collateral, created_by) SELECT ${id}, '${status}', ${Number(amountFen)}, ${Number(termMonths)},`
		+ ` ${sqlText(purpose)}, '${collateral}', (SELECT MIN(u.id) FROM users u)`
		+ '; SELECT LAST_INSERT_ID()');
	return Number(rows[rows.length - 1][0]);
}

/** GET /enterprises/{id}/matches for a hypothetical demand; returns the answer. */
export async function enterpriseMatches(enterpriseId, query, token) {
	const qs = new URLSearchParams(query).toString();
	return api('GET', `/api/v1/enterprises/${enterpriseId}/matches?${qs}`, { token });
}

/** The criteria every explained product or candidate lists, in order. */
export const MATCH_CRITERIA = Object.freeze(['status', 'capacity', 'amount', 'term', 'collateral', 'program_cap',
	'min_grade', 'min_score', 'industry', 'town', 'park', 'years_in_business', 'revenue', 'tags', 'whitelist']);

// --- end matching helpers ---

// --- application helpers ---

/** The district's date (UTC+8) plus days, as YYYY-MM-DD: the calendar disbursement dates use. */
export function districtDay(days = 0) {
	return new Date(Date.now() + 8 * 3600000 + days * 86400000).toISOString().slice(0, 10);
}

/** A complete valid POST /applications body; overrides replace keys. */
export function applicationBody(overrides = {}) {
	return {
		amount_fen: 50000000,
		term_months: 12,
		purpose: '购买生产设备',
		collateral: 'none',
		authorized_institution_ids: [],
		...overrides,
	};
}

/** POST /applications as the sme token; asserts 201 and returns the application. */
export async function createApplication(token, overrides = {}, { idempotencyKey } = {}) {
	const headers = idempotencyKey ? { 'idempotency-key': idempotencyKey } : {};
	const res = await api('POST', '/api/v1/applications', { token, body: applicationBody(overrides), headers });
	return expectStatus(res, 201);
}

/**
 * A fresh enterprise (scored, grade B unless given) with an application,
 * and a fresh bank with an active product (productOverrides) it is
 * eligible for. stage: 'submitted' (default), 'pending_bank', 'accepted',
 * 'approved' or 'disbursed' — moved there through the API. Returns
 * {sme, bank, product, app} with app as the last answer.
 */
export async function applicationIn(stage = 'submitted', { grade = 'B', productOverrides = {}, appOverrides = {} } = {}) {
	const [sme, bank] = await Promise.all([freshUser('sme'), freshUser('bank')]);
	setCreditScore(sme.enterprise.id, { grade });
	const product = await createProduct({ status: 'active', ...productOverrides }, { token: bank.token });
	let app = await createApplication(sme.token, appOverrides);
	const steps = ['pending_bank', 'accepted', 'approved', 'disbursed'];
	const upto = steps.indexOf(stage);
	const go = async (path, token, body, status = 200) => {
		const res = await api('POST', `/api/v1/applications/${app.id}/${path}`, { token, body });
		return expectStatus(res, status);
	};
	if (upto >= 0) app = await go('submit', sme.token, { product_id: product.id });
	if (upto >= 1) app = await go('accept', bank.token);
	if (upto >= 2) app = await go('approve', bank.token, { amount_fen: 40000000, rate_bps: 450, term_months: 12 });
	let loan = null;
	if (upto >= 3) {
		loan = await go('disburse', bank.token, { disbursed_on: districtDay(0) }, 201);
		app = expectStatus(await api('GET', `/api/v1/applications/${app.id}`, { token: sme.token }), 200);
	}
	return { sme, bank, product, app, loan };
}

// --- end application helpers ---
