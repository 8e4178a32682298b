/*
 * Checks on the identifiers and free text the API accepts (credit codes, ID
 * numbers, dates, phones, usernames, passwords, UTF-8), plus the masking of
 * personal numbers shown to callers other than their owner. Pure libc, no
 * allocation, no global state, safe to call from any thread.
 *
 * Every validator takes a NUL-terminated string and returns false (or a
 * refusal) for NULL. None of them trims or case-folds: the caller stores
 * exactly what passed.
 */
#ifndef XYD_VALIDATE_H
#define XYD_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest password accepted, in bytes (api.md limits strings; a hash of a
 * longer one buys nothing and costs CPU). */
#define VALIDATE_PASSWORD_MAX_BYTES 256
/* Shortest password accepted, in characters (UTF-8 code points). */
#define VALIDATE_PASSWORD_MIN_CHARS 12

/*
 * Unified Social Credit Code (GB 32100-2015): exactly 18 characters from
 * "0123456789ABCDEFGHJKLMNPQRTUWXY" (upper case only; I, O, S, V, Z never
 * occur), positions 3-8 all digits (the administrative division), and the
 * 18th character equal to the mod-31 check over the first 17 with weights
 * 3^i mod 31. Returns true only if all of that holds.
 */
bool validate_uscc(const char *s);

/* The check character of a USCC whose first 17 characters are first17
 * (read exactly 17), or '\0' when one of them is not in the alphabet. */
char validate_uscc_check_char(const char *first17);

/* The check character ('0'-'9' or 'X') of an ID number whose first 17
 * characters are first17 (read exactly 17), or '\0' for a non-digit. */
char validate_id_no_check_char(const char *first17);

/*
 * Resident identity number (GB 11643-1999): 17 digits and a check character
 * (ISO 7064 MOD 11-2), a digit or an upper-case 'X'. A lower-case 'x' is
 * refused so that one person has one stored spelling; a client wanting to be
 * lenient upper-cases before sending. The birth date in positions 7-14 must
 * be a real date from 1900-01-01 to today (the district's calendar, UTC+8)
 * inclusive. Old 15-character numbers are refused. Returns true only if all
 * of that holds.
 */
bool validate_id_no(const char *s);

/*
 * A date written exactly YYYY-MM-DD (10 characters, no sign or spaces) naming
 * a real calendar day in the years 1900-2199. On success stores the parts in
 * each non-NULL out pointer and returns true; on failure returns false and
 * leaves the out pointers untouched.
 */
bool validate_date(const char *s, int *year, int *month, int *day);
/* Days in month (1-12) of year, proleptic Gregorian: 28 to 31. */
int validate_days_in_month(int year, int month);
/* True when s is NULL, empty or only spaces, tabs and line breaks: a text
 * field with nothing in it. */
bool validate_blank(const char *s);

/*
 * Free text a person typed (names, purposes, memos, reasons, descriptions):
 * true when s holds no control character, that is nothing from C0
 * (U+0000-U+001F, so no CR, LF or TAB), no DEL (U+007F) and nothing from C1
 * (U+0080-U+009F, UTF-8 C2 80 to C2 9F), which could split a log line, a CSV
 * cell or an exported row, or hide text on screen. With lines, LF (U+000A)
 * is allowed, for multi-line prose (descriptions, reasons, messages); CR is
 * refused there too, a line break is one LF. s must already be valid UTF-8
 * (validate_utf8); NULL is false.
 */
bool validate_text(const char *s, bool lines);

/*
 * A mainland phone number as written by a person, without spaces or "+86":
 * a mobile, 11 digits starting 13-19; or a landline, '0', an area code, an
 * optional '-', then 7 or 8 digits. The area code follows the national plan
 * so it is unambiguous without the '-': "10" and "2x" are two digits
 * (010, 021), codes starting 3-9 are three (0571). Returns true if either
 * form matches.
 */
bool validate_phone(const char *s);

/*
 * A login name: 3 to 64 characters of A-Z a-z 0-9 _ . @ -, the first a
 * letter or digit. Returns true if so.
 */
bool validate_username(const char *s);

typedef enum {
	VALIDATE_PASSWORD_OK,
	VALIDATE_PASSWORD_TOO_SHORT,
	VALIDATE_PASSWORD_TOO_LONG,
	VALIDATE_PASSWORD_TOO_SIMPLE,
	VALIDATE_PASSWORD_BAD_ENCODING
} validate_password_result;

/*
 * The api.md password policy, checked in this order: at most
 * VALIDATE_PASSWORD_MAX_BYTES bytes (TOO_LONG), valid UTF-8 (BAD_ENCODING),
 * at least VALIDATE_PASSWORD_MIN_CHARS code points (TOO_SHORT), and at least
 * 3 of the 4 classes lower-case ASCII, upper-case ASCII, digit, other
 * (TOO_SIMPLE); every non-ASCII character counts as other. NULL is treated
 * as the empty password. Reads at most MAX_BYTES + 1 bytes of pw.
 */
validate_password_result validate_password(const char *pw);

/*
 * An English sentence naming the rule a result stands for, fit to send to
 * the client. Static storage; never NULL, also for an out-of-range value.
 */
const char *validate_password_message(validate_password_result result);

/*
 * True if the len bytes at s are strict UTF-8: shortest form only, no
 * surrogates (U+D800-U+DFFF), nothing above U+10FFFF. A NUL byte inside the
 * range is U+0000 and allowed. len 0 is valid; NULL with len > 0 is not.
 */
/* True when s[0..len) is 1 to max characters of A-Z a-z 0-9 _ . - (a
 * path segment, a model version). */
bool validate_token(const char *s, size_t len, size_t max);

bool validate_utf8(const char *s, size_t len);

/*
 * The number of code points in s, a NUL-terminated string the caller has
 * already found valid with validate_utf8 (on other input the count is
 * meaningless but the call is still memory-safe). NULL counts as 0.
 */
size_t validate_utf8_length(const char *s);

/* The index of s among names[0..count) (an enum's API names), or -1 when
 * s is NULL or none of them. */
int validate_name_index(const char *s, const char *const *names, int count);

/*
 * Write the masked form of an ID number to out: the first 3 and last 4
 * characters kept, each character between replaced by '*'
 * (310120198709274536 -> 310***********4536). Input shorter than 8
 * characters, or not valid UTF-8, becomes one '*' per character (per byte
 * when invalid), since keeping 7 would show it whole. Characters are UTF-8
 * code points, so a multi-byte character is never split. out always ends in
 * NUL when out_size > 0; output that does not fit is cut at a character
 * boundary. NULL input gives "". in and out must not overlap.
 */
void mask_id_no(const char *in, char *out, size_t out_size);

/*
 * The same masking for a phone number (13812345678 -> 138****5678), with the
 * same rules for short input, truncation and NULL.
 */
void mask_phone(const char *in, char *out, size_t out_size);

#endif
