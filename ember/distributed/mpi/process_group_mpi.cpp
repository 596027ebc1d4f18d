// The MPI engine (Note [Distributed: MPI and NCCL] in docs/architecture.md). One process-wide
// engine thread makes every MPI call (MPI_THREAD_SERIALIZED): it starts MPI, runs the groups'
// operations in the order they were issued across all groups (so SPMD programs never deadlock
// on the order two groups' collectives reach MPI), and finalizes MPI at exit. Collectives are
// MPI's blocking ones (Open MPI's tuned algorithms; its nonblocking ones were up to 4x slower
// here); point-to-point operations are posted nonblocking and polled, so an isend and the
// matching irecv can both be in flight. A watchdog fails an operation that outlives the group's
// timeout; MPI cannot cancel a blocking collective, so the engine is unusable after that.
#include "ember/distributed/mpi/process_group_mpi.h"

#include <mpi.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "ember/base/half.h"
#include "ember/distributed/errors.h"

namespace ember::distributed {
namespace {

using Clock = std::chrono::steady_clock;

std::string mpi_error_string(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS)
    return "MPI error " + std::to_string(code);
  return std::string(text, static_cast<size_t>(length));
}

// float16 and bfloat16 reduce through float, one rounding per step (as NCCL's 16-bit reductions).
template <typename T, typename Combine>
void reduce_16bit(void* in, void* inout, int* length, MPI_Datatype*) {
  const T* a = static_cast<const T*>(in);
  T* b = static_cast<T*>(inout);
  for (int i = 0; i < *length; ++i)
    b[i] = T(Combine{}(static_cast<float>(a[i]), static_cast<float>(b[i])));
}

struct Add {
  float operator()(float a, float b) const { return a + b; }
};
struct Multiply {
  float operator()(float a, float b) const { return a * b; }
};
struct Minimum {
  float operator()(float a, float b) const { return a < b ? a : b; }
};
struct Maximum {
  float operator()(float a, float b) const { return a > b ? a : b; }
};

// One operation for the engine thread. A collective's `run` makes blocking MPI calls; a
// point-to-point operation's `post` starts a request that the thread polls, then `after` sees
// its status. Both return an MPI error code.
struct Task {
  WorkPtr work;
  // "rank 1 of group 'default_pg' (mpi)": where errors say the operation failed.
  std::string where;
  Duration timeout{};
  std::function<int()> run;
  std::function<int(MPI_Request*)> post;
  std::function<void(const MPI_Status&)> after;
};

struct InFlight {
  Task task;
  MPI_Request request = MPI_REQUEST_NULL;
  Clock::time_point deadline;
};

std::exception_ptr backend_error(const Task& task, const std::string& what) {
  return std::make_exception_ptr(
      DistBackendError("[" + task.work->op() + "] " + task.where + ": " + what));
}

class Engine {
 public:
  // The process's engine; the first call starts MPI on the engine thread.
  static Engine& instance() {
    // Never destroyed: the atexit handler stops the thread (static destructors may still run
    // groups' destructors after it).
    static Engine* engine = new Engine();
    return *engine;
  }

  int world_rank() const { return world_rank_; }
  int world_size() const { return world_size_; }

  MPI_Op op_for(ReduceOp op, ScalarType dtype) const {
    const bool half = dtype == kFloat16;
    const bool bfloat = dtype == kBFloat16;
    switch (op) {
      case ReduceOp::Sum:
        if (half || bfloat) return half_ops_[bfloat][0];
        return dtype == kBool ? MPI_LOR : MPI_SUM;
      case ReduceOp::Product:
        if (half || bfloat) return half_ops_[bfloat][1];
        return dtype == kBool ? MPI_LAND : MPI_PROD;
      case ReduceOp::Min:
        if (half || bfloat) return half_ops_[bfloat][2];
        return dtype == kBool ? MPI_LAND : MPI_MIN;
      case ReduceOp::Max:
        if (half || bfloat) return half_ops_[bfloat][3];
        return dtype == kBool ? MPI_LOR : MPI_MAX;
      case ReduceOp::Avg:
        break;
    }
    detail::raise<RuntimeError>("[mpi] ReduceOp ", to_string(op), " reached the engine");
  }

