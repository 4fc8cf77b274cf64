"$NABLA" --check '(x + 1e8) - 1e8' x=1
