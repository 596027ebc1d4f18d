// ember._C._autocast: mixed precision's state and regions (ember/ops/autocast.h) and GradScaler's
// ops (ember/ops/amp.h); ember.autocast and ember.amp.GradScaler are thin shells over them.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include "convert.h"
#include "ember/ops/amp.h"
#include "ember/ops/autocast.h"

namespace ember::python {
namespace {

// PyTorch's device_type=None means CUDA (the legacy torch.is_autocast_enabled()).
DeviceType device_type_of(std::optional<std::string_view> name) {
  return autocast::parse_device_type(name.value_or("cuda"));
}

std::optional<ScalarType> optional_dtype(nb::handle dtype) {
  if (dtype.is_none()) return std::nullopt;
  return to_dtype(dtype);
}

}  // namespace

void init_autocast(nb::module_& module) {
  nb::module_ amp = module.def_submodule("_autocast", "Mixed precision: autocast and GradScaler.");
  amp.def(
      "is_autocast_enabled",
      [](std::optional<std::string_view> device_type) {
        return autocast::is_autocast_enabled(device_type_of(device_type));
      },
      nb::arg("device_type") = nb::none(),
      nb::sig("def is_autocast_enabled(device_type=None) -> bool"),
      "Whether autocast is on for device_type ('cpu' or 'cuda'; None: 'cuda') in this thread.");
  amp.def(
      "set_autocast_enabled",
      [](std::string_view device_type, bool enabled) {
        autocast::set_autocast_enabled(autocast::parse_device_type(device_type), enabled);
      },
      nb::arg("device_type"), nb::arg("enabled"),
      nb::sig("def set_autocast_enabled(device_type, enabled) -> None"),
      "Turns autocast on or off for device_type in this thread.");
  amp.def(
      "get_autocast_dtype",
      [](std::string_view device_type) {
        return dtype_object(autocast::get_autocast_dtype(autocast::parse_device_type(device_type)));
      },
      nb::arg("device_type"), nb::sig("def get_autocast_dtype(device_type) -> dtype"),
      "The lower-precision dtype of device_type's autocast in this thread.");
  amp.def(
      "set_autocast_dtype",
      [](std::string_view device_type, nb::handle dtype) {
        autocast::set_autocast_dtype(autocast::parse_device_type(device_type), *to_dtype(dtype));
      },
      nb::arg("device_type"), nb::arg("dtype"),
      nb::sig("def set_autocast_dtype(device_type, dtype) -> None"),
      "Sets the lower-precision dtype (float16 or bfloat16) of device_type's autocast.");
  amp.def("is_autocast_cache_enabled", &autocast::is_autocast_cache_enabled,
          nb::sig("def is_autocast_cache_enabled() -> bool"),
          "Whether autocast reuses the lower-precision casts of weights within a region.");
  amp.def("set_autocast_cache_enabled", &autocast::set_autocast_cache_enabled, nb::arg("enabled"),
          nb::sig("def set_autocast_cache_enabled(enabled) -> None"),
          "Turns autocast's weight-cast cache on or off in this thread.");
  amp.def("clear_autocast_cache", &autocast::clear_cache,
          nb::sig("def clear_autocast_cache() -> None"),
          "Drops the cached weight casts of this thread.");
  amp.def("_cache_size", &autocast::cache_size, "The number of cached weight casts.");
  nb::class_<autocast::SavedState>(amp, "_SavedState",
                                   "What entering an autocast region replaced.");
  amp.def(
      "_enter",
      [](std::string_view device_type, bool enabled, nb::handle dtype,
         std::optional<bool> cache_enabled) {
        return autocast::enter(autocast::parse_device_type(device_type), enabled,
                               optional_dtype(dtype), cache_enabled);
      },
      nb::arg("device_type"), nb::arg("enabled"), nb::arg("dtype").none(),
      nb::arg("cache_enabled").none(), "Enters an autocast region; returns what _exit restores.");
  amp.def("_exit", &autocast::exit, nb::arg("saved"), "Leaves an autocast region.");
  amp.def("_amp_foreach_non_finite_check_and_unscale_",
          &ember::_amp_foreach_non_finite_check_and_unscale_, nb::arg("grads"),
          nb::arg("found_inf"), nb::arg("inv_scale"),
          nb::sig("def _amp_foreach_non_finite_check_and_unscale_(grads, found_inf, inv_scale) "
                  "-> None"),
          "Multiplies each gradient by inv_scale in place and sets found_inf to 1.0 when any "
          "holds an inf or NaN.");
  amp.def("_amp_update_scale_", &ember::_amp_update_scale_, nb::arg("scale"),
          nb::arg("growth_tracker"), nb::arg("found_inf"), nb::arg("growth_factor"),
          nb::arg("backoff_factor"), nb::arg("growth_interval"),
          nb::sig("def _amp_update_scale_(scale, growth_tracker, found_inf, growth_factor, "
                  "backoff_factor, growth_interval) -> Tensor"),
          "Updates GradScaler's scale and growth tracker in place: backoff on inf, growth after "
          "growth_interval steps without.");
}

}  // namespace ember::python
