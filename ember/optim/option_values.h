// Reading and writing the option maps of state dicts (optimizer.h's OptimizerOptionMap) for the
// algorithms' options classes.
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "ember/optim/optimizer.h"

namespace ember::optim::detail {

// Sets `field` from values[name] when present; a value of another kind raises TypeError naming
// the option. Integers are accepted for floats, as Python's 1 for 1.0.
void read_option(const OptimizerOptionMap& values, const std::string& name, double& field);
void read_option(const OptimizerOptionMap& values, const std::string& name, bool& field);
void read_option(const OptimizerOptionMap& values, const std::string& name, int64_t& field);
void read_option(const OptimizerOptionMap& values, const std::string& name,
                 std::vector<double>& field);
// A name or None (LBFGS's line_search_fn).
void read_option(const OptimizerOptionMap& values, const std::string& name,
                 std::optional<std::string>& field);
// A pair such as Adam's betas, from a two-element sequence.
void read_option(const OptimizerOptionMap& values, const std::string& name,
                 std::tuple<double, double>& field);

// The options PyTorch's groups hold that ember's C++ frontend has no use for (foreach, fused,
// differentiable), with the values of a default group, so that the layouts of both languages
// agree key for key.
void add_python_only_options(OptimizerOptionMap& values);

}  // namespace ember::optim::detail
