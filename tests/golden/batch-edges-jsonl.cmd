"$NABLA" --batch --edges -o jsonl 'x * x' batch-points.csv
