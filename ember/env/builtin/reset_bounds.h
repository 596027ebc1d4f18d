// Gymnasium's maybe_parse_reset_bounds: the reset options "low" and "high" (numbers) with the
// environment's defaults; low > high is a ValueError naming the environment.
#pragma once

#include <string>
#include <utility>

#include "ember/base/error.h"
#include "ember/env/env.h"

namespace ember::env {

inline std::pair<double, double> reset_bounds(const Info& options, double low, double high,
                                              const std::string& env) {
  low = option_or(options, "low", low);
  high = option_or(options, "high", high);
  EMBER_CHECK_VALUE(low <= high, "[", env,
                    ".reset] expected options low <= high; received low=", low, " high=", high);
  return {low, high};
}

}  // namespace ember::env
