#!/usr/bin/env bash
# The objective engine on a GPU: ONNX Runtime's CUDA execution provider at batch 1 and 64, figures under $OUT.
#
#   bench/device/run.sh            (on the device machine, from the repository root; $OUT: where figures go)
#
# UNTESTED: no GPU machine has run this yet (docs/BENCHMARKS.md says so). The first part only looks at what the
# machine has and says what is missing, so that one short run on a lent machine tells whether the rest can work:
#   - an NVIDIA driver (nvidia-smi);
#   - a JDK 17 (java): the CUDA images lent here have none, and none can be fetched there (no network);
#   - the CUDA 12 runtime libraries that ONNX Runtime 1.29's CUDA EP links against (libcudart.so.12, cuBLAS 12,
#     cuFFT 11, cuRAND 10, cuDNN 9); a CUDA 13 image has .so.13 and does not satisfy them;
#   - the onnxruntime_gpu jar and the other Maven dependencies (-o: offline), in ~/.m2 or $M2_REPO; at about
#     250 MiB the GPU jar alone is more than the 64 MiB that travels with the working tree.
# If everything is there it builds with -Pgpu and runs `flowrecon bench` with FLOWRECON_EXECUTION_PROVIDER=cuda on
# celeba32-glow (in the repository) and on the paper's 3x64x64 Glow (L=4, K=8, hidden 512, random weights).
set -uo pipefail

out="${OUT:-$(mktemp -d /tmp/flowrecon-device.XXXXXX)}"
mkdir -p "$out"
report="$out/device-check.txt"
m2="${M2_REPO:-$HOME/.m2/repository}"
missing=()

{ echo "date: $(date -u +%FT%TZ)"; echo "host: $(uname -a)"; } > "$report"
if command -v nvidia-smi > /dev/null; then
  nvidia-smi >> "$report" 2>&1
else
  missing+=("nvidia-smi: no NVIDIA driver visible")
fi
if command -v java > /dev/null; then
  java -version >> "$report" 2>&1
else
  missing+=("java: no JDK 17 (install one in the image; it cannot be fetched from a machine without network)")
fi
echo "CUDA libraries the loader knows:" >> "$report"
ldconfig -p 2>/dev/null | grep -E 'libcuda|libcudart|libcublas|libcufft|libcurand|libcudnn' >> "$report"
for lib in libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcufft.so.11 libcurand.so.10 libcudnn.so.9; do
  if ! ldconfig -p 2>/dev/null | grep -q "$lib"; then
    missing+=("$lib: ONNX Runtime 1.29's CUDA 12 EP needs it (a CUDA 13 image has other sonames)")
  fi
done
if ! ls "$m2"/com/microsoft/onnxruntime/onnxruntime_gpu/*/onnxruntime_gpu-*.jar > /dev/null 2>&1; then
  missing+=("onnxruntime_gpu jar: not in $m2 (./mvnw -Pgpu must fetch it; no network here, and it does not fit in 64 MiB)")
fi
if [ ! -d "$m2/info/picocli" ]; then
  missing+=("Maven dependencies: $m2 is not populated, the offline build cannot run")
fi

if [ "${#missing[@]}" -gt 0 ]; then
  { echo; echo "cannot run the GPU bench; missing:"; printf '  - %s\n' "${missing[@]}"; } | tee -a "$report" >&2
  exit 3
fi

set -e
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1 FLOWRECON_EXECUTION_PROVIDER=cuda
./mvnw -B -q -o -Pgpu -pl worker -am package -DskipTests
flowrecon() { java -Xmx16g -cp "worker/target/flowrecon-worker-0.1.0-SNAPSHOT.jar:worker/target/lib/*" io.flowrecon.worker.cli.FlowreconCli "$@"; }
flowrecon model init-glow --channels 3 --size 64 --levels 4 --steps 8 --hidden 512 --seed 1 --samples 0 --out "$out/glow64k8"
for model in models/celeba32-glow "$out/glow64k8"; do
  name=$(basename "$model")
  for batch in 1 64; do
    flowrecon bench --model "$model" --problem cs --batch "$batch" --threads 1 --repeats 20 --steps 1 \
      | tee "$out/bench-$name-b$batch.json"
  done
  flowrecon bench-jobs --model "$model" --jobs 64 --batches 1,8,64 --steps 5 --faces "${FLOWRECON_DATA:-../shared/data}/celeba" \
    > "$out/bench-jobs-$name.jsonl" 2>> "$report" || echo "bench-jobs on $name did not run (needs the CelebA faces)" >> "$report"
done
echo "figures in $out" >&2
