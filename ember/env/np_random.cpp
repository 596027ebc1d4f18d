// numpy's SeedSequence and PCG64 (XSL-RR output over a 128-bit LCG), reproduced from their
// published definitions (numpy/random/bit_generator.pyx, numpy/random/src/pcg64).
#include "ember/env/np_random.h"

#include <random>

#include "ember/base/error.h"

namespace ember::env {
namespace {

// SeedSequence's hash constants.
constexpr uint32_t kInitA = 0x43b0d7e5;
constexpr uint32_t kMultA = 0x931e8875;
constexpr uint32_t kInitB = 0x8b51f9dd;
constexpr uint32_t kMultB = 0x58f38ded;
constexpr uint32_t kMixMultL = 0xca01f9dd;
constexpr uint32_t kMixMultR = 0x4973f715;
constexpr int kXShift = 16;
constexpr size_t kPoolSize = 4;

uint32_t hashmix(uint32_t value, uint32_t& hash_const) {
  value ^= hash_const;
  hash_const *= kMultA;
  value *= hash_const;
  value ^= value >> kXShift;
  return value;
}

uint32_t mix(uint32_t x, uint32_t y) {
  uint32_t result = kMixMultL * x - kMixMultR * y;
  return result ^ (result >> kXShift);
}

constexpr Uint128 kPcgMultiplier =
    (static_cast<Uint128>(2549297995355413924ULL) << 64) | 4865540595714422341ULL;

uint64_t rotate_right(uint64_t value, unsigned shift) {
  return (value >> shift) | (value << ((64 - shift) & 63));
}

}  // namespace

std::array<uint64_t, 4> seed_sequence_state(uint64_t entropy) {
  // The entropy as little-endian 32-bit words (one word for a value below 2^32, as numpy).
  std::vector<uint32_t> words{static_cast<uint32_t>(entropy)};
  if (entropy >> 32) words.push_back(static_cast<uint32_t>(entropy >> 32));
  std::array<uint32_t, kPoolSize> pool{};
  uint32_t hash_const = kInitA;
  for (size_t i = 0; i < kPoolSize; ++i) {
    pool[i] = hashmix(i < words.size() ? words[i] : 0, hash_const);
  }
  for (size_t src = 0; src < kPoolSize; ++src) {
    for (size_t dst = 0; dst < kPoolSize; ++dst) {
      if (src != dst) pool[dst] = mix(pool[dst], hashmix(pool[src], hash_const));
    }
  }
  // generate_state(4, uint64): eight 32-bit words cycling over the pool, paired low word first.
  std::array<uint64_t, 4> state{};
  uint32_t out_const = kInitB;
  for (size_t i = 0; i < 8; ++i) {
    uint32_t value = pool[i % kPoolSize];
    value ^= out_const;
    out_const *= kMultB;
    value *= out_const;
    value ^= value >> kXShift;
    state[i / 2] |= static_cast<uint64_t>(value) << (32 * (i % 2));
  }
  return state;
}

NpRandom::NpRandom(uint64_t seed) : seed_(seed) { seed_from_words(seed_sequence_state(seed)); }

NpRandom NpRandom::from_entropy() {
  std::random_device device;
  uint64_t seed = (static_cast<uint64_t>(device()) << 32) | device();
  return NpRandom(seed);
}

void NpRandom::seed_from_words(const std::array<uint64_t, 4>& words) {
  // PCG64's srandom: words 0-1 are the initial state (high word first), 2-3 the stream.
  Uint128 initial = (static_cast<Uint128>(words[0]) << 64) | words[1];
  Uint128 stream = (static_cast<Uint128>(words[2]) << 64) | words[3];
  state_ = 0;
  increment_ = (stream << 1) | 1;
  state_ = state_ * kPcgMultiplier + increment_;
  state_ += initial;
  state_ = state_ * kPcgMultiplier + increment_;
  has_uint32_ = false;
}

uint64_t NpRandom::next_uint64() {
  state_ = state_ * kPcgMultiplier + increment_;
  auto high = static_cast<uint64_t>(state_ >> 64);
  auto low = static_cast<uint64_t>(state_);
  return rotate_right(high ^ low, static_cast<unsigned>(state_ >> 122));
}

uint32_t NpRandom::next_uint32() {
  if (has_uint32_) {
    has_uint32_ = false;
    return buffered_uint32_;
  }
  uint64_t next = next_uint64();
  has_uint32_ = true;
  buffered_uint32_ = static_cast<uint32_t>(next >> 32);
  return static_cast<uint32_t>(next);
}

double NpRandom::random() {
  return static_cast<double>(next_uint64() >> 11) * (1.0 / 9007199254740992.0);
}

double NpRandom::uniform(double low, double high) {
  double range = high - low;
  return low + range * random();
}

int64_t NpRandom::integers(int64_t low, int64_t high) {
  EMBER_CHECK_VALUE(low < high, "[NpRandom.integers] expected low < high; received low=", low,
                    " high=", high);
  uint64_t range = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) - 1;
  if (range == 0) return low;
  uint64_t draw;
  if (range <= 0xFFFFFFFFULL) {
    if (range == 0xFFFFFFFFULL) {
      draw = next_uint32();
    } else {
      // Lemire's method on 32-bit draws.
      uint32_t range_excl = static_cast<uint32_t>(range) + 1;
      uint64_t product = static_cast<uint64_t>(next_uint32()) * range_excl;
      auto leftover = static_cast<uint32_t>(product);
      if (leftover < range_excl) {
        uint32_t threshold = (UINT32_MAX - static_cast<uint32_t>(range)) % range_excl;
        while (leftover < threshold) {
          product = static_cast<uint64_t>(next_uint32()) * range_excl;
          leftover = static_cast<uint32_t>(product);
        }
      }
      draw = product >> 32;
    }
  } else if (range == UINT64_MAX) {
    draw = next_uint64();
  } else {
    uint64_t range_excl = range + 1;
    Uint128 product = static_cast<Uint128>(next_uint64()) * range_excl;
    auto leftover = static_cast<uint64_t>(product);
    if (leftover < range_excl) {
      uint64_t threshold = (UINT64_MAX - range) % range_excl;
      while (leftover < threshold) {
        product = static_cast<Uint128>(next_uint64()) * range_excl;
        leftover = static_cast<uint64_t>(product);
      }
    }
    draw = static_cast<uint64_t>(product >> 64);
  }
  return static_cast<int64_t>(static_cast<uint64_t>(low) + draw);
}

