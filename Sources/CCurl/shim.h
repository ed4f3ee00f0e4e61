#ifndef HPA_CCURL_SHIM_H
#define HPA_CCURL_SHIM_H
#include <curl/curl.h>
#endif
