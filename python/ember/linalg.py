"""ember.linalg: torch.linalg's functions (batched, float32/float64, through LAPACK).

Everything is bound in C++ (ember._C._linalg, a submodule of the extension, which Python's
import system cannot reach by dotted name); this module only re-exports its functions.
"""
from ember._C import _linalg

globals().update({name: getattr(_linalg, name) for name in dir(_linalg)
                  if not name.startswith("_")})
