// NpRandom against numpy: every expected value below was printed by numpy 2.4
// (np.random.SeedSequence(s).generate_state(4, np.uint64), PCG64(s).random_raw() and
// default_rng(s).random/uniform/integers), for seeds 0, 42 and 2**40 + 7.
#include "ember/env/np_random.h"

#include <gtest/gtest.h>

#include "ember/base/error.h"

namespace ember::env {
namespace {

struct Expected {
  uint64_t seed;
  std::array<uint64_t, 4> state;
  std::array<uint64_t, 3> raw;
  double random, uniform;
  std::array<int64_t, 5> coin_flips;
  int64_t wide, small;
  std::vector<int8_t> bits;
};

const Expected kExpected[] = {
    {0,
     {15793235383387715774ULL, 12390638538380655177ULL, 2361836109651742017ULL,
      3188717715514472916ULL},
     {11749869230777074271ULL, 4976686463289251617ULL, 755828109848996024ULL},
     0.6369616873214543,
     -0.02302132862361297,
     {0, 0, 0, 0, 0},
     1003585370534,
     3,
     {0, 1, 1, 1, 1, 1, 0}},
    {42,
     {11465652750463011511ULL, 15382171918060459190ULL, 9018504550953525431ULL,
      3703499796004394495ULL},
     {14276969152011380360ULL, 8095878257575067585ULL, 15838336090824644132ULL},
     0.7739560485559633,
     -0.006112156024794771,
     {0, 1, 0, 1, 0},
     1072708119942,
     -5,
     {1, 0, 1, 0, 1, 1, 0}},
    {(1ULL << 40) + 7,
     {974592680304384533ULL, 11164224302760304993ULL, 11068753026110695683ULL,
      4650291916314288918ULL},
     {15307346044642009514ULL, 4709548916763817589ULL, 2836937976252648324ULL},
     0.829812891829413,
     -0.024469484165089584,
     {0, 0, 1, 1, 1},
     538755658008,
     2,
     {1, 0, 1, 0, 0, 1, 0}},
};

TEST(NpRandom, SeedSequenceStateIsNumpys) {
  for (const auto& expected : kExpected) {
    EXPECT_EQ(seed_sequence_state(expected.seed), expected.state) << expected.seed;
  }
}

TEST(NpRandom, RawDrawsArePcg64s) {
  for (const auto& expected : kExpected) {
    NpRandom rng(expected.seed);
    for (uint64_t raw : expected.raw) EXPECT_EQ(rng.next_uint64(), raw) << expected.seed;
  }
}

TEST(NpRandom, GeneratorMethodsMatchNumpy) {
  for (const auto& expected : kExpected) {
    NpRandom rng(expected.seed);
    EXPECT_EQ(rng.random(), expected.random);
    EXPECT_EQ(rng.uniform(-0.05, 0.05), expected.uniform);
    for (int64_t flip : expected.coin_flips) EXPECT_EQ(rng.integers(0, 2), flip);
    EXPECT_EQ(rng.integers(0, int64_t{1} << 40), expected.wide);
    EXPECT_EQ(rng.integers(-5, 5), expected.small);
    NpRandom bytes(expected.seed);
    EXPECT_EQ(bytes.integers_int8(0, 2, 7), expected.bits);
  }
}

TEST(NpRandom, EmptyRangeIsAValueError) {
  NpRandom rng(1);
  EXPECT_THROW(rng.integers(3, 3), ValueError);
  EXPECT_THROW(rng.integers_int8(1, 0, 2), ValueError);
}

TEST(NpRandom, FromEntropyRemembersItsSeed) {
  NpRandom a = NpRandom::from_entropy();
  NpRandom b(a.seed());
  EXPECT_EQ(a.next_uint64(), b.next_uint64());
}

}  // namespace
}  // namespace ember::env
