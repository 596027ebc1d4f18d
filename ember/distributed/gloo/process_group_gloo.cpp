// Note [Distributed: process groups and Gloo] in docs/architecture.md.
#include "ember/distributed/gloo/process_group_gloo.h"

#include <gloo/allgather.h>
#include <gloo/allreduce.h>
#include <gloo/alltoallv.h>
#include <gloo/barrier.h>
#include <gloo/broadcast.h>
#include <gloo/common/error.h>
#include <gloo/gather.h>
#include <gloo/math.h>
#include <gloo/reduce.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/store.h>
#include <gloo/scatter.h>
#include <gloo/transport/tcp/device.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>

#include "ember/autograd/grad_mode.h"
#include "ember/base/error.h"
#include "ember/base/warning.h"
#include "ember/distributed/errors.h"
#include "ember/distributed/peer_liveness.h"
#include "ember/ops/ops.h"
#include "ember/tensor/dtype_visit.h"

namespace ember::distributed {

namespace {

using ReduceFunc = std::function<void(void*, const void*, const void*, size_t)>;

// ember's Store as Gloo's rendezvous store: connectFullMesh exchanges the pairs' addresses
// through the group's (already prefixed) store and honours its timeout.
class GlooStoreAdapter : public gloo::rendezvous::Store {
 public:
  explicit GlooStoreAdapter(std::shared_ptr<distributed::Store> store) : store_(std::move(store)) {}
  void set(const std::string& key, const std::vector<char>& data) override {
    store_->set(key, Bytes(data.begin(), data.end()));
  }
  std::vector<char> get(const std::string& key) override {
    const Bytes value = store_->get(key);
    return std::vector<char>(value.begin(), value.end());
  }
  void wait(const std::vector<std::string>& keys) override { store_->wait(keys); }
  void wait(const std::vector<std::string>& keys,
            const std::chrono::milliseconds& timeout) override {
    store_->wait(keys, timeout);
  }

 private:
  std::shared_ptr<distributed::Store> store_;
};

// Gloo's reductions work on its own float16 only; ember's 16-bit floats (and bool, whose sum is
// a logical or and whose product a logical and) reduce in their opmath type here.
template <typename T, typename Combine>
void reduce_in_opmath(void* c, const void* a, const void* b, size_t n) {
  auto* out = static_cast<T*>(c);
  const auto* x = static_cast<const T*>(a);
  const auto* y = static_cast<const T*>(b);
  for (size_t i = 0; i < n; ++i) {
    out[i] = convert<T>(Combine{}(static_cast<opmath_t<T>>(x[i]), static_cast<opmath_t<T>>(y[i])));
  }
}

struct SumOf {
  template <typename V>
  auto operator()(V a, V b) const {
    return a + b;
  }
};
struct ProductOf {
  template <typename V>
  auto operator()(V a, V b) const {
    return a * b;
  }
};
struct MinOf {
  template <typename V>
  V operator()(V a, V b) const {
    return std::min(a, b);
  }
};
struct MaxOf {
  template <typename V>
  V operator()(V a, V b) const {
    return std::max(a, b);
  }
};

using RawReduce = void (*)(void*, const void*, const void*, size_t);

ReduceFunc reduce_function(ScalarType dtype, ReduceOp op) {
  return visit_dtype(dtype, [op](auto tag) -> ReduceFunc {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      switch (op) {
        case ReduceOp::Sum:
          return static_cast<RawReduce>(&gloo::sum<T>);
        case ReduceOp::Product:
          return static_cast<RawReduce>(&gloo::product<T>);
        case ReduceOp::Min:
          return static_cast<RawReduce>(&gloo::min<T>);
        case ReduceOp::Max:
          return static_cast<RawReduce>(&gloo::max<T>);
        case ReduceOp::Avg:
          break;
      }
    } else {
      switch (op) {
        case ReduceOp::Sum:
          return &reduce_in_opmath<T, SumOf>;
        case ReduceOp::Product:
          return &reduce_in_opmath<T, ProductOf>;
        case ReduceOp::Min:
          return &reduce_in_opmath<T, MinOf>;
        case ReduceOp::Max:
          return &reduce_in_opmath<T, MaxOf>;
        case ReduceOp::Avg:
          break;
      }
    }
    // ProcessGroup turns AVG into SUM and a division before an engine sees it.
    detail::raise<RuntimeError>("[gloo] no reduction for ", to_string(op));
  });
}

// Whether this machine's hostname resolves to an address a socket can bind.
bool hostname_is_bindable(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return false;
  bool bindable = false;
  for (addrinfo* info = found; info != nullptr && !bindable; info = info->ai_next) {
    const int fd = socket(info->ai_family, info->ai_socktype, info->ai_protocol);
    if (fd < 0) continue;
    bindable = bind(fd, info->ai_addr, info->ai_addrlen) == 0;
    close(fd);
  }
  freeaddrinfo(found);
  return bindable;
}

// Which address this rank listens on, as PyTorch picks it: the interface GLOO_SOCKET_IFNAME
// names (the first of a comma-separated list), else this machine's hostname when it resolves to
// a bindable address (so peers on other machines can reach it), else loopback.
gloo::transport::tcp::attr device_attributes() {
  gloo::transport::tcp::attr attr;
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname != nullptr && *ifname) {
    const std::string names(ifname);
    attr.iface = names.substr(0, names.find(','));
    return attr;
  }
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) == 0 && hostname_is_bindable(host)) {
    attr.hostname = host;
    return attr;
  }
  warn("[init_process_group] gloo: the hostname '", host,
       "' does not resolve to a bindable address; listening on 127.0.0.1 (this machine only). "
       "Set GLOO_SOCKET_IFNAME to the interface peers reach this machine on.");
  attr.hostname = "127.0.0.1";
  return attr;
}

