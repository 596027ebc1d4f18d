// ember's version string ("0.1.0").
#pragma once

#define EMBER_VERSION_STRING "0.1.0"

namespace ember {
const char* version();
}  // namespace ember
