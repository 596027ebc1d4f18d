#include "ember/distributed/process_group.h"

#include <cstdlib>
#include <numeric>
#include <sstream>
#include <utility>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/distributed/errors.h"
#include "ember/ops/ops.h"
#include "ember/ops/shape.h"

namespace ember::distributed {

namespace {

// "float32[2, 3]": how errors and the debug mode's fingerprints show a tensor.
std::string describe(const Tensor& tensor) {
  return std::string(dtype_name(tensor.dtype())) + shape_str(tensor.shape());
}

std::string describe(const std::vector<Tensor>& tensors) {
  std::string text = "[";
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (i > 0) text += ", ";
    text += describe(tensors[i]);
  }
  return text + "]";
}

const char* device_type_name(DeviceType type) { return type == DeviceType::CUDA ? "cuda" : "cpu"; }

// The tensors' flat views, one per rank, over a contiguous buffer of size * chunk elements.
std::vector<Tensor> rank_chunks(const Tensor& flat, int size, int64_t chunk, const Shape& shape) {
  std::vector<Tensor> chunks;
  chunks.reserve(static_cast<size_t>(size));
  for (int r = 0; r < size; ++r) chunks.push_back(flat.narrow(0, r * chunk, chunk).view(shape));
  return chunks;
}

Tensor flat_view(const Tensor& tensor) { return tensor.view({tensor.numel()}); }

}  // namespace

bool debug_mode_enabled() {
  for (const char* name : {"EMBER_DISTRIBUTED_DEBUG", "TORCH_DISTRIBUTED_DEBUG"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && std::string(value) == "DETAIL") return true;
  }
  return false;
}

ProcessGroup::ProcessGroup(std::shared_ptr<Store> store, int rank, int size,
                           ProcessGroupOptions options)
    : store_(std::move(store)), rank_(rank), size_(size), options_(std::move(options)) {
  EMBER_CHECK_VALUE(store_ != nullptr, "[ProcessGroup] needs a store");
  EMBER_CHECK_VALUE(size_ >= 1, "[ProcessGroup] size must be positive, got ", size_);
  EMBER_CHECK_VALUE(rank_ >= 0 && rank_ < size_, "[ProcessGroup] rank ", rank_, " is not in [0, ",
                    size_, ")");
  EMBER_CHECK_VALUE(options_.timeout.count() > 0, "[ProcessGroup] timeout must be positive, got ",
                    options_.timeout.count(), " ms");
}

ProcessGroup::~ProcessGroup() = default;

// Note [Process group checks]: every public call validates here, identically for every engine,
// so that a wrong argument is a typed error on the calling rank instead of a hang or a garbled
// transfer on all of them.
void ProcessGroup::check_tensor(const char* op, const Tensor& tensor, const char* what) const {
  EMBER_CHECK_VALUE(tensor.defined(), "[", op, "] ", what, " is an undefined tensor");
  EMBER_CHECK_VALUE(tensor.is_contiguous(), "[", op, "] Tensors must be contiguous (", what, " ",
                    describe(tensor), ")");
  EMBER_CHECK_VALUE(tensor.device().type() == device_type(), "[", op, "] ", what, " is on ",
                    tensor.device().str(), " but the ", backend_name(), " backend needs ",
                    device_type_name(device_type()), " tensors");
}

void ProcessGroup::check_like(const char* op, const Tensor& tensor, const Tensor& reference,
                              const char* what) const {
  check_tensor(op, tensor, what);
  EMBER_CHECK_TYPE(tensor.dtype() == reference.dtype(), "[", op, "] ", what, " is ",
                   describe(tensor), " but must have the dtype of ", describe(reference));
  EMBER_CHECK_VALUE(tensor.shape() == reference.shape(), "[", op, "] ", what, " is ",
                    describe(tensor), " but must have the shape of ", describe(reference));
}

void ProcessGroup::check_list(const char* op, const std::vector<Tensor>& tensors,
                              const char* what) const {
  EMBER_CHECK_VALUE(static_cast<int>(tensors.size()) == size_, "[", op, "] ", what, " has ",
                    tensors.size(), " tensors but the group has ", size_, " ranks");
}

