"""Ratio table: Descent against the peer kit, from one run of scripts/compare-with-peers.sh.

  python3 scripts/peer_ratios.py PEERS.jsonl DESCENT.jsonl [default]

With `default` (peers at their libraries' default thread counts) the C column is the best C loop
at any thread count; otherwise the single-threaded one.

For each first-order workload: Descent's time per step (through the harness) over the best of
numpy, jax+optax and PyTorch, and over the hand-written C loop (1 thread); the targets are <= 1
and <= 1.5. Two Descent rows per workload: "every" evaluates f and ||grad f|| and applies the
stopping tests at every iterate (the default, work no peer does), "end" only at the last
(--check-every = steps: the peers' work; same iterates and final f). For W4: Descent+GSL over GSL
from C, per iteration; the target is <= 1.05.
"""
import json
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def fmt(s):
    if s is None:
        return "-"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if s >= scale:
            return f"{s / scale:.3g} {unit}"
    return f"{s:.3g} s"


def main(peers_path, descent_path, threads="1"):
    peers, descent = load(peers_path), load(descent_path)
    any_threads = threads == "default"
    print(f"{'workload':22} {'Descent':>10} {'best peer':>10} {'(which)':22} {'ratio':>6} {'C loop':>10} {'ratio':>6}  verdict")
    modes = {"Descent": "every", "Descent-check-end": "end"}
    for d in descent:
        if d.get("impl") not in modes or "time_per_step_s" not in d or d["workload"].startswith(("scaling", "memory")):
            continue
        w = d["workload"]
        label = f"{w} ({modes[d['impl']]})"
        rows = [p for p in peers if p.get("workload") == w and "time_per_step_s" in p]
        lib = [p for p in rows if p["impl"].split("-")[0].split(".")[0] in ("numpy", "jax", "torch")]
        c = [p for p in rows if p["impl"].startswith("C -O3") and (any_threads or "1T" in p["impl"])]
        best = min(lib, key=lambda p: p["time_per_step_s"]) if lib else None
        cbest = min(c, key=lambda p: p["time_per_step_s"]) if c else None
        t = d["time_per_step_s"]
        r1 = t / best["time_per_step_s"] if best else None
        r2 = t / cbest["time_per_step_s"] if cbest else None
        ok = (r1 is None or r1 <= 1) and (r2 is None or r2 <= 1.5)
        print(f"{label:22} {fmt(t):>10} {fmt(best['time_per_step_s'] if best else None):>10} {(best['impl'] if best else '-'):22} "
              f"{(f'{r1:.2f}' if r1 else '-'):>6} {fmt(cbest['time_per_step_s'] if cbest else None):>10} "
              f"{(f'{r2:.2f}' if r2 else '-'):>6}  {'meets' if ok else 'MISSES'} (<= best library, <= 1.5x C)")
    print()
    print(f"{'W4 (GSL)':22} {'Descent+GSL':>12} {'C GSL':>10} {'ratio':>6}  iterations (Descent / C)")
    for d, c, r in per_iteration(descent, peers, "Descent+GSL", "C GSL"):
        print(f"{d['workload']:22} {fmt(d['time_per_step_s']):>12} {fmt(c['time_per_step_s']):>10} {r:6.2f}  "
              f"{d['steps']} / {c['steps']}  {'meets' if r <= 1.05 else 'MISSES'} (<= 1.05x per iteration)")

    print()
    print(f"{'W4 (L-BFGS)':22} {'Descent':>12} {'torch':>10} {'ratio':>6}  iterations, closure calls (Descent / torch.optim.LBFGS)")
    for d, t, r in per_iteration(descent, peers, "Descent-LBFGS", "torch.optim.LBFGS"):
        print(f"{d['workload']:22} {fmt(d['time_per_step_s']):>12} {fmt(t['time_per_step_s']):>10} {r:6.3f}  "
              f"{d['steps']} / {t['steps']}, {d['evals']} / {t.get('evals')}")


def per_iteration(descent, peers, impl, peer_impl):
    """(Descent row, peer row, time ratio) for each Descent row of `impl` that has a `peer_impl` row."""
    for d in descent:
        if d.get("impl") != impl:
            continue
        match = [p for p in peers if p.get("workload") == d["workload"] and p.get("impl") == peer_impl]
        if match:
            yield d, match[0], d["time_per_step_s"] / match[0]["time_per_step_s"]

if __name__ == "__main__":
    main(*sys.argv[1:4])
