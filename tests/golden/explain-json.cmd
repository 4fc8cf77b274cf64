"$NABLA" --explain -o json x x=1
