printf 'x\n1\n' | "$NABLA" --batch -f - -
