"""DataLoader in the main process (num_workers=0): batching, shuffling, samplers, collate_fn,
drop_last, len(), iterable datasets, argument errors as PyTorch's, and tqdm around it."""
import io
import multiprocessing

import pytest
from ember.utils.data import (
    BatchSampler,
    DataLoader,
    Dataset,
    IterableDataset,
    SequentialSampler,
    TensorDataset,
    get_worker_info,
)

import ember


class Count(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


class Unsized(Dataset):
    def __getitem__(self, index):
        return index


def labels(loader):
    return [batch[1].tolist() for batch in loader]


@pytest.fixture
def dataset():
    return TensorDataset(ember.arange(20.0).reshape(10, 2), ember.arange(10))


def test_batches_in_order(dataset):
    loader = DataLoader(dataset, batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and len(batches) == 3
    assert batches[0][0].shape == (4, 2) and batches[2][0].shape == (2, 2)
    assert labels(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_drop_last(dataset):
    loader = DataLoader(dataset, batch_size=4, drop_last=True)
    assert len(loader) == 2 and labels(loader) == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_shuffle_reproducible_with_manual_seed_and_generator(dataset):
    ember.manual_seed(0)
    first = labels(DataLoader(dataset, batch_size=3, shuffle=True))
    ember.manual_seed(0)
    assert labels(DataLoader(dataset, batch_size=3, shuffle=True)) == first
    assert sorted(index for batch in first for index in batch) == list(range(10))
    loader = DataLoader(dataset, batch_size=10, shuffle=True,
                        generator=ember.Generator().manual_seed(4))
    # As PyTorch's: each epoch first draws the workers' base seed, then the permutation.
    generator = ember.Generator().manual_seed(4)
    ember.empty((), dtype=ember.int64).random_(generator=generator)
    assert labels(loader) == [ember.randperm(10, generator=generator).tolist()]


def test_sampler_and_batch_sampler(dataset):
    loader = DataLoader(dataset, batch_size=2, sampler=[9, 8, 7])
    assert labels(loader) == [[9, 8], [7]]
    loader = DataLoader(dataset, batch_sampler=[[1, 3], [5]])
    assert labels(loader) == [[1, 3], [5]] and len(loader) == 2
    loader = DataLoader(dataset, batch_sampler=BatchSampler(SequentialSampler(dataset), 5, False))
    assert len(loader) == 2


def test_batch_size_none_converts_samples(dataset):
    loader = DataLoader(dataset, batch_size=None)
    samples = list(loader)
    assert len(loader) == 10 and len(samples) == 10 and samples[3][1].item() == 3


def test_collate_fn(dataset):
    loader = DataLoader(dataset, batch_size=3, collate_fn=lambda batch: len(batch))
    assert list(loader) == [3, 3, 3, 1]


def test_iterable_dataset():
    assert [batch.tolist() for batch in DataLoader(Count(5), batch_size=2)] == [[0, 1], [2, 3],
                                                                                 [4]]
    loader = DataLoader(Count(5), batch_size=2, drop_last=True)
    assert [batch.tolist() for batch in loader] == [[0, 1], [2, 3]] and len(loader) == 2
    assert len(DataLoader(Count(5), batch_size=2)) == 3
    assert list(DataLoader(Count(3), batch_size=None)) == [0, 1, 2]  # default_convert


def test_len_without_dataset_len_raises():
    with pytest.raises(TypeError):
        len(DataLoader(Unsized()))


def test_get_worker_info_is_none_in_the_main_process():
    assert get_worker_info() is None


@pytest.mark.skipif(ember.cuda.is_available(), reason="pins when a CUDA device is present")
def test_pin_memory_without_a_device_warns_and_goes_on_unpinned(dataset):
    loader = DataLoader(dataset, batch_size=5, pin_memory=True, pin_memory_device="", timeout=0)
    with pytest.warns(UserWarning, match="no accelerator is found"):
        batches = list(loader)
    assert len(batches) == 2


@pytest.mark.skipif(not ember.cuda.is_available(), reason="needs a CUDA device")
def test_pin_memory_pins_every_tensor_of_a_batch():
    from collections import namedtuple

    Pair = namedtuple("Pair", "x y")
    samples = [{"pair": Pair(ember.full((2,), float(i)), ember.tensor(i)), "name": str(i)}
               for i in range(4)]
    batches = list(DataLoader(samples, batch_size=2, pin_memory=True))
    for index, batch in enumerate(batches):
        assert isinstance(batch["pair"], Pair)
        assert batch["pair"].x.is_pinned() and batch["pair"].y.is_pinned()
        assert batch["name"] == [str(2 * index), str(2 * index + 1)]
    assert batches[1]["pair"].x[0, 0].item() == 2.0


def test_argument_errors(dataset):
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(dataset, num_workers=-1)
    with pytest.raises(ValueError, match="timeout option should be non-negative"):
        DataLoader(dataset, timeout=-1)
    with pytest.raises(ValueError, match="prefetch_factor option could only be specified"):
        DataLoader(dataset, prefetch_factor=2)
    with pytest.raises(ValueError, match="persistent_workers option needs num_workers > 0"):
        DataLoader(dataset, persistent_workers=True)
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(dataset, sampler=[0], shuffle=True)
    for extra in ({"batch_size": 2}, {"shuffle": True}, {"sampler": [0]}, {"drop_last": True}):
        with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
            DataLoader(dataset, batch_sampler=[[0]], **extra)
    with pytest.raises(ValueError, match="batch_size=None option disables auto-batching"):
        DataLoader(dataset, batch_size=None, drop_last=True)
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        DataLoader(dataset, batch_size=0)
    with pytest.raises(ValueError, match="should specify a valid start method"):
        DataLoader(dataset, num_workers=1, multiprocessing_context="teleport")
    with pytest.raises(TypeError, match="multiprocessing_context option should be a valid"):
        DataLoader(dataset, num_workers=1, multiprocessing_context=3)
    with pytest.raises(ValueError, match="prefetch_factor option should be non-negative"):
        DataLoader(dataset, num_workers=1, prefetch_factor=-1)


def test_iterable_dataset_argument_errors():
    with pytest.raises(ValueError, match="expected unspecified shuffle option"):
        DataLoader(Count(3), shuffle=True)
    with pytest.raises(ValueError, match="expected unspecified sampler option"):
        DataLoader(Count(3), sampler=[0])
    with pytest.raises(ValueError, match="expected unspecified batch_sampler option"):
        DataLoader(Count(3), batch_sampler=[[0]])


def test_attributes_are_frozen_after_init(dataset):
    loader = DataLoader(dataset)
    for name in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                 "persistent_workers"):
        with pytest.raises(ValueError, match=f"{name} attribute should not be set after "
                                             "DataLoader is initialized"):
            setattr(loader, name, None)


def test_multiprocessing_context_by_name(dataset):
    loader = DataLoader(dataset, num_workers=1, multiprocessing_context="spawn")
    assert isinstance(loader.multiprocessing_context, multiprocessing.context.BaseContext)


def test_tqdm_wraps_a_dataloader(dataset):
    tqdm = pytest.importorskip("tqdm").tqdm
    stream = io.StringIO()
    loader = DataLoader(dataset, batch_size=4)
    seen = [batch[1].tolist() for batch in tqdm(loader, file=stream, ascii=True, mininterval=0)]
    assert seen == labels(loader)
    shown = stream.getvalue()
    assert "3/3" in shown and "100%" in shown
