"""op_db entries of one op family:
Elementwise math and reductions (atan2, lgamma, lerp, nansum, var_mean, cdist, ...).
"""

ENTRIES = []
