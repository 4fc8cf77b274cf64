"$NABLA" --list-functions
