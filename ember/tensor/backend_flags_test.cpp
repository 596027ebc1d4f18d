// The math libraries' switches need no GPU: their defaults, the precision names and how the TF32
// switch and the precision are one setting, as in PyTorch.
#include "ember/tensor/backend_flags.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ember/base/warning.h"

namespace ember {
namespace {

std::vector<std::string>& warnings() {
  static std::vector<std::string> seen;
  return seen;
}

// Restores PyTorch's defaults (and the warning handler) after each test.
class BackendFlags : public ::testing::Test {
 protected:
  void SetUp() override { previous_handler_ = set_warning_handler(nullptr); }
  void TearDown() override {
    set_float32_matmul_precision("highest");
    set_allow_tf32_cudnn(true);
    set_warning_handler(previous_handler_);
    warnings().clear();
  }

 private:
  WarningHandler previous_handler_ = nullptr;
};

TEST_F(BackendFlags, DefaultsAreTorchs) {
  EXPECT_EQ(get_float32_matmul_precision(), "highest");
  EXPECT_EQ(float32_matmul_precision(), Float32MatmulPrecision::kHighest);
  EXPECT_FALSE(allow_tf32_cublas());
  EXPECT_TRUE(allow_tf32_cudnn());
}

TEST_F(BackendFlags, PrecisionAndCublasTf32AreOneSetting) {
  set_float32_matmul_precision("high");
  EXPECT_EQ(get_float32_matmul_precision(), "high");
  EXPECT_TRUE(allow_tf32_cublas());
  set_float32_matmul_precision("medium");
  EXPECT_EQ(float32_matmul_precision(), Float32MatmulPrecision::kMedium);
  EXPECT_TRUE(allow_tf32_cublas());
  set_allow_tf32_cublas(false);
  EXPECT_EQ(get_float32_matmul_precision(), "highest");
  set_allow_tf32_cublas(true);
  EXPECT_EQ(get_float32_matmul_precision(), "high");
  // The cuDNN switch is separate.
  EXPECT_TRUE(allow_tf32_cudnn());
  set_allow_tf32_cudnn(false);
  EXPECT_FALSE(allow_tf32_cudnn());
  EXPECT_TRUE(allow_tf32_cublas());
}

TEST_F(BackendFlags, PrecisionNamesIgnoreCase) {
  set_float32_matmul_precision("HIGH");
  EXPECT_EQ(get_float32_matmul_precision(), "high");
  set_float32_matmul_precision("Highest");
  EXPECT_EQ(get_float32_matmul_precision(), "highest");
}

TEST_F(BackendFlags, AnUnknownPrecisionWarnsAndChangesNothing) {
  set_warning_handler([](const std::string& message) { warnings().push_back(message); });
  set_float32_matmul_precision("medium");
  set_float32_matmul_precision("low");
  EXPECT_EQ(get_float32_matmul_precision(), "medium");
  ASSERT_EQ(warnings().size(), 1u);
  EXPECT_NE(warnings()[0].find("'highest', 'high', or 'medium'"), std::string::npos);
  EXPECT_NE(warnings()[0].find("low"), std::string::npos);
}

}  // namespace
}  // namespace ember
