// Translations. Simplified Chinese first, English on request; the choice is
// remembered in localStorage. Each page module registers its own strings, keys
// prefixed by the module's name, so no shared dictionary is edited by two people.

const STORE_KEY = 'xyd.lang';
const dicts = { zh: {}, en: {} };
let current = readStored();

function readStored() {
	try {
		return localStorage.getItem(STORE_KEY) === 'en' ? 'en' : 'zh';
	} catch {
		return 'zh';
	}
}

/** Adds strings: dict = {zh:{key:'…'}, en:{key:'…'}}. A later key replaces an earlier one. */
export function register(dict) {
	for (const l of ['zh', 'en']) Object.assign(dicts[l], dict[l] || {});
}

/** The current language, 'zh' or 'en'. */
export function lang() {
	return current;
}

/** The BCP 47 tag of the current language, for <html lang>. */
export function langTag() {
	return current === 'en' ? 'en' : 'zh-CN';
}

/**
 * Switches the language, remembers it and fires 'xyd:lang' on window so the
 * shell re-renders the current page.
 */
export function setLang(l) {
	current = l === 'en' ? 'en' : 'zh';
	try {
		localStorage.setItem(STORE_KEY, current);
	} catch { /* private mode: the choice lasts for this page only */ }
	document.documentElement.lang = langTag();
	window.dispatchEvent(new CustomEvent('xyd:lang', { detail: current }));
}

/**
 * The string for key in the current language (falling back to Chinese, then
 * to the key itself), with {name} placeholders replaced from vars.
 */
export function t(key, vars) {
	let s = dicts[current][key] ?? dicts.zh[key] ?? key;
	if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined || vars[k] === null ? m : String(vars[k])));
	return s;
}

/** Picks the current language's value of a {zh, en} pair (e.g. a nav label). */
export function pick(pair) {
	if (!pair || typeof pair !== 'object') return pair ?? '';
	return pair[current] ?? pair.zh ?? '';
}

/**
 * A server-written text field in the current language: obj[`${field}_zh`]
 * in Chinese (the English obj[field] when a record from before the Chinese
 * renderings has none), obj[field] in English.
 */
export function serverText(obj, field) {
	if (!obj) return '';
	return (current === 'zh' && obj[`${field}_zh`]) || obj[field] || '';
}
