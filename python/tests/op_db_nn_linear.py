"""op_db entries of one op family: nn.functional's linear ops (named nn.functional.<name>)."""

ENTRIES = []