void ProcessGroup::check_rank(const char* op, int rank, const char* what) const {
  EMBER_CHECK_VALUE(rank >= 0 && rank < size_, "[", op, "] ", what, " ", rank,
                    " is not a rank of group '", options_.group_name, "' of size ", size_);
}

void ProcessGroup::check_reduce_op(const char* op, const Tensor& tensor, ReduceOp reduce) const {
  // PyTorch's Gloo refuses AVG on integers too: a truncating mean is rarely what was meant.
  EMBER_CHECK_TYPE(reduce != ReduceOp::Avg || is_floating_point(tensor.dtype()), "[", op,
                   "] ReduceOp.AVG needs a floating-point tensor, got ", describe(tensor));
}

void ProcessGroup::check_peer(const char* op, int peer, const char* what) const {
  check_rank(op, peer, what);
  EMBER_CHECK_VALUE(peer != rank_, "[", op, "] rank ", rank_, " cannot ", op, " to or from itself");
}

// The debug mode's agreement check: every rank publishes its fingerprint under the collective's
// sequence number and compares all of them with rank 0's, so every rank reports the same pair.
void ProcessGroup::check_agreement(const char* op, const std::string& description) {
  const uint64_t sequence = sequence_++;
  if (!debug_mode_enabled()) return;
  const std::string prefix = "debug/" + std::to_string(sequence) + "/";
  const std::string fingerprint = std::string(op) + " " + description;
  store_->set(prefix + std::to_string(rank_), fingerprint);
  std::vector<std::string> keys;
  for (int r = 0; r < size_; ++r) keys.push_back(prefix + std::to_string(r));
  try {
    store_->wait(keys);
  } catch (const DistStoreError& error) {
    detail::raise<DistBackendError>("[", op, "] debug mode: not every rank of group '",
                                    options_.group_name, "' reached collective #", sequence, " (",
                                    description, " on rank ", rank_, "): ", error.what());
  }
  // Every rank has now finished comparing the previous collective: its key may go.
  if (sequence > 0) {
    store_->delete_key("debug/" + std::to_string(sequence - 1) + "/" + std::to_string(rank_));
  }
  const std::string first = store_->get_string(keys[0]);
  for (int r = 1; r < size_; ++r) {
    const std::string other = store_->get_string(keys[static_cast<size_t>(r)]);
    if (other == first) continue;
    const auto op_of = [](const std::string& text) { return text.substr(0, text.find(' ')); };
    const auto rest_of = [](const std::string& text) { return text.substr(text.find(' ') + 1); };
    if (op_of(first) != op_of(other)) {
      detail::raise<DistBackendError>("[", op, "] ranks disagree on collective #", sequence,
                                      ": rank 0 runs ", op_of(first), " with ", rest_of(first),
                                      " but rank ", r, " runs ", op_of(other), " with ",
                                      rest_of(other));
    }
    detail::raise<DistBackendError>("[", op, "] ranks disagree: rank 0 has ", rest_of(first),
                                    " but rank ", r, " has ", rest_of(other));
  }
}

// AVG on engines without it: a sum, then an in-place division (an ember op) before waiters wake.
void ProcessGroup::divide_after(const WorkPtr& work, const Tensor& tensor) {
  const int64_t count = size_;
  work->then([tensor = Tensor(tensor), count]() mutable {
    NoGradGuard no_grad;
    tensor.div_(count);
  });
}

WorkPtr ProcessGroup::all_reduce(Tensor tensor, ReduceOp op) {
  check_tensor("all_reduce", tensor, "tensor");
  check_reduce_op("all_reduce", tensor, op);
  check_agreement("all_reduce", to_string(op) + " " + describe(tensor));
  const bool divide = op == ReduceOp::Avg && !supports_avg();
  WorkPtr work = run_all_reduce(tensor, divide ? ReduceOp::Sum : op);
  if (divide) divide_after(work, tensor);
  return work;
}

