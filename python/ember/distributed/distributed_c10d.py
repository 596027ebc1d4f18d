"""ember.distributed's process groups and collectives, with torch.distributed's names and
signatures. Rendezvous, the groups, the argument checks and the engines are C++
(ember/distributed/); this module maps PyTorch's Python conventions onto them: defaults, the
group sentinels, async_op and the object collectives' serialization.

Roots, sources and destinations are ranks of the default group (global ranks), as in PyTorch,
whatever group the call names. A process that is not a member of the group a collective names
gets None back and nothing happens, as in PyTorch.
"""

import datetime

import ember
from ember._C import _checkpoint
from ember._C import _distributed as _dist

ReduceOp = _dist.ReduceOp
Work = _dist.Work
ProcessGroup = _dist.ProcessGroup
Store = _dist.Store
TCPStore = _dist.TCPStore
FileStore = _dist.FileStore
HashStore = _dist.HashStore
PrefixStore = _dist.PrefixStore
DistError = _dist.DistError
DistBackendError = _dist.DistBackendError
DistStoreError = _dist.DistStoreError
DistNetworkError = _dist.DistNetworkError

# torch.distributed's default for the CPU backends.
default_pg_timeout = datetime.timedelta(minutes=30)

__all__ = [
    "Backend", "DistBackendError", "DistError", "DistNetworkError", "DistStoreError", "FileStore",
    "GroupMember", "HashStore", "PrefixStore", "ProcessGroup", "ReduceOp", "Store", "TCPStore",
    "Work", "all_gather", "all_gather_into_tensor", "all_gather_object", "all_reduce",
    "all_to_all", "all_to_all_single", "barrier", "broadcast", "broadcast_object_list",
    "default_pg_timeout", "destroy_process_group", "gather", "gather_object", "get_backend",
    "get_global_rank", "get_group_rank", "get_process_group_ranks", "get_rank", "get_world_size",
    "group", "init_process_group", "irecv", "is_available", "is_gloo_available",
    "is_initialized", "is_mpi_available", "is_nccl_available", "isend", "new_group", "recv",
    "reduce", "reduce_scatter", "reduce_scatter_tensor", "scatter", "scatter_object_list", "send",
]


class Backend(str):
    """A backend's name: Backend("GLOO") == Backend.GLOO == "gloo"."""

    UNDEFINED = "undefined"
    GLOO = "gloo"
    MPI = "mpi"
    NCCL = "nccl"

    def __new__(cls, name):
        if not isinstance(name, str):
            raise ValueError(f"Backend constructor parameter must be string-ish, got {name!r}")
        value = getattr(Backend, name.upper(), Backend.UNDEFINED)
        if value == Backend.UNDEFINED:
            raise ValueError(f"Invalid backend: '{name}'; expected 'gloo', 'mpi' or 'nccl'")
        return str.__new__(cls, value)


class _WorldMeta(type):
    """GroupMember.WORLD and group.WORLD: the default group once initialized, else None."""

    @property
    def WORLD(cls):  # noqa: N802 (PyTorch's name)
        return _dist._default_group() if _dist.is_initialized() else None


class GroupMember(metaclass=_WorldMeta):
    """NON_GROUP_MEMBER: what new_group returns on a process it does not include."""

    NON_GROUP_MEMBER = -100


class group(metaclass=_WorldMeta):  # noqa: N801 (PyTorch's name)
    """group.WORLD: the default group."""


def is_available():
    """True: ember always has the distributed package (is_*_available tell the engines)."""
    return True


def is_gloo_available():
    return _dist.is_gloo_available()


def is_mpi_available():
    return _dist.is_mpi_available()


def is_nccl_available():
    return _dist.is_nccl_available()


def _not_in_group(group):
    return group is GroupMember.NON_GROUP_MEMBER or (
        isinstance(group, int) and group == GroupMember.NON_GROUP_MEMBER)


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1,
                       store=None, group_name="", pg_options=None, device_id=None):
    """Initializes the default group: rendezvous through init_method ("env://" by default,
    "tcp://host:port" or "file:///path") or through store, then connects the engine. backend is
    "gloo" (CPU), "mpi" (CPU, under mpirun) or "nccl" (CUDA); None picks ember's default.
    timeout bounds every operation of the group (default 30 minutes). pg_options and device_id
    are accepted for PyTorch's signature and unused."""
    del pg_options, device_id
    if init_method is not None and store is not None:
        raise ValueError("Cannot specify both init_method and store.")
    if store is not None and (world_size <= 0 or rank < 0):
        raise ValueError("world_size and rank must be given with store "
                         f"(got world_size={world_size}, rank={rank})")
    if timeout is not None and not isinstance(timeout, datetime.timedelta):
        raise TypeError(f"Expected timeout argument to be of type datetime.timedelta, got "
                        f"{type(timeout).__name__}")
    _dist.init_process_group(None if backend is None else str(Backend(backend)), init_method, rank,
                          world_size, timeout, store, group_name)


