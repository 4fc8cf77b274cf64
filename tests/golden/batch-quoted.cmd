"$NABLA" --batch 'x + y'
