// Finding the next byte a JSON or CSV writer or reader must look at, sixteen bytes per step (SSE2,
// part of every x86-64; one byte at a time elsewhere). Swift's SIMD types compiled these compares
// to a loop over the lanes, several times slower than eight bytes at a time in a word.
//
//     size_t at = harness_scan_json_string(p, n, &high);   // p[at] is '"', '\\' or a control, or at == n
#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <tmmintrin.h>
#endif

/// The offset of the first byte of `p[0..<n]` that is a control (below 0x20, when `controls`) or
/// equals one of `a`, `b`, `c`, `d` (repeat one to ask for fewer), or n. `*high` (when not NULL) gets
/// 0x80 when a byte before it is not ASCII.
static inline size_t harness_scan_until(const uint8_t *p, size_t n, int controls, uint8_t a, uint8_t b, uint8_t c, uint8_t d,
                                        uint8_t *high) {
    size_t i = 0;
    unsigned highs = 0;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b), vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
    const __m128i top = _mm_set1_epi8(0x1F);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        // max(v, 0x1F) == 0x1F exactly when v <= 0x1F (unsigned).
        if (controls) m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_max_epu8(v, top), top));
        unsigned hit = (unsigned)_mm_movemask_epi8(m);
        unsigned h = (unsigned)_mm_movemask_epi8(v);
        if (hit) {
            unsigned at = (unsigned)__builtin_ctz(hit);
            highs |= h & ((1u << at) - 1u);
            i += at;
            if (high) *high |= highs ? 0x80 : 0;
            return i;
        }
        highs |= h;
    }
#endif
    for (; i < n; i++) {
        uint8_t x = p[i];
        if ((controls && x < 0x20) || x == a || x == b || x == c || x == d) break;
        highs |= x & 0x80;
    }
    if (high) *high |= highs ? 0x80 : 0;
    return i;
}

/// The offset of the first quote, backslash or control in `p[0..<n]` (n when none): where a JSON
/// string's plain run ends. `*high` gets 0x80 when a byte before it is not ASCII.
static inline size_t harness_scan_json_string(const uint8_t *p, size_t n, uint8_t *high) {
    return harness_scan_until(p, n, 1, 0x22, 0x5C, 0x5C, 0x5C, high);
}

/// The offset of the first byte a JSON writer escapes or looks at in `p[0..<n]`: a control, quote,
/// backslash or 0xE2 (the lead byte of U+2028 and U+2029), or n.
static inline size_t harness_scan_json_escape(const uint8_t *p, size_t n) {
    return harness_scan_until(p, n, 1, 0x22, 0x5C, 0xE2, 0xE2, NULL);
}

/// The offset of the first comma, quote, CR or LF in `p[0..<n]` (what makes a CSV field quoted), or n.
static inline size_t harness_scan_csv_special(const uint8_t *p, size_t n) {
    return harness_scan_until(p, n, 0, 0x2C, 0x22, 0x0D, 0x0A, NULL);
}

/// The offset of the first `.`, `!`, `?` or 0xE3 (the lead byte of U+3002 IDEOGRAPHIC FULL STOP) in
/// `p[0..<n]`, or n: where a sentence may end.
static inline size_t harness_scan_sentence_end(const uint8_t *p, size_t n) {
    return harness_scan_until(p, n, 0, 0x2E, 0x21, 0x3F, 0xE3, NULL);
}

#if defined(__x86_64__)
// Well-formed UTF-8 (Unicode table 3-7: no overlong forms, surrogates or scalars past U+10FFFF),
// sixteen bytes at a time by the lookup method of Keiser and Lemire, "Validating UTF-8 In Less Than
// One Instruction Per Byte" (2021): three table lookups on the nibbles of each byte and the one
// before it name every error a two-byte window can show; the bytes that must continue a three- or
// four-byte sequence are checked from the bytes two and three before.
enum {
    harness_utf8_too_short = 1 << 0, harness_utf8_too_long = 1 << 1, harness_utf8_overlong_3 = 1 << 2,
    harness_utf8_too_large = 1 << 3, harness_utf8_surrogate = 1 << 4, harness_utf8_overlong_2 = 1 << 5,
    harness_utf8_too_large_1000 = 1 << 6, harness_utf8_overlong_4 = 1 << 6, harness_utf8_two_conts = 1 << 7,
    harness_utf8_carry = harness_utf8_too_short | harness_utf8_too_long | harness_utf8_two_conts
};

