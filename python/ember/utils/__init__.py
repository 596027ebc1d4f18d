"""ember.utils: utilities as torch.utils (data loading, DLPack, ...)."""
from ember.utils import data as data
from ember.utils import dlpack as dlpack
