// Public routes: health, metrics, reference data, the web pages, and how
// unknown paths and wrong methods are answered.

import assert from 'node:assert/strict';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';

import {
	REPO_ROOT, api, assertJsonType, expectError, expectStatus, rawRequest,
} from './lib.mjs';

test('health answers ok with db ok and a version', async () => {
	const res = await api('GET', '/api/v1/health');
	const body = expectStatus(res, 200);
	assertJsonType(res);
	assert.equal(body.status, 'ok');
	assert.equal(body.db, 'ok');
	assert.equal(typeof body.version, 'string');
	assert.ok(body.version.length > 0, 'version is not empty');
});

test('metrics is Prometheus text with a requests counter by route and status', async () => {
	// Make sure at least one labelled request has been counted.
	expectStatus(await api('GET', '/api/v1/health'), 200);
	const res = await api('GET', '/metrics');
	expectStatus(res, 200);
	assert.match(res.headers.get('content-type') || '', /^text\/plain/i);
	assert.match(res.text, /^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$/m);
	const lines = res.text.split('\n');
	const sample = lines.find((l) => /request/i.test(l.split('{')[0]) && /route="[^"]*health[^"]*"/.test(l) && /status="200"/.test(l));
	assert.ok(sample, `no request sample labelled route=…health… and status="200" in:\n${res.text}`);
	const name = sample.split('{')[0];
	const baseName = name.replace(/_(total|count|sum|bucket)$/, '');
	assert.ok(lines.some((l) => l.startsWith(`# TYPE ${name} counter`) || l.startsWith(`# TYPE ${baseName} `)),
		`no # TYPE line for ${name}`);
	assert.match(sample, /\}\s+[0-9.e+]+(\s+\d+)?$/, `sample has a numeric value: ${sample}`);
});

test('metrics has a latency histogram and database pool use', async () => {
	const res = await api('GET', '/metrics');
	expectStatus(res, 200);
	assert.match(res.text, /^# TYPE \S+ histogram$/m, 'a histogram (request latency) is exported');
	assert.match(res.text, /_bucket\{[^}]*le="\+Inf"[^}]*\}/, 'the histogram has a +Inf bucket');
	// Pool use: a gauge of database connections (name it *pool* or *db_conn*).
	assert.match(res.text, /^[a-zA-Z_:]*(pool|db_conn)[a-zA-Z0-9_:]*(\{[^}]*\})?\s+\d/m, 'a database pool metric is exported');
});

// Reference items may carry more than these keys; these must be there.
function assertHas(obj, keys, what) {
	for (const k of keys) assert.ok(k in obj, `${what} has ${k}`);
}

function pick(obj, keys) {
	return Object.fromEntries(keys.map((k) => [k, obj[k]]));
}

const TOWNS = {
	nanqiao: ['南桥镇', 'Nanqiao Town', 'town'],
	fengcheng: ['奉城镇', 'Fengcheng Town', 'town'],
	xidu: ['西渡街道', 'Xidu Subdistrict', 'subdistrict'],
	devzone: ['奉贤经济开发区', 'Fengxian Economic Development Zone', 'zone'],
};

test('towns lists the district with Chinese names intact', async () => {
	const res = await api('GET', '/api/v1/towns');
	const body = expectStatus(res, 200);
	assertJsonType(res);
	assert.ok(Array.isArray(body.items));
	for (const t of body.items) assertHas(t, ['code', 'name', 'name_en', 'kind'], `town ${t.code}`);
	for (const [code, [name, nameEn, kind]] of Object.entries(TOWNS)) {
		const t = body.items.find((x) => x.code === code);
		assert.ok(t, `town ${code} is listed`);
		assert.deepEqual(pick(t, ['code', 'name', 'name_en', 'kind']), { code, name, name_en: nameEn, kind });
	}
	assert.equal(new Set(body.items.map((t) => t.code)).size, body.items.length, 'codes are unique');
});

test('parks lists parks 1 to 4 with Chinese names intact', async () => {
	const res = await api('GET', '/api/v1/parks');
	const body = expectStatus(res, 200);
	for (const p of body.items) assertHas(p, ['id', 'code', 'name', 'name_en', 'operator'], `park ${p.id}`);
	const ids = body.items.map((p) => p.id);
	for (const id of [1, 2, 3, 4]) assert.ok(ids.includes(id), `park ${id} is listed (ids are integers)`);
	const p1 = body.items.find((p) => p.id === 1);
	assert.deepEqual(pick(p1, ['id', 'code', 'name', 'name_en', 'operator']), {
		id: 1, code: 'oriental_beauty_valley', name: '东方美谷', name_en: 'Oriental Beauty Valley', operator: '东方美谷公司',
	});
	assert.equal(body.items.find((p) => p.id === 2).name, '杭州湾开发区');
});

test('industries lists the GB/T 4754 sections A to T', async () => {
	const res = await api('GET', '/api/v1/industries');
	const body = expectStatus(res, 200);
	for (const i of body.items) assertHas(i, ['code', 'name', 'name_en'], `industry ${i.code}`);
	const codes = body.items.map((i) => i.code);
	for (const c of 'ABCDEFGHIJKLMNOPQRST') assert.ok(codes.includes(c), `section ${c} is listed`);
	assert.deepEqual(pick(body.items.find((i) => i.code === 'C'), ['code', 'name', 'name_en']), { code: 'C', name: '制造业', name_en: 'Manufacturing' });
});

