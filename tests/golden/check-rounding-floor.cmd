"$NABLA" --check '(x + 1e8) - 1e8 - x' x=1
