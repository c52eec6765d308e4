#!/usr/bin/env bash
# The release gate against every one-rule-removed copy of a pack: rule-ablation.sh <suite> <bundle> [keel command].
# Prints one line per rule: rule, exit code of keel eval (9 = gate failed), and the gate's McNemar line. Used by docs/evals.md.
set -uo pipefail
suite=$1 bundle=$2 keel=${3:-"dotnet src/Keel.Cli/bin/Release/net10.0/keel.dll"}
work=$(mktemp -d)
for rule in $(grep -oP '^  - id: \K\S+' "$bundle/policies.yaml"); do
  bench/evals/without-rule.sh "$bundle" "$rule" "$work/$rule"
  out=$($keel eval "$suite" --agent "$work/$rule" --baseline "$bundle" 2>/dev/null); code=$?
  echo "$rule	exit=$code	$(grep -m1 '^McNemar' <<<"$out")	$(grep -m1 '^Pass-rate difference' <<<"$out")"
done
rm -rf "$work"
