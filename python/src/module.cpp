// ember._C: error translation, global settings, and the init_* of every binding area.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include "convert.h"
#include "cuda_bindings.h"
#include "cuda_memory.h"
#include "distributed_bindings.h"
#include "distributed_reducer.h"
#include "distributions.h"
#include "ember/backend/cpu/kernel_table.h"
#include "ember/base/linalg_error.h"
#include "ember/base/parallel.h"
#include "ember/base/version.h"
#include "ember/tensor/allocator.h"
#include "env_bindings.h"
#include "env_space_batching.h"
#include "env_wrappers.h"
#include "nn.h"
#include "optim.h"
#include "serialize.h"
#include "shared_memory.h"
#include "streams.h"

namespace nb = nanobind;

NB_MODULE(_C, module) {
  using namespace ember;
  using namespace ember::python;

  // Statics that hold Python objects keep handles: a static nb::object would be released after
  // the interpreter has shut down. The module attribute owns the exception type.
  static nb::handle out_of_memory_error = [&] {
    nb::object error_type = nb::steal(PyErr_NewExceptionWithDoc(
        "ember.OutOfMemoryError", "Raised when an allocation fails (a RuntimeError).",
        PyExc_RuntimeError, nullptr));
    module.attr("OutOfMemoryError") = error_type;
    return error_type.ptr();
  }();
  // torch.linalg.LinAlgError's counterpart; ember.linalg re-exports it (set after init_linalg).
  static nb::handle linalg_error = [&] {
    nb::object error_type = nb::steal(PyErr_NewExceptionWithDoc(
        "ember.linalg.LinAlgError",
        "Raised when a linear-algebra op fails on valid input: a singular or indefinite matrix, "
        "or an algorithm that does not converge (a RuntimeError).",
        PyExc_RuntimeError, nullptr));
    module.attr("_LinAlgError") = error_type;
    return error_type.ptr();
  }();
  // ember's typed errors become the Python exceptions PyTorch raises for the same mistakes.
  nb::register_exception_translator([](const std::exception_ptr& failure, void*) {
    try {
      std::rethrow_exception(failure);
    } catch (const ember::IndexError& error) {
      PyErr_SetString(PyExc_IndexError, error.what());
    } catch (const ember::ValueError& error) {
      PyErr_SetString(PyExc_ValueError, error.what());
    } catch (const ember::TypeError& error) {
      PyErr_SetString(PyExc_TypeError, error.what());
    } catch (const ember::NotImplementedError& error) {
      PyErr_SetString(PyExc_NotImplementedError, error.what());
    } catch (const ember::OutOfMemoryError& error) {
      PyErr_SetString(out_of_memory_error.ptr(), error.what());
    } catch (const ember::LinAlgError& error) {
      PyErr_SetString(linalg_error.ptr(), error.what());
    } catch (const ember::Error& error) {
      PyErr_SetString(PyExc_RuntimeError, error.what());
    }
  });

  // Graphs that Python objects hold (hooks, custom Functions) can form reference cycles through
  // C++ that the collector cannot see; at interpreter exit those are reported as leaks even
  // though the process is ending. The report would bury real leaks in noise, so it is off.
  nb::set_leak_warnings(false);

  module.attr("__version__") = ember::version();
  module.def("set_num_threads", &ember::set_num_threads, nb::arg("threads"),
             "Sets the number of threads of the intra-op pool.",
             nb::sig("def set_num_threads(threads) -> None"));
  module.def("get_num_threads", &ember::get_num_threads, nb::sig("def get_num_threads() -> int"),
             "The number of threads of the intra-op pool.");
  module.def(
      "_cpu_capability",
      [] { return std::string(ember::cpu::capability_name(ember::cpu::kernels().capability)); },
      "The instruction set of the kernels in use: default, avx2 or avx512 (the widest the CPU "
      "supports unless EMBER_CPU_CAPABILITY names a narrower one).");
  module.def("_empty_cache", &ember::cpu_allocator::empty_cache);
  module.def("_allocator_stats", [] {
    const auto stats = ember::cpu_allocator::stats();
    nb::dict result;
    result["allocated_bytes"] = stats.allocated_bytes;
    result["cached_bytes"] = stats.cached_bytes;
    result["cache_hits"] = stats.cache_hits;
    result["cache_misses"] = stats.cache_misses;
    return result;
  });
  module.def("_cuda_is_available", &ember::cuda::is_available);
  module.def("_cuda_device_count", &ember::cuda::device_count);

  init_dtypes(module);
  // dynamic_attr: attributes set on a tensor object stay with it (and .grad's object is kept
  // there, so that p.grad is p.grad).
  // type_slots: the garbage collector sees what the tensor's C++ side holds from Python, and
  // __init__ accepts instances that a subclass's __new__ made.
  // is_weak_referenceable: as in PyTorch (weakref.ref(tensor) works).
  auto tensor_class = nb::class_<Tensor>(module, "Tensor",
                                         "A multi-dimensional array of one dtype on one device, "
                                         "with autograd.",
                                         nb::dynamic_attr(), nb::is_weak_referenceable(),
                                         nb::type_slots(tensor_type_slots()));
  // First: every tensor object is made through it from here on.
  init_object_identity(tensor_class);
  init_tensor(tensor_class);
  init_tensor_reductions(tensor_class);
  init_indexing(tensor_class);
  init_scatter(module, tensor_class);
  init_numpy(module, tensor_class);
  init_autograd(module, tensor_class);
  init_ops(module);
  init_compare(module, tensor_class);
  init_math(module, tensor_class);
  init_creation(module);
  init_shape(module, tensor_class);
  init_scan(module, tensor_class);
  init_util(module, tensor_class);
  init_linalg(module, tensor_class);
  module.attr("_linalg").attr("LinAlgError") = module.attr("_LinAlgError");
  init_random(module, tensor_class);
  // nn.functional's ops: ember._C._nn, filled by one init_nn_* per family (python/src/nn_*.cpp).
  nb::module_ nn_module = module.def_submodule("_nn", "nn.functional's ops.");
  init_nn_activation(module, tensor_class, nn_module);
  init_nn_init(nn_module);
  init_nn_linear(nn_module, module);
  init_nn_loss(nn_module);
  init_nn_norm(nn_module);
  init_nn_utils(nn_module, module);
  init_nn_pool(nn_module, module);
  init_nn_shape(nn_module, module);
  init_nn_conv(nn_module, module);
  init_nn_interp(nn_module);
  init_nn_unpool(nn_module);
  init_nn_transformer(nn_module);
  init_nn_attention(nn_module);
  init_nn_rnn_packing(nn_module, module);
  init_nn_rnn(nn_module);
  // ember.optim's fused update ops: ember._C._optim (python/src/optim*.cpp).
  init_optim(module);
  // ember.safetensors' reader and writer: ember._C._safetensors (python/src/serialize_*.cpp).
  init_serialize_safetensors(module);
  init_serialize_dlpack(module, tensor_class);
  // ember.save / ember.load's format: ember._C._checkpoint (python/src/serialize_checkpoint.cpp).
  init_serialize_checkpoint(module);
  // The recurrent ops: ember.lstm_cell, ember.lstm, ... (python/src/rnn_ops.cpp).
  init_rnn_ops(module);
  // Tensor.share_memory_ / is_shared and DataLoader workers' segments
  // (python/src/shared_memory.cpp).
  init_shared_memory(module, tensor_class);
  // ember.distributions' C++ math: ember._C._distributions (python/src/distributions.cpp).
  init_distributions(module);
  // ember.data.streams' live streams: ember._C._streams (python/src/streams.cpp).
  init_streams(module);
  // ember.distributed's errors, stores, process groups and collectives: ember._C._distributed
  // (python/src/distributed*.cpp), before the reducer's bindings that take its ProcessGroup.
  init_distributed(module);
  // DistributedDataParallel's reducer: ember._C._ddp (python/src/distributed_reducer.cpp).
  init_distributed_reducer(module);
  // ember.env's spaces and environments: ember._C._env (python/src/env*.cpp).
  init_env(module);
  // ember.env's wrappers, registry and vector envs (python/src/env_wrappers.cpp, env_vector.cpp).
  init_env_wrappers(module);
  init_env_vector(module);
  // ember.env's replay buffers (python/src/env_replay.cpp).
  init_env_replay(module);
  // Gymnasium's batch_space for every space: ember._C._env.batch_space
  // (python/src/env_space_batching.cpp).
  init_env_space_batching(module);
  // ember.cuda's runtime: ember._C._cuda, and Tensor.pin_memory / is_pinned (python/src/cuda.cpp).
  init_cuda(module, tensor_class);
  // The CUDA caching allocator's statistics and controls: ember._C._cuda
  // (python/src/cuda_memory.cpp).
  init_cuda_memory(module, tensor_class);
  // Mixed precision's state, regions and GradScaler's ops: ember._C._autocast
  // (python/src/autocast.cpp).
  init_autocast(module);
}
