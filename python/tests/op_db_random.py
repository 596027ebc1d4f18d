"""op_db entries of one op family:
Random numbers (Generators, multinomial, poisson, randperm, in-place fills, ...).
"""

ENTRIES = []
