"""ember.utils.data samplers: Sequential, Random, SubsetRandom, WeightedRandom, Batch and
DistributedSampler, drawn from ember's generators, and their typed errors."""
import collections

import pytest
from ember.utils.data import (
    BatchSampler,
    DistributedSampler,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)

import ember

DATA = list(range(10))


def test_sequential_sampler():
    assert list(SequentialSampler(DATA)) == DATA
    assert len(SequentialSampler(DATA)) == 10


def test_random_sampler_is_a_permutation_reproducible_with_manual_seed():
    ember.manual_seed(7)
    first = list(RandomSampler(DATA))
    ember.manual_seed(7)
    assert list(RandomSampler(DATA)) == first
    assert sorted(first) == DATA
    generator = ember.Generator().manual_seed(5)
    expected = ember.randperm(10, generator=ember.Generator().manual_seed(5)).tolist()
    assert list(RandomSampler(DATA, generator=generator)) == expected


def test_random_sampler_num_samples_and_replacement():
    sampler = RandomSampler(DATA, num_samples=25)
    drawn = list(sampler)
    assert len(sampler) == 25 and len(drawn) == 25
    assert all(count in (2, 3) for count in collections.Counter(drawn).values())
    with_replacement = RandomSampler(DATA, replacement=True, num_samples=70,
                                     generator=ember.Generator().manual_seed(0))
    drawn = list(with_replacement)
    assert len(drawn) == 70 and set(drawn) <= set(DATA)
    again = RandomSampler(DATA, replacement=True, num_samples=70,
                          generator=ember.Generator().manual_seed(0))
    assert list(again) == drawn


def test_random_sampler_errors():
    with pytest.raises(TypeError, match="replacement should be a boolean"):
        RandomSampler(DATA, replacement=1)
    for bad in (0, -1, 2.5):
        with pytest.raises(ValueError, match="num_samples should be a positive integer"):
            RandomSampler(DATA, num_samples=bad)
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        RandomSampler([])


def test_subset_random_sampler():
    indices = [3, 9, 4, 1]
    generator = ember.Generator().manual_seed(2)
    drawn = list(SubsetRandomSampler(indices, generator=generator))
    assert sorted(drawn) == sorted(indices)
    order = ember.randperm(4, generator=ember.Generator().manual_seed(2)).tolist()
    assert drawn == [indices[i] for i in order]
    assert len(SubsetRandomSampler(indices)) == 4


def test_weighted_random_sampler():
    sampler = WeightedRandomSampler([0.0, 0.0, 1.0, 0.0], num_samples=8)
    assert list(sampler) == [2] * 8 and len(sampler) == 8
    without = list(WeightedRandomSampler([1, 1, 1, 0], 3, replacement=False,
                                         generator=ember.Generator().manual_seed(0)))
    assert sorted(without) == [0, 1, 2]
    weights = [0.1, 0.5, 0.4]
    first = list(WeightedRandomSampler(weights, 20, generator=ember.Generator().manual_seed(9)))
    again = list(WeightedRandomSampler(weights, 20, generator=ember.Generator().manual_seed(9)))
    assert first == again


def test_weighted_random_sampler_errors():
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        WeightedRandomSampler([1.0], 0)
    with pytest.raises(ValueError, match="replacement should be a boolean"):
        WeightedRandomSampler([1.0], 1, replacement=None)
    with pytest.raises(ValueError, match="weights should be a 1d sequence"):
        WeightedRandomSampler([[1.0, 2.0]], 1)


def test_batch_sampler():
    assert list(BatchSampler(DATA, 4, False)) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert list(BatchSampler(DATA, 4, True)) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert len(BatchSampler(DATA, 4, False)) == 3 and len(BatchSampler(DATA, 4, True)) == 2


def test_batch_sampler_errors():
    for bad in (0, -2, True, 1.0):
        with pytest.raises(ValueError, match="batch_size should be a positive integer"):
            BatchSampler(DATA, bad, False)
    with pytest.raises(ValueError, match="drop_last should be a boolean"):
        BatchSampler(DATA, 2, 0)


def test_distributed_sampler_partitions_and_pads():
    shards = [list(DistributedSampler(DATA, num_replicas=3, rank=r, shuffle=False))
              for r in range(3)]
    assert shards == [[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]
    assert len(DistributedSampler(DATA, num_replicas=3, rank=0)) == 4
    dropped = [list(DistributedSampler(DATA, num_replicas=3, rank=r, shuffle=False,
                                       drop_last=True)) for r in range(3)]
    assert dropped == [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    assert len(DistributedSampler(DATA, num_replicas=3, rank=0, drop_last=True)) == 3
    # Padding longer than the dataset repeats it.
    assert list(DistributedSampler([0, 1], num_replicas=5, rank=4, shuffle=False)) == [0]


def test_distributed_sampler_shuffles_by_seed_and_epoch():
    def shard(rank, epoch=0, seed=0):
        sampler = DistributedSampler(DATA, num_replicas=2, rank=rank, seed=seed)
        sampler.set_epoch(epoch)
        return list(sampler)

    assert sorted(shard(0) + shard(1)) == DATA
    assert shard(0) == shard(0)
    expected = ember.randperm(10, generator=ember.Generator().manual_seed(3)).tolist()[0::2]
    assert shard(0, epoch=1, seed=2) == expected
    assert shard(0, epoch=1) != shard(0, epoch=2) or shard(0, epoch=3) != shard(0, epoch=4)


def test_distributed_sampler_errors():
    with pytest.raises(ValueError, match=r"Invalid rank 3, rank should be in .*\[0, 2\]"):
        DistributedSampler(DATA, num_replicas=3, rank=3)
    with pytest.raises(ValueError, match="Invalid rank"):
        DistributedSampler(DATA, num_replicas=3, rank=-1)
    # Without them, num_replicas and rank come from the default group, which is not initialized.
    with pytest.raises(RuntimeError, match="Default process group has not been initialized"):
        DistributedSampler(DATA)
    with pytest.raises(ValueError, match="num_replicas should be a positive integer"):
        DistributedSampler(DATA, num_replicas=0, rank=0)
