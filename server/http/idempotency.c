/* The Idempotency-Key header: see idempotency.h. */
#include "server/http/idempotency.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static bool key_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > IDEM_KEY_MAX_CHARS)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x21 || s[i] > 0x7e)
			return false;
	return true;
}

/* The SHA-256 of the raw body bytes as sent (empty for no body). */
static void body_sha256(request_ctx *rc, char out[65])
{
	struct evbuffer *in = evhttp_request_get_input_buffer(rc->req);
	size_t len = evbuffer_get_length(in);
	const unsigned char *data = len ? evbuffer_pullup(in, -1) : (const unsigned char *)"";
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

xyd_status idempotency_key_read(request_ctx *rc, models_idem_key *key, bool *present)
{
	const char *v = evhttp_find_header(evhttp_request_get_input_headers(rc->req),
					   IDEMPOTENCY_HEADER);
	memset(key, 0, sizeof *key);
	*present = v != NULL;
	if (!v)
		return XYD_OK;
	if (!key_valid(v))
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, IDEMPOTENCY_HEADER,
				     "%s must be 1 to %d printable ASCII characters without spaces",
				     IDEMPOTENCY_HEADER, IDEM_KEY_MAX_CHARS);
	if (strlen(rc->path) > IDEM_PATH_MAX_CHARS)
		return api_error_set(&rc->err, XYD_VALIDATION_FAILED, NULL, "the path is too long");
	key->user_id = rc->who.user_id;
	key->key = v;
	key->method = rc->method;
	key->path = rc->path;
	body_sha256(rc, key->body_sha256);
	return XYD_OK;
}

xyd_status idempotency_run(request_ctx *rc, models_idem_work work, void *ctx)
{
	models_idem_key key;
	bool present, replayed;
	models_idem_answer answer;
	xyd_status st = idempotency_key_read(rc, &key, &present);
	if (st != XYD_OK)
		return st;
	rc->err.status = XYD_OK;
	st = models_idempotent_transaction(rc->db, present ? &key : NULL, work, ctx, &answer,
					   &replayed);
	if (st == XYD_OK) {
		if (replayed)
			evhttp_add_header(evhttp_request_get_output_headers(rc->req),
					  "Idempotent-Replayed", "true");
		reply_raw(rc, answer.status, "application/json; charset=utf-8", answer.body,
			  strlen(answer.body));
		free(answer.body);
		return XYD_OK;
	}
	if (rc->err.status == st) /* worded by the work */
		return st;
	if (st == XYD_CONFLICT && present)
		return api_error_set(
			&rc->err, st, IDEMPOTENCY_HEADER,
			"%s '%s' was already used for another request (another body or "
			"path); use a new key for a new request",
			IDEMPOTENCY_HEADER, key.key);
	return request_fail(rc, st);
}
