"$NABLA" '(x + 1'
