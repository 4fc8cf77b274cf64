"$NABLA" --batch -o table --precision 3 --no-echo 'exp(x) / y' batch-points.csv
