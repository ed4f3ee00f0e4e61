#ifndef HPA_CCURL_SHIM_H
#define HPA_CCURL_SHIM_H
#include <curl/curl.h>

/*
 * Typed wrappers for libcurl's variadic calls (curl_easy_setopt, curl_easy_getinfo,
 * curl_global_init flags), which Swift cannot call directly. One wrapper per argument type.
 */

static inline CURLcode hpa_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode hpa_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/* libcurl copies string options (since 7.17), so the caller's buffer may go away afterwards. */
static inline CURLcode hpa_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode hpa_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/* The list must stay alive until the transfer is done (libcurl does not copy it). */
static inline CURLcode hpa_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(handle, option, list);
}

/* In-memory PEM (CA bundle, client certificate, key): libcurl copies the bytes (CURL_BLOB_COPY). */
static inline CURLcode hpa_curl_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = length;
    blob.flags = CURL_BLOB_COPY;
    return curl_easy_setopt(handle, option, &blob);
}

typedef size_t (*hpa_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);
typedef int (*hpa_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                          curl_off_t ultotal, curl_off_t ulnow);

/* For CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION and CURLOPT_READFUNCTION. */
static inline CURLcode hpa_curl_setopt_data_callback(CURL *handle, CURLoption option, hpa_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode hpa_curl_setopt_xferinfo(CURL *handle, hpa_curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode hpa_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode hpa_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode hpa_curl_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode hpa_curl_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    return curl_easy_getinfo(handle, info, value);
}

/* CURL_GLOBAL_ALL is a macro expression Swift cannot import. */
static inline CURLcode hpa_curl_global_init_all(void) {
    return curl_global_init(CURL_GLOBAL_ALL);
}

/* Size of the buffer CURLOPT_ERRORBUFFER requires. */
static inline size_t hpa_curl_error_size(void) {
    return CURL_ERROR_SIZE;
}

#endif
