"$NABLA" --batch -i 'x'
