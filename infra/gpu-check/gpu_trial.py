"""A command trial for infra/gpu-check: multiplies matrices for --seconds on the GPU its slot was
given (PyTorch with CUDA), or with numpy on the CPU when there is no PyTorch with CUDA, and prints
one metric line a second: GFLOP/s, and the GPU index it saw in CUDA_VISIBLE_DEVICES (-1: none)."""
import argparse, json, os, time

p = argparse.ArgumentParser()
p.add_argument("--seconds", type=float, default=20)
p.add_argument("--size", type=int, default=4096)
args, _ = p.parse_known_args()  # the sweep's other params (seed) are not ours

cvd = os.environ.get("CUDA_VISIBLE_DEVICES", "")
visible = int(cvd) if cvd.strip().isdigit() else -1
try:
    import torch
    use_torch = torch.cuda.is_available()
except ImportError:
    use_torch = False

if use_torch:
    n = args.size
    a = torch.randn(n, n, device="cuda:0")
    b = torch.randn(n, n, device="cuda:0")

    def work():
        (a @ b).sum().item()  # .item() waits for the GPU

    engine = f"torch {torch.__version__} on {torch.cuda.get_device_name(0)}"
else:
    import numpy as np
    n = min(args.size, 512)
    a = np.random.rand(n, n).astype(np.float32)
    b = np.random.rand(n, n).astype(np.float32)

    def work():
        a @ b

    engine = "numpy on the CPU (no PyTorch with CUDA here)"

print(f"engine: {engine}; CUDA_VISIBLE_DEVICES={cvd!r}", flush=True)
end = time.time() + args.seconds
step = 0
best = 0.0
while time.time() < end:
    t0 = time.time()
    reps = 0
    while time.time() - t0 < 1.0:
        work()
        reps += 1
    step += 1
    gflops = 2 * n**3 * reps / (time.time() - t0) / 1e9
    best = max(best, gflops)
    print(json.dumps({"step": step, "gflops": gflops, "visible_gpu": visible, "torch_cuda": 1 if use_torch else 0}), flush=True)
print(json.dumps({"final": True, "best_gflops": best}), flush=True)
