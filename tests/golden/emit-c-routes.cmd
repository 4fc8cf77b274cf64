"$NABLA" --emit c 'max(x, y, 2) * relu(x) + abs(y) + sum(x, y, x)'
