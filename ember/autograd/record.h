// Installs autograd into the op call path, and lets a front end say where an op was called
// from (the Python line) for anomaly mode.
#pragma once

#include <string>

namespace ember::autograd {

void install_recorder();

using CreationTraceProvider = std::string (*)();
void set_creation_trace_provider(CreationTraceProvider provider);
std::string current_creation_trace();

}  // namespace ember::autograd
