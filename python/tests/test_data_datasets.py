"""ember.utils.data datasets: TensorDataset, StackDataset, ConcatDataset, ChainDataset, Subset,
random_split, and their errors (PyTorch's semantics)."""
import pytest
from ember.utils.data import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    StackDataset,
    Subset,
    TensorDataset,
    random_split,
)

import ember


class Squares(Dataset):
    def __init__(self, n):
        self.n = n

    def __getitem__(self, index):
        return index * index

    def __len__(self):
        return self.n


class Count(IterableDataset):
    def __init__(self, start, stop):
        self.start, self.stop = start, stop

    def __iter__(self):
        return iter(range(self.start, self.stop))

    def __len__(self):
        return self.stop - self.start


def test_base_classes_require_overrides():
    with pytest.raises(NotImplementedError):
        Dataset()[0]
    with pytest.raises(NotImplementedError):
        iter(IterableDataset())


def test_tensor_dataset():
    x, y = ember.arange(12.0).reshape(6, 2), ember.arange(6)
    dataset = TensorDataset(x, y)
    assert len(dataset) == 6
    sample = dataset[4]
    assert isinstance(sample, tuple) and len(sample) == 2
    assert sample[0].tolist() == [8.0, 9.0] and sample[1].item() == 4
    assert dataset.tensors[0] is x


def test_tensor_dataset_errors():
    with pytest.raises(ValueError, match="Size mismatch"):
        TensorDataset(ember.zeros(3), ember.zeros(4))
    with pytest.raises(TypeError, match="expects tensors"):
        TensorDataset([1, 2, 3])
    with pytest.raises(ValueError, match="0-d"):
        TensorDataset(ember.tensor(1.0))
    with pytest.raises(ValueError, match="at least one"):
        TensorDataset()


def test_stack_dataset_tuple_and_dict():
    squares, tensors = Squares(3), TensorDataset(ember.arange(3))
    sample = StackDataset(squares, tensors)[2]
    assert isinstance(sample, tuple) and sample[0] == 4 and sample[1][0].item() == 2
    as_dict = StackDataset(square=squares, value=tensors)
    assert len(as_dict) == 3
    sample = as_dict[1]
    assert sample["square"] == 1 and sample["value"][0].item() == 1


def test_stack_dataset_errors():
    with pytest.raises(ValueError, match="both types"):
        StackDataset(Squares(2), other=Squares(2))
    with pytest.raises(ValueError, match="Size mismatch"):
        StackDataset(Squares(2), Squares(3))
    with pytest.raises(ValueError, match="At least one dataset"):
        StackDataset()


def test_concat_dataset_and_add():
    dataset = ConcatDataset([Squares(2), Squares(3)])
    assert len(dataset) == 5
    assert [dataset[i] for i in range(5)] == [0, 1, 0, 1, 4]
    assert dataset[-1] == 4 and dataset[-5] == 0
    assert dataset.cumulative_sizes == [2, 5]
    added = Squares(2) + Squares(1)
    assert isinstance(added, ConcatDataset) and len(added) == 3


def test_concat_dataset_errors():
    with pytest.raises(ValueError, match="empty"):
        ConcatDataset([])
    with pytest.raises(TypeError, match="IterableDataset"):
        ConcatDataset([Count(0, 2)])
    dataset = ConcatDataset([Squares(2)])
    with pytest.raises(ValueError, match="should not exceed"):
        dataset[-3]
    with pytest.raises(IndexError):
        dataset[2]


def test_chain_dataset_and_add():
    chained = ChainDataset([Count(0, 2), Count(5, 7)])
    assert list(chained) == [0, 1, 5, 6]
    assert len(chained) == 4
    added = Count(0, 1) + Count(3, 4)
    assert isinstance(added, ChainDataset) and list(added) == [0, 3]
    with pytest.raises(TypeError, match="only supports IterableDataset"):
        list(ChainDataset([Squares(2)]))
    with pytest.raises(TypeError, match="only supports IterableDataset"):
        len(ChainDataset([Squares(2)]))


def test_subset():
    subset = Subset(Squares(10), [9, 2, 5])
    assert len(subset) == 3
    assert [subset[i] for i in range(3)] == [81, 4, 25]
    assert subset.__getitems__([0, 2]) == [81, 25]


def test_subset_list_index_forwards_to_dataset():
    subset = Subset(TensorDataset(ember.arange(10)), [9, 2, 5])
    assert subset[[0, 2]][0].tolist() == [9, 5]


def test_random_split_lengths_partition_the_dataset():
    ember.manual_seed(0)
    parts = random_split(Squares(10), [3, 7])
    assert [len(part) for part in parts] == [3, 7]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))


def test_random_split_fractions():
    parts = random_split(Squares(10), [0.5, 0.3, 0.2], generator=ember.Generator().manual_seed(1))
    assert [len(part) for part in parts] == [5, 3, 2]
    # A remainder goes to the first subsets one by one.
    parts = random_split(Squares(11), [0.5, 0.5], generator=ember.Generator().manual_seed(1))
    assert [len(part) for part in parts] == [6, 5]
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(Squares(2), [1.0, 0.0])


def test_random_split_uses_ember_generators():
    first = random_split(Squares(20), [10, 10], generator=ember.Generator().manual_seed(42))
    again = random_split(Squares(20), [10, 10], generator=ember.Generator().manual_seed(42))
    assert first[0].indices == again[0].indices
    expected = ember.randperm(20, generator=ember.Generator().manual_seed(42)).tolist()
    assert first[0].indices + first[1].indices == expected
    ember.manual_seed(3)
    seeded = random_split(Squares(20), [10, 10])[0].indices
    ember.manual_seed(3)
    assert random_split(Squares(20), [10, 10])[0].indices == seeded


def test_random_split_errors():
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(Squares(10), [3, 3])
    with pytest.raises(ValueError, match="not between 0 and 1"):
        random_split(Squares(10), [1.5, -0.5])
