"$NABLA" --batch --check -o table --no-echo 'relu(x) * y' batch-check.csv
