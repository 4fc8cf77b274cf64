"$NABLA" --batch -o jsonl '(x + y) * z' z=-4 batch-points.csv
