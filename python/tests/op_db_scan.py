"""op_db entries of one op family:
Scans, sorting and selection (cumsum, sort, topk, unique, searchsorted, histc, ...).
"""

ENTRIES = []
