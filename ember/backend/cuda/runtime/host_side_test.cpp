// CUDA tensors in the host-side code (docs/architecture.md "Note [CUDA tensors on the host
// side]"): safetensors and checkpoints save them from host copies, checkpoints restore the saved
// device, DLPack carries kDLCUDA, copy_ crosses devices with its gradient, printing copies to the
// host and gradcheck perturbs device inputs. All need a device; without one they skip (the CPU
// halves are tested in serialize_tests, checkpoint_tests and autograd_tests).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>

#include "ember/autograd/gradcheck.h"
#include "ember/checkpoint/checkpoint.h"
#include "ember/checkpoint/serialize.h"
#include "ember/nn/modules/linear.h"
#include "ember/ops/ops.h"
#include "ember/optim/adam.h"
#include "ember/serialize/dlpack.h"
#include "ember/serialize/safetensors.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember {
namespace {

constexpr const char* kNoDevice = "needs a CUDA device";

// A strided (transposed, sliced) float tensor on the device and its CPU twin.
std::pair<Tensor, Tensor> strided_pair() {
  const Tensor host = arange(24, TensorOptions(kFloat32)).reshape({4, 6}).t().narrow(0, 1, 4);
  return {host, host.cuda()};
}

TEST(CudaHostSide, SafetensorsSavesTheBytesOfAHostCopy) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const auto [host, device] = strided_pair();
  const Tensor ints = arange(5, TensorOptions(kInt64)).cuda();
  const std::string from_device = safetensors::save({{"x", device}, {"i", ints}});
  EXPECT_EQ(from_device, safetensors::save({{"x", host}, {"i", ints.cpu()}}));
  const safetensors::TensorMap back = safetensors::load(from_device);
  EXPECT_TRUE(back.at("x").device().is_cpu());
  EXPECT_TRUE(equal(back.at("x"), host));
}

TEST(CudaHostSide, CheckpointsRecordTheDeviceAndRestoreIt) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const auto [host, device] = strided_pair();
  const Tensor base = arange(6, TensorOptions(kFloat64)).cuda();
  const serialize::Value tree = serialize::Value::dict(
      {{"x", device}, {"base", base}, {"view", base.narrow(0, 2, 3)}, {"cpu", host}});
  const std::string bytes = serialize::save_to_bytes(tree);
  EXPECT_NE(bytes.find("\\\"device\\\":\\\"cuda:0\\\""), std::string::npos);

  const serialize::Value back = serialize::load_from_bytes(bytes);
  EXPECT_EQ(back.find("x")->to_tensor().device(), Device("cuda:0"));
  EXPECT_TRUE(equal(back.find("x")->to_tensor().cpu(), host));
  EXPECT_TRUE(back.find("cpu")->to_tensor().device().is_cpu());
  const Tensor& loaded_base = back.find("base")->to_tensor();
  const Tensor& loaded_view = back.find("view")->to_tensor();
  EXPECT_EQ(loaded_base.storage().get(), loaded_view.storage().get());  // one device copy
  EXPECT_TRUE(equal(loaded_view.cpu(), base.cpu().narrow(0, 2, 3)));

  const serialize::Value mapped = serialize::load_from_bytes(
      bytes, [](const Tensor&, const Device&) { return std::optional<Device>(Device(kCPU)); });
  EXPECT_TRUE(mapped.find("x")->to_tensor().device().is_cpu());
  EXPECT_TRUE(equal(mapped.find("x")->to_tensor(), host));
  // The CPU tensors of a CPU checkpoint can go to the device.
  const serialize::Value uploaded = serialize::load_from_bytes(
      serialize::save_to_bytes(serialize::Value(host)),
      [](const Tensor&, const Device&) { return std::optional<Device>(Device("cuda:0")); });
  EXPECT_TRUE(uploaded.to_tensor().device().is_cuda());
  EXPECT_TRUE(equal(uploaded.to_tensor().cpu(), host));
}

TEST(CudaHostSide, ModulesSavedOnTheDeviceLoadIntoCpuModules) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  manual_seed(0);
  nn::Linear net(3, 2);
  net->to(Device("cuda:0"));
  const std::string path =
      ::testing::TempDir() + "ember_cuda_host_" + std::to_string(::getpid()) + "_module.ckpt";
  ember::save(net, path);
  nn::Linear other(3, 2);
  ember::load(other, path);  // restored on the device, then copied across into CPU parameters
  EXPECT_TRUE(other->weight.device().is_cpu());
  EXPECT_TRUE(equal(other->weight, net->weight.cpu()));
  std::remove(path.c_str());
}

