"""nn.functional's padding, embedding, pixel-shuffle and fold functions.

Each is a C++ op bound in ember._C._nn (ember/ops/nn_pad.h, nn_embedding.h, nn_fold.h); this
module re-exports them for ember.nn.functional.
"""
from ember._C import _nn

pad = _nn.pad
embedding = _nn.embedding
embedding_bag = _nn.embedding_bag
pixel_shuffle = _nn.pixel_shuffle
pixel_unshuffle = _nn.pixel_unshuffle
unfold = _nn.unfold
fold = _nn.fold
