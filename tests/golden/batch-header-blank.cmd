"$NABLA" --batch 'x*y' batch-header-blank.csv