// Visits the storage type of dtype for the typed Gloo setters (the element size and count).
template <typename Visitor>
void with_element_type(ScalarType dtype, Visitor&& visitor) {
  visit_dtype(dtype,
              [&](auto tag) { visitor(static_cast<typename decltype(tag)::type*>(nullptr)); });
}

template <typename T>
T* data_of(const Tensor& tensor) {
  return static_cast<T*>(tensor.data_ptr());
}

// Split sizes along dim 0 as element counts (a row holds every element of the other dims).
std::vector<int64_t> elements_per_rank(const Tensor& tensor, const std::vector<int64_t>& rows) {
  int64_t per_row = 1;
  for (int64_t d = 1; d < tensor.dim(); ++d) per_row *= tensor.size(d);
  std::vector<int64_t> elements;
  elements.reserve(rows.size());
  for (int64_t count : rows) elements.push_back(count * per_row);
  return elements;
}

class ProcessGroupGloo final : public ProcessGroup {
 public:
  ProcessGroupGloo(std::shared_ptr<Store> store, int rank, int size,
                   const ProcessGroupOptions& options)
      : ProcessGroup(store, rank, size, options) {
    connect();
    wait_help_->group = this;
    worker_ = std::thread([this] { run_collectives(); });
    p2p_worker_ = std::thread([this] { run_point_to_point(); });
  }

