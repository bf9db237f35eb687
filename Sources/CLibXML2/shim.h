#ifndef JIXIAO_CLIBXML2_SHIM_H
#define JIXIAO_CLIBXML2_SHIM_H
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
