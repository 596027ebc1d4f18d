// ember._C._distributed: the typed errors, ReduceOp, the stores, Work and ProcessGroup of
// ember/distributed for the thin shell python/ember/distributed. Every call that can block (store
// get/wait, a master's TCPStore waiting for its workers, Work.wait) releases the GIL. The
// top-level functions (init_process_group, the collectives) are in distributed_api.cpp.
#include "distributed_bindings.h"

#include <nanobind/stl/chrono.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <cstring>
#include <utility>

#include "convert.h"
#include "ember/distributed/backends.h"
#include "ember/distributed/errors.h"
#include "ember/distributed/store.h"
#include "ember/distributed/work.h"

namespace ember::python {
namespace {

using namespace ember::distributed;

// The Python classes of the typed errors; the submodule's attributes own them.
struct DistErrorTypes {
  nb::handle base, backend, store, network;
};
DistErrorTypes dist_error_types;

nb::handle new_error_type(nb::module_& m, const char* name, const char* doc, nb::handle base) {
  const std::string qualified = std::string("ember.distributed.") + name;
  nb::object type =
      nb::steal(PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base.ptr(), nullptr));
  m.attr(name) = type;
  return type;
}

// The Python class an error of ember::distributed becomes (the most specific first), or null
// for an error that is not the package's.
nb::handle dist_error_type(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const DistBackendError&) {
    return dist_error_types.backend;
  } catch (const DistStoreError&) {
    return dist_error_types.store;
  } catch (const DistNetworkError&) {
    return dist_error_types.network;
  } catch (const DistError&) {
    return dist_error_types.base;
  } catch (...) {
    return nb::handle();
  }
}

// Work.exception(): the Python exception object a failed work would raise.
nb::object exception_object(const std::exception_ptr& failure) {
  if (!failure) return nb::none();
  nb::handle type = dist_error_type(failure);
  std::string message;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    message = error.what();
  } catch (...) {
    message = "unknown error";
  }
  if (!type) type = PyExc_RuntimeError;
  return type(message);
}

// A store value: bytes, bytearray or str (UTF-8), as PyTorch's Store.set accepts.
Bytes to_store_bytes(nb::handle value, const char* op) {
  if (PyBytes_Check(value.ptr())) {
    const auto* data = reinterpret_cast<const uint8_t*>(PyBytes_AS_STRING(value.ptr()));
    return Bytes(data, data + PyBytes_GET_SIZE(value.ptr()));
  }
  if (PyByteArray_Check(value.ptr())) {
    const auto* data = reinterpret_cast<const uint8_t*>(PyByteArray_AS_STRING(value.ptr()));
    return Bytes(data, data + PyByteArray_GET_SIZE(value.ptr()));
  }
  if (PyUnicode_Check(value.ptr())) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
    if (data == nullptr) throw nb::python_error();
    return Bytes(data, data + size);
  }
  detail::raise<TypeError>("[", op, "] expected the value as bytes or str, got ",
                           nb::type_name(value.type()).c_str());
}

nb::bytes to_python_bytes(const Bytes& value) {
  return nb::bytes(reinterpret_cast<const char*>(value.data()), value.size());
}

