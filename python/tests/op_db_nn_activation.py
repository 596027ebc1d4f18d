"""op_db entries of one op family: nn.functional's activation ops (named nn.functional.<name>)."""

ENTRIES = []
