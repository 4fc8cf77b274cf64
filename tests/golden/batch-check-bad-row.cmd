"$NABLA" --batch --check --on-error=nan 'relu(x) * y' batch-check-bad.csv
