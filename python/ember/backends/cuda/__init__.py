"""ember.backends.cuda (torch.backends.cuda): ``matmul.allow_tf32``, whether float32 matrix
products on CUDA may use TF32 tensor cores (False by default). It is the same setting as
``ember.set_float32_matmul_precision``: True means "high", False "highest"."""
from ember import _C


class cuBLASModule:  # noqa: N801 (torch.backends.cuda.cuBLASModule)
    """The type of ``ember.backends.cuda.matmul``: attributes that read and write the cuBLAS
    switches kept in C++."""

    def __getattr__(self, name):
        if name == "allow_tf32":
            return _C._get_cublas_allow_tf32()
        raise AttributeError(f"Unknown attribute {name}")

    def __setattr__(self, name, value):
        if name == "allow_tf32":
            return _C._set_cublas_allow_tf32(bool(value))
        raise AttributeError(f"Unknown attribute {name}")


matmul = cuBLASModule()