  // Queues a task; it fails at once when the engine is unusable.
  void submit(Task task) {
    task.work->set_wait_helper([this, target = task.work.get()] { help(target); });
    std::unique_lock lock(mutex_);
    if (broken_.empty() && !stopped_) {
      queue_.push_back(std::move(task));
      lock.unlock();
      wake_.notify_all();
      return;
    }
    const std::string reason = stopped_ ? "MPI was finalized at exit" : broken_;
    lock.unlock();
    task.work->finish(backend_error(task, reason));
  }

  // Runs `body` on the engine thread and waits for it (group setup), up to `timeout`.
  void call(const std::string& op, const std::string& where, Duration timeout,
            std::function<int()> body) {
    Task task;
    task.work = std::make_shared<Work>(op, std::vector<Tensor>{});
    task.where = where;
    task.timeout = timeout;
    task.run = std::move(body);
    WorkPtr work = task.work;
    submit(std::move(task));
    work->wait(timeout + std::chrono::seconds(1));
  }

 private:
  Engine() {
    thread_ = std::thread([this] { loop(); });
    std::unique_lock lock(mutex_);
    started_.wait(lock, [&] { return ready_; });
    if (!start_error_.empty()) {
      lock.unlock();
      thread_.join();
      detail::raise<DistBackendError>("[init_process_group] ", start_error_);
    }
    watchdog_ = std::thread([this] { watch(); });
    std::atexit([] { instance().shutdown(); });
  }

