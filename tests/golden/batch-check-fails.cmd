"$NABLA" --batch --check --tol 1e-10 -o jsonl 'exp(20 * x)' batch-check-trunc.csv
