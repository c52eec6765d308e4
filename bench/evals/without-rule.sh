#!/usr/bin/env bash
# Copies an agent bundle with one policy rule removed: without-rule.sh <bundle> <rule-id> <out-folder>.
# The rule's block runs from its "  - id: <rule-id>" line to the next rule or section comment. Used by docs/evals.md.
set -euo pipefail
bundle=$1 rule=$2 out=$3
rm -rf "$out" && mkdir -p "$(dirname "$out")" && cp -r "$bundle" "$out"
awk -v id="$rule" '
  /^  - id: / { skip = ($3 == id) }
  /^  # -/    { skip = 0 }
  !skip' "$bundle/policies.yaml" > "$out/policies.yaml"
grep -q "id: $rule\$" "$out/policies.yaml" && { echo "rule $rule still there" >&2; exit 1; }
cmp -s "$bundle/policies.yaml" "$out/policies.yaml" && { echo "no rule $rule in $bundle" >&2; exit 1; }
exit 0