  void start_mpi() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
      int provided = 0;
      if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
        start_error_ = "MPI_Init_thread failed";
        return;
      }
      owns_mpi_ = true;
      if (provided < MPI_THREAD_SERIALIZED) {
        start_error_ = "this MPI library does not provide MPI_THREAD_SERIALIZED (provided level " +
                       std::to_string(provided) + ")";
        return;
      }
    } else {
      int provided = 0;
      MPI_Query_thread(&provided);
      if (provided < MPI_THREAD_SERIALIZED) {
        start_error_ =
            "MPI was initialized by the program with a thread level below "
            "MPI_THREAD_SERIALIZED; ember calls MPI from its own thread";
        return;
      }
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &world_rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &world_size_);
    MPI_User_function* const functions[2][4] = {
        {reduce_16bit<Half, Add>, reduce_16bit<Half, Multiply>, reduce_16bit<Half, Minimum>,
         reduce_16bit<Half, Maximum>},
        {reduce_16bit<BFloat16, Add>, reduce_16bit<BFloat16, Multiply>,
         reduce_16bit<BFloat16, Minimum>, reduce_16bit<BFloat16, Maximum>}};
    for (int kind = 0; kind < 2; ++kind) {
      for (int op = 0; op < 4; ++op) {
        MPI_Op_create(functions[kind][op], /*commute=*/1, &half_ops_[kind][op]);
      }
    }
  }

  void loop() {
    start_mpi();
    {
      std::lock_guard lock(mutex_);
      ready_ = true;
    }
    started_.notify_all();
    if (!start_error_.empty()) return;
    std::vector<InFlight> in_flight;
    int idle_polls = 0;
    for (;;) {
      std::optional<Task> next;
      {
        std::unique_lock lock(mutex_);
        if (in_flight.empty()) {
          // Idle: a thread waiting on a work may run queued collectives meanwhile (help).
          engine_idle_ = true;
          wake_.wait(lock, [&] { return !helper_running_ && (stopping_ || !queue_.empty()); });
          engine_idle_ = false;
        }
        if (!queue_.empty()) {
          next = std::move(queue_.front());
          queue_.pop_front();
        } else if (stopping_ && in_flight.empty()) {
          break;
        }
      }
      if (next && next->run) run_collective(std::move(*next));
      if (next && next->post) post(std::move(*next), in_flight);
      if (poll(in_flight) || next) {
        idle_polls = 0;
      } else if (++idle_polls > 1000) {
        // Waiting long on a peer: poll less often than a spinning core would.
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      } else {
        std::this_thread::yield();
      }
    }
    std::lock_guard lock(mutex_);
    if (broken_.empty() && owns_mpi_) {
      for (auto& ops : half_ops_) {
        for (MPI_Op& op : ops) MPI_Op_free(&op);
      }
      MPI_Finalize();
    }
    stopped_ = true;
  }

  void run_collective(Task task) {
    WorkPtr work = task.work;
    {
      std::lock_guard lock(mutex_);
      running_ = work;
      running_where_ = task.where;
      running_deadline_ = Clock::now() + task.timeout;
      running_timeout_ = task.timeout;
    }
    watch_wake_.notify_all();
    std::exception_ptr error;
    try {
      const int code = task.run();
      if (code != MPI_SUCCESS) error = backend_error(task, mpi_error_string(code));
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard lock(mutex_);
      // The watchdog failed it already (it outlived the timeout) when running_ is cleared.
      if (running_ != work) return;
      running_ = nullptr;
    }
    work->finish(error);
  }

  // In a thread waiting on `target`: runs the queued collectives up to and including it while
  // the engine thread is idle (no send or receive in flight, so it makes no MPI call: MPI's
  // SERIALIZED level allows any thread, one at a time). Waking the engine thread cost each
  // blocking call a thread hand-off, 25-30 us of a 95 us 1 MB all_reduce.
  void help(const Work* target) {
    for (;;) {
      Task task;
      {
        std::lock_guard lock(mutex_);
        if (!engine_idle_ || helper_running_ || stopping_ || !broken_.empty() || queue_.empty() ||
            !queue_.front().run) {
          return;
        }
        task = std::move(queue_.front());
        queue_.pop_front();
        helper_running_ = true;
      }
      const bool mine = task.work.get() == target;
      run_collective(std::move(task));
      {
        std::lock_guard lock(mutex_);
        helper_running_ = false;
      }
      wake_.notify_all();
      if (mine) return;
    }
  }

  void post(Task task, std::vector<InFlight>& in_flight) {
    InFlight entry;
    entry.deadline = Clock::now() + task.timeout;
    const int code = task.post(&entry.request);
    if (code != MPI_SUCCESS) {
      task.work->finish(backend_error(task, mpi_error_string(code)));
      return;
    }
    entry.task = std::move(task);
    in_flight.push_back(std::move(entry));
  }

  // Tests every request in flight; true when one ended.
  bool poll(std::vector<InFlight>& in_flight) {
    bool progressed = false;
    for (size_t i = 0; i < in_flight.size();) {
      InFlight& entry = in_flight[i];
      int done = 0;
      MPI_Status status{};
      const int code = MPI_Test(&entry.request, &done, &status);
      std::exception_ptr error;
      if (code != MPI_SUCCESS) {
        error = backend_error(entry.task, mpi_error_string(code));
      } else if (done) {
        try {
          if (entry.task.after) entry.task.after(status);
        } catch (...) {
          error = std::current_exception();
        }
      } else if (Clock::now() >= entry.deadline) {
        error = backend_error(entry.task, "did not complete within " +
                                              std::to_string(entry.task.timeout.count()) +
                                              " ms (the group's timeout)");
        cancel(entry);
      } else {
        ++i;
        continue;
      }
      entry.task.work->finish(error);
      in_flight.erase(in_flight.begin() + static_cast<std::ptrdiff_t>(i));
      progressed = true;
    }
    return progressed;
  }

  // A timed-out receive is cancelled; a send MPI may not cancel leaves the engine unusable (its
  // buffer stays in use).
  void cancel(InFlight& entry) {
    MPI_Cancel(&entry.request);
    const auto limit = Clock::now() + std::chrono::seconds(1);
    int done = 0;
    MPI_Status status{};
    while (!done && Clock::now() < limit) {
      if (MPI_Test(&entry.request, &done, &status) != MPI_SUCCESS) break;
      if (!done) std::this_thread::yield();
    }
    if (!done) {
      // Keep the tensors alive as long as MPI may write them (the process's lifetime).
      leaked_.push_back(std::move(entry.task));
      mark_broken("a point-to-point " + leaked_.back().work->op() +
                  " timed out and MPI could not cancel it");
    }
  }

  void mark_broken(const std::string& reason) {
    std::deque<Task> failed;
    {
      std::lock_guard lock(mutex_);
      if (broken_.empty()) broken_ = "the MPI engine is unusable: " + reason;
      failed.swap(queue_);
    }
    for (Task& task : failed) task.work->finish(backend_error(task, broken_));
  }

  // Fails a blocking collective that outlives its timeout. Its MPI call keeps the engine thread
  // (MPI cannot abandon a collective), so every later operation fails too and MPI is not
  // finalized: mpirun then ends the job.
  void watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (running_ && Clock::now() >= running_deadline_) {
        WorkPtr work = std::exchange(running_, nullptr);
        const std::string where = running_where_;
        const Duration timeout = running_timeout_;
        lock.unlock();
        Task task;
        task.work = work;
        task.where = where;
        work->finish(backend_error(task, "did not complete within " +
                                             std::to_string(timeout.count()) +
                                             " ms (the group's timeout); a peer may have "
                                             "stopped calling collectives"));
        mark_broken("[" + work->op() + "] on " + where + " timed out inside MPI");
        lock.lock();
        continue;
      }
      if (running_) {
        watch_wake_.wait_until(lock, running_deadline_);
      } else {
        watch_wake_.wait(lock);
      }
    }
  }

  void shutdown() {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    const bool broken = !broken_.empty();
    lock.unlock();
    wake_.notify_all();
    watch_wake_.notify_all();
    watchdog_.join();
    // A broken engine's thread may be inside an MPI call that never returns: the process exits
    // without MPI_Finalize, which mpirun reports as this rank's failure.
    if (broken) {
      thread_.detach();
    } else {
      thread_.join();
    }
  }

  std::thread thread_;
  std::thread watchdog_;
  mutable std::mutex mutex_;
  std::condition_variable started_;
  std::condition_variable wake_;
  std::condition_variable watch_wake_;
  bool ready_ = false;
  std::string start_error_;
  bool owns_mpi_ = false;
  bool stopping_ = false;
  bool stopped_ = false;
  // The engine thread waits with nothing in flight; a waiting thread runs a collective (help).
  bool engine_idle_ = false;
  bool helper_running_ = false;
  std::string broken_;
  std::deque<Task> queue_;
  std::vector<Task> leaked_;
  WorkPtr running_;
  std::string running_where_;
  Clock::time_point running_deadline_;
  Duration running_timeout_{};
  int world_rank_ = -1;
  int world_size_ = 0;
  MPI_Op half_ops_[2][4] = {};
};

