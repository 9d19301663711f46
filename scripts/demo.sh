#!/usr/bin/env bash
# Builds (through setup.sh), then lowers the bundled pre-norm MLP block twice,
# with LayerNorm and with DyT, through dyt-opt, prints what each became, and
# ends with dyt-compare on a ViT-B/16 block and a scaled-down LLaMA block
# (CPU, measured) and the ViT block compiled for NVIDIA GPUs (dyt-nvvm-pipeline).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${DYT_BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/setup.sh" >/dev/null

DYT_OPT="$BUILD_DIR/bin/dyt-opt"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

variants=(layernorm dyt)
for v in "${variants[@]}"; do
  src="$ROOT/examples/mlp_block_$v.mlir"
  echo "=================================================================="
  echo "== examples/mlp_block_$v.mlir: the norm as written"
  echo "=================================================================="
  grep -v '^ *//' "$src" | grep -A1 -E '= dyt\.' | sed 's/^ */  /'
  echo
  echo "== after: dyt-opt --convert-dyt-to-linalg --canonicalize --cse"
  "$DYT_OPT" "$src" --convert-dyt-to-linalg --canonicalize --cse > "$OUT/$v.mlir"
  # The norm's lowering: everything before the first matmul.
  sed -n '/func.func/,/linalg.matmul/p' "$OUT/$v.mlir"
  echo "  ... (the MLP's two matmuls, GELU and residual follow unchanged)"
  echo
done

echo "=================================================================="
echo "== dyt-compare: a ViT-B/16 encoder block, LayerNorm vs DyT"
echo "=================================================================="
echo "\$ dyt-compare examples/vit_b16_block.mlir --bench 5"
"$BUILD_DIR/bin/dyt-compare" "$ROOT/examples/vit_b16_block.mlir" --bench 5
echo
echo "\$ dyt-compare examples/llama_block_small.mlir --replace-options=\"alpha-attn=0.8 alpha-ffn=0.2\" --bench 50 --json"
"$BUILD_DIR/bin/dyt-compare" "$ROOT/examples/llama_block_small.mlir" \
  --replace-options="alpha-attn=0.8 alpha-ffn=0.2" --bench 50 --json
echo
echo "\$ dyt-compare examples/vit_b16_block.mlir --target nvvm   (compiled for sm_90; timing needs a GPU)"
"$BUILD_DIR/bin/dyt-compare" "$ROOT/examples/vit_b16_block.mlir" --target nvvm
echo
echo "DyT needs no reduction: each element is normalised on its own, which is"
echo "what lets dyt-fuse-matmul fuse it into the matmuls around it."
