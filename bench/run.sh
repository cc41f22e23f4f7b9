#!/usr/bin/env bash
# flowrecon's objective engine against an eager PyTorch Glow of the same architecture and weights.
#
#   bench/run.sh [ROUNDS]        (default 3 rounds; env: REPEATS=20 timed calls per process, WORK=dir for bundles)
#   SCALE=paper64 bench/run.sh 1 (the paper's 3x64x64 Glow, L=4, K=8 and K=32, hidden 512, batch 1)
#   ONLY="glow64k32" ...          (only the configurations named)
#
# Env: SKIP_NETLIB=1 leaves out PyTorch with Debian's reference BLAS (minutes per call at the paper's scale);
# PEAK_GFLOPS (default 128: one core's FP32 peak, 2 AVX-512 FMA units x 16 lanes x 2 flops x 2.0 GHz) for the
# "% of peak" column. GFLOP/s are the objective graph's Conv/MatMul work (flowrecon's GraphFlops count, the
# same architecture on both sides) over each side's objective time.
#
# For each configuration of the issue (3x32x32 L=3 K=8 H=128 at batch 1 and 6; 1x28x28 L=2 K=8 H=128 at batch 1;
# m = n/4, dense Gaussian A) it writes a random-init bundle with `flowrecon model init-glow`, then runs
# `flowrecon bench` and bench/pytorch_glow.py alternately (A B A B ..., ROUNDS times each), one intra-op thread
# each, under nice -n 10, and prints a table of the medians over rounds with the ratio flowrecon / PyTorch (the
# faster PyTorch where two BLAS libraries are timed, see below).
# Every raw JSON line is kept in $WORK/results.jsonl.
#
# `flowrecon X` below is exactly what ./flowrecon X runs (java -Xmx6g -cp the worker jar and its lib/* FlowreconCli X);
# the launcher itself is not used because it rebuilds every module whenever any source is newer than its stamp.
# Needs: a JDK 17, Debian's PyTorch and ONNX for /usr/bin/python3 (apt-get install python3-torch python3-onnx).
#
# Debian's torch 1.13 runs most of these small convolutions through im2col + whatever libblas.so.3 resolves to,
# by default the reference (netlib) BLAS, which makes it slow. For a fair reference the script also times it with
# OpenBLAS when $OPENBLAS_DIR (default /usr/lib/x86_64-linux-gnu/openblas-pthread) holds a libblas.so.3, loaded
# for that process only (LD_LIBRARY_PATH). Without installing it system-wide (which switches every program's BLAS):
#   apt-get download libopenblas0-pthread && dpkg -x libopenblas0-pthread_*.deb /tmp/openblas
#   OPENBLAS_DIR=/tmp/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread bench/run.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${1:-3}"
repeats="${REPEATS:-20}"
work="${WORK:-$(mktemp -d /tmp/flowrecon-bench.XXXXXX)}"
# JAR and LIB override the built worker (e.g. a copy, so that rebuilding meanwhile does not disturb the run)
jar="${JAR:-worker/target/flowrecon-worker-0.1.0-SNAPSHOT.jar}"
lib="${LIB:-worker/target/lib}"
# Latents z ~ N(0, Z_STD^2) on both sides. Random-init Glows once overflowed at 1; since GlowWeights.random's small
# coupling gains (RandomGlowRangeTest) the standard normal is safe.
z_std="${Z_STD:-1}"

# One thread everywhere, and no spinning on cores that other people share.
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 FLOWRECON_INTRA_OP_THREADS=1
openblas_dir="${OPENBLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-pthread}"

[ -f "$jar" ] || ./mvnw -o -q -pl worker -am package -DskipTests
/usr/bin/python3 -c 'import torch, onnx' 2>/dev/null \
  || { echo "bench: /usr/bin/python3 needs torch and onnx (apt-get install -y python3-torch python3-onnx)" >&2; exit 1; }

flowrecon() { nice -n 10 java -Xmx6g -cp "$jar:$lib/*" io.flowrecon.worker.cli.FlowreconCli "$@"; }
pytorch() { nice -n 10 /usr/bin/python3 bench/pytorch_glow.py "$@"; }
pytorch_openblas() { LD_LIBRARY_PATH="$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" pytorch "$@"; }
sides="flowrecon"
[ "${SKIP_NETLIB:-0}" = 1 ] || sides="$sides pytorch"
if [ -f "$openblas_dir/libblas.so.3" ]; then sides="$sides pytorch_openblas"; fi