MPI_Datatype mpi_type(ScalarType dtype) {
  switch (dtype) {
    case kBool:
      return MPI_C_BOOL;
    case kUInt8:
      return MPI_UINT8_T;
    case kInt8:
      return MPI_INT8_T;
    case kInt16:
      return MPI_INT16_T;
    case kInt32:
      return MPI_INT32_T;
    case kInt64:
      return MPI_INT64_T;
    case kFloat16:
    case kBFloat16:
      return MPI_UINT16_T;
    case kFloat32:
      return MPI_FLOAT;
    case kFloat64:
      return MPI_DOUBLE;
  }
  return MPI_DATATYPE_NULL;
}

std::byte* bytes(const Tensor& tensor) { return static_cast<std::byte*>(tensor.data_ptr()); }

// Offsets of consecutive blocks of `counts` elements (the totals fit an int: checked before).
std::vector<int> displacements(const std::vector<int>& counts) {
  std::vector<int> result(counts.size());
  int offset = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    result[i] = offset;
    offset += counts[i];
  }
  return result;
}

// Elements of one row along dim 0 (1 for a scalar).
int64_t row_elements(const Tensor& tensor) {
  if (tensor.dim() == 0 || tensor.size(0) == 0) return tensor.dim() == 0 ? 1 : 0;
  return tensor.numel() / tensor.size(0);
}

