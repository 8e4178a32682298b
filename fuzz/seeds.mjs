// fuzz/seeds.mjs — writes the committed seed corpora fuzz/corpus/<target>/
// from the tests: JSON and C string literals of the unit tests, request
// bodies and paths of the API tests, the CSV cases of the import tests, the
// USCC/ID vectors. Run by hand after the tests change (node fuzz/seeds.mjs);
// it replaces each corpus folder. Files are named by their content's hash.
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (p) => readFileSync(join(root, p), 'utf8');
const ls = (dir, re) => readdirSync(join(root, dir)).filter((f) => re.test(f)).map((f) => join(dir, f));
const MAX_SEED_BYTES = 16384;

function write(target, seeds) {
	const dir = join(root, 'fuzz/corpus', target);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const seen = new Set();
	for (const s of seeds) {
		const buf = Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8');
		if (buf.length > MAX_SEED_BYTES) continue;
		const name = createHash('sha1').update(buf).digest('hex').slice(0, 16);
		if (seen.has(name)) continue;
		seen.add(name);
		writeFileSync(join(dir, name), buf);
	}
	console.log(`${target}: ${seen.size} seeds`);
}

// Every C string literal of a file, adjacent literals joined, escapes decoded.
function cStrings(path) {
	const text = read(path).replace(/\/\*[\s\S]*?\*\//g, '');
	const out = [];
	const re = /"((?:[^"\\\n]|\\.)*)"(?:\s*"((?:[^"\\\n]|\\.)*)")*/g;
	for (const m of text.matchAll(re)) {
		const parts = [...m[0].matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((p) => p[1]);
		out.push(Buffer.from(parts.map(decodeC).join(''), 'latin1'));
	}
	return out;
}
function decodeC(s) {
	return s.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e) => {
		if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
		if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
		return { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', 0: '\0' }[e] ?? e;
	}).replace(/[\u0100-\uffff]/g, (c) => Buffer.from(c, 'utf8').toString('latin1'));
}

// Object literals after "body:" in the API tests that evaluate alone.
function apiBodies() {
	const out = [];
	for (const f of ls('tests/api', /\.mjs$/)) {
		const text = read(f);
		for (const m of text.matchAll(/body: \{/g)) {
			let depth = 0, i = m.index + 6;
			for (let j = i; j < text.length; j++) {
				if (text[j] === '{') depth++;
				if (text[j] === '}' && --depth === 0) {
					try {
						out.push(JSON.stringify(new Function(`return (${text.slice(i, j + 1)})`)()));
					} catch { /* names a variable: skip */ }
					break;
				}
			}
		}
	}
	return out;
}

// ---- json_strict
const jsonLike = /^\s*[[{"\-0-9tfn]/;
write('json_strict', [
	...cStrings('tests/server/test_json_strict.c').filter((b) => jsonLike.test(b.toString('latin1'))),
	...apiBodies(),
	// at and past the limits of 4096 bytes per string and per number
	`{"name":"${'x'.repeat(4096)}"}`, `{"name":"${'x'.repeat(4097)}"}`, `["${'信'.repeat(1366)}"]`,
	`[${'9'.repeat(4096)}]`, `[1.${'0'.repeat(4095)}]`, `${'['.repeat(32)}${']'.repeat(32)}`,
	`${'['.repeat(33)}${']'.repeat(33)}`,
	'{"records":[{"uscc":"914403001922038216","category":"award","value":{"title":"x"},'
		+ '"source_dept":"d","source_record_id":"r1","observed_on":"2026-01-01","expires_on":null,'
		+ '"minor_party":false}]}',
]);

// ---- router: first byte 248 + method index (Allow buffer of 31 bytes), then the path
const methods = ['GET', 'POST', 'PATCH', 'DELETE'];
const routeRows = [...read('server/api/routes.c').matchAll(/\{"([A-Z]+)", "([^"]+)"/g)];
const routerSeeds = [];
const withMethod = (method, path) => Buffer.concat([Buffer.from([248 + Math.max(0, methods.indexOf(method))]),
	Buffer.from(path, 'utf8')]);
for (const [, method, pattern] of routeRows)
	routerSeeds.push(withMethod(method, pattern.replace(/\{id\}/g, '42').replace(/\{[a-z_]+\}/g, 'v2.1')));
routerSeeds.push(withMethod('DELETE', '/api/v1/users/9007199254740992/lock'),
	withMethod('GET', '/api/v1/users/9007199254740993/lock'), withMethod('POST', '/api/v1/users/042/lock'));
for (const f of ls('tests/api', /\.mjs$/))
	for (const m of read(f).matchAll(/['`](\/api\/v1\/[^'`$?\s]*)/g))
		routerSeeds.push(withMethod('GET', m[1]), withMethod('POST', m[1]));
for (const b of cStrings('tests/server/test_router.c'))
	if (b.toString('latin1').startsWith('/')) routerSeeds.push(withMethod('GET', b.toString('latin1')));
write('router', routerSeeds);

// ---- token: mode byte 0 (bearer as sent), 1 (header\npayload, signed by the
// target), 2 (claims for token_access_sign). Key and clock as in fuzz_token.c.
const NOW = 1780000000;
const key = Buffer.from(Array.from({ length: 32 }, (_, i) => 'k'.charCodeAt(0) + (i % 7)));
const b64 = (s) => Buffer.from(s).toString('base64url');
const sign = (h, p) => {
	const body = `${b64(h)}.${b64(p)}`;
	return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
};
const H = '{"alg":"HS256","typ":"JWT"}';
const claims = (o = {}) => JSON.stringify({ sub: 7, role: 'bank', org: 3, sid: 11, iat: NOW - 60,
	exp: NOW + 840, jti: '0123456789abcdef0123456789abcdef', ...o });
const payloads = [claims(), claims({ org: undefined, role: 'bureau' }), claims({ exp: NOW - 1 }),
	claims({ iat: NOW + 100, exp: NOW + 200 }), claims({ sub: 1.5 }), claims({ sub: '7' }),
	claims({ jti: 'revoked' }), claims({ role: '' }), claims({ sid: 9007199254740993 }),
	claims({ exp: NOW + 90000 }), '{"sub":1}', '{}', '[]', 'null'];
const headers = [H, '{"alg":"HS256"}', '{"alg":"none"}', '{"alg":"HS512","typ":"JWT"}',
	'{"alg":"HS256","kid":"x"}', '{"alg":"HS256","alg":"HS256"}', '{"typ":"JWT"}'];
const tokenSeeds = [];
for (const p of payloads) tokenSeeds.push(`\x00${sign(H, p)}`, `\x01${H}\n${p}`);
for (const h of headers) tokenSeeds.push(`\x00${sign(h, claims())}`, `\x01${h}\n${claims()}`);
for (const b of cStrings('tests/server/test_token.c')) {
	const s = b.toString('latin1');
	if (s.includes('.') && !s.includes('%') && s.length > 2) tokenSeeds.push(`\x00${s}`);
}
for (const [sub, sid, org, flags, role] of [[7, 11, 3, 1 | (900 << 1), 'bank'], [1, 1, 0, 0 | (1 << 1), 'sme'],
	[2 ** 53, 2 ** 53, 2 ** 53, 1 | (86400 << 1), 'auditor'], [0, 1, 0, 900 << 1, 'x']]) {
	const b = Buffer.alloc(32);
	[sub, sid, org, flags].forEach((v, i) => b.writeBigInt64LE(BigInt(v), i * 8));
	tokenSeeds.push(Buffer.concat([Buffer.from([2]), b, Buffer.from(role)]));
}
write('token', tokenSeeds);

// ---- csv_import: the cases of tests/api/credit_import.test.mjs
const U = '914403001922038216', D = '2026-01-01';
const q = (s) => `"${String(s).replaceAll('"', '""')}"`;
const head6 = 'uscc,category,value,source_dept,source_record_id,observed_on';
const good = `${U},award,"{""title"":""x""}",dept,g1,${D}`;
const full = 'source_record_id,value,category,uscc,observed_on,source_dept,expires_on,minor_party,force_majeure';
const fullRows = [
	[q('a,"1"\nb'), q(`{"title":\n${JSON.stringify('奖, "优秀" 企业')}}`), 'award', U, D, 'dept', '', 'true', '0'],
	['plain', q('{"months_paid":12}'), 'social_security', U, D, 'dept', '2026-12-31', '', 'false'],
	['p3', q('{"count":2,"kind":"utility"}'), 'patent', U, D, q('dept'), '', '1', 'true'],
];
const fullText = `${full}\r\n${fullRows.map((r) => r.join(',')).join('\r\n')}\r\n`;
const head7 = `${head6},minor_party`;
const badRows = [[U, 'award', q('{"title":"ok"}'), 'd', 'ok0', D, ''], [U, 'award', q('{"title":"short"}'), 'd', 'b1', D],
	[U, 'award', q('{"title":"x"}'), 'd', 'b2', D, 'yes'], [U, 'award', q('{title:x}'), 'd', 'b3', D, ''],
	[U, 'award', q('[1]'), 'd', 'b4', D, ''], [U, 'award', '', 'd', 'b5', D, ''],
	[U, 'lottery', q('{"title":"x"}'), 'd', 'b7', D, ''], [U, 'award', q('{"title":"x"}'), 'd', 'b8', '2024/01/01', ''],
	[U, 'award', q('{"title":"ok"}'), 'd', 'ok9', D, '0', 'extra']];
write('csv_import', [
	`\ufeff${fullText}`, fullText.replaceAll('\r\n', '\n'),
	`${head6}\n${U},trademark,"{""count"":4}",dept,m1,${D}`,
	`${head7}\n${badRows.map((r) => r.join(',')).join('\n')}\n`,
	`${head6}\n${good}\n${U},award,"{""title"":""x""}",dept,"g2,${D}\n`,
	`${head6}\n${good}\n${U},award,{"title":"x"},dept,g3,${D}\n`,
	`${head6}\n${good}\n${U},"award"x,"{}",dept,g4,${D}\n`,
	`${head6},colour\n${good},red\n`, `${head6},uscc\n${good},${U}\n`,
	`uscc,category,value,source_dept,observed_on\n${U},award,"{}",dept,${D}\n`,
	`${good}\n`, '\ufeff', '',
]);

// ---- static_path: the path, a NUL, an Accept-Encoding value
const staticSeeds = ['/', '/static/app.js', '/static/pages/bank.html', '/static/../secret.txt',
	'/static/%2e%2e/secret.txt', '/static/%2E%2E%2Fsecret.txt', '/static/out', '/static/up/secret.txt',
	'/static/up/web/app.js', '/static/.hidden', '/static/a%2fb', '/static/a%00b', '/static/a\\b', '/static/',
	'/static//app.js', '/static/pages/', '/static/%', '/static/%4', '/static/%41pp.js', '/index.html', '/api/v1/health']
	.flatMap((p) => [p, `${p}\0gzip`, `${p}\0br, gzip;q=0`, `${p}\0*;q=0.5, x-gzip;q=0`]);
for (const f of ls('tests/api', /\.mjs$/).concat(ls('tests/browser', /\.mjs$/)))
	for (const m of read(f).matchAll(/['`](\/static\/[^'`$?\s]*)/g)) staticSeeds.push(m[1]);
for (const sub of ['js', 'css', 'img'])
	for (const f of ls(join('web-static', sub), /^[^.]/)) staticSeeds.push(`/static/${sub}/${f.split('/').pop()}`);
// the fuzz target's first find: a raw byte quoted back in the 404 message
staticSeeds.push(Buffer.from('/\xff\xfeab', 'latin1'), Buffer.from('/static/\xe4\xbf\xa1\xff.js', 'latin1'));
write('static_path', staticSeeds);

// ---- validate: the vector files' first column and test_validate.c's literals
const vectors = [];
for (const f of ['tests/data/id_vectors.csv', 'tests/data/uscc_vectors.csv', '../shared/data/id_vectors.csv',
	'../shared/data/uscc_vectors.csv']) {
	let text;
	try { text = read(f); } catch { continue; }
	for (const line of text.split('\n').slice(1)) if (line) vectors.push(line.split(',')[0]);
}
write('validate', [...vectors, ...cStrings('tests/common/test_validate.c').filter((b) => b.length < 300)]);
