"""ember.Size: the tuple subclass that Tensor.shape and Tensor.size() return, as torch.Size."""


class Size(tuple):
    def numel(self):
        count = 1
        for size in self:
            count *= size
        return count

    def __repr__(self):
        return f"ember.Size([{', '.join(str(size) for size in self)}])"

    def __getitem__(self, index):
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item
