/*
 * Writing CSV for spreadsheets: every CSV the server sends is written
 * through csv_field, so the quoting and the formula guard are in one place.
 * Pure libc, no allocation, safe from any thread.
 */
#ifndef XYD_CSV_H
#define XYD_CSV_H

#include <stddef.h>

/* The most csv_field writes for an input of len bytes: a guard apostrophe,
 * every byte doubled (quotes), the two enclosing quotes. */
#define CSV_FIELD_MAX(len) (2 * (size_t)(len) + 3)

/*
 * Writes s as one CSV field (RFC 4180) at dst: enclosed in quotes when it
 * holds a comma, quote, CR or LF, quotes doubled. A field a spreadsheet
 * could run as a formula or that starts with a control character (first
 * byte = + - @, TAB, CR or LF) gets a leading apostrophe inside the field,
 * so Excel and LibreOffice show it as text. Writes at most size bytes and
 * no NUL; a field that does not fit is cut (never in the middle of a
 * doubled quote, and its closing quote kept). Returns the bytes written.
 * s NULL is the empty field.
 */
size_t csv_field(char *dst, size_t size, const char *s);

#endif