class ProcessGroupMPI final : public ProcessGroup {
 public:
  ProcessGroupMPI(std::shared_ptr<Store> store, int rank, int size,
                  const ProcessGroupOptions& options, const std::vector<int>& global_ranks)
      : ProcessGroup(std::move(store), rank, size, options), engine_(Engine::instance()) {
    where_ = "rank " + std::to_string(rank) + " of group '" + options.group_name + "' (mpi)";
    if (global_ranks.empty()) {
      EMBER_CHECK_VALUE(engine_.world_rank() == rank && engine_.world_size() == size,
                        "[init_process_group] the mpi backend's rank and world size come from "
                        "MPI: MPI_COMM_WORLD has rank ",
                        engine_.world_rank(), " of ", engine_.world_size(), ", but rank ", rank,
                        " of ", size, " was given");
    } else {
      EMBER_CHECK_VALUE(static_cast<int>(global_ranks.size()) == size && rank >= 0 && rank < size &&
                            global_ranks[static_cast<size_t>(rank)] == engine_.world_rank(),
                        "[new_group] rank ", rank, " of ", size, " is world rank ",
                        rank >= 0 && rank < static_cast<int>(global_ranks.size())
                            ? global_ranks[static_cast<size_t>(rank)]
                            : -1,
                        " of ", global_ranks.size(), " ranks, but MPI_COMM_WORLD says rank ",
                        engine_.world_rank());
      for (int member : global_ranks) {
        EMBER_CHECK_VALUE(member >= 0 && member < engine_.world_size(), "[new_group] rank ", member,
                          " is not in MPI_COMM_WORLD of size ", engine_.world_size());
      }
    }
    engine_.call("init_process_group", where_, options.timeout, [this, global_ranks] {
      int code = MPI_SUCCESS;
      if (global_ranks.empty()) {
        code = MPI_Comm_dup(MPI_COMM_WORLD, &comm_);
      } else {
        MPI_Group world = MPI_GROUP_NULL;
        MPI_Group members = MPI_GROUP_NULL;
        MPI_Comm_group(MPI_COMM_WORLD, &world);
        code = MPI_Group_incl(world, static_cast<int>(global_ranks.size()), global_ranks.data(),
                              &members);
        // The tag tells apart groups created concurrently from overlapping ranks.
        if (code == MPI_SUCCESS) code = MPI_Comm_create_group(MPI_COMM_WORLD, members, 15, &comm_);
        MPI_Group_free(&members);
        MPI_Group_free(&world);
      }
      if (code == MPI_SUCCESS) code = MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
      return code;
    });
  }

  ~ProcessGroupMPI() override {
    // Queued after the group's operations, so it runs once they ended; no wait here.
    Task task;
    task.work = std::make_shared<Work>("destroy_process_group", std::vector<Tensor>{});
    task.where = where_;
    task.timeout = options().timeout;
    task.run = [comm = comm_]() mutable { return MPI_Comm_free(&comm); };
    engine_.submit(std::move(task));
  }

  std::string backend_name() const override { return "mpi"; }
  DeviceType device_type() const override { return kCPU; }

