#!/usr/bin/env bash
# The mini-batch experiment (Problems/minibatch/README.md): SGD, momentum, Adam and AdamW on the
# digits MLP and softmax regression, batches of 128, five seeds, 100 epochs. Writes OUTPUT
# (default Results/minibatch; further arguments go to suite, e.g. --quiet); CI runs it into a temporary
# folder and diffs against Results/minibatch.
set -euo pipefail
cd "$(dirname "$0")/.."
# The first argument, unless it is an option, is the output folder; the rest go to suite.
output=Results/minibatch
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then output="$1"; shift; fi
swift run suite --problems Problems/minibatch --problem digits-mlp --problem digits-softmax \
    --optimizer 'sgd(lr=0.1)' --optimizer 'momentum(lr=0.01)' --optimizer 'adam(lr=1e-3)' --optimizer 'adamw(lr=1e-3)' \
    --batch-size 128 --seeds 5 --max-iterations 1200 --log-every 12 --output "$output" "$@"
