#ifndef JIXIAO_CZLIB_SHIM_H
#define JIXIAO_CZLIB_SHIM_H
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
#endif
