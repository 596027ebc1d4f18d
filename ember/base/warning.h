// Warnings (libtorch's TORCH_WARN): a message that does not stop the call. C++ programs see it on
// stderr; the Python module installs a handler that raises it as a UserWarning, so that
// `warnings.catch_warnings()` and `-W error` work on ember's warnings as on PyTorch's.
#pragma once

#include <sstream>
#include <string>
#include <utility>

namespace ember {

// May throw (a Python handler under `-W error`): the warning then fails the call.
using WarningHandler = void (*)(const std::string& message);
// Installs `handler` (null: the default, which writes "Warning: <message>" to stderr) and returns
// the previous one.
WarningHandler set_warning_handler(WarningHandler handler);
void emit_warning(const std::string& message);

// warn("[op] ", shape, " ..."): the parts streamed into one message.
template <typename... Parts>
void warn(Parts&&... parts) {
  std::ostringstream stream;
  (stream << ... << std::forward<Parts>(parts));
  emit_warning(stream.str());
}

}  // namespace ember