WorkPtr ProcessGroup::broadcast(Tensor tensor, int root) {
  check_tensor("broadcast", tensor, "tensor");
  check_rank("broadcast", root, "root");
  check_agreement("broadcast", "root " + std::to_string(root) + " " + describe(tensor));
  return run_broadcast(tensor, root);
}

WorkPtr ProcessGroup::reduce(Tensor tensor, int root, ReduceOp op) {
  check_tensor("reduce", tensor, "tensor");
  check_rank("reduce", root, "root");
  check_reduce_op("reduce", tensor, op);
  check_agreement("reduce",
                  to_string(op) + " root " + std::to_string(root) + " " + describe(tensor));
  const bool divide = op == ReduceOp::Avg && !supports_avg();
  WorkPtr work = run_reduce(tensor, root, divide ? ReduceOp::Sum : op);
  if (divide && root == rank_) divide_after(work, tensor);
  return work;
}

WorkPtr ProcessGroup::all_gather(std::vector<Tensor> outputs, Tensor input) {
  check_tensor("all_gather", input, "input");
  check_list("all_gather", outputs, "output_tensor_list");
  for (const Tensor& output : outputs) check_like("all_gather", output, input, "an output");
  check_agreement("all_gather", describe(input));
  return run_all_gather(outputs, input);
}

WorkPtr ProcessGroup::all_gather_into_tensor(Tensor output, Tensor input) {
  check_tensor("all_gather_into_tensor", input, "input");
  check_tensor("all_gather_into_tensor", output, "output");
  EMBER_CHECK_TYPE(output.dtype() == input.dtype(), "[all_gather_into_tensor] output ",
                   describe(output), " and input ", describe(input), " differ in dtype");
  EMBER_CHECK_VALUE(output.numel() == size_ * input.numel(), "[all_gather_into_tensor] output ",
                    describe(output), " must hold ", size_, " x the input's ", input.numel(),
                    " elements (input ", describe(input), ")");
  check_agreement("all_gather_into_tensor", describe(input));
  return run_all_gather_into_tensor(output, input);
}

WorkPtr ProcessGroup::reduce_scatter(Tensor output, std::vector<Tensor> inputs, ReduceOp op) {
  check_tensor("reduce_scatter", output, "output");
  check_list("reduce_scatter", inputs, "input_list");
  for (const Tensor& input : inputs) check_like("reduce_scatter", input, output, "an input");
  check_reduce_op("reduce_scatter", output, op);
  check_agreement("reduce_scatter", to_string(op) + " " + describe(output));
  const bool divide = op == ReduceOp::Avg && !supports_avg();
  WorkPtr work = run_reduce_scatter(output, inputs, divide ? ReduceOp::Sum : op);
  if (divide) divide_after(work, output);
  return work;
}

WorkPtr ProcessGroup::reduce_scatter_tensor(Tensor output, Tensor input, ReduceOp op) {
  check_tensor("reduce_scatter_tensor", output, "output");
  check_tensor("reduce_scatter_tensor", input, "input");
  EMBER_CHECK_TYPE(output.dtype() == input.dtype(), "[reduce_scatter_tensor] output ",
                   describe(output), " and input ", describe(input), " differ in dtype");
  EMBER_CHECK_VALUE(input.numel() == size_ * output.numel(), "[reduce_scatter_tensor] input ",
                    describe(input), " must hold ", size_, " x the output's ", output.numel(),
                    " elements (output ", describe(output), ")");
  check_reduce_op("reduce_scatter_tensor", output, op);
  check_agreement("reduce_scatter_tensor", to_string(op) + " " + describe(input));
  const bool divide = op == ReduceOp::Avg && !supports_avg();
  WorkPtr work = run_reduce_scatter_tensor(output, input, divide ? ReduceOp::Sum : op);
  if (divide) divide_after(work, output);
  return work;
}

