// libxml2 through a system-library target. Debian builds libxml2 with ICU; its headers would pull
// <unicode/ucnv.h>, whose enums clash with Foundation's own ICU. harness never uses libxml2's ICU
// encoders (pages are decoded to UTF-8 before parsing), so the ICU parts are left out here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/// libxml2's error callback is variadic, which Swift cannot write: a silent one, set here.
static void cxml2_silent(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void cxml2_quiet(void) { xmlSetGenericErrorFunc(NULL, cxml2_silent); }
/// `xmlFree` is a global function pointer (shared mutable state to Swift): call it through C.
static inline void cxml2_free(void *p) { xmlFree(p); }
