// The dropout layers of dropout.h.
#include "ember/nn/modules/dropout.h"

#include "ember/nn/functional/activation.h"

namespace ember::nn {

#define EMBER_DROPOUT_DEFINITIONS(Name, function, FuncOptions)                      \
  Tensor Name##Impl::forward(Tensor input) {                                        \
    return functional::function(std::move(input), functional::FuncOptions()         \
                                                      .p(options.p())               \
                                                      .training(is_training())      \
                                                      .inplace(options.inplace())); \
  }                                                                                 \
  void Name##Impl::pretty_print(std::ostream& stream) const {                       \
    stream << std::boolalpha << "ember::nn::" #Name "(p=" << options.p()            \
           << ", inplace=" << options.inplace() << ")";                             \
  }
EMBER_DROPOUT_DEFINITIONS(Dropout, dropout, DropoutFuncOptions)
EMBER_DROPOUT_DEFINITIONS(Dropout1d, dropout1d, Dropout1dFuncOptions)
EMBER_DROPOUT_DEFINITIONS(Dropout2d, dropout2d, Dropout2dFuncOptions)
EMBER_DROPOUT_DEFINITIONS(Dropout3d, dropout3d, Dropout3dFuncOptions)
EMBER_DROPOUT_DEFINITIONS(AlphaDropout, alpha_dropout, AlphaDropoutFuncOptions)
EMBER_DROPOUT_DEFINITIONS(FeatureAlphaDropout, feature_alpha_dropout,
                          FeatureAlphaDropoutFuncOptions)
#undef EMBER_DROPOUT_DEFINITIONS

}  // namespace ember::nn
