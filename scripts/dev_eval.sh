#!/usr/bin/env bash
# Extract a folder of texts and score it against its gold/ subfolder.
# Usage: scripts/dev_eval.sh FOLDER [extra evaluate options]   (not used by the tests)
set -euo pipefail
folder=${1:?usage: scripts/dev_eval.sh FOLDER [evaluate options]}
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mkdir -p "$out/texts"
find "$folder" -maxdepth 1 -name '*.txt' -exec cp {} "$out/texts/" \;
extract "$out/texts" -o "$out/pred" -q
evaluate "$out/pred" "$folder/gold" --corpus "$folder" "$@"
# properties that name nothing: no noun, or a preposition, adverb or particle at the end (issue 12)
python -m datong_nlp.fragments "$out/pred"
