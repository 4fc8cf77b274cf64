"$NABLA" --batch -o json 'x'
