// The distributed package's typed errors, PyTorch's torch.distributed.Dist*Error hierarchy: every
// one is a RuntimeError, so `except RuntimeError` still catches a failed collective.
#pragma once

#include "ember/base/error.h"

namespace ember::distributed {

// Base of the package's errors (torch.distributed.DistError).
class DistError : public RuntimeError {
 public:
  using RuntimeError::RuntimeError;
};
// A collective or point-to-point operation failed in its engine: a peer closed its connection
// (died), the group's timeout passed, or the ranks disagreed (debug mode).
class DistBackendError : public DistError {
 public:
  using DistError::DistError;
};
// The key-value store failed: a key did not appear within the timeout, the server went away.
class DistStoreError : public DistError {
 public:
  using DistError::DistError;
};
// Rendezvous could not reach or bind an address (a port in use, a host that does not answer).
class DistNetworkError : public DistError {
 public:
  using DistError::DistError;
};

}  // namespace ember::distributed