TEST(CudaHostSide, OptimizerStateFollowsItsParametersDevice) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  manual_seed(0);
  nn::Linear net(3, 2);
  optim::Adam adam(net->parameters(), optim::AdamOptions(0.1));
  net->forward(ones({4, 3})).sum().backward();
  adam.step();
  nn::Linear on_device(3, 2);
  on_device->to(Device("cuda:0"));
  optim::Adam moved(on_device->parameters(), optim::AdamOptions(0.1));
  moved.load_state_dict(adam.state_dict());
  const Tensor& exp_avg = moved.state_dict().state.at(0).at("exp_avg");
  EXPECT_TRUE(exp_avg.device().is_cuda());
  EXPECT_TRUE(equal(exp_avg.cpu(), adam.state_dict().state.at(0).at("exp_avg")));
  EXPECT_TRUE(moved.state_dict().state.at(0).at("step").device().is_cpu());
  on_device->forward(ones({4, 3}).cuda()).sum().backward();
  moved.step();  // the state is where the fused step needs it
}

TEST(CudaHostSide, DLPackCarriesCudaMemory) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const Tensor source = arange(6, TensorOptions(kFloat32)).cuda();
  DLManagedTensor* managed = toDLPack(source);
  EXPECT_EQ(managed->dl_tensor.device.device_type, kDLCUDA);
  EXPECT_EQ(managed->dl_tensor.device.device_id, 0);
  const Tensor back = fromDLPack(managed);
  EXPECT_EQ(back.device(), Device("cuda:0"));
  EXPECT_EQ(back.data_ptr(), source.data_ptr());
  EXPECT_TRUE(equal(back.cpu(), source.cpu()));
}

TEST(CudaHostSide, CopyAcceptsASourceOnAnotherDevice) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  // Host to device with a broadcast and a cast, and back.
  Tensor on_device = zeros({2, 3}, TensorOptions(kFloat64).device(Device("cuda:0")));
  const Tensor row = arange(3, TensorOptions(kFloat32));
  on_device.copy_(row);
  EXPECT_TRUE(on_device.device().is_cuda());
  EXPECT_TRUE(equal(on_device.cpu(), row.to(kFloat64).expand({2, 3})));
  Tensor on_host = zeros({3, 2}, TensorOptions(kFloat32));
  on_host.copy_(on_device.t());
  EXPECT_TRUE(equal(on_host, row.expand({2, 3}).t()));
  // The gradient goes back to the source's device.
  const Tensor source = ones({3}, TensorOptions(kFloat32)).requires_grad_();
  Tensor destination = zeros({2, 3}, TensorOptions(kFloat32).device(Device("cuda:0")));
  destination.copy_(source);
  (destination * 2).sum().backward();
  ASSERT_TRUE(source.grad().defined());
  EXPECT_TRUE(source.grad().device().is_cpu());
  EXPECT_TRUE(equal(source.grad(), full({3}, 4.0, TensorOptions(kFloat32))));
}

TEST(CudaHostSide, PrintingCopiesToTheHost) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const Tensor values = arange(3, TensorOptions(kFloat32)).cuda();
  EXPECT_EQ(to_string(values), "tensor([0., 1., 2.], device='cuda:0')");
}

TEST(CudaHostSide, GradcheckPerturbsDeviceInputs) {
  if (!cuda::is_available()) GTEST_SKIP() << kNoDevice;
  const Tensor input =
      arange(6, TensorOptions(kFloat64)).reshape({2, 3}).t().cuda().requires_grad_();
  const Tensor before = input.detach().cpu().clone();
  const auto function = [](const std::vector<Tensor>& x) { return ember::sin(x[0] * x[0]); };
  EXPECT_EQ(autograd::gradcheck(function, {input}), "");
  autograd::GradcheckOptions fast;
  fast.fast_mode = true;
  EXPECT_EQ(autograd::gradcheck(function, {input}, fast), "");
  EXPECT_EQ(autograd::gradgradcheck(function, {input}), "");
  EXPECT_TRUE(equal(input.detach().cpu(), before));  // the values are put back
  // A wrong derivative is still caught on the device.
  const auto wrong = [](const std::vector<Tensor>& x) { return x[0].detach() * 3 + x[0]; };
  EXPECT_NE(autograd::gradcheck(wrong, {input}).find("Jacobian mismatch"), std::string::npos);
}

}  // namespace
}  // namespace ember
