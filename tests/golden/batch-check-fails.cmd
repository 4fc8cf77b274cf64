"$NABLA" --batch --check --step 6.283185307179586 -o jsonl 'sin(x)' batch-check-alias.csv
