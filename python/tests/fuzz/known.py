"""Defects already filed (issue 6) that the fuzzers would otherwise report again.

Each entry names the issue item it stands for and matches exactly those cases; remove it when
the fix lands (the fuzzers then check the case like any other).
"""

# Exceptions that name a problem with the call; anything else escaping an op is a defect, and
# so is a typed one whose message shows a C++ exception or an internal invariant.
TYPED = (RuntimeError, ValueError, TypeError, IndexError, NotImplementedError, OverflowError)
UNTYPED_MARKERS = ("std::", "bad_cast", "bad_alloc", "vector::", "basic_string", "internal")
# Known defects that show as an exception: (issue item, a piece of the message).
MESSAGES = []


def classify_error(error):
    """("error" | "skip" | "fail", detail) for an exception a case raised."""
    message = str(error)
    for reason, piece in MESSAGES:
        if piece in message:
            return "skip", reason
    if not isinstance(error, TYPED) or any(marker in message for marker in UNTYPED_MARKERS):
        return "fail", f"untyped exception {type(error).__name__}: {message[:300]}"
    return "error", f"{type(error).__name__}: {message[:200]}"


# Op-call cases: (issue item, predicate on the case).
OPCALL = []


def opcall_reason(case):
    """The KNOWN entry an op-call case falls under, or ""."""
    for reason, matches in OPCALL:
        if matches(case):
            return reason
    return ""


def graph_reason(program):
    """The KNOWN entry an autograd program falls under, or ""."""
    for reason, matches in GRAPH:
        if matches(program):
            return reason
    return ""


GRAPH = []

# Indexing cases: (issue item, predicate on the case).
INDEX = []


def index_reason(case):
    """The KNOWN entry an indexing case falls under, or ""."""
    for reason, matches in INDEX:
        if matches(case):
            return reason
    return ""
