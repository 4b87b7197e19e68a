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

/// Bytes below 0x20 (controls), and at most three other bytes: a byte matches when it is a control
/// (`controls`) or equals one of `a`, `b`, `c` (repeat one to ask for fewer).
static inline size_t harness_scan_until(const uint8_t *p, size_t n, int controls, uint8_t a, uint8_t b, uint8_t c, uint8_t *high) {
    size_t i = 0;
    unsigned highs = 0;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b), vc = _mm_set1_epi8((char)c);
    const __m128i top = _mm_set1_epi8(0x1F);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)), _mm_cmpeq_epi8(v, vc));
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
        if ((controls && x < 0x20) || x == a || x == b || x == c) break;
        highs |= x & 0x80;
    }
    if (high) *high |= highs ? 0x80 : 0;
    return i;
}

/// The offset of the first quote, backslash or control in `p[0..<n]` (n when none): where a JSON
/// string's plain run ends. `*high` gets 0x80 when a byte before it is not ASCII.
static inline size_t harness_scan_json_string(const uint8_t *p, size_t n, uint8_t *high) {
    return harness_scan_until(p, n, 1, 0x22, 0x5C, 0x5C, high);
}

/// The offset of the first byte a JSON writer escapes or looks at in `p[0..<n]`: a control, quote,
/// backslash or 0xE2 (the lead byte of U+2028 and U+2029), or n.
static inline size_t harness_scan_json_escape(const uint8_t *p, size_t n) {
    return harness_scan_until(p, n, 1, 0x22, 0x5C, 0xE2, NULL);
}

/// The offset of the first comma, quote, CR or LF in `p[0..<n]` (what makes a CSV field quoted), or n.
static inline size_t harness_scan_csv_special(const uint8_t *p, size_t n) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(0x2C), quote = _mm_set1_epi8(0x22), cr = _mm_set1_epi8(0x0D), lf = _mm_set1_epi8(0x0A);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, quote)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf)));
        unsigned hit = (unsigned)_mm_movemask_epi8(m);
        if (hit) return i + (unsigned)__builtin_ctz(hit);
    }
#endif
    for (; i < n; i++) {
        uint8_t x = p[i];
        if (x == 0x2C || x == 0x22 || x == 0x0D || x == 0x0A) break;
    }
    return i;
}
