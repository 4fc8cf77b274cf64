"$NABLA" --format
