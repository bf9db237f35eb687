#ifndef JIXIAO_CLIBXML2_SHIM_H
#define JIXIAO_CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlstring.h>
#include <libxml/xmlsave.h>
#endif
