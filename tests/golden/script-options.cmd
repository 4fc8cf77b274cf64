"$NABLA" -o json --precision 3
