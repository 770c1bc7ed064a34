#!/usr/bin/env bash
# Checks a machine with NVIDIA GPUs end to end (see README.md):
#   infra/gpu-check/run.sh             on the GPU node, from a built checkout (npm ci && npm run build)
#   infra/gpu-check/run.sh --dry-run   anywhere: a fake nvidia-smi with 2 GPUs, numpy instead of PyTorch
# Environment: GPU_CHECK_OUT (default $TMPDIR/ablate-gpu-check), GPU_CHECK_TRIALS_PER_GPU (2),
# GPU_CHECK_SECONDS (seconds per trial: 20, dry run 4), GPU_CHECK_REQUIRE_BACKEND=1 (a missing GPU
# backend for the built-in templates fails the check instead of being reported).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${GPU_CHECK_OUT:-${TMPDIR:-/tmp}/ablate-gpu-check}
dry=0
[ "${1:-}" = "--dry-run" ] && dry=1
seconds=${GPU_CHECK_SECONDS:-$([ $dry = 1 ] && echo 4 || echo 20)}
tpg=${GPU_CHECK_TRIALS_PER_GPU:-2}

fail() { echo "gpu-check: FAILED at $step: $*" >&2; exit 1; }
begin() { step=$1; echo; echo "== $1"; }

begin "1/5 prerequisites"
rm -rf "$out" && mkdir -p "$out"
[ $dry = 1 ] && export PATH="$root/apps/worker/test/fixtures/fake-nvidia-smi:$PATH" && echo "dry run: fake nvidia-smi ($(command -v nvidia-smi))"
command -v node >/dev/null || fail "node is not on PATH (Node 20 or later)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || fail "Node $(node -v) is too old: Node 20 or later"
for f in apps/cli/dist/main.js apps/worker/dist/main.js apps/scheduler/dist/testing/index.js; do
  [ -f "$root/$f" ] || fail "$f is missing: run npm ci && npm run build in $root first"
done
command -v python3 >/dev/null || fail "python3 is not on PATH (the check's trials are Python programs)"
command -v nvidia-smi >/dev/null || fail "nvidia-smi is not on PATH: install the NVIDIA driver (or try --dry-run)"
echo "node $(node -v), $(python3 --version)"

begin "2/5 GPUs (nvidia-smi)"
nvidia-smi --query-gpu=index,name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits | tee "$out/gpus.csv" \
  || fail "nvidia-smi failed: is the driver loaded?"
gpus=$(grep -c . "$out/gpus.csv" || true)
[ "$gpus" -ge 1 ] || fail "nvidia-smi lists no GPU"
echo "$gpus GPU(s); $tpg trial(s) per GPU"

begin "3/5 PyTorch"
if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  python3 -c 'import torch; print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, {torch.cuda.device_count()} GPU(s)")'
else
  echo "no PyTorch with CUDA: the trials multiply matrices with numpy on the CPU (the GPUs stay idle; utilisation is reported, not checked)"
  python3 -c 'import numpy' 2>/dev/null || fail "neither PyTorch with CUDA nor numpy is importable by python3"
fi

begin "4/5 packed sweep of command trials through the agent"
node "$here/check.mjs" --out "$out" --trials-per-gpu "$tpg" --seconds "$seconds" $([ $dry = 1 ] && echo --dry-run) \
  || fail "see the problems above, $out/summary.json and $out/agent.log"

begin "5/5 GPU backend for the built-in templates (TF.js)"
backend_rc=0
node "$here/probe-backend.mjs" > "$out/backend.json" || backend_rc=$?
cat "$out/backend.json"
[ $backend_rc = 0 ] || fail "a GPU backend is installed but does not work (above)"
if [ "${GPU_CHECK_REQUIRE_BACKEND:-0}" = 1 ] && ! grep -q '"status":"ok"' "$out/backend.json"; then
  fail "no GPU backend for the built-in templates is installed (GPU_CHECK_REQUIRE_BACKEND=1)"
fi

echo
echo "== summary ($out)"
node -e '
const s = require(process.argv[1]); const b = require(process.argv[2]);
console.log(`${s.dryRun ? "DRY RUN (fake nvidia-smi): " : ""}${s.gpus.length} GPU(s) [${s.gpus.map((g) => g.name).join(", ")}], ${s.slots} slots`);
console.log(`sweep: ${s.completed}/${s.trials} trials completed in ${s.sweepSeconds.toFixed(1)} s, at most ${s.maxTrialsAtOnce} at once; engine ${s.engine}, median ${s.gflopsPerTrialMedian} GFLOP/s per trial`);
console.log(`trials per GPU (CUDA_VISIBLE_DEVICES they saw): ${JSON.stringify(s.trialsPerVisibleGpu)}`);
for (const g of s.perGpu) console.log(`GPU ${g.index}: utilisation mean ${g.utilMeanPercent} %, max ${g.utilMaxPercent} %, memory max ${g.memMaxMb} MiB (${g.samples} samples)`);
for (const [k, v] of Object.entries(b)) console.log(`backend ${k}: ${v.status}${v.matMul1024Gflops ? `, matMul 1024: ${v.matMul1024Gflops} GFLOP/s` : ""}${v.adapter ? ` on ${v.adapter}` : ""}${v.hint ? ` (${v.hint})` : ""}${v.error ? `: ${v.error}` : ""}`);
' "$out/summary.json" "$out/backend.json"
echo "gpu-check: OK"
