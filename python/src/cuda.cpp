// ember._C._cuda: the CUDA runtime API (ember/tensor/cuda_runtime.h) for the thin shell
// python/ember/cuda.py. A device argument is None (the current device), an index, "cuda:1" or an
// ember.device; every call that needs a device raises RuntimeError without one, saying why.
#include "cuda_bindings.h"

#include <nanobind/stl/string.h>

#include <string>

#include "convert.h"
#include "ember/ops/device_copy.h"
#include "ember/tensor/backend_flags.h"
#include "ember/tensor/cuda_runtime.h"
#include "ember/tensor/generator.h"

namespace ember::python {
int cuda_device_index(nb::handle device, std::string_view op) {
  if (device.is_none()) return -1;
  if (nb::isinstance<nb::int_>(device)) return nb::cast<int>(device);
  const Device parsed = *to_device(device);
  EMBER_CHECK_VALUE(parsed.is_cuda(), "[", op, "] expected a CUDA device; got ", parsed);
  return parsed.index();
}

namespace {

std::string stream_repr(const cuda::Stream& stream) {
  return "<ember.cuda.Stream device=cuda:" + std::to_string(stream.device_index()) +
         " cuda_stream=" + std::to_string(stream.id()) + ">";
}

void init_device_functions(nb::module_& cuda_module) {
  cuda_module.def("is_available", &cuda::is_available, nb::sig("def is_available() -> bool"),
                  "Whether a CUDA device can be used (False without a GPU or driver).");
  cuda_module.def("device_count", &cuda::device_count, nb::sig("def device_count() -> int"),
                  "The number of CUDA devices usable (0 without a GPU or driver).");
  cuda_module.def("current_device", &cuda::current_device, nb::sig("def current_device() -> int"),
                  "The index of the calling thread's current CUDA device.");
  cuda_module.def(
      "set_device",
      [](nb::handle device) { cuda::set_device(cuda_device_index(device, "set_device")); },
      nb::arg("device"), nb::sig("def set_device(device) -> None"),
      "Makes `device` the calling thread's current CUDA device.");
  cuda_module.def(
      "synchronize",
      [](nb::handle device) {
        const int index = cuda_device_index(device, "synchronize");
        nb::gil_scoped_release release;
        cuda::synchronize(index);
      },
      nb::arg("device") = nb::none(), nb::sig("def synchronize(device=None) -> None"),
      "Waits for all work on `device` (every stream) to finish.");
  cuda_module.def(
      "get_device_properties",
      [](nb::handle device) {
        return cuda::get_device_properties(cuda_device_index(device, "get_device_properties"));
      },
      nb::arg("device") = nb::none(),
      nb::sig("def get_device_properties(device=None) -> _CudaDeviceProperties"),
      "The name, total_memory, major, minor and multi_processor_count of `device`.");
  cuda_module.def("is_initialized", &cuda::is_initialized, nb::sig("def is_initialized() -> bool"),
                  "Whether the CUDA runtime has been used in this process.");
  cuda_module.def("init", &cuda::init, nb::sig("def init() -> None"),
                  "Initialises CUDA; raises RuntimeError when no device is available.");
  cuda_module.def("manual_seed", &cuda::manual_seed, nb::arg("seed"),
                  nb::sig("def manual_seed(seed) -> None"),
                  "Seeds the current CUDA device's generator (ignored without a device).");
  cuda_module.def("manual_seed_all", &cuda::manual_seed_all, nb::arg("seed"),
                  nb::sig("def manual_seed_all(seed) -> None"),
                  "Seeds every CUDA device's generator (ignored without a device).");
  cuda_module.def("initial_seed", &cuda::initial_seed, nb::sig("def initial_seed() -> int"),
                  "The seed of the current CUDA device's generator.");
  cuda_module.def(
      "default_generator",
      [](nb::handle device) {
        return cuda::detail::getDefaultCUDAGenerator(
            cuda_device_index(device, "default_generator"));
      },
      nb::arg("device") = nb::none(), nb::sig("def default_generator(device=None) -> Generator"),
      "The default generator of a CUDA device (by default the current one).");
}

void init_properties(nb::module_& cuda_module) {
  nb::class_<cuda::DeviceProperties>(cuda_module, "_CudaDeviceProperties",
                                     "The properties of a CUDA device.")
      .def_ro("name", &cuda::DeviceProperties::name, "The device's name.")
      .def_ro("total_memory", &cuda::DeviceProperties::total_memory, "Global memory in bytes.")
      .def_ro("major", &cuda::DeviceProperties::major, "Compute capability, major.")
      .def_ro("minor", &cuda::DeviceProperties::minor, "Compute capability, minor.")
      .def_ro("multi_processor_count", &cuda::DeviceProperties::multi_processor_count,
              "The number of streaming multiprocessors.")
      .def(
          "__repr__",
          [](const cuda::DeviceProperties& properties) {
            return "_CudaDeviceProperties(name='" + properties.name +
                   "', major=" + std::to_string(properties.major) +
                   ", minor=" + std::to_string(properties.minor) +
                   ", total_memory=" + std::to_string(properties.total_memory / (1024 * 1024)) +
                   "MB, multi_processor_count=" + std::to_string(properties.multi_processor_count) +
                   ")";
          },
          nb::sig("def __repr__(self) -> str"), "As PyTorch's.");
}

void init_streams_and_events(nb::module_& cuda_module) {
  nb::class_<cuda::Event>(cuda_module, "Event",
                          "A CUDA event: marks a point in a stream, to wait for or time.")
      .def(nb::init<bool, bool>(), nb::arg("enable_timing") = false, nb::arg("blocking") = false,
           nb::sig("def __init__(self, enable_timing=False, blocking=False) -> None"),
           "A CUDA event (created on its first record's device).")
      .def(
          "record",
          [](cuda::Event& event, const cuda::Stream* stream) {
            if (stream == nullptr) {
              event.record();
            } else {
              event.record(*stream);
            }
          },
          nb::arg("stream") = nb::none(), nb::sig("def record(self, stream=None) -> None"),
          "Records the event on `stream` (by default the current stream).")
      .def(
          "wait",
          [](const cuda::Event& event, const cuda::Stream* stream) {
            event.block(stream == nullptr ? cuda::current_stream() : *stream);
          },
          nb::arg("stream") = nb::none(), nb::sig("def wait(self, stream=None) -> None"),
          "Makes future work on `stream` (by default the current stream) wait for this event.")
      .def("query", &cuda::Event::query, nb::sig("def query(self) -> bool"),
           "True when the work recorded before the event has completed.")
      .def("synchronize", &cuda::Event::synchronize, nb::call_guard<nb::gil_scoped_release>(),
           nb::sig("def synchronize(self) -> None"), "Waits for the event to complete.")
      .def("elapsed_time", &cuda::Event::elapsed_time, nb::arg("end_event"),
           nb::sig("def elapsed_time(self, end_event) -> float"),
           "Milliseconds from this event to end_event (both recorded with enable_timing=True).");

  nb::class_<cuda::Stream>(cuda_module, "Stream", "A CUDA stream: work on it runs in order.")
      .def(
          "__init__",
          [](cuda::Stream* self, nb::handle device, int priority) {
            new (self) cuda::Stream(
                cuda::getStreamFromPool(priority, cuda_device_index(device, "Stream")));
          },
          nb::arg("device") = nb::none(), nb::arg("priority") = 0,
          nb::sig("def __init__(self, device=None, priority=0) -> None"),
          "A stream from the device's pool; a negative priority is higher.")
      .def_prop_ro("device", &cuda::Stream::device, "The stream's device.")
      .def_prop_ro("device_index", &cuda::Stream::device_index, "The stream's device index.")
      .def_prop_ro("cuda_stream", &cuda::Stream::id, "The cudaStream_t as an integer (0: default).")
      .def_prop_ro("stream_id", &cuda::Stream::id, "A number naming the stream (0: default).")
      .def_prop_ro("priority", &cuda::Stream::priority, "The stream's CUDA priority.")
      .def("query", &cuda::Stream::query, nb::sig("def query(self) -> bool"),
           "True when all work submitted to the stream has completed.")
      .def("synchronize", &cuda::Stream::synchronize, nb::call_guard<nb::gil_scoped_release>(),
           nb::sig("def synchronize(self) -> None"), "Waits for the stream's work to complete.")
      .def("wait_event", &cuda::Stream::wait, nb::arg("event"),
           nb::sig("def wait_event(self, event) -> None"),
           "Makes future work on this stream wait for `event`.")
      .def(
          "wait_stream",
          [](const cuda::Stream& self, const cuda::Stream& other) {
            cuda::Event event;
            event.record(other);
            self.wait(event);
          },
          nb::arg("stream"), nb::sig("def wait_stream(self, stream) -> None"),
          "Makes future work on this stream wait for the work queued on `stream` so far.")
      .def(
          "record_event",
          [](const cuda::Stream& self, nb::handle event) -> nb::object {
            if (event.is_none()) {
              cuda::Event fresh;
              fresh.record(self);
              return nb::cast(std::move(fresh));
            }
            nb::cast<cuda::Event&>(event).record(self);
            return nb::borrow(event);
          },
          nb::arg("event") = nb::none(), nb::sig("def record_event(self, event=None) -> Event"),
          "Records `event` (a new one when None) on this stream and returns it.")
      .def(
          "__eq__",
          [](const cuda::Stream& self, nb::handle other) {
            return nb::isinstance<cuda::Stream>(other) && self == nb::cast<cuda::Stream>(other);
          },
          nb::sig("def __eq__(self, other, /) -> bool"), "Whether other is the same stream.")
      .def(
          "__hash__", [](const cuda::Stream& stream) { return std::hash<int64_t>()(stream.id()); },
          nb::sig("def __hash__(self) -> int"), "Hash of the stream id.")
      .def("__repr__", &stream_repr, nb::sig("def __repr__(self) -> str"), "As PyTorch's.");

  cuda_module.def(
      "current_stream",
      [](nb::handle device) {
        return cuda::current_stream(cuda_device_index(device, "current_stream"));
      },
      nb::arg("device") = nb::none(), nb::sig("def current_stream(device=None) -> Stream"),
      "The calling thread's current stream on `device`.");
  cuda_module.def(
      "default_stream",
      [](nb::handle device) {
        return cuda::default_stream(cuda_device_index(device, "default_stream"));
      },
      nb::arg("device") = nb::none(), nb::sig("def default_stream(device=None) -> Stream"),
      "The default stream of `device`.");
  cuda_module.def("set_stream", &cuda::set_current_stream, nb::arg("stream"),
                  nb::sig("def set_stream(stream) -> None"),
                  "Makes `stream` the calling thread's current stream on its device.");
}

// torch._C's switches of the math libraries (ember/tensor/backend_flags.h), behind
// ember.backends.cuda.matmul.allow_tf32, ember.backends.cudnn.allow_tf32 and
// ember.set_float32_matmul_precision.
void init_backend_flags(nb::module_& module) {
  module.def("_get_cublas_allow_tf32", &allow_tf32_cublas,
             nb::sig("def _get_cublas_allow_tf32() -> bool"),
             "Whether cuBLAS may use TF32 for float32 products.");
  module.def("_set_cublas_allow_tf32", &set_allow_tf32_cublas, nb::arg("allow"),
             nb::sig("def _set_cublas_allow_tf32(allow: bool) -> None"),
             "Lets cuBLAS use TF32 for float32 products (precision 'high') or not ('highest').");
  module.def("_get_cudnn_allow_tf32", &allow_tf32_cudnn,
             nb::sig("def _get_cudnn_allow_tf32() -> bool"),
             "Whether cuDNN may use TF32 for float32 convolutions.");
  module.def("_set_cudnn_allow_tf32", &set_allow_tf32_cudnn, nb::arg("allow"),
             nb::sig("def _set_cudnn_allow_tf32(allow: bool) -> None"),
             "Lets cuDNN use TF32 for float32 convolutions or not.");
  module.def("_get_float32_matmul_precision", &get_float32_matmul_precision,
             nb::sig("def _get_float32_matmul_precision() -> str"),
             "The float32 matmul precision: 'highest', 'high' or 'medium'.");
  module.def(
      "_set_float32_matmul_precision",
      [](const std::string& precision) { set_float32_matmul_precision(precision); },
      nb::arg("precision"), nb::sig("def _set_float32_matmul_precision(precision: str) -> None"),
      "Sets the float32 matmul precision; another string warns and changes nothing.");
}

}  // namespace

void init_cuda(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  nb::module_ cuda_module = module.def_submodule("_cuda", "The CUDA runtime (ember.cuda).");
  init_device_functions(cuda_module);
  init_properties(cuda_module);
  init_streams_and_events(cuda_module);
  init_backend_flags(module);
  tensor_class
      .def(
          "pin_memory", [](const Tensor& self, nb::handle) { return pin_memory(self); },
          nb::arg("device") = nb::none(), nb::sig("def pin_memory(self, device=None) -> Tensor"),
          "A copy in pinned (page-locked) host memory, or self when already pinned; needs CUDA.")
      .def("is_pinned", &is_pinned, nb::sig("def is_pinned(self) -> bool"),
           "Whether the tensor lives in pinned host memory.");
}

}  // namespace ember::python