test('an unknown path under /api/v1 is 404 not_found in JSON', async () => {
	expectError(await api('GET', '/api/v1/no-such-thing'), 404, 'not_found');
	expectError(await api('POST', '/api/v1/no/such/thing', { body: {} }), 404, 'not_found');
	expectError(await api('GET', '/api/v1/towns/extra/segments'), 404, 'not_found');
});

test('a known path with another method is 405 method_not_allowed with Allow', async () => {
	const cases = [
		['DELETE', '/api/v1/health', 'GET'],
		['POST', '/api/v1/towns', 'GET'],
		['PUT', '/api/v1/parks', 'GET'],
		['GET', '/api/v1/auth/login', 'POST'],
		['GET', '/api/v1/auth/register', 'POST'],
	];
	for (const [method, path, allowed] of cases) {
		const res = await api(method, path, method === 'GET' ? {} : { body: {} });
		expectError(res, 405, 'method_not_allowed');
		const allow = res.headers.get('allow') || '';
		assert.ok(allow.split(/\s*,\s*/).includes(allowed), `${method} ${path}: Allow "${allow}" names ${allowed}`);
	}
});

test('GET / serves the web page as HTML with Cache-Control', async () => {
	const res = await api('GET', '/');
	expectStatus(res, 200);
	assert.match(res.headers.get('content-type') || '', /^text\/html/i);
	assert.ok(res.headers.get('cache-control'), 'Cache-Control is set');
	assert.match(res.text, /<html|<!doctype html/i);
});

test('static paths that climb out of web-static are refused without file contents', async () => {
	const paths = [
		'/static/../../etc/passwd',
		'/static/../../../../../../etc/passwd',
		'/static/%2e%2e/%2e%2e/etc/passwd',
		'/static/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
		'/static/..%2f..%2f..%2f..%2fetc%2fpasswd',
		'/static/..%5c..%5c..%5cetc%5cpasswd',
		'/static/%00',
		'/static/index.html%00.js',
		'/static/%2fetc%2fpasswd',
		'/static//etc/passwd',
		'/../../etc/passwd',
	];
	for (const path of paths) {
		const res = await rawRequest('GET', path);
		assert.ok([400, 403, 404].includes(res.status), `${path}: status ${res.status}`);
		assert.doesNotMatch(res.text, /root:.*:0:0:/, `${path} served /etc/passwd`);
	}
	// The server is still there.
	expectStatus(await api('GET', '/api/v1/health'), 200);
});

test('a missing static file is 404; a page-linked static file has Cache-Control', async () => {
	const res = await api('GET', `/static/no-such-file-${Date.now()}.js`);
	assert.equal(res.status, 404, res.text);
	const root = await api('GET', '/');
	expectStatus(root, 200);
	const m = root.text.match(/(?:src|href)="(\/static\/[^"?#]+)/);
	if (!m) return; // the page links no static asset yet
	const asset = await api('GET', m[1]);
	expectStatus(asset, 200);
	assert.ok(asset.headers.get('cache-control'), `${m[1]} has Cache-Control`);
	assert.ok(asset.headers.get('content-type'), `${m[1]} has a Content-Type`);
});

test('a client that takes gzip gets the build\'s gzip copy of a page file; others get it plain', async () => {
	for (const rel of ['js/app.js', 'css/app.css', 'vendor/echarts.esm.min.mjs']) {
		const plain = readFileSync(`${REPO_ROOT}web-static/${rel}`);
		const gz = await rawRequest('GET', `/static/${rel}`, { headers: { 'Accept-Encoding': 'br, gzip;q=0.8' } });
		assert.equal(gz.status, 200, rel);
		assert.equal(gz.headers['content-encoding'], 'gzip', rel);
		assert.match(gz.headers.vary, /Accept-Encoding/i);
		assert.ok(gz.bytes.length < plain.length / 2, `${rel}: ${gz.bytes.length} of ${plain.length} bytes`);
		assert.ok(gunzipSync(gz.bytes).equals(plain), `${rel}: the gzip copy is the file`);
		for (const ae of [undefined, 'identity', 'gzip;q=0', 'br', '*;q=0']) {
			const res = await rawRequest('GET', `/static/${rel}`, { headers: ae ? { 'Accept-Encoding': ae } : {} });
			assert.equal(res.status, 200);
			assert.equal(res.headers['content-encoding'], undefined, `${rel} with ${ae}`);
			assert.ok(res.bytes.equals(plain), `${rel} with ${ae} is the file`);
			assert.notEqual(res.headers.etag, gz.headers.etag, 'the two forms have their own ETag');
		}
		const again = await rawRequest('GET', `/static/${rel}`, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': gz.headers.etag } });
		assert.equal(again.status, 304);
	}
});

test('a gzip copy older than its file is not sent', async () => {
	const file = `${REPO_ROOT}web-static/css/app.css`;
	const st = statSync(`${file}.gz`);
	const plain = readFileSync(file);
	try {
		utimesSync(`${file}.gz`, st.atime, new Date(statSync(file).mtimeMs - 60_000));
		const res = await rawRequest('GET', '/static/css/app.css', { headers: { 'Accept-Encoding': 'gzip' } });
		assert.equal(res.status, 200);
		assert.equal(res.headers['content-encoding'], undefined);
		assert.ok(res.bytes.equals(plain));
	} finally {
		utimesSync(`${file}.gz`, st.atime, st.mtime);
	}
});
