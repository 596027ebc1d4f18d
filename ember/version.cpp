// The library's version, and the anchor source of the bundled libember.so.
#include "ember/version.h"

namespace ember {
const char* version() { return EMBER_VERSION_STRING; }
}  // namespace ember
