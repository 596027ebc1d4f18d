// The NCCL engine (Note [Distributed: MPI and NCCL] in docs/architecture.md). Rank 0's
// ncclUniqueId travels through the store; the communicator is nonblocking, so that setting it up
// and every call on it can be abandoned at the group's timeout. Each operation runs on the
// group's own stream after the caller's current stream's work (an event between them) and ends
// with an event that the watchdog thread polls: it finishes the Work once the GPU is done, or
// aborts the communicator (ncclCommAbort) when the timeout passes or NCCL reports an error.
#include "ember/distributed/nccl/process_group_nccl.h"

#include <cuda_runtime_api.h>
#include <nccl.h>

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "ember/distributed/errors.h"
#include "ember/ops/ops.h"
#include "ember/tensor/cuda_runtime.h"

namespace ember::distributed {
namespace {

using Clock = std::chrono::steady_clock;

// NCCL's element type for reductions; data movement uses bytes (any dtype).
ncclDataType_t nccl_type(const char* op, ScalarType dtype) {
  switch (dtype) {
    case kBool:
    case kUInt8:
      return ncclUint8;
    case kInt8:
      return ncclInt8;
    case kInt32:
      return ncclInt32;
    case kInt64:
      return ncclInt64;
    case kFloat16:
      return ncclFloat16;
    case kBFloat16:
      return ncclBfloat16;
    case kFloat32:
      return ncclFloat32;
    case kFloat64:
      return ncclFloat64;
    case kInt16:
      break;
  }
  detail::raise<TypeError>("[", op, "] NCCL has no ", dtype, " reduction");
}

// Bool reduces as "any" (SUM, MAX) or "all" (PRODUCT, MIN), as PyTorch's NCCL backend.
ncclRedOp_t nccl_op(ReduceOp op, ScalarType dtype) {
  const bool is_bool = dtype == kBool;
  switch (op) {
    case ReduceOp::Sum:
      return is_bool ? ncclMax : ncclSum;
    case ReduceOp::Product:
      return is_bool ? ncclMin : ncclProd;
    case ReduceOp::Min:
      return ncclMin;
    case ReduceOp::Max:
      return ncclMax;
    case ReduceOp::Avg:
      return ncclAvg;
  }
  return ncclSum;
}

size_t element_count(const Tensor& tensor) { return static_cast<size_t>(tensor.numel()); }

// An operation whose GPU work was queued: done when `end` has completed.
struct Pending {
  WorkPtr work;
  cuda::Event end;
  Clock::time_point deadline;
  // Inputs and temporaries the GPU still reads or writes.
  std::vector<Tensor> keep_alive;
};

class ProcessGroupNCCL final : public ProcessGroup {
 public:
  ProcessGroupNCCL(std::shared_ptr<Store> store, int rank, int size,
                   const ProcessGroupOptions& options)
      : ProcessGroup(store, rank, size, options),
        where_("rank " + std::to_string(rank) + " of group '" + options.group_name + "' (nccl)") {
    EMBER_CHECK(cuda::is_available(), "[init_process_group] the nccl backend needs a CUDA device (",
                where_, ")");
    const char* local_rank = std::getenv("LOCAL_RANK");
    device_ = (local_rank != nullptr ? std::atoi(local_rank) : rank) % cuda::device_count();
    stream_ = cuda::getStreamFromPool(false, device_).stream();

    ncclUniqueId id{};
    const std::string key = "nccl_unique_id";
    if (rank == 0) {
      check("init_process_group", ncclGetUniqueId(&id));
      const auto* raw = reinterpret_cast<const uint8_t*>(&id);
      store->set(key, Bytes(raw, raw + sizeof(id)));
    } else {
      const Bytes value = store->get(key);
      EMBER_CHECK(value.size() == sizeof(id), "[init_process_group] the store's ", key, " has ",
                  value.size(), " bytes, not an ncclUniqueId's ", sizeof(id), " (", where_, ")");
      std::memcpy(&id, value.data(), sizeof(id));
    }
    cuda::DeviceGuard guard(device_);
    ncclConfig_t config = NCCL_CONFIG_INITIALIZER;
    config.blocking = 0;
    check("init_process_group", ncclCommInitRankConfig(&comm_, size, id, rank, &config));
    settle("init_process_group");
    watchdog_ = std::thread([this] { watch(); });
  }

