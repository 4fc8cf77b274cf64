"$NABLA" --batch 'x * y'
