printf 'x = log(-1)\nx\ny = 2\ny\n' | "$NABLA" --strict
