// The library's version string, compiled in so a running program can report its build.
#include "ember/base/version.h"

namespace ember {
const char* version() { return EMBER_VERSION_STRING; }
}  // namespace ember
