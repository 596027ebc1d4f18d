// ember._C._streams: the live streams of ember/data/streams for the thin shells of
// python/ember/data/streams. Every call that waits releases the GIL; a Python on_malformed
// callback runs on the stream's I/O thread with the GIL taken.
#include "streams.h"

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include "convert.h"
#include "ember/data/streams/stream.h"
#include "ember/data/streams/vehicle_feed.h"

namespace ember::python {
namespace {

using namespace ember::data::streams;

// A source until a stream takes it (a source feeds one stream).
struct PySource {
  std::unique_ptr<Source> source;
  std::string description;
};

// A stream owned from Python. It is destroyed without the GIL: its I/O thread may be waiting
// for the GIL to call on_malformed while the destructor joins it.
struct PyStream {
  std::unique_ptr<Stream> stream;
  ~PyStream() {
    nb::gil_scoped_release release;
    stream.reset();
  }
};

nb::object source_object(std::unique_ptr<Source> source) {
  std::string description = source->describe();
  return nb::cast(PySource{std::move(source), std::move(description)});
}

// Holds a Python callable for the I/O thread: called and released with the GIL taken. A
// callback's exception is reported as unraisable (the stream goes on).
std::function<void(const MalformedFrame&)> python_callback(nb::object callable) {
  if (callable.is_none()) return nullptr;
  std::shared_ptr<nb::object> held(new nb::object(std::move(callable)), [](nb::object* object) {
    nb::gil_scoped_acquire gil;
    delete object;
  });
  return [held](const MalformedFrame& frame) {
    nb::gil_scoped_acquire gil;
    try {
      (*held)(frame.offset, frame.reason);
    } catch (nb::python_error& error) {
      error.discard_as_unraisable("ember.data.streams on_malformed callback");
    }
  };
}

Schema schema_from(const nb::iterable& fields) {
  std::vector<Field> parsed;
  for (nb::handle entry : fields) {
    const nb::tuple field = nb::cast<nb::tuple>(nb::borrow(entry));
    EMBER_CHECK_TYPE(field.size() == 2 || field.size() == 3,
                     "[streams.Schema] expected fields as (name, dtype) or (name, dtype, shape); "
                     "got a tuple of ",
                     field.size());
    Field out;
    out.name = nb::cast<std::string>(field[0]);
    if (nb::isinstance<nb::str>(field[1])) {
      out.dtype = stream_dtype(nb::cast<std::string>(field[1]));
    } else {
      const std::optional<ScalarType> dtype = to_dtype(field[1]);
      EMBER_CHECK_TYPE(dtype.has_value(), "[streams.Schema] expected a dtype for field '", out.name,
                       "'; got None");
      out.dtype = *dtype;
    }
    if (field.size() == 3) out.shape = to_dims(field[2]);
    parsed.push_back(std::move(out));
  }
  return Schema(std::move(parsed));
}

nb::tuple fields_of(const Schema& schema) {
  nb::list fields;
  for (const Field& field : schema.fields()) {
    fields.append(
        nb::make_tuple(field.name, dtype_object(field.dtype), nb::tuple(nb::cast(field.shape))));
  }
  return nb::tuple(fields);
}

// Values for push(): numbers, tensors and nested sequences, flattened in order.
void flatten_into(nb::handle value, std::vector<double>& out, int depth) {
  EMBER_CHECK_TYPE(depth < 16, "[streams.Stream.push] expected values nested at most 16 deep");
  if (nb::isinstance<Tensor>(value)) {
    const Tensor values = nb::cast<Tensor>(value).detach().to(Device(kCPU), kFloat64).contiguous();
    const double* data = values.data_ptr<double>();
    out.insert(out.end(), data, data + values.numel());
  } else if (PyBool_Check(value.ptr()) || PyLong_Check(value.ptr()) || PyFloat_Check(value.ptr())) {
    out.push_back(nb::cast<double>(value));
  } else if (PySequence_Check(value.ptr()) && !nb::isinstance<nb::str>(value)) {
    for (nb::handle element : nb::borrow<nb::sequence>(value)) {
      flatten_into(element, out, depth + 1);
    }
  } else {
    detail::raise<TypeError>("[streams.Stream.push] expected numbers, tensors or sequences; got ",
                             nb::cast<std::string>(nb::str(nb::type_name(value.type()))));
  }
}

std::vector<double> push_values(const Schema& schema, nb::handle record) {
  std::vector<double> values;
  if (PyDict_Check(record.ptr())) {
    const nb::dict fields = nb::borrow<nb::dict>(record);
    for (const Field& field : schema.fields()) {
      EMBER_CHECK_VALUE(fields.contains(field.name.c_str()),
                        "[streams.Stream.push] expected the field '", field.name, "' in ",
                        schema.repr(), "; it is missing");
      flatten_into(fields[field.name.c_str()], values, 0);
    }
  } else {
    flatten_into(record, values, 0);
  }
  return values;
}

// (fields, timestamps, offsets): fields a dict of name -> (size, *shape) tensor.
nb::tuple batch_object(const Schema& schema, Batch&& batch) {
  nb::dict fields;
  for (size_t i = 0; i < schema.size(); ++i) {
    fields[schema.fields()[i].name.c_str()] = nb::cast(std::move(batch.fields[i]));
  }
  return nb::make_tuple(fields, std::move(batch.timestamps), std::move(batch.offsets));
}

nb::object optional_batch(const Schema& schema, std::optional<Batch>&& batch) {
  if (!batch) return nb::none();
  return batch_object(schema, std::move(*batch));
}

Stream& stream_of(PyStream& self) {
  EMBER_CHECK(self.stream != nullptr, "[streams.Stream] expected an open stream; it was closed");
  return *self.stream;
}

void init_stream_class(nb::module_& streams) {
  nb::class_<PyStream>(streams, "Stream",
                       "A live stream read by a C++ I/O thread (python/ember/data/streams wraps "
                       "it).")
      .def(
          "__init__",
          [](PyStream* self, const Schema& schema, PySource* source, const std::string& format,
             size_t capacity, const std::string& backpressure, const std::string& on_disconnect,
             double backoff_initial, double backoff_max, int64_t max_reconnects,
             size_t max_frame_bytes, bool csv_header, size_t max_errors, nb::object on_malformed,
             double spin) {
            StreamOptions options;
            options.format = format_from_string(format);
            options.capacity = capacity;
            options.backpressure = backpressure_from_string(backpressure);
            options.on_disconnect = on_disconnect_from_string(on_disconnect);
            options.backoff_initial = backoff_initial;
            options.backoff_max = backoff_max;
            options.max_reconnects = max_reconnects;
            options.framing.max_frame_bytes = max_frame_bytes;
            options.framing.csv_header = csv_header;
            options.max_errors = max_errors;
            options.on_malformed = python_callback(std::move(on_malformed));
            options.spin = spin;
            std::unique_ptr<Stream> stream;
            if (source == nullptr) {
              stream = std::make_unique<Stream>(schema, std::move(options));
            } else {
              EMBER_CHECK_VALUE(source->source != nullptr, "[streams.Stream] expected an unused ",
                                "source; ", source->description, " already feeds a stream");
              stream =
                  std::make_unique<Stream>(schema, std::move(source->source), std::move(options));
            }
            new (self) PyStream{std::move(stream)};
          },
          nb::arg("schema"), nb::arg("source").none(), nb::arg("format"), nb::arg("capacity"),
          nb::arg("backpressure"), nb::arg("on_disconnect"), nb::arg("backoff_initial"),
          nb::arg("backoff_max"), nb::arg("max_reconnects"), nb::arg("max_frame_bytes"),
          nb::arg("csv_header"), nb::arg("max_errors"), nb::arg("on_malformed").none(),
          nb::arg("spin"),
          nb::sig("def __init__(self, schema, source, format, capacity, backpressure, "
                  "on_disconnect, backoff_initial, backoff_max, max_reconnects, max_frame_bytes, "
                  "csv_header, max_errors, on_malformed, spin) -> None"),
          "Starts the I/O thread on source (None: a push stream).")
      .def(
          "another", [](PyStream& self) { return new PyStream{stream_of(self).another()}; },
          nb::sig("def another(self) -> Stream"),
          "A new stream of the same schema and options on its own connection or process of "
          "this stream's source; RuntimeError for a listener, a file tail or a push stream.")
      .def_prop_ro(
          "schema", [](PyStream& self) { return stream_of(self).schema(); }, "The stream's Schema.")
      .def_prop_ro(
          "port", [](PyStream& self) { return stream_of(self).port(); },
          "The bound port of a TCP server or UDP source (0 until bound); -1 for others.")
      .def_prop_ro(
          "finished", [](PyStream& self) { return stream_of(self).finished(); },
          "True once the stream ended and its buffer is empty.")
      .def(
          "next",
          [](PyStream& self, double timeout) -> nb::object {
            Stream& stream = stream_of(self);
            std::optional<Record> record;
            {
              nb::gil_scoped_release release;
              record = stream.next(timeout);
            }
            if (!record) return nb::none();
            const double timestamp = record->timestamp;
            const uint64_t offset = record->offset;
            std::vector<Record> records;
            records.push_back(std::move(*record));
            // The record's buffer becomes the tensors' storage (no copy).
            Batch batch = make_batch(stream.schema(), std::move(records), nullptr);
            nb::dict fields;
            for (size_t i = 0; i < stream.schema().size(); ++i) {
              fields[stream.schema().fields()[i].name.c_str()] = nb::cast(batch.fields[i][0]);
            }
            return nb::make_tuple(fields, timestamp, offset);
          },
          nb::arg("timeout"), nb::sig("def next(self, timeout) -> tuple | None"),
          "(fields, timestamp, offset) of the next record, or None on timeout or at the end.")
      .def(
          "next_batch",
          [](PyStream& self, int64_t size, double timeout) {
            Stream& stream = stream_of(self);
            std::optional<Batch> batch;
            {
              nb::gil_scoped_release release;
              batch = stream.next_batch(size, timeout);
            }
            return optional_batch(stream.schema(), std::move(batch));
          },
          nb::arg("size"), nb::arg("timeout"),
          nb::sig("def next_batch(self, size, timeout) -> tuple | None"),
          "(fields, timestamps, offsets) of up to size records, or None when none arrived.")
      .def(
          "next_window",
          [](PyStream& self, int64_t size, int64_t stride, double timeout) {
            Stream& stream = stream_of(self);
            std::optional<Batch> batch;
            {
              nb::gil_scoped_release release;
              batch = stream.next_window(size, stride, timeout);
            }
            return optional_batch(stream.schema(), std::move(batch));
          },
          nb::arg("size"), nb::arg("stride"), nb::arg("timeout"),
          nb::sig("def next_window(self, size, stride, timeout) -> tuple | None"),
          "The sliding window of the last size records, moved on by stride; None on timeout.")
      .def(
          "next_time_window",
          [](PyStream& self, double duration) {
            Stream& stream = stream_of(self);
            std::optional<Batch> batch;
            {
              nb::gil_scoped_release release;
              batch = stream.next_time_window(duration);
            }
            return batch_object(stream.schema(), std::move(*batch));
          },
          nb::arg("duration"), nb::sig("def next_time_window(self, duration) -> tuple"),
          "The records received in the next duration seconds (tumbling windows).")
      .def(
          "push",
          [](PyStream& self, nb::handle record) {
            Stream& stream = stream_of(self);
            std::vector<double> values = push_values(stream.schema(), record);
            nb::gil_scoped_release release;  // a full buffer under "block" waits
            return stream.push(values);
          },
          nb::arg("record"), nb::sig("def push(self, record) -> bool"),
          "Adds a record: a dict of field values, or every value flattened in schema order.")
      .def(
          "push_frame",
          [](PyStream& self, nb::bytes frame) {
            Stream& stream = stream_of(self);
            std::string bytes(frame.c_str(), frame.size());
            nb::gil_scoped_release release;
            stream.push_frame(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
          },
          nb::arg("frame"), nb::sig("def push_frame(self, frame) -> None"),
          "Feeds bytes in the stream's format (push streams only).")
      .def(
          "counters",
          [](PyStream& self) {
            const Counters counters = stream_of(self).counters();
            nb::dict out;
            out["received"] = counters.received;
            out["dropped"] = counters.dropped;
            out["malformed"] = counters.malformed;
            out["bytes"] = counters.bytes;
            out["consumed"] = counters.consumed;
            out["reconnects"] = counters.reconnects;
            out["buffered"] = counters.buffered;
            out["lag"] = counters.lag;
            return out;
          },
          nb::sig("def counters(self) -> dict"),
          "received, dropped, malformed, bytes, consumed, reconnects, buffered and lag (s).")
      .def(
          "errors",
          [](PyStream& self) {
            std::vector<std::tuple<uint64_t, std::string>> out;
            for (MalformedFrame& frame : stream_of(self).errors()) {
              out.emplace_back(frame.offset, std::move(frame.reason));
            }
            return out;
          },
          nb::sig("def errors(self) -> list[tuple[int, str]]"),
          "The latest malformed frames as (byte offset, reason), oldest first (bounded).")
      .def(
          "close",
          [](PyStream& self) {
            if (!self.stream) return;
            nb::gil_scoped_release release;
            self.stream->close();
          },
          nb::sig("def close(self) -> None"),
          "Stops the I/O thread and closes the source; buffered records stay readable.");
}

void init_sources(nb::module_& streams) {
  nb::class_<PySource>(streams, "Source", "A byte source for one Stream.")
      .def("__repr__", [](const PySource& self) { return "Source(" + self.description + ")"; });
  streams.def(
      "tcp_client",
      [](std::string host, int port, double connect_timeout) {
        return source_object(tcp_client(std::move(host), port, connect_timeout));
      },
      nb::arg("host"), nb::arg("port"), nb::arg("connect_timeout") = 5.0,
      nb::sig("def tcp_client(host, port, connect_timeout=5.0) -> Source"),
      "Connects to host:port.");
  streams.def(
      "tcp_server",
      [](std::string host, int port) { return source_object(tcp_server(std::move(host), port)); },
      nb::arg("host"), nb::arg("port"), nb::sig("def tcp_server(host, port) -> Source"),
      "Listens on host:port (0: any free port) and reads one client at a time.");
  streams.def(
      "udp",
      [](std::string host, int port) { return source_object(udp_source(std::move(host), port)); },
      nb::arg("host"), nb::arg("port"), nb::sig("def udp(host, port) -> Source"),
      "Receives datagrams on host:port (0: any free port); each holds whole frames.");
  streams.def(
      "unix_client",
      [](std::string path, double connect_timeout) {
        return source_object(unix_client(std::move(path), connect_timeout));
      },
      nb::arg("path"), nb::arg("connect_timeout") = 5.0,
      nb::sig("def unix_client(path, connect_timeout=5.0) -> Source"),
      "Connects to the unix domain socket at path.");
  streams.def(
      "unix_server", [](std::string path) { return source_object(unix_server(std::move(path))); },
      nb::arg("path"), nb::sig("def unix_server(path) -> Source"),
      "Listens on a unix domain socket at path and reads one client at a time.");
  streams.def(
      "subprocess",
      [](std::vector<std::string> argv) {
        return source_object(subprocess_source(std::move(argv)));
      },
      nb::arg("argv"), nb::sig("def subprocess(argv) -> Source"),
      "Runs argv and reads its stdout; the process is terminated when the stream closes.");
  streams.def(
      "file_tail",
      [](std::string path, bool from_end) {
        return source_object(file_tail(std::move(path), from_end));
      },
      nb::arg("path"), nb::arg("from_end") = false,
      nb::sig("def file_tail(path, from_end=False) -> Source"),
      "Follows a file as it is appended to (from its start, or its end).");
}

}  // namespace

void init_streams(nb::module_& module) {
  nb::module_ streams = module.def_submodule("_streams", "ember.data.streams' C++ core.");
  // A handle: the module attribute owns the exception type (see module.cpp on statics).
  static nb::handle disconnected = [&] {
    nb::object error_type = nb::steal(PyErr_NewExceptionWithDoc(
        "ember.data.streams.StreamDisconnected",
        "Raised when a stream's source disconnects and the stream does not reconnect (a "
        "ConnectionError).",
        PyExc_ConnectionError, nullptr));
    streams.attr("StreamDisconnected") = error_type;
    return error_type.ptr();
  }();
  nb::register_exception_translator([](const std::exception_ptr& failure, void*) {
    try {
      std::rethrow_exception(failure);
    } catch (const StreamDisconnected& error) {
      PyErr_SetString(disconnected.ptr(), error.what());
    }
  });

  nb::class_<Schema>(streams, "Schema", "A stream record's fields: names, dtypes and shapes.")
      .def(
          "__init__",
          [](Schema* self, const nb::iterable& fields) { new (self) Schema(schema_from(fields)); },
          nb::arg("fields"), nb::sig("def __init__(self, fields) -> None"),
          "fields: (name, dtype) or (name, dtype, shape) tuples; dtype an ember.dtype or its "
          "name.")
      .def_prop_ro("fields", &fields_of, "(name, dtype, shape) of each field.")
      .def_prop_ro(
          "names",
          [](const Schema& self) {
            std::vector<std::string> names;
            for (const Field& field : self.fields()) names.push_back(field.name);
            return names;
          },
          "The field names in order.")
      .def_prop_ro("record_bytes", &Schema::record_bytes,
                   "Bytes of one record (a binary frame's payload).")
      .def("__len__", &Schema::size)
      .def("__repr__", &Schema::repr);
  init_sources(streams);
  init_stream_class(streams);
  streams.def(
      "encode_frame",
      [](const std::string& format, const Schema& schema, nb::handle record) {
        const std::string frame =
            encode_frame(format_from_string(format), schema, push_values(schema, record));
        return nb::bytes(frame.data(), frame.size());
      },
      nb::arg("format"), nb::arg("schema"), nb::arg("record"),
      nb::sig("def encode_frame(format, schema, record) -> bytes"),
      "The frame a sender writes for record (as for Stream.push) in format.");
  nb::class_<VehicleFeed>(streams, "VehicleFeed",
                          "The simulators' synthetic vehicle feed (ember/data/streams/"
                          "vehicle_feed.h).")
      .def(nb::init<int64_t, double, uint64_t>(), nb::arg("ranges"), nb::arg("rate"),
           nb::arg("seed"), nb::sig("def __init__(self, ranges, rate, seed) -> None"),
           "ranges readings per record, rate records per second of simulated time.")
      .def_prop_ro("schema", &VehicleFeed::schema, "t, speed, steering, accel (3,), ranges.")
      .def("next", &VehicleFeed::next, nb::sig("def next(self) -> list[float]"),
           "The next record's values, flattened in schema order.")
      .def(
          "next_frame",
          [](VehicleFeed& self, const std::string& format) {
            const std::string frame = self.next_frame(format_from_string(format));
            return nb::bytes(frame.data(), frame.size());
          },
          nb::arg("format"), nb::sig("def next_frame(self, format) -> bytes"),
          "The next record as a frame of format.");
}

}  // namespace ember::python