void bind_stores(nb::module_& m) {
  nb::class_<Store>(m, "Store",
                    "A key-value store the processes of a job coordinate through (abstract).")
      .def(
          "set",
          [](Store& store, const std::string& key, nb::handle value) {
            Bytes bytes = to_store_bytes(value, "Store.set");
            nb::gil_scoped_release release;
            store.set(key, bytes);
          },
          nb::arg("key"), nb::arg("value"), "Sets key to value (bytes or str).")
      .def(
          "get",
          [](Store& store, const std::string& key) {
            Bytes value;
            {
              nb::gil_scoped_release release;
              value = store.get(key);
            }
            return to_python_bytes(value);
          },
          nb::arg("key"), "The value of key (bytes), waiting up to the store's timeout for it.")
      .def(
          "add",
          [](Store& store, const std::string& key, int64_t amount) {
            nb::gil_scoped_release release;
            return store.add(key, amount);
          },
          nb::arg("key"), nb::arg("amount"),
          "Adds amount to the counter at key (0 when absent); returns the new value.")
      .def(
          "compare_set",
          [](Store& store, const std::string& key, nb::handle expected, nb::handle desired) {
            Bytes expected_bytes = to_store_bytes(expected, "Store.compare_set");
            Bytes desired_bytes = to_store_bytes(desired, "Store.compare_set");
            Bytes stored;
            {
              nb::gil_scoped_release release;
              stored = store.compare_set(key, expected_bytes, desired_bytes);
            }
            return to_python_bytes(stored);
          },
          nb::arg("key"), nb::arg("expected_value"), nb::arg("desired_value"),
          "Sets key to desired_value if it holds expected_value (or is absent and expected_value "
          "is empty); returns the value now stored.")
      .def(
          "delete_key",
          [](Store& store, const std::string& key) {
            nb::gil_scoped_release release;
            return store.delete_key(key);
          },
          nb::arg("key"), "Deletes key; True if it existed.")
      .def(
          "check",
          [](Store& store, const std::vector<std::string>& keys) {
            nb::gil_scoped_release release;
            return store.check(keys);
          },
          nb::arg("keys"), "True when every key exists (never waits).")
      .def(
          "num_keys",
          [](Store& store) {
            nb::gil_scoped_release release;
            return store.num_keys();
          },
          "The number of keys in the store.")
      .def(
          "wait",
          [](Store& store, const std::vector<std::string>& keys, std::optional<Duration> timeout) {
            nb::gil_scoped_release release;
            store.wait(keys, timeout.value_or(store.timeout()));
          },
          nb::arg("keys"), nb::arg("timeout") = nb::none(),
          "Waits until every key exists, up to timeout (the store's when None); raises "
          "DistStoreError naming the missing keys.")
      .def("set_timeout", &Store::set_timeout, nb::arg("timeout"),
           "Sets the timeout of get and wait.")
      .def_prop_ro("timeout", &Store::timeout, "The timeout of get and wait (a timedelta).");

  nb::class_<TCPStore, Store>(m, "TCPStore",
                              "A store served over TCP by its master (rank 0) to every process.")
      .def(nb::new_([](const std::string& host_name, int port, std::optional<int> world_size,
                       bool is_master, Duration timeout, bool wait_for_workers) {
             EMBER_CHECK_VALUE(port >= 0 && port < 65536,
                               "[TCPStore] port must be in [0, 65535], "
                               "got ",
                               port);
             TCPStoreOptions options;
             options.port = static_cast<uint16_t>(port);
             options.is_master = is_master;
             options.world_size = world_size.value_or(-1);
             options.wait_for_workers = wait_for_workers;
             options.timeout = timeout;
             nb::gil_scoped_release release;
             return std::make_shared<TCPStore>(host_name, options);
           }),
           nb::arg("host_name"), nb::arg("port"), nb::arg("world_size") = nb::none(),
           nb::arg("is_master") = false, nb::arg("timeout") = Duration(std::chrono::seconds(300)),
           nb::arg("wait_for_workers") = true,
           "TCPStore(host_name, port, world_size=None, is_master=False, "
           "timeout=timedelta(seconds=300), wait_for_workers=True): the master serves "
           "host_name:port (port 0: any free port, see .port); with world_size and "
           "wait_for_workers it waits for that many processes.")
      .def_prop_ro("host", &TCPStore::host)
      .def_prop_ro("port", &TCPStore::port);

  nb::class_<FileStore, Store>(m, "FileStore", "A store in one file every process opens.")
      .def(nb::new_([](const std::string& file_name, int world_size) {
             nb::gil_scoped_release release;
             return std::make_shared<FileStore>(file_name, world_size);
           }),
           nb::arg("file_name"), nb::arg("world_size") = -1,
           "FileStore(file_name, world_size=-1): the file is removed when the last of "
           "world_size users closes it.");

  nb::class_<HashStore, Store>(m, "HashStore", "A store in this process's memory.")
      .def(nb::new_([] { return std::make_shared<HashStore>(); }));

  nb::class_<PrefixStore, Store>(m, "PrefixStore",
                                 "Every key of an underlying store prefixed with '<prefix>/'.")
      .def(nb::new_([](const std::string& prefix, std::shared_ptr<Store> store) {
             EMBER_CHECK_VALUE(store != nullptr, "[PrefixStore] store must not be None");
             return std::make_shared<PrefixStore>(prefix, std::move(store));
           }),
           nb::arg("prefix"), nb::arg("store"))
      .def_prop_ro("underlying_store", &PrefixStore::underlying);
}

void bind_work(nb::module_& m) {
  nb::class_<Work>(m, "Work", "The handle of an operation started with async_op=True.")
      .def(
          "wait",
          [](Work& work, std::optional<Duration> timeout) {
            nb::gil_scoped_release release;
            if (timeout) {
              work.wait(*timeout);
            } else {
              work.wait();
            }
            return true;
          },
          nb::arg("timeout") = nb::none(),
          "Waits for the operation (up to timeout when given) and raises its error if it "
          "failed; returns True.")
      .def("is_completed", &Work::is_completed)
      .def("is_success", &Work::is_success)
      .def(
          "exception", [](const Work& work) { return exception_object(work.exception()); },
          "The error the operation failed with, or None.")
      .def("result", &Work::result, "The operation's output tensors.")
      .def("_source_rank", &Work::source_rank,
           "recv from any source: the group rank the message came from (-1 before completion).")
      .def_prop_ro("op", &Work::op);
}

