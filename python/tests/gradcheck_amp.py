"""Gradient cases of the amp family (op_db_amp.py): none, GradScaler's ops record no history."""
ZERO_GRADIENT = ()
STATE = "GradScaler's state update: in place on detached tensors, records no history"
NON_DIFFERENTIABLE = dict.fromkeys(("_amp_foreach_non_finite_check_and_unscale_",
                                    "_amp_update_scale_"), STATE)


def register(add, real):
    del add, real
