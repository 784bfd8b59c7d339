#!/usr/bin/env bash
# Usage: tools/dist_extract.sh CONFIG GPUS --store DIR
#            [extract_features.py options]
# tools/extract_features.py on GPUS processes with torchrun (see
# tools/dist_run.sh); the processes split the missing views.
exec "$(dirname "$0")/dist_run.sh" extract_features.py "$2" "$1" "${@:3}"