  ~ProcessGroupGloo() override {
    {
      // Waits for a waiting thread that runs a collective (wait_help_) and stops new ones.
      std::lock_guard help_lock(wait_help_->mutex);
      wait_help_->group = nullptr;
    }
    std::deque<Task> collectives;
    std::deque<PointToPoint> p2p;
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
      collectives.swap(collectives_);
      p2p.swap(p2p_);
      // A send or receive still waiting for its peer is abandoned; a running collective ends
      // within the group's timeout at the latest.
      if (p2p_current_ != nullptr) {
        p2p_current_->abortWaitSend();
        p2p_current_->abortWaitRecv();
      }
    }
    wake_.notify_all();
    for (Task& task : collectives) task.work->finish(destroyed_error(task.work->op()));
    for (PointToPoint& task : p2p) task.work->finish(destroyed_error(task.work->op()));
    worker_.join();
    p2p_worker_.join();
  }

  std::string backend_name() const override { return "gloo"; }
  DeviceType device_type() const override { return DeviceType::CPU; }

 protected:
  WorkPtr run_all_reduce(Tensor& tensor, ReduceOp op) override {
    return enqueue("all_reduce", {tensor}, [this, tensor, op](uint32_t tag) {
      if (tensor.numel() == 0) return;
      gloo::AllreduceOptions opts(context_);
      with_element_type(tensor.dtype(), [&](auto* type) {
        using T = std::remove_pointer_t<decltype(type)>;
        opts.setOutput(data_of<T>(tensor), static_cast<size_t>(tensor.numel()));
      });
      opts.setReduceFunction(reduce_function(tensor.dtype(), op));
      opts.setTag(tag);
      gloo::allreduce(opts);
    });
  }

  WorkPtr run_broadcast(Tensor& tensor, int root) override {
    return enqueue("broadcast", {tensor}, [this, tensor, root](uint32_t tag) {
      if (tensor.numel() == 0) return;
      gloo::BroadcastOptions opts(context_);
      with_element_type(tensor.dtype(), [&](auto* type) {
        using T = std::remove_pointer_t<decltype(type)>;
        opts.setOutput(data_of<T>(tensor), static_cast<size_t>(tensor.numel()));
      });
      opts.setRoot(root);
      opts.setTag(tag);
      gloo::broadcast(opts);
    });
  }

  WorkPtr run_reduce(Tensor& tensor, int root, ReduceOp op) override {
    return enqueue("reduce", {tensor}, [this, tensor, root, op](uint32_t tag) {
      if (tensor.numel() == 0) return;
      gloo::ReduceOptions opts(context_);
      // Gloo uses the output as scratch on every rank: the others' tensors stay as they were.
      const Tensor output = rank() == root ? tensor : empty(tensor.sizes(), tensor.options());
      with_element_type(tensor.dtype(), [&](auto* type) {
        using T = std::remove_pointer_t<decltype(type)>;
        const auto count = static_cast<size_t>(tensor.numel());
        opts.setInput(data_of<T>(tensor), count);
        opts.setOutput(data_of<T>(output), count);
      });
      opts.setReduceFunction(reduce_function(tensor.dtype(), op));
      opts.setRoot(root);
      opts.setTag(tag);
      gloo::reduce(opts);
    });
  }

  WorkPtr run_all_gather(std::vector<Tensor>& outputs, Tensor& input) override {
    return enqueue("all_gather", outputs, [this, outputs, input](uint32_t tag) {
      const Tensor gathered = empty({size() * input.numel()}, input.options());
      all_gather_into(gathered, input, tag);
      copy_chunks_out(gathered, outputs);
    });
  }

  WorkPtr run_all_gather_into_tensor(Tensor& output, Tensor& input) override {
    return enqueue("all_gather_into_tensor", {output},
                   [this, output, input](uint32_t tag) { all_gather_into(output, input, tag); });
  }

  WorkPtr run_gather(std::vector<Tensor>& outputs, Tensor& input, int root) override {
    return enqueue("gather", outputs, [this, outputs, input, root](uint32_t tag) {
      if (input.numel() == 0) return;
      gloo::GatherOptions opts(context_);
      const Tensor gathered =
          rank() == root ? empty({size() * input.numel()}, input.options()) : Tensor();
      with_element_type(input.dtype(), [&](auto* type) {
        using T = std::remove_pointer_t<decltype(type)>;
        opts.setInput(data_of<T>(input), static_cast<size_t>(input.numel()));
        if (gathered.defined()) {
          opts.setOutput(data_of<T>(gathered), static_cast<size_t>(gathered.numel()));
        }
      });
      opts.setRoot(root);
      opts.setTag(tag);
      gloo::gather(opts);
      if (gathered.defined()) copy_chunks_out(gathered, outputs);
    });
  }

  WorkPtr run_scatter(Tensor& output, std::vector<Tensor>& inputs, int root) override {
    return enqueue("scatter", {output}, [this, output, inputs, root](uint32_t tag) {
      if (output.numel() == 0) return;
      gloo::ScatterOptions opts(context_);
      with_element_type(output.dtype(), [&](auto* type) {
        using T = std::remove_pointer_t<decltype(type)>;
        const auto count = static_cast<size_t>(output.numel());
        if (!inputs.empty()) {
          std::vector<T*> pointers;
          for (const Tensor& input : inputs) pointers.push_back(data_of<T>(input));
          opts.setInputs(pointers, count);
        }
        opts.setOutput(data_of<T>(output), count);
      });
      opts.setRoot(root);
      opts.setTag(tag);
      gloo::scatter(opts);
    });
  }

  WorkPtr run_all_to_all_single(Tensor& output, Tensor& input,
                                const std::vector<int64_t>& output_splits,
                                const std::vector<int64_t>& input_splits) override {
    return enqueue("all_to_all_single", {output},
                   [this, output, input, out_counts = elements_per_rank(output, output_splits),
                    in_counts = elements_per_rank(input, input_splits)](uint32_t tag) {
                     gloo::AlltoallvOptions opts(context_);
                     with_element_type(input.dtype(), [&](auto* type) {
                       using T = std::remove_pointer_t<decltype(type)>;
                       opts.setInput(data_of<T>(input), in_counts);
                       opts.setOutput(data_of<T>(output), out_counts);
                     });
                     opts.setTag(tag);
                     gloo::alltoallv(opts);
                   });
  }

  WorkPtr run_send(Tensor& tensor, int dst, int tag) override {
    return post_point_to_point("send", tensor, dst, tag);
  }

  WorkPtr run_recv(Tensor& tensor, int src, int tag) override {
    return post_point_to_point("recv", tensor, src, tag);
  }

  WorkPtr run_barrier() override {
    return enqueue("barrier", {}, [this](uint32_t tag) {
      gloo::BarrierOptions opts(context_);
      opts.setTag(tag);
      gloo::barrier(opts);
    });
  }

 private:
  using Body = std::function<void(uint32_t tag)>;
  struct Task {
    WorkPtr work;
    uint32_t tag;
    Body body;
  };
  struct PointToPoint {
    WorkPtr work;
    Tensor tensor;  // keeps the buffer's memory alive
    std::unique_ptr<gloo::transport::UnboundBuffer> buffer;
    bool is_send;
  };

  void connect() {
    context_ = std::make_shared<gloo::rendezvous::Context>(rank(), size());
    context_->setTimeout(options().timeout);
    try {
      auto device = gloo::transport::tcp::CreateDevice(device_attributes());
      GlooStoreAdapter store(this->store());
      context_->connectFullMesh(store, device);
    } catch (const gloo::Exception& error) {
      detail::raise<DistBackendError>("[init_process_group] gloo: rank ", rank(), " of group '",
                                      options().group_name, "' could not connect to its ",
                                      size() - 1, " peers: ", error.what());
    }
    learn_peer_addresses();
    liveness_.exchange(*this->store(), rank(), size());
  }

  // Gloo's errors name the peer's address ("[127.0.0.1]:4242"); every rank publishes the
  // addresses of its pairs so that an error can name the peer's rank.
  void learn_peer_addresses() {
    std::string mine;
    for (int peer = 0; peer < size(); ++peer) {
      if (peer != rank()) mine += context_->getPair(peer)->address().str() + "\n";
    }
    store()->set("gloo/addresses/" + std::to_string(rank()), mine);
    for (int peer = 0; peer < size(); ++peer) {
      if (peer == rank()) continue;
      const std::string theirs = store()->get_string("gloo/addresses/" + std::to_string(peer));
      size_t start = 0;
      for (size_t end; (end = theirs.find('\n', start)) != std::string::npos; start = end + 1) {
        peer_addresses_.emplace(theirs.substr(start, end - start), peer);
      }
    }
  }

  std::string error_message(const std::string& op, const std::string& engine_message) const {
    std::string text = "[" + op + "] rank " + std::to_string(rank()) + " of group '" +
                       options().group_name + "': ";
    // A peer on this host is known dead once its process is gone; the socket closes a moment
    // before the exiting process is reaped, so a closed connection is given a short grace.
    for (int attempt = 0; attempt < 10; ++attempt) {
      const std::string dead = liveness_.describe_dead_peers();
      if (!dead.empty()) return text + dead + ": " + engine_message;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (const auto& [address, peer] : peer_addresses_) {
      if (!address.empty() && engine_message.find(address) != std::string::npos) {
        text += "peer rank " + std::to_string(peer) + " failed or closed its connection: ";
        break;
      }
    }
    return text + engine_message;
  }

  // The first failure breaks the group (its peers' state is unknown): later operations fail at
  // once, naming it.
  std::exception_ptr fail_group(const std::string& op, const std::string& engine_message) {
    const std::string message = error_message(op, engine_message);
    std::lock_guard lock(mutex_);
    if (broken_.empty()) broken_ = message;
    return std::make_exception_ptr(DistBackendError(message));
  }

  std::exception_ptr broken_error(const std::string& op) const {
    return std::make_exception_ptr(DistBackendError(
        "[" + op + "] rank " + std::to_string(rank()) + " of group '" + options().group_name +
        "' is unusable after an earlier failure: " + broken_));
  }

  std::exception_ptr destroyed_error(const std::string& op) const {
    return std::make_exception_ptr(DistBackendError("[" + op + "] rank " + std::to_string(rank()) +
                                                    " of group '" + options().group_name +
                                                    "': process group destroyed"));
  }

  WorkPtr enqueue(const char* op, std::vector<Tensor> outputs, Body body) {
    auto work = std::make_shared<Work>(op, std::move(outputs));
    {
      std::lock_guard lock(mutex_);
      if (!broken_.empty()) {
        work->finish(broken_error(op));
        return work;
      }
      // Every rank issues collectives in one order, so equal tags match across ranks.
      collectives_.push_back(Task{work, next_tag_++, std::move(body)});
    }
    // try_lock: another thread already helping (or a step of a work this thread finishes,
    // waiting on another) just waits.
    work->set_wait_helper([help = wait_help_, target = work.get()] {
      std::unique_lock help_lock(help->mutex, std::try_to_lock);
      if (help_lock.owns_lock() && help->group != nullptr) help->group->run_queued_until(target);
    });
    wake_.notify_all();
    return work;
  }

  // The worker thread: queued collectives in order, one at a time (a waiting thread may run some
  // of them instead, run_queued_until).
  void run_collectives() {
    for (;;) {
      Task task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || (!collectives_.empty() && !running_); });
        if (collectives_.empty()) return;
        task = take_next_task();
      }
      run_task(task);
    }
  }

  // In a thread waiting on `target`: runs the queued collectives up to and including it while
  // the worker is idle. Waking a sleeping thread costs up to milliseconds on machines whose idle
  // vCPUs halt, which made a 1 MB all_reduce several times slower than Gloo's own call.
  void run_queued_until(const Work* target) {
    for (;;) {
      Task task;
      {
        std::lock_guard lock(mutex_);
        if (stopping_ || running_ || collectives_.empty()) return;
        task = take_next_task();
      }
      run_task(task);
      if (task.work.get() == target) return;
    }
  }

  // Under mutex_: the next task, marked running.
  Task take_next_task() {
    Task task = std::move(collectives_.front());
    collectives_.pop_front();
    running_ = true;
    return task;
  }

  void run_task(Task& task) {
    std::exception_ptr error;
    {
      std::lock_guard lock(mutex_);
      if (!broken_.empty()) error = broken_error(task.work->op());
    }
    if (!error) {
      try {
        NoGradGuard no_grad;
        task.body(task.tag);
      } catch (const gloo::Exception& failure) {
        error = fail_group(task.work->op(), failure.what());
      } catch (...) {
        error = std::current_exception();
      }
    }
    {
      std::lock_guard lock(mutex_);
      running_ = false;
    }
    wake_.notify_all();
    task.work->finish(error);
  }

  // Sends and receives are posted at once in the caller's thread (so a send and the matching
  // receive never wait on each other's queues); one thread waits for them in order.
  WorkPtr post_point_to_point(const char* op, Tensor& tensor, int peer, int tag) {
    auto work = std::make_shared<Work>(op, std::vector<Tensor>{tensor});
    const bool is_send = std::string(op) == "send";
    std::lock_guard lock(mutex_);
    if (!broken_.empty()) {
      work->finish(broken_error(op));
      return work;
    }
    auto buffer = context_->createUnboundBuffer(tensor.data_ptr(), tensor.nbytes());
    const auto slot = static_cast<uint64_t>(tag);
    if (is_send) {
      buffer->send(peer, slot);
    } else if (peer >= 0) {
      buffer->recv(peer, slot);
    } else {
      std::vector<int> sources;
      for (int r = 0; r < size(); ++r) {
        if (r != rank()) sources.push_back(r);
      }
      buffer->recv(sources, slot);
    }
    p2p_.push_back(PointToPoint{work, tensor, std::move(buffer), is_send});
    wake_.notify_all();
    return work;
  }

  void run_point_to_point() {
    for (;;) {
      PointToPoint task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || !p2p_.empty(); });
        if (p2p_.empty()) return;
        task = std::move(p2p_.front());
        p2p_.pop_front();
        p2p_current_ = task.buffer.get();
      }
      std::exception_ptr error;
      int peer = -1;
      try {
        const bool done = task.is_send ? task.buffer->waitSend(&peer, options().timeout)
                                       : task.buffer->waitRecv(&peer, options().timeout);
        if (!done) error = destroyed_error(task.work->op());
      } catch (const gloo::Exception& failure) {
        error = fail_group(task.work->op(), failure.what());
      }
      {
        std::lock_guard lock(mutex_);
        p2p_current_ = nullptr;
      }
      if (!error && !task.is_send) task.work->set_source_rank(peer);
      task.work->finish(error);
    }
  }

  void all_gather_into(const Tensor& output, const Tensor& input, uint32_t tag) {
    if (input.numel() == 0) return;
    gloo::AllgatherOptions opts(context_);
    with_element_type(input.dtype(), [&](auto* type) {
      using T = std::remove_pointer_t<decltype(type)>;
      opts.setInput(data_of<T>(input), static_cast<size_t>(input.numel()));
      opts.setOutput(data_of<T>(output), static_cast<size_t>(output.numel()));
    });
    opts.setTag(tag);
    gloo::allgather(opts);
  }

  static void copy_chunks_out(const Tensor& gathered, const std::vector<Tensor>& outputs) {
    int64_t offset = 0;
    for (Tensor output : outputs) {
      output.view({output.numel()}).copy_(gathered.narrow(0, offset, output.numel()));
      offset += output.numel();
    }
  }

  std::shared_ptr<gloo::rendezvous::Context> context_;
  std::map<std::string, int> peer_addresses_;
  PeerLiveness liveness_;
  // What a work's wait helper reaches the group through: null once the group is destroyed.
  struct WaitHelp {
    std::mutex mutex;
    ProcessGroupGloo* group = nullptr;
  };
  std::shared_ptr<WaitHelp> wait_help_ = std::make_shared<WaitHelp>();
  // A collective's body is running (in the worker or in a waiting thread).
  bool running_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  // The first failure's message; empty while the group is usable.
  std::string broken_;
  uint32_t next_tag_ = 0;
  std::deque<Task> collectives_;
  std::deque<PointToPoint> p2p_;
  gloo::transport::UnboundBuffer* p2p_current_ = nullptr;
  std::thread worker_;
  std::thread p2p_worker_;
};

}  // namespace

std::shared_ptr<ProcessGroup> make_gloo_process_group(std::shared_ptr<Store> store, int rank,
                                                      int size,
                                                      const ProcessGroupOptions& options) {
  return std::make_shared<ProcessGroupGloo>(std::move(store), rank, size, options);
}

}  // namespace ember::distributed
