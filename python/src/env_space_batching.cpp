// ember.env.vector.utils.batch_space (Gymnasium's batch_space for every space) over
// ember/env/space_batching.h, into ember._C._env.
#include <nanobind/stl/shared_ptr.h>

#include "convert.h"
#include "ember/env/space_batching.h"
#include "env_space_batching.h"

namespace ember::python {

void init_env_space_batching(nb::module_& module) {
  nb::module_ env = nb::borrow<nb::module_>(module.attr("_env"));
  env.def("batch_space", &env::batch_any_space, nb::arg("space"), nb::arg("n") = 1,
          nb::sig("def batch_space(space: Space, n: int = 1) -> Space"),
          "Gymnasium's batch_space: the space of n stacked elements of space (Box bounds and "
          "MultiBinary shapes get a leading n, Discrete becomes MultiDiscrete, MultiDiscrete an "
          "int64 Box, Tuple and Dict batch their children).");
}

}  // namespace ember::python