__attribute__((target("ssse3")))
static inline __m128i harness_utf8_block_errors(__m128i input, __m128i prev_input) {
    const __m128i low_nibble = _mm_set1_epi8(0x0F);
    const __m128i prev1 = _mm_alignr_epi8(input, prev_input, 15);
    const __m128i byte_1_high = _mm_shuffle_epi8(_mm_setr_epi8(
        harness_utf8_too_long, harness_utf8_too_long, harness_utf8_too_long, harness_utf8_too_long,
        harness_utf8_too_long, harness_utf8_too_long, harness_utf8_too_long, harness_utf8_too_long,
        (char)harness_utf8_two_conts, (char)harness_utf8_two_conts, (char)harness_utf8_two_conts, (char)harness_utf8_two_conts,
        harness_utf8_too_short | harness_utf8_overlong_2,
        harness_utf8_too_short,
        harness_utf8_too_short | harness_utf8_overlong_3 | harness_utf8_surrogate,
        harness_utf8_too_short | harness_utf8_too_large | harness_utf8_too_large_1000 | harness_utf8_overlong_4),
        _mm_and_si128(_mm_srli_epi16(prev1, 4), low_nibble));
    const char c = (char)harness_utf8_carry, large = (char)(harness_utf8_carry | harness_utf8_too_large | harness_utf8_too_large_1000);
    const __m128i byte_1_low = _mm_shuffle_epi8(_mm_setr_epi8(
        (char)(harness_utf8_carry | harness_utf8_overlong_3 | harness_utf8_overlong_2 | harness_utf8_overlong_4),
        (char)(harness_utf8_carry | harness_utf8_overlong_2),
        c, c,
        (char)(harness_utf8_carry | harness_utf8_too_large),
        large, large, large, large, large, large, large, large,
        (char)(harness_utf8_carry | harness_utf8_too_large | harness_utf8_too_large_1000 | harness_utf8_surrogate),
        large, large),
        _mm_and_si128(prev1, low_nibble));
    const char cont = (char)(harness_utf8_too_long | harness_utf8_overlong_2 | harness_utf8_two_conts);
    const char s = harness_utf8_too_short;
    const __m128i byte_2_high = _mm_shuffle_epi8(_mm_setr_epi8(
        s, s, s, s, s, s, s, s,
        (char)(cont | harness_utf8_overlong_3 | harness_utf8_too_large_1000 | harness_utf8_overlong_4),
        (char)(cont | harness_utf8_overlong_3 | harness_utf8_too_large),
        (char)(cont | harness_utf8_surrogate | harness_utf8_too_large),
        (char)(cont | harness_utf8_surrogate | harness_utf8_too_large),
        s, s, s, s),
        _mm_and_si128(_mm_srli_epi16(input, 4), low_nibble));
    const __m128i special = _mm_and_si128(_mm_and_si128(byte_1_high, byte_1_low), byte_2_high);
    // Bytes two after a 111_____ lead or three after a 1111____ lead must be continuations, which
    // the two-byte window cannot see: there `special` has only its 0x80 bit (two continuations).
    const __m128i prev2 = _mm_alignr_epi8(input, prev_input, 14), prev3 = _mm_alignr_epi8(input, prev_input, 13);
    const __m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80)));
    const __m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80)));
    const __m128i must23 = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));
    return _mm_xor_si128(must23, special);
}

/// Whether the last bytes of `input` start a sequence that needs bytes after them.
__attribute__((target("ssse3")))
static inline __m128i harness_utf8_incomplete(__m128i input) {
    const __m128i max = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                      (char)(0xF0 - 1), (char)(0xE0 - 1), (char)(0xC0 - 1));
    return _mm_subs_epu8(input, max);
}

__attribute__((target("ssse3")))
static inline int harness_utf8_valid_ssse3(const uint8_t *p, size_t n) {
    __m128i error = _mm_setzero_si128(), prev = _mm_setzero_si128(), prev_incomplete = _mm_setzero_si128();
    size_t i = 0;
    for (;; i += 16) {
        __m128i input;
        if (i + 16 <= n) {
            input = _mm_loadu_si128((const __m128i *)(p + i));
        } else if (i < n) {
            // The last bytes, padded with zeros: ASCII, so a sequence cut short is an error.
            uint8_t last[16] = {0};
            for (size_t k = 0; k < n - i; k++) last[k] = p[i + k];
            input = _mm_loadu_si128((const __m128i *)last);
        } else {
            break;
        }
        if (_mm_movemask_epi8(input) == 0) {
            // All ASCII: only a sequence the block before left open can be wrong.
            error = _mm_or_si128(error, prev_incomplete);
        } else {
            error = _mm_or_si128(error, harness_utf8_block_errors(input, prev));
            prev_incomplete = harness_utf8_incomplete(input);
        }
        prev = input;
        if (i + 16 >= n) break;
    }
    error = _mm_or_si128(error, prev_incomplete);
    return _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) == 0xFFFF;
}
#endif

/// Whether `p[0..<n]` is well-formed UTF-8: 1 or 0, or -1 where this processor has no fast check
/// (the caller checks the bytes itself then).
static inline int harness_utf8_valid(const uint8_t *p, size_t n) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("ssse3")) return harness_utf8_valid_ssse3(p, n);
#endif
    (void)p; (void)n;
    return -1;
}
