"$NABLA" --batch --check --nodes x
