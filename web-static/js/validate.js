// Checks a person's input before it reaches the server, with the same rules the
// server applies (common/validate.c): the Unified Social Credit Code's check
// character (GB 32100-2015), the resident ID number's check character and birth
// date (GB 11643-1999, ISO 7064 MOD 11-2), the password policy and phones. Each
// returns an i18n key naming what is wrong, or '' when the value is fine.

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 32100 check character of the first 17 characters; null if one is outside the alphabet. */
export function usccCheckChar(first17) {
	let sum = 0;
	for (let i = 0; i < 17; i++) {
		const v = USCC_CHARS.indexOf(first17[i]);
		if (v < 0) return null;
		sum += v * USCC_WEIGHTS[i];
	}
	return USCC_CHARS[(31 - (sum % 31)) % 31];
}

/** '' for a valid USCC, else 'validate.uscc_length', 'validate.uscc_chars' or 'validate.uscc_check'. */
export function checkUscc(code) {
	const s = String(code).trim();
	if (s.length !== 18) return 'validate.uscc_length';
	for (const c of s) if (!USCC_CHARS.includes(c)) return 'validate.uscc_chars';
	return usccCheckChar(s.slice(0, 17)) === s[17] ? '' : 'validate.uscc_check';
}

/** The GB 11643 check character of 17 digits. */
export function idCheckChar(first17) {
	let sum = 0;
	for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
	return ID_CHECK[sum % 11];
}

function realPastDate(y, m, d, today) {
	const dt = new Date(Date.UTC(y, m - 1, d));
	if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return false;
	return y >= 1900 && dt.getTime() <= today.getTime();
}

// The district's calendar (UTC+8): its wall clock read as UTC, so a birth date of
// today there is not in the future even while the UTC date is still yesterday.
const districtNow = () => new Date(Date.now() + 8 * 3600 * 1000);

/** '' for a valid 18-character ID number (upper-case X, a real birth date not in the future), else an i18n key. */
export function checkIdNo(id, today = districtNow()) {
	const s = String(id).trim();
	if (!/^\d{17}[\dX]$/.test(s)) return s.length !== 18 ? 'validate.id_length' : 'validate.id_chars';
	const y = Number(s.slice(6, 10)), m = Number(s.slice(10, 12)), d = Number(s.slice(12, 14));
	if (!realPastDate(y, m, d, today)) return 'validate.id_birth';
	return idCheckChar(s.slice(0, 17)) === s[17] ? '' : 'validate.id_check';
}

/** '' when the password meets the policy: 12+ characters and 3 of lower, upper, digit, other. */
export function checkPassword(pw) {
	const chars = [...String(pw)];
	if (chars.length < 12) return 'validate.pw_short';
	const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(pw)).length;
	return classes >= 3 ? '' : 'validate.pw_classes';
}

/** '' for a mainland mobile (1[3-9]x, 11 digits) or landline (0 + area code, 10–12 digits, optional '-'). */
export function checkPhone(p) {
	const s = String(p).trim();
	if (/^1[3-9]\d{9}$/.test(s)) return '';
	if (/^0\d{2,3}-?\d{7,8}$/.test(s)) return '';
	return 'validate.phone';
}

/** '' for a username the server accepts: 3–64 of A-Z a-z 0-9 _ . @ -, starting with a letter or digit. */
export function checkUsername(u) {
	return /^[A-Za-z0-9][A-Za-z0-9_.@-]{2,63}$/.test(String(u)) ? '' : 'validate.username';
}

export const messages = {
	zh: {
		'validate.uscc_length': '统一社会信用代码应为 18 位', 'validate.uscc_chars': '只能使用数字和大写字母（不含 I、O、Z、S、V）',
		'validate.uscc_check': '校验位不符，请核对统一社会信用代码', 'validate.id_length': '身份证号应为 18 位',
		'validate.id_chars': '身份证号前 17 位为数字，末位为数字或大写 X', 'validate.id_birth': '身份证号中的出生日期无效',
		'validate.id_check': '校验码不符，请核对身份证号', 'validate.pw_short': '密码至少 12 个字符',
		'validate.pw_classes': '密码须包含小写字母、大写字母、数字、其他符号中的至少 3 类',
		'validate.phone': '请输入有效的手机号或固定电话', 'validate.username': '用户名为 3–64 位字母、数字或 _ . @ -，以字母或数字开头',
	},
	en: {
		'validate.uscc_length': 'A unified social credit code has 18 characters',
		'validate.uscc_chars': 'Digits and capital letters only (no I, O, Z, S, V)',
		'validate.uscc_check': 'The check character does not match; please check the code',
		'validate.id_length': 'An ID number has 18 characters', 'validate.id_chars': '17 digits, then a digit or capital X',
		'validate.id_birth': 'The birth date in the ID number is not valid',
		'validate.id_check': 'The check character does not match; please check the number',
		'validate.pw_short': 'At least 12 characters', 'validate.pw_classes': 'Use at least 3 of: lower case, upper case, digits, symbols',
		'validate.phone': 'Enter a valid mobile or landline number',
		'validate.username': '3–64 letters, digits or _ . @ -, starting with a letter or digit',
	},
};
