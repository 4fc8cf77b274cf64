"$NABLA" --batch --input=csv 'x*y' batch-ext.jsonl
