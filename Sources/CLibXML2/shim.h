#ifndef JIXIAO_CLIBXML2_SHIM_H
#define JIXIAO_CLIBXML2_SHIM_H
/* Debian and Ubuntu build libxml2 with ICU, so <libxml/encoding.h> includes <unicode/ucnv.h> from libicu-dev.
   Swift's Foundation ships its own ICU module (_FoundationICU) with a different UErrorCode, and a Swift file
   that sees both fails to compile ("... is not present in definition of 'enum UErrorCode'"). jixiao never
   touches libxml2's ICU converters (the only thing the macro adds is two pointer fields at the end of
   xmlCharEncodingHandler, a struct used here only through pointers), so it is switched off before the
   headers that test it. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlstring.h>
#include <libxml/xmlsave.h>

/* libxml2 prints some errors (encoding conversion, I/O) through its generic error function, which writes to
   stderr by default and is variadic, so Swift cannot supply one. These silence it for the calling thread
   (the setting is per thread); the parser's structured error handler still reports the error. */
static void CLibXML2_silentGenericError(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void CLibXML2_silenceGenericErrors(void) { xmlSetGenericErrorFunc(NULL, CLibXML2_silentGenericError); }
#endif
