#!/usr/bin/env bash
# Runs issue 15's distributed benchmarks on 2 local processes and prints their tables:
#   all_reduce of 1 MB and 64 MB float32 — Gloo and MPI called directly (allreduce_direct),
#   ember's ProcessGroup from C++ (allreduce_ember; for Gloo it alternates with Gloo's own call
#   in the same processes) and ember.distributed from Python (allreduce.py), and
#   torch.distributed as a reference when TORCH_PYTHON has it;
#   DDP throughput of a compute-bound CNN, 1 process against 2 (ddp_throughput.py), ember and
#   PyTorch, and the same 2 processes training side by side without DDP (what the machine gives
#   2 processes while others share its cores).
# The implementations alternate within each round, so a burst of load from elsewhere hits them
# alike; each figure in the tables is the median over ROUNDS rounds, each ratio the median of
# the per-round ratios (table.py).
#
#   benchmarks/distributed/run_all.sh [allreduce] [ddp]      (both when none is named)
#
# Environment: BUILD_DIR (default build/release; built with EMBER_BENCHMARKS=ON), PYTHON (one
# that imports ember; default .venv/bin/python, else python3), TORCH_PYTHON (one that imports
# torch; default /tmp/torchvenv/bin/python, skipped when it does not), ROUNDS (default 3), SCALE
# (iteration multiplier, default 1), RESULTS (file the raw lines are appended to; default a
# temp file).
set -u -o pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build/release}
default_python=python3
[ -x "$root/.venv/bin/python" ] && default_python=$root/.venv/bin/python
python=${PYTHON:-$default_python}
# PYTHONPATH may point at an ember install whose numpy this PyTorch cannot load: torch runs without.
torch_python=(env -u PYTHONPATH "${TORCH_PYTHON:-/tmp/torchvenv/bin/python}")
rounds=${ROUNDS:-3}
scale=${SCALE:-1}
results=${RESULTS:-$(mktemp)}
limit=600  # seconds any one job may take before it is killed: nothing here may hang
mpirun_flags=(--allow-run-as-root --oversubscribe)
export OMP_NUM_THREADS=1
# Gloo's FileStore rendezvous directories, one per job, removed at the end.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

sections=("$@")
[ ${#sections[@]} -eq 0 ] && sections=(allreduce ddp)

log() { echo "# $*" >&2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# spawn N COMMAND...: N processes with the environment a launcher sets (env:// rendezvous on a
# free loopback port), waited for up to $limit seconds; fails when any of them fails.
spawn() {
  local n=$1
  shift
  local port pids=() status=0
  port=$(free_port)
  for ((r = 0; r < n; r++)); do
    RANK=$r LOCAL_RANK=$r WORLD_SIZE=$n LOCAL_WORLD_SIZE=$n MASTER_ADDR=127.0.0.1 \
      MASTER_PORT=$port timeout -k 5 $limit "$@" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || status=1
  done
  return $status
}

# run NAME COMMAND...: runs one benchmark, keeps its result lines, says when it failed.
run() {
  local name=$1
  shift
  local output
  if output=$("$@" 2>&1); then
    grep -E '^(allreduce|ddp) ' <<<"$output" | tee -a "$results" >&2
  else
    log "$name failed or was skipped: $(tail -n 3 <<<"$output" | tr '\n' ' ')"
  fi
}

# have_python_module MODULE PYTHON...: whether that interpreter imports the module.
have_python_module() {
  local module=$1
  shift
  "$@" -c "import $module" >/dev/null 2>&1
}

allreduce_round() {
  local direct=$build/benchmarks/distributed/allreduce_direct
  local ember_cpp=$build/benchmarks/distributed/allreduce_ember
  local mpirun=(timeout -k 5 "$limit" mpirun "${mpirun_flags[@]}" -np 2)
  if [ -x "$direct" ]; then
    EMBER_BENCH_GLOO_STORE=$(mktemp -d -p "$scratch") \
      run "gloo direct" spawn 2 "$direct" gloo "$scale"
  fi
  # ember and Gloo's own call taking turns in the same processes (allreduce_ember.cpp).
  if [ -x "$ember_cpp" ]; then
    EMBER_BENCH_GLOO_STORE=$(mktemp -d -p "$scratch") \
      run "gloo ember C++" spawn 2 "$ember_cpp" gloo "$scale"
  fi
  if have_python_module ember.distributed "$python"; then
    run "gloo ember Python" "$python" -m ember.distributed.run --nproc-per-node 2 --standalone \
      "$here/allreduce.py" --scale "$scale"
  fi
  if have_python_module torch.distributed "${torch_python[@]}"; then
    run "gloo torch Python" spawn 2 "${torch_python[@]}" "$here/allreduce.py" --library torch \
      --scale "$scale"
  fi
  if command -v mpirun >/dev/null; then
    [ -x "$direct" ] && run "mpi direct" "${mpirun[@]}" "$direct" mpi "$scale"
    [ -x "$ember_cpp" ] && run "mpi ember C++" "${mpirun[@]}" "$ember_cpp" mpi "$scale"
    if have_python_module ember.distributed "$python" &&
      "$python" -c 'import sys, ember.distributed as d; sys.exit(not d.is_mpi_available())'; then
      run "mpi ember Python" "${mpirun[@]}" "$python" "$here/allreduce.py" --backend mpi \
        --scale "$scale"
    fi
  fi
}

ddp_round() {
  local script=$here/ddp_throughput.py
  local launch=("$python" -m ember.distributed.run --nproc-per-node 2 --standalone)
  if have_python_module ember.nn.parallel "$python"; then
    run "ddp ember 1" "$python" "$script"
    run "ddp ember 2" "${launch[@]}" "$script"
    run "ddp ember 2 independent" "${launch[@]}" "$script" --independent
  else
    log "ember DDP skipped: $python does not import ember.nn.parallel"
  fi
  if have_python_module torch.distributed "${torch_python[@]}"; then
    run "ddp torch 1" "${torch_python[@]}" "$script" --library torch
    run "ddp torch 2" spawn 2 "${torch_python[@]}" "$script" --library torch
    run "ddp torch 2 independent" spawn 2 "${torch_python[@]}" "$script" --library torch \
      --independent
  else
    log "PyTorch DDP skipped: ${torch_python[*]} does not import torch.distributed"
  fi
}

log "$(date -u '+%F %T UTC'), $(getconf _NPROCESSORS_ONLN) CPUs," \
  "load $(cut -d' ' -f1-3 /proc/loadavg); raw lines in $results"
for ((round = 1; round <= rounds; round++)); do
  for section in "${sections[@]}"; do
    log "round $round/$rounds: $section (load $(cut -d' ' -f1 /proc/loadavg))"
    "${section}_round"
  done
done
python3 "$here/table.py" <"$results"
