"$NABLA" --batch --explain x