void bind_process_group(nb::module_& m) {
  nb::class_<ProcessGroup>(m, "ProcessGroup", "Processes that run collectives together.")
      .def("rank", &ProcessGroup::rank, "This process's rank in the group.")
      .def("size", &ProcessGroup::size, "The number of processes in the group.")
      .def("name", &ProcessGroup::backend_name, "The group's backend: gloo, mpi or nccl.")
      .def_prop_ro("group_name",
                   [](const ProcessGroup& group) { return group.options().group_name; })
      .def_prop_ro("options_timeout",
                   [](const ProcessGroup& group) { return group.options().timeout; })
      .def("__repr__", [](const ProcessGroup& group) {
        return "<ember.distributed.ProcessGroup " + group.options().group_name + " (" +
               group.backend_name() + ", rank " + std::to_string(group.rank()) + " of " +
               std::to_string(group.size()) + ")>";
      });
}

}  // namespace

void init_distributed(nb::module_& module) {
  nb::module_ m = module.def_submodule("_distributed", "ember.distributed's C++ core.");

  dist_error_types.base = new_error_type(
      m, "DistError", "Base of ember.distributed's errors (a RuntimeError).", PyExc_RuntimeError);
  dist_error_types.backend = new_error_type(
      m, "DistBackendError",
      "A collective failed in its engine: a peer died, the group's timeout passed, or the ranks "
      "disagreed (debug mode).",
      dist_error_types.base);
  dist_error_types.store =
      new_error_type(m, "DistStoreError",
                     "The key-value store failed: a key did not appear in time, the server "
                     "went away.",
                     dist_error_types.base);
  dist_error_types.network =
      new_error_type(m, "DistNetworkError", "Rendezvous could not reach or bind an address.",
                     dist_error_types.base);
  // Registered after module.cpp's translator, so it is tried first: the package's errors keep
  // their types instead of becoming plain RuntimeErrors.
  nb::register_exception_translator([](const std::exception_ptr& failure, void*) {
    nb::handle type = dist_error_type(failure);
    if (!type) std::rethrow_exception(failure);
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      PyErr_SetString(type.ptr(), error.what());
    }
  });

  nb::enum_<ReduceOp>(m, "ReduceOp", "How a reducing collective combines the ranks' tensors.")
      .value("SUM", ReduceOp::Sum)
      .value("AVG", ReduceOp::Avg)
      .value("PRODUCT", ReduceOp::Product)
      .value("MIN", ReduceOp::Min)
      .value("MAX", ReduceOp::Max);

  m.def("is_gloo_available", &is_gloo_available);
  m.def("is_mpi_available", &is_mpi_available);
  m.def("is_nccl_available", &is_nccl_available);
  m.def("is_backend_available", &is_backend_available, nb::arg("backend"));

  bind_stores(m);
  bind_work(m);
  bind_process_group(m);

  // The object collectives' payloads: checkpoint bytes travel as uint8 tensors.
  m.def(
      "_bytes_to_tensor",
      [](nb::bytes data) {
        Tensor tensor =
            empty({static_cast<int64_t>(data.size())}, TensorOptions(ScalarType::UInt8));
        if (data.size() > 0) std::memcpy(tensor.data_ptr(), data.c_str(), data.size());
        return tensor;
      },
      nb::arg("data"), "A new 1-D uint8 tensor holding data.");
  m.def(
      "_tensor_to_bytes",
      [](const Tensor& tensor, int64_t length) {
        EMBER_CHECK_VALUE(tensor.scalar_type() == ScalarType::UInt8 && tensor.dim() == 1 &&
                              tensor.is_contiguous() && tensor.device().is_cpu() && length >= 0 &&
                              length <= tensor.numel(),
                          "[_tensor_to_bytes] expected a contiguous 1-D uint8 CPU tensor of at "
                          "least ",
                          length, " elements, got ", tensor.numel(), " elements");
        return nb::bytes(static_cast<const char*>(tensor.data_ptr()), static_cast<size_t>(length));
      },
      nb::arg("tensor"), nb::arg("length"), "The first length bytes of a 1-D uint8 tensor.");

  init_distributed_api(m);
}

}  // namespace ember::python
