"""ember.backends (torch.backends): the switches of the CUDA math libraries.

``ember.backends.cuda.matmul.allow_tf32`` (cuBLAS, False by default) and
``ember.backends.cudnn.allow_tf32`` (cuDNN, True by default) work, and can be read and set, with
or without a GPU; they only change what CUDA kernels do.
"""
from ember.backends import cuda as cuda
from ember.backends import cudnn as cudnn
