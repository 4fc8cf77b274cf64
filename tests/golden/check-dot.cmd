"$NABLA" --check -o dot x x=1
