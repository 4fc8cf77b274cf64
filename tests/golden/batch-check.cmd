"$NABLA" --batch --check 'relu(x) * y' batch-check.csv
