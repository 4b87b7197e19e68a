// HTTP requests through the system's libcurl, loaded with dlopen on first use.
//
// Linking libcurl (or Foundation's URLSession, which links it) loads curl and the TLS, Kerberos,
// LDAP and SSH libraries it depends on into every run: about 6 MB of memory and thirty libraries
// to relocate at start, for a client that only talks to a server when a spec names one. Loading
// it on first use costs nothing to the runs that never do.
#ifndef CCURL_H
#define CCURL_H

#include <stddef.h>

/// What a request's failure was, for the caller's messages and retries.
typedef enum {
    CCURL_OK = 0,
    CCURL_REFUSED = 1,      // nothing listens there
    CCURL_UNKNOWN_HOST = 2,
    CCURL_TIMEOUT = 3,
    CCURL_CLOSED = 4,       // the connection was closed before a whole answer came
    CCURL_BAD_URL = 5,      // libcurl cannot use the URL
    CCURL_OTHER = 6
} ccurl_failure;

/// One connection's state (libcurl keeps the connection open between requests). Not for two
/// threads at once. NULL when libcurl cannot be loaded; `error` then says why.
void *ccurl_open(char *error, size_t error_size);
void ccurl_close(void *handle);

/// Sends one request and waits for the whole answer, at most `timeout_ms` from the start of the
/// request to the last byte of the answer (redirects are followed, at most five). `body` (JSON) may be
/// NULL. On success `*status` is the HTTP status and `*answer` the body (`*answer_size` bytes,
/// freed with `ccurl_free`); otherwise `error` holds libcurl's message.
ccurl_failure ccurl_request(void *handle, const char *url, const char *method, const char *body, size_t body_size,
                            long timeout_ms, long *status, char **answer, size_t *answer_size, char *error, size_t error_size);

void ccurl_free(char *answer);

#endif
