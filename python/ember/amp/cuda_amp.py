"""ember.cuda.amp (torch.cuda.amp): autocast with device_type 'cuda' and its GradScaler."""
from ember.amp.legacy import CudaGradScaler as GradScaler  # noqa: F401
from ember.amp.legacy import cuda_autocast as autocast  # noqa: F401
