"""op_db entries of one op family: nn.functional's loss ops (named nn.functional.<name>)."""

ENTRIES = []
