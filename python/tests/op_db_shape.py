"""op_db entries of one op family:
Joining, splitting and rearranging (cat, stack, split, flip, roll, repeat, diag, tril, ...).
"""

ENTRIES = []
