#!/usr/bin/env bash
# Train a repair model (a LoRA adapter over Gemma 3 270M) on a GPU machine that has torch and transformers but
# neither mtfix's other dependencies nor the reference data.
#
#   here:  mtfix train --config eval/train-lm.toml --prepare-only .train/prepared
#   there: bash eval/train_gpu.sh .train/prepared OUT_DIR
#
# OUT_DIR receives train.log and the exported model as a tar split into 15 MB parts
# (reassemble with: cat OUT_DIR/model.tar.part-* | tar -x -C DEST).
set -uo pipefail
prepared=$1
out=$2
mkdir -p "$out"
{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  python3 -c "import torch, transformers, tokenizers, sys; print(sys.version.split()[0], \
torch.__version__, transformers.__version__, tokenizers.__version__)"
  PYTHONUNBUFFERED=1 python3 -m mtfix.train --config eval/train-lm.toml --prepared "$prepared" \
    --out /tmp/mtfix-ckpt --export /tmp/mtfix-model
  echo "exit $?"
} 2>&1 | tee "$out/train.log"
if ls /tmp/mtfix-model/*.safetensors >/dev/null 2>&1; then
  tar -C /tmp -cf - mtfix-model | split -b 15M - "$out/model.tar.part-"
  ls -la "$out"
fi
