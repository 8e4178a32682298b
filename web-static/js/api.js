// The one door to the server's API (docs/api.md). The access token lives only
// in this module's memory; the refresh token in sessionStorage so that a reload
// of the tab keeps the session but closing the tab ends it. A 401 refreshes once
// and retries; when refreshing fails, the login dialog (installed by app.js with
// setLoginPrompt) opens over the current page, so what the user typed stays,
// and the request is retried after the login.

const BASE = '/api/v1';
const REFRESH_KEY = 'xyd.refresh';

let accessToken = null;
let refreshing = null;		// the one refresh in flight: a refresh token works once
let sessionCache = null;	// promise of {user, role, org}
let loginPrompt = null;		// () => Promise that resolves once logged in again
const pendingKeys = new Map();	// submission → Idempotency-Key, kept across network errors

/** An api.md error envelope, or a network failure (status 0, code 'network'). */
export class ApiError extends Error {
	constructor(status, code, message, field) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.field = field || null;
	}
}

/** app.js installs the dialog that logs the user in again over the page. */
export function setLoginPrompt(fn) {
	loginPrompt = fn;
}

/** True when a refresh token is held (the tab has a session to resume). */
export function hasSession() {
	return accessToken !== null || sessionStorage.getItem(REFRESH_KEY) !== null;
}

function buildUrl(path, query) {
	let url = path.startsWith('/api/') || path.startsWith('/metrics') ? path : BASE + path;
	if (query) {
		const qs = new URLSearchParams();
		for (const [k, v] of Object.entries(query))
			if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
		const s = qs.toString();
		if (s) url += (url.includes('?') ? '&' : '?') + s;
	}
	return url;
}

/* body: a value sent as JSON, or {raw, contentType} sent as is (a CSV file).
 * asBlob: the answer's body is also kept as a Blob (a download). */
async function send(method, url, body, headers, asBlob = false) {
	const h = { Accept: 'application/json', ...headers };
	const raw = body !== null && typeof body === 'object' && 'raw' in body;
	if (body !== undefined) h['Content-Type'] = raw ? body.contentType : 'application/json';
	if (accessToken) h.Authorization = `Bearer ${accessToken}`;
	let res;
	try {
		res = await fetch(url, { method, headers: h,
			body: body === undefined ? undefined : raw ? body.raw : JSON.stringify(body) });
	} catch (e) {
		throw new ApiError(0, 'network', e && e.message ? e.message : 'network error');
	}
	if (asBlob && res.ok) return { status: res.status, json: null, text: '', blob: await res.blob() };
	const text = await res.text();
	let json = null;
	if (text) {
		try {
			json = JSON.parse(text);
		} catch {
			json = null;
		}
	}
	return { status: res.status, json, text };
}

function toError(r) {
	const e = r.json && r.json.error;
	if (e && typeof e.code === 'string') return new ApiError(r.status, e.code, e.message || e.code, e.field);
	return new ApiError(r.status, r.status >= 500 ? 'internal' : 'unknown', `HTTP ${r.status}`);
}

function storeTokens(answer) {
	accessToken = answer.access_token;
	sessionStorage.setItem(REFRESH_KEY, answer.refresh_token);
}

function dropTokens() {
	accessToken = null;
	sessionCache = null;
	sessionStorage.removeItem(REFRESH_KEY);
}

/** Exchanges the refresh token for new tokens; false when there is none or it is dead. */
function refresh() {
	if (refreshing) return refreshing;
	const token = sessionStorage.getItem(REFRESH_KEY);
	if (!token) return Promise.resolve(false);
	accessToken = null;
	refreshing = send('POST', `${BASE}/auth/refresh`, { refresh_token: token }, {})
		.then((r) => {
			if (r.status === 200 && r.json && r.json.access_token) {
				storeTokens(r.json);
				return true;
			}
			dropTokens();
			return false;
		}, () => false)
		.finally(() => { refreshing = null; });
	return refreshing;
}