 protected:
  WorkPtr run_all_reduce(Tensor& tensor, ReduceOp op) override {
    const int count = checked_count("all_reduce", tensor.numel());
    const MPI_Op mpi_op = engine_.op_for(op, tensor.dtype());
    return collective("all_reduce", {tensor}, [comm = comm_, tensor, count, mpi_op] {
      return MPI_Allreduce(MPI_IN_PLACE, tensor.data_ptr(), count, mpi_type(tensor.dtype()), mpi_op,
                           comm);
    });
  }

  WorkPtr run_broadcast(Tensor& tensor, int root) override {
    const int count = checked_count("broadcast", tensor.numel());
    return collective("broadcast", {tensor}, [comm = comm_, tensor, count, root] {
      return MPI_Bcast(tensor.data_ptr(), count, mpi_type(tensor.dtype()), root, comm);
    });
  }

  WorkPtr run_reduce(Tensor& tensor, int root, ReduceOp op) override {
    const int count = checked_count("reduce", tensor.numel());
    const MPI_Op mpi_op = engine_.op_for(op, tensor.dtype());
    const bool is_root = rank() == root;
    return collective("reduce", {tensor}, [comm = comm_, tensor, count, mpi_op, root, is_root] {
      void* data = tensor.data_ptr();
      return MPI_Reduce(is_root ? MPI_IN_PLACE : data, is_root ? data : nullptr, count,
                        mpi_type(tensor.dtype()), mpi_op, root, comm);
    });
  }

  WorkPtr run_all_gather(std::vector<Tensor>& outputs, Tensor& input) override {
    const int count = checked_count("all_gather", input.numel() * size()) / size();
    return collective("all_gather", outputs, [comm = comm_, outputs, input, count] {
      std::vector<std::byte> flat(total_bytes(outputs));
      const MPI_Datatype type = mpi_type(input.dtype());
      const int code = MPI_Allgather(input.data_ptr(), count, type, flat.data(), count, type, comm);
      if (code == MPI_SUCCESS) unpack(flat, outputs);
      return code;
    });
  }

  WorkPtr run_all_gather_into_tensor(Tensor& output, Tensor& input) override {
    const int count = checked_count("all_gather_into_tensor", output.numel()) / size();
    // An input that is this rank's slice of the output is gathered in place.
    const bool in_place = bytes(input) == bytes(output) + input.nbytes() * rank();
    return collective("all_gather_into_tensor", {output},
                      [comm = comm_, output, input, count, in_place] {
                        const MPI_Datatype type = mpi_type(input.dtype());
                        return MPI_Allgather(in_place ? MPI_IN_PLACE : input.data_ptr(), count,
                                             type, output.data_ptr(), count, type, comm);
                      });
  }

  WorkPtr run_gather(std::vector<Tensor>& outputs, Tensor& input, int root) override {
    const int count = checked_count("gather", input.numel() * size()) / size();
    const bool is_root = rank() == root;
    return collective("gather", outputs, [comm = comm_, outputs, input, count, root, is_root] {
      const MPI_Datatype type = mpi_type(input.dtype());
      std::vector<std::byte> flat(is_root ? total_bytes(outputs) : 0);
      const int code = MPI_Gather(input.data_ptr(), count, type, is_root ? flat.data() : nullptr,
                                  count, type, root, comm);
      if (code == MPI_SUCCESS && is_root) unpack(flat, outputs);
      return code;
    });
  }

  WorkPtr run_scatter(Tensor& output, std::vector<Tensor>& inputs, int root) override {
    const int count = checked_count("scatter", output.numel() * size()) / size();
    const bool is_root = rank() == root;
    return collective("scatter", {output}, [comm = comm_, output, inputs, count, root, is_root] {
      const MPI_Datatype type = mpi_type(output.dtype());
      const std::vector<std::byte> flat = is_root ? pack(inputs) : std::vector<std::byte>{};
      return MPI_Scatter(is_root ? flat.data() : nullptr, count, type, output.data_ptr(), count,
                         type, root, comm);
    });
  }

