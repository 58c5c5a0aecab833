#!/usr/bin/env bash
# Downloads the ONNX export of Parakeet-TDT-0.6B (istupakov/parakeet-tdt-0.6b-v2-onnx, English; or -v3-onnx,
# 25 European languages) from Hugging Face into a directory for PARAKEET_MODEL_DIR. Run once, on a machine with
# internet access. fp32 is about 2.4 GB (use it on a GPU); --int8 fetches the int8 files as well (for CPU workers).
#
#   scripts/fetch-parakeet-model.sh [--v3] [--int8] [DIR]      (DIR defaults to ./models/parakeet-tdt-0.6b-v2)
#   export PARAKEET_MODEL_DIR=DIR
set -euo pipefail

version=v2
int8=false
dir=""
for arg in "$@"; do
  case "$arg" in
    --v3) version=v3 ;;
    --int8) int8=true ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    -*) echo "unknown option $arg" >&2; exit 2 ;;
    *) dir="$arg" ;;
  esac
done
repo="istupakov/parakeet-tdt-0.6b-${version}-onnx"
dir="${dir:-models/parakeet-tdt-0.6b-${version}}"
base="${HF_ENDPOINT:-https://huggingface.co}/${repo}/resolve/main"

files=(config.json vocab.txt decoder_joint-model.onnx encoder-model.onnx encoder-model.onnx.data)
if [ "$int8" = true ]; then
  files+=(decoder_joint-model.int8.onnx encoder-model.int8.onnx)
fi

mkdir -p "$dir"
for f in "${files[@]}"; do
  if [ -s "$dir/$f" ]; then
    echo "have $dir/$f"
    continue
  fi
  echo "fetching $repo/$f"
  # Into a .part file first, so an interrupted download is resumed and never mistaken for a complete one.
  curl -fL --retry 3 -C - -o "$dir/$f.part" "$base/$f"
  mv "$dir/$f.part" "$dir/$f"
done
echo "Parakeet model in $dir: export PARAKEET_MODEL_DIR=$(cd "$dir" && pwd)"
