"""ember.Size: the tuple subclass that Tensor.shape and Tensor.size() return, as torch.Size."""
import operator


class Size(tuple):
    """Size(sizes) -> ember.Size

    A tensor's shape: a tuple of ints. Slicing, `+` and `*` give a Size again; any API that takes
    a shape accepts one.
    """

    __slots__ = ()

    def __new__(cls, sizes=()):
        dims = []
        for position, size in enumerate(sizes):
            try:
                dims.append(operator.index(size))
            except TypeError:
                raise TypeError(f"ember.Size() takes an iterable of 'int' (item {position} is "
                                f"'{type(size).__name__}')") from None
        return super().__new__(cls, dims)

    def numel(self):
        """numel() -> int

        The number of elements of a tensor of this shape (1 for Size([])).
        """
        count = 1
        for size in self:
            count *= size
        return count

    def __repr__(self):
        return f"ember.Size([{', '.join(str(size) for size in self)}])"

    def __getitem__(self, index):
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    # Size + tuple and Size * n stay a Size, as torch.Size's; tuple + Size is a tuple there too.
    def __add__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + tuple(other))

    def __mul__(self, count):
        if not isinstance(count, int):
            return NotImplemented
        return Size(tuple(self) * count)

    __rmul__ = __mul__
