// The top-level API (Note [Distributed: stores and rendezvous]): one registry per process of the
// default group, the groups new_group made and their members' global ranks. Collectives look their
// group up, translate global ranks to group ranks and hand over to ProcessGroup.
#include "ember/distributed/distributed.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <utility>

#include "ember/base/error.h"
#include "ember/distributed/backends.h"
#include "ember/distributed/rendezvous.h"

namespace ember::distributed {
namespace {

// A blocking call waits this much beyond the group's timeout, so that the engine's own timeout
// error (which names the peer) normally comes first; Work::wait's is the backstop.
constexpr Duration kWaitMargin = std::chrono::seconds(2);

struct GroupEntry {
  GroupPtr group;
  // The members' global ranks in group-rank order.
  std::vector<int> global_ranks;
};

struct World {
  std::mutex mutex;
  // The store every group's PrefixStore sits on (the rendezvous's or the caller's).
  std::shared_ptr<Store> store;
  GroupPtr default_group;
  std::string backend;
  Duration timeout{};
  // Set while init_process_group runs, so that a second concurrent call fails too.
  bool initializing = false;
  std::vector<GroupEntry> groups;
  // Names of new groups; every rank counts every new_group call, so names agree across ranks.
  int next_group = 1;
};

World& world() {
  static World instance;
  return instance;
}

[[noreturn]] void raise_not_initialized(const char* op) {
  detail::raise<RuntimeError>("[", op,
                              "] Default process group has not been initialized, please make sure "
                              "to call init_process_group.");
}

// The group a call runs on and its members' global ranks.
GroupEntry resolve(const char* op, const GroupPtr& group) {
  World& state = world();
  std::lock_guard lock(state.mutex);
  if (!state.default_group) raise_not_initialized(op);
  const GroupPtr& wanted = group ? group : state.default_group;
  for (const GroupEntry& entry : state.groups) {
    if (entry.group == wanted) return entry;
  }
  detail::raise<ValueError>("[", op, "] the process group '", wanted->options().group_name,
                            "' is not one of this process's groups (destroyed, or not made by "
                            "init_process_group or new_group)");
}

int group_rank_of(const char* op, const GroupEntry& entry, int global_rank) {
  const auto found = std::find(entry.global_ranks.begin(), entry.global_ranks.end(), global_rank);
  EMBER_CHECK_VALUE(found != entry.global_ranks.end(), "[", op, "] global rank ", global_rank,
                    " is not part of group '", entry.group->options().group_name,
                    "' (its global ranks: ", entry.global_ranks.size(), " of them, from ",
                    entry.global_ranks.front(), " to ", entry.global_ranks.back(), ")");
  return static_cast<int>(found - entry.global_ranks.begin());
}

int global_rank_of(const char* op, const GroupEntry& entry, int group_rank) {
  EMBER_CHECK_VALUE(group_rank >= 0 && group_rank < static_cast<int>(entry.global_ranks.size()),
                    "[", op, "] group rank ", group_rank, " is not in group '",
                    entry.group->options().group_name, "' of size ", entry.global_ranks.size());
  return entry.global_ranks[static_cast<size_t>(group_rank)];
}

WorkPtr complete(const GroupEntry& entry, WorkPtr work, bool async_op) {
  if (async_op) return work;
  work->wait(entry.group->options().timeout + kWaitMargin);
  return nullptr;
}

// mpirun's rank and size (Open MPI's, or the PMI ones of MPICH-like launchers); -1 when absent.
int launcher_value(const char* open_mpi, const char* pmi) {
  for (const char* name : {open_mpi, pmi}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return std::atoi(value);
  }
  return -1;
}

std::vector<int> identity_ranks(int size) {
  std::vector<int> ranks(static_cast<size_t>(size));
  for (int i = 0; i < size; ++i) ranks[static_cast<size_t>(i)] = i;
  return ranks;
}

}  // namespace

void init_process_group(const InitOptions& options) {
  World& state = world();
  {
    std::lock_guard lock(state.mutex);
    EMBER_CHECK(!state.default_group && !state.initializing,
                "[init_process_group] trying to initialize the default process group twice!");
    state.initializing = true;
  }
  // Cleared on every way out, so that a failed init can be retried.
  struct Initializing {
    World& state;
    ~Initializing() {
      std::lock_guard lock(state.mutex);
      state.initializing = false;
    }
  } initializing{state};

  EMBER_CHECK_VALUE(options.timeout.count() > 0,
                    "[init_process_group] timeout must be positive; got ", options.timeout.count(),
                    " ms");
  int rank = options.rank;
  int world_size = options.world_size;
  std::shared_ptr<Store> store = options.store;
  if (options.backend == "mpi") {
    if (rank < 0) rank = launcher_value("OMPI_COMM_WORLD_RANK", "PMI_RANK");
    if (world_size < 0) world_size = launcher_value("OMPI_COMM_WORLD_SIZE", "PMI_SIZE");
    // MPI needs no rendezvous; a local store serves unless env:// can give a shared one.
    const bool env_rendezvous = options.init_method == "env://" && std::getenv("MASTER_ADDR");
    if (!store && !env_rendezvous && options.init_method == "env://") {
      store = std::make_shared<HashStore>(options.timeout);
    }
  }
  if (store) {
    EMBER_CHECK_VALUE(rank >= 0 && world_size >= 1 && rank < world_size,
                      "[init_process_group] with a store (or the mpi backend), rank and "
                      "world_size must be given; got rank ",
                      rank, " and world_size ", world_size);
  } else {
    RendezvousResult found = rendezvous(options.init_method, rank, world_size, options.timeout);
    store = std::move(found.store);
    rank = found.rank;
    world_size = found.world_size;
  }
  ProcessGroupOptions group_options;
  group_options.timeout = options.timeout;
  group_options.group_name = options.group_name.empty() ? "default_pg" : options.group_name;
  auto group_store = std::make_shared<PrefixStore>(group_options.group_name, store);
  GroupPtr group =
      make_process_group(options.backend, group_store, rank, world_size, group_options);

  std::lock_guard lock(state.mutex);
  state.store = std::move(store);
  state.default_group = group;
  state.backend = options.backend;
  state.timeout = options.timeout;
  state.groups = {GroupEntry{group, identity_ranks(world_size)}};
  state.next_group = 1;
}

void destroy_process_group(const GroupPtr& group) {
  World& state = world();
  std::vector<GroupEntry> released;
  {
    std::lock_guard lock(state.mutex);
    if (!state.default_group) raise_not_initialized("destroy_process_group");
    if (!group || group == state.default_group) {
      released = std::move(state.groups);
      state.groups.clear();
      state.default_group.reset();
      state.store.reset();
      state.next_group = 1;
    } else {
      const auto found =
          std::find_if(state.groups.begin(), state.groups.end(),
                       [&](const GroupEntry& entry) { return entry.group == group; });
      EMBER_CHECK_VALUE(found != state.groups.end(), "[destroy_process_group] the process group '",
                        group->options().group_name, "' is not one of this process's groups");
      released.push_back(std::move(*found));
      state.groups.erase(found);
    }
  }
  // The groups' engines shut down (threads joined) outside the registry's lock.
  released.clear();
}

bool is_initialized() {
  World& state = world();
  std::lock_guard lock(state.mutex);
  return state.default_group != nullptr;
}

GroupPtr default_group() {
  World& state = world();
  std::lock_guard lock(state.mutex);
  if (!state.default_group) raise_not_initialized("default_group");
  return state.default_group;
}

int get_rank(const GroupPtr& group) { return resolve("get_rank", group).group->rank(); }

int get_world_size(const GroupPtr& group) { return resolve("get_world_size", group).group->size(); }

std::string get_backend(const GroupPtr& group) {
  return resolve("get_backend", group).group->backend_name();
}

GroupPtr new_group(std::vector<int> ranks, std::optional<Duration> timeout,
                   std::optional<std::string> backend) {
  World& state = world();
  std::shared_ptr<Store> store;
  std::string name;
  int world_size = 0;
  int my_rank = 0;
  {
    std::lock_guard lock(state.mutex);
    if (!state.default_group) raise_not_initialized("new_group");
    store = state.store;
    world_size = state.default_group->size();
    my_rank = state.default_group->rank();
    if (!timeout) timeout = state.timeout;
    if (!backend) backend = state.backend;
    name = std::to_string(state.next_group++);
  }
  if (ranks.empty()) ranks = identity_ranks(world_size);
  std::sort(ranks.begin(), ranks.end());
  for (size_t i = 0; i < ranks.size(); ++i) {
    EMBER_CHECK_VALUE(ranks[i] >= 0 && ranks[i] < world_size, "[new_group] rank ", ranks[i],
                      " is not in the world of size ", world_size);
    EMBER_CHECK_VALUE(i == 0 || ranks[i] != ranks[i - 1], "[new_group] rank ", ranks[i],
                      " is listed twice");
  }
  EMBER_CHECK_VALUE(timeout->count() > 0, "[new_group] timeout must be positive; got ",
                    timeout->count(), " ms");
  const auto member = std::find(ranks.begin(), ranks.end(), my_rank);
  if (member == ranks.end()) return nullptr;

  ProcessGroupOptions options;
  options.timeout = *timeout;
  options.group_name = name;
  GroupPtr group = make_process_group(*backend, std::make_shared<PrefixStore>(name, store),
                                      static_cast<int>(member - ranks.begin()),
                                      static_cast<int>(ranks.size()), options, ranks);
  std::lock_guard lock(state.mutex);
  EMBER_CHECK(state.store == store,
              "[new_group] the default process group was destroyed while group '", name,
              "' was being made");
  state.groups.push_back(GroupEntry{group, std::move(ranks)});
  return group;
}

int get_group_rank(const GroupPtr& group, int global_rank) {
  return group_rank_of("get_group_rank", resolve("get_group_rank", group), global_rank);
}

int get_global_rank(const GroupPtr& group, int group_rank) {
  return global_rank_of("get_global_rank", resolve("get_global_rank", group), group_rank);
}

std::vector<int> get_process_group_ranks(const GroupPtr& group) {
  return resolve("get_process_group_ranks", group).global_ranks;
}

WorkPtr all_reduce(Tensor tensor, ReduceOp op, const GroupPtr& group, bool async_op) {
  const GroupEntry entry = resolve("all_reduce", group);
  return complete(entry, entry.group->all_reduce(std::move(tensor), op), async_op);
}

WorkPtr broadcast(Tensor tensor, int src, const GroupPtr& group, bool async_op) {
  const GroupEntry entry = resolve("broadcast", group);
  const int root = group_rank_of("broadcast", entry, src);
  return complete(entry, entry.group->broadcast(std::move(tensor), root), async_op);
}

WorkPtr reduce(Tensor tensor, int dst, ReduceOp op, const GroupPtr& group, bool async_op) {
  const GroupEntry entry = resolve("reduce", group);
  const int root = group_rank_of("reduce", entry, dst);
  return complete(entry, entry.group->reduce(std::move(tensor), root, op), async_op);
}

WorkPtr all_gather(std::vector<Tensor> tensor_list, Tensor tensor, const GroupPtr& group,
                   bool async_op) {
  const GroupEntry entry = resolve("all_gather", group);
  return complete(entry, entry.group->all_gather(std::move(tensor_list), std::move(tensor)),
                  async_op);
}

WorkPtr all_gather_into_tensor(Tensor output_tensor, Tensor input_tensor, const GroupPtr& group,
                               bool async_op) {
  const GroupEntry entry = resolve("all_gather_into_tensor", group);
  return complete(
      entry, entry.group->all_gather_into_tensor(std::move(output_tensor), std::move(input_tensor)),
      async_op);
}

WorkPtr reduce_scatter(Tensor output, std::vector<Tensor> input_list, ReduceOp op,
                       const GroupPtr& group, bool async_op) {
  const GroupEntry entry = resolve("reduce_scatter", group);
  return complete(entry, entry.group->reduce_scatter(std::move(output), std::move(input_list), op),
                  async_op);
}

WorkPtr reduce_scatter_tensor(Tensor output, Tensor input, ReduceOp op, const GroupPtr& group,
                              bool async_op) {
  const GroupEntry entry = resolve("reduce_scatter_tensor", group);
  return complete(
      entry, entry.group->reduce_scatter_tensor(std::move(output), std::move(input), op), async_op);
}

WorkPtr gather(Tensor tensor, std::vector<Tensor> gather_list, int dst, const GroupPtr& group,
               bool async_op) {
  const GroupEntry entry = resolve("gather", group);
  const int root = group_rank_of("gather", entry, dst);
  return complete(entry, entry.group->gather(std::move(gather_list), std::move(tensor), root),
                  async_op);
}

WorkPtr scatter(Tensor tensor, std::vector<Tensor> scatter_list, int src, const GroupPtr& group,
                bool async_op) {
  const GroupEntry entry = resolve("scatter", group);
  const int root = group_rank_of("scatter", entry, src);
  return complete(entry, entry.group->scatter(std::move(tensor), std::move(scatter_list), root),
                  async_op);
}

WorkPtr all_to_all(std::vector<Tensor> output_tensor_list, std::vector<Tensor> input_tensor_list,
                   const GroupPtr& group, bool async_op) {
  const GroupEntry entry = resolve("all_to_all", group);
  return complete(
      entry, entry.group->all_to_all(std::move(output_tensor_list), std::move(input_tensor_list)),
      async_op);
}

WorkPtr all_to_all_single(Tensor output, Tensor input, std::vector<int64_t> output_split_sizes,
                          std::vector<int64_t> input_split_sizes, const GroupPtr& group,
                          bool async_op) {
  const GroupEntry entry = resolve("all_to_all_single", group);
  return complete(
      entry,
      entry.group->all_to_all_single(std::move(output), std::move(input),
                                     std::move(output_split_sizes), std::move(input_split_sizes)),
      async_op);
}

WorkPtr isend(Tensor tensor, int dst, const GroupPtr& group, int tag) {
  const GroupEntry entry = resolve("send", group);
  return entry.group->send(std::move(tensor), group_rank_of("send", entry, dst), tag);
}

WorkPtr irecv(Tensor tensor, int src, const GroupPtr& group, int tag) {
  const GroupEntry entry = resolve("recv", group);
  const int source = src < 0 ? -1 : group_rank_of("recv", entry, src);
  return entry.group->recv(std::move(tensor), source, tag);
}

void send(Tensor tensor, int dst, const GroupPtr& group, int tag) {
  const GroupEntry entry = resolve("send", group);
  complete(entry, entry.group->send(std::move(tensor), group_rank_of("send", entry, dst), tag),
           false);
}

int recv(Tensor tensor, int src, const GroupPtr& group, int tag) {
  const GroupEntry entry = resolve("recv", group);
  const int source = src < 0 ? -1 : group_rank_of("recv", entry, src);
  const WorkPtr work = entry.group->recv(std::move(tensor), source, tag);
  complete(entry, work, false);
  const int sender = work->source_rank() >= 0 ? work->source_rank() : source;
  return global_rank_of("recv", entry, sender);
}

WorkPtr barrier(const GroupPtr& group, bool async_op) {
  const GroupEntry entry = resolve("barrier", group);
  return complete(entry, entry.group->barrier(), async_op);
}

}  // namespace ember::distributed
