// ember's distributed API for C++ programs, libtorch-like and with torch.distributed's names: one
// default process group per process (init_process_group), more groups over its store
// (new_group), and collectives as free functions. Roots, sources and destinations are GLOBAL
// ranks (ranks in the default group), as in PyTorch; each call translates them to the group's.
// `group` null means the default group. With async_op the call returns the Work at once;
// otherwise it waits (up to the group's timeout) and returns null.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ember/distributed/process_group.h"
#include "ember/distributed/store.h"
#include "ember/distributed/types.h"
#include "ember/distributed/work.h"
#include "ember/tensor/tensor.h"

namespace ember::distributed {

using GroupPtr = std::shared_ptr<ProcessGroup>;

struct InitOptions {
  // "gloo", "mpi" or "nccl".
  std::string backend = "gloo";
  // "env://", "tcp://host:port" or "file:///path" (rendezvous.h); ignored when `store` is set.
  std::string init_method = "env://";
  // -1: from the environment (env://) or the URL's query; required with `store`.
  int rank = -1;
  int world_size = -1;
  Duration timeout = kDefaultTimeout;
  // A store every rank already shares (instead of a rendezvous).
  std::shared_ptr<Store> store;
  // The default group's name ("default_pg" when empty).
  std::string group_name;
};

// Raises RuntimeError if a default group exists already. With backend "mpi" and no rank given,
// rank and world size come from mpirun's environment (OMPI_COMM_WORLD_RANK/SIZE or PMI_RANK/SIZE)
// and the store from env:// when MASTER_ADDR is set, else a store local to this process.
void init_process_group(const InitOptions& options = {});
// Null: every group and the default one (the process may init again); else that group only.
void destroy_process_group(const GroupPtr& group = nullptr);
bool is_initialized();
GroupPtr default_group();
// This process's rank in the group (default: the global rank), and the group's size.
int get_rank(const GroupPtr& group = nullptr);
int get_world_size(const GroupPtr& group = nullptr);
std::string get_backend(const GroupPtr& group = nullptr);
// A group of `ranks` (global ranks; empty: all), ranked in ascending global-rank order. Every
// rank of the world calls it in the same order (PyTorch's rule), members and non-members alike;
// non-members get null (PyTorch's GroupMember.NON_GROUP_MEMBER). Each group gets the name "1",
// "2", ... and its own PrefixStore "<name>/" over the default group's store. timeout and backend
// default to the default group's.
GroupPtr new_group(std::vector<int> ranks = {}, std::optional<Duration> timeout = std::nullopt,
                   std::optional<std::string> backend = std::nullopt);
// Rank translation; ValueError when the rank is not in the group.
int get_group_rank(const GroupPtr& group, int global_rank);
int get_global_rank(const GroupPtr& group, int group_rank);
// The members' global ranks in group-rank order.
std::vector<int> get_process_group_ranks(const GroupPtr& group);

WorkPtr all_reduce(Tensor tensor, ReduceOp op = ReduceOp::Sum, const GroupPtr& group = nullptr,
                   bool async_op = false);
WorkPtr broadcast(Tensor tensor, int src, const GroupPtr& group = nullptr, bool async_op = false);
WorkPtr reduce(Tensor tensor, int dst, ReduceOp op = ReduceOp::Sum, const GroupPtr& group = nullptr,
               bool async_op = false);
WorkPtr all_gather(std::vector<Tensor> tensor_list, Tensor tensor, const GroupPtr& group = nullptr,
                   bool async_op = false);
WorkPtr all_gather_into_tensor(Tensor output_tensor, Tensor input_tensor,
                               const GroupPtr& group = nullptr, bool async_op = false);
WorkPtr reduce_scatter(Tensor output, std::vector<Tensor> input_list, ReduceOp op = ReduceOp::Sum,
                       const GroupPtr& group = nullptr, bool async_op = false);
WorkPtr reduce_scatter_tensor(Tensor output, Tensor input, ReduceOp op = ReduceOp::Sum,
                              const GroupPtr& group = nullptr, bool async_op = false);
// gather_list: the group's size tensors on dst, empty elsewhere.
WorkPtr gather(Tensor tensor, std::vector<Tensor> gather_list, int dst,
               const GroupPtr& group = nullptr, bool async_op = false);
// scatter_list: the group's size tensors on src, empty elsewhere.
WorkPtr scatter(Tensor tensor, std::vector<Tensor> scatter_list, int src,
                const GroupPtr& group = nullptr, bool async_op = false);
WorkPtr all_to_all(std::vector<Tensor> output_tensor_list, std::vector<Tensor> input_tensor_list,
                   const GroupPtr& group = nullptr, bool async_op = false);
WorkPtr all_to_all_single(Tensor output, Tensor input, std::vector<int64_t> output_split_sizes = {},
                          std::vector<int64_t> input_split_sizes = {},
                          const GroupPtr& group = nullptr, bool async_op = false);
void send(Tensor tensor, int dst, const GroupPtr& group = nullptr, int tag = 0);
// src -1: any rank. Returns the sender's global rank.
int recv(Tensor tensor, int src = -1, const GroupPtr& group = nullptr, int tag = 0);
WorkPtr isend(Tensor tensor, int dst, const GroupPtr& group = nullptr, int tag = 0);
// The Work's source_rank() is the sender's rank in the group (get_global_rank translates it).
WorkPtr irecv(Tensor tensor, int src = -1, const GroupPtr& group = nullptr, int tag = 0);
WorkPtr barrier(const GroupPtr& group = nullptr, bool async_op = false);

}  // namespace ember::distributed
