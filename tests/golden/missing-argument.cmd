"$NABLA" 'x' -o