# name channels size levels steps hidden batch
configs=(
  "glow32 3 32 3 8 128 1"
  "glow32 3 32 3 8 128 6"
  "glow28 1 28 2 8 128 1"
)
if [ "${SCALE:-}" = paper64 ]; then
  configs=(
    "glow64k8 3 64 4 8 512 1"
    "glow64k32 3 64 4 32 512 1 0"
  )
fi

mkdir -p "$work"
results="$work/results.jsonl"
: > "$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: bundles and raw results in $work; load average before: $load_before" >&2

for config in "${configs[@]}"; do
  read -r name channels size levels steps hidden batch gain <<< "$config"  # gain: init-glow --output-gain
  case " ${ONLY:-$name} " in *" $name "*) ;; *) continue ;; esac  # ONLY="glow64k32 ...": just these
  dir="$work/$name"
  if [ ! -f "$dir/model.json" ]; then
    flowrecon model init-glow --channels "$channels" --size "$size" --levels "$levels" --steps "$steps" \
      --hidden "$hidden" --seed 1 --samples 0 --output-gain "${gain:-0.02}" --out "$dir" >&2
    pytorch --model "$dir" --check --z-std "$z_std" --repeats 1 > /dev/null  # same function as generator.onnx, or stop here
  fi
  m=$(( channels * size * size / 4 ))
  for r in $(seq 1 "$rounds"); do
    echo "bench: $name batch $batch round $r/$rounds" >&2
    for side in $sides; do
      if [ "$side" = flowrecon ]; then
        line=$(flowrecon bench --model "$dir" --problem cs --m "$m" --batch "$batch" --threads 1 \
          --repeats "$repeats" --steps 1 --z-std "$z_std")
      else
        line=$("$side" --model "$dir" --m "$m" --batch "$batch" --threads 1 --repeats "$repeats" --z-std "$z_std")
      fi
      echo "{\"side\":\"$side\",\"config\":\"$name\",\"round\":$r,\"result\":$line}" >> "$results"
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

PEAK_GFLOPS="${PEAK_GFLOPS:-128}" /usr/bin/python3 - "$results" "$load_before" "$load_after" <<'EOF'
import collections, json, os, statistics, sys
rows = collections.defaultdict(lambda: collections.defaultdict(list))
blas = {}
for line in open(sys.argv[1]):
    rec = json.loads(line)
    res = rec["result"]
    key = (rec["config"], res["batch"], res["m"])
    for field in ("forward_ms", "objective_ms", "ratio", "gflops"):
        if field in res:
            rows[key][(rec["side"], field)].append(res[field])
    if "blas" in res:
        blas[rec["side"]] = res["blas"]
med = statistics.median
print(f"load average (1, 5, 15 min) before: {sys.argv[2]}, after: {sys.argv[3]}")
for side, lib in blas.items():
    print(f"{side}: BLAS {lib}")
torch_sides = [s for s in ("pytorch", "pytorch_openblas") if any((s, "objective_ms") in v for v in rows.values())]
head = "| model | batch | m | flowrecon forward_ms | flowrecon objective_ms | objective / forward "
for s in torch_sides:
    head += f"| {s} forward_ms | {s} objective_ms "
peak = float(os.environ["PEAK_GFLOPS"])
print(head + "| flowrecon / fastest PyTorch (objective) | flowrecon GFLOP/s (% of peak) | fastest PyTorch GFLOP/s |")
print("|---" * (6 + 2 * len(torch_sides) + 3) + "|")
for (config, batch, m), v in rows.items():
    f_fwd, f_obj = med(v[("flowrecon", "forward_ms")]), med(v[("flowrecon", "objective_ms")])
    line = f"| {config} | {batch} | {m} | {f_fwd:.2f} | {f_obj:.2f} | {med(v[('flowrecon', 'ratio')]):.2f} "
    best = float("inf")
    for s in torch_sides:
        p_fwd, p_obj = med(v[(s, "forward_ms")]), med(v[(s, "objective_ms")])
        best = min(best, p_obj)
        line += f"| {p_fwd:.2f} | {p_obj:.2f} "
    gflop = med(v[("flowrecon", "gflops")]) * f_obj / 1000  # GFLOP per objective evaluation
    line += f"| {f_obj / best:.3f} | {gflop / f_obj * 1000:.1f} ({100 * gflop / f_obj * 1000 / peak:.0f}%) "
    print(line + f"| {gflop / best * 1000:.1f} |")
EOF
