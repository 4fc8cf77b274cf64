"$NABLA" --batch 'x * y' y=2
