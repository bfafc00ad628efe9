#!/bin/sh
# Make bench/.torch: a Python venv with PyTorch from pip (2.13, CPU), the anchor of `npm run bench`.
# The bench runs without it and says its PyTorch columns are missing.
#
#   sh bench/setup-torch.sh                                      # pip's configured index
#   PIP_INDEX_URL=file:///opt/pypi/simple sh bench/setup-torch.sh  # a local index only (no retries
#                                                                  # of an unreachable public one)
set -e
dir="$(cd "$(dirname "$0")" && pwd)/.torch"
python3 -m venv "$dir"
"$dir/bin/pip" install --quiet "${TORCH_SPEC:-torch==2.13.*}" numpy
"$dir/bin/python" -c 'import torch; print("PyTorch", torch.__version__, "in", "'"$dir"'")'
