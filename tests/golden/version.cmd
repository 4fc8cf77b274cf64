"$NABLA" --version
