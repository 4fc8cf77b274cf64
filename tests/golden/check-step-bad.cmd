"$NABLA" --check --step 0 x x=1
