#!/usr/bin/env bash
# Usage: tools/dist_run.sh SCRIPT GPUS [SCRIPT's arguments]
# Runs tools/SCRIPT on GPUS processes of this node with torchrun and
# MMEngine's pytorch launcher; set NNODES, NODE_RANK, MASTER_ADDR and PORT
# for several nodes.
set -euo pipefail
exec python -m torch.distributed.run --nnodes="${NNODES:-1}" \
    --node_rank="${NODE_RANK:-0}" --master_addr="${MASTER_ADDR:-127.0.0.1}" \
    --master_port="${PORT:-29500}" --nproc_per_node="$2" \
    "$(dirname "$0")/$1" "${@:3}" --launcher pytorch
