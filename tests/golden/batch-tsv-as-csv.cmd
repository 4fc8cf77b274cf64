"$NABLA" --batch 'x*y' < batch-ext.tsv
