"$NABLA" --check --explain x x=1
