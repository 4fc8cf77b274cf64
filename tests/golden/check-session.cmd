"$NABLA" --check
