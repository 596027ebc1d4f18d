#include "ember/base/warning.h"

#include <atomic>
#include <iostream>

namespace ember {
namespace {

void print_warning(const std::string& message) { std::cerr << "Warning: " << message << '\n'; }

std::atomic<WarningHandler> installed{&print_warning};

}  // namespace

WarningHandler set_warning_handler(WarningHandler handler) {
  return installed.exchange(handler != nullptr ? handler : &print_warning);
}

void emit_warning(const std::string& message) { installed.load()(message); }

}  // namespace ember
