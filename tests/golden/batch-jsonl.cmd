"$NABLA" --batch --input jsonl -o jsonl 'x * y + z' z=1
