"$NABLA" --batch 'x * y' x=1 y=2
