"$NABLA" --help