WorkPtr ProcessGroup::gather(std::vector<Tensor> outputs, Tensor input, int root) {
  check_tensor("gather", input, "input");
  check_rank("gather", root, "root");
  if (rank_ == root) {
    check_list("gather", outputs, "gather_list");
    for (const Tensor& output : outputs) check_like("gather", output, input, "an output");
  } else {
    EMBER_CHECK_VALUE(outputs.empty(), "[gather] gather_list must be empty on rank ", rank_,
                      " (only the destination rank ", root, " receives)");
  }
  check_agreement("gather", "root " + std::to_string(root) + " " + describe(input));
  return run_gather(outputs, input, root);
}

WorkPtr ProcessGroup::scatter(Tensor output, std::vector<Tensor> inputs, int root) {
  check_tensor("scatter", output, "output");
  check_rank("scatter", root, "root");
  if (rank_ == root) {
    check_list("scatter", inputs, "scatter_list");
    for (const Tensor& input : inputs) check_like("scatter", input, output, "an input");
  } else {
    EMBER_CHECK_VALUE(inputs.empty(), "[scatter] scatter_list must be empty on rank ", rank_,
                      " (only the source rank ", root, " sends)");
  }
  check_agreement("scatter", "root " + std::to_string(root) + " " + describe(output));
  return run_scatter(output, inputs, root);
}

WorkPtr ProcessGroup::all_to_all(std::vector<Tensor> outputs, std::vector<Tensor> inputs) {
  check_list("all_to_all", outputs, "output_tensor_list");
  check_list("all_to_all", inputs, "input_tensor_list");
  for (const Tensor& output : outputs) check_tensor("all_to_all", output, "an output");
  for (const Tensor& input : inputs) check_tensor("all_to_all", input, "an input");
  for (const Tensor& tensor : outputs) {
    EMBER_CHECK_TYPE(tensor.dtype() == inputs[0].dtype(), "[all_to_all] every tensor must have ",
                     "one dtype: inputs ", describe(inputs), ", outputs ", describe(outputs));
  }
  for (const Tensor& tensor : inputs) {
    EMBER_CHECK_TYPE(tensor.dtype() == inputs[0].dtype(), "[all_to_all] every tensor must have ",
                     "one dtype: inputs ", describe(inputs), ", outputs ", describe(outputs));
  }
  // Sizes may differ between ranks here, so only the dtype must agree.
  check_agreement("all_to_all", std::string(dtype_name(inputs[0].dtype())));
  return run_all_to_all(outputs, inputs);
}

namespace {

// Explicit splits along dim 0: the given ones checked, or equal parts.
std::vector<int64_t> resolve_splits(const char* what, const Tensor& tensor,
                                    std::vector<int64_t> splits, int size) {
  EMBER_CHECK_VALUE(tensor.dim() >= 1, "[all_to_all_single] ", what, " ", describe(tensor),
                    " needs a dim 0 to split");
  const int64_t rows = tensor.size(0);
  if (splits.empty()) {
    EMBER_CHECK_VALUE(rows % size == 0, "[all_to_all_single] ", what, " ", describe(tensor),
                      ": dim 0 of size ", rows, " does not split equally over ", size, " ranks");
    return std::vector<int64_t>(static_cast<size_t>(size), rows / size);
  }
  EMBER_CHECK_VALUE(static_cast<int>(splits.size()) == size, "[all_to_all_single] ", what, " has ",
                    splits.size(), " split sizes but the group has ", size, " ranks");
  for (int64_t split : splits) {
    EMBER_CHECK_VALUE(split >= 0, "[all_to_all_single] ", what, " split sizes must be >= 0, got ",
                      split);
  }
  const int64_t total = std::accumulate(splits.begin(), splits.end(), int64_t{0});
  EMBER_CHECK_VALUE(total == rows, "[all_to_all_single] ", what, " split sizes sum to ", total,
                    " but dim 0 of ", describe(tensor), " is ", rows);
  return splits;
}

}  // namespace

