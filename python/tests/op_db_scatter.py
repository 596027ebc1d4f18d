"""op_db entries of one op family:
Gathering and scattering (gather, scatter, index_add, take, put_, ...).
"""

ENTRIES = []