  WorkPtr run_reduce_scatter_tensor(Tensor& output, Tensor& input, ReduceOp op) override {
    const int count = checked_count("reduce_scatter_tensor", input.numel()) / size();
    const MPI_Op mpi_op = engine_.op_for(op, input.dtype());
    return collective("reduce_scatter_tensor", {output},
                      [comm = comm_, output, input, count, mpi_op] {
                        return MPI_Reduce_scatter_block(input.data_ptr(), output.data_ptr(), count,
                                                        mpi_type(input.dtype()), mpi_op, comm);
                      });
  }

  WorkPtr run_reduce_scatter(Tensor& output, std::vector<Tensor>& inputs, ReduceOp op) override {
    const int count = checked_count("reduce_scatter", output.numel() * size()) / size();
    const MPI_Op mpi_op = engine_.op_for(op, output.dtype());
    return collective("reduce_scatter", {output}, [comm = comm_, output, inputs, count, mpi_op] {
      const std::vector<std::byte> flat = pack(inputs);
      return MPI_Reduce_scatter_block(flat.data(), output.data_ptr(), count,
                                      mpi_type(output.dtype()), mpi_op, comm);
    });
  }

  WorkPtr run_all_to_all_single(Tensor& output, Tensor& input,
                                const std::vector<int64_t>& output_splits,
                                const std::vector<int64_t>& input_splits) override {
    const auto counts = [&](const Tensor& tensor, const std::vector<int64_t>& splits) {
      std::vector<int> result(static_cast<size_t>(size()));
      const int64_t row = row_elements(tensor);
      for (int r = 0; r < size(); ++r) {
        const int64_t elements =
            splits.empty() ? tensor.numel() / size() : splits[static_cast<size_t>(r)] * row;
        result[static_cast<size_t>(r)] = checked_count("all_to_all_single", elements);
      }
      return result;
    };
    checked_count("all_to_all_single", std::max(input.numel(), output.numel()));
    return collective("all_to_all_single", {output},
                      [comm = comm_, output, input, send_counts = counts(input, input_splits),
                       receive_counts = counts(output, output_splits)] {
                        const MPI_Datatype type = mpi_type(input.dtype());
                        return MPI_Alltoallv(input.data_ptr(), send_counts.data(),
                                             displacements(send_counts).data(), type,
                                             output.data_ptr(), receive_counts.data(),
                                             displacements(receive_counts).data(), type, comm);
                      });
  }

  WorkPtr run_all_to_all(std::vector<Tensor>& outputs, std::vector<Tensor>& inputs) override {
    std::vector<int> send_counts;
    std::vector<int> receive_counts;
    int64_t send_total = 0;
    int64_t receive_total = 0;
    for (const Tensor& tensor : inputs) {
      send_counts.push_back(checked_count("all_to_all", tensor.numel()));
      send_total += tensor.numel();
    }
    for (const Tensor& tensor : outputs) {
      receive_counts.push_back(checked_count("all_to_all", tensor.numel()));
      receive_total += tensor.numel();
    }
    checked_count("all_to_all", std::max(send_total, receive_total));
    return collective(
        "all_to_all", outputs, [comm = comm_, outputs, inputs, send_counts, receive_counts] {
          const std::vector<std::byte> send = pack(inputs);
          std::vector<std::byte> receive(total_bytes(outputs));
          const MPI_Datatype type = mpi_type(outputs.front().dtype());
          const int code =
              MPI_Alltoallv(send.data(), send_counts.data(), displacements(send_counts).data(),
                            type, receive.data(), receive_counts.data(),
                            displacements(receive_counts).data(), type, comm);
          if (code == MPI_SUCCESS) unpack(receive, outputs);
          return code;
        });
  }

