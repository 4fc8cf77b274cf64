"$NABLA" --batch 'x * y' y=abc
