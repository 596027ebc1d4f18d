// Tensors in memory that other processes share, as PyTorch's: Tensor.share_memory_() moves a
// tensor's storage into a MAP_SHARED mapping of a file in /dev/shm (unlinked at once, so nothing
// is left behind), which processes forked afterwards (DataLoader workers) see and write through;
// ember._C._shared_tensor builds a tensor over a shared segment that a DataLoader worker filled
// (python/ember/utils/data/_shared_memory.py), for any dtype, without a copy. Tensor.is_shared()
// tells the storages made either way from the rest.
#include "shared_memory.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include <nanobind/stl/vector.h>

#include "convert.h"

namespace ember::python {
namespace {

// The data addresses of the live shared storages (they are distinct mappings).
std::mutex shared_mutex;
std::unordered_set<const void*>& shared_addresses() {
  static auto* addresses = new std::unordered_set<const void*>();
  return *addresses;
}

void mark_shared(const void* data) {
  const std::lock_guard<std::mutex> lock(shared_mutex);
  shared_addresses().insert(data);
}

void unmark_shared(const void* data) {
  const std::lock_guard<std::mutex> lock(shared_mutex);
  shared_addresses().erase(data);
}

bool is_shared(const Tensor& t) {
  const std::lock_guard<std::mutex> lock(shared_mutex);
  return shared_addresses().count(t.storage()->data()) != 0;
}

// mmap cannot map zero bytes, so an empty storage maps one.
size_t mapped_length(size_t nbytes) { return std::max<size_t>(nbytes, 1); }

[[noreturn]] void fail_shared(const char* what, const std::string& path) {
  detail::raise<RuntimeError>("[share_memory_] can't ", what, " '", path,
                              "': ", std::strerror(errno));
}

// A new MAP_SHARED mapping of `nbytes` from a /dev/shm file (the temporary directory where
// /dev/shm is missing), unlinked before it is mapped: the memory lives while the mapping does,
// in this process and in the ones it forks.
void* map_shared(size_t nbytes) {
  const char* directory = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : P_tmpdir;
  std::string path = std::string(directory) + "/ember-shared-XXXXXX";
  const int fd = ::mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) fail_shared("create", path);
  ::unlink(path.c_str());
  if (::ftruncate(fd, static_cast<off_t>(mapped_length(nbytes))) != 0) {
    const int error = errno;
    ::close(fd);
    errno = error;
    fail_shared("size", path);
  }
  void* data =
      ::mmap(nullptr, mapped_length(nbytes), PROT_READ | PROT_WRITE, MAP_SHARED, fd, /*offset=*/0);
  const int error = errno;
  ::close(fd);
  errno = error;
  if (data == MAP_FAILED) fail_shared("map", path);
  return data;
}

void unmap_shared(void* data, size_t nbytes, void* /*context*/) {
  unmark_shared(data);
  ::munmap(data, mapped_length(nbytes));
}

// PyTorch's share_memory_: a no-op for a tensor already in shared memory and off the CPU.
void share_memory(Tensor& self) {
  if (!self.device().is_cpu() || is_shared(self)) return;
  const IntrusivePtr<Storage>& old_storage = self.storage();
  const size_t nbytes = old_storage->nbytes();
  void* data = map_shared(nbytes);
  if (nbytes != 0) std::memcpy(data, old_storage->data(), nbytes);
  IntrusivePtr<Storage> storage =
      Storage::wrap(data, nbytes, Device(DeviceType::CPU), &unmap_shared, nullptr);
  mark_shared(data);
  // Autograd compares the versions it saved with the storage's: the count goes on.
  for (uint32_t version = 0; version < old_storage->version(); ++version) storage->bump_version();
  self.impl()->set_storage(std::move(storage));
}

// The deleter of a storage over a Python buffer: releases the buffer (and so its object).
void release_buffer(void* data, size_t /*nbytes*/, void* context) {
  unmark_shared(data);
  nb::gil_scoped_acquire gil;
  auto* view = static_cast<Py_buffer*>(context);
  PyBuffer_Release(view);
  delete view;
}

Tensor shared_tensor(nb::handle buffer, ScalarType dtype, const std::vector<int64_t>& shape,
                     const std::vector<int64_t>& strides, int64_t offset) {
  EMBER_CHECK_VALUE(shape.size() == strides.size() && offset >= 0,
                    "[_shared_tensor] expected as many strides as sizes and an offset >= 0; got "
                    "sizes ",
                    IntArrayRef(shape), ", strides ", IntArrayRef(strides), " and offset ", offset);
  auto view = std::make_unique<Py_buffer>();
  if (PyObject_GetBuffer(buffer.ptr(), view.get(), PyBUF_WRITABLE) != 0) throw nb::python_error();
  // The last element reached, in items, must lie inside the buffer.
  int64_t reach = offset;
  bool empty = false;
  for (size_t d = 0; d < shape.size(); ++d) {
    empty = empty || shape[d] == 0;
    if (shape[d] > 0) reach += (shape[d] - 1) * strides[d];
  }
  const auto items = static_cast<int64_t>(static_cast<size_t>(view->len) / itemsize(dtype));
  if (!empty && reach >= items) {
    PyBuffer_Release(view.get());
    detail::raise<ValueError>("[_shared_tensor] sizes ", IntArrayRef(shape), ", strides ",
                              IntArrayRef(strides), " and offset ", offset, " reach item ", reach,
                              " of a buffer of ", items, " ", dtype, " items");
  }
  void* data = view->buf;
  const auto nbytes = static_cast<size_t>(view->len);
  IntrusivePtr<Storage> storage =
      Storage::wrap(data, nbytes, Device(DeviceType::CPU), &release_buffer, view.get());
  view.release();
  mark_shared(data);
  return Tensor(IntrusivePtr<TensorImpl>::make(std::move(storage), offset,
                                               Shape(shape.begin(), shape.end()),
                                               Strides(strides.begin(), strides.end()), dtype));
}

}  // namespace

void init_shared_memory(nb::module_& module, nb::class_<Tensor>& tensor_class) {
  tensor_class
      .def(
          "share_memory_",
          [](Tensor& self) -> Tensor& {
            share_memory(self);
            return self;
          },
          nb::rv_policy::reference_internal, nb::sig("def share_memory_(self) -> Tensor"),
          "Moves the tensor's storage into shared memory (/dev/shm), in place, so that worker "
          "processes forked afterwards see and change the same memory; a no-op if it is there "
          "already. Other views of the old storage keep the old memory.")
      .def("is_shared", &is_shared, nb::sig("def is_shared(self) -> bool"),
           "Whether the tensor's storage is in shared memory (after share_memory_(), or a batch "
           "received from a DataLoader worker).");
  module.def(
      "_shared_tensor",
      [](nb::handle buffer, const DType& dtype, const std::vector<int64_t>& shape,
         const std::vector<int64_t>& strides,
         int64_t offset) { return shared_tensor(buffer, dtype.type, shape, strides, offset); },
      nb::arg("buffer"), nb::arg("dtype"), nb::arg("shape"), nb::arg("strides"), nb::arg("offset"),
      nb::sig("def _shared_tensor(buffer, dtype, shape, strides, offset) -> Tensor"),
      "A tensor of the given geometry (strides and offset in items) over a writable "
      "shared-memory buffer (a DataLoader worker's segment), without a copy; the buffer "
      "stays alive while the tensor's storage does.");
}

}  // namespace ember::python
