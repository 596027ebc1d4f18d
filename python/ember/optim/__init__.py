"""ember.optim (torch.optim): the learning-rate schedulers."""
from ember.optim import lr_scheduler as lr_scheduler
