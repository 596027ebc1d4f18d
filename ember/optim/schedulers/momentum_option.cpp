#include "ember/optim/schedulers/momentum_option.h"

#include <vector>

#include "ember/base/error.h"

namespace ember::optim::detail {

void check_momentum_option(const Optimizer& optimizer) {
  const auto values = optimizer.defaults().values();
  EMBER_CHECK_VALUE(values.count("momentum") != 0 || values.count("betas") != 0,
                    "[cycle_momentum] optimizer must support momentum or beta1 with "
                    "`cycle_momentum` option enabled; its options have neither");
}

void set_momentum(OptimizerParamGroup& group, double momentum) {
  auto values = group.options().values();
  if (const auto betas = values.find("betas"); betas != values.end()) {
    auto pair = std::get<std::vector<double>>(betas->second);
    pair.at(0) = momentum;
    group.options().set_values({{"betas", pair}});
  } else {
    group.options().set_values({{"momentum", momentum}});
  }
}

}  // namespace ember::optim::detail