def destroy_process_group(group=None):
    """Destroys group, or every group (and the default one) when None."""
    if _not_in_group(group):
        return
    _dist.destroy_process_group(group)


def is_initialized():
    return _dist.is_initialized()


def get_rank(group=None):
    """This process's rank in group (the default group when None); -1 for a non-member."""
    if _not_in_group(group):
        return -1
    return _dist.get_rank(group)


def get_world_size(group=None):
    """The number of processes in group (the default group when None); -1 for a non-member."""
    if _not_in_group(group):
        return -1
    return _dist.get_world_size(group)


def get_backend(group=None):
    if _not_in_group(group):
        raise ValueError("Invalid process group specified")
    return Backend(_dist.get_backend(group))


def new_group(ranks=None, timeout=None, backend=None, pg_options=None,
              use_local_synchronization=False, group_desc=None):
    """A group of the given global ranks (every rank when None). Every process of the default
    group must call it, members or not; non-members get GroupMember.NON_GROUP_MEMBER."""
    del pg_options, group_desc
    if use_local_synchronization:
        raise NotImplementedError("new_group(use_local_synchronization=True) is not supported: "
                                  "every process of the default group calls new_group")
    made = _dist.new_group(sorted(ranks) if ranks is not None else [], timeout,
                        None if backend is None else str(Backend(backend)))
    return GroupMember.NON_GROUP_MEMBER if made is None else made


def get_group_rank(group, global_rank):
    return _dist.get_group_rank(group, global_rank)


def get_global_rank(group, group_rank):
    return _dist.get_global_rank(group, group_rank)


def get_process_group_ranks(group):
    """The global ranks of group's members, in group-rank order."""
    return _dist.get_process_group_ranks(group)


def barrier(group=None, async_op=False, device_ids=None):
    del device_ids
    if _not_in_group(group):
        return None
    return _dist.barrier(group, async_op)


