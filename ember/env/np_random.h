// numpy's Generator(PCG64(SeedSequence(seed))), bit for bit for the draws the environments and
// spaces use. Gymnasium seeds env.np_random and space.np_random this way, so the same seed gives
// the same reset and the same space sample in ember and in Gymnasium.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace ember::env {

// PCG64's 128-bit state (a GCC/Clang extension; __extension__ keeps -Wpedantic quiet).
__extension__ typedef unsigned __int128 Uint128;

class NpRandom {
 public:
  // SeedSequence(seed) -> PCG64, as np.random.default_rng(seed).
  explicit NpRandom(uint64_t seed);
  // A seed from the operating system's entropy (Gymnasium's unseeded np_random).
  static NpRandom from_entropy();

  // The seed this generator was made from (Gymnasium's np_random_seed).
  uint64_t seed() const { return seed_; }

  // PCG64's next 64-bit output (bit_generator.random_raw()).
  uint64_t next_uint64();
  // The next 32 bits: the low half of a 64-bit draw, then its high half (numpy's buffering).
  uint32_t next_uint32();
  // Generator.random(): 53 random bits in [0, 1).
  double random();
  // Generator.uniform(low, high) = low + (high - low) * random().
  double uniform(double low, double high);
  // Generator.integers(low, high) for int64 (high exclusive): numpy's Lemire bounded draw, which
  // takes 32-bit draws when the range fits in 32 bits.
  int64_t integers(int64_t low, int64_t high);
  // Generator.integers(low, high, size=count, dtype=int8): byte draws buffered in 32-bit words,
  // so one call's count matters (MultiBinary.sample).
  std::vector<int8_t> integers_int8(int8_t low, int8_t high, int64_t count);

 private:
  NpRandom() = default;
  void seed_from_words(const std::array<uint64_t, 4>& words);

  Uint128 state_ = 0;
  Uint128 increment_ = 0;
  bool has_uint32_ = false;
  uint32_t buffered_uint32_ = 0;
  uint64_t seed_ = 0;
};

// numpy's SeedSequence(entropy).generate_state(4, uint64) for one integer of entropy.
std::array<uint64_t, 4> seed_sequence_state(uint64_t entropy);

}  // namespace ember::env
