// ember._C._distributed's top-level API: init_process_group, the groups and the collectives of
// ember/distributed/distributed.h, with PyTorch's conventions (global ranks for roots, sources
// and destinations; a Work when async_op, else None after the operation finished). Every call
// releases the GIL: rendezvous and collectives block, and the ranks of a test may be threads.
#include <nanobind/stl/chrono.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <utility>

#include "convert.h"
#include "distributed_bindings.h"
#include "ember/distributed/distributed.h"

namespace ember::python {
namespace {

using namespace ember::distributed;
using Group = std::shared_ptr<ProcessGroup>;

// Runs `call` without the GIL; returns its Work (None when the call waited itself).
template <typename Call>
WorkPtr released(Call&& call) {
  nb::gil_scoped_release release;
  return call();
}

}  // namespace

void init_distributed_api(nb::module_& m) {
  m.def(
      "init_process_group",
      [](std::optional<std::string> backend, std::optional<std::string> init_method, int rank,
         int world_size, std::optional<Duration> timeout, std::shared_ptr<Store> store,
         const std::string& group_name) {
        // None keeps InitOptions' default: the defaults are decided once, in C++.
        InitOptions options;
        if (backend) options.backend = *backend;
        if (init_method) options.init_method = *init_method;
        if (timeout) options.timeout = *timeout;
        options.rank = rank;
        options.world_size = world_size;
        options.store = std::move(store);
        options.group_name = group_name;
        nb::gil_scoped_release release;
        init_process_group(options);
      },
      nb::arg("backend").none(), nb::arg("init_method").none(), nb::arg("rank"),
      nb::arg("world_size"), nb::arg("timeout").none(), nb::arg("store").none(),
      nb::arg("group_name"));
  m.def(
      "destroy_process_group",
      [](Group group) {
        nb::gil_scoped_release release;
        destroy_process_group(std::move(group));
      },
      nb::arg("group").none());
  m.def("is_initialized", &is_initialized);
  m.def("get_rank", &get_rank, nb::arg("group").none());
  m.def("get_world_size", &get_world_size, nb::arg("group").none());
  m.def("get_backend", &get_backend, nb::arg("group").none());
  m.def("_default_group", &default_group);
  m.def(
      "new_group",
      [](std::vector<int> ranks, std::optional<Duration> timeout,
         std::optional<std::string> backend) {
        nb::gil_scoped_release release;
        return new_group(std::move(ranks), timeout, std::move(backend));
      },
      nb::arg("ranks"), nb::arg("timeout").none(), nb::arg("backend").none());
  m.def("get_group_rank", &get_group_rank, nb::arg("group").none(), nb::arg("global_rank"));
  m.def("get_global_rank", &get_global_rank, nb::arg("group").none(), nb::arg("group_rank"));
  m.def("get_process_group_ranks", &get_process_group_ranks, nb::arg("group").none());

  m.def(
      "all_reduce",
      [](Tensor tensor, ReduceOp op, Group group, bool async_op) {
        return released([&] { return all_reduce(tensor, op, group, async_op); });
      },
      nb::arg("tensor"), nb::arg("op"), nb::arg("group").none(), nb::arg("async_op"));
  m.def(
      "broadcast",
      [](Tensor tensor, int src, Group group, bool async_op) {
        return released([&] { return broadcast(tensor, src, group, async_op); });
      },
      nb::arg("tensor"), nb::arg("src"), nb::arg("group").none(), nb::arg("async_op"));
  m.def(
      "reduce",
      [](Tensor tensor, int dst, ReduceOp op, Group group, bool async_op) {
        return released([&] { return reduce(tensor, dst, op, group, async_op); });
      },
      nb::arg("tensor"), nb::arg("dst"), nb::arg("op"), nb::arg("group").none(),
      nb::arg("async_op"));
  m.def(
      "all_gather",
      [](std::vector<Tensor> outputs, Tensor input, Group group, bool async_op) {
        return released([&] { return all_gather(outputs, input, group, async_op); });
      },
      nb::arg("tensor_list"), nb::arg("tensor"), nb::arg("group").none(), nb::arg("async_op"));
  m.def(
      "all_gather_into_tensor",
      [](Tensor output, Tensor input, Group group, bool async_op) {
        return released([&] { return all_gather_into_tensor(output, input, group, async_op); });
      },
      nb::arg("output_tensor"), nb::arg("input_tensor"), nb::arg("group").none(),
      nb::arg("async_op"));
  m.def(
      "reduce_scatter",
      [](Tensor output, std::vector<Tensor> inputs, ReduceOp op, Group group, bool async_op) {
        return released([&] { return reduce_scatter(output, inputs, op, group, async_op); });
      },
      nb::arg("output"), nb::arg("input_list"), nb::arg("op"), nb::arg("group").none(),
      nb::arg("async_op"));
  m.def(
      "reduce_scatter_tensor",
      [](Tensor output, Tensor input, ReduceOp op, Group group, bool async_op) {
        return released([&] { return reduce_scatter_tensor(output, input, op, group, async_op); });
      },
      nb::arg("output"), nb::arg("input"), nb::arg("op"), nb::arg("group").none(),
      nb::arg("async_op"));
  m.def(
      "gather",
      [](Tensor input, std::vector<Tensor> outputs, int dst, Group group, bool async_op) {
        return released([&] { return gather(input, outputs, dst, group, async_op); });
      },
      nb::arg("tensor"), nb::arg("gather_list"), nb::arg("dst"), nb::arg("group").none(),
      nb::arg("async_op"));
  m.def(
      "scatter",
      [](Tensor output, std::vector<Tensor> inputs, int src, Group group, bool async_op) {
        return released([&] { return scatter(output, inputs, src, group, async_op); });
      },
      nb::arg("tensor"), nb::arg("scatter_list"), nb::arg("src"), nb::arg("group").none(),
      nb::arg("async_op"));
  m.def(
      "all_to_all",
      [](std::vector<Tensor> outputs, std::vector<Tensor> inputs, Group group, bool async_op) {
        return released([&] { return all_to_all(outputs, inputs, group, async_op); });
      },
      nb::arg("output_tensor_list"), nb::arg("input_tensor_list"), nb::arg("group").none(),
      nb::arg("async_op"));
  m.def(
      "all_to_all_single",
      [](Tensor output, Tensor input, std::vector<int64_t> output_splits,
         std::vector<int64_t> input_splits, Group group, bool async_op) {
        return released([&] {
          return all_to_all_single(output, input, output_splits, input_splits, group, async_op);
        });
      },
      nb::arg("output"), nb::arg("input"), nb::arg("output_split_sizes"),
      nb::arg("input_split_sizes"), nb::arg("group").none(), nb::arg("async_op"));
  m.def(
      "send",
      [](Tensor tensor, int dst, Group group, int tag) {
        nb::gil_scoped_release release;
        send(tensor, dst, group, tag);
      },
      nb::arg("tensor"), nb::arg("dst"), nb::arg("group").none(), nb::arg("tag"));
  m.def(
      "recv",
      [](Tensor tensor, int src, Group group, int tag) {
        nb::gil_scoped_release release;
        return recv(tensor, src, group, tag);
      },
      nb::arg("tensor"), nb::arg("src"), nb::arg("group").none(), nb::arg("tag"));
  m.def(
      "isend",
      [](Tensor tensor, int dst, Group group, int tag) {
        return released([&] { return isend(tensor, dst, group, tag); });
      },
      nb::arg("tensor"), nb::arg("dst"), nb::arg("group").none(), nb::arg("tag"));
  m.def(
      "irecv",
      [](Tensor tensor, int src, Group group, int tag) {
        return released([&] { return irecv(tensor, src, group, tag); });
      },
      nb::arg("tensor"), nb::arg("src"), nb::arg("group").none(), nb::arg("tag"));
  m.def(
      "barrier",
      [](Group group, bool async_op) { return released([&] { return barrier(group, async_op); }); },
      nb::arg("group").none(), nb::arg("async_op"));
}

}  // namespace ember::python
