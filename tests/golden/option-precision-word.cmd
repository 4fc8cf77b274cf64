"$NABLA" --precision=abc 'x' x=1
