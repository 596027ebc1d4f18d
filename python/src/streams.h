// The live streams' binding (python/src/streams.cpp), called by module.cpp.
#pragma once

#include <nanobind/nanobind.h>

namespace ember::python {

// ember._C._streams: ember::data::streams for python/ember/data/streams.
void init_streams(nanobind::module_& module);

}  // namespace ember::python
