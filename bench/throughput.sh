#!/usr/bin/env bash
# Jobs per minute through the running service (./flowrecon up from this checkout) for worker batch sizes B.
#
#   bench/throughput.sh                 (env: BATCHES="1 2 4 8 16", JOBS=48, STEPS=30, RATIO=0.25, MODEL=celeba32-glow)
#
# For each B it starts the local stack with FLOWRECON_WORKER_BATCH=B (one worker, one intra-op thread), submits
# one experiment of JOBS compressive-sensing jobs (the first JOBS CelebA test faces of the server's celeba-test
# image set, Gaussian A with m = RATIO n, ||eta|| = 0.1, STEPS L-BFGS steps), waits until every job has ended,
# reads the per-job PSNRs (jobs.csv), stops the stack and prints a line; at the end a table with the jobs per
# minute relative to the first B and the largest per-job PSNR difference from the first B. Each run submits under
# its own owner (a key made with ./flowrecon keys create), so no run takes results from an earlier one. Wall time from submission to
# the last result: on a shared machine compare the ratios of one run, and say what else was running.
# Needs: the CelebA faces in $FLOWRECON_DATA (default ../shared/data), python3, curl; ports 8080, 9092, 15432 free.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
batches="${BATCHES:-1 2 4 8 16}"
jobs="${JOBS:-48}"
steps="${STEPS:-30}"
ratio="${RATIO:-0.25}"
model="${MODEL:-celeba32-glow}"
api="http://localhost:8080/api/v1"
work="${WORK:-$(mktemp -d /tmp/flowrecon-throughput.XXXXXX)}"
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=1 FLOWRECON_INTRA_OP_THREADS=1

if [ ! -f .flowrecon/build.stamp ]; then
  ./mvnw -B -q -o -DskipTests package && mkdir -p .flowrecon && touch .flowrecon/build.stamp
fi

stack_pid=""
stop_stack() {
  if [ -n "$stack_pid" ]; then
    kill -TERM -- "-$stack_pid" 2>/dev/null || true
    wait "$stack_pid" 2>/dev/null || true
    stack_pid=""
  fi
}
trap stop_stack EXIT

wait_for() {  # wait_for SECONDS URL
  local deadline=$(( $(date +%s) + $1 ))
  until curl -sf -o /dev/null "$2"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "throughput: $2 did not answer in $1 s" >&2; exit 1; }
    sleep 2
  done
}

: > "$work/runs.jsonl"
for b in $batches; do
  echo "throughput: B=$b, starting the stack" >&2
  FLOWRECON_WORKER_BATCH="$b" setsid ./flowrecon up --no-demo > "$work/up-b$b.log" 2>&1 &
  stack_pid=$!
  wait_for 600 "http://localhost:8080/q/health/ready"
  wait_for 600 "http://localhost:8081/q/health/ready"
  owner="throughput-b$b-$(date +%s)"
  # a key of a fresh owner per run: results are reused only within an owner, so no run takes an earlier one's
  key=$(./flowrecon keys create --owner "$owner" --label "bench/throughput.sh" 2>/dev/null | head -1)
  set_id=$(curl -sf -H "Authorization: Bearer $key" "$api/image-sets" \
    | python3 -c 'import json,sys; print(next(s["id"] for s in json.load(sys.stdin)["imageSets"] if s["name"] == "celeba-test"))')
  indices=$(python3 -c "print(list(range($jobs)))")
  start=$(date +%s.%N)
  exp=$(curl -sf -X POST "$api/experiments" -H 'Content-Type: application/json' -H "Authorization: Bearer $key" -d @- <<JSON | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
{"name": "throughput B=$b", "images": {"imageSet": "$set_id", "indices": $indices},
 "models": ["$model"],
 "problems": [{"kind": "compressive-sensing", "operator": "gaussian", "ratio": [$ratio],
               "noise": {"kind": "gaussian-norm", "norm": 0.1}}],
 "solver": {"steps": [$steps]}, "seeds": {"operator": [7], "noise": [8]}}
JSON
)
  until curl -sf -H "Authorization: Bearer $key" "$api/experiments/$exp" \
      | python3 -c 'import json,sys; e=json.load(sys.stdin); p=e["progress"]; sys.exit(0 if p["succeeded"] + p["failed"] + p["cancelled"] >= p["total"] else 1)'; do
    sleep 5
  done
  end=$(date +%s.%N)
  curl -sf -H "Authorization: Bearer $key" "$api/experiments/$exp/jobs.csv" > "$work/jobs-b$b.csv"
  python3 - "$b" "$start" "$end" "$work/jobs-b$b.csv" "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$work/runs.jsonl" <<'PY'
import csv, json, sys
b, start, end, path, load = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
rows = list(csv.DictReader(open(path)))
psnr = {r.get("image", str(i)): float(r["psnr"]) for i, r in enumerate(rows) if r.get("psnr")}
print(json.dumps({"batch": b, "jobs": len(rows), "wall_s": end - start, "jobs_per_min": 60 * len(rows) / (end - start),
                  "psnr": psnr, "load_after": load}))
PY
  stop_stack
done

python3 - "$work/runs.jsonl" <<'PY'
import json, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
ref = runs[0]
print("| B | jobs | wall s | jobs/min | x B=%d | mean PSNR | max |PSNR - PSNR(B=%d)| | load after |" % (ref["batch"], ref["batch"]))
print("|---|---|---|---|---|---|---|---|")
for r in runs:
    common = [k for k in r["psnr"] if k in ref["psnr"]]
    change = max((abs(r["psnr"][k] - ref["psnr"][k]) for k in common), default=float("nan"))
    mean = sum(r["psnr"].values()) / max(1, len(r["psnr"]))
    print(f"| {r['batch']} | {r['jobs']} | {r['wall_s']:.0f} | {r['jobs_per_min']:.2f} | "
          f"{r['jobs_per_min'] / ref['jobs_per_min']:.2f} | {mean:.2f} | {change:.3f} | {r['load_after']} |")
PY
echo "throughput: raw runs in $work" >&2
