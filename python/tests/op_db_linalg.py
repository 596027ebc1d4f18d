"""op_db entries of one op family:
Linear algebra (ember.linalg, einsum, tensordot, baddbmm, ...).
"""

ENTRIES = []
