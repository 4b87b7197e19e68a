#include "ccurl.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The libcurl functions used, found in libcurl.so.4 once per process.
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256];

static void load(void) {
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(load_error, sizeof load_error, "cannot load libcurl.so.4: %s", dlerror());
        return;
    }
#define FIND(field, name)                                                                                   \
    if (!(*(void **)&curl.field = dlsym(lib, name))) {                                                      \
        snprintf(load_error, sizeof load_error, "libcurl.so.4 has no %s", name);                            \
        return;                                                                                             \
    }
    FIND(global_init, "curl_global_init")
    FIND(easy_init, "curl_easy_init")
    FIND(easy_setopt, "curl_easy_setopt")
    FIND(easy_perform, "curl_easy_perform")
    FIND(easy_getinfo, "curl_easy_getinfo")
    FIND(easy_cleanup, "curl_easy_cleanup")
    FIND(easy_reset, "curl_easy_reset")
    FIND(easy_strerror, "curl_easy_strerror")
    FIND(slist_append, "curl_slist_append")
    FIND(slist_free_all, "curl_slist_free_all")
#undef FIND
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "libcurl did not initialise");
        curl.easy_init = NULL;
    }
}

void *ccurl_open(char *error, size_t error_size) {
    pthread_once(&once, load);
    if (!curl.easy_init || load_error[0]) {
        snprintf(error, error_size, "%s", load_error[0] ? load_error : "libcurl did not initialise");
        return NULL;
    }
    CURL *handle = curl.easy_init();
    if (!handle) snprintf(error, error_size, "libcurl could not make a handle");
    return handle;
}

void ccurl_close(void *handle) {
    if (handle) curl.easy_cleanup(handle);
}

typedef struct {
    char *bytes;
    size_t size, capacity;
} buffer;

static size_t collect(char *data, size_t size, size_t count, void *context) {
    buffer *b = context;
    size_t n = size * count;
    if (b->size + n + 1 > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 4096;
        while (capacity < b->size + n + 1) capacity *= 2;
        char *grown = realloc(b->bytes, capacity);
        if (!grown) return 0;  // libcurl then fails the transfer (CURLE_WRITE_ERROR)
        b->bytes = grown;
        b->capacity = capacity;
    }
    memcpy(b->bytes + b->size, data, n);
    b->size += n;
    b->bytes[b->size] = 0;
    return n;
}

static ccurl_failure classify(CURLcode code) {
    switch (code) {
    case CURLE_OK: return CCURL_OK;
    case CURLE_COULDNT_CONNECT: return CCURL_REFUSED;
    case CURLE_COULDNT_RESOLVE_HOST: return CCURL_UNKNOWN_HOST;
    case CURLE_OPERATION_TIMEDOUT: return CCURL_TIMEOUT;
    case CURLE_URL_MALFORMAT: case CURLE_UNSUPPORTED_PROTOCOL: return CCURL_BAD_URL;
    case CURLE_GOT_NOTHING: case CURLE_RECV_ERROR: case CURLE_SEND_ERROR: case CURLE_PARTIAL_FILE: return CCURL_CLOSED;
    default: return CCURL_OTHER;
    }
}

ccurl_failure ccurl_request(void *handle, const char *url, const char *method, const char *body, size_t body_size,
                            long timeout_ms, long *status, char **answer, size_t *answer_size, char *error, size_t error_size) {
    CURL *h = handle;
    buffer received = {0};
    char message[CURL_ERROR_SIZE] = {0};
    struct curl_slist *headers = curl.slist_append(NULL, "Accept: application/json");
    // The options of the last request go; the connection stays open for the next one.
    curl.easy_reset(h);
    curl.easy_setopt(h, CURLOPT_URL, url);
    curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM for timeouts
    curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    // As URLSession did: a server behind a proxy may answer with a redirect.
    curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl.easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl.easy_setopt(h, CURLOPT_ERRORBUFFER, message);
    curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl.easy_setopt(h, CURLOPT_WRITEDATA, &received);
    if (body) {
        headers = curl.slist_append(headers, "Content-Type: application/json");
        curl.easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_size);
        // libcurl would otherwise wait for a "100 Continue" before sending a large body.
        headers = curl.slist_append(headers, "Expect:");
    }
    if (strcmp(method, body ? "POST" : "GET") != 0) curl.easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    CURLcode code = curl.easy_perform(h);
    curl.slist_free_all(headers);
    curl.easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    if (code != CURLE_OK) {
        snprintf(error, error_size, "%s", message[0] ? message : curl.easy_strerror(code));
        free(received.bytes);
        return classify(code);
    }
    long http = 0;
    curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &http);
    *status = http;
    *answer = received.bytes;
    *answer_size = received.size;
    return CCURL_OK;
}

void ccurl_free(char *answer) { free(answer); }
