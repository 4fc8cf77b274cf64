"$NABLA" -q 'x' x=1
