"$NABLA" --batch --on-error=nan -o jsonl 'x * y'
