"""ember.cpu.amp (torch.cpu.amp): autocast with device_type 'cpu'."""
from ember.amp.legacy import cpu_autocast as autocast  # noqa: F401