  WorkPtr run_send(Tensor& tensor, int dst, int tag) override {
    const int count = checked_count("send", tensor.numel());
    Task task = make_task("send", {tensor});
    task.post = [comm = comm_, tensor, count, dst, tag](MPI_Request* request) {
      return MPI_Isend(tensor.data_ptr(), count, mpi_type(tensor.dtype()), dst, tag, comm, request);
    };
    return submit(std::move(task));
  }

  WorkPtr run_recv(Tensor& tensor, int src, int tag) override {
    const int count = checked_count("recv", tensor.numel());
    Task task = make_task("recv", {tensor});
    task.post = [comm = comm_, tensor, count, src, tag](MPI_Request* request) {
      return MPI_Irecv(tensor.data_ptr(), count, mpi_type(tensor.dtype()),
                       src < 0 ? MPI_ANY_SOURCE : src, tag, comm, request);
    };
    task.after = [work = std::weak_ptr<Work>(task.work)](const MPI_Status& status) {
      if (const WorkPtr owner = work.lock()) owner->set_source_rank(status.MPI_SOURCE);
    };
    return submit(std::move(task));
  }

  WorkPtr run_barrier() override {
    return collective("barrier", {}, [comm = comm_] { return MPI_Barrier(comm); });
  }

 private:
  int checked_count(const char* op, int64_t elements) const {
    EMBER_CHECK_VALUE(elements <= std::numeric_limits<int>::max(), "[", op, "] ", elements,
                      " elements exceed what one MPI call moves (", std::numeric_limits<int>::max(),
                      ", MPI's int count) on ", where_);
    return static_cast<int>(elements);
  }

  static size_t total_bytes(const std::vector<Tensor>& tensors) {
    size_t total = 0;
    for (const Tensor& tensor : tensors) total += tensor.nbytes();
    return total;
  }

  static std::vector<std::byte> pack(const std::vector<Tensor>& tensors) {
    std::vector<std::byte> flat(total_bytes(tensors));
    size_t offset = 0;
    for (const Tensor& tensor : tensors) {
      if (tensor.nbytes() != 0)
        std::memcpy(flat.data() + offset, tensor.data_ptr(), tensor.nbytes());
      offset += tensor.nbytes();
    }
    return flat;
  }

  static void unpack(const std::vector<std::byte>& flat, const std::vector<Tensor>& tensors) {
    size_t offset = 0;
    for (const Tensor& tensor : tensors) {
      if (tensor.nbytes() != 0)
        std::memcpy(tensor.data_ptr(), flat.data() + offset, tensor.nbytes());
      offset += tensor.nbytes();
    }
  }

  Task make_task(const char* op, std::vector<Tensor> outputs) const {
    Task task;
    task.work = std::make_shared<Work>(op, std::move(outputs));
    task.where = where_;
    task.timeout = options().timeout;
    return task;
  }

  WorkPtr submit(Task task) {
    WorkPtr work = task.work;
    engine_.submit(std::move(task));
    return work;
  }

  WorkPtr collective(const char* op, std::vector<Tensor> outputs, std::function<int()> run) {
    Task task = make_task(op, std::move(outputs));
    task.run = std::move(run);
    return submit(std::move(task));
  }

  Engine& engine_;
  std::string where_;
  MPI_Comm comm_ = MPI_COMM_NULL;
};

}  // namespace

MpiWorld mpi_world() {
  const Engine& engine = Engine::instance();
  return {engine.world_rank(), engine.world_size()};
}

std::shared_ptr<ProcessGroup> make_mpi_process_group(std::shared_ptr<Store> store, int rank,
                                                     int size, const ProcessGroupOptions& options,
                                                     const std::vector<int>& global_ranks) {
  return std::make_shared<ProcessGroupMPI>(std::move(store), rank, size, options, global_ranks);
}

}  // namespace ember::distributed
