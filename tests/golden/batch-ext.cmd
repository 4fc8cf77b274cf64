"$NABLA" --batch 'x*y' batch-ext.tsv batch-ext.tsv && "$NABLA" --batch -o jsonl 'x*y' batch-ext.jsonl && "$NABLA" --batch -o jsonl 'x*y' batch-ext.ndjson
