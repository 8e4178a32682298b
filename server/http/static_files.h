/*
 * The web pages: GET / and GET /static/... from the static folder, with
 * content types, caching headers and no way out of the folder.
 */
#ifndef XYD_STATIC_FILES_H
#define XYD_STATIC_FILES_H

#include "server/http/http.h"

/* Answers the request from the static folder, or leaves rc->status 0 with
 * rc->err set (404, 405 or 400) for the caller to answer. */
void static_files_serve(request_ctx *rc);

#endif
