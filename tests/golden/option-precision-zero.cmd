"$NABLA" --precision=0 'x' x=1
