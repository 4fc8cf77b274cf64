"$NABLA" -o jsonl 'x' x=1