std::vector<int8_t> NpRandom::integers_int8(int8_t low, int8_t high, int64_t count) {
  EMBER_CHECK_VALUE(low < high, "[NpRandom.integers] expected low < high; received low=", int{low},
                    " high=", int{high});
  auto range = static_cast<uint8_t>(static_cast<uint8_t>(high) - static_cast<uint8_t>(low) - 1);
  std::vector<int8_t> out(static_cast<size_t>(count));
  // Bytes come from one 32-bit draw, lowest byte first, refilled every fourth byte.
  int bytes_left = 0;
  uint32_t buffer = 0;
  auto next_byte = [&]() -> uint8_t {
    if (bytes_left == 0) {
      buffer = next_uint32();
      bytes_left = 3;
    } else {
      buffer >>= 8;
      --bytes_left;
    }
    return static_cast<uint8_t>(buffer);
  };
  for (auto& value : out) {
    uint8_t draw;
    if (range == 0) {
      draw = 0;
    } else if (range == 0xFF) {
      draw = next_byte();
    } else {
      auto range_excl = static_cast<uint8_t>(range + 1);
      auto product = static_cast<uint16_t>(next_byte() * range_excl);
      auto leftover = static_cast<uint8_t>(product);
      if (leftover < range_excl) {
        auto threshold = static_cast<uint8_t>((UINT8_MAX - range) % range_excl);
        while (leftover < threshold) {
          product = static_cast<uint16_t>(next_byte() * range_excl);
          leftover = static_cast<uint8_t>(product);
        }
      }
      draw = static_cast<uint8_t>(product >> 8);
    }
    value = static_cast<int8_t>(static_cast<uint8_t>(low) + draw);
  }
  return out;
}

}  // namespace ember::env