WorkPtr ProcessGroup::all_to_all_single(Tensor output, Tensor input,
                                        std::vector<int64_t> output_splits,
                                        std::vector<int64_t> input_splits) {
  check_tensor("all_to_all_single", output, "output");
  check_tensor("all_to_all_single", input, "input");
  EMBER_CHECK_TYPE(output.dtype() == input.dtype(), "[all_to_all_single] output ", describe(output),
                   " and input ", describe(input), " differ in dtype");
  output_splits = resolve_splits("output", output, std::move(output_splits), size_);
  input_splits = resolve_splits("input", input, std::move(input_splits), size_);
  const auto row_shape = [](const Tensor& tensor) {
    return Shape(tensor.shape().begin() + 1, tensor.shape().end());
  };
  EMBER_CHECK_VALUE(row_shape(output) == row_shape(input), "[all_to_all_single] output ",
                    describe(output), " and input ", describe(input),
                    " must agree in every dim but 0");
  check_agreement("all_to_all_single",
                  std::string(dtype_name(input.dtype())) + shape_str(row_shape(input)));
  return run_all_to_all_single(output, input, output_splits, input_splits);
}

WorkPtr ProcessGroup::send(Tensor tensor, int dst, int tag) {
  check_tensor("send", tensor, "tensor");
  check_peer("send", dst, "dst");
  EMBER_CHECK_VALUE(tag >= 0, "[send] tag must be >= 0, got ", tag);
  return run_send(tensor, dst, tag);
}

WorkPtr ProcessGroup::recv(Tensor tensor, int src, int tag) {
  check_tensor("recv", tensor, "tensor");
  if (src != -1) check_peer("recv", src, "src");
  EMBER_CHECK_VALUE(tag >= 0, "[recv] tag must be >= 0, got ", tag);
  return run_recv(tensor, src, tag);
}

WorkPtr ProcessGroup::barrier() {
  check_agreement("barrier", "");
  return run_barrier();
}

// The default composites: correct for any engine, with one engine collective each.

WorkPtr ProcessGroup::run_all_gather_into_tensor(Tensor& output, Tensor& input) {
  std::vector<Tensor> outputs = rank_chunks(flat_view(output), size_, input.numel(), input.shape());
  return run_all_gather(outputs, input);
}

WorkPtr ProcessGroup::run_reduce_scatter(Tensor& output, std::vector<Tensor>& inputs, ReduceOp op) {
  std::vector<Tensor> flats;
  flats.reserve(inputs.size());
  for (const Tensor& input : inputs) flats.push_back(flat_view(input));
  Tensor all = cat(flats, 0);
  return run_reduce_scatter_tensor(output, all, op);
}

WorkPtr ProcessGroup::run_reduce_scatter_tensor(Tensor& output, Tensor& input, ReduceOp op) {
  // The input stays as it was (PyTorch's contract): the reduction runs on a copy.
  Tensor all = input.clone();
  WorkPtr work = run_all_reduce(all, op);
  const int64_t chunk = output.numel();
  work->then([output, all, chunk, rank = rank_]() mutable {
    NoGradGuard no_grad;
    flat_view(output).copy_(flat_view(all).narrow(0, rank * chunk, chunk));
  });
  return work;
}

WorkPtr ProcessGroup::run_all_to_all(std::vector<Tensor>& outputs, std::vector<Tensor>& inputs) {
  std::vector<Tensor> flats;
  std::vector<int64_t> input_splits, output_splits;
  for (const Tensor& input : inputs) {
    flats.push_back(flat_view(input));
    input_splits.push_back(input.numel());
  }
  int64_t received = 0;
  for (const Tensor& output : outputs) {
    output_splits.push_back(output.numel());
    received += output.numel();
  }
  Tensor input = cat(flats, 0);
  Tensor output = empty({received}, outputs[0].options());
  WorkPtr work = run_all_to_all_single(output, input, output_splits, input_splits);
  work->then([outputs, output, output_splits]() mutable {
    NoGradGuard no_grad;
    int64_t offset = 0;
    for (size_t r = 0; r < outputs.size(); ++r) {
      flat_view(outputs[r]).copy_(output.narrow(0, offset, output_splits[r]));
      offset += output_splits[r];
    }
  });
  return work;
}

}  // namespace ember::distributed
