"""ember.amp: mixed precision (torch.amp): autocast regions and GradScaler."""
from ember.amp.autocast_mode import autocast as autocast
from ember.amp.grad_scaler import GradScaler as GradScaler
