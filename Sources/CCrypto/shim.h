// OpenSSL's libcrypto (Debian libssl-dev): SHA-256 with the CPU's SHA extensions where it has them.
#include <openssl/evp.h>

/// One SHA-256 context; EVP_sha256 is a function Swift can call, but keeping the three calls here
/// keeps the Swift side free of OpenSSL's types.
static inline EVP_MD_CTX *ccrypto_sha256_new(void) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx) EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    return ctx;
}
