printf 'x;y\n1;2\n' | "$NABLA" --batch 'x*y'
