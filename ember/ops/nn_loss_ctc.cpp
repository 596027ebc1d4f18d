// ctc_loss: the negative log-likelihood of a target sequence summed over every alignment of it
// with the input frames (Graves et al., 2006), by the forward (alpha) recursion in log space
// over the extended target blank, l1, blank, l2, ..., blank. The recursion is written with ops
// on the (N, 2S+1) states of all samples at once, so autograd differentiates it; unreachable
// states hold a large negative finite value instead of -inf, which keeps every gradient finite.
#include <algorithm>
#include <limits>
#include <vector>

#include "ember/base/error.h"
#include "ember/ops/autocast.h"
#include "ember/ops/nn_loss.h"
#include "ember/ops/shape.h"

namespace ember {
namespace {

// The lengths as int64 values on the host.
std::vector<int64_t> host_values(const Tensor& t) {
  const Tensor flat = t.to(TensorOptions(kInt64).device(Device(kCPU))).contiguous().flatten();
  const int64_t* data = flat.data_ptr<int64_t>();
  return std::vector<int64_t>(data, data + flat.numel());
}

// The log-probability of no path: finite, so that logsumexp and its gradient stay finite, and
// far below any real path's.
constexpr double kNoPath = -1e30;

}  // namespace

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, int64_t blank, int64_t reduction,
                bool zero_infinity) {
  if (autocast::active()) {
    return autocast::float32(
        {log_probs, targets, input_lengths, target_lengths}, [&](const auto& in) {
          return ctc_loss(in[0], in[1], in[2], in[3], blank, reduction, zero_infinity);
        });
  }
  EMBER_CHECK_VALUE(
      reduction == Reduction::None || reduction == Reduction::Mean || reduction == Reduction::Sum,
      "[ctc_loss] expected reduction None (0), Mean (1) or Sum (2); received ", reduction);
  EMBER_CHECK(log_probs.dim() == 3 || log_probs.dim() == 2,
              "[ctc_loss] expected log_probs of shape (T, N, C) or (T, C); received log_probs of "
              "shape ",
              log_probs.sizes());
  EMBER_CHECK(log_probs.dtype() == kFloat32 || log_probs.dtype() == kFloat64,
              "[ctc_loss] expected log_probs of dtype float32 or float64; received ",
              log_probs.dtype());
  EMBER_CHECK(!targets.is_floating_point() && targets.dtype() != kBool,
              "[ctc_loss] expected integer targets; received targets of dtype ", targets.dtype());
  const bool batched = log_probs.dim() == 3;
  const Tensor lp = batched ? log_probs : log_probs.unsqueeze(1);
  const int64_t frames = lp.size(0);
  const int64_t batch = lp.size(1);
  const int64_t classes = lp.size(2);
  EMBER_CHECK(blank >= 0 && blank < classes, "[ctc_loss] expected blank in [0, ", classes,
              "); received blank ", blank);
  const std::vector<int64_t> input_length = host_values(input_lengths);
  const std::vector<int64_t> target_length = host_values(target_lengths);
  EMBER_CHECK(static_cast<int64_t>(input_length.size()) == batch &&
                  static_cast<int64_t>(target_length.size()) == batch,
              "[ctc_loss] expected input_lengths and target_lengths of ", batch,
              " elements (the batch size of log_probs ", log_probs.sizes(), "); received ",
              input_lengths.sizes(), " and ", target_lengths.sizes());
  for (int64_t n = 0; n < batch; ++n) {
    EMBER_CHECK(input_length[n] >= 0 && input_length[n] <= frames,
                "[ctc_loss] expected input_lengths in [0, ", frames, "] (T of log_probs ",
                log_probs.sizes(), "); received input length ", input_length[n], " of sample ", n);
    EMBER_CHECK(target_length[n] >= 0, "[ctc_loss] expected target_lengths >= 0; received ",
                target_length[n], " for sample ", n);
  }

  // Each sample's labels: a row of padded (N, S) targets, or its run of concatenated ones.
  const std::vector<int64_t> labels = host_values(targets);
  const bool padded = batched && targets.dim() == 2;
  EMBER_CHECK(padded || targets.dim() == 1,
              "[ctc_loss] expected targets of shape (N, S) or (sum(target_lengths)) (batched), or "
              "(S) (unbatched); received targets of shape ",
              targets.sizes(), " for log_probs of shape ", log_probs.sizes());
  std::vector<int64_t> start(batch);
  int64_t total = 0;
  for (int64_t n = 0; n < batch; ++n) {
    if (padded) {
      EMBER_CHECK(target_length[n] <= targets.size(1),
                  "[ctc_loss] expected target_lengths at "
                  "most ",
                  targets.size(1), " (the width of targets ", targets.sizes(), "); received ",
                  target_length[n], " for sample ", n);
      start[n] = n * targets.size(1);
    } else {
      start[n] = total;
    }
    total += target_length[n];
  }
  EMBER_CHECK(padded || total <= static_cast<int64_t>(labels.size()),
              "[ctc_loss] expected concatenated targets of at least ", total,
              " elements (the sum of target_lengths); received targets of shape ", targets.sizes());
  const int64_t longest = *std::max_element(target_length.begin(), target_length.end());
  const int64_t states = 2 * longest + 1;
  // extended[n, s]: blank at even s, label (s - 1) / 2 at odd s; skip[n, s]: the state may be
  // entered from s - 2 (a label differing from the label before it).
  std::vector<int64_t> extended(static_cast<size_t>(batch * states), blank);
  std::vector<uint8_t> skip(static_cast<size_t>(batch * states), 0);
  std::vector<int64_t> last_states(static_cast<size_t>(batch * 2));
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t i = 0; i < target_length[n]; ++i) {
      const int64_t label = labels[static_cast<size_t>(start[n] + i)];
      if (label < 0 || label >= classes) {
        detail::raise<IndexError>("[ctc_loss] Target ", label,
                                  " is out of bounds: expected class "
                                  "indices in [0, ",
                                  classes, "); received targets of shape ", targets.sizes(),
                                  " for log_probs of shape ", log_probs.sizes());
      }
      const int64_t s = 2 * i + 1;
      extended[static_cast<size_t>(n * states + s)] = label;
      skip[static_cast<size_t>(n * states + s)] =
          i > 0 && label != labels[static_cast<size_t>(start[n] + i - 1)];
    }
    last_states[static_cast<size_t>(2 * n)] = 2 * target_length[n];
    last_states[static_cast<size_t>(2 * n + 1)] = std::max<int64_t>(2 * target_length[n] - 1, 0);
  }
  const auto as_tensor = [](const std::vector<int64_t>& values, IntArrayRef shape) {
    return from_blob_copy(values.data(), shape, kInt64);
  };
  const Tensor extended_index = as_tensor(extended, {batch, states});
  std::vector<int64_t> skip_values(skip.begin(), skip.end());
  const Tensor can_skip = as_tensor(skip_values, {batch, states}) == 1;
  const Tensor active_frames = as_tensor(input_length, {batch, 1});

  // (T, N, states): the log-probability of each extended label at each frame.
  const Tensor emissions =
      lp.gather(2, extended_index.unsqueeze(0).expand({frames, batch, states}));
  const Tensor state_position = arange(states, TensorOptions(kInt64)).unsqueeze(0);
  const Tensor no_path = full({batch, 1}, kNoPath, TensorOptions(lp.dtype()));
  const Tensor first_states = state_position < 2;
  Tensor alpha = where(first_states, emissions.select(0, 0),
                       full({batch, states}, kNoPath, TensorOptions(lp.dtype())));
  for (int64_t t = 1; t < frames; ++t) {
    const Tensor from_previous = cat({no_path, alpha.narrow(1, 0, states - 1)}, 1);
    Tensor from_skip = states > 2 ? cat({no_path, no_path, alpha.narrow(1, 0, states - 2)}, 1)
                                  : full_like(alpha, kNoPath);
    from_skip = where(can_skip, from_skip, full_like(alpha, kNoPath));
    const Tensor next =
        stack({alpha, from_previous, from_skip}, 0).logsumexp({0}) + emissions.select(0, t);
    alpha = where(active_frames > t, next, alpha);
  }
  Tensor ends = alpha.gather(1, as_tensor(last_states, {batch, 2}));
  // A target of length 0 ends in state 0 only.
  const Tensor empty_target = as_tensor(target_length, {batch, 1}) == 0;
  const Tensor second_end = arange(2, TensorOptions(kInt64)).unsqueeze(0) == 1;
  ends = where(empty_target & second_end, full_like(ends, kNoPath), ends);
  // No frame: the empty target has probability 1, any other none.
  const Tensor no_frames = active_frames.squeeze(1) == 0;
  Tensor loss = where(no_frames, zeros({batch}, TensorOptions(lp.dtype())), -ends.logsumexp({1}));
  // No path: PyTorch's infinite loss.
  const Tensor impossible =
      (loss > -kNoPath / 2) | (no_frames & logical_not(empty_target.squeeze(1)));
  loss = zero_infinity
             ? where(impossible, zeros_like(loss), loss)
             : where(impossible, full_like(loss, std::numeric_limits<double>::infinity()), loss);
  if (reduction == Reduction::Mean) {
    return (loss / as_tensor(target_length, {batch}).clamp_min(1).to(lp.dtype())).mean();
  }
  if (reduction == Reduction::Sum) {
    return loss.sum();
  }
  return batched ? loss : loss.squeeze(0);
}

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths,
                IntArrayRef target_lengths, int64_t blank, int64_t reduction, bool zero_infinity) {
  return ctc_loss(
      log_probs, targets,
      from_blob_copy(input_lengths.data(), {static_cast<int64_t>(input_lengths.size())}, kInt64),
      from_blob_copy(target_lengths.data(), {static_cast<int64_t>(target_lengths.size())}, kInt64),
      blank, reduction, zero_infinity);
}

}  // namespace ember
