"$NABLA" --symbolic --emit c x
