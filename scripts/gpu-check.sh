#!/usr/bin/env bash
# For a person with an NVIDIA GPU: builds the CUDA variant (-p:TorchBackend=cuda, which references TorchSharp-cuda-linux),
# trains the notebook's configuration (2×512, batch 128×100) on corpus/anna.txt for 50 steps on CUDA, and prints
# the training rate in steps/s and characters/s. Not run in CI (no GPU there).
#   scripts/gpu-check.sh [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-50}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader \
  || echo "gpu-check: nvidia-smi not found; training will say whether CUDA answers" >&2

log="$out/train.log"
dotnet run -c Release -p:TorchBackend=cuda --project src/CharRnn.Cli -- \
  train corpus/anna.txt --device cuda --hidden 512 --layers 2 --batch-size 128 --seq-length 100 \
  --max-steps "$steps" --eval-every 100000 --seed 1 --out "$out/checkpoints" | tee "$log"

# The last progress line's rate is the recent steady one (the first steps, which load CUDA kernels, are behind it).
rate=$(grep -o '[0-9,]* chars/s' "$log" | tail -1 | tr -d ', ' | sed 's|chars/s||')
[ -n "$rate" ] || { echo "gpu-check: no rate in the training output" >&2; exit 1; }
grep -q 'cuda\|CUDA' "$log" || echo "gpu-check: the output does not mention CUDA; check the device line above" >&2
awk -v r="$rate" 'BEGIN { printf "notebook model on CUDA: %.0f characters/s, %.2f steps/s (batch 128 × 100)\n", r, r / 12800 }'
