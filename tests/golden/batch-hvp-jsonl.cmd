"$NABLA" --batch --hvp z=1 -o jsonl --no-echo '(x + y) * z' x=-2 y=5 batch-z.csv
