/* The ceiling: a bare evhttp server that answers {"ok":true} on one thread. */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdlib.h>

static void answer(struct evhttp_request *req, void *arg)
{
	(void)arg;
	struct evbuffer *out = evbuffer_new();
	evbuffer_add(out, "{\"ok\":true}", 11);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
			  "application/json");
	evhttp_send_reply(req, 200, "OK", out);
	evbuffer_free(out);
}

int main(int argc, char **argv)
{
	struct event_base *base = event_base_new();
	struct evhttp *http = evhttp_new(base);
	evhttp_set_gencb(http, answer, NULL);
	if (evhttp_bind_socket(http, "127.0.0.1",
			       (unsigned short)atoi(argc > 1 ? argv[1] : "18181")))
		return 1;
	return event_base_dispatch(base);
}
