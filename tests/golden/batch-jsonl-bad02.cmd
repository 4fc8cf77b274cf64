"$NABLA" --batch --input=jsonl --on-error=skip x