def all_reduce(tensor, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduces tensor across the group in place, every rank receiving the result."""
    if _not_in_group(group):
        return None
    return _dist.all_reduce(tensor, op, group, async_op)


def broadcast(tensor, src=0, group=None, async_op=False):
    """Copies rank src's tensor into every rank's tensor."""
    if _not_in_group(group):
        return None
    return _dist.broadcast(tensor, src, group, async_op)


def reduce(tensor, dst=0, op=ReduceOp.SUM, group=None, async_op=False):
    """Reduces tensor across the group into rank dst's tensor; others' are left as they were."""
    if _not_in_group(group):
        return None
    return _dist.reduce(tensor, dst, op, group, async_op)


def all_gather(tensor_list, tensor, group=None, async_op=False):
    """tensor_list[r] receives rank r's tensor."""
    if _not_in_group(group):
        return None
    return _dist.all_gather(list(tensor_list), tensor, group, async_op)


def all_gather_into_tensor(output_tensor, input_tensor, group=None, async_op=False):
    """output_tensor receives every rank's input_tensor, concatenated along dim 0."""
    if _not_in_group(group):
        return None
    return _dist.all_gather_into_tensor(output_tensor, input_tensor, group, async_op)


def reduce_scatter(output, input_list, op=ReduceOp.SUM, group=None, async_op=False):
    """Rank r's output receives the reduction of every rank's input_list[r]."""
    if _not_in_group(group):
        return None
    return _dist.reduce_scatter(output, list(input_list), op, group, async_op)


def reduce_scatter_tensor(output, input, op=ReduceOp.SUM, group=None, async_op=False):
    """Rank r's output receives the reduction of every rank's r-th dim-0 chunk of input."""
    if _not_in_group(group):
        return None
    return _dist.reduce_scatter_tensor(output, input, op, group, async_op)


def gather(tensor, gather_list=None, dst=0, group=None, async_op=False):
    """Rank dst's gather_list[r] receives rank r's tensor; gather_list is None elsewhere."""
    if _not_in_group(group):
        return None
    return _dist.gather(tensor, list(gather_list or []), dst, group, async_op)


def scatter(tensor, scatter_list=None, src=0, group=None, async_op=False):
    """Rank r's tensor receives rank src's scatter_list[r]; scatter_list is None elsewhere."""
    if _not_in_group(group):
        return None
    return _dist.scatter(tensor, list(scatter_list or []), src, group, async_op)


def all_to_all(output_tensor_list, input_tensor_list, group=None, async_op=False):
    """Rank r's output_tensor_list[s] receives rank s's input_tensor_list[r]."""
    if _not_in_group(group):
        return None
    return _dist.all_to_all(list(output_tensor_list), list(input_tensor_list), group, async_op)


def all_to_all_single(output, input, output_split_sizes=None, input_split_sizes=None,
                      group=None, async_op=False):
    """all_to_all over dim-0 slices of one input and one output (equal slices when the split
    sizes are None)."""
    if _not_in_group(group):
        return None
    return _dist.all_to_all_single(output, input, list(output_split_sizes or []),
                                list(input_split_sizes or []), group, async_op)


def send(tensor, dst, group=None, tag=0):
    """Sends tensor to rank dst (waits until it was sent)."""
    if _not_in_group(group):
        return
    _dist.send(tensor, dst, group, tag)


def recv(tensor, src=None, group=None, tag=0):
    """Receives into tensor from rank src (any rank when None); returns the sender's rank, -1
    for a non-member."""
    if _not_in_group(group):
        return -1
    return _dist.recv(tensor, -1 if src is None else src, group, tag)


def isend(tensor, dst, group=None, tag=0):
    """send, returning a Work at once."""
    if _not_in_group(group):
        return None
    return _dist.isend(tensor, dst, group, tag)


def irecv(tensor, src=None, group=None, tag=0):
    """recv, returning a Work at once."""
    if _not_in_group(group):
        return None
    return _dist.irecv(tensor, -1 if src is None else src, group, tag)


# The object collectives: each object travels as its checkpoint bytes (ember.save's format, which
# holds None, bool, int, float, str, Tensor and dicts, lists and tuples of them; anything else
# raises TypeError, and loading never runs code). Lengths go first, so receivers size their
# buffers.

def _object_bytes(obj):
    return _checkpoint.save_bytes(obj)


def _load_object(data):
    return _checkpoint.load_bytes(data, None)


def _lengths_tensor(lengths):
    return ember.tensor(lengths, dtype=ember.int64)


def _empty_bytes(length):
    return ember.empty(length, dtype=ember.uint8)


def _gathered_lengths(payload, size, group):
    """Every rank's payload length, by all_gather."""
    lengths = [_lengths_tensor([0]) for _ in range(size)]
    all_gather(lengths, _lengths_tensor([len(payload)]), group)
    return [int(t.item()) for t in lengths]


def _broadcast_lengths(payloads, count, src, group):
    """The lengths of src's `count` payloads (None on the other ranks), by broadcast."""
    lengths = _lengths_tensor([len(p) for p in payloads] if payloads is not None else [0] * count)
    broadcast(lengths, src, group)
    return lengths.tolist()


def broadcast_object_list(object_list, src=0, group=None, device=None):
    """Replaces object_list's items on every rank with rank src's (same length on every rank).
    Objects must be what ember.save holds; others raise TypeError on src."""
    del device
    if _not_in_group(group):
        return
    me = get_rank()
    payloads = [_object_bytes(obj) for obj in object_list] if me == src else None
    sizes = _broadcast_lengths(payloads, len(object_list), src, group)
    data = _dist._bytes_to_tensor(b"".join(payloads)) if me == src else _empty_bytes(sum(sizes))
    broadcast(data, src, group)
    if me != src:
        blob = _dist._tensor_to_bytes(data, sum(sizes))
        offset = 0
        for i, size in enumerate(sizes):
            object_list[i] = _load_object(blob[offset:offset + size])
            offset += size


def _padded(payload, length):
    return _dist._bytes_to_tensor(payload + bytes(length - len(payload)))


def all_gather_object(object_list, obj, group=None):
    """object_list[r] receives rank r's obj (object_list has the group's size). obj must be what
    ember.save holds; anything else raises TypeError."""
    if _not_in_group(group):
        return
    payload = _object_bytes(obj)
    size = get_world_size(group)
    sizes = _gathered_lengths(payload, size, group)
    longest = max(sizes)
    buffers = [_empty_bytes(longest) for _ in range(size)]
    all_gather(buffers, _padded(payload, longest), group)
    for r in range(size):
        object_list[r] = _load_object(_dist._tensor_to_bytes(buffers[r], sizes[r]))


def gather_object(obj, object_gather_list=None, dst=0, group=None):
    """Rank dst's object_gather_list[r] receives rank r's obj; None elsewhere. obj must be what
    ember.save holds; anything else raises TypeError."""
    if _not_in_group(group):
        return
    payload = _object_bytes(obj)
    size = get_world_size(group)
    sizes = _gathered_lengths(payload, size, group)
    longest = max(sizes)
    is_dst = get_rank() == dst
    buffers = [_empty_bytes(longest) for _ in range(size)] if is_dst else None
    gather(_padded(payload, longest), buffers, dst, group)
    if is_dst:
        for r in range(size):
            object_gather_list[r] = _load_object(_dist._tensor_to_bytes(buffers[r], sizes[r]))


def scatter_object_list(scatter_object_output_list, scatter_object_input_list=None, src=0,
                        group=None):
    """scatter_object_output_list[0] receives rank src's scatter_object_input_list[r] on rank r.
    Objects must be what ember.save holds; others raise TypeError on src."""
    if _not_in_group(group):
        return
    size = get_world_size(group)
    is_src = get_rank() == src
    payloads = [_object_bytes(obj) for obj in scatter_object_input_list] if is_src else None
    sizes = _broadcast_lengths(payloads, size, src, group)
    longest = max(sizes)
    output = _empty_bytes(longest)
    inputs = [_padded(p, longest) for p in payloads] if is_src else None
    scatter(output, inputs, src, group)
    scatter_object_output_list[0] = _load_object(
        _dist._tensor_to_bytes(output, sizes[get_rank(group)]))
