"""ember.utils: utilities as torch.utils (data loading; other helpers add their modules below)."""
from ember.utils import data as data
