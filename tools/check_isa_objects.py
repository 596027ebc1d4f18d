"""Fails when an object compiled for a wider instruction set (the *_avx2 / *_avx512 kernel
files) defines a weak (COMDAT) function outside its ISA namespace that uses vector instructions.

Such a function is an inline function or template instance that other objects define too; the
linker keeps one copy for all of them, and if it keeps this one, code meant for every CPU runs
AVX2 or AVX-512 instructions (Note [SIMD dispatch]). Usage: check_isa_objects.py OBJECT...
"""
import re
import subprocess
import sys

ISA_OBJECT = re.compile(r"_(avx2|avx512)\.cpp\.o(bj)?$")
FUNCTION = re.compile(r"^[0-9a-f]+ <(.+)>:$")
# VEX/EVEX-encoded instructions (v-prefixed mnemonics) and AVX-512 mask registers.
VECTOR = re.compile(r"^\s*[0-9a-f]+:\s+(v[a-z0-9]+|k[a-z]+[bwdq]?)\s")


def weak_functions(path):
    symbols = subprocess.run(["nm", "-C", "--defined-only", path], capture_output=True,
                             text=True, check=True).stdout
    return {line.split(" ", 2)[2] for line in symbols.splitlines()
            if line.split(" ")[1:2] == ["W"]}


def vector_functions(path):
    listing = subprocess.run(["objdump", "-d", "-C", "--no-show-raw-insn", path],
                             capture_output=True, text=True, check=True).stdout
    found, current = set(), None
    for line in listing.splitlines():
        header = FUNCTION.match(line)
        if header:
            current = header.group(1)
        elif current and VECTOR.match(line):
            found.add(current)
    return found


def main(paths):
    failures = []
    for path in paths:
        match = ISA_OBJECT.search(path)
        if not match:
            continue
        own = f"ember::cpu::{match.group(1)}::"
        shared = {name for name in weak_functions(path) if own not in name}
        for name in sorted(shared & vector_functions(path)):
            failures.append(f"{path}: {name}")
    if failures:
        print("weak functions with vector code outside their ISA namespace (inline them, or move "
              "them into the ISA namespace):\n  " + "\n  ".join(failures))
        return 1
    print(f"ok: {sum(bool(ISA_OBJECT.search(p)) for p in paths)} ISA objects checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
