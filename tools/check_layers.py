#!/usr/bin/env python3
"""Checks the layering of DESIGN §2 on the built static libraries (a ctest test, `check_layers`).

For each layer's static library, every undefined `ember::` symbol must be defined in that layer or
in a layer below it. A call in the wrong direction can still link (a static link pulls members in
link order and hides it), so this reads the symbol tables instead of trusting the link.

Usage: check_layers.py LIB_DIR [NM]   (LIB_DIR holds libember_*.a; NM defaults to `nm`)
"""

import os
import pathlib
import re
import subprocess
import sys

# Lowest first; docs/architecture.md "Layers as built".
LAYERS = ["base", "tensor", "elementwise", "backend_cpu", "ops", "autograd", "nn", "optim", "data"]
# serialize sits above autograd and below nn (ember/serialize/CMakeLists.txt).
LAYERS.insert(LAYERS.index("nn"), "serialize")
# checkpoint (ember::save / ember::load) sits above optim (ember/CMakeLists.txt).
LAYERS.append("checkpoint")
# distributions (issue 13) sits above autograd (ember/CMakeLists.txt).
LAYERS.append("distributions")
# env (ember::env: spaces, Env, built-in environments) sits above autograd (ember/CMakeLists.txt).
LAYERS.append("env")
# distributed (stores, process groups, the DDP reducer and module) sits above nn
# (ember/CMakeLists.txt).
LAYERS.append("distributed")
# The CUDA backend's host-side logic (the allocator, the kernel emulator, the kernels' layouts,
# which read the primitives and build their index tables with ops) and the backend itself (built
# with EMBER_CUDA) sit above ops: the backend registers kernels by primitive kind.
OPTIONAL_LAYERS = {"backend_cuda_host", "backend_cuda"}
LAYERS.insert(LAYERS.index("autograd"), "backend_cuda_host")
LAYERS.insert(LAYERS.index("autograd"), "backend_cuda")

# Mangled names of entities in namespace ember (functions, data, vtables, typeinfo, guards and
# statics of ember functions), whatever their return type; std templates on ember types excluded.
EMBER_SYMBOL = re.compile(r"_Z(?:T[VIST]|GV)?Z?N[rVKRO]*5ember")


def symbols(nm: str, lib: pathlib.Path, defined: bool) -> set[str]:
    args = [nm, "--defined-only" if defined else "--undefined-only", str(lib)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split(maxsplit=2) if defined else line.split(maxsplit=1)
        if len(parts) < 2 or line.endswith(":"):
            continue  # blank lines and the "member.o:" headers of the archive
        if EMBER_SYMBOL.match(parts[-1]):
            names.add(parts[-1])
    return names


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1])
    nm = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("NM", "nm")
    present = [layer for layer in LAYERS
               if layer not in OPTIONAL_LAYERS or (root / f"libember_{layer}.a").is_file()]
    LAYERS[:] = present
    libs = {layer: root / f"libember_{layer}.a" for layer in LAYERS}
    for lib in libs.values():
        if not lib.is_file():
            print(f"check_layers: {lib} not found", file=sys.stderr)
            return 2
    defined = {layer: symbols(nm, libs[layer], defined=True) for layer in LAYERS}
    defined_at = {}
    for level, layer in enumerate(LAYERS):
        for name in defined[layer]:
            defined_at.setdefault(name, level)
    failures = []  # (layer, mangled name, where it is defined)
    for level, layer in enumerate(LAYERS):
        for name in sorted(symbols(nm, libs[layer], defined=False) - defined[layer]):
            where = defined_at.get(name)
            if where is None:
                failures.append((layer, name, "in no layer"))
            elif where > level:
                failures.append((layer, name, f"only in {LAYERS[where]}"))
    if failures:
        names = "\n".join(name for _, name, _ in failures)
        demangled = subprocess.run(["c++filt"], input=names, check=True, capture_output=True,
                                   text=True).stdout.splitlines()
        for (layer, _, where), readable in zip(failures, demangled):
            print(f"{layer}: uses {readable}, defined {where}")
        print(f"check_layers: {len(failures)} use(s) of a higher layer", file=sys.stderr)
        return 1
    print(f"check_layers: {' < '.join(LAYERS)} hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