  ~ProcessGroupNCCL() override {
    {
      std::unique_lock lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    watchdog_.join();
    if (comm_ != nullptr) {
      // An aborted communicator is already gone; otherwise every queued operation has ended.
      if (broken_.empty()) {
        ncclCommFinalize(comm_);
        settle_quietly();
        ncclCommDestroy(comm_);
      }
    }
  }

  std::string backend_name() const override { return "nccl"; }
  DeviceType device_type() const override { return kCUDA; }

 protected:
  bool supports_avg() const override { return true; }

  WorkPtr run_all_reduce(Tensor& tensor, ReduceOp op) override {
    const ncclDataType_t type = nccl_type("all_reduce", tensor.dtype());
    return enqueue("all_reduce", {tensor}, {}, [&](cudaStream_t stream) {
      return ncclAllReduce(tensor.data_ptr(), tensor.data_ptr(), element_count(tensor), type,
                           nccl_op(op, tensor.dtype()), comm_, stream);
    });
  }

  WorkPtr run_broadcast(Tensor& tensor, int root) override {
    return enqueue("broadcast", {tensor}, {}, [&](cudaStream_t stream) {
      return ncclBroadcast(tensor.data_ptr(), tensor.data_ptr(), tensor.nbytes(), ncclUint8, root,
                           comm_, stream);
    });
  }

  WorkPtr run_reduce(Tensor& tensor, int root, ReduceOp op) override {
    const ncclDataType_t type = nccl_type("reduce", tensor.dtype());
    return enqueue("reduce", {tensor}, {}, [&](cudaStream_t stream) {
      return ncclReduce(tensor.data_ptr(), tensor.data_ptr(), element_count(tensor), type,
                        nccl_op(op, tensor.dtype()), root, comm_, stream);
    });
  }

  WorkPtr run_all_gather(std::vector<Tensor>& outputs, Tensor& input) override {
    Tensor flat = empty({input.numel() * size()}, input.options());
    return enqueue("all_gather", outputs, {input, flat}, [&](cudaStream_t stream) {
      ncclResult_t result = ncclAllGather(input.data_ptr(), flat.data_ptr(), input.nbytes(),
                                          ncclUint8, comm_, stream);
      if (result == ncclSuccess) copy_out(flat, outputs, stream);
      return result;
    });
  }

  WorkPtr run_all_gather_into_tensor(Tensor& output, Tensor& input) override {
    return enqueue("all_gather_into_tensor", {output}, {input}, [&](cudaStream_t stream) {
      return ncclAllGather(input.data_ptr(), output.data_ptr(), input.nbytes(), ncclUint8, comm_,
                           stream);
    });
  }

  WorkPtr run_reduce_scatter_tensor(Tensor& output, Tensor& input, ReduceOp op) override {
    const ncclDataType_t type = nccl_type("reduce_scatter_tensor", output.dtype());
    return enqueue("reduce_scatter_tensor", {output}, {input}, [&](cudaStream_t stream) {
      return ncclReduceScatter(input.data_ptr(), output.data_ptr(), element_count(output), type,
                               nccl_op(op, output.dtype()), comm_, stream);
    });
  }

  WorkPtr run_gather(std::vector<Tensor>& outputs, Tensor& input, int root) override {
    return enqueue("gather", outputs, {input}, [&](cudaStream_t stream) {
      ncclGroupStart();
      if (rank() == root) {
        for (int r = 0; r < size(); ++r) {
          const Tensor& out = outputs[static_cast<size_t>(r)];
          ncclRecv(out.data_ptr(), out.nbytes(), ncclUint8, r, comm_, stream);
        }
      }
      ncclSend(input.data_ptr(), input.nbytes(), ncclUint8, root, comm_, stream);
      return ncclGroupEnd();
    });
  }

  WorkPtr run_scatter(Tensor& output, std::vector<Tensor>& inputs, int root) override {
    return enqueue("scatter", {output}, inputs, [&](cudaStream_t stream) {
      ncclGroupStart();
      if (rank() == root) {
        for (int r = 0; r < size(); ++r) {
          const Tensor& in = inputs[static_cast<size_t>(r)];
          ncclSend(in.data_ptr(), in.nbytes(), ncclUint8, r, comm_, stream);
        }
      }
      ncclRecv(output.data_ptr(), output.nbytes(), ncclUint8, root, comm_, stream);
      return ncclGroupEnd();
    });
  }

  WorkPtr run_all_to_all_single(Tensor& output, Tensor& input,
                                const std::vector<int64_t>& output_splits,
                                const std::vector<int64_t>& input_splits) override {
    const auto row_bytes = [](const Tensor& tensor) {
      return tensor.dim() == 0 || tensor.size(0) == 0 ? tensor.nbytes()
                                                      : tensor.nbytes() / tensor.size(0);
    };
    return enqueue("all_to_all_single", {output}, {input}, [&](cudaStream_t stream) {
      ncclGroupStart();
      size_t send_offset = 0;
      size_t receive_offset = 0;
      for (int r = 0; r < size(); ++r) {
        const size_t send = input_splits.empty()
                                ? input.nbytes() / size()
                                : input_splits[static_cast<size_t>(r)] * row_bytes(input);
        const size_t receive = output_splits.empty()
                                   ? output.nbytes() / size()
                                   : output_splits[static_cast<size_t>(r)] * row_bytes(output);
        ncclSend(static_cast<std::byte*>(input.data_ptr()) + send_offset, send, ncclUint8, r, comm_,
                 stream);
        ncclRecv(static_cast<std::byte*>(output.data_ptr()) + receive_offset, receive, ncclUint8, r,
                 comm_, stream);
        send_offset += send;
        receive_offset += receive;
      }
      return ncclGroupEnd();
    });
  }

  WorkPtr run_all_to_all(std::vector<Tensor>& outputs, std::vector<Tensor>& inputs) override {
    return enqueue("all_to_all", outputs, inputs, [&](cudaStream_t stream) {
      ncclGroupStart();
      for (int r = 0; r < size(); ++r) {
        const Tensor& in = inputs[static_cast<size_t>(r)];
        const Tensor& out = outputs[static_cast<size_t>(r)];
        ncclSend(in.data_ptr(), in.nbytes(), ncclUint8, r, comm_, stream);
        ncclRecv(out.data_ptr(), out.nbytes(), ncclUint8, r, comm_, stream);
      }
      return ncclGroupEnd();
    });
  }

  // NCCL has no tags: operations between two ranks match in the order they were issued.
  WorkPtr run_send(Tensor& tensor, int dst, int /*tag*/) override {
    return enqueue("send", {tensor}, {}, [&](cudaStream_t stream) {
      return ncclSend(tensor.data_ptr(), tensor.nbytes(), ncclUint8, dst, comm_, stream);
    });
  }

  WorkPtr run_recv(Tensor& tensor, int src, int /*tag*/) override {
    EMBER_CHECK_VALUE(src >= 0, "[recv] NCCL cannot receive from any source; name the rank (",
                      where_, ")");
    WorkPtr work = enqueue("recv", {tensor}, {}, [&](cudaStream_t stream) {
      return ncclRecv(tensor.data_ptr(), tensor.nbytes(), ncclUint8, src, comm_, stream);
    });
    work->set_source_rank(src);
    return work;
  }

  WorkPtr run_barrier() override {
    Tensor token =
        zeros({1}, TensorOptions(kFloat32).device(Device(kCUDA, static_cast<int8_t>(device_))));
    return enqueue("barrier", {}, {token}, [&](cudaStream_t stream) {
      return ncclAllReduce(token.data_ptr(), token.data_ptr(), 1, ncclFloat32, ncclSum, comm_,
                           stream);
    });
  }

 private:
  void check(const char* op, ncclResult_t result) const {
    if (result == ncclSuccess || result == ncclInProgress) return;
    detail::raise<DistBackendError>("[", op, "] ", where_, ": ", ncclGetErrorString(result), " (",
                                    ncclGetLastError(comm_), ")");
  }

  // A nonblocking communicator's call may still be in progress: wait for it up to the timeout,
  // then abort the communicator.
  void settle(const char* op) {
    const auto deadline = Clock::now() + options().timeout;
    for (;;) {
      ncclResult_t state = ncclInProgress;
      ncclCommGetAsyncError(comm_, &state);
      if (state == ncclSuccess) return;
      if (state != ncclInProgress) {
        const std::string reason = ncclGetErrorString(state);
        abort(reason);
        detail::raise<DistBackendError>("[", op, "] ", where_, ": ", reason);
      }
      if (Clock::now() >= deadline) {
        abort("timeout");
        detail::raise<DistBackendError>("[", op, "] ", where_, ": did not complete within ",
                                        options().timeout.count(), " ms (the group's timeout)");
      }
      std::this_thread::yield();
    }
  }

  void settle_quietly() {
    const auto deadline = Clock::now() + options().timeout;
    ncclResult_t state = ncclInProgress;
    while (state == ncclInProgress && Clock::now() < deadline) {
      ncclCommGetAsyncError(comm_, &state);
      std::this_thread::yield();
    }
  }

  void abort(const std::string& reason) {
    std::lock_guard lock(abort_mutex_);
    if (comm_ == nullptr) return;
    ncclCommAbort(comm_);
    comm_ = nullptr;
    std::lock_guard state(mutex_);
    if (broken_.empty()) broken_ = reason;
  }

  static void copy_out(const Tensor& flat, const std::vector<Tensor>& outputs,
                       cudaStream_t stream) {
    size_t offset = 0;
    for (const Tensor& out : outputs) {
      cudaMemcpyAsync(out.data_ptr(), static_cast<const std::byte*>(flat.data_ptr()) + offset,
                      out.nbytes(), cudaMemcpyDeviceToDevice, stream);
      offset += out.nbytes();
    }
  }

  // Queues `body` on the group's stream after the caller's current stream's work, then hands
  // the end event to the watchdog.
  template <typename Body>
  WorkPtr enqueue(const char* op, std::vector<Tensor> outputs, std::vector<Tensor> inputs,
                  Body&& body) {
    {
      std::lock_guard lock(mutex_);
      EMBER_CHECK_TYPED(broken_.empty(), DistBackendError, "[", op, "] ", where_,
                        ": the NCCL communicator was aborted (", broken_, ")");
    }
    cuda::DeviceGuard guard(device_);
    const cuda::Stream stream(device_, stream_);
    cuda::Event ready;
    ready.record(cuda::getCurrentCUDAStream(device_));
    ready.block(stream);
    auto work = std::make_shared<Work>(op, outputs);
    check(op, body(static_cast<cudaStream_t>(stream_)));
    settle(op);
    Pending pending{work, cuda::Event(), Clock::now() + options().timeout, std::move(inputs)};
    pending.keep_alive.insert(pending.keep_alive.end(), outputs.begin(), outputs.end());
    pending.end.record(stream);
    {
      std::lock_guard lock(mutex_);
      pending_.push_back(std::move(pending));
    }
    wake_.notify_all();
    return work;
  }

  // Finishes works whose events completed, in order; a timeout or an NCCL error aborts the
  // communicator and fails every pending work.
  void watch() {
    cuda::set_device(device_);
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait_for(lock, std::chrono::milliseconds(1),
                     [&] { return stopping_ || !pending_.empty(); });
      if (pending_.empty()) {
        if (stopping_) return;
        continue;
      }
      Pending& front = pending_.front();
      std::exception_ptr error;
      bool done = false;
      lock.unlock();
      try {
        done = front.end.query();
      } catch (...) {
        error = std::current_exception();
      }
      ncclResult_t state = ncclSuccess;
      {
        std::lock_guard abort_lock(abort_mutex_);
        if (comm_ != nullptr) ncclCommGetAsyncError(comm_, &state);
      }
      if (!done && !error) {
        if (state != ncclSuccess && state != ncclInProgress) {
          error = failure(front.work->op(), ncclGetErrorString(state));
        } else if (Clock::now() >= front.deadline) {
          error = failure(front.work->op(), "did not complete within " +
                                                std::to_string(options().timeout.count()) +
                                                " ms (the group's timeout)");
        }
      }
      lock.lock();
      if (!done && !error) {
        // The GPU is still at it: poll again shortly rather than spin a core.
        wake_.wait_for(lock, std::chrono::microseconds(100));
        continue;
      }
      if (error) {
        std::deque<Pending> failed;
        failed.swap(pending_);
        lock.unlock();
        abort("an earlier operation failed");
        for (Pending& entry : failed) entry.work->finish(error);
        lock.lock();
        continue;
      }
      Pending finished = std::move(pending_.front());
      pending_.pop_front();
      lock.unlock();
      finished.work->finish();
      lock.lock();
    }
  }

  std::exception_ptr failure(const std::string& op, const std::string& what) const {
    return std::make_exception_ptr(DistBackendError("[" + op + "] " + where_ + ": " + what +
                                                    "; the NCCL communicator is aborted"));
  }

  std::string where_;
  int device_ = 0;
  cuda::StreamHandle stream_ = nullptr;
  ncclComm_t comm_ = nullptr;
  std::mutex abort_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> pending_;
  std::string broken_;
  bool stopping_ = false;
  std::thread watchdog_;
};

}  // namespace

std::shared_ptr<ProcessGroup> make_nccl_process_group(std::shared_ptr<Store> store, int rank,
                                                      int size,
                                                      const ProcessGroupOptions& options) {
  return std::make_shared<ProcessGroupNCCL>(std::move(store), rank, size, options);
}

}  // namespace ember::distributed
