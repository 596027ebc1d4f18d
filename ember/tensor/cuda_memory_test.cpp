// The memory API without the CUDA backend (this program does not link it): every call is the
// no-CUDA RuntimeError, never a crash.
#include "ember/tensor/cuda_memory.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"
#include "ember/tensor/cuda_hooks.h"

namespace ember::cuda {
namespace {

TEST(CudaMemoryWithoutBackend, RaisesRuntimeError) {
  if (hooks() != nullptr) GTEST_SKIP() << "the CUDA backend is linked";
  EXPECT_THROW(memory_allocated(), RuntimeError);
  EXPECT_THROW(memory_stats(0), RuntimeError);
  EXPECT_THROW(memory_summary(), RuntimeError);
  EXPECT_THROW(empty_cache(), RuntimeError);
  EXPECT_THROW(set_per_process_memory_fraction(0.5), RuntimeError);
}

}  // namespace
}  // namespace ember::cuda
