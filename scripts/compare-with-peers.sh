#!/usr/bin/env bash
# Descent side by side with the peer kit (numpy, jax+optax, PyTorch, C loops, GSL from C) in one
# run, then the ratio table (scripts/peer_ratios.py). THREADS=1 (the default): every peer
# single-threaded and pinned, Descent pinned to CPU 0. THREADS=default: each library at its default
# thread count (OpenBLAS, torch and OpenMP use both cores) and Descent unpinned (a run is one thread).
#
#   bash scripts/compare-with-peers.sh            # ~11 min; needs the peer kit's venvs (its README)
#   THREADS=default bash scripts/compare-with-peers.sh
#   PEERS_ONLY=W1,W4 bash scripts/compare-with-peers.sh
#
# Environment: PEERS (the kit, default ../shared/peers), PEERS_DATA (W3 data, default /tmp/peers-data),
# OUT (default /tmp/descent-compare). Never run in CI: it needs jax and torch.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-$(cd ../shared/peers && pwd)}
DATA=${PEERS_DATA:-/tmp/peers-data}
OUT=${OUT:-/tmp/descent-compare}
mkdir -p "$OUT"
[ -f "$DATA/w3_X.f64" ] || python3 "$PEERS/py/gen_data.py" "$DATA"
swift build -c release --product descent-bench
THREADS=${THREADS:-1}
if [ "$THREADS" = 1 ]; then
    PEERS_THREADS=1 PEERS_ONLY=${PEERS_ONLY:-W1,W2,W3,W4} PEERS_DATA="$DATA" bash "$PEERS/run_all.sh" | tee "$OUT/peers.txt"
    pin=(taskset -c 0)   # Descent pinned to one CPU like the Python peers under PEERS_THREADS=1
else
    PEERS_ONLY=${PEERS_ONLY:-W1,W2,W3,W4} PEERS_DATA="$DATA" bash "$PEERS/run_all.sh" | tee "$OUT/peers.txt"
    pin=()
fi
cp "$PEERS/results/results.jsonl" "$OUT/peers.jsonl"
# The peers' workloads only (descent-bench's rule sweep, scaling and memory probe are not peer rows).
"${pin[@]}" .build/release/descent-bench --data "$DATA" --only "${PEERS_ONLY:-W1,W2,W3,W4}" --json "$OUT/descent.jsonl" | tee "$OUT/descent.txt"
python3 scripts/peer_ratios.py "$OUT/peers.jsonl" "$OUT/descent.jsonl" "$THREADS" | tee "$OUT/ratios.txt"
