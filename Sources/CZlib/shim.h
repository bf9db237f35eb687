#ifndef JIXIAO_CZLIB_SHIM_H
#define JIXIAO_CZLIB_SHIM_H
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

/* zlib's inflateInit2/deflateInit2 are macros (they pass ZLIB_VERSION and sizeof(z_stream));
   Swift cannot call macros with arguments, so each is wrapped in a static inline function.
   windowBits: -15 = raw deflate (what ZIP entries hold), 15 = zlib wrapper, 31 = gzip. */
static inline int CZlib_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

static inline int CZlib_deflateInit2(z_streamp strm, int level, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, memLevel, strategy);
}
/* CRC-32 (the zlib/ZIP polynomial) folded with carry-less multiplication (PCLMULQDQ), after Intel's "Fast CRC
   Computation for Generic Polynomials Using PCLMULQDQ" as in Chromium's zlib (crc32_sse42_simd_): about
   0.1 instructions per byte instead of zlib 1.2's table-driven ~3.
   CZlib_crc32_clmul_available: 1 when the CPU has PCLMULQDQ and SSE4.1 (cpuid); 0 elsewhere, where
   CZlib_crc32_clmul must not be called.
   CZlib_crc32_clmul: the raw (pre- and post-inverted) CRC state over `len` bytes, `len` a multiple of 16 and at
   least 64: crc32(c, buf, len) == ~CZlib_crc32_clmul(buf, len, ~c). */
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>

static inline int CZlib_crc32_clmul_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return ((c >> 1) & 1) && ((c >> 19) & 1);
}

__attribute__((target("pclmul,sse4.1")))
static inline uint32_t CZlib_crc32_clmul(const unsigned char *buf, size_t len, uint32_t crc) {
    static const uint64_t k1k2[] __attribute__((aligned(16))) = { 0x0154442bd4, 0x01c6e41596 };
    static const uint64_t k3k4[] __attribute__((aligned(16))) = { 0x01751997d0, 0x00ccaa009e };
    static const uint64_t k5k0[] __attribute__((aligned(16))) = { 0x0163cd6124, 0x0000000000 };
    static const uint64_t poly[] __attribute__((aligned(16))) = { 0x01db710641, 0x01f7011641 };
    __m128i x0, x1, x2, x3, x4, x5, x6, x7, x8, y5, y6, y7, y8;

    x1 = _mm_loadu_si128((const __m128i *)(buf + 0x00));
    x2 = _mm_loadu_si128((const __m128i *)(buf + 0x10));
    x3 = _mm_loadu_si128((const __m128i *)(buf + 0x20));
    x4 = _mm_loadu_si128((const __m128i *)(buf + 0x30));
    x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)crc));
    x0 = _mm_load_si128((const __m128i *)k1k2);
    buf += 64;
    len -= 64;

    /* Fold 64 bytes at a time. */
    while (len >= 64) {
        x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
        x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
        x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
        x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
        x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
        x2 = _mm_clmulepi64_si128(x2, x0, 0x11);
        x3 = _mm_clmulepi64_si128(x3, x0, 0x11);
        x4 = _mm_clmulepi64_si128(x4, x0, 0x11);
        y5 = _mm_loadu_si128((const __m128i *)(buf + 0x00));
        y6 = _mm_loadu_si128((const __m128i *)(buf + 0x10));
        y7 = _mm_loadu_si128((const __m128i *)(buf + 0x20));
        y8 = _mm_loadu_si128((const __m128i *)(buf + 0x30));
        x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), y5);
        x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), y6);
        x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), y7);
        x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), y8);
        buf += 64;
        len -= 64;
    }

    /* Fold into 128 bits. */
    x0 = _mm_load_si128((const __m128i *)k3k4);
    x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
    x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x3), x5);
    x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x4), x5);

    /* 16 bytes at a time. */
    while (len >= 16) {
        x2 = _mm_loadu_si128((const __m128i *)buf);
        x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
        x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
        x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
        buf += 16;
        len -= 16;
    }

    /* 128 to 64 bits. */
    x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
    x3 = _mm_setr_epi32(~0, 0, ~0, 0);
    x1 = _mm_srli_si128(x1, 8);
    x1 = _mm_xor_si128(x1, x2);
    x0 = _mm_loadl_epi64((const __m128i *)k5k0);
    x2 = _mm_srli_si128(x1, 4);
    x1 = _mm_and_si128(x1, x3);
    x1 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x1 = _mm_xor_si128(x1, x2);

    /* Barrett reduction to 32 bits. */
    x0 = _mm_load_si128((const __m128i *)poly);
    x2 = _mm_and_si128(x1, x3);
    x2 = _mm_clmulepi64_si128(x2, x0, 0x10);
    x2 = _mm_and_si128(x2, x3);
    x2 = _mm_clmulepi64_si128(x2, x0, 0x00);
    x1 = _mm_xor_si128(x1, x2);
    return (uint32_t)_mm_extract_epi32(x1, 1);
}
#else
static inline int CZlib_crc32_clmul_available(void) { return 0; }
static inline uint32_t CZlib_crc32_clmul(const unsigned char *buf, size_t len, uint32_t crc) {
    (void)buf; (void)len; return crc;
}
#endif

#endif
