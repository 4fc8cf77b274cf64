"$NABLA" --precision 18 'x' x=1
