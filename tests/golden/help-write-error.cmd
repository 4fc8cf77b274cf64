"$NABLA" --help > /dev/full
