// ember::LinAlgError, torch.linalg.LinAlgError: valid input on which a linear-algebra op fails
// numerically (a singular or indefinite matrix, an algorithm that does not converge). A
// RuntimeError, as in PyTorch, so that handlers of RuntimeError still catch it. Apart from
// error.h so that only the linear-algebra files depend on it.
#pragma once

#include "ember/base/error.h"

namespace ember {

class LinAlgError : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};

}  // namespace ember
