#!/usr/bin/env bash
# Builds (through setup.sh), then lowers the bundled pre-norm MLP block twice,
# with LayerNorm and with DyT, through dyt-opt, prints what each became, and
# ends with a side-by-side count of what the lowering produced.
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

count() { grep -c -E "$1" "$2" || true; }
echo "=================================================================="
echo "== The whole block, lowered: LayerNorm vs DyT"
echo "=================================================================="
printf '%-34s %10s %10s\n' "" "LayerNorm" "DyT"
row() {
  printf '%-34s %10s %10s\n' "$1" "$(count "$2" "$OUT/layernorm.mlir")" "$(count "$2" "$OUT/dyt.mlir")"
}
row "linalg ops (loop nests)" 'linalg\.(generic|matmul|fill)'
row "reductions over a row" 'iterator_types = \[[^]]*"reduction"'
row "temporary tensors (tensor.empty)" 'tensor\.empty'
row "math.tanh" 'math\.tanh'
row "math.rsqrt" 'math\.rsqrt'
echo
echo "DyT needs no reduction: each element is normalised on its own, which is"
echo "what lets later passes fuse it into the matmuls around it."