/**
 * One API call. path is relative to /api/v1 ('/products') unless it starts with
 * '/api/'. query: an object of parameters (empty values left out). body: sent as
 * JSON; rawBody with contentType: sent as is (a CSV or JSON file). asBlob: the
 * answer comes back as {status, blob} (a download such as the CSV export). idempotent: adds an Idempotency-Key, reused when the same submission is
 * retried after a network error. auth:false skips the 401 handling (login
 * itself); prompt:false refreshes but never opens the login dialog. Returns
 * {status, json}; throws ApiError for an error answer.
 */
export async function api(method, path, {
	body, rawBody, contentType, asBlob = false, query, idempotent = false, auth = true, prompt = true,
} = {}) {
	const url = buildUrl(path, query);
	const headers = {};
	if (rawBody !== undefined) body = { raw: rawBody, contentType };
	const submission = idempotent ? `${method} ${url} ${JSON.stringify(body ?? null)}` : null;
	if (submission) {
		if (!pendingKeys.has(submission)) pendingKeys.set(submission, crypto.randomUUID());
		headers['Idempotency-Key'] = pendingKeys.get(submission);
	}
	if (auth && !accessToken && sessionStorage.getItem(REFRESH_KEY)) await refresh();
	let r = await send(method, url, body, headers, asBlob);	// a network error keeps the key for the retry
	if (r.status === 401 && auth) {
		if (await refresh()) {
			r = await send(method, url, body, headers, asBlob);
		}
		if (r.status === 401 && loginPrompt && prompt) {
			await loginPrompt();	// rejects when the user gives up
			r = await send(method, url, body, headers, asBlob);
		}
	}
	if (submission) pendingKeys.delete(submission);
	if (r.status >= 400) throw toError(r);
	return asBlob ? { status: r.status, json: null, blob: r.blob } : { status: r.status, json: r.json };
}

/** Loads every page of a list (at most maxPages); for small reference lists. */
export async function apiAll(path, query = {}, maxPages = 20) {
	const items = [];
	let cursor = null;
	for (let i = 0; i < maxPages; i++) {
		const { json } = await api('GET', path, { query: { ...query, limit: 500, cursor } });
		items.push(...json.items);
		if (!json.next_cursor) break;
		cursor = json.next_cursor;
	}
	return items;
}

/**
 * A load function for pagedTable: GET path with query, 20 a page unless query
 * says otherwise, following the cursor. query is read at every call, so a
 * filter object changed in place applies to the next reload.
 */
export function lister(path, query = {}) {
	return async (cursor) => (await api('GET', path, { query: { limit: 20, ...query, cursor } })).json;
}

/** The district's reference lists, fetched afresh: {towns, parks, industries}. */
export async function referenceData() {
	const [towns, parks, industries] = await Promise.all(['/towns', '/parks', '/industries']
		.map((p) => api('GET', p).then((r) => r.json.items)));
	return { towns, parks, industries };
}

/** {user, role, org} of the logged-in user from GET /me; null when nobody is. */
export function session({ fresh = false } = {}) {
	if (!hasSession()) return Promise.resolve(null);
	if (!sessionCache || fresh) {
		// A session that died while the tab was closed means "logged out", not a dialog.
		sessionCache = api('GET', '/me', { prompt: false })
			.then(({ json }) => ({ user: json, role: json.role, org: json.org_id ?? null, orgName: json.org_name ?? null }))
			.catch((e) => {
				sessionCache = null;
				if (e.status === 401) return null;
				throw e;
			});
	}
	return sessionCache;
}

/** Logs in; returns the session. Throws ApiError (invalid_credentials, account_locked …). */
export async function login(username, password) {
	const { json } = await api('POST', '/auth/login', { body: { username, password }, auth: false });
	storeTokens(json);
	sessionCache = null;
	return session();
}

/** Registers an enterprise and logs its user in; returns the register answer. */
export async function register(body) {
	const { json } = await api('POST', '/auth/register', { body, auth: false });
	await login(body.username, body.password);
	return json;
}

/** Ends the session on the server (best effort) and forgets the tokens. */
export async function logout() {
	try {
		if (accessToken) await send('POST', `${BASE}/auth/logout`, undefined, {});
	} finally {
		dropTokens();
	}
}
